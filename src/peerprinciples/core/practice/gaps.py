"""Gaps at a glance: where a programme's matrix still has room to grow.

:func:`find_gaps` reads a matrix against the framework version it follows and lists, for each
principle (and cross-cutting theme) and for each area, what is not yet in place, what has
nothing written, the areas no principle reaches yet and the principles that reach no area,
"not relevant" decisions that give no reason, and cells whose principle the framework no
longer has (kept and shown apart, so nothing written is lost).

Everything here is a prompt for the team's learning. Nothing is counted up into a score,
and nothing is ranked: a gap is a question to talk about, not a mark against anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.practice.matrix import Cell, Level, Matrix, Status

NOT_IN_PLACE = (Status.NOT_YET, Status.PARTLY)
"""The statuses of a cell that is not yet (fully) in place."""


@dataclass(frozen=True)
class GapCell:
    """One cell that a gap points at, with the titles to show it by."""

    area: str
    area_title: str
    principle: str
    principle_title: str
    status: Status | None
    text: str = ""

    @property
    def status_label(self) -> str:
        """The status in words; a cell without one has not been looked at yet."""
        return self.status.label if self.status else "Not looked at yet"


@dataclass(frozen=True)
class PrincipleRow:
    """What the matrix's row for one principle (or theme) invites the team to look at."""

    key: str
    title: str
    theme: bool
    not_in_place: list[GapCell] = field(default_factory=list)
    nothing_written: list[GapCell] = field(default_factory=list)
    without_reason: list[GapCell] = field(default_factory=list)
    reaches_no_area: bool = False

    @property
    def prompt(self) -> str:
        """A question to start from, for this row."""
        if self.reaches_no_area:
            return (
                f"“{self.title}” does not show in any area yet: where could the team "
                "start to put it into practice?"
            )
        if self.not_in_place:
            return (
                f"Where is “{self.title}” only partly there or not there yet, and what "
                "would help it grow?"
            )
        if self.nothing_written:
            return f"In which other areas could “{self.title}” show, and how?"
        return f"What keeps “{self.title}” in place, and how will the team know if it slips?"


@dataclass(frozen=True)
class AreaColumn:
    """What one area of the matrix invites the team to look at."""

    key: str
    title: str
    level: Level
    reached: bool
    not_in_place: list[GapCell] = field(default_factory=list)
    nothing_written: list[GapCell] = field(default_factory=list)

    @property
    def prompt(self) -> str:
        """A question to start from, for this area."""
        if not self.reached:
            return f"No principle shows in “{self.title}” yet: which one could shape it first?"
        if self.not_in_place:
            return f"What would help the principles take hold in “{self.title}”?"
        return f"Which principles could “{self.title}” still make room for?"


@dataclass(frozen=True)
class SetApart:
    """A cell kept from the matrix that the framework or the areas no longer have a place
    for: its principle is not in the framework version, or its area is not in the matrix."""

    cell: Cell
    reason: str


@dataclass(frozen=True)
class Gaps:
    """Every gap in a matrix: by principle (framework order) and by area (matrix order)."""

    framework: str
    rows: list[PrincipleRow]
    areas: list[AreaColumn]
    set_apart: list[SetApart] = field(default_factory=list)

    @property
    def unreached_areas(self) -> list[AreaColumn]:
        """The areas no principle reaches yet."""
        return [area for area in self.areas if not area.reached]

    @property
    def principles_reaching_no_area(self) -> list[PrincipleRow]:
        """The principles and themes with no practice in any area yet."""
        return [row for row in self.rows if row.reaches_no_area]

    @property
    def not_in_place(self) -> list[GapCell]:
        """Every cell not yet (fully) in place, row by row."""
        return [cell for row in self.rows for cell in row.not_in_place]

    @property
    def without_reason(self) -> list[GapCell]:
        """Every cell marked "not relevant here" that does not say why."""
        return [cell for row in self.rows for cell in row.without_reason]

    @property
    def nothing_to_look_at(self) -> bool:
        """Whether the matrix has no gap of any kind (every cell written and in place)."""
        return not (
            self.not_in_place
            or self.without_reason
            or self.set_apart
            or any(row.nothing_written or row.reaches_no_area for row in self.rows)
            or self.unreached_areas
        )


def has_practice(cell: Cell | None) -> bool:
    """Whether a cell shows the principle in its area: something is written or decided in
    it and it is neither marked "not yet" nor "not relevant here"."""
    return (
        cell is not None
        and cell.filled
        and cell.status not in (Status.NOT_YET, Status.NOT_RELEVANT)
    )


def _nothing_written(cell: Cell | None) -> bool:
    """Whether a cell still needs words: it says nothing of how the principle shows (a
    cell marked "not relevant here" needs none)."""
    if cell is None:
        return True
    return cell.status is not Status.NOT_RELEVANT and not (cell.text or cell.evidence)


def find_gaps(matrix: Matrix, framework: Framework) -> Gaps:
    """The gaps in ``matrix`` read against ``framework`` (the version it follows, or a newer
    one it is being carried over to)."""
    titles = framework.titles()
    theme_keys = {t.key for t in framework.themes}
    area_keys = {a.key for a in matrix.areas}
    by_place = {(c.area, c.principle): c for c in matrix.cells}
    gap_cells: dict[tuple[str, str], GapCell] = {}
    for area in matrix.areas:
        for key, title in titles.items():
            cell = by_place.get((area.key, key))
            gap_cells[(area.key, key)] = GapCell(
                area.key,
                area.title,
                key,
                title,
                cell.status if cell else None,
                cell.text if cell else "",
            )

    rows = []
    for key, title in titles.items():
        cells = [(by_place.get((a.key, key)), gap_cells[(a.key, key)]) for a in matrix.areas]
        rows.append(
            PrincipleRow(
                key,
                title,
                key in theme_keys,
                not_in_place=[g for c, g in cells if c is not None and c.status in NOT_IN_PLACE],
                nothing_written=[g for c, g in cells if _nothing_written(c)],
                without_reason=[
                    g
                    for c, g in cells
                    if c is not None and c.status is Status.NOT_RELEVANT and not c.why
                ],
                reaches_no_area=not any(has_practice(c) for c, _ in cells),
            )
        )

    columns = []
    for area in matrix.areas:
        cells = [(by_place.get((area.key, key)), gap_cells[(area.key, key)]) for key in titles]
        columns.append(
            AreaColumn(
                area.key,
                area.title,
                area.level,
                reached=any(has_practice(c) for c, _ in cells),
                not_in_place=[g for c, g in cells if c is not None and c.status in NOT_IN_PLACE],
                nothing_written=[g for c, g in cells if _nothing_written(c)],
            )
        )

    set_apart = []
    for cell in matrix.cells:
        if cell.principle not in titles:
            set_apart.append(
                SetApart(
                    cell,
                    f"{framework.ref} has no principle '{cell.principle}' (it may have been "
                    "renamed or removed): what was written is kept here to carry over.",
                )
            )
        elif cell.area not in area_keys:
            set_apart.append(
                SetApart(
                    cell,
                    f"the matrix has no area '{cell.area}' any more: what was written is kept "
                    "here to carry over.",
                )
            )
    return Gaps(framework.ref, rows, columns, set_apart)
