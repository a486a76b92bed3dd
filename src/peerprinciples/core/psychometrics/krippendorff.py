"""Krippendorff's alpha for nominal, ordinal, interval and ratio data with missing ratings.

Takes wide data (one row per target, one column per rater) or long data with the column
names ``targets``, ``raters`` and ``ratings``, like pingouin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._agreement import (
    category_codes,
    unit_counts,
)
from ._data import (
    check_choice,
    check_frame,
    format_value,
    ratings_matrix,
    require_raters,
)
from ._errors import (
    ConstantItemError,
    NonNumericDataError,
    PsychometricsError,
    TooFewCasesError,
)
from ._results import (
    KrippendorffResult,
)

__all__ = ["krippendorff_alpha"]

Level = Literal["nominal", "ordinal", "interval", "ratio"]


_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def krippendorff_alpha(
    data: pd.DataFrame,
    *,
    level: Level,
    targets: str | None = None,
    raters: str | None = None,
    ratings: str | None = None,
    categories: Sequence[Any] | None = None,
) -> KrippendorffResult:
    """Krippendorff's alpha for nominal, ordinal, interval or ratio data with missing ratings.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide (one row per unit/target, one column per rater; NaN = not rated) or long.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement; decides how far apart two different ratings are. Required,
        because the choice changes the result.
    targets, raters, ratings : str, optional
        Column names for long data (all three), see :func:`icc`.
    categories : sequence, optional
        The value domain. Defaults to the sorted values that occur in units with two or more
        ratings; for text ratings at the ordinal level pass them from lowest to highest.

    Returns
    -------
    KrippendorffResult
        ``alpha``, observed and expected disagreement and counts.

    Raises
    ------
    SingleRaterError
        With only one rater.
    TooFewCasesError
        If no unit has at least two ratings.
    ConstantItemError
        If every pairable rating is the same value (no expected disagreement).
    NonNumericDataError
        For text ratings with ``level="interval"``/``"ratio"``, or ordinal text without
        ``categories``.
    NoDataError, OutOfScaleError, PsychometricsError
        For no ratings, values outside ``categories``, or an unknown ``level``.

    Notes
    -----
    Missing ratings need no ``nan_policy``: alpha uses every unit with at least two ratings
    (pairable values), and units with one rating are ignored. With :math:`n_{uc}` the number of
    ratings :math:`c` in unit :math:`u`, :math:`m_u = \\sum_c n_{uc} \\ge 2`, the coincidences
    and margins are (Krippendorff [1]_, [2]_)

    .. math::

        o_{ck} = \\sum_u \\frac{n_{uc} n_{uk} - [c = k]\\, n_{uc}}{m_u - 1}, \\quad
        n_c = \\sum_k o_{ck}, \\quad n = \\sum_c n_c

    and

    .. math::

        \\alpha = 1 - \\frac{D_o}{D_e} = 1 - (n - 1)\\frac{\\sum_{c,k} o_{ck}\\,\\delta^2_{ck}}
        {\\sum_{c,k} n_c n_k\\,\\delta^2_{ck}}

    with :math:`\\delta^2_{ck} = [c \\ne k]` (nominal), :math:`(\\sum_{g=c}^{k} n_g - (n_c +
    n_k)/2)^2` (ordinal), :math:`(c - k)^2` (interval) or :math:`((c-k)/(c+k))^2` (ratio).
    Tested against the ``krippendorff`` package [3]_.

    References
    ----------
    .. [1] Krippendorff, K. (2019). Content analysis: An introduction to its methodology
           (4th ed.). Thousand Oaks, CA: SAGE.
    .. [2] Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard
           reliability measure for coding data. Communication Methods and Measures, 1(1),
           77–89. https://doi.org/10.1080/19312450709336664
    .. [3] Castro, S. (2017). Fast Krippendorff: fast computation of Krippendorff's alpha
           agreement measure. https://github.com/pln-fing-udelar/fast-krippendorff

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import krippendorff_alpha
    >>> wide = pd.DataFrame({"r1": [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan],
    ...                      "r2": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5],
    ...                      "r3": [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5]})
    >>> round(krippendorff_alpha(wide, level="ordinal").alpha, 3)
    0.805
    """
    func = "krippendorff_alpha"
    check_frame(data, func)
    check_choice(level, _LEVELS, "level", func)
    matrix = ratings_matrix(data, targets, raters, ratings, func)
    if level in ("interval", "ratio") and not matrix.numeric:
        raise NonNumericDataError(
            f"{func}: level={level!r} needs numeric ratings, but the ratings are text; use "
            "level='nominal', or level='ordinal' with categories=[lowest, ..., highest], or map "
            "the text to numbers."
        )
    require_raters(matrix, func)
    if level == "ratio" and matrix.numeric and np.nanmin(matrix.values) < 0:
        raise PsychometricsError(
            f"{func}: level='ratio' needs ratings of zero or more (a true zero point), but "
            f"there is a rating of {format_value(np.nanmin(matrix.values))}; use "
            "level='interval'."
        )
    observed_mask = ~matrix.missing
    per_unit = np.count_nonzero(observed_mask, axis=1)
    pairable = per_unit >= 2
    if not pairable.any():
        raise TooFewCasesError(
            f"{func} needs at least one target rated by 2 or more raters, but every target has "
            "at most one rating; add the double-rated targets."
        )
    # Only values in units with two or more ratings enter alpha (pairable values).
    rows, columns = np.nonzero(observed_mask & pairable[:, None])
    values = matrix.values[rows, columns]
    n_rows = per_unit.size
    counted = unit_counts(values, rows, n_rows) if categories is None and matrix.numeric else None
    counts: npt.NDArray[np.intp]
    if counted is not None:
        counts, domain = counted
    else:
        value_codes, domain = category_codes(
            values,
            matrix.numeric,
            categories,
            func,
            level == "ordinal",
            np.zeros(rows.size, dtype=np.bool_),
        )
        counts = np.bincount(
            rows * len(domain) + value_codes, minlength=n_rows * len(domain)
        ).reshape(n_rows, len(domain))
    size = len(domain)
    weight = np.zeros(n_rows)
    np.divide(1.0, per_unit - 1.0, out=weight, where=pairable)
    weighted = counts * weight[:, None]
    coincidences = counts.T @ weighted
    coincidences[np.diag_indices(size)] -= weighted.sum(axis=0)
    margins = coincidences.sum(axis=0)
    total = float(margins.sum())
    n_units = int(np.count_nonzero(pairable))

    if level == "nominal":
        distance = 1.0 - np.eye(size)
    elif level == "ordinal":
        cumulative = np.concatenate(([0.0], np.cumsum(margins)))
        low = np.minimum.outer(np.arange(size), np.arange(size))
        high = np.maximum.outer(np.arange(size), np.arange(size))
        between = cumulative[high + 1] - cumulative[low]
        distance = (between - (margins[:, None] + margins[None, :]) / 2.0) ** 2
    else:
        points = np.asarray(domain, dtype=np.float64)
        difference = points[:, None] - points[None, :]
        if level == "interval":
            distance = difference**2
        else:
            sums = points[:, None] + points[None, :]
            distance = (
                np.divide(difference, sums, out=np.zeros_like(difference), where=sums != 0) ** 2
            )
    observed = float((coincidences * distance).sum()) / total
    expected = float((np.outer(margins, margins) * distance).sum()) / (total * (total - 1.0))
    if expected == 0:
        raise ConstantItemError(
            f"{func}: every rating in the targets rated more than once is the same, so there "
            "is no disagreement to expect and alpha is undefined; report percentage agreement "
            "instead, or check the data."
        )
    return KrippendorffResult(
        alpha=1.0 - observed / expected,
        level=level,
        observed_disagreement=observed,
        expected_disagreement=expected,
        n_units=n_units,
        n_pairable_values=round(total),
        categories=domain,
    )
