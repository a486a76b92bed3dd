"""An evaluation's ratings and scores as files for spreadsheets and statistics packages.

The input is a checked :class:`~peerprinciples.core.ratings.RatingsTable` and, optionally, its
:class:`~peerprinciples.core.scoring.Scores` (computed when not given). The outputs:

``ratings-long.csv``
    one row per rating, in the ratings format (``docs/ratings-format.md``) so that it reads
    back with ``read_ratings``, plus ``domain``, ``value`` (the number statistics packages use:
    the point, or the special code's numeric value) and ``code``;
``ratings-wide.csv``
    one row per interview and rater, one column per item (named by its key): the wide ratings
    format, which also reads back;
``scores.csv``
    one row per interview and set of ratings (each rater's, and the consensus), with the
    domain scores (``dom_...``), the total and its band;
``evaluation.xlsx``
    the sheets ``ratings long``, ``ratings wide``, ``scores`` and ``codebook``;
``evaluation.sav`` and ``evaluation.dta``
    one row per interview and set of ratings, as in ``scores.csv``, with a variable per item
    (the rating of that set: the point given, or for a consensus made from two raters' ratings
    their mean), the domain scores and the total; variable labels, value labels (each point's
    short label), and special codes as declared missing values (SPSS: their numeric values as
    user-missing; Stata: extended missing values ``.a``, ``.b``...);
``codebook.html`` and ``codebook.csv``
    see :mod:`peerprinciples.core.interchange.codebook`.

Raters' free-text notes are written only when ``include_notes`` is true and notes are given,
as a ``notes`` column (the notes of that interview and rater).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyreadstat

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.interchange.codebook import (
    TOTAL,
    TOTAL_BAND,
    Codebook,
    code_values,
    codebook,
    codebook_frame,
    labels_fit,
    stata_missing,
    write_codebook,
)
from peerprinciples.core.ratings import CONSENSUS_RATER, OPTIONAL_COLUMNS, RatingsTable
from peerprinciples.core.scoring import Scores, score

Notes = Mapping[tuple[str, str], str]
"""Raters' notes: (interview, rater) → text."""

Format = Literal["csv", "xlsx", "sav", "dta", "codebook"]

FORMATS: tuple[Format, ...] = ("csv", "xlsx", "sav", "dta", "codebook")
"""Every export format, in the order :func:`export_evaluation` writes them."""

EXPORT_FILES: dict[Format, tuple[str, ...]] = {
    "csv": ("ratings-long.csv", "ratings-wide.csv", "scores.csv"),
    "xlsx": ("evaluation.xlsx",),
    "sav": ("evaluation.sav",),
    "dta": ("evaluation.dta",),
    "codebook": ("codebook.html", "codebook.csv"),
}
"""The files each format writes."""

SHEETS = ("ratings long", "ratings wide", "scores", "codebook")
"""The sheets of the XLSX workbook."""

EXCEL_ROWS = 1_048_576
"""The most rows a worksheet holds, the header included."""

SPSS_LABEL_BYTES = 255
"""The longest SPSS variable label, in bytes."""

SPSS_VALUE_LABEL_BYTES = 120
"""The longest SPSS value label, in bytes."""

STATA_VERSION = 14
"""Write Stata's format 118, which Stata 14 and later read."""

STATA_LABEL_CHARS = 80
"""The longest Stata variable or data set label, in characters."""

_SET = ["interview", "rater"]


def _present(table: RatingsTable) -> list[str]:
    """The optional columns the ratings gave, in the standard order."""
    return [c for c in OPTIONAL_COLUMNS if c in table.columns]


def _text(series: pd.Series) -> pd.Series:
    """Categorical or object values as plain text, blank for missing."""
    return series.astype(object).where(series.notna(), "").astype(str)


def notes_from_table(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Collect the ``notes`` column of a raw ratings table, per interview and rater.

    Parameters
    ----------
    frame
        A table as :func:`peerprinciples.core.ratings.read_table` gives it, with the columns
        ``interview``, ``rater`` and ``notes``.

    Returns
    -------
    dict
        (interview, rater) → the distinct non-empty notes of its rows, one per line; empty
        when the table has no ``notes`` column.
    """
    if not {"interview", "rater", "notes"} <= set(frame.columns):
        return {}
    found: dict[tuple[str, str], list[str]] = {}
    for interview, rater, note in zip(
        _text(frame["interview"]).str.strip(),
        _text(frame["rater"]).str.strip(),
        _text(frame["notes"]).str.strip(),
        strict=True,
    ):
        if not note or not interview:
            continue
        if rater.lower() == CONSENSUS_RATER:
            rater = CONSENSUS_RATER
        texts = found.setdefault((interview, rater), [])
        if note not in texts:
            texts.append(note)
    return {key: "\n".join(texts) for key, texts in found.items()}


def _notes_column(frame: pd.DataFrame, notes: Notes | None, include_notes: bool) -> pd.DataFrame:
    if include_notes and notes is not None:
        frame["notes"] = [
            notes.get((i, r), "") for i, r in zip(frame["interview"], frame["rater"], strict=True)
        ]
    return frame


# --- the tables -------------------------------------------------------------------------------


def ratings_long(
    table: RatingsTable, *, notes: Notes | None = None, include_notes: bool = False
) -> pd.DataFrame:
    """The ratings, one row per rating, in the order of the source.

    Parameters
    ----------
    table
        A checked ratings table.
    notes
        Raters' notes per (interview, rater).
    include_notes
        Whether to add them as a ``notes`` column; without it notes are never written.

    Returns
    -------
    pandas.DataFrame
        ``interview``, ``informant``, the optional columns the source had (``service``,
        ``peer_worker``, ``round``, ``date``), ``rater``, ``item``, ``domain``, ``rating``
        (the point as a whole number, or the code), ``value`` (the point, or the code's
        numeric value), ``code`` (or blank) and, when asked, ``notes``.
    """
    instrument = table.instrument
    data = table.data
    values = code_values(instrument)
    domain_of = {item.key: item.domain for item in instrument.items}
    code = _text(data["code"])
    points = data["rating"].to_numpy()
    is_code = code.to_numpy() != ""
    point_ints = pd.array(np.where(is_code, 0, np.nan_to_num(points)).astype(np.int64))
    value = np.where(is_code, code.map(values).fillna(0).to_numpy(), point_ints)
    frame = pd.DataFrame(
        {"interview": _text(data["interview"]), "informant": _text(data["informant"])}
    )
    for column in _present(table):
        frame[column] = data[column].to_numpy() if column == "date" else _text(data[column])
    frame["rater"] = _text(data["rater"])
    frame["item"] = _text(data["item"])
    frame["domain"] = frame["item"].map(domain_of)
    frame["rating"] = pd.Series(
        np.where(is_code, code.to_numpy(), np.asarray(point_ints, dtype=object)), dtype=object
    )
    frame["value"] = pd.array(value.astype(np.int64), dtype="Int64")
    frame["code"] = code.to_numpy()
    return _notes_column(frame, notes, include_notes)


def ratings_wide(
    table: RatingsTable, *, notes: Notes | None = None, include_notes: bool = False
) -> pd.DataFrame:
    """The ratings, one row per interview and rater, one column per item.

    Parameters
    ----------
    table
        A checked ratings table.
    notes, include_notes
        As for :func:`ratings_long`.

    Returns
    -------
    pandas.DataFrame
        ``interview``, ``informant``, ``rater``, the optional columns the source had, then one
        column per item in instrument order, named by its key: the point (a whole number), the
        code, or blank when the item was not rated. Rows in order of first appearance.
    """
    long = ratings_long(table)
    ids = ["interview", "informant", "rater", *_present(table)]
    rows = long.drop_duplicates(_SET)[ids].reset_index(drop=True)
    cells = long.pivot(index=_SET, columns="item", values="rating")
    item_keys = [item.key for item in table.instrument.items]
    cells = cells.reindex(columns=item_keys)
    cells.columns = pd.Index(item_keys)
    frame = rows.merge(cells.reset_index(), on=_SET, how="left")
    for key in item_keys:
        frame[key] = frame[key].astype(object).where(frame[key].notna(), None)
    return _notes_column(frame, notes, include_notes)


def _set_ids(frame: pd.DataFrame) -> pd.Series:
    return _text(frame["interview"]) + "\x1f" + _text(frame["rater"])


def scores_wide(table: RatingsTable, scores: Scores | None = None) -> pd.DataFrame:
    """The scores, one row per interview and set of ratings.

    Parameters
    ----------
    table
        A checked ratings table.
    scores
        Its scores; computed with :func:`peerprinciples.core.scoring.score` when not given.

    Returns
    -------
    pandas.DataFrame
        ``interview``, ``informant``, the optional columns the source had (besides ``date``),
        ``rater``, ``final`` (1 for the set that stands for the interview, else 0),
        ``consensus_source``, one column per domain score (``dom_...``, see the codebook),
        ``total`` and ``total_band`` (the key of the band the total falls in).
    """
    scores = scores if scores is not None else score(table)
    book = codebook(table.instrument)
    totals = scores.total_scores
    ids = ["interview", "informant", *[c for c in _present(table) if c != "date"], "rater"]
    frame = pd.DataFrame({c: _text(totals[c]) for c in ids})
    frame["final"] = totals["final"].astype(np.int64).to_numpy()
    frame["consensus_source"] = _text(totals["consensus_source"]).to_numpy()
    domains = scores.domain_scores
    pivot = pd.DataFrame(
        {"set": _set_ids(domains).to_numpy(), "domain": _text(domains["domain"]).to_numpy()}
    )
    pivot["score"] = domains["score"].to_numpy()
    wide = pivot.pivot(index="set", columns="domain", values="score")
    set_ids = _set_ids(totals)
    for domain in table.instrument.domains:
        column = wide[domain.key] if domain.key in wide.columns else pd.Series(dtype=float)
        frame[book.names.domains[domain.key]] = column.reindex(set_ids).to_numpy(dtype=float)
    frame[TOTAL] = totals["score"].to_numpy(dtype=float)
    frame[TOTAL_BAND] = _text(totals["band"]).to_numpy()
    return frame


# --- labelled data for SPSS and Stata ---------------------------------------------------------


@dataclass(frozen=True)
class LabelledData:
    """A data set with the metadata statistics packages keep beside the values.

    ``frame`` holds special codes as their numeric values (e.g. −8) in the item columns.
    """

    frame: pd.DataFrame
    labels: dict[str, str]
    value_labels: dict[str, dict[int, str]]
    missing: dict[str, dict[int, str]]
    """Item variable → {numeric value of a code → code}."""
    measure: dict[str, str]
    file_label: str
    book: Codebook


def labelled_data(
    table: RatingsTable,
    scores: Scores | None = None,
    *,
    notes: Notes | None = None,
    include_notes: bool = False,
) -> LabelledData:
    """The data set of the SPSS and Stata exports, with its labels.

    Parameters
    ----------
    table
        A checked ratings table.
    scores
        Its scores; computed when not given.
    notes, include_notes
        As for :func:`ratings_long`.

    Returns
    -------
    LabelledData
        One row per interview and set of ratings (the rows of :func:`scores_wide`), with the
        identifiers, the date when the source had one, one variable per item, the domain
        scores, ``total`` and ``total_band`` (a number labelled with the band).
    """
    instrument = table.instrument
    scores = scores if scores is not None else score(table)
    book = codebook(instrument, include_notes=include_notes and notes is not None)
    values = {c.code: c.value for c in book.codes}
    base = scores_wide(table, scores)
    set_ids = _set_ids(base)

    ids = ["interview", "informant", *[c for c in _present(table) if c != "date"], "rater"]
    frame = base[ids].copy()
    if "date" in table.columns:
        first_date = (
            pd.DataFrame({"interview": _text(table.data["interview"]), "date": table.data["date"]})
            .dropna()
            .drop_duplicates("interview")
            .set_index("interview")["date"]
        )
        dates = base["interview"].map(first_date)
        frame["date"] = [d.date() if pd.notna(d) else None for d in dates]
    frame["final"] = base["final"]
    frame["consensus_source"] = base["consensus_source"]
    frame = _notes_column(frame, notes, include_notes)

    items = scores.item_scores
    code = _text(items["code"])
    item_values = np.where(
        code.to_numpy() != "",
        code.map(values).to_numpy(dtype=float, na_value=np.nan),
        items["rating"].to_numpy(dtype=float),
    )
    long = pd.DataFrame(
        {"set": _set_ids(items).to_numpy(), "item": _text(items["item"]).to_numpy()}
    )
    long["value"] = item_values
    pivot = long.pivot(index="set", columns="item", values="value")
    for item in instrument.items:
        column = pivot[item.key] if item.key in pivot.columns else pd.Series(dtype=float)
        frame[book.names.items[item.key]] = column.reindex(set_ids).to_numpy(dtype=float)

    score_names = [book.names.domains[d.key] for d in instrument.domains] + [TOTAL]
    for name in score_names:
        frame[name] = base[name].to_numpy(dtype=float)
    bands = instrument.scoring.bands
    if bands:
        position = {band.key: float(i) for i, band in enumerate(bands, 1)}
        frame[TOTAL_BAND] = base[TOTAL_BAND].map(position).to_numpy(dtype=float)

    labels = {e.variable: e.label for e in book.entries if e.variable in frame.columns}
    value_labels: dict[str, dict[int, str]] = {"final": {0: "no", 1: "yes"}}
    missing: dict[str, dict[int, str]] = {}
    measure: dict[str, str] = {c: "nominal" for c in frame.columns}
    for entry in book.items:
        code_labels = {c.value: f"{c.label} ({c.code})" for c in entry.codes}
        value_labels[entry.variable] = {**entry.value_labels, **code_labels}
        missing[entry.variable] = {c.value: c.code for c in entry.codes}
        measure[entry.variable] = "ordinal"
    for name in score_names:
        measure[name] = "scale"
    if bands:
        value_labels[TOTAL_BAND] = {i: band.label for i, band in enumerate(bands, 1)}
        measure[TOTAL_BAND] = "ordinal"
    return LabelledData(
        frame=frame.reset_index(drop=True),
        labels=labels,
        value_labels=value_labels,
        missing=missing,
        measure=measure,
        file_label=f"{instrument.title} ({instrument.ref})",
        book=book,
    )


def _spss_missing_ranges(
    values: Sequence[int], points: Sequence[int], variable: str, source: str
) -> list[Any]:
    """SPSS user-missing values: up to three discrete values, or a range and one value."""
    distinct = sorted(set(values))
    if len(distinct) <= 3:
        return [float(v) for v in distinct]

    def clear(low: int, high: int) -> bool:
        return not any(low <= p <= high for p in points)

    if clear(distinct[0], distinct[-1]):
        return [{"lo": float(distinct[0]), "hi": float(distinct[-1])}]
    for single, rest in ((distinct[0], distinct[1:]), (distinct[-1], distinct[:-1])):
        if clear(rest[0], rest[-1]):
            return [{"lo": float(rest[0]), "hi": float(rest[-1])}, float(single)]
    raise DocumentError(
        [
            Problem(
                source,
                (variable,),
                f"SPSS can declare at most three missing values, or one range and one value, "
                f"but the special codes of '{variable}' have the values "
                f"{', '.join(map(str, distinct))}, which lie on both sides of its scale.",
                "give the codes numeric values next to each other outside the scale (e.g. -8, "
                "-9, -10, -11) with 'value:' in the instrument.",
            )
        ]
    )


def write_sav(
    table: RatingsTable,
    path: Path | str,
    scores: Scores | None = None,
    *,
    notes: Notes | None = None,
    include_notes: bool = False,
) -> Path:
    """Write the labelled data set as an SPSS ``.sav`` file, whole or not at all.

    Special codes are stored as their numeric values (see
    :func:`~peerprinciples.core.interchange.codebook.code_values`) and declared user-missing,
    so SPSS leaves them out of statistics while keeping them apart from blanks.

    Parameters
    ----------
    table, scores, notes, include_notes
        As for :func:`labelled_data`.
    path
        The file to write.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    data = labelled_data(table, scores, notes=notes, include_notes=include_notes)
    frame = data.frame
    points = {
        e.variable: list(range(e.scale_min or 0, (e.scale_max or 0) + 1)) for e in data.book.items
    }
    missing_ranges = {
        name: _spss_missing_ranges(list(codes), points[name], name, str(path))
        for name, codes in data.missing.items()
        if codes
    }
    value_labels = {
        name: {float(v): labels_fit(t, SPSS_VALUE_LABEL_BYTES) for v, t in labels.items()}
        for name, labels in data.value_labels.items()
    }
    labels: dict[str, str | None] = {
        name: labels_fit(text, SPSS_LABEL_BYTES) for name, text in data.labels.items()
    }
    note = (
        f"Exported by peerprinciples from {Path(table.source).name}: ratings on "
        f"{table.instrument.ref}. Special codes are user-missing values; see the codebook."
    )

    def write(temporary: Path) -> None:
        pyreadstat.write_sav(
            _for_writing(frame),
            str(temporary),
            file_label=labels_fit(data.file_label, 64),
            column_labels=labels,
            variable_value_labels=value_labels,
            missing_ranges=missing_ranges,
            variable_measure=data.measure,
            note=textwrap.wrap(note, 80),  # SPSS document lines hold 80 characters
        )

    return atomic_write(path, write)


def write_dta(
    table: RatingsTable,
    path: Path | str,
    scores: Scores | None = None,
    *,
    notes: Notes | None = None,
    include_notes: bool = False,
) -> Path:
    """Write the labelled data set as a Stata ``.dta`` file, whole or not at all.

    The file is in format 118, which Stata 14 and later read.

    Special codes become Stata's extended missing values ``.a``, ``.b``... in the order of the
    instrument's codes, labelled with the code's label; Stata leaves them out of statistics.

    Parameters
    ----------
    table, scores, notes, include_notes
        As for :func:`labelled_data`.
    path
        The file to write.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    DocumentError
        When the instrument has more than 26 special codes.
    """
    data = labelled_data(table, scores, notes=notes, include_notes=include_notes)
    letters = stata_missing(table.instrument, str(path))
    frame = _for_writing(data.frame)
    value_labels: dict[str, dict[Any, str]] = {}
    missing_user_values: dict[str, list[str]] = {}
    for name, point_labels in data.value_labels.items():
        codes = data.missing.get(name, {})
        keyed: dict[Any, str] = {}
        for value, text in point_labels.items():
            keyed[letters[codes[value]] if value in codes else value] = text
        value_labels[name] = keyed
        if codes:
            as_letter = {float(v): letters[c] for v, c in codes.items()}
            column = frame[name].astype(object)
            frame[name] = column.map(lambda x, m=as_letter: m.get(x, x) if pd.notna(x) else x)
            missing_user_values[name] = sorted(letters[c] for c in codes.values())
    labels: dict[str, str | None] = {
        name: labels_fit(text, STATA_LABEL_CHARS, unit="characters")
        for name, text in data.labels.items()
    }

    def write(temporary: Path) -> None:
        pyreadstat.write_dta(
            frame,
            str(temporary),
            file_label=labels_fit(data.file_label, STATA_LABEL_CHARS, unit="characters"),
            column_labels=labels,
            variable_value_labels=value_labels,
            missing_user_values=missing_user_values or None,
            version=STATA_VERSION,
        )

    return atomic_write(path, write)


def _for_writing(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns without missing values (pyreadstat wants strings there)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object and values.map(lambda v: isinstance(v, str) or v is None).all():
            out[column] = values.fillna("").astype(str)
    return out


# --- CSV and XLSX -----------------------------------------------------------------------------


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


# --- everything at once -------------------------------------------------------------------------


def export_evaluation(
    table: RatingsTable,
    folder: Path | str,
    scores: Scores | None = None,
    *,
    formats: Sequence[Format] = FORMATS,
    framework: Framework | None = None,
    notes: Notes | None = None,
    include_notes: bool = False,
) -> list[Path]:
    """Write an evaluation's ratings, scores and codebook in the formats asked for.

    Parameters
    ----------
    table
        A checked ratings table.
    folder
        Where to write; created when missing. The file names are :data:`EXPORT_FILES`.
    scores
        The table's scores; computed once when not given.
    formats
        Any of :data:`FORMATS`.
    framework
        The instrument's framework, for principle titles in the codebook.
    notes
        Raters' notes per (interview, rater).
    include_notes
        Whether to write the notes (the web application allows it to study leads only).

    Returns
    -------
    list of pathlib.Path
        The files written, in order. Each is written whole or not at all.

    Raises
    ------
    DocumentError
        When a format is unknown, or the data cannot be expressed in a format (e.g. more than
        26 special codes for Stata).
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise DocumentError(
            [
                Problem(
                    str(folder),
                    (),
                    f"unknown export format {', '.join(map(repr, unknown))}.",
                    f"use some of: {', '.join(FORMATS)}.",
                )
            ]
        )
    target = Path(folder)
    scores = scores if scores is not None else score(table)
    written: list[Path] = []
    for fmt in formats:
        files = [target / name for name in EXPORT_FILES[fmt]]
        if fmt == "csv":
            long = ratings_long(table, notes=notes, include_notes=include_notes)
            wide = ratings_wide(table, notes=notes, include_notes=include_notes)
            written.append(write_csv(long, files[0]))
            written.append(write_csv(wide, files[1]))
            written.append(write_csv(scores_wide(table, scores), files[2]))
        elif fmt == "xlsx":
            written.append(
                write_xlsx(
                    table,
                    files[0],
                    scores,
                    framework=framework,
                    notes=notes,
                    include_notes=include_notes,
                )
            )
        elif fmt == "sav":
            written.append(
                write_sav(table, files[0], scores, notes=notes, include_notes=include_notes)
            )
        elif fmt == "dta":
            written.append(
                write_dta(table, files[0], scores, notes=notes, include_notes=include_notes)
            )
        else:
            book = codebook(
                table.instrument,
                framework=framework,
                include_notes=include_notes and notes is not None,
            )
            written.extend(write_codebook(book, file) for file in files)
    return written
