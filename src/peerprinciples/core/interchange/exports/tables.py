"""The tables an evaluation is exported as: ratings long and wide, and scores wide.

Each is a :class:`pandas.DataFrame` built from a checked
:class:`~peerprinciples.core.ratings.RatingsTable` (and its scores); the writers of
:mod:`~peerprinciples.core.interchange.exports.spreadsheets` and
:mod:`~peerprinciples.core.interchange.exports.labelled` put them into files.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from peerprinciples.core.interchange.codebook import TOTAL, TOTAL_BAND, code_values, codebook
from peerprinciples.core.ratings import CONSENSUS_RATER, OPTIONAL_COLUMNS, RatingsTable
from peerprinciples.core.scoring import Scores, score

Notes = Mapping[tuple[str, str], str]
"""Raters' notes: (interview, rater) → text."""

_SET = ["interview", "rater"]


def present_columns(table: RatingsTable) -> list[str]:
    """The optional columns the ratings gave, in the standard order."""
    return [c for c in OPTIONAL_COLUMNS if c in table.columns]


def as_text(series: pd.Series) -> pd.Series:
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
        as_text(frame["interview"]).str.strip(),
        as_text(frame["rater"]).str.strip(),
        as_text(frame["notes"]).str.strip(),
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


def with_notes(frame: pd.DataFrame, notes: Notes | None, include_notes: bool) -> pd.DataFrame:
    """``frame`` with a ``notes`` column per interview and rater, when notes are to be written."""
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
    code = as_text(data["code"])
    points = data["rating"].to_numpy()
    is_code = code.to_numpy() != ""
    point_ints = pd.array(np.where(is_code, 0, np.nan_to_num(points)).astype(np.int64))
    value = np.where(is_code, code.map(values).fillna(0).to_numpy(), point_ints)
    frame = pd.DataFrame(
        {"interview": as_text(data["interview"]), "informant": as_text(data["informant"])}
    )
    for column in present_columns(table):
        frame[column] = data[column].to_numpy() if column == "date" else as_text(data[column])
    frame["rater"] = as_text(data["rater"])
    frame["item"] = as_text(data["item"])
    frame["domain"] = frame["item"].map(domain_of)
    frame["rating"] = pd.Series(
        np.where(is_code, code.to_numpy(), np.asarray(point_ints, dtype=object)), dtype=object
    )
    frame["value"] = pd.array(value.astype(np.int64), dtype="Int64")
    frame["code"] = code.to_numpy()
    return with_notes(frame, notes, include_notes)


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
    ids = ["interview", "informant", "rater", *present_columns(table)]
    rows = long.drop_duplicates(_SET)[ids].reset_index(drop=True)
    cells = long.pivot(index=_SET, columns="item", values="rating")
    item_keys = [item.key for item in table.instrument.items]
    cells = cells.reindex(columns=item_keys)
    cells.columns = pd.Index(item_keys)
    frame = rows.merge(cells.reset_index(), on=_SET, how="left")
    for key in item_keys:
        frame[key] = frame[key].astype(object).where(frame[key].notna(), None)
    return with_notes(frame, notes, include_notes)


def rating_set_ids(frame: pd.DataFrame) -> pd.Series:
    """One text per set of ratings (interview and rater), to line tables up by."""
    return as_text(frame["interview"]) + "\x1f" + as_text(frame["rater"])


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
    ids = ["interview", "informant", *[c for c in present_columns(table) if c != "date"], "rater"]
    frame = pd.DataFrame({c: as_text(totals[c]) for c in ids})
    frame["final"] = totals["final"].astype(np.int64).to_numpy()
    frame["consensus_source"] = as_text(totals["consensus_source"]).to_numpy()
    domains = scores.domain_scores
    pivot = pd.DataFrame(
        {"set": rating_set_ids(domains).to_numpy(), "domain": as_text(domains["domain"]).to_numpy()}
    )
    pivot["score"] = domains["score"].to_numpy()
    wide = pivot.pivot(index="set", columns="domain", values="score")
    set_ids = rating_set_ids(totals)
    for domain in table.instrument.domains:
        column = wide[domain.key] if domain.key in wide.columns else pd.Series(dtype=float)
        frame[book.names.domains[domain.key]] = column.reindex(set_ids).to_numpy(dtype=float)
    frame[TOTAL] = totals["score"].to_numpy(dtype=float)
    frame[TOTAL_BAND] = as_text(totals["band"]).to_numpy()
    return frame
