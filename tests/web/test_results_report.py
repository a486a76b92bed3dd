"""The printable service report: principle by principle, with room for the team's reflection."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.results_fixtures import (
    Scored,
    cells,
    count_of,
    expected_cells,
    mean_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
    text,
)

import peerprinciples.web


def _url(team: Team, service_id: int) -> str:
    return reverse("results:report", args=[team.evaluation.pk, service_id])


def test_every_principle_has_a_reflection_space_and_agreed_actions(scored: Scored) -> None:
    team = scored.team
    page = team.client_for(team.lead).get(_url(team, team.service_a.pk)).content.decode()
    domains = team.instrument.domains
    assert page.count("Our reflections on this principle") == len(domains)
    assert page.count("Actions we agree") == len(domains)
    assert page.count('class="ruled-line"') >= 8 * len(domains)
    words = text(page)
    for number, domain in enumerate(domains, start=1):
        assert f"{number}. {domain.title}" in words
    assert "led by people with lived experience" in words


def test_each_principle_shows_its_definition(scored: Scored) -> None:
    team = scored.team
    page = text(team.client_for(team.lead).get(_url(team, team.service_a.pk)).content.decode())
    framework = team.evaluation.framework.model()
    for domain in team.instrument.domains:
        for key in domain.principles:
            assert framework.principle(key).definition in page


def test_the_scores_are_the_services_own(scored: Scored) -> None:
    team = scored.team
    shown = cells(team.client_for(team.lead).get(_url(team, team.service_a.pk)).content.decode())
    frame = scored.scores()
    measures = [d.key for d in team.instrument.domains] + ["total"]
    for mark, (mean, n) in expected_cells(frame[frame["service"] == "A"], measures).items():
        assert mean_of(shown[mark]) == pytest.approx(mean, abs=0.005), mark
        assert count_of(shown[mark]) == n, mark


def test_a_viewers_report_hides_small_groups(scored: Scored) -> None:
    team = scored.team
    response = team.client_for(team.viewer).get(_url(team, team.service_a.pk))
    assert response.status_code == 200
    shown = cells(response.content.decode())
    assert shown["cell:total/1/peer_worker"] == "Hidden: fewer than 5 interviews"
    assert count_of(shown["cell:total/1/all"]) == 9


def test_the_stylesheet_starts_each_principle_on_a_new_printed_page() -> None:
    css = (Path(peerprinciples.web.__file__).parent / "static/peerprinciples/site.css").read_text()
    print_rules = css[css.rindex("@media print") :]
    assert ".report-principle { break-before: page;" in print_rules
    assert ".site-header" in print_rules


def test_a_coordinator_is_refused_another_services_report(team: Team) -> None:
    client = team.client_for(team.coordinator)
    assert client.get(_url(team, team.service_a.pk)).status_code == 200
    assert client.get(_url(team, team.service_b.pk)).status_code == 403
    assert team.client_for(team.outsider).get(_url(team, team.service_a.pk)).status_code == 404
