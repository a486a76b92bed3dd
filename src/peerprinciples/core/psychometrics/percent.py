"""Percentage agreement: the share of targets whose raters agree exactly, or within a tolerance.

Takes wide data (one row per target, one column per rater) or long data with the column
names ``targets``, ``raters`` and ``ratings``, like pingouin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._agreement import (
    AGREEMENT_NAN_POLICIES,
    AgreementNanPolicy,
    require_numeric,
)
from ._data import (
    FloatArray,
    check_choice,
    check_frame,
    complete_targets,
    ratings_matrix,
    require_raters,
)
from ._errors import (
    PsychometricsError,
)
from ._results import (
    PercentAgreementResult,
)

__all__ = ["percent_agreement"]


def percent_agreement(
    data: pd.DataFrame,
    *,
    targets: str | None = None,
    raters: str | None = None,
    ratings: str | None = None,
    tolerance: float = 1.0,
    nan_policy: AgreementNanPolicy = "listwise",
) -> PercentAgreementResult:
    """Percentage of targets on which raters agree exactly, and within ``tolerance`` points.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide (one row per target, one numeric column per rater) or long.
    targets, raters, ratings : str, optional
        Column names for long data (all three), see :func:`icc`.
    tolerance : float, default 1.0
        Largest difference between the highest and lowest rating of a target that still
        counts as adjacent agreement (1 = within one scale point).
    nan_policy : {"listwise", "raise"}, default "listwise"
        ``"listwise"`` leaves out targets missing any rating.

    Returns
    -------
    PercentAgreementResult
        ``percent_exact`` and ``percent_adjacent`` (0 to 100) and counts.

    Raises
    ------
    SingleRaterError, TooFewCasesError, NoDataError, NonNumericDataError
        For a single rater, no target rated by every rater, no ratings, or text ratings.

    Notes
    -----
    As ``irr::agree`` [1]_: a target counts as exact agreement when all its ratings are equal,
    and as adjacent agreement when :math:`\\max - \\min \\le` ``tolerance``:

    .. math::

        \\%_{exact} = \\frac{100}{N} \\sum_i [\\max_r x_{ir} = \\min_r x_{ir}], \\quad
        \\%_{adjacent} = \\frac{100}{N} \\sum_i [\\max_r x_{ir} - \\min_r x_{ir} \\le t]

    Percentage agreement is not corrected for chance; read it beside kappa or the ICC. For two
    raters exact agreement equals ``100 * sklearn.metrics.accuracy_score``.

    References
    ----------
    .. [1] Gamer, M., Lemon, J., Fellows, I., & Singh, P. (2019). irr: Various coefficients of
           interrater reliability and agreement (function ``agree``). R package version 0.84.1.

    Examples
    --------
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import percent_agreement
    >>> wide = pd.DataFrame({"first": [1, 2, 3, 3, 4], "second": [1, 3, 3, 5, 4]})
    >>> result = percent_agreement(wide)
    >>> result.percent_exact, result.percent_adjacent
    (60.0, 80.0)
    """
    func = "percent_agreement"
    check_frame(data, func)
    check_choice(nan_policy, AGREEMENT_NAN_POLICIES, "nan_policy", func)
    if not tolerance >= 0:
        raise PsychometricsError(f"{func}: tolerance must be zero or more, got {tolerance!r}.")
    matrix = ratings_matrix(data, targets, raters, ratings, func)
    require_numeric(matrix, func)
    require_raters(matrix, func)
    values, dropped = complete_targets(matrix, nan_policy, func, 1)
    exact, adjacent = percent_arrays(np.asarray(values, dtype=np.float64)[:, :, None], tolerance)
    return PercentAgreementResult(
        percent_exact=float(exact[0]),
        percent_adjacent=float(adjacent[0]),
        tolerance=float(tolerance),
        n_targets=int(values.shape[0]),
        n_raters=int(values.shape[1]),
        n_targets_dropped=dropped,
    )


def percent_arrays(ratings: FloatArray, tolerance: float) -> tuple[FloatArray, FloatArray]:
    """Exact and adjacent percentages for complete ratings of shape (n, k, m)."""
    spread = ratings.max(axis=1) - ratings.min(axis=1)
    return 100.0 * (spread == 0).mean(axis=0), 100.0 * (spread <= tolerance).mean(axis=0)
