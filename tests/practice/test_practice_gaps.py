"""Gaps at a glance, on hand-built matrices: every kind of gap, and the prompts they give."""

from __future__ import annotations

import re

from tests.practice.practice_data import AREAS, cell, framework, matrix

from peerprinciples.core.practice.gaps import GapCell, find_gaps, has_practice
from peerprinciples.core.practice.matrix import Level, Status

FULL = [
    cell(area.key, key, Status.IN_PLACE, text="Shows here.")
    for area in AREAS
    for key in ("trust", "sharing", "variety")
]


def test_rows_follow_the_framework_and_areas_the_matrix() -> None:
    gaps = find_gaps(matrix(), framework())
    assert [(r.key, r.title, r.theme) for r in gaps.rows] == [
        ("trust", "Trust first", False),
        ("sharing", "Sharing both ways", False),
        ("variety", "Variety of experience", True),
    ]
    assert [(a.key, a.level) for a in gaps.areas] == [
        ("training", Level.INDIVIDUAL),
        ("notes", Level.TEAM),
        ("pay", Level.ORGANISATION),
    ]
    assert gaps.framework == "small@1"


def test_an_empty_matrix_is_all_gaps_and_nothing_else() -> None:
    gaps = find_gaps(matrix(), framework())
    assert [a.key for a in gaps.unreached_areas] == ["training", "notes", "pay"]
    assert [r.key for r in gaps.principles_reaching_no_area] == ["trust", "sharing", "variety"]
    assert all(len(r.nothing_written) == 3 for r in gaps.rows)
    assert gaps.not_in_place == []
    assert gaps.without_reason == []
    assert gaps.set_apart == []
    assert not gaps.nothing_to_look_at
    first = gaps.rows[0].nothing_written[0]
    assert first == GapCell("training", "Training", "trust", "Trust first", None, "")
    assert first.status_label == "Not looked at yet"


def test_a_full_matrix_has_nothing_to_look_at() -> None:
    gaps = find_gaps(matrix(*FULL), framework())
    assert gaps.nothing_to_look_at
    assert gaps.unreached_areas == []
    assert gaps.principles_reaching_no_area == []
    assert all(not r.nothing_written and not r.not_in_place for r in gaps.rows)
    assert all(a.reached and not a.nothing_written for a in gaps.areas)


def test_cells_partly_or_not_yet_in_place_are_listed_by_row_and_by_area() -> None:
    gaps = find_gaps(
        matrix(
            cell("notes", "trust", Status.PARTLY, text="Some notes are shared."),
            cell("pay", "trust", Status.NOT_YET),
            cell("training", "trust", Status.IN_PLACE, text="Yes."),
            cell("notes", "sharing", Status.NOT_YET, text="Planned."),
        ),
        framework(),
    )
    trust = gaps.rows[0]
    assert [(g.area, g.status) for g in trust.not_in_place] == [
        ("notes", Status.PARTLY),
        ("pay", Status.NOT_YET),
    ]
    assert trust.not_in_place[0].status_label == "Partly in place"
    assert trust.not_in_place[0].text == "Some notes are shared."
    notes = gaps.areas[1]
    assert [(g.principle, g.status) for g in notes.not_in_place] == [
        ("trust", Status.PARTLY),
        ("sharing", Status.NOT_YET),
    ]
    assert [(g.area, g.principle) for g in gaps.not_in_place] == [
        ("notes", "trust"),
        ("pay", "trust"),
        ("notes", "sharing"),
    ]


def test_a_cell_with_nothing_written_is_a_gap_unless_marked_not_relevant() -> None:
    gaps = find_gaps(
        matrix(
            cell("training", "trust", Status.IN_PLACE),
            cell("notes", "trust", Status.NOT_RELEVANT, why="No notes are kept."),
            cell("pay", "trust", evidence="The job advert."),
        ),
        framework(),
    )
    assert [g.area for g in gaps.rows[0].nothing_written] == ["training"]
    assert [g.principle for g in gaps.areas[0].nothing_written] == ["trust", "sharing", "variety"]
    assert [g.principle for g in gaps.areas[1].nothing_written] == ["sharing", "variety"]


def test_an_area_no_principle_reaches_counts_only_real_practice() -> None:
    gaps = find_gaps(
        matrix(
            cell("training", "trust", Status.NOT_YET, text="We mean to."),
            cell("training", "sharing", Status.NOT_RELEVANT, why="Not here."),
            cell("notes", "variety", holder="Team leader"),
            cell("pay", "sharing", Status.PARTLY),
        ),
        framework(),
    )
    assert [a.key for a in gaps.unreached_areas] == ["training"]
    assert [r.key for r in gaps.principles_reaching_no_area] == ["trust"]


def test_not_relevant_without_a_reason_is_listed() -> None:
    gaps = find_gaps(
        matrix(
            cell("pay", "variety", Status.NOT_RELEVANT),
            cell("notes", "variety", Status.NOT_RELEVANT, why="No notes are kept."),
        ),
        framework(),
    )
    assert [(g.area, g.principle) for g in gaps.without_reason] == [("pay", "variety")]
    assert gaps.rows[2].without_reason[0].status_label == "Not relevant here"


def test_cells_the_framework_or_the_areas_no_longer_have_are_kept_apart() -> None:
    retired = cell("notes", "old-principle", Status.IN_PLACE, text="Kept words.")
    lost = cell("gone", "trust", text="Area removed.")
    gaps = find_gaps(matrix(*FULL, retired, lost), framework())
    assert [s.cell for s in gaps.set_apart] == [retired, lost]
    assert "small@1 has no principle 'old-principle'" in gaps.set_apart[0].reason
    assert "no area 'gone'" in gaps.set_apart[1].reason
    assert all(r.key != "old-principle" for r in gaps.rows)
    assert not gaps.nothing_to_look_at


def test_a_newer_framework_that_renames_a_principle_sets_the_old_cells_apart() -> None:
    newer = framework(
        version="2",
        principles=[
            {"key": "trust", "title": "Trust first", "definition": "Trust comes first."},
            {"key": "two-way", "title": "Two-way", "definition": "Both share."},
        ],
    )
    gaps = find_gaps(matrix(cell("notes", "sharing", Status.IN_PLACE, text="Yes.")), newer)
    assert [s.cell.principle for s in gaps.set_apart] == ["sharing"]
    assert [r.key for r in gaps.rows] == ["trust", "two-way", "variety"]


def test_each_row_and_area_gives_a_prompt_for_learning_never_a_score() -> None:
    gaps = find_gaps(
        matrix(
            cell("training", "sharing", Status.PARTLY, text="Sometimes."),
            cell("training", "variety", Status.IN_PLACE, text="Yes."),
            cell("notes", "variety", Status.IN_PLACE, text="Yes."),
            cell("pay", "variety", Status.IN_PLACE, text="Yes."),
            cell("notes", "sharing", Status.IN_PLACE, text="Yes."),
        ),
        framework(),
    )
    trust, sharing, variety = gaps.rows
    assert "does not show in any area yet" in trust.prompt
    assert "only partly there or not there yet" in sharing.prompt
    assert "What keeps “Variety of experience” in place" in variety.prompt
    training, notes, pay = gaps.areas
    assert "help the principles take hold in “Training”" in training.prompt
    assert "could “Notes and records” still make room for" in notes.prompt
    assert "could “Pay and title” still make room for" in pay.prompt
    empty = find_gaps(matrix(cell("pay", "trust", Status.IN_PLACE, text="Yes.")), framework())
    assert "In which other areas could “Trust first” show" in empty.rows[0].prompt
    assert "No principle shows in “Training” yet" in empty.areas[0].prompt
    for text in [r.prompt for r in gaps.rows + empty.rows] + [
        a.prompt for a in gaps.areas + empty.areas
    ]:
        assert text.endswith("?")
        assert not re.search(r"\d|score|%|rank", text)


def test_has_practice() -> None:
    assert not has_practice(None)
    assert not has_practice(cell("pay", "trust"))
    assert not has_practice(cell("pay", "trust", Status.NOT_YET, text="Soon."))
    assert not has_practice(cell("pay", "trust", Status.NOT_RELEVANT, why="No."))
    assert has_practice(cell("pay", "trust", holder="Peer lead"))
    assert has_practice(cell("pay", "trust", Status.PARTLY))
