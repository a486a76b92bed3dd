"""What the inter-rater agreement statistics share: the missing-value policy, the check for
numeric ratings, and ratings as integer codes into their categories.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from ._data import (
    FloatArray,
    RatingsMatrix,
    format_value,
    missing_mask,
)
from ._errors import (
    NonNumericDataError,
    OutOfScaleError,
    PsychometricsError,
)

AgreementNanPolicy = Literal["listwise", "raise"]


AGREEMENT_NAN_POLICIES = ("listwise", "raise")


def require_numeric(matrix: RatingsMatrix, func: str) -> None:
    """Refuse ratings that are not numbers, for a statistic that needs scale points."""
    if not matrix.numeric:
        raise NonNumericDataError(
            f"{func} needs numeric ratings (scale points), but the ratings are text or "
            "categories; map them to numbers first, or use krippendorff_alpha(level='nominal') "
            "or cohen_kappa for categories."
        )


def category_codes(
    values: npt.NDArray[Any],
    numeric: bool,
    categories: Sequence[Any] | None,
    func: str,
    need_order: bool,
    missing: npt.NDArray[np.bool_] | None = None,
) -> tuple[npt.NDArray[np.int64], tuple[Any, ...]]:
    """Codes 0..K-1 (−1 = missing) of the ratings, and the ordered categories."""
    if missing is None:
        missing = missing_mask(values)
    present = values[~missing]
    codes = np.full(values.shape, -1, dtype=np.int64)
    if categories is None:
        if not numeric and need_order:
            raise NonNumericDataError(
                f"{func}: the ratings are text, so their order is unknown; pass categories=[...] "
                "listing them from lowest to highest."
            )
        if numeric and present.size:
            fast = _small_integer_codes(present)
            if fast is not None:
                domain, mapped = fast
                codes[~missing] = mapped
                return codes, _plain(domain)
        try:
            domain, mapped = np.unique(present, return_inverse=True)
        except TypeError as error:
            raise NonNumericDataError(
                f"{func}: the ratings mix types that cannot be sorted ({error}); pass "
                "categories=[...] or convert the ratings to one type."
            ) from error
        codes[~missing] = mapped
        return codes, _plain(domain)
    domain = np.asarray(list(categories), dtype=np.float64 if numeric else object)
    if len(set(domain.tolist())) != domain.size:
        raise PsychometricsError(f"{func}: categories contains a value twice: {categories!r}.")
    if numeric:
        order = np.argsort(domain, kind="stable")
        position = np.searchsorted(domain[order], present)
        position = np.clip(position, 0, domain.size - 1)
        found = domain[order][position] == present
        mapped = order[position]
    else:
        lookup = {value: index for index, value in enumerate(domain.tolist())}
        mapped = np.fromiter((lookup.get(value, -1) for value in present), np.int64, present.size)
        found = mapped >= 0
    if not found.all():
        unknown = present[~found][0]
        raise OutOfScaleError(
            f"{func}: the rating {format_value(unknown)!s} is not one of the categories "
            f"{[format_value(c) for c in domain.tolist()]}; correct it or extend categories."
        )
    codes[~missing] = mapped
    return codes, _plain(domain)


def unit_counts(
    values: FloatArray, rows: npt.NDArray[np.intp], n_rows: int
) -> tuple[npt.NDArray[np.intp], tuple[Any, ...]] | None:
    """Ratings per unit (row) and value for whole-number ratings, by counting.

    Returns the counts (units × values that occur) and the values, or ``None`` when the ratings
    are not whole numbers in a range of at most 1,000 (then the general path is used).
    """
    low, high = values.min(), values.max()
    shifted = values - low
    if high - low > 1000 or (shifted != np.floor(shifted)).any():
        return None
    width = int(high - low) + 1
    full = np.bincount(rows * width + shifted.astype(np.intp), minlength=n_rows * width)
    full = full.reshape(n_rows, width)
    used = full.any(axis=0)
    return full[:, used], tuple((np.flatnonzero(used) + low).tolist())


def _small_integer_codes(
    present: npt.NDArray[Any],
) -> tuple[FloatArray, npt.NDArray[np.int64]] | None:
    """``np.unique(present, return_inverse=True)`` by counting, for whole-number ratings.

    Rating scales are small ranges of whole numbers, where counting is much faster than the
    sort inside :func:`numpy.unique`. Returns ``None`` when the shortcut does not apply.
    """
    low, high = present.min(), present.max()
    if high - low > 1000:
        return None
    shifted = (present - low).astype(np.int64)
    if not np.array_equal(shifted, present - low):
        return None
    used = np.bincount(shifted) > 0
    lookup = np.cumsum(used) - 1
    return np.flatnonzero(used) + low, lookup[shifted]


def _plain(domain: npt.NDArray[Any]) -> tuple[Any, ...]:
    return tuple(domain.tolist())
