"""Two versions of a practice matrix compared cell by cell and field by field.

A programme takes a numbered version of its matrix when it issues a handbook. Comparing two
of them (or one with the working copy) tells a team what moved on between them: which cells
were written for the first time, which were reworded or changed status, which were emptied,
and which areas and handbook sections changed. Written fields come with a word-level
difference, so a reworded sentence reads as what was taken out and what was put in, not as
two blocks of text to compare by eye.

Nothing here judges the change: a cell moving from "in place" to "partly" is a prompt for a
conversation, not a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from peerprinciples.core.coproduction.word_diff import Segment, word_diff
from peerprinciples.core.practice.matrix import Area, Cell, Matrix, Section, Status

CellKind = Literal["added", "changed", "emptied"]
AreaKind = Literal["added", "removed", "renamed", "changed"]
SectionKind = Literal["added", "removed", "changed"]

CELL_FIELDS: dict[str, str] = {
    "text": "How it shows",
    "evidence": "Examples or evidence",
    "status": "Status",
    "why": "Why",
    "holder": "Who holds it",
}
"""A cell's fields in the order they are compared, with the words a page shows for each."""

AREA_FIELDS: dict[str, str] = {"title": "Title", "description": "Description", "level": "Level"}
SECTION_FIELDS: dict[str, str] = {"title": "Title", "body": "Text", "after": "Follows"}

_WORDED = frozenset({"text", "evidence", "why", "holder", "title", "description", "body"})
"""Fields written in words, which get a word-level difference; the others are choices."""


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its value before and after, as people read them.

    ``diff`` is the word-level difference for a written field, and empty for a choice
    (status, level) where before and after say all there is.
    """

    name: str
    label: str
    before: str
    after: str
    diff: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class CellChange:
    """What happened to one cell between the two versions."""

    kind: CellKind
    area: str
    principle: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class AreaChange:
    """An area (a column of the matrix) added, removed, renamed or otherwise changed."""

    kind: AreaKind
    key: str
    title: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class SectionChange:
    """One of the programme's own handbook sections added, removed or changed."""

    kind: SectionKind
    key: str
    title: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """Everything that differs between two versions of a matrix."""

    old: Matrix
    new: Matrix
    cells: list[CellChange] = field(default_factory=list)
    areas: list[AreaChange] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)

    @property
    def framework_changed(self) -> bool:
        """Whether the two versions follow different framework versions."""
        return self.old.framework != self.new.framework

    @property
    def empty(self) -> bool:
        """Whether nothing differs at all."""
        return not (self.cells or self.areas or self.sections or self.framework_changed)


def _shown(name: str, value: object) -> str:
    """A field's value as a page shows it: a status by its label, nothing as an empty text."""
    if value is None:
        return ""
    if name == "status":
        return Status(str(value)).label
    if name == "level":
        return str(getattr(value, "label", value))
    return str(value)


def _field_changes(
    old: object | None, new: object | None, fields: dict[str, str]
) -> tuple[FieldChange, ...]:
    """The fields whose value differs between ``old`` and ``new`` (either may be missing:
    every field then counts as empty on that side)."""
    found: list[FieldChange] = []
    for name, label in fields.items():
        before = _shown(name, getattr(old, name)) if old is not None else ""
        after = _shown(name, getattr(new, name)) if new is not None else ""
        if before == after:
            continue
        diff = tuple(word_diff(before, after)) if name in _WORDED else ()
        found.append(FieldChange(name, label, before, after, diff))
    return tuple(found)


def _area_order(old: Matrix, new: Matrix) -> list[str]:
    """The new version's areas in order, then those only the old version had."""
    order = [area.key for area in new.areas]
    order += [area.key for area in old.areas if area.key not in order]
    return order


def _principle_rank(principles: Sequence[str]) -> dict[str, int]:
    return {key: index for index, key in enumerate(principles)}


def compare_matrices(
    old: Matrix, new: Matrix, *, principles: Sequence[str] = ()
) -> list[CellChange]:
    """Every cell that differs, area by area (in the new version's order) and within an area
    principle by principle (in the order of ``principles``, the framework's order when the
    caller knows it; keys it does not name come after, alphabetically).

    A cell is *added* when the old version had nothing written in it, *emptied* when the new
    one has nothing left, and *changed* otherwise; each lists only the fields that differ.
    """
    rank = _principle_rank(principles)
    area_rank = {key: index for index, key in enumerate(_area_order(old, new))}
    before = {(cell.area, cell.principle): cell for cell in old.cells if cell.filled}
    after = {(cell.area, cell.principle): cell for cell in new.cells if cell.filled}

    def order(place: tuple[str, str]) -> tuple[int, int, str]:
        area, principle = place
        return (area_rank.get(area, len(area_rank)), rank.get(principle, len(rank)), principle)

    changes: list[CellChange] = []
    for place in sorted(before.keys() | after.keys(), key=order):
        was: Cell | None = before.get(place)
        now: Cell | None = after.get(place)
        fields = _field_changes(was, now, CELL_FIELDS)
        if not fields:
            continue
        kind: CellKind = "added" if was is None else "emptied" if now is None else "changed"
        changes.append(CellChange(kind, place[0], place[1], fields))
    return changes


def compare_areas(old: Matrix, new: Matrix) -> list[AreaChange]:
    """Areas added, removed, renamed (a new title, perhaps with other changes) or changed
    (same title, another description or level), in the new version's order."""
    before: dict[str, Area] = {area.key: area for area in old.areas}
    after: dict[str, Area] = {area.key: area for area in new.areas}
    changes: list[AreaChange] = []
    for key in _area_order(old, new):
        was, now = before.get(key), after.get(key)
        if was is None and now is not None:
            changes.append(AreaChange("added", key, now.title))
        elif now is None and was is not None:
            changes.append(AreaChange("removed", key, was.title))
        elif was is not None and now is not None:
            fields = _field_changes(was, now, AREA_FIELDS)
            if fields:
                kind: AreaKind = "renamed" if was.title != now.title else "changed"
                changes.append(AreaChange(kind, key, now.title, fields))
    return changes


def compare_sections(old: Matrix, new: Matrix) -> list[SectionChange]:
    """The programme's own handbook sections added, removed or changed, in the new
    version's order (removed ones last)."""
    before: dict[str, Section] = {section.key: section for section in old.sections}
    after: dict[str, Section] = {section.key: section for section in new.sections}
    order = list(after) + [key for key in before if key not in after]
    changes: list[SectionChange] = []
    for key in order:
        was, now = before.get(key), after.get(key)
        if was is None and now is not None:
            fields = _field_changes(None, now, SECTION_FIELDS)
            changes.append(SectionChange("added", key, now.title, fields))
        elif now is None and was is not None:
            fields = _field_changes(was, None, SECTION_FIELDS)
            changes.append(SectionChange("removed", key, was.title, fields))
        elif was is not None and now is not None:
            fields = _field_changes(was, now, SECTION_FIELDS)
            if fields:
                changes.append(SectionChange("changed", key, now.title, fields))
    return changes


def compare(old: Matrix, new: Matrix, *, principles: Sequence[str] = ()) -> Comparison:
    """Cells, areas and sections compared in one go (see the functions above)."""
    return Comparison(
        old=old,
        new=new,
        cells=compare_matrices(old, new, principles=principles),
        areas=compare_areas(old, new),
        sections=compare_sections(old, new),
    )
