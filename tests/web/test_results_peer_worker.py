"""One peer worker's results: feedback for their reflection, for those who may see people."""

from __future__ import annotations

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


def _url(team: Team, worker_id: int) -> str:
    return reverse("results:peer_worker", args=[team.evaluation.pk, worker_id])


def test_every_mean_and_count_comes_from_interviews_about_this_peer_worker(
    scored: Scored,
) -> None:
    team = scored.team
    shown = cells(team.client_for(team.lead).get(_url(team, team.worker_a.pk)).content.decode())
    frame = scored.scores()
    mine = frame[frame["peer_worker"] == team.worker_a.code]
    measures = [d.key for d in team.instrument.domains] + ["total"]
    expected = expected_cells(mine, measures)
    assert expected["cell:total/all/all"][1] == 6
    for mark, (mean, n) in expected.items():
        assert mean_of(shown[mark]) == pytest.approx(mean, abs=0.005), mark
        assert count_of(shown[mark]) == n, mark


def test_the_page_is_framed_as_feedback_not_a_judgement(scored: Scored) -> None:
    team = scored.team
    page = text(team.client_for(team.lead).get(_url(team, team.worker_a.pk)).content.decode())
    assert f"Feedback for peer worker {team.worker_a.code}" in page
    assert "not a judgement" in page
    assert "should not be compared with other peer workers" in page


def test_a_viewer_is_refused(scored: Scored) -> None:
    team = scored.team
    assert team.client_for(team.viewer).get(_url(team, team.worker_a.pk)).status_code == 403


@pytest.mark.parametrize("person", ["coordinator", "rater"])
def test_a_coordinator_or_rater_sees_their_services_peer_workers_only(
    scored: Scored, person: str
) -> None:
    team = scored.team
    client = team.client_for(getattr(team, person))
    assert client.get(_url(team, team.worker_a.pk)).status_code == 200
    assert client.get(_url(team, team.worker_b.pk)).status_code == 403


def test_a_peer_worker_of_another_evaluation_does_not_exist_here(team: Team) -> None:
    assert team.client_for(team.lead).get(_url(team, team.other_worker.pk)).status_code == 404


def test_an_outsider_is_told_the_evaluation_does_not_exist(team: Team) -> None:
    assert team.client_for(team.outsider).get(_url(team, team.worker_a.pk)).status_code == 404
