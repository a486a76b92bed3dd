"""An evaluation's tables as CSV files and as one XLSX workbook.

openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.interchange.codebook import codebook, codebook_frame
from peerprinciples.core.interchange.exports.tables import (
    Notes,
    ratings_long,
    ratings_wide,
    scores_wide,
)
from peerprinciples.core.ratings import RatingsTable
from peerprinciples.core.scoring import Scores

SHEETS = ("ratings long", "ratings wide", "scores", "codebook")
"""The sheets of the XLSX workbook."""

EXCEL_ROWS = 1_048_576
"""The most rows a worksheet holds, the header included."""


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write a table as UTF-8 CSV (dates as YYYY-MM-DD), whole or not at all.

    Parameters
    ----------
    frame
        The table.
    path
        The file to write.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    return atomic_write(
        path,
        lambda p: frame.to_csv(
            p, index=False, encoding="utf-8", lineterminator="\n", date_format="%Y-%m-%d"
        ),
    )


def write_xlsx(
    table: RatingsTable,
    path: Path | str,
    scores: Scores | None = None,
    *,
    framework: Framework | None = None,
    notes: Notes | None = None,
    include_notes: bool = False,
) -> Path:
    """Write the ratings (long and wide), the scores and the codebook as one XLSX workbook.

    Text is always stored as text, never as a formula, even when it starts with '='. A
    worksheet holds at most 1,048,576 rows; larger tables need CSV, SPSS or Stata.

    Parameters
    ----------
    table, scores, notes, include_notes
        As for :func:`labelled_data`.
    path
        The file to write.
    framework
        The instrument's framework, for principle titles in the codebook.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    sheets = {
        SHEETS[0]: ratings_long(table, notes=notes, include_notes=include_notes),
        SHEETS[1]: ratings_wide(table, notes=notes, include_notes=include_notes),
        SHEETS[2]: scores_wide(table, scores),
        SHEETS[3]: codebook_frame(
            codebook(
                table.instrument,
                framework=framework,
                include_notes=include_notes and notes is not None,
            )
        ),
    }
    too_long = [name for name, frame in sheets.items() if len(frame) >= EXCEL_ROWS]
    if too_long:
        raise DocumentError(
            [
                Problem(
                    str(path),
                    (),
                    f"the sheet '{too_long[0]}' would have {len(sheets[too_long[0]]) + 1} rows, "
                    f"more than the {EXCEL_ROWS:,} a workbook sheet can hold.",
                    "export to CSV, SPSS or Stata instead (formats csv, sav, dta).",
                )
            ]
        )
    return atomic_write(path, lambda p: _write_workbook(sheets, p))


def _cells(frame: pd.DataFrame) -> list[list[object]]:
    """The table's rows as plain Python values: None for missing, dates as dates."""
    columns = []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            column = [v.date() if pd.notna(v) else None for v in values]
        else:
            column = values.astype(object).where(values.notna(), None).tolist()
        columns.append(column)
    return [list(row) for row in zip(*columns, strict=True)] if columns else []


def _write_workbook(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(frame.columns, start=1):
            texts = frame[column].head(200).astype(str)
            width = max([len(str(column)), *texts.str.len().tolist()], default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 6) + 2, 60)
        sheet.append([str(c) for c in frame.columns])
        for row in _cells(frame):
            for position, value in enumerate(row):
                if isinstance(value, str) and value.startswith("="):
                    text = WriteOnlyCell(sheet, value=value)
                    text.data_type = "s"  # text, never a formula
                    row[position] = text
                elif isinstance(value, date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd"
                    row[position] = cell
            sheet.append(row)
    book.save(path)
