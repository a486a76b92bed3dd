"""A peer worker's reply to the draft report."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import finished_cycle, open_cycle

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.reflection.models import Cycle, Reply
from peerprinciples.web.reflection.services import replies

pytestmark = pytest.mark.django_db


def _url(team: Team, cycle: Cycle) -> str:
    return reverse("reflection:reply", args=[team.evaluation.pk, cycle.pk])


def test_a_peer_worker_replies_about_a_principle_under_their_code(team: Team) -> None:
    cycle = finished_cycle(team)
    response = team.client_for(team.peer_worker).post(
        _url(team, cycle), {"about": "mutuality", "text": "It felt one-sided at times"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reflection:report", args=[team.evaluation.pk, cycle.pk])
    reply = Reply.objects.get(text="It felt one-sided at times")
    assert (reply.about, reply.peer_worker, reply.created_by) == (
        "mutuality",
        team.worker_a,
        team.peer_worker,
    )


def test_a_reply_about_the_whole_report_has_no_principle(team: Team) -> None:
    cycle = open_cycle(team)
    team.client_for(team.peer_worker).post(_url(team, cycle), {"about": "", "text": "Fair"})
    assert Reply.objects.get(text="Fair").about == ""


def test_the_reply_is_audited_without_its_text(team: Team) -> None:
    cycle = finished_cycle(team)
    team.client_for(team.peer_worker).post(
        _url(team, cycle), {"about": "relationships", "text": "Something private"}
    )
    event = AuditEvent.objects.filter(object_type="reflection.Reply").latest("pk")
    assert "Something private" not in str(event.after)
    assert "Something private" not in event.summary
    assert event.after == {"id": event.after["id"], "cycle": cycle.pk, "about": "relationships"}


def test_a_reply_after_release_is_refused_with_a_clear_message(team: Team) -> None:
    cycle = finished_cycle(team)
    replies.release(team.lead, cycle)
    before = Reply.objects.count()
    response = team.client_for(team.peer_worker).post(
        _url(team, cycle), {"about": "", "text": "Too late?"}, follow=True
    )
    assert "This report was released, so it no longer takes replies." in (response.content.decode())
    assert Reply.objects.count() == before


def test_the_service_refuses_a_reply_after_release_even_if_the_page_was_old(team: Team) -> None:
    cycle = finished_cycle(team)
    stale = Cycle.objects.get(pk=cycle.pk)
    replies.release(team.lead, cycle)
    with pytest.raises(DomainError, match="released"):
        replies.reply(team.peer_worker, stale, worker=team.worker_a, about="", text="Late")


def test_an_empty_reply_is_shown_again_with_what_to_put_right(team: Team) -> None:
    cycle = finished_cycle(team)
    response = team.client_for(team.peer_worker).post(
        _url(team, cycle), {"about": "relationships", "text": "  "}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Reply.objects.filter(about="relationships").exclude(text__contains="walk").exists()


def test_a_reply_about_an_unknown_principle_is_refused(team: Team) -> None:
    cycle = finished_cycle(team)
    response = team.client_for(team.peer_worker).post(
        _url(team, cycle), {"about": "not-a-principle", "text": "Hello"}
    )
    assert response.status_code == 400
    with pytest.raises(InvalidInput) as found:
        replies.reply(
            team.peer_worker, cycle, worker=team.worker_a, about="not-a-principle", text="Hi"
        )
    assert "about" in found.value.problems


def test_a_code_of_another_service_may_not_reply(team: Team) -> None:
    cycle = finished_cycle(team)
    with pytest.raises(DomainError, match="own service"):
        replies.reply(team.lead, cycle, worker=team.worker_b, about="", text="Hi")


def test_a_peer_worker_reaching_for_another_services_cycle_is_refused(team: Team) -> None:
    other = open_cycle(team, service=team.service_b)
    response = team.client_for(team.peer_worker).post(_url(team, other), {"text": "Hi"})
    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_only_peer_workers_reply(team: Team) -> None:
    cycle = finished_cycle(team)
    for user in (team.lead, team.facilitator, team.coordinator):
        response = team.client_for(user).post(_url(team, cycle), {"text": "Hi"})
        assert response.status_code == 403


def test_replying_takes_no_get(team: Team) -> None:
    cycle = finished_cycle(team)
    assert team.client_for(team.peer_worker).get(_url(team, cycle)).status_code == 405
