"""Hiding small groups from people who see aggregates only, so none can be worked out.

The rule is a pure function of the counts: no database, no Django.
"""

from __future__ import annotations

import itertools
import random

import pytest

from peerprinciples.core.suppression import FEW_WORKERS, LINKED, SMALL, Key, few_workers, suppress


def _cube(counts: dict[tuple[str, str], int]) -> dict[Key, int]:
    """Counts of a two-way table (round × informant) with its margins, as suppress() takes."""
    cube: dict[Key, int] = {}
    for (round_, informant), n in counts.items():
        for r, i in itertools.product((round_, None), (informant, None)):
            key: Key = (None, r, i)
            cube[key] = cube.get(key, 0) + n
    return cube


def test_a_group_of_fewer_than_the_threshold_is_hidden_and_larger_ones_are_not() -> None:
    cube = _cube({("1", "a"): 3, ("1", "b"): 4, ("1", "c"): 9})
    hidden = suppress(cube, 5)
    assert hidden[(None, "1", "a")] == SMALL
    assert hidden[(None, "1", "b")] == SMALL
    assert (None, "1", "c") not in hidden
    assert (None, None, None) not in hidden


def test_a_small_group_hides_its_neighbour_in_every_direction_it_adds_up() -> None:
    cube = _cube({("1", "a"): 3, ("1", "b"): 9, ("2", "a"): 6, ("2", "b"): 7})
    hidden = suppress(cube, 5)
    # Round 1's total less b would give a away, and so would a's total less round 2.
    assert hidden[(None, "1", "a")] == SMALL
    assert hidden[(None, "1", "b")] == LINKED
    assert hidden[(None, "2", "a")] == LINKED
    assert hidden[(None, "2", "b")] == LINKED


def test_one_small_group_beside_a_shown_total_hides_another_so_it_cannot_be_subtracted() -> None:
    cube = _cube({("1", "a"): 3, ("1", "b"): 8, ("1", "c"): 9})
    hidden = suppress(cube, 5)
    assert hidden[(None, "1", "a")] == SMALL
    assert hidden[(None, "1", "b")] == LINKED  # the smaller of the two others
    assert (None, "1", "c") not in hidden
    assert (None, "1", None) not in hidden


def test_two_small_groups_that_together_reach_the_threshold_need_nothing_more() -> None:
    cube = _cube({("1", "a"): 3, ("1", "b"): 3, ("1", "c"): 9})
    hidden = suppress(cube, 5)
    in_round = {key for key in hidden if key[1] == "1" and key[2] is not None}
    assert in_round == {(None, "1", "a"), (None, "1", "b")}
    assert (None, "1", None) not in hidden


def test_two_small_groups_that_together_stay_below_the_threshold_hide_a_third() -> None:
    cube = _cube({("1", "a"): 1, ("1", "b"): 2, ("1", "c"): 9, ("1", "d"): 10})
    hidden = suppress(cube, 5)
    assert hidden[(None, "1", "c")] == LINKED
    assert (None, "1", "d") not in hidden


def test_a_total_of_fewer_than_the_threshold_is_hidden_with_every_group_in_it() -> None:
    cube = _cube({("1", "a"): 2, ("1", "b"): 2})
    assert set(suppress(cube, 5)) == set(cube)


def test_empty_groups_are_neither_hidden_nor_counted() -> None:
    cube = _cube({("1", "a"): 0, ("1", "b"): 9})
    assert suppress(cube, 5) == {}


def _rules_hold(counts: dict[Key, int], hidden: dict[Key, str], minimum: int) -> bool:
    partitions: dict[tuple[Key, int], list[Key]] = {}
    for key in counts:
        for axis, value in enumerate(key):
            if value is not None:
                margin: Key = (*key[:axis], None, *key[axis + 1 :])
                partitions.setdefault((margin, axis), []).append(key)
    for (margin, _), members in partitions.items():
        cells = [c for c in members if counts[c] > 0]
        covered = [c for c in cells if c in hidden]
        if not cells:
            continue
        if margin in hidden and not covered:
            return False
        if margin not in hidden and (
            len(covered) == 1 or (covered and sum(counts[c] for c in covered) < minimum)
        ):
            return False
    return all(key in hidden for key, n in counts.items() if 0 < n < minimum)


@pytest.mark.parametrize("seed", range(30))
def test_on_any_table_no_hidden_group_can_be_worked_out_from_one_total(seed: int) -> None:
    chance = random.Random(seed)
    services, rounds, informants = ("A", "B", "C"), ("1", "2"), ("a", "b", "c")
    counts: dict[Key, int] = {}
    for s, r, i in itertools.product(services, rounds, informants):
        n = chance.choice([0, 1, 2, 3, 4, 5, 6, 8, 12])
        for key in itertools.product((s, None), (r, None), (i, None)):
            counts[key] = counts.get(key, 0) + n
    hidden = suppress(counts, 5)
    assert _rules_hold(counts, hidden, 5)


def test_a_group_about_too_few_peer_workers_is_hidden_with_what_would_give_it_away() -> None:
    cube = _cube({("1", "a"): 9, ("1", "b"): 8, ("1", "c"): 12})
    hidden = suppress(cube, 5, also=[(None, "1", "a")])
    assert hidden[(None, "1", "a")] == FEW_WORKERS
    assert hidden[(None, "1", "b")] == LINKED  # else round 1 less b and c gives a
    assert (None, "1", "c") not in hidden


def test_a_group_named_for_another_reason_but_empty_is_not_hidden() -> None:
    cube = _cube({("1", "a"): 0, ("1", "b"): 9, ("1", "c"): 9})
    assert suppress(cube, 5, also=[(None, "1", "a")]) == {}


def test_a_hidden_margin_hides_one_of_its_groups_so_it_cannot_be_added_up() -> None:
    # Round 2 is small as a whole; its informants are each small too, so all go. Round 1's
    # groups stay, and so does every informant's total across rounds except where round 2
    # alone would show through it.
    cube = _cube({("1", "a"): 9, ("1", "b"): 9, ("2", "a"): 2, ("2", "b"): 2})
    hidden = suppress(cube, 5)
    assert hidden[(None, "2", None)] == SMALL
    assert {(None, "2", "a"), (None, "2", "b")} <= set(hidden)
    assert (None, None, None) not in hidden


def test_few_workers_names_groups_with_some_but_too_few_peer_workers() -> None:
    workers: dict[Key, int] = {(1, None, None): 1, (2, None, None): 3, (3, None, None): 0}
    assert few_workers(workers, 2) == [(1, None, None)]
    assert few_workers(workers, 4) == [(1, None, None), (2, None, None)]
    assert few_workers(workers, 4, keys=[(2, None, None)]) == [(2, None, None)]


def test_the_rule_needs_nothing_but_counts() -> None:
    from pathlib import Path

    import peerprinciples.core.suppression as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "django" not in source.lower()
