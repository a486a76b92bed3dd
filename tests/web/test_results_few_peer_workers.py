"""A group of interviews about a single peer worker is hidden from readers of aggregates.

However many interviews it holds, a summary about fewer peer workers than
``PEERPRINCIPLES_SMALL_NUMBER_PEER_WORKERS`` (2 by default) describes one person's work, so
viewers never see it, nor any number it could be worked out from.

Here service A has three peer workers and service B one, each interviewed in two rounds as
themselves, through their supervisor and through three people they support: B's rounds hold
five interviews each, all about the same person.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.results_fixtures import add_final_interviews, cells, count_of
from tests.web.settings_process import read_settings

from peerprinciples.core.demo_data import demo_ratings
from peerprinciples.web.evaluations.models import PeerWorker, Round
from peerprinciples.web.results.services import (
    AXES,
    FEW_WORKERS,
    LINKED,
    Key,
    peer_worker_counts,
    score_frame,
    suppress,
)

pytestmark = pytest.mark.django_db

FEW_TEXT = "about fewer than 2 peer workers"


@pytest.fixture
def one_worker_in_b(team: Team) -> Team:
    frame = demo_ratings(
        team.instrument,
        seed=11,
        services=2,
        rounds=2,
        peer_workers=3,
        supported_people=3,
        double_rated=0.0,
        raters=1,
    )
    kept_in_b = sorted(frame.loc[frame["service"] == "S02", "peer_worker"].unique())[0]
    frame = frame[(frame["service"] == "S01") | (frame["peer_worker"] == kept_in_b)]
    services = {"S01": team.service_a, "S02": team.service_b}
    second = Round.objects.create(evaluation=team.evaluation, number=2, label="Follow-up")
    workers: dict[str, PeerWorker] = {kept_in_b: team.worker_b}
    for code in sorted(frame.loc[frame["service"] == "S01", "peer_worker"].unique()):
        workers[code] = PeerWorker.objects.create(
            evaluation=team.evaluation, service=team.service_a, code=f"A-{code}"
        )
    add_final_interviews(team, frame, services, {1: team.round, 2: second}, workers)
    return team


def _cells(team: Team, user: Any, name: str, *args: Any) -> dict[str, str]:
    response = team.client_for(user).get(reverse(name, args=[team.evaluation.pk, *args]))
    assert response.status_code == 200
    return {k: v for k, v in cells(response.content.decode()).items() if k.startswith("cell:")}


def test_a_viewer_sees_nothing_of_a_service_with_one_peer_worker(one_worker_in_b: Team) -> None:
    team = one_worker_in_b
    for_viewer = _cells(team, team.viewer, "results:report", team.service_b.pk)
    for_lead = _cells(team, team.lead, "results:report", team.service_b.pk)
    assert for_viewer
    assert set(for_viewer) == set(for_lead)
    assert all("Hidden" in text for text in for_viewer.values())
    # Groups big enough by the number of interviews say the real reason.
    big = [k for k, text in for_lead.items() if "Hidden" not in text and count_of(text) >= 5]
    assert big
    assert all(FEW_TEXT in for_viewer[k] for k in big)
    assert all("Hidden" not in text for text in for_lead.values())


def test_it_cannot_be_worked_out_from_the_evaluation_less_the_other_service(
    one_worker_in_b: Team,
) -> None:
    team = one_worker_in_b
    whole = _cells(team, team.viewer, "results:overview")
    in_a = _cells(team, team.viewer, "results:report", team.service_a.pk)
    in_b = _cells(team, team.viewer, "results:report", team.service_b.pk)
    for key in in_b:  # with two services, B = the whole evaluation less A
        assert "Hidden" in whole.get(key, "Hidden") or "Hidden" in in_a.get(key, "Hidden"), key
    # With only two services, hiding B hides A's matching groups too (or B would be the
    # whole evaluation less A); the whole evaluation's numbers stay visible.
    assert any("Hidden" not in text for text in whole.values())


def test_a_coordinator_of_a_cannot_read_b_s_single_peer_worker_either(
    one_worker_in_b: Team,
) -> None:
    team = one_worker_in_b
    whole = _cells(team, team.coordinator, "results:overview")
    lead = _cells(team, team.lead, "results:overview")
    # Round totals hold five of B's interviews, all about one person: hidden from A's
    # coordinator, who could take A's own away.
    for round_ in ("1", "2"):
        key = f"cell:total/{round_}/all"
        assert "Hidden" not in lead[key]
        assert "Hidden" in whole[key]


def test_the_rule_can_be_turned_off(one_worker_in_b: Team, settings: Any) -> None:
    settings.SMALL_NUMBER_PEER_WORKERS = 1
    team = one_worker_in_b
    for_viewer = _cells(team, team.viewer, "results:report", team.service_b.pk)
    assert not [text for text in for_viewer.values() if FEW_TEXT in text]
    assert any("Hidden" not in text for text in for_viewer.values())


# --- the pieces --------------------------------------------------------------------------------


def test_peer_workers_are_counted_once_per_group_and_never_for_service_interviews() -> None:
    rows = [
        (1, 10, "self", {"d": 3.0}, 3.0, 100),
        (1, 10, "self", {"d": 4.0}, 4.0, 100),
        (1, 10, "supervisor", {"d": 2.0}, 2.0, 101),
        (1, 11, "supervisor", {"d": None}, None, 102),  # no score: not counted
        (2, 10, "self", {"d": 5.0}, 5.0, None),  # about the service as a whole
        (2, 11, "self", {"d": 1.0}, 1.0, 103),
    ]
    frame = score_frame(rows, ["d", "total"])
    counts = peer_worker_counts(frame, ["d", "total"])

    def expected(key: Key) -> int:
        # The reference: a plain set of the peer workers of every row in the group.
        people = {
            row[5]
            for row in rows
            if row[5] is not None
            and row[4] is not None
            and all(value is None or value == row[axis] for axis, value in enumerate(key))
        }
        return len(people)

    assert set(AXES) == {"service", "round", "informant"}
    assert counts["total"]
    for key, n in counts["total"].items():
        assert n == expected(key), key
    assert counts["total"][(None, None, None)] == 3
    assert counts["total"][(1, 10, "self")] == 1
    assert counts["total"].get((2, 10, "self"), 0) == 0


def test_a_group_about_too_few_peer_workers_is_hidden_with_a_neighbour() -> None:
    counts: dict[Key, int] = {
        (None, 1, "a"): 9,
        (None, 1, "b"): 8,
        (None, 1, None): 17,
        (None, None, "a"): 9,
        (None, None, "b"): 8,
        (None, None, None): 17,
    }
    hidden = suppress(counts, 5, also=[(None, 1, "a"), (None, 2, "a")])
    assert hidden[(None, 1, "a")] == FEW_WORKERS
    # Round 1's total less b would give a away, so b goes too (and then the totals hold).
    assert hidden[(None, 1, "b")] == LINKED
    assert (None, 2, "a") not in hidden  # it holds no interviews
    assert (None, None, None) not in hidden


def test_frame_keeps_the_peer_worker_of_every_interview() -> None:
    frame = score_frame([(1, 10, "self", {"d": 3.0}, 3.0, None)], ["d", "total"])
    assert list(frame.columns) == ["service", "round", "informant", "d", "total", "peer_worker"]
    assert pd.isna(frame["peer_worker"].iloc[0])


@pytest.mark.parametrize(
    "name", ["PEERPRINCIPLES_SMALL_NUMBER_PEER_WORKERS", "PEERPRINCIPLES_SMALL_NUMBER_THRESHOLD"]
)
def test_a_minimum_below_one_is_refused_with_its_name(name: str, tmp_path: Path) -> None:
    done = read_settings("", tmp_path, **{name: "0"})
    assert done.returncode != 0
    assert f"{name}=0 must be 1 or more." in done.stderr
