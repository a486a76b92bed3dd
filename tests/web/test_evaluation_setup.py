"""The lead sets up services, peer workers, rounds and members; nobody else can."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.evaluations.models import Membership, PeerWorker, Round, Service

pytestmark = pytest.mark.django_db


def _url(team: Team, name: str, *args: Any) -> str:
    return reverse(f"evaluations:{name}", args=[team.evaluation.pk, *args])


def test_the_lead_adds_a_service(team: Team) -> None:
    client = team.client_for(team.lead)
    response = client.post(
        _url(team, "add_service"), {"service-code": "EAST", "service-name": "East team"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#services")
    assert Service.objects.filter(evaluation=team.evaluation, code="EAST").exists()
    assert "Added the service EAST" in client.get(response["Location"]).content.decode()


def test_a_service_code_used_twice_is_explained_and_the_input_kept(team: Team) -> None:
    response = team.client_for(team.lead).post(
        _url(team, "add_service"), {"service-code": "A", "service-name": "Kept name"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "already has that code" in page
    assert 'value="Kept name"' in page
    assert 'href="#id_service-code"' in page


def test_only_the_lead_may_add_a_service(team: Team) -> None:
    for user in (team.coordinator, team.rater, team.viewer):
        response = team.client_for(user).post(_url(team, "add_service"), {"service-code": "Z"})
        assert response.status_code == 403
    assert (
        team.client_for(team.outsider)
        .post(_url(team, "add_service"), {"service-code": "Z"})
        .status_code
        == 404
    )
    assert not Service.objects.filter(code="Z").exists()


def test_adding_a_service_needs_a_post(team: Team) -> None:
    assert team.client_for(team.lead).get(_url(team, "add_service")).status_code == 405


def test_the_lead_adds_a_peer_worker_by_code(team: Team) -> None:
    response = team.client_for(team.lead).post(
        _url(team, "add_peer_worker"),
        {"peer_worker-service": team.service_b.pk, "peer_worker-code": "PW-B2"},
    )
    assert response.status_code == 302
    assert PeerWorker.objects.get(code="PW-B2").service == team.service_b


def test_a_peer_worker_cannot_be_put_in_another_evaluations_service(team: Team) -> None:
    other_service = team.other_worker.service
    response = team.client_for(team.lead).post(
        _url(team, "add_peer_worker"),
        {"peer_worker-service": other_service.pk, "peer_worker-code": "PW-SNEAK"},
    )
    assert response.status_code == 400
    assert not PeerWorker.objects.filter(code="PW-SNEAK").exists()


def test_a_name_like_code_is_refused_with_a_reason(team: Team) -> None:
    response = team.client_for(team.lead).post(
        _url(team, "add_peer_worker"),
        {"peer_worker-service": team.service_a.pk, "peer_worker-code": "Jane Smith"},
    )
    assert response.status_code == 400
    assert "never a name" in response.content.decode()


def test_the_lead_adds_a_round(team: Team) -> None:
    response = team.client_for(team.lead).post(
        _url(team, "add_round"), {"round-number": "2", "round-label": "Follow-up"}
    )
    assert response.status_code == 302
    assert Round.objects.get(evaluation=team.evaluation, number=2).label == "Follow-up"


def test_the_lead_gives_an_account_a_role_for_chosen_services(team: Team, make_user: Any) -> None:
    make_user("newcomer")
    response = team.client_for(team.lead).post(
        _url(team, "add_member"),
        {
            "member-username": "newcomer",
            "member-role": "rater",
            "member-services": [team.service_b.pk],
        },
    )
    assert response.status_code == 302
    member = Membership.objects.get(evaluation=team.evaluation, user__username="newcomer")
    assert member.role == "rater"
    assert list(member.services.all()) == [team.service_b]


def test_a_member_cannot_be_given_another_evaluations_service(team: Team, make_user: Any) -> None:
    make_user("newcomer")
    response = team.client_for(team.lead).post(
        _url(team, "add_member"),
        {
            "member-username": "newcomer",
            "member-role": "rater",
            "member-services": [team.other_worker.service_id],
        },
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_an_unknown_user_name_is_explained(team: Team) -> None:
    response = team.client_for(team.lead).post(
        _url(team, "add_member"), {"member-username": "nobody", "member-role": "viewer"}
    )
    assert response.status_code == 400
    assert "no account with that user name" in response.content.decode()


def test_the_lead_records_a_withdrawal_and_a_return(team: Team) -> None:
    client = team.client_for(team.lead)
    url = _url(team, "withdrawal", team.worker_a.pk)
    assert client.post(url, {"withdrawn": "1"}).status_code == 302
    team.worker_a.refresh_from_db()
    assert team.worker_a.withdrawn
    assert client.post(url, {"withdrawn": "0"}).status_code == 302
    team.worker_a.refresh_from_db()
    assert not team.worker_a.withdrawn


def test_a_peer_worker_of_another_evaluation_cannot_be_withdrawn(team: Team) -> None:
    response = team.client_for(team.lead).post(
        _url(team, "withdrawal", team.other_worker.pk), {"withdrawn": "1"}
    )
    assert response.status_code == 404
    team.other_worker.refresh_from_db()
    assert not team.other_worker.withdrawn


def test_a_coordinator_cannot_record_a_withdrawal(team: Team) -> None:
    response = team.client_for(team.coordinator).post(
        _url(team, "withdrawal", team.worker_a.pk), {"withdrawn": "1"}
    )
    assert response.status_code == 403


def test_a_facilitator_needs_a_service(team: Team, make_user: Any) -> None:
    make_user("newcomer")
    response = team.client_for(team.lead).post(
        _url(team, "add_member"), {"member-username": "newcomer", "member-role": "facilitator"}
    )
    assert response.status_code == 400
    assert "facilitators need at least one service" in response.content.decode()
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_the_peer_worker_role_is_not_given_through_the_member_form(
    team: Team, make_user: Any
) -> None:
    make_user("newcomer")
    response = team.client_for(team.lead).post(
        _url(team, "add_member"),
        {
            "member-username": "newcomer",
            "member-role": "peer_worker",
            "member-services": [team.service_a.pk],
        },
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_an_account_linked_to_a_code_keeps_that_role(team: Team) -> None:
    response = team.client_for(team.lead).post(
        _url(team, "add_member"),
        {
            "member-username": "peer_worker",
            "member-role": "rater",
            "member-services": [team.service_a.pk],
        },
    )
    assert response.status_code == 400
    assert "linked to a peer worker" in response.content.decode()
    member = Membership.objects.get(evaluation=team.evaluation, user__username="peer_worker")
    assert member.role == "peer_worker"
    assert member.peer_worker == team.worker_a
