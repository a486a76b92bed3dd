"""Errors raised by the psychometrics functions.

Every error is a :class:`PsychometricsError`, which is a :class:`ValueError`, so callers can
catch one class for every problem that lies in the data rather than in the code. Messages say
what is wrong, where (which item, rater or interview) and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "ConstantItemError",
    "NoDataError",
    "NonNumericDataError",
    "OutOfScaleError",
    "PsychometricsError",
    "SingleRaterError",
    "TooFewCasesError",
    "TooFewItemsError",
]


class PsychometricsError(ValueError):
    """A statistic cannot be computed from the data as given."""


class NoDataError(PsychometricsError):
    """There are no ratings at all (an empty table, or every value missing)."""


class TooFewCasesError(PsychometricsError):
    """Too few cases (interviews, targets) remain to compute the statistic."""


class TooFewItemsError(PsychometricsError):
    """Too few items to compute the statistic (for example alpha needs two)."""


class ConstantItemError(PsychometricsError):
    """An item (or a whole set of ratings) has the same value everywhere, so it has no variance."""


class SingleRaterError(PsychometricsError):
    """Agreement needs at least two raters, but only one was found."""


class NonNumericDataError(PsychometricsError):
    """The statistic needs numbers (or ordered categories) but got something else."""


class OutOfScaleError(PsychometricsError):
    """A rating lies outside the declared scale or the declared list of categories."""
