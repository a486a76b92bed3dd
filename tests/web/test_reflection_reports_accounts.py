"""Linking a peer worker's account to their code, and unlinking it (a lead's step)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations import services
from peerprinciples.web.evaluations.models import Membership

pytestmark = pytest.mark.django_db


def _url(team: Team, worker_id: int) -> str:
    return reverse("evaluations:link_account", args=[team.evaluation.pk, worker_id])


def test_linking_gives_the_account_the_peer_worker_role_for_the_codes_service(
    team: Team, make_user
) -> None:  # type: ignore[no-untyped-def]
    make_user("pw-b")
    member = services.link_account(
        team.lead, team.evaluation, username="pw-b", worker=team.worker_b
    )
    assert member.role == Membership.Role.PEER_WORKER
    assert member.peer_worker == team.worker_b
    assert list(member.services.all()) == [team.service_b]
    assert AuditEvent.objects.filter(summary="Linked an account to PW-B1").exists()


def test_linking_an_unknown_user_name_is_refused(team: Team) -> None:
    with pytest.raises(InvalidInput) as found:
        services.link_account(team.lead, team.evaluation, username="nobody", worker=team.worker_b)
    assert "no account" in found.value.problems["username"]


def test_linking_a_code_that_already_has_an_account_is_refused(team: Team, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("second")
    with pytest.raises(InvalidInput) as found:
        services.link_account(team.lead, team.evaluation, username="second", worker=team.worker_a)
    assert "already linked" in found.value.problems["username"]


def test_linking_an_account_with_another_role_is_refused(team: Team) -> None:
    with pytest.raises(InvalidInput) as found:
        services.link_account(team.lead, team.evaluation, username="rater", worker=team.worker_b)
    assert "already has a role" in found.value.problems["username"]
    assert team.evaluation.memberships.get(user=team.rater).role == "rater"


def test_linking_a_code_of_another_evaluation_is_refused(team: Team) -> None:
    with pytest.raises(DomainError):
        services.link_account(
            team.lead, team.evaluation, username="outsider", worker=team.other_worker
        )


def test_unlinking_removes_the_membership_and_is_audited(team: Team) -> None:
    services.unlink_account(team.lead, team.evaluation, worker=team.worker_a)
    assert not team.evaluation.memberships.filter(user=team.peer_worker).exists()
    event = AuditEvent.objects.get(summary="Unlinked the account from PW-A1")
    assert event.action == "delete"
    assert event.before is not None
    assert event.before["peer_worker"] == team.worker_a.pk


def test_unlinking_a_code_without_an_account_is_refused(team: Team) -> None:
    with pytest.raises(DomainError, match="no linked account"):
        services.unlink_account(team.lead, team.evaluation, worker=team.worker_b)


def test_the_lead_links_an_account_from_the_overview(team: Team, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("pw-b")
    client = team.client_for(team.lead)
    response = client.post(_url(team, team.worker_b.pk), {"username": "pw-b"}, follow=True)
    assert response.status_code == 200
    assert "Linked the account to PW-B1" in response.content.decode()
    assert team.evaluation.memberships.get(user__username="pw-b").peer_worker == team.worker_b


def test_the_lead_unlinks_an_account_with_the_second_button(team: Team) -> None:
    client = team.client_for(team.lead)
    response = client.post(_url(team, team.worker_a.pk), {"unlink": "on"}, follow=True)
    assert "no longer linked to PW-A1" in response.content.decode()
    assert not team.evaluation.memberships.filter(user=team.peer_worker).exists()


def test_the_overview_shows_a_link_form_or_linked_beside_each_code(team: Team) -> None:
    page = (
        team.client_for(team.lead)
        .get(reverse("evaluations:detail", args=[team.evaluation.pk]))
        .content.decode()
    )
    assert "Unlink the account from PW-A1" in page
    assert f'<label for="link-{team.worker_b.pk}">Account to link to PW-B1</label>' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "nobody"}, "There is no account with that user name."),
        ({"username": "rater"}, "already has a role in this evaluation"),
        ({"username": ""}, "Give the user name of the account to link."),
    ],
)
def test_a_refused_link_says_why_and_changes_nothing(
    team: Team, data: dict[str, str], message: str
) -> None:
    client = team.client_for(team.lead)
    before = Membership.objects.count()
    response = client.post(_url(team, team.worker_b.pk), data, follow=True)
    assert message in response.content.decode()
    assert Membership.objects.count() == before


def test_linking_a_code_already_linked_says_so(team: Team, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("second")
    response = team.client_for(team.lead).post(
        _url(team, team.worker_a.pk), {"username": "second"}, follow=True
    )
    assert "PW-A1 is already linked to an account." in response.content.decode()


def test_the_link_address_takes_no_get(team: Team) -> None:
    assert team.client_for(team.lead).get(_url(team, team.worker_b.pk)).status_code == 405


def test_a_coordinator_may_not_link_accounts(team: Team) -> None:
    response = team.client_for(team.coordinator).post(
        _url(team, team.worker_a.pk), {"username": "viewer"}
    )
    assert response.status_code == 403


def test_a_code_of_another_evaluation_is_not_found(team: Team) -> None:
    response = team.client_for(team.lead).post(
        _url(team, team.other_worker.pk), {"username": "viewer"}
    )
    assert response.status_code == 404
