"""One service's results: the same summaries for the service, privacy for viewers, scope."""

from __future__ import annotations

import re

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

from peerprinciples.core.naturalsort import natural_key
from peerprinciples.web.interviews.models import Interview


def _url(team: Team, service_id: int) -> str:
    return reverse("results:service", args=[team.evaluation.pk, service_id])


def _measures(team: Team) -> list[str]:
    return [d.key for d in team.instrument.domains] + ["total"]


def test_every_mean_and_count_is_the_services_own(scored: Scored) -> None:
    team = scored.team
    shown = cells(team.client_for(team.lead).get(_url(team, team.service_a.pk)).content.decode())
    frame = scored.scores()
    expected = expected_cells(frame[frame["service"] == "A"], _measures(team))
    for mark, (mean, n) in expected.items():
        assert mean_of(shown[mark]) == pytest.approx(mean, abs=0.005), mark
        assert count_of(shown[mark]) == n, mark


def test_a_viewer_sees_groups_of_five_or_more_but_not_smaller_ones(scored: Scored) -> None:
    team = scored.team
    response = team.client_for(team.viewer).get(_url(team, team.service_a.pk))
    assert response.status_code == 200
    shown = cells(response.content.decode())
    frame = scored.scores()
    expected = expected_cells(frame[frame["service"] == "A"], _measures(team))
    hidden = [mark for mark, (_, n) in expected.items() if n < 5]
    visible = [mark for mark, (_, n) in expected.items() if n >= 5]
    assert hidden
    assert visible
    for mark in hidden:
        # Each round and informant of a service holds 3 interviews here.
        assert shown[mark] == "Hidden: fewer than 5 interviews", mark
    for mark in visible:
        assert mean_of(shown[mark]) == pytest.approx(expected[mark][0], abs=0.005), mark
    # A round's gap rests on 3 self-ratings: hidden too. Across rounds there are 6.
    assert "Hidden" in shown["gap:relationships/1"]
    assert "Hidden" not in shown["gap:relationships/all"]


def test_a_viewer_cannot_work_out_a_hidden_group_from_the_others(
    scored: Scored, settings: object
) -> None:
    team = scored.team
    settings.SMALL_NUMBER_THRESHOLD = 6  # type: ignore[attr-defined]
    Interview.objects.filter(
        service=team.service_a, informant="supervisor", round=team.round
    ).first().delete()  # type: ignore[union-attr]
    shown = cells(team.client_for(team.viewer).get(_url(team, team.service_a.pk)).content.decode())
    # Across rounds: 6 peer worker, 5 supervisor and 6 supported-person interviews. Showing
    # the first and last beside the total of 17 would give the supervisors' mean away.
    row = [
        shown[f"cell:relationships/all/{key}"]
        for key in ("peer_worker", "supervisor", "supported_person")
    ]
    assert row[1] == "Hidden: fewer than 6 interviews"
    assert sum("Hidden" in cell for cell in row) >= 2
    assert "cannot be worked out" in " ".join(row)
    assert count_of(shown["cell:relationships/all/all"]) == 17


def test_a_viewer_sees_no_peer_worker(scored: Scored) -> None:
    team = scored.team
    page = text(team.client_for(team.viewer).get(_url(team, team.service_a.pk)).content.decode())
    assert "PW-" not in page


def test_peer_workers_are_listed_by_code_with_no_scores(scored: Scored) -> None:
    team = scored.team
    page = team.client_for(team.lead).get(_url(team, team.service_a.pk)).content.decode()
    links = re.findall(r'<a href="[^"]*/peer-workers/\d+/">Peer worker ([^<]+)</a>', page)
    assert links == sorted(links, key=natural_key)
    assert len(links) == 3
    for code in links:
        assert not re.search(rf"{re.escape(code)}</a>[^<]*\d\.\d", page)


def test_a_coordinator_is_refused_another_services_results(scored: Scored) -> None:
    team = scored.team
    client = team.client_for(team.coordinator)
    assert client.get(_url(team, team.service_a.pk)).status_code == 200
    assert client.get(_url(team, team.service_b.pk)).status_code == 403


def test_a_service_of_another_evaluation_does_not_exist_here(team: Team) -> None:
    other = team.other_worker.service
    assert team.client_for(team.lead).get(_url(team, other.pk)).status_code == 404


def test_an_outsider_is_told_the_evaluation_does_not_exist(team: Team) -> None:
    assert team.client_for(team.outsider).get(_url(team, team.service_a.pk)).status_code == 404


def test_a_service_without_final_interviews_says_so(team: Team) -> None:
    response = team.client_for(team.lead).get(_url(team, team.service_b.pk))
    assert response.status_code == 200
    assert "No interview in this service is final yet" in response.content.decode()
