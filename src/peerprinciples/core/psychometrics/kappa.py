"""Cohen's kappa (unweighted and weighted) for two raters and Fleiss' kappa for several.

Takes wide data (one row per target, one column per rater) or long data with the column
names ``targets``, ``raters`` and ``ratings``, like pingouin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from ._agreement import (
    AGREEMENT_NAN_POLICIES,
    AgreementNanPolicy,
    category_codes,
)
from ._data import (
    FloatArray,
    check_choice,
    check_confidence,
    check_frame,
    complete_targets,
    format_value,
    ratings_matrix,
    require_raters,
)
from ._errors import (
    ConstantItemError,
    PsychometricsError,
)
from ._results import (
    ConfidenceInterval,
    FleissKappaResult,
    KappaResult,
)

__all__ = ["cohen_kappa", "fleiss_kappa"]

KappaWeights = Literal["linear", "quadratic"]


def _disagreement_weights(size: int, weights: str) -> FloatArray:
    positions = np.arange(size, dtype=np.float64)
    distance = np.abs(positions[:, None] - positions[None, :]) / max(size - 1, 1)
    if weights == "linear":
        return distance
    if weights == "quadratic":
        return distance**2
    return 1.0 - np.eye(size)


def kappa_from_codes(
    first: npt.NDArray[np.int64], second: npt.NDArray[np.int64], size: int, weights: str
) -> tuple[float, float, float, float]:
    """Kappa, asymptotic SE, observed and expected (weighted) agreement from paired codes."""
    n = first.size
    table = np.bincount(first * size + second, minlength=size * size).reshape(size, size) / n
    rows = table.sum(axis=1)
    cols = table.sum(axis=0)
    disagreement = _disagreement_weights(size, weights)
    agreement = 1.0 - disagreement
    expected_table = rows[:, None] * cols[None, :]
    observed = float((agreement * table).sum())
    expected = float((agreement * expected_table).sum())
    if expected >= 1.0:
        raise ConstantItemError(
            "cohen_kappa: both raters used one and the same category for every target, so "
            "agreement by chance is already 100% and kappa is undefined; report percentage "
            "agreement instead."
        )
    kappa = (observed - expected) / (1.0 - expected)
    # Fleiss, Cohen & Everitt (1969), in the agreement-weight form of the SAS/statsmodels code.
    row_weights = agreement @ cols
    col_weights = rows @ agreement
    term = (
        table * (agreement - (row_weights[:, None] + col_weights[None, :]) * (1 - kappa)) ** 2
    ).sum()
    variance = (term - (kappa - expected * (1 - kappa)) ** 2) / ((1 - expected) ** 2 * n)
    return kappa, float(np.sqrt(max(variance, 0.0))), observed, expected


def cohen_kappa(
    data: pd.DataFrame,
    *,
    targets: str | None = None,
    raters: str | None = None,
    ratings: str | None = None,
    weights: KappaWeights | None = None,
    categories: Sequence[Any] | None = None,
    nan_policy: AgreementNanPolicy = "listwise",
    confidence: float = 0.95,
) -> KappaResult:
    """Cohen's kappa for two raters: unweighted, linearly or quadratically weighted.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide (one row per target, exactly two rater columns) or long (one row per rating).
    targets, raters, ratings : str, optional
        Column names for long data (all three), see :func:`icc`.
    weights : {None, "linear", "quadratic"}, default None
        ``None`` for unweighted kappa (any disagreement counts fully); ``"linear"`` or
        ``"quadratic"`` for ordinal scales (near misses count partly).
    categories : sequence, optional
        The possible ratings in order, e.g. ``range(1, 6)``. Defaults to the sorted ratings
        that occur. Weights use positions in this list, so pass the full scale when a point
        may be unused. Required for weighted kappa on text ratings.
    nan_policy : {"listwise", "raise"}, default "listwise"
        ``"listwise"`` leaves out targets missing either rating.
    confidence : float, default 0.95
        Level of the Wald confidence interval.

    Returns
    -------
    KappaResult
        ``kappa``, ``se``, ``ci``, observed and expected agreement, and counts.

    Raises
    ------
    SingleRaterError
        With only one rater; ``PsychometricsError`` with more than two (use
        :func:`fleiss_kappa` or :func:`krippendorff_alpha`).
    TooFewCasesError
        With fewer than 2 targets rated by both.
    ConstantItemError
        If chance agreement is already 100% (both raters always used the same category).
    OutOfScaleError, NonNumericDataError, NoDataError
        For ratings outside ``categories``, text ratings with weights and no ``categories``,
        or no ratings.

    Notes
    -----
    With :math:`p_{ij}` the share of targets rated :math:`i` by the first and :math:`j` by the
    second rater, :math:`p_{i\\cdot}, p_{\\cdot j}` the margins, and agreement weights
    :math:`w_{ij} = 1 - d_{ij}` (:math:`d_{ij} = [i \\ne j]`, :math:`|i-j|/(K-1)` or
    :math:`(i-j)^2/(K-1)^2` for the :math:`K` categories),

    .. math::

        \\kappa = \\frac{p_o - p_e}{1 - p_e}, \\quad p_o = \\sum_{ij} w_{ij} p_{ij}, \\quad
        p_e = \\sum_{ij} w_{ij} p_{i\\cdot} p_{\\cdot j}

    (Cohen [1]_, [2]_). The standard error is the large-sample formula of Fleiss, Cohen &
    Everitt [3]_ (as in ``statsmodels.stats.inter_rater.cohens_kappa``, against which it is
    tested), and the interval is :math:`\\kappa \\pm z_{1-\\gamma/2}\\,SE`, cut to
    :math:`[-1, 1]` (with few targets the Wald interval can otherwise pass 1). Kappa equals
    ``sklearn.metrics.cohen_kappa_score`` with ``labels=categories``.

    References
    ----------
    .. [1] Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
           Psychological Measurement, 20(1), 37–46. https://doi.org/10.1177/001316446002000104
    .. [2] Cohen, J. (1968). Weighted kappa: nominal scale agreement with provision for scaled
           disagreement or partial credit. Psychological Bulletin, 70(4), 213–220.
           https://doi.org/10.1037/h0026256
    .. [3] Fleiss, J. L., Cohen, J., & Everitt, B. S. (1969). Large sample standard errors of
           kappa and weighted kappa. Psychological Bulletin, 72(5), 323–327.
           https://doi.org/10.1037/h0028106

    Examples
    --------
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import cohen_kappa
    >>> wide = pd.DataFrame({"first": [1, 2, 3, 3, 4, 5, 2, 1], "second": [1, 2, 3, 4, 4, 5, 1, 1]})
    >>> round(cohen_kappa(wide).kappa, 3)
    0.686
    >>> round(cohen_kappa(wide, weights="quadratic", categories=range(1, 6)).kappa, 3)
    0.937
    """
    func = "cohen_kappa"
    check_frame(data, func)
    if weights is not None:
        check_choice(weights, ("linear", "quadratic"), "weights", func)
    check_choice(nan_policy, AGREEMENT_NAN_POLICIES, "nan_policy", func)
    check_confidence(confidence, func)
    matrix = ratings_matrix(data, targets, raters, ratings, func)
    require_raters(matrix, func)
    if len(matrix.raters) > 2:
        raise PsychometricsError(
            f"cohen_kappa compares exactly 2 raters, but got {len(matrix.raters)} "
            f"({', '.join(map(repr, matrix.raters))}); use fleiss_kappa or krippendorff_alpha "
            "for more raters, or select two."
        )
    values, dropped = complete_targets(matrix, nan_policy, func, 2)
    codes, domain = category_codes(
        values, matrix.numeric, categories, func, need_order=weights is not None
    )
    kappa, se, observed, expected = kappa_from_codes(
        codes[:, 0], codes[:, 1], len(domain), weights or "none"
    )
    z = float(special.ndtri(1.0 - (1.0 - confidence) / 2.0))
    return KappaResult(
        kappa=kappa,
        weights=weights or "none",
        se=se,
        ci=ConfidenceInterval(
            lower=max(kappa - z * se, -1.0),
            upper=min(kappa + z * se, 1.0),
            level=confidence,
            method="Wald interval with the Fleiss, Cohen & Everitt (1969) standard error",
        ),
        observed_agreement=observed,
        expected_agreement=expected,
        n_targets=int(values.shape[0]),
        n_targets_dropped=dropped,
        categories=domain,
    )


def fleiss_kappa(
    data: pd.DataFrame,
    *,
    targets: str | None = None,
    raters: str | None = None,
    ratings: str | None = None,
    categories: Sequence[Any] | None = None,
    nan_policy: AgreementNanPolicy = "listwise",
) -> FleissKappaResult:
    """Fleiss' kappa: chance-corrected agreement of a fixed number of raters per target.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide (one row per target, one column per rater or per rating slot) or long.
    targets, raters, ratings : str, optional
        Column names for long data (all three), see :func:`icc`.
    categories : sequence, optional
        The possible ratings; defaults to those that occur (unused categories do not change
        Fleiss' kappa).
    nan_policy : {"listwise", "raise"}, default "listwise"
        ``"listwise"`` leaves out targets missing any rating, so every target has the same
        number of ratings (which the formula requires).

    Returns
    -------
    FleissKappaResult
        ``kappa``, observed and expected agreement and counts. No confidence interval is
        given (the reference implementation has none to validate against).

    Raises
    ------
    SingleRaterError, TooFewCasesError, ConstantItemError, NoDataError, OutOfScaleError
        As for :func:`cohen_kappa`.

    Notes
    -----
    With :math:`N` targets, :math:`m` ratings per target and :math:`n_{ic}` the number of
    ratings of target :math:`i` in category :math:`c` (Fleiss [1]_):

    .. math::

        P_i = \\frac{\\sum_c n_{ic}^2 - m}{m(m-1)}, \\quad \\bar P = \\frac1N \\sum_i P_i, \\quad
        p_c = \\frac{\\sum_i n_{ic}}{Nm}, \\quad \\bar P_e = \\sum_c p_c^2, \\quad
        \\kappa = \\frac{\\bar P - \\bar P_e}{1 - \\bar P_e}

    Raters need not be the same people for every target. Tested against
    ``statsmodels.stats.inter_rater.fleiss_kappa`` [2]_.

    References
    ----------
    .. [1] Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
           Psychological Bulletin, 76(5), 378–382. https://doi.org/10.1037/h0031619
    .. [2] Seabold, S., & Perktold, J. (2010). statsmodels: Econometric and statistical
           modeling with Python. Proceedings of the 9th Python in Science Conference.

    Examples
    --------
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import fleiss_kappa
    >>> wide = pd.DataFrame({"r1": [1, 2, 3, 3, 2], "r2": [1, 2, 3, 2, 2], "r3": [1, 3, 3, 3, 2]})
    >>> round(fleiss_kappa(wide).kappa, 3)
    0.583
    """
    func = "fleiss_kappa"
    check_frame(data, func)
    check_choice(nan_policy, AGREEMENT_NAN_POLICIES, "nan_policy", func)
    matrix = ratings_matrix(data, targets, raters, ratings, func)
    require_raters(matrix, func)
    values, dropped = complete_targets(matrix, nan_policy, func, 2)
    codes, domain = category_codes(values, matrix.numeric, categories, func, need_order=False)
    n_targets, m = codes.shape
    size = len(domain)
    rows = np.repeat(np.arange(n_targets), m)
    counts = np.bincount(rows * size + codes.ravel(), minlength=n_targets * size).reshape(
        n_targets, size
    )
    observed = float(((counts * counts).sum(axis=1) - m).mean() / (m * (m - 1.0)))
    shares = counts.sum(axis=0) / (n_targets * m)
    expected = float((shares * shares).sum())
    if expected >= 1.0:
        raise ConstantItemError(
            f"{func}: every rating is {format_value(domain[int(np.argmax(shares))])}, so "
            "agreement by chance is already 100% and kappa is undefined; report percentage "
            "agreement instead."
        )
    return FleissKappaResult(
        kappa=(observed - expected) / (1.0 - expected),
        observed_agreement=observed,
        expected_agreement=expected,
        n_targets=n_targets,
        n_raters=m,
        n_targets_dropped=dropped,
        categories=domain,
    )
