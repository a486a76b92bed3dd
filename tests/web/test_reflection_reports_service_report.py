"""The printable service report's "Reflective learning" section."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import SAID, finished_cycle, open_cycle
from tests.web.results_fixtures import text

from peerprinciples.web.evaluations.models import Round
from peerprinciples.web.reflection.services import replies

pytestmark = pytest.mark.django_db


def _page(team: Team, user: object) -> str:
    url = reverse("results:report", args=[team.evaluation.pk, team.service_a.pk])
    response = team.client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str) -> str:
    return page[page.index('id="reflective-title"') :]


def test_a_released_cycles_reflections_and_actions_are_in_the_report(team: Team) -> None:
    cycle = finished_cycle(team)
    replies.release(team.lead, cycle)
    for user in (team.lead, team.coordinator):
        section = text(_section(_page(team, user)))
        assert "Reflective learning" in _page(team, user)
        assert "Warm time together" in section
        assert "Agree a weekly time to meet" in section


def test_a_draft_cycle_says_it_is_not_yet_released_and_shows_nothing_said(team: Team) -> None:
    finished_cycle(team)
    section = _section(_page(team, team.lead))
    assert "This cycle’s report is a draft, not yet released." in section
    assert SAID not in section


def test_raters_and_viewers_see_only_that_cycles_happened(team: Team) -> None:
    cycle = finished_cycle(team)
    replies.release(team.lead, cycle)
    for user in (team.rater, team.viewer):
        page = _page(team, user)
        assert SAID not in page
        section = text(_section(page))
        assert "Baseline" in section
        assert "Released on" in section


def test_cycles_are_listed_by_round(team: Team) -> None:
    finished_cycle(team)
    later = Round.objects.create(evaluation=team.evaluation, number=2, label="Follow-up")
    open_cycle(team, round_=later)
    section = text(_section(_page(team, team.viewer)))
    assert section.index("Baseline") < section.index("Follow-up")


def test_a_service_without_cycles_says_none_was_held(team: Team) -> None:
    assert "No cycle of reflective learning has been held for this service yet." in text(
        _page(team, team.lead)
    )
