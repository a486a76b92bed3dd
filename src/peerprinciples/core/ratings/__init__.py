"""The ratings table: item ratings from fidelity interviews, read, checked and normalised.

Ratings arrive as a CSV file, an XLSX workbook or a pandas DataFrame, in one of two layouts
(see ``docs/ratings-format.md``):

long
    one row per rating, with the columns ``interview``, ``informant``, ``item``, ``rating``
    and ``rater`` and, optionally, ``service``, ``peer_worker``, ``round`` and ``date``.
wide
    one row per interview and rater, with the columns ``interview``, ``informant`` and
    ``rater`` (plus the same optional columns) and one column per item, named by its key.

A rating is a whole point of the item's scale or one of the instrument's special codes. The
agreed value of two or more raters is a rating like any other, given by the rater
``consensus``.

Every problem in the input is found in one pass and reported together, each with the file,
the row as a spreadsheet shows it (the header is row 1, the first rating row 2), the column
and how to fix it. Checks work on whole columns at once (factorised codes and boolean masks),
so a table of a million ratings is checked in well under a second.

The package has one module per job:

:mod:`~peerprinciples.core.ratings.reading`
    reading and decoding files (CSV text, XLSX workbooks) into a frame of text cells;
:mod:`~peerprinciples.core.ratings.checks` and :mod:`~peerprinciples.core.ratings.values`
    the checks of the header, the layout and every value;
:mod:`~peerprinciples.core.ratings.cells`
    cell values, and columns as integer codes, which the checks work on;
:mod:`~peerprinciples.core.ratings.problems`
    the problems found, each with its file, row, column and fix;
:mod:`~peerprinciples.core.ratings.table`
    the checked table itself and the names of its columns.
"""

from peerprinciples.core.ratings.problems import (
    DOCS,
    MAX_PROBLEMS,
    RatingProblem,
    RatingsError,
)
from peerprinciples.core.ratings.reading import read_ratings, read_table
from peerprinciples.core.ratings.table import (
    CONSENSUS_RATER,
    INTERVIEW_ATTRIBUTES,
    KEY_COLUMNS,
    LONG_COLUMNS,
    OPTIONAL_COLUMNS,
    BoolArray,
    FloatArray,
    IntArray,
    Layout,
    RatingsTable,
    asked_matrix,
    first_rows,
)

__all__ = [
    "CONSENSUS_RATER",
    "DOCS",
    "INTERVIEW_ATTRIBUTES",
    "KEY_COLUMNS",
    "LONG_COLUMNS",
    "MAX_PROBLEMS",
    "OPTIONAL_COLUMNS",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "Layout",
    "RatingProblem",
    "RatingsError",
    "RatingsTable",
    "asked_matrix",
    "first_rows",
    "read_ratings",
    "read_table",
]
