"""Where a lead finds the release: the cycle's page, the list of cycles and the report say
how many replies came, until when replies are open, and offer the release once it can be
made; a report of a round without fidelity results says so in one sentence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import finish, finished_cycle, open_cycle
from tests.web.results_fixtures import (
    Scored,
    scored_fixture,  # noqa: F401 (the scored fixture)
    text,
)

from peerprinciples.web.reflection.services import replies

pytestmark = pytest.mark.django_db


def _get(team: Team, user: object, name: str, *args: int) -> str:
    response = team.client_for(user).get(
        reverse(f"reflection:{name}", args=[team.evaluation.pk, *args])
    )
    assert response.status_code == 200
    return response.content.decode()


def _day(day: dt.date) -> str:
    return dateformat.format(day, "j F Y")


def test_the_finished_cycles_page_offers_the_lead_the_release_with_the_replies(
    team: Team,
) -> None:
    cycle = finished_cycle(team)
    page = _get(team, team.lead, "cycle", cycle.pk)
    words = text(page)
    assert "1 peer worker reply to the draft report" in words
    assert reverse("reflection:release", args=[team.evaluation.pk, cycle.pk]) in page
    assert 'name="release-confirm"' in page
    assert 'name="release-back" value="cycle"' in page
    assert page.index('id="release"') < page.index('id="taking-part"')


def test_before_the_window_ends_the_cycles_page_says_from_when_it_can_be_released(
    team: Team,
) -> None:
    until = timezone.localdate() + dt.timedelta(days=5)
    cycle = finish(open_cycle(team), replies_until=until)
    page = _get(team, team.lead, "cycle", cycle.pk)
    words = text(page)
    assert "0 peer worker replies to the draft report; replies are open until" in words
    assert "the report can be released from that day on" in words
    assert f"Peer workers can reply until {_day(until)}" in words
    assert 'name="release-confirm"' not in page


def test_the_release_is_on_the_cycles_page_for_leads_only(team: Team) -> None:
    cycle = finished_cycle(team)
    page = _get(team, team.facilitator, "cycle", cycle.pk)
    assert 'id="release"' not in page
    assert "(1 reply)" in text(page)


def test_an_open_cycles_page_offers_no_release(team: Team) -> None:
    cycle = open_cycle(team)
    assert 'id="release"' not in _get(team, team.lead, "cycle", cycle.pk)


def test_a_released_cycles_page_says_when_and_offers_no_release(team: Team) -> None:
    cycle = finished_cycle(team)
    replies.release(team.lead, cycle)
    page = _get(team, team.lead, "cycle", cycle.pk)
    assert 'id="release"' not in page
    assert f"Released on {_day(timezone.localdate())}" in text(page)


def test_the_status_says_finished_once(team: Team) -> None:
    cycle = finished_cycle(team)
    words = text(_get(team, team.lead, "cycle", cycle.pk))
    assert f"Finished on {_day(timezone.localdate())}" in words
    assert "finished on" not in words


def test_the_list_of_cycles_says_where_each_report_stands(team: Team) -> None:
    ready = finished_cycle(team)
    until = timezone.localdate() + dt.timedelta(days=5)
    waiting = finish(open_cycle(team, service=team.service_b), replies_until=until)
    page = text(_get(team, team.lead, "index"))
    assert "Draft — 1 reply — can be released" in page
    assert f"Draft — no reply yet — replies open until {_day(until)}" in page
    replies.release(team.lead, ready)
    waiting.delete()
    assert "Released" in text(_get(team, team.lead, "index"))


def test_only_readers_of_reflections_see_how_many_replies_came(team: Team) -> None:
    finished_cycle(team)
    page = text(_get(team, team.viewer, "index"))
    assert "Draft — can be released" in page
    assert "reply" not in page.split("Cycles by service and round")[1]


def test_the_report_says_why_it_cannot_be_released_yet(team: Team) -> None:
    until = timezone.localdate() + dt.timedelta(days=5)
    cycle = finish(open_cycle(team), replies_until=until)
    page = _get(team, team.lead, "report", cycle.pk)
    assert f"Peer workers can reply until {_day(until)}" in text(page)
    assert 'name="release-confirm"' not in page
    still_open = open_cycle(team, service=team.service_b)
    assert "The cycle is still open: finish it first" in text(
        _get(team, team.lead, "report", still_open.pk)
    )


def test_the_report_of_a_round_without_results_says_so_in_one_sentence(team: Team) -> None:
    cycle = finished_cycle(team)
    page = _get(team, team.lead, "report", cycle.pk)
    words = text(page)
    assert "No fidelity results for this round: the reflection stands on the team’s own view." in (
        words
    )
    assert "No scores" not in words
    principles = page[page.index('class="report-principle"') :]
    assert "What the interviews say" not in principles
    assert "data-freshness" not in page
    assert "results-table" not in page


def test_the_report_of_a_round_with_results_keeps_its_table(scored: Scored) -> None:
    team = scored.team
    cycle = open_cycle(team)
    page = _get(team, team.lead, "report", cycle.pk)
    assert "results-table" in page
    assert "No fidelity results for this round" not in page


def test_the_timeline_says_which_rounds_have_no_results(team: Team) -> None:
    cycle = finished_cycle(team)
    words = text(_get(team, team.lead, "timeline", cycle.service_id))
    assert "No fidelity results for this service yet" in words
    assert "No fidelity results for this round: the reflection stands on the team’s own view." in (
        words
    )
    assert "No scores" not in words
