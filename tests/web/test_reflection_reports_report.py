"""The cycle's report: results, reflections, conditions, actions, replies beside their text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import SAID, fill, finished_cycle, open_cycle
from tests.web.results_fixtures import (
    Scored,
    cells,
    mean_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
    text,
)

from peerprinciples.web.reflection.models import Cycle, Reply
from peerprinciples.web.reflection.services import replies

pytestmark = pytest.mark.django_db


def _url(team: Team, cycle: Cycle) -> str:
    return reverse("reflection:report", args=[team.evaluation.pk, cycle.pk])


def _page(team: Team, user: object, cycle: Cycle) -> str:
    response = team.client_for(user).get(_url(team, cycle))
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_shows_each_principles_answers_own_view_conditions_and_actions(
    team: Team,
) -> None:
    cycle = finished_cycle(team)
    page = _page(team, team.facilitator, cycle)
    words = text(page)
    assert "1. Relationships" in words
    for said in ("Warm time together", "Caseloads squeeze time", "A weekly walk"):
        assert said in words
    # The team's self-assessment: (4 + 3) / 2 on relationships, beside the interviews.
    assert 'data-own-view="relationships">3.5 on the self-assessment' in page
    assert "What the interviews say" in words
    team_conditions = words.split("In the team")[1].split("In the organisation")[0]
    assert (
        "Peer workers have their own regular space to meet, share and support each other. "
        "Partly A room on Fridays"
    ) in team_conditions
    assert "Agree a weekly time to meet" in words
    assert "Peer worker team" in words
    assert "Peer workers: 3; People supported: 2; Supervisors: 1" in words


def test_a_reply_is_shown_beside_the_principle_it_answers(team: Team) -> None:
    cycle = finished_cycle(team)
    page = _page(team, team.coordinator, cycle)
    start = page.index('id="principle-relationships"')
    end = page.index('id="principle-mutuality"')
    assert start < page.index("The walk was my idea") < end
    assert "A peer worker replied" in page[start:end]


def test_a_reply_about_the_whole_report_is_shown_at_the_end(team: Team) -> None:
    cycle = finished_cycle(team)
    Reply.objects.create(
        cycle=cycle, peer_worker=team.worker_a, about="", text="Overall fair", created_by=team.lead
    )
    page = _page(team, team.facilitator, cycle)
    assert page.index('id="whole-title"') < page.index("Overall fair")


def test_only_leads_see_which_code_replied(team: Team) -> None:
    cycle = finished_cycle(team)
    assert "(PW-A1)" in _page(team, team.lead, cycle)
    for user in (team.coordinator, team.facilitator, team.peer_worker):
        page = _page(team, user, cycle)
        assert "A peer worker replied" in page
        assert "PW-A1" not in page.split('id="principle-relationships"')[1]


def test_a_draft_says_until_when_replies_are_open(team: Team) -> None:
    cycle = finished_cycle(team)
    cycle.replies_until = dt.date(2031, 5, 9)
    cycle.save()
    assert "Draft — open for peer workers’ replies until 9 May 2031." in text(
        _page(team, team.lead, cycle)
    )


def test_a_released_report_says_when_and_offers_no_reply(team: Team) -> None:
    cycle = finished_cycle(team)
    replies.release(team.lead, cycle)
    page = _page(team, team.peer_worker, cycle)
    assert f"Released on {timezone.localdate():%-d %B %Y}." in text(page)
    assert "Reply to the draft report" not in page
    assert "Release the report" not in _page(team, team.lead, cycle)


def test_the_peer_worker_gets_the_reply_form_with_its_note_on_codes(team: Team) -> None:
    cycle = finished_cycle(team)
    page = _page(team, team.peer_worker, cycle)
    assert "Reply to the draft report" in page
    assert "in a small team a code can identify a person" in page
    assert reverse("reflection:reply", args=[team.evaluation.pk, cycle.pk]) in page
    for user in (team.lead, team.facilitator, team.coordinator):
        assert "Reply to the draft report" not in _page(team, user, cycle)


def test_only_the_lead_gets_the_release_button(team: Team) -> None:
    cycle = finished_cycle(team)
    assert "Release the report" in _page(team, team.lead, cycle)
    assert "Release the report" not in _page(team, team.facilitator, cycle)


def test_the_fidelity_results_are_the_rounds_aggregates_with_small_groups_hidden(
    scored: Scored,
) -> None:
    team = scored.team
    cycle = open_cycle(team)
    shown = cells(_page(team, team.facilitator, cycle))
    frame = scored.scores()
    here = frame[(frame["service"] == "A") & (frame["round"] == 1)]
    domain = team.instrument.domains[0].key
    assert mean_of(shown[f"cell:{domain}/all"]) == pytest.approx(here[domain].mean(), abs=0.005)
    assert "Hidden" in shown[f"cell:{domain}/peer_worker"]


def test_an_open_cycle_with_nothing_written_has_a_report_that_says_so(team: Team) -> None:
    cycle = open_cycle(team)
    words = text(_page(team, team.facilitator, cycle))
    assert "Still open" in words
    assert "Nothing written about this principle yet." in words
    assert "No fidelity results for this round: the reflection stands on the team’s own view." in (
        words
    )


def test_raters_and_viewers_may_not_read_the_report(team: Team) -> None:
    cycle = finished_cycle(team)
    for user in (team.rater, team.viewer):
        assert team.client_for(user).get(_url(team, cycle)).status_code == 403


def test_a_facilitator_or_peer_worker_reaching_for_another_services_cycle_is_refused(
    team: Team,
) -> None:
    other = open_cycle(team, service=team.service_b)
    fill(team, other)
    for user in (team.facilitator, team.peer_worker, team.coordinator):
        response = team.client_for(user).get(_url(team, other))
        assert response.status_code == 403
        assert SAID not in response.content.decode()


def test_a_cycle_of_another_evaluation_is_not_found(team: Team) -> None:
    cycle = finished_cycle(team)
    url = reverse("reflection:report", args=[team.other_evaluation.pk, cycle.pk])
    assert team.client_for(team.outsider).get(url).status_code == 404
    missing = reverse("reflection:report", args=[team.evaluation.pk, cycle.pk + 100])
    assert team.client_for(team.lead).get(missing).status_code == 404


def test_the_report_takes_no_post(team: Team) -> None:
    cycle = finished_cycle(team)
    assert team.client_for(team.lead).post(_url(team, cycle)).status_code == 405
