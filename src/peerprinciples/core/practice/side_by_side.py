"""Two programmes' matrices side by side, on what they share, never ranked.

Two programmes can learn from each other by reading how the same principle shows in the
same area in both places. :func:`side_by_side` lines their cells up on the principles
(and themes) and the areas both have, matched by key: a local adaptation keeps its base's
principle keys, so a programme on an adaptation can be read beside one on the base. What
only one of them has is listed by title and not compared.

Nothing here is a measure: there are no totals, and the order is the frameworks' and the
matrices' own order, never an order by status.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.practice.matrix import Cell, Level, Matrix, Status


@dataclass(frozen=True)
class Side:
    """One programme's cell, as it reads in the comparison."""

    status: Status | None = None
    text: str = ""
    evidence: str = ""
    why: str = ""
    holder: str = ""

    @property
    def status_label(self) -> str:
        """The status in words; a cell without one has not been looked at yet."""
        return self.status.label if self.status else "Not looked at yet"

    @classmethod
    def of(cls, cell: Cell | None) -> Side:
        if cell is None:
            return cls()
        return cls(cell.status, cell.text, cell.evidence, cell.why, cell.holder)


@dataclass(frozen=True)
class SharedArea:
    """An area both matrices have; each may call it by its own title."""

    key: str
    title_a: str
    title_b: str
    level_a: Level
    level_b: Level


@dataclass(frozen=True)
class SharedCell:
    """The same principle in the same area, in each programme."""

    area: str
    a: Side
    b: Side


@dataclass(frozen=True)
class SharedRow:
    """A principle (or theme) both frameworks have, with its cells in the shared areas."""

    key: str
    title_a: str
    title_b: str
    cells: list[SharedCell]


@dataclass(frozen=True)
class SideBySide:
    """Two matrices read side by side: what both have, and what only one has."""

    programme_a: str
    programme_b: str
    framework_a: str
    framework_b: str
    areas: list[SharedArea]
    rows: list[SharedRow]
    only_a_principles: list[str] = field(default_factory=list)
    only_b_principles: list[str] = field(default_factory=list)
    only_a_areas: list[str] = field(default_factory=list)
    only_b_areas: list[str] = field(default_factory=list)

    @property
    def shares_anything(self) -> bool:
        """Whether there is at least one cell to read side by side."""
        return bool(self.areas and self.rows)


def side_by_side(a: Matrix, fa: Framework, b: Matrix, fb: Framework) -> SideBySide:
    """Programme ``a`` (following ``fa``) beside programme ``b`` (following ``fb``).

    Principles are in ``fa``'s order and areas in ``a``'s order; what only one programme has
    is listed by title in its own order.
    """
    titles_a, titles_b = fa.titles(), fb.titles()
    areas_b = {area.key: area for area in b.areas}
    keys_a = {area.key for area in a.areas}
    areas = [
        SharedArea(
            area.key, area.title, areas_b[area.key].title, area.level, areas_b[area.key].level
        )
        for area in a.areas
        if area.key in areas_b
    ]
    cells_a = {(c.area, c.principle): c for c in a.cells}
    cells_b = {(c.area, c.principle): c for c in b.cells}
    rows = [
        SharedRow(
            key,
            title,
            titles_b[key],
            [
                SharedCell(
                    area.key,
                    Side.of(cells_a.get((area.key, key))),
                    Side.of(cells_b.get((area.key, key))),
                )
                for area in areas
            ],
        )
        for key, title in titles_a.items()
        if key in titles_b
    ]
    return SideBySide(
        a.programme,
        b.programme,
        fa.ref,
        fb.ref,
        areas,
        rows,
        only_a_principles=[t for k, t in titles_a.items() if k not in titles_b],
        only_b_principles=[t for k, t in titles_b.items() if k not in titles_a],
        only_a_areas=[area.title for area in a.areas if area.key not in areas_b],
        only_b_areas=[area.title for area in b.areas if area.key not in keys_a],
    )
