"""A lead releases a cycle's report: finished cycles only, once the reply window has come."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import finish, finished_cycle, open_cycle

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import DomainError
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import replies

pytestmark = pytest.mark.django_db

SURE = {"release-confirm": "on"}


def _url(team: Team, cycle: Cycle) -> str:
    return reverse("reflection:release", args=[team.evaluation.pk, cycle.pk])


def _release(team: Team, cycle: Cycle) -> str:
    response = team.client_for(team.lead).post(_url(team, cycle), SURE, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_lead_releases_a_finished_cycle_once_the_window_is_over(team: Team) -> None:
    cycle = finished_cycle(team)
    page = _release(team, cycle)
    assert "The report is released." in page
    cycle.refresh_from_db()
    assert cycle.report_status == Cycle.Report.RELEASED
    assert cycle.released_by == team.lead
    assert cycle.released_at is not None
    assert AuditEvent.objects.filter(
        object_type="reflection.Cycle", summary__startswith="Released the reflection report of A"
    ).exists()


def test_release_before_the_window_ends_says_until_when_replies_are_open(team: Team) -> None:
    cycle = finish(open_cycle(team), replies_until=timezone.localdate() + dt.timedelta(days=3))
    page = _release(team, cycle)
    day = cycle.replies_until
    assert day is not None
    assert f"Peer workers can reply until {day:%-d %B %Y}" in page
    cycle.refresh_from_db()
    assert cycle.report_status == Cycle.Report.DRAFT


def test_release_is_allowed_on_the_last_day_of_the_window(team: Team) -> None:
    today = timezone.localdate()
    cycle = finish(open_cycle(team), replies_until=today)
    assert replies.release(team.lead, cycle, today=today).report_status == "released"


def test_releasing_without_ticking_the_box_is_explained_and_changes_nothing(team: Team) -> None:
    cycle = finished_cycle(team)
    response = team.client_for(team.lead).post(_url(team, cycle))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick the box to say you want to release the report now" in page
    assert "Reflection report: service A" in page
    cycle.refresh_from_db()
    assert cycle.report_status == Cycle.Report.DRAFT
    assert not AuditEvent.objects.filter(summary__startswith="Released the reflection").exists()


def test_releasing_from_the_cycles_page_goes_back_there(team: Team) -> None:
    cycle = finished_cycle(team)
    cycle_url = reverse("reflection:cycle", args=[team.evaluation.pk, cycle.pk])
    client = team.client_for(team.lead)
    refused = client.post(_url(team, cycle), {"release-back": "cycle"})
    assert refused.status_code == 400
    assert "Tick the box to say you want to release the report now" in refused.content.decode()
    assert 'id="taking-part"' in refused.content.decode()
    response = client.post(_url(team, cycle), {**SURE, "release-back": "cycle"})
    assert response.status_code == 302
    assert response["Location"] == cycle_url
    cycle.refresh_from_db()
    assert cycle.report_status == Cycle.Report.RELEASED


def test_releasing_twice_says_it_was_already_released(team: Team) -> None:
    cycle = finished_cycle(team)
    _release(team, cycle)
    page = _release(team, cycle)
    assert "This report was already released on" in page
    assert AuditEvent.objects.filter(summary__startswith="Released the reflection").count() == 1


def test_an_open_cycle_cannot_be_released(team: Team) -> None:
    cycle = open_cycle(team)
    assert "The cycle is still open: finish it first" in _release(team, cycle)
    with pytest.raises(DomainError, match="still open"):
        replies.release(team.lead, cycle)


def test_only_leads_release(team: Team) -> None:
    cycle = finished_cycle(team)
    for user in (team.facilitator, team.coordinator, team.peer_worker):
        assert team.client_for(user).post(_url(team, cycle), SURE).status_code == 403
    cycle.refresh_from_db()
    assert cycle.report_status == Cycle.Report.DRAFT


def test_a_cycle_of_another_evaluation_is_not_found(team: Team) -> None:
    cycle = finished_cycle(team)
    url = reverse("reflection:release", args=[team.other_evaluation.pk, cycle.pk])
    assert team.client_for(team.outsider).post(url, SURE).status_code == 404


def test_releasing_takes_no_get(team: Team) -> None:
    cycle = finished_cycle(team)
    assert team.client_for(team.lead).get(_url(team, cycle)).status_code == 405
