"""An XLSForm file read as sheets of text rows, before any meaning is given to them.

:func:`read_form` reads an ``.xlsx`` workbook or the single-file ``.csv`` form into
:class:`Form`: each sheet's rows with the row number the spreadsheet shows, and its column
names made canonical (lower case, ``bind::`` and ``control::`` aliases resolved, a language
suffix such as ``::English (en)`` kept). A file that cannot be read gives a
:class:`SheetProblem` saying why and how to fix it.

openpyxl is imported only when a workbook is read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.interchange.xlsform.common import cell_text


class SheetProblem(Problem):
    """A row of an XLSForm that could not be carried over, located by sheet, row and column.

    ``path`` holds the sheet and the column, ``line`` the row as the spreadsheet shows it.
    """

    @property
    def sheet(self) -> str | None:
        """The sheet, e.g. ``survey``."""
        return str(self.path[0]) if self.path else None

    @property
    def column(self) -> str | None:
        """The column, e.g. ``type``."""
        return str(self.path[1]) if len(self.path) > 1 and self.path[1] else None

    def __str__(self) -> str:
        place = self.source
        if self.sheet:
            place += f", sheet '{self.sheet}'"
        if self.line:
            place += f", row {self.line}"
        if self.column:
            place += f", column '{self.column}'"
        text = f"{place}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


_HEADER_ALIASES = {
    "list_name": "list_name",
    "bind:relevant": "relevant",
    "bind:required": "required",
    "bind:constraint": "constraint",
    "bind:calculate": "calculation",
    "bind:readonly": "read_only",
    "bind:jr:constraintmsg": "constraint_message",
    "control:appearance": "appearance",
}


@dataclass
class Row:
    """A row of a sheet: its number as the spreadsheet shows it and its cells by column."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The text of a cell; ``''`` when the row leaves it blank or has no such column."""
        return self.cells.get(column, "")


@dataclass
class Form:
    """The sheets of an XLSForm as rows of text cells."""

    source: str
    sheets: dict[str, list[Row]]
    columns: dict[str, list[str]]


def _header_name(value: Any) -> str:
    text = cell_text(value)
    base, separator, language = text.partition("::")
    base = re.sub(r"\s+", "_", base.strip().lower())
    base = _HEADER_ALIASES.get(base, base)
    return f"{base}::{language.strip()}" if separator else base


def _rows_to_sheet(rows: Iterable[tuple[int, Sequence[Any]]]) -> tuple[list[str], list[Row]]:
    """Header (the first non-blank row) and the rows after it, skipping blank ones."""
    header: list[str] | None = None
    body: list[Row] = []
    for number, values in rows:
        texts = [cell_text(v) for v in values]
        if not any(texts):
            continue
        if header is None:
            header = [_header_name(v) for v in values]
            continue
        cells = {
            column: text for column, text in zip(header, texts, strict=False) if column and text
        }
        body.append(Row(number, cells))
    return header or [], body


def read_form(path: Path) -> Form:
    """The sheets of an XLSForm file (``.xlsx``/``.xlsm``, or the single-file ``.csv`` form).

    Raises
    ------
    DocumentError
        With one :class:`SheetProblem` when the file is missing, a legacy ``.xls``
        workbook, of another type, not UTF-8 (CSV) or a damaged workbook.
    """
    source = str(path)

    def reject(message: str, fix: str) -> DocumentError:
        return DocumentError([SheetProblem(source, (), message, fix)])

    if not path.is_file():
        raise reject("there is no such file.", "check the path and its spelling.")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise reject(
            "legacy .xls workbooks are not read.",
            "open the form in a spreadsheet program and save it as .xlsx.",
        )
    if suffix == ".csv":
        return _read_csv_form(path)
    if suffix not in (".xlsx", ".xlsm"):
        raise reject(
            f"'{path.suffix}' is not an XLSForm file type.",
            "give an XLSForm saved as .xlsx (or the single-sheet .csv form).",
        )
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise reject(
            "the workbook is damaged and cannot be read as .xlsx.",
            "open it in a spreadsheet program and save it again as .xlsx.",
        ) from exc
    except Exception as exc:  # openpyxl raises its own errors for malformed parts
        raise reject(
            f"the workbook cannot be read as .xlsx ({type(exc).__name__}).",
            "open it in a spreadsheet program and save it again as .xlsx.",
        ) from exc
    sheets: dict[str, list[Row]] = {}
    columns: dict[str, list[str]] = {}
    try:
        for sheet in book.worksheets:
            title = str(sheet.title).strip().lower()
            rows = enumerate(sheet.iter_rows(values_only=True), start=1)
            columns[title], sheets[title] = _rows_to_sheet(rows)
    finally:
        book.close()
    return Form(source, sheets, columns)


def _read_csv_form(path: Path) -> Form:
    """The single-file CSV form of an XLSForm: a row naming a sheet, then its rows."""
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [SheetProblem(source, (), "the file is not UTF-8 text.", "save it as CSV UTF-8.")]
        ) from exc
    collected: dict[str, list[tuple[int, Sequence[Any]]]] = {}
    current: str | None = None
    reader = csv.reader(io.StringIO(text))
    for cells in reader:
        if cells and cells[0].strip():
            current = cells[0].strip().lower()
            collected.setdefault(current, [])
        elif current is not None:
            collected[current].append((reader.line_num, cells[1:]))
    sheets: dict[str, list[Row]] = {}
    columns: dict[str, list[str]] = {}
    for title, rows in collected.items():
        columns[title], sheets[title] = _rows_to_sheet(rows)
    return Form(source, sheets, columns)


def language_of(column: str) -> tuple[str, str]:
    """(language code, language column) of ``label::English (en)``; ('', '') for ``label``."""
    _, _, language = column.partition("::")
    match = re.search(r"\(([^()]+)\)\s*$", language)
    code = match.group(1).strip() if match else language.strip().lower()
    return code, language
