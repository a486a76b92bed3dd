"""The matrix as a grid: the framework's principles and themes × the programme's areas.

Read in two queries (the areas and the cells) whatever the size of the programme; the
framework's principles come from its stored document, validated once per process. A cell
whose principle the framework version no longer has is never dropped: it goes in a row of
its own, shown apart as coming from an earlier framework version, until someone decides
what to do with it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.practice.matrix import LEVEL_LABELS, Level, Status
from peerprinciples.web.practice.models import Area, Cell, Programme

LEVEL_ORDER = {level.value: number for number, level in enumerate(Level)}

NOT_LOOKED_AT = "Not looked at yet"

STATUS_WORDS = {status.value: status.label for status in Status} | {"": NOT_LOOKED_AT}
"""Each status in words, as the grid and the cell page say it."""

STATUS_MARKS = {
    Status.IN_PLACE.value: "●",
    Status.PARTLY.value: "◐",
    Status.NOT_YET.value: "○",
    Status.NOT_RELEVANT.value: "–",
    "": "·",
}
"""A mark for each status, shown beside its words (never instead of them)."""


class RowKind:
    PRINCIPLE = "principle"
    THEME = "theme"
    EARLIER = "earlier"


@dataclass(frozen=True)
class Row:
    """A row of the matrix: a principle, a theme, or a principle key the framework version
    no longer has."""

    key: str
    title: str
    kind: str
    definition: str = ""
    aspects: tuple[str, ...] = ()


@dataclass(frozen=True)
class GridCell:
    """One place of the grid, with the cell written there (``None``: nothing yet)."""

    area: Area
    row: Row
    cell: Cell | None

    @property
    def status(self) -> str:
        return self.cell.status if self.cell else ""

    @property
    def status_words(self) -> str:
        return STATUS_WORDS.get(self.status, NOT_LOOKED_AT)

    @property
    def mark(self) -> str:
        return STATUS_MARKS.get(self.status, "·")

    @property
    def filled(self) -> bool:
        cell = self.cell
        return bool(cell and (cell.text or cell.evidence or cell.status or cell.holder))


@dataclass(frozen=True)
class LevelGroup:
    """The areas looked after at one level, in the programme's order."""

    level: str
    label: str
    areas: list[Area]


@dataclass(frozen=True)
class Grid:
    levels: list[LevelGroup]
    rows: list[tuple[Row, list[GridCell]]]
    earlier: list[tuple[Row, list[GridCell]]] = field(default_factory=list)

    @property
    def areas(self) -> list[Area]:
        """The areas in column order: by level, then the programme's order."""
        return [area for group in self.levels for area in group.areas]

    def by_area(self) -> list[tuple[Area, list[GridCell]]]:
        """The same cells, area by area (earlier-version rows last in each)."""
        everything = self.rows + self.earlier
        return [
            (area, [cells[column] for _, cells in everything])
            for column, area in enumerate(self.areas)
        ]

    def every_cell(self) -> list[GridCell]:
        return [cell for _, cells in self.rows + self.earlier for cell in cells]

    @property
    def filled(self) -> int:
        return sum(1 for cell in self.every_cell() if cell.filled)

    @property
    def in_place(self) -> int:
        return sum(1 for cell in self.every_cell() if cell.status == Status.IN_PLACE.value)


def framework_rows(framework: Framework) -> list[Row]:
    """The framework's principles in its order, then its themes, each as a row."""
    rows = [
        Row(p.key, p.title, RowKind.PRINCIPLE, p.definition, tuple(p.aspects))
        for p in framework.principles
    ]
    rows += [Row(t.key, t.title, RowKind.THEME, t.description) for t in framework.themes]
    return rows


def ordered_areas(areas: list[Area]) -> list[LevelGroup]:
    """The areas grouped by level (individual, team, organisation), each group in the
    programme's order; an empty level is left out."""
    groups = []
    for level in Level:
        found = [area for area in areas if area.level == level.value]
        if found:
            groups.append(LevelGroup(level.value, LEVEL_LABELS[level], found))
    return groups


def grid_of(programme: Programme, framework: Framework) -> Grid:
    """The programme's matrix as a grid, in two queries."""
    areas = list(Area.objects.filter(programme=programme).order_by("position", "pk"))
    cells = {
        (cell.area_id, cell.principle): cell
        for cell in Cell.objects.filter(programme=programme).order_by("principle")
    }
    levels = ordered_areas(areas)
    columns = [area for group in levels for area in group.areas]
    rows = framework_rows(framework)
    known = {row.key for row in rows}
    earlier_keys = sorted({principle for (_, principle) in cells if principle not in known})
    earlier = [Row(key, key, RowKind.EARLIER) for key in earlier_keys]

    def line(row: Row) -> tuple[Row, list[GridCell]]:
        return row, [GridCell(area, row, cells.get((area.pk, row.key))) for area in columns]

    return Grid(levels, [line(row) for row in rows], [line(row) for row in earlier])


def find_row(framework: Framework, programme: Programme, key: str) -> Row | None:
    """The row for a principle or theme key: the framework's, or an earlier version's when
    the programme still has cells under that key; ``None`` when neither."""
    for row in framework_rows(framework):
        if row.key == key:
            return row
    if Cell.objects.filter(programme=programme, principle=key).exists():
        return Row(key, key, RowKind.EARLIER)
    return None


# --- the matrix as a long CSV ---------------------------------------------------------------

CSV_COLUMNS = (
    "area",
    "area_title",
    "level",
    "principle",
    "principle_title",
    "status",
    "text",
    "evidence",
    "why",
    "holder",
)

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """A text a spreadsheet shows as text and never runs as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def matrix_csv_text(grid: Grid) -> str:
    """The matrix as CSV text, one row per cell of the grid (written or not), area by area.

    The long form keeps its ten columns whatever the number of areas and principles, reads
    straight into a data frame, and a pivot on ``area`` and ``principle`` gives the grid back.
    ``status`` is the stored value (``in_place``, ``partly``, ``not_yet``, ``not_relevant``)
    and empty for a cell not looked at yet. Cells under a principle the framework version no
    longer has come last in each area, with the key as their title.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for area, cells in grid.by_area():
        for place in cells:
            cell = place.cell
            writer.writerow(
                [
                    area.key,
                    _text(area.title),
                    area.level,
                    place.row.key,
                    _text(place.row.title),
                    place.status,
                    _text(cell.text if cell else ""),
                    _text(cell.evidence if cell else ""),
                    _text(cell.why if cell else ""),
                    _text(cell.holder if cell else ""),
                ]
            )
    return out.getvalue()
