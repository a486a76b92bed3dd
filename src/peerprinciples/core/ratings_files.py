"""Reading a ratings file of any supported format into a checked ratings table.

The checking is :func:`peerprinciples.core.ratings.read_ratings` and the REDCap, FHIR and
XLSForm readers; this module picks the reader for a format and keeps memory
bounded for large CSV files: they are parsed in chunks of rows into categorical columns
(a million ratings take some tens of megabytes that way), instead of being decoded whole
first. Anything the chunked reader does not accept as plain UTF-8 CSV (a stray encoding, a
wrong delimiter, ragged rows) goes to the core's own reader, whose problems say exactly
what is wrong and how to fix it.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pandas as pd
from pandas.api.types import union_categoricals

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import Layout, RatingsTable, read_ratings, read_table
from peerprinciples.core.ratings.cells import as_text, header_name
from peerprinciples.core.ratings.reading import csv_options

FORMATS = ("auto", "long", "wide", "redcap", "fhir", "xlsform")
"""The formats an import reads: the ratings table (layout found from the header, or named),
REDCap records, FHIR QuestionnaireResponses and ODK Central / KoboToolbox exports."""

SUFFIXES = {
    "auto": (".csv", ".txt", ".xlsx", ".xlsm"),
    "long": (".csv", ".txt", ".xlsx", ".xlsm"),
    "wide": (".csv", ".txt", ".xlsx", ".xlsm"),
    "redcap": (".csv", ".txt"),
    "fhir": (".json", ".ndjson"),
    "xlsform": (".csv", ".txt", ".xlsx", ".xlsm"),
}
"""The file name endings each format accepts."""

CHUNK_ROWS = 200_000
"""Rows parsed at a time from a CSV file."""

_HEAD_BYTES = 1 << 16

_LAYOUTS: dict[str, Layout] = {"auto": "auto", "long": "long", "wide": "wide"}
"""The formats that are a ratings table, and the layout each reads it in."""


def read_ratings_file(
    path: Path, instrument: Instrument, fmt: str, *, name: str, delimiter: str = ","
) -> RatingsTable:
    """Read and check a ratings file in ``fmt`` (one of :data:`FORMATS`).

    Parameters
    ----------
    path
        The file, with the suffix of its format (``.csv``, ``.xlsx``, ``.json``...).
    instrument
        The evaluation's instrument.
    fmt
        One of :data:`FORMATS`.
    name
        The file name shown in problems (the upload's own name, not where it is stored).
    delimiter
        The delimiter of a CSV ratings table.

    Returns
    -------
    RatingsTable
        The checked table, in the long layout.

    Raises
    ------
    peerprinciples.core.documents.DocumentError
        Usually its subclass ``RatingsError``, with every problem the core found.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "redcap":
        from peerprinciples.core.interchange.redcap import read_redcap_records

        frame = read_redcap_records(path, instrument)
        return read_ratings(frame, instrument, layout="long", name=name)
    if fmt == "fhir":
        from peerprinciples.core.interchange.fhir import read_questionnaire_responses

        frame = read_questionnaire_responses(path, instrument, name=name)
        return read_ratings(frame, instrument, layout="long", name=name)
    if fmt == "xlsform":
        from peerprinciples.core.interchange.xlsform import read_xlsform_submissions

        frame = read_xlsform_submissions(path, instrument)
        return read_ratings(frame, instrument, layout="long", name=name)
    layout = _LAYOUTS[fmt]
    if path.suffix.lower() in (".csv", ".txt"):
        chunked = read_csv_in_chunks(path, delimiter=delimiter)
        if chunked is not None:
            return read_ratings(chunked, instrument, layout=layout, name=name)
    frame = read_table(path, delimiter=delimiter)
    return read_ratings(frame, instrument, layout=layout, name=name)


def read_csv_in_chunks(
    path: Path, *, delimiter: str = ",", chunk_rows: int = CHUNK_ROWS
) -> pd.DataFrame | None:
    """A UTF-8 CSV table as categorical text columns, parsed ``chunk_rows`` rows at a time.

    The result has the shape :func:`peerprinciples.core.ratings.read_table` gives (one row
    per row after the header, blank rows kept, header names normalised, every cell text), so
    the core's checks and row numbers apply unchanged. Returns ``None`` for anything but a
    plain UTF-8 table whose rows are no longer than its header: the core's reader then
    explains the problem.
    """
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head.strip() or b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF")):
        return None
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        header = next(csv.reader([first_line.decode("utf-8-sig")], delimiter=delimiter), [])
    except (UnicodeDecodeError, csv.Error):
        return None
    if len(header) <= 1 or (b"\n" not in head and len(head) == _HEAD_BYTES):
        return None
    names = [header_name(h) for h in header]
    parts: list[pd.DataFrame] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            reader = pd.read_csv(
                path,
                encoding="utf-8-sig",
                chunksize=chunk_rows,
                **csv_options(delimiter, len(names)),
            )
            with reader:
                for chunk in reader:
                    parts.append(chunk)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.ParserWarning):
        return None
    if not parts:
        return None
    columns = {
        position: _join_chunks([part[position] for part in parts]) for position in range(len(names))
    }
    frame = pd.DataFrame(columns, copy=False)
    frame.columns = pd.Index(names)
    return frame


def _join_chunks(parts: list[pd.Series]) -> pd.Categorical:
    """One categorical column from the same column of every chunk.

    pandas infers each chunk's categories on its own: a chunk whose ratings are all whole
    numbers gets integer categories, one holding a special code text ones, and the two
    cannot be joined as they are. Such a column is joined as the text of its cells, as the
    core reads a cell (whole numbers without '.0').
    """
    if len({part.cat.categories.dtype for part in parts}) > 1:
        parts = [
            part.cat.rename_categories([as_text(value) for value in part.cat.categories])
            for part in parts
        ]
    return union_categoricals(parts, ignore_order=True)
