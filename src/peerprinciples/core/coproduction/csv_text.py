"""Reading an imported CSV file's bytes into rows, or saying plainly why it cannot be read.

The co-production imports take files that people export from spreadsheets and other tools.
This module turns such a file into rows of cells, numbered as a spreadsheet numbers them, and
names the common ways a file fails before any of its cells are looked at: it is a workbook,
a PDF or UTF-16 text rather than CSV; it is not UTF-8 (with or without a byte order mark);
it is empty; or a quoted cell never ends.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from peerprinciples.core.coproduction.problems import Problem

UTF8_BOM = b"\xef\xbb\xbf"

SAVE_AS_CSV = (
    "save it again as 'CSV UTF-8' (in Excel: File > Save As > CSV UTF-8; in LibreOffice: "
    "character set Unicode (UTF-8), field delimiter ',')."
)


@dataclass(frozen=True)
class Row:
    """One record of a CSV file: its number as a spreadsheet shows it, and its cells."""

    number: int
    cells: tuple[str, ...]

    def cell(self, index: int) -> str:
        """The cell at ``index`` (from 0) without surrounding spaces, or ``""`` past the end."""
        return self.cells[index].strip() if index < len(self.cells) else ""

    @property
    def blank(self) -> bool:
        """Whether every cell is empty or spaces."""
        return not any(cell.strip() for cell in self.cells)


def column_name(index: int) -> str:
    """A column as a person finds it: ``column 3 (C)`` for ``index`` 2."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"column {index + 1} ({letters})"


def where(file: str, row: int | None = None, column: str | None = None) -> str:
    """A problem's place: ``Ratings.csv, row 4, column 'Importance'``."""
    place = file
    if row is not None:
        place += f", row {row}"
    if column is not None:
        place += f", {column}"
    return place


def named_column(name: str) -> str:
    """A column named by its header: ``column 'Importance'``."""
    return f"column '{name}'"


def read_rows(file: str, raw: bytes) -> tuple[list[Row], list[Problem]]:
    """The rows of a CSV file, or the problems that stop it being read.

    Parameters
    ----------
    file
        The file's name, used to say where a problem is.
    raw
        The file's bytes: UTF-8 text, with or without a byte order mark, with commas
        between cells and any line ending.

    Returns
    -------
    rows, problems
        Every record, blank ones included, numbered from 1 as a spreadsheet numbers them;
        and the problems found (when there are any, ``rows`` is empty).
    """
    kind = _not_csv(raw[:4096])
    if kind is not None:
        return [], [kind_problem(file, kind)]
    try:
        text = raw.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [_encoding_problem(file, raw, exc)]
    if not text.strip():
        return [], [
            Problem(where(file), "the file is empty.", "Export the data into it and try again.")
        ]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append(Row(number, tuple(cells)))
    except csv.Error as exc:
        return [], [
            Problem(
                where(file, len(rows) + 1),
                f"the file cannot be read as CSV from this row on ({exc}).",
                "A cell that starts with a double quote must end with one; write a double "
                "quote inside a quoted cell as two double quotes, or " + SAVE_AS_CSV,
            )
        ]
    return rows, []


def kind_problem(file: str, kind: str) -> Problem:
    """The problem for a file that is something other than CSV text."""
    return Problem(
        where(file),
        f"the file is {kind}, not CSV text.",
        "Export the data from your spreadsheet or tool as a CSV file: " + SAVE_AS_CSV,
    )


def _not_csv(head: bytes) -> str | None:
    """What the file is instead, when its first bytes show it is not CSV text."""
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive (perhaps an Excel .xlsx workbook)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Microsoft Office file (.xls or .doc)"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text"
    if head.lstrip().startswith((b"<?xml", b"<html", b"<!DOCTYPE", b"<!doctype")):
        return "an XML or HTML document"
    if b"\x00" in head:
        return "binary data"
    return None


def _encoding_problem(file: str, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    row = raw[: exc.start].count(b"\n") + 1
    guess = ""
    try:
        raw.decode("cp1252")
        guess = " It was probably saved as Windows-1252 or Latin-1."
    except UnicodeDecodeError:
        pass
    return Problem(
        where(file, row),
        f"the file is not UTF-8 text: the byte 0x{raw[exc.start]:02X} cannot be read as "
        f"UTF-8.{guess}",
        SAVE_AS_CSV[0].upper() + SAVE_AS_CSV[1:],
    )


def other_delimiter(row: Row) -> str | None:
    """The delimiter a one-cell header row seems to use instead of commas, if any."""
    if len(row.cells) != 1:
        return None
    for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        if delimiter in row.cells[0]:
            return name
    return None
