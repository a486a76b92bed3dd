"""Two versions of a practice matrix compared cell by cell, area by area, section by section."""

from __future__ import annotations

from peerprinciples.core.coproduction.word_diff import new_text, old_text
from peerprinciples.core.practice.matrix import Area, Cell, Level, Matrix, Section, Status
from peerprinciples.core.practice.versions import (
    compare,
    compare_areas,
    compare_matrices,
    compare_sections,
)

ORDER = ["relationships", "mutuality", "experiential-knowledge"]


def _matrix(cells: list[Cell], *, areas: list[Area] | None = None, **more: object) -> Matrix:
    return Matrix.model_validate(
        {
            "programme": "Community teams",
            "framework": "enrich@2017",
            "areas": areas
            or [
                Area(key="recruitment", title="Recruitment", level=Level.ORGANISATION),
                Area(key="supervision", title="Supervision", level=Level.INDIVIDUAL),
            ],
            "cells": cells,
            **more,
        }
    )


def test_a_cell_written_for_the_first_time_is_added_with_every_field_it_has() -> None:
    new = Cell(area="supervision", principle="mutuality", text="Both learn.", status="partly")
    [change] = compare_matrices(_matrix([]), _matrix([new]))
    assert (change.kind, change.area, change.principle) == ("added", "supervision", "mutuality")
    assert [(f.name, f.before, f.after) for f in change.fields] == [
        ("text", "", "Both learn."),
        ("status", "", "Partly in place"),
    ]


def test_a_reworded_cell_lists_only_what_changed_with_a_word_difference() -> None:
    old = Cell(area="supervision", principle="mutuality", text="Peers share power.", holder="Lead")
    new = old.model_copy(update={"text": "Peers share some power.", "status": Status.IN_PLACE})
    [change] = compare_matrices(_matrix([old]), _matrix([new]))
    assert change.kind == "changed"
    text, status = change.fields
    assert (text.name, status.name) == ("text", "status")
    assert old_text(list(text.diff)) == "Peers share power."
    assert new_text(list(text.diff)) == "Peers share some power."
    assert [s.text for s in text.diff if s.kind == "added"] == ["some "]
    assert status.diff == ()
    assert status.after == "In place"


def test_an_emptied_cell_shows_what_it_said() -> None:
    old = Cell(area="recruitment", principle="relationships", evidence="Interview notes")
    [change] = compare_matrices(_matrix([old]), _matrix([]))
    assert change.kind == "emptied"
    assert [(f.label, f.before, f.after) for f in change.fields] == [
        ("Examples or evidence", "Interview notes", "")
    ]


def test_an_unchanged_or_never_filled_cell_is_not_listed() -> None:
    same = Cell(area="recruitment", principle="relationships", text="The same")
    blank = Cell(area="supervision", principle="mutuality")
    assert compare_matrices(_matrix([same, blank]), _matrix([same])) == []


def test_changes_come_area_by_area_then_in_the_framework_order() -> None:
    cells = [
        Cell(area=area, principle=principle, text="x")
        for area in ("supervision", "recruitment")
        for principle in ("experiential-knowledge", "relationships", "mutuality", "zzz-local")
    ]
    changes = compare_matrices(_matrix([]), _matrix(cells), principles=ORDER)
    assert [(c.area, c.principle) for c in changes] == [
        ("recruitment", "relationships"),
        ("recruitment", "mutuality"),
        ("recruitment", "experiential-knowledge"),
        ("recruitment", "zzz-local"),
        ("supervision", "relationships"),
        ("supervision", "mutuality"),
        ("supervision", "experiential-knowledge"),
        ("supervision", "zzz-local"),
    ]


def test_areas_added_removed_renamed_and_changed() -> None:
    old = _matrix(
        [],
        areas=[
            Area(key="recruitment", title="Recruitment", level=Level.ORGANISATION),
            Area(key="supervision", title="Supervision", level=Level.INDIVIDUAL),
            Area(key="notes", title="Records", level=Level.TEAM, built_in=False),
        ],
    )
    new = _matrix(
        [],
        areas=[
            Area(key="recruitment", title="Recruiting peer workers", level=Level.ORGANISATION),
            Area(key="supervision", title="Supervision", level=Level.TEAM),
            Area(key="meetings", title="Team meetings", level=Level.TEAM, built_in=False),
        ],
    )
    changes = compare_areas(old, new)
    assert [(c.kind, c.key) for c in changes] == [
        ("renamed", "recruitment"),
        ("changed", "supervision"),
        ("added", "meetings"),
        ("removed", "notes"),
    ]
    assert [(f.before, f.after) for f in changes[1].fields] == [("Individual", "Team")]


def test_sections_added_removed_and_changed() -> None:
    old = _matrix(
        [],
        sections=[
            Section(key="contacts", title="Who to contact", body="The office."),
            Section(key="old", title="Old notes"),
        ],
    )
    new = _matrix(
        [],
        sections=[
            Section(key="contacts", title="Who to contact", body="The team office."),
            Section(key="travel", title="Travel", body="Claim it back."),
        ],
    )
    changes = compare_sections(old, new)
    assert [(c.kind, c.key) for c in changes] == [
        ("changed", "contacts"),
        ("added", "travel"),
        ("removed", "old"),
    ]
    assert [f.name for f in changes[0].fields] == ["body"]


def test_the_whole_comparison_says_when_nothing_differs_and_when_the_framework_moved() -> None:
    cell = Cell(area="supervision", principle="mutuality", text="Both learn.")
    assert compare(_matrix([cell]), _matrix([cell])).empty
    moved = _matrix([cell]).model_copy(update={"framework": "enrich@2026"})
    comparison = compare(_matrix([cell]), moved)
    assert comparison.framework_changed
    assert not comparison.empty
    assert comparison.cells == []
