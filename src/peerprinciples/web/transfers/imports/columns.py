"""The file's interviews and sets of ratings, as whole columns of numbers.

Checks work on numpy arrays indexed by interview or by set of ratings (one interview and
one rater, or its agreed ratings), never row by row in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

IntArray = npt.NDArray[np.int64]


def categories(series: pd.Series) -> tuple[IntArray, list[str]]:
    """A categorical column's codes (−1 blank) and its categories as text."""
    codes = np.asarray(series.cat.codes.to_numpy(), dtype=np.int64)
    return codes, [str(c) for c in series.cat.categories]


@dataclass
class Interviews:
    """The interviews of the table: their references and first rows."""

    codes: list[str]
    first: IntArray  # position of each interview's first rating
    rows: IntArray  # the file row of each interview's first rating


@dataclass
class RatingSets:
    """Sets of ratings (one interview and one rater, or its agreed ratings)."""

    interview: IntArray
    rater: IntArray  # category of the rater column
    agreed: npt.NDArray[np.bool_]
    rows: IntArray  # the file row of each set's first rating
    of_row: IntArray  # the set of each rating
