"""What the checks of every RCMap file share: the problems of one file, its rows, its header."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peerprinciples.core.coproduction.csv_text import (
    Row,
    column_name,
    other_delimiter,
    read_rows,
    where,
)
from peerprinciples.core.coproduction.problems import Problem
from peerprinciples.core.coproduction.rcmap.project import whole_number

_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def filled(row: Row) -> int:
    """How many cells the row has once the empty cells at its end are left off (spreadsheets
    often pad rows with empty cells)."""
    count = len(row.cells)
    while count and not row.cells[count - 1].strip():
        count -= 1
    return count


def number(text: str) -> float | None:
    """The number written in ``text`` (``4``, ``3.5``, ``-1e2``), or ``None``.

    Stricter than :func:`float`, which also takes ``nan``, ``inf`` and ``1_000``.
    """
    return float(text) if _NUMBER.fullmatch(text) else None


@dataclass
class FileCheck:
    """The checks of one file, adding what they find to a list shared by all the files."""

    file: str
    raw: bytes | OSError
    problems: list[Problem] = field(default_factory=list)

    def add(self, what: str, fix: str, row: int | None = None, column: str | None = None) -> None:
        """Note a problem at ``row`` (as a spreadsheet numbers it) and ``column``; ``fix``
        is a sentence of its own, so it starts with a capital."""
        fix = fix[:1].upper() + fix[1:]
        self.problems.append(Problem(where(self.file, row, column), what, fix))

    def rows(self) -> list[Row] | None:
        """The file's non-blank rows, or ``None`` (with the problem noted) when it cannot be
        read as CSV at all."""
        if isinstance(self.raw, OSError):
            self.add(
                f"the file cannot be opened ({self.raw.strerror}).",
                "check that the file exists and can be read.",
            )
            return None
        rows, problems = read_rows(self.file, self.raw)
        self.problems.extend(problems)
        if problems:
            return None
        return [row for row in rows if not row.blank]

    def header(
        self, rows: list[Row], expected: str, least: int, numbered: int | None = None
    ) -> Row | None:
        """The first row, when it is a header with at least ``least`` columns.

        ``numbered`` is a column that holds statement numbers under the header: a whole
        number there shows that the first row is data, not a header.
        """
        first = rows[0]
        delimiter = other_delimiter(first)
        if delimiter is not None:
            self.add(
                f"the file seems to use {delimiter} between cells, not commas.",
                "save it again as CSV with commas between cells ('CSV UTF-8 (Comma "
                "delimited)' in Excel).",
                first.number,
            )
            return None
        if numbered is not None and whole_number(first.cell(numbered)) is not None:
            self.add(
                "the first row holds data, but this file starts with a header row.",
                f"insert a first row with the column names {expected}.",
                first.number,
            )
            return None
        if filled(first) < least:
            self.add(
                f"the header has {filled(first)} column(s); this file needs {expected}.",
                f"make the first row {expected}.",
                first.number,
            )
            return None
        return first

    def names(self, header: Row, start: int, noun: str, example: str) -> list[str]:
        """The header's column names from ``start`` on; empty and repeated names are noted."""
        names: list[str] = []
        for position in range(start, filled(header)):
            name = header.cell(position)
            column = column_name(position)
            if not name:
                self.add(
                    f"the {noun} column has no name.",
                    f"name it in the header row (for example '{example}').",
                    header.number,
                    column,
                )
            elif name in names:
                self.add(
                    f"the column name '{name}' is repeated.",
                    f"give each {noun} column its own name.",
                    header.number,
                    column,
                )
            names.append(name)
        return names

    def too_long(self, row: Row, width: int, fix: str) -> bool:
        """Whether ``row`` has more filled cells than the header's ``width`` (noted if so)."""
        if filled(row) <= width:
            return False
        self.add(f"this row has {filled(row)} cells but the header has {width}.", fix, row.number)
        return True
