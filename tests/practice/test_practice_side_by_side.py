"""Two programmes side by side: shared principles and areas only, never ranked."""

from __future__ import annotations

import dataclasses

from tests.practice.practice_data import AREAS, cell, framework, matrix

from peerprinciples.core.practice.matrix import Area, Level, Status
from peerprinciples.core.practice.side_by_side import Side, side_by_side

ADAPTED = framework(
    key="ours",
    extends="small@1",
    principles=[
        {"key": "trust", "title": "Trust, our way", "definition": "Reworded."},
        {"key": "faith", "title": "Faith and community", "definition": "Ours."},
    ],
)


def test_shared_principles_and_areas_are_lined_up_in_the_first_programmes_order() -> None:
    a = matrix(
        cell("notes", "trust", Status.PARTLY, text="Some notes shared."),
        cell("pay", "trust", Status.IN_PLACE, text="Title agreed.", holder="Peer lead"),
    )
    b_areas = [
        Area(key="pay", title="Pay, grade and badge", level=Level.ORGANISATION),
        Area(key="notes", title="Notes", level=Level.INDIVIDUAL),
        Area(key="drop-in", title="Drop-in", level=Level.TEAM),
    ]
    b = matrix(
        cell("notes", "trust", Status.NOT_YET, why="Not started."),
        programme="Hillside",
        areas=b_areas,
    )
    result = side_by_side(a, framework(), b, ADAPTED)
    assert (result.programme_a, result.programme_b) == ("Riverside", "Hillside")
    assert (result.framework_a, result.framework_b) == ("small@1", "ours@1")
    assert [(x.key, x.title_a, x.title_b) for x in result.areas] == [
        ("notes", "Notes and records", "Notes"),
        ("pay", "Pay and title", "Pay, grade and badge"),
    ]
    assert (result.areas[0].level_a, result.areas[0].level_b) == (Level.TEAM, Level.INDIVIDUAL)
    assert [(r.key, r.title_a, r.title_b) for r in result.rows] == [
        ("trust", "Trust first", "Trust, our way"),
        ("variety", "Variety of experience", "Variety of experience"),
    ]
    notes, pay = result.rows[0].cells
    assert notes.area == "notes"
    assert notes.a == Side(Status.PARTLY, "Some notes shared.")
    assert notes.b == Side(Status.NOT_YET, why="Not started.")
    assert (notes.a.status_label, notes.b.status_label) == ("Partly in place", "Not yet")
    assert pay.a.holder == "Peer lead"
    assert pay.b == Side()
    assert pay.b.status_label == "Not looked at yet"
    assert result.shares_anything


def test_what_only_one_programme_has_is_listed_by_title_and_not_compared() -> None:
    b = matrix(
        programme="Hillside",
        areas=[*AREAS[:2], Area(key="drop-in", title="Drop-in", level=Level.TEAM)],
    )
    result = side_by_side(matrix(), framework(), b, ADAPTED)
    assert result.only_a_principles == ["Sharing both ways"]
    assert result.only_b_principles == ["Faith and community"]
    assert result.only_a_areas == ["Pay and title"]
    assert result.only_b_areas == ["Drop-in"]
    assert all(r.key not in ("sharing", "faith") for r in result.rows)
    assert all(c.area != "drop-in" for r in result.rows for c in r.cells)


def test_the_order_never_depends_on_status_and_there_are_no_totals() -> None:
    a = matrix(
        cell("training", "trust", Status.NOT_YET),
        cell("notes", "trust", Status.IN_PLACE, text="Yes."),
        cell("pay", "trust", Status.PARTLY),
    )
    b = matrix(cell("training", "trust", Status.IN_PLACE, text="Yes."), programme="Hillside")
    forwards = side_by_side(a, framework(), b, framework())
    assert [c.area for c in forwards.rows[0].cells] == ["training", "notes", "pay"]
    backwards = side_by_side(b, framework(), a, framework())
    assert [c.area for c in backwards.rows[0].cells] == ["training", "notes", "pay"]
    names = {f.name for f in dataclasses.fields(forwards)}
    assert not names & {"total", "totals", "score", "rank", "in_place"}


def test_programmes_that_share_no_area_have_nothing_to_read_side_by_side() -> None:
    b = matrix(programme="Hillside", areas=[Area(key="drop-in", title="Drop-in", level=Level.TEAM)])
    result = side_by_side(matrix(), framework(), b, framework())
    assert result.areas == []
    assert all(r.cells == [] for r in result.rows)
    assert not result.shares_anything
