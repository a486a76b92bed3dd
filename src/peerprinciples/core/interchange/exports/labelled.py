"""An evaluation as a labelled data set for SPSS (``.sav``) and Stata (``.dta``).

One row per interview and set of ratings, with variable labels, value labels (each point's
short label), and special codes as declared missing values (SPSS: their numeric values as
user-missing; Stata: extended missing values ``.a``, ``.b``...). Labels are cut to what each
package holds.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyreadstat

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.interchange.codebook import (
    TOTAL,
    TOTAL_BAND,
    Codebook,
    codebook,
    labels_fit,
    stata_missing,
)
from peerprinciples.core.interchange.exports.tables import (
    Notes,
    as_text,
    present_columns,
    rating_set_ids,
    scores_wide,
    with_notes,
)
from peerprinciples.core.ratings import RatingsTable
from peerprinciples.core.scoring import Scores, score

SPSS_LABEL_BYTES = 255
"""The longest SPSS variable label, in bytes."""

SPSS_VALUE_LABEL_BYTES = 120
"""The longest SPSS value label, in bytes."""

STATA_VERSION = 14
"""Write Stata's format 118, which Stata 14 and later read."""

STATA_LABEL_CHARS = 80
"""The longest Stata variable or data set label, in characters."""


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
    set_ids = rating_set_ids(base)

    ids = ["interview", "informant", *[c for c in present_columns(table) if c != "date"], "rater"]
    frame = base[ids].copy()
    if "date" in table.columns:
        first_date = (
            pd.DataFrame(
                {"interview": as_text(table.data["interview"]), "date": table.data["date"]}
            )
            .dropna()
            .drop_duplicates("interview")
            .set_index("interview")["date"]
        )
        dates = base["interview"].map(first_date)
        frame["date"] = [d.date() if pd.notna(d) else None for d in dates]
    frame["final"] = base["final"]
    frame["consensus_source"] = base["consensus_source"]
    frame = with_notes(frame, notes, include_notes)

    items = scores.item_scores
    code = as_text(items["code"])
    item_values = np.where(
        code.to_numpy() != "",
        code.map(values).to_numpy(dtype=float, na_value=np.nan),
        items["rating"].to_numpy(dtype=float),
    )
    long = pd.DataFrame(
        {"set": rating_set_ids(items).to_numpy(), "item": as_text(items["item"]).to_numpy()}
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
