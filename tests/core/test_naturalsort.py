"""Codes sort the way people read them."""

from __future__ import annotations

import pytest

from peerprinciples.core.naturalsort import natural_key


def test_numbers_inside_codes_sort_by_value() -> None:
    codes = ["S10", "S2", "S100", "S1", "S21"]
    assert sorted(codes, key=natural_key) == ["S1", "S2", "S10", "S21", "S100"]


def test_letters_ignore_case_and_ties_fall_back_on_the_text() -> None:
    assert sorted(["b2", "A10", "a2", "B1"], key=natural_key) == ["a2", "A10", "B1", "b2"]
    assert sorted(["S2", "S02"], key=natural_key) == sorted(["S02", "S2"], key=natural_key)


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [("PW-9", "PW-10"), ("S2-b", "S10-a"), ("", "A"), ("round 2", "round 12"), ("7", "A")],
)
def test_pairs_compare_as_a_reader_expects(smaller: str, larger: str) -> None:
    assert natural_key(smaller) < natural_key(larger)


def test_non_text_values_sort_by_their_text() -> None:
    assert sorted([10, 9, "8"], key=natural_key) == ["8", 9, 10]
