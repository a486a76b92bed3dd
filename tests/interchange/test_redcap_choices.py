"""REDCap: one field's choices as the points of a scale and special codes."""

from __future__ import annotations

import pytest

from peerprinciples.core.interchange.redcap.choices import (
    GAP_LABEL,
    Choices,
    classify,
    code_key,
    split_choices,
)


def _classify(text: str, known: dict[int, str] | None = None) -> Choices | str:
    pairs = split_choices(text)
    assert not isinstance(pairs, str), pairs
    return classify(pairs, known or {})


def test_codes_at_the_edge_are_recognised_by_their_labels() -> None:
    got = _classify("1, Never | 2, Sometimes | 3, Often | 7, Refused | 8, Don't know")

    assert isinstance(got, Choices)
    assert list(got.points) == [1, 2, 3]
    assert got.codes == {7: "Refused", 8: "Don't know"}
    assert got.gaps == ()


def test_a_special_label_inside_the_run_stays_a_point_so_no_code_falls_inside_a_scale() -> None:
    got = _classify("1, Never | 2, Not applicable | 3, Sometimes | 4, Always")

    assert isinstance(got, Choices)
    assert got.codes == {}
    assert got.points[2] == "Not applicable"


def test_a_gap_is_filled_with_a_point_that_says_redcap_does_not_offer_it() -> None:
    got = _classify("0, Not at all | 1, A little | 2, Moderately | 3, Severely | 5, Extremely")

    assert isinstance(got, Choices)
    assert got.points == {
        0: "Not at all",
        1: "A little",
        2: "Moderately",
        3: "Severely",
        4: GAP_LABEL,
        5: "Extremely",
    }
    assert got.gaps == (4,)


def test_uncertain_is_a_point_in_the_middle_and_a_code_at_the_edge() -> None:
    middle = _classify("1, Disagree | 2, Uncertain | 3, Agree")
    edge = _classify("1, Yes | 2, No | 3, Uncertain")

    assert isinstance(middle, Choices)
    assert isinstance(edge, Choices)
    assert (list(middle.points), middle.codes) == ([1, 2, 3], {})
    assert (list(edge.points), edge.codes) == ([1, 2], {3: "Uncertain"})


@pytest.mark.parametrize(
    ("text", "points", "codes"),
    [
        (
            "-2, Much worse | -1, Worse | 0, Same | 1, Better | 2, Much better",
            [-2, -1, 0, 1, 2],
            {},
        ),
        ("-8, Skip | 1, Low | 2, Middle | 3, High", [1, 2, 3], {-8: "Skip"}),
        ("-1, Not yet | 0, No | 1, Yes", [-1, 0, 1], {}),
    ],
)
def test_a_negative_number_is_a_code_only_when_set_apart_from_the_points(
    text: str, points: list[int], codes: dict[int, str]
) -> None:
    got = _classify(text)

    assert isinstance(got, Choices)
    assert (list(got.points), got.codes) == (points, codes)


def test_long_answers_that_mention_unknown_are_points_not_codes() -> None:
    got = _classify(
        "1, The person was told about peer support | "
        "2, The person had not been told and the reasons were unknown to staff | 3, Other"
    )

    assert isinstance(got, Choices)
    assert got.codes == {}


def test_numbers_the_dictionary_declares_are_codes_whatever_their_label() -> None:
    got = _classify("1, Low | 2, High | 5, Something else", {5: "X"})

    assert isinstance(got, Choices)
    assert got.codes == {5: "Something else"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1, A | 2, B | 3, C | 4, D | 88, Other", "leave 83 numbers between 1 and 88 unused"),
        ("1, Yes | 1, No", "the choice number 1 is given twice"),
        ("a, Yes | b, No", "the choice code 'a' is not a whole number"),
        ("1, Yes | 9, Unknown", "fewer than two points"),
    ],
)
def test_choices_that_cannot_be_a_scale_say_why(text: str, reason: str) -> None:
    got = _classify(text)

    assert isinstance(got, str)
    assert reason in got


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Not applicable", "NA"),
        ("N/A", "NA"),
        ("Don't know", "DK"),
        ("Unsure", "DK"),
        ("Refused", "REF"),
        ("Prefer not to say", "REF"),
        ("Unknown / Not reported", "UNK"),
        ("Unkown", "UNK"),
        ("Not reported", "NR"),
        ("Not done", "ND"),
        ("Not asked", "MISS"),
        ("Insufficient information", "II"),
    ],
)
def test_a_code_is_named_by_what_its_label_means(label: str, key: str) -> None:
    assert code_key(label, ()) == key


def test_a_taken_code_key_gets_a_number() -> None:
    assert code_key("Declined", ["REF", "REF_2"]) == "REF_3"
