"""Every export of an evaluation at once, in the formats asked for."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.interchange.codebook import codebook, write_codebook
from peerprinciples.core.interchange.exports.labelled import write_dta, write_sav
from peerprinciples.core.interchange.exports.spreadsheets import write_csv, write_xlsx
from peerprinciples.core.interchange.exports.tables import (
    Notes,
    ratings_long,
    ratings_wide,
    scores_wide,
)
from peerprinciples.core.ratings import RatingsTable
from peerprinciples.core.scoring import Scores, score

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
