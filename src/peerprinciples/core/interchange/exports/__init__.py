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

The work is split by what is produced: :mod:`~peerprinciples.core.interchange.exports.tables`
builds the tables, :mod:`~peerprinciples.core.interchange.exports.spreadsheets` writes CSV
and XLSX, :mod:`~peerprinciples.core.interchange.exports.labelled` the SPSS and Stata data
sets, and :mod:`~peerprinciples.core.interchange.exports.evaluation` all of them at once. The
names below are re-exported here, so ``from peerprinciples.core.interchange.exports import
...`` works for all of them.
"""

from __future__ import annotations

from peerprinciples.core.interchange.exports.evaluation import (
    EXPORT_FILES,
    FORMATS,
    Format,
    export_evaluation,
)
from peerprinciples.core.interchange.exports.labelled import (
    SPSS_LABEL_BYTES,
    SPSS_VALUE_LABEL_BYTES,
    STATA_LABEL_CHARS,
    STATA_VERSION,
    LabelledData,
    labelled_data,
    write_dta,
    write_sav,
)
from peerprinciples.core.interchange.exports.spreadsheets import (
    EXCEL_ROWS,
    SHEETS,
    write_csv,
    write_xlsx,
)
from peerprinciples.core.interchange.exports.tables import (
    Notes,
    notes_from_table,
    ratings_long,
    ratings_wide,
    scores_wide,
)

__all__ = [
    "EXCEL_ROWS",
    "EXPORT_FILES",
    "FORMATS",
    "SHEETS",
    "SPSS_LABEL_BYTES",
    "SPSS_VALUE_LABEL_BYTES",
    "STATA_LABEL_CHARS",
    "STATA_VERSION",
    "Format",
    "LabelledData",
    "Notes",
    "export_evaluation",
    "labelled_data",
    "notes_from_table",
    "ratings_long",
    "ratings_wide",
    "scores_wide",
    "write_csv",
    "write_dta",
    "write_sav",
    "write_xlsx",
]
