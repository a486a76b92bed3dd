"""The evaluation's results page: every principle and the total by round and informant."""

from __future__ import annotations

import re

import pytest
from django.test import Client
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


def _url(team: Team) -> str:
    return reverse("results:overview", args=[team.evaluation.pk])


def _measures(team: Team) -> list[str]:
    return [d.key for d in team.instrument.domains] + ["total"]


def test_every_mean_and_count_equals_the_cached_scores_worked_out_independently(
    scored: Scored,
) -> None:
    team = scored.team
    shown = cells(team.client_for(team.lead).get(_url(team)).content.decode())
    expected = expected_cells(scored.scores(), _measures(team))
    assert len(expected) == 6 * 3 * 4
    for mark, (mean, n) in expected.items():
        assert mark in shown, mark
        assert mean_of(shown[mark]) == pytest.approx(mean, abs=0.005), mark
        assert count_of(shown[mark]) == n, mark


def test_the_informant_gap_is_the_peer_workers_own_mean_minus_everyone_elses(
    scored: Scored,
) -> None:
    team = scored.team
    shown = cells(team.client_for(team.lead).get(_url(team)).content.decode())
    frame = scored.scores()
    own = frame["informant"] == "peer_worker"
    for measure in _measures(team):
        for number in (1, 2, "all"):
            part = frame if number == "all" else frame[frame["round"] == number]
            mine = own.loc[part.index]
            gap = part.loc[mine, measure].mean() - part.loc[~mine, measure].mean()
            assert mean_of(shown[f"gap:{measure}/{number}"]) == pytest.approx(gap, abs=0.005)


def test_a_viewer_sees_the_evaluations_aggregates_of_five_or_more_interviews(
    scored: Scored,
) -> None:
    team = scored.team
    response = team.client_for(team.viewer).get(_url(team))
    assert response.status_code == 200
    shown = cells(response.content.decode())
    # Every group of the whole evaluation holds 6 interviews or more here.
    expected = expected_cells(scored.scores(), _measures(team))
    for mark, (mean, n) in expected.items():
        assert n >= 5
        assert mean_of(shown[mark]) == pytest.approx(mean, abs=0.005), mark
    assert "Some numbers are hidden to protect privacy" in response.content.decode()


def test_services_are_listed_by_code_and_no_peer_worker_appears(scored: Scored) -> None:
    team = scored.team
    page = text(team.client_for(team.lead).get(_url(team)).content.decode())
    listed = re.findall(r"Service ([AB]) \(", page)
    assert listed == ["A", "B"]
    assert "PW-" not in page


def test_a_coordinator_sees_only_their_own_service_as_a_link(scored: Scored) -> None:
    team = scored.team
    page = team.client_for(team.coordinator).get(_url(team)).content.decode()
    service_a = reverse("results:service", args=[team.evaluation.pk, team.service_a.pk])
    service_b = reverse("results:service", args=[team.evaluation.pk, team.service_b.pk])
    assert service_a in page
    assert service_b not in page
    assert "not among your services" in page


def test_without_final_interviews_the_page_says_there_is_nothing_yet(team: Team) -> None:
    response = team.client_for(team.lead).get(_url(team))
    assert response.status_code == 200
    assert "No interview is final yet" in response.content.decode()


def test_the_page_reads_the_stored_results_in_a_few_queries(
    scored: Scored, django_assert_max_num_queries: object
) -> None:
    from django.core.cache import cache

    team = scored.team
    client = team.client_for(team.lead)
    assert client.get(_url(team)).status_code == 200  # the first look stores the results
    cache.clear()  # nothing rendered kept: the page is laid out from what is stored
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(_url(team)).status_code == 200


def test_an_outsider_is_told_the_evaluation_does_not_exist(team: Team) -> None:
    assert team.client_for(team.outsider).get(_url(team)).status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(team: Team) -> None:
    response = Client().get(_url(team))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_evaluation_menu_links_to_results_quality_and_for_leads_the_audit_trail(
    team: Team,
) -> None:
    results = reverse("results:overview", args=[team.evaluation.pk])
    quality = reverse("results:psychometrics", args=[team.evaluation.pk])
    audit = reverse("audit:log", args=[team.evaluation.pk])
    detail = reverse("evaluations:detail", args=[team.evaluation.pk])
    lead_page = team.client_for(team.lead).get(detail).content.decode()
    viewer_page = team.client_for(team.viewer).get(detail).content.decode()
    for link in (results, quality, audit):
        assert link in lead_page
    for link in (results, quality):
        assert link in viewer_page
    assert audit not in viewer_page
