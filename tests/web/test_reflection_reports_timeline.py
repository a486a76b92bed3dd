"""A service's timeline: scores by round, and its cycles; what was said for readers only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import SAID, fill, finished_cycle, open_cycle, review
from tests.web.results_fixtures import (
    Scored,
    cells,
    mean_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
    text,
)

from peerprinciples.web.evaluations.models import Round, Service
from peerprinciples.web.reflection.models import Action

pytestmark = pytest.mark.django_db


def _url(team: Team, service: Service) -> str:
    return reverse("reflection:timeline", args=[team.evaluation.pk, service.pk])


def _page(team: Team, user: object, service: Service) -> str:
    response = team.client_for(user).get(_url(team, service))
    assert response.status_code == 200
    return response.content.decode()


def test_the_timeline_shows_the_services_scores_by_round_as_a_table_and_charts(
    scored: Scored,
) -> None:
    team = scored.team
    page = _page(team, team.viewer, team.service_a)
    shown = cells(page)
    frame = scored.scores()
    here = frame[frame["service"] == "A"]
    domain = team.instrument.domains[0].key
    for round_ in scored.rounds:
        expected = here[here["round"] == round_.number][domain].mean()
        assert mean_of(shown[f"cell:{domain}/{round_.number}"]) == pytest.approx(
            expected, abs=0.005
        )
    assert "<svg" in page


def test_both_rounds_cycles_show_and_an_action_comes_back_with_its_review(team: Team) -> None:
    first = finished_cycle(team)
    second_round = Round.objects.create(evaluation=team.evaluation, number=2, label="Follow-up")
    later = open_cycle(team, round_=second_round)
    review(team, Action.objects.get(cycle=first), later)
    page = _page(team, team.facilitator, team.service_a)
    words = text(page)
    assert words.index("Baseline") < words.index("Follow-up")
    assert "Warm time together" in words
    assert "Looked at again in Follow-up: done — We met every week" in words
    assert "peer workers: 3; people supported: 2; supervisors: 1; 6 in all" in words


def test_raters_and_viewers_see_that_a_cycle_happened_and_nothing_of_what_was_said(
    team: Team,
) -> None:
    finished_cycle(team)
    for user in (team.rater, team.viewer):
        page = _page(team, user, team.service_a)
        assert SAID not in page
        assert "Baseline" in page
        assert "6 in all" in text(page)
        assert "stays with the service’s own people" in page


def test_the_services_own_people_read_what_was_said(team: Team) -> None:
    finished_cycle(team)
    for user in (team.lead, team.coordinator, team.facilitator, team.peer_worker):
        assert SAID in _page(team, user, team.service_a)


def test_a_viewer_sees_another_services_timeline_without_what_was_said(team: Team) -> None:
    fill(team, open_cycle(team, service=team.service_b))
    page = _page(team, team.viewer, team.service_b)
    assert SAID not in page


def test_a_facilitator_or_peer_worker_reaching_for_another_services_timeline_is_refused(
    team: Team,
) -> None:
    for user in (team.facilitator, team.peer_worker, team.coordinator, team.rater):
        assert team.client_for(user).get(_url(team, team.service_b)).status_code == 403


def test_a_service_with_no_cycle_says_so(team: Team) -> None:
    words = text(_page(team, team.lead, team.service_b))
    assert "No cycle of reflective learning has been opened for this service yet." in words
    assert "No fidelity results for this service yet" in words


def test_a_service_of_another_evaluation_is_not_found(team: Team) -> None:
    other = team.other_evaluation.services.get()
    url = reverse("reflection:timeline", args=[team.evaluation.pk, other.pk])
    assert team.client_for(team.lead).get(url).status_code == 404


def test_the_timeline_takes_no_post(team: Team) -> None:
    assert team.client_for(team.lead).post(_url(team, team.service_a)).status_code == 405
