"""Internal consistency: Cronbach's alpha (with item-total statistics) and McDonald's omega."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import linalg, optimize, special

from ._data import (
    FloatArray,
    check_choice,
    check_confidence,
    check_constant_items,
    check_frame,
    check_no_empty_items,
    numeric_items,
    require_items,
)
from ._errors import ConstantItemError, PsychometricsError, TooFewCasesError
from ._results import (
    AlphaResult,
    ConfidenceInterval,
    ItemLoading,
    ItemTotalStatistics,
    NanPolicy,
    OmegaResult,
)

__all__ = ["cronbach_alpha", "mcdonald_omega"]

_NAN_POLICIES = ("pairwise", "listwise")
#: Upper bound on a communality in the minres fit (as factor_analyzer's default bounds on the
#: uniquenesses, 0.005 to 1, and psych's fa()).
_MAX_COMMUNALITY = 0.995


def _covariance(
    names: Sequence[str], values: FloatArray, nan_policy: str, func: str, correlation: bool
) -> tuple[FloatArray, int]:
    """Item covariance (``ddof=1``) or correlation matrix, and the number of cases used.

    ``listwise`` keeps the cases that answered every item. ``pairwise`` uses, for each pair of
    items, the cases that answered both, exactly as :meth:`pandas.DataFrame.cov` and
    :meth:`pandas.DataFrame.corr` (and R's ``use="pairwise"``) do: a pairwise correlation takes
    its means and standard deviations from those shared cases. The case count is then the
    number of cases that answered at least one item.
    """
    observed = ~np.isnan(values)
    answered = observed.any(axis=1)
    values = values[answered]
    observed = observed[answered]
    if nan_policy == "listwise" or observed.all():
        complete = values[observed.all(axis=1)]
        n = complete.shape[0]
        if n < 2:
            raise TooFewCasesError(
                f"{func} needs at least 2 cases that answered every item, but found {n} "
                f"(of {values.shape[0]} with any answer); use nan_policy='pairwise' or collect "
                "more complete interviews."
            )
        case = "interview" if observed.all() else "complete interview"
        check_constant_items(names, complete, func, case)
        centred = complete - complete.mean(axis=0)
        cov = (centred.T @ centred) / (n - 1)
        if correlation:
            scale = 1.0 / np.sqrt(np.diag(cov))
            cov = cov * scale[:, None] * scale[None, :]
            np.fill_diagonal(cov, 1.0)
        return cov, n

    check_constant_items(names, values, func, "interview")
    means = np.nanmean(values, axis=0)
    centred = np.where(observed, values - means, 0.0)
    mask = observed.astype(np.float64)
    pair_n = mask.T @ mask
    if (pair_n < 2).any():
        i, j = (int(index[0]) for index in np.nonzero(pair_n < 2))
        raise TooFewCasesError(
            f"{func}: items {names[i]!r} and {names[j]!r} were answered together in only "
            f"{int(pair_n[i, j])} case(s), so their covariance cannot be estimated; at least 2 "
            "are needed — collect more data or drop one of the items."
        )
    # sums[i, j]: sum of item i over the cases that answered both i and j.
    sums = centred.T @ mask
    cov = (centred.T @ centred - sums * sums.T / pair_n) / (pair_n - 1)
    if not correlation:
        return cov, int(values.shape[0])
    squares = (centred**2).T @ mask
    pair_variances = (squares - sums**2 / pair_n) / (pair_n - 1)
    if (pair_variances <= 0).any():
        i, j = (int(index[0]) for index in np.nonzero(pair_variances <= 0))
        raise ConstantItemError(
            f"{func}: item {names[i]!r} has the same rating in every case that also answered "
            f"{names[j]!r}, so the two cannot be correlated; drop one of them or use "
            "nan_policy='listwise'."
        )
    corr = cov / np.sqrt(pair_variances * pair_variances.T)
    np.fill_diagonal(corr, 1.0)
    return corr, int(values.shape[0])


def _prepare(
    names: list[str],
    values: FloatArray,
    nan_policy: str,
    func: str,
    minimum: int,
    why: str,
    correlation: bool = False,
) -> tuple[FloatArray, int]:
    require_items(names, minimum, func, why)
    check_no_empty_items(names, values, func)
    return _covariance(names, values, nan_policy, func, correlation)


def _frame_values(data: pd.DataFrame, nan_policy: str, func: str) -> tuple[list[str], FloatArray]:
    check_frame(data, func)
    check_choice(nan_policy, _NAN_POLICIES, "nan_policy", func)
    return numeric_items(data, func)


def _alpha_from_cov(
    k: int | FloatArray, trace: float | FloatArray, total: float | FloatArray
) -> FloatArray:
    return np.asarray((k / (k - 1)) * (1.0 - trace / total), dtype=np.float64)


def cronbach_alpha(
    data: pd.DataFrame,
    *,
    nan_policy: NanPolicy = "pairwise",
    confidence: float = 0.95,
) -> AlphaResult:
    """Cronbach's alpha with a Feldt confidence interval and item-total statistics.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide table: one row per case (interview), one numeric column per item of the scale.
        Items must be keyed in the same direction (reverse-score first). Missing ratings are
        NaN.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        ``"pairwise"`` estimates each covariance from the cases that answered both items (as
        :meth:`pandas.DataFrame.cov`, pingouin's default and ``psych::alpha(use="pairwise")``);
        the CI then uses the number of cases with at least one answer. ``"listwise"`` keeps only
        the cases that answered every item. Without missing data both give the same result.
    confidence : float, default 0.95
        Level of the confidence interval.

    Returns
    -------
    AlphaResult
        ``alpha``, ``ci``, ``n_cases``, ``n_items`` and, per item, the corrected item–total
        correlation and alpha if the item is deleted.

    Raises
    ------
    TooFewItemsError
        With fewer than 2 items.
    TooFewCasesError
        With fewer than 2 usable cases (or a pair of items answered together fewer than twice).
    ConstantItemError
        If an item has the same rating in every case.
    NoDataError
        If the table is empty or an item has no ratings.
    NonNumericDataError
        If a column is not numeric.

    Notes
    -----
    With :math:`C` the :math:`k \\times k` item covariance matrix (``ddof=1``),

    .. math::

        \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1^\\top C
        \\mathbf 1}\\right)

    (Cronbach [1]_). The confidence interval is Feldt's F-distribution interval [2]_ with
    :math:`n` cases, :math:`df_1 = n - 1`, :math:`df_2 = (n-1)(k-1)` and
    :math:`\\gamma = 1 - \\text{confidence}`:

    .. math::

        \\left[\\,1 - (1-\\alpha)\\,F^{-1}_{1-\\gamma/2}(df_1, df_2),\\;
        1 - (1-\\alpha)\\,F^{-1}_{\\gamma/2}(df_1, df_2)\\,\\right]

    The corrected item–total correlation of item :math:`i` is its correlation with the sum of
    the other items, computed from :math:`C` (as ``r.drop`` in ``psych::alpha``):

    .. math::

        r_{i,\\text{rest}} = \\frac{\\sum_j C_{ij} - C_{ii}}{\\sqrt{C_{ii}\\,(\\mathbf 1^\\top C
        \\mathbf 1 - 2\\sum_j C_{ij} + C_{ii})}}

    and alpha if deleted is alpha of the covariance matrix without row and column :math:`i`
    (``None`` when only two items exist). Alpha equals ``pingouin.cronbach_alpha`` [3]_,
    which rounds its interval to three decimals; this function does not round.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
           Psychometrika, 16(3), 297–334. https://doi.org/10.1007/BF02310555
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
           coefficient alpha. Applied Psychological Measurement, 11(1), 93–103.
           https://doi.org/10.1177/014662168701100107
    .. [3] Vallat, R. (2018). Pingouin: statistics in Python. Journal of Open Source Software,
           3(31), 1026. https://doi.org/10.21105/joss.01026

    Examples
    --------
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import cronbach_alpha
    >>> data = pd.DataFrame({
    ...     "rel_1": [1, 2, 3, 4, 5, 3],
    ...     "rel_2": [2, 2, 3, 5, 4, 3],
    ...     "rel_3": [1, 3, 3, 4, 5, 2],
    ... })
    >>> result = cronbach_alpha(data)
    >>> round(result.alpha, 3)
    0.932
    >>> round(result.item("rel_2").corrected_item_total, 3)
    0.807
    """
    func = "cronbach_alpha"
    check_confidence(confidence, func)
    names, values = _frame_values(data, nan_policy, func)
    return alpha_from_values(names, values, nan_policy, confidence)


def alpha_from_values(
    names: list[str], values: FloatArray, nan_policy: NanPolicy, confidence: float
) -> AlphaResult:
    """:func:`cronbach_alpha` on an already checked float matrix (cases × items)."""
    func = "cronbach_alpha"
    cov, n = _prepare(names, values, nan_policy, func, 2, "(alpha compares items with each other)")
    k = len(names)
    row_sums = cov.sum(axis=1)
    total = float(row_sums.sum())
    variances = np.diag(cov)
    if total <= 0:
        raise PsychometricsError(
            f"{func}: the total score has no variance (the items cancel each other out); check "
            "that all items are keyed in the same direction (reverse-score negative items)."
        )
    alpha = float(_alpha_from_cov(k, float(variances.sum()), total))

    rest_variance = total - 2.0 * row_sums + variances
    with np.errstate(invalid="ignore", divide="ignore"):
        item_total = (row_sums - variances) / np.sqrt(variances * rest_variance)
        if_deleted = (
            _alpha_from_cov(np.full(k, k - 1), variances.sum() - variances, rest_variance)
            if k >= 3
            else None
        )
    if not np.isfinite(item_total).all():
        i = int(np.flatnonzero(~np.isfinite(item_total))[0])
        raise PsychometricsError(
            f"{func}: the other items have no variance once item {names[i]!r} is removed, so "
            "its item-total correlation is undefined; check the data for items that cancel out."
        )

    level = 1.0 - confidence
    df1 = n - 1
    df2 = df1 * (k - 1)
    # special.fdtri(d1, d2, p) is the F quantile, i.e. scipy.stats.f.isf(1 - p, d1, d2).
    lower = 1.0 - (1.0 - alpha) * float(special.fdtri(df1, df2, 1.0 - level / 2.0))
    upper = 1.0 - (1.0 - alpha) * float(special.fdtri(df1, df2, level / 2.0))
    items = tuple(
        ItemTotalStatistics(
            item=name,
            corrected_item_total=float(item_total[i]),
            alpha_if_deleted=None if if_deleted is None else float(if_deleted[i]),
        )
        for i, name in enumerate(names)
    )
    return AlphaResult(
        alpha=alpha,
        ci=ConfidenceInterval(
            lower=lower,
            upper=upper,
            level=confidence,
            method="Feldt, Woodruff & Salih (1987) F-distribution interval",
        ),
        n_cases=n,
        n_items=k,
        nan_policy=nan_policy,
        items=items,
    )


def _minres_one_factor(corr: FloatArray) -> tuple[FloatArray, bool, float]:
    """One-factor minres loadings of a correlation matrix.

    Minimises the sum of squared off-diagonal residuals ``Σ_{i<j} (r_ij - λ_i λ_j)²`` (as
    ``psych::fa(fm="minres")`` and ``factor_analyzer`` with ``method="minres"``) by
    Levenberg–Marquardt with the analytic Jacobian, starting from principal axes with squared
    multiple correlations. If a communality ``λ²`` exceeds 0.995, the fit is repeated with
    ``|λ| <= sqrt(0.995)`` (a Heywood case).
    """
    p = corr.shape[0]
    upper_i, upper_j = np.triu_indices(p, 1)
    target = corr[upper_i, upper_j]
    rows = np.arange(target.size)
    bound = float(np.sqrt(_MAX_COMMUNALITY))

    def residuals(loadings: FloatArray) -> FloatArray:
        return np.asarray(target - loadings[upper_i] * loadings[upper_j], dtype=np.float64)

    def jacobian(loadings: FloatArray) -> FloatArray:
        jac = np.zeros((target.size, p))
        jac[rows, upper_i] = -loadings[upper_j]
        jac[rows, upper_j] = -loadings[upper_i]
        return jac

    try:
        # A singular correlation matrix gives infinite diagonal entries of the inverse; the
        # fallback below handles that, so the warning would only alarm the reader.
        with np.errstate(divide="ignore", invalid="ignore"):
            smc = 1.0 - 1.0 / np.diag(linalg.inv(corr))
        if not np.all(np.isfinite(smc)):
            raise ValueError("singular correlation matrix")
    except (linalg.LinAlgError, ValueError):
        smc = np.max(np.abs(corr - np.eye(p)), axis=0)
    reduced = corr.copy()
    np.fill_diagonal(reduced, np.clip(smc, 0.0, _MAX_COMMUNALITY))
    eigenvalues, eigenvectors = linalg.eigh(reduced)
    start = eigenvectors[:, -1] * np.sqrt(max(float(eigenvalues[-1]), 1e-6))
    tolerances = {"xtol": 1e-14, "ftol": 1e-14, "gtol": 1e-14}
    fit = optimize.least_squares(residuals, start, jac=jacobian, method="lm", **tolerances)
    loadings = np.asarray(fit.x, dtype=np.float64)
    heywood = False
    if not fit.success or np.abs(loadings).max() > bound:
        start = np.clip(loadings if fit.success else start, -bound * 0.999, bound * 0.999)
        fit = optimize.least_squares(
            residuals, start, jac=jacobian, method="trf", bounds=(-bound, bound), **tolerances
        )
        loadings = np.asarray(fit.x, dtype=np.float64)
        heywood = bool(np.abs(loadings).max() >= bound - 1e-8)
    if not fit.success:
        raise PsychometricsError(
            f"mcdonald_omega: the one-factor minres fit did not converge ({fit.message}); check "
            "the items for near-duplicates or very few cases."
        )
    if loadings.sum() < 0:
        loadings = -loadings
    return loadings, heywood, float((residuals(loadings) ** 2).sum())


def mcdonald_omega(
    data: pd.DataFrame,
    *,
    nan_policy: NanPolicy = "pairwise",
) -> OmegaResult:
    """McDonald's omega total from a one-factor minres model.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide table: one row per case, one numeric column per item (at least 3 items), keyed in
        the same direction. Missing ratings are NaN.
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        How the correlation matrix treats missing ratings (see :func:`cronbach_alpha`).

    Returns
    -------
    OmegaResult
        ``omega_total``, standardised ``loadings`` (signs chosen so that their sum is
        positive), ``heywood_case`` and the residual sum of squares.

    Raises
    ------
    TooFewItemsError
        With fewer than 3 items (a single factor is not identified from two).
    TooFewCasesError, ConstantItemError, NoDataError, NonNumericDataError
        As for :func:`cronbach_alpha`.

    Notes
    -----
    The loadings :math:`\\lambda` of one common factor are extracted from the item correlation
    matrix :math:`R` by minimum residuals (minres, i.e. unweighted least squares; Harman &
    Jones [2]_), the default of ``psych::fa`` [3]_ and of ``factor_analyzer``:

    .. math::

        \\hat\\lambda = \\arg\\min_\\lambda \\sum_{i<j} (r_{ij} - \\lambda_i\\lambda_j)^2,
        \\qquad \\lambda_i^2 \\le 0.995

    Omega total (McDonald [1]_) is then

    .. math::

        \\omega_t = \\frac{(\\sum_i \\lambda_i)^2}{(\\sum_i \\lambda_i)^2 + \\sum_i (1 -
        \\lambda_i^2)}

    The denominator is the model-implied variance of the standardised sum score;
    ``psych::omega`` instead divides by the observed variance :math:`\\mathbf 1^\\top R
    \\mathbf 1`, so its value differs slightly. No confidence interval is given. The loadings
    were checked against ``factor_analyzer`` 0.5.1 (``FactorAnalyzer(n_factors=1,
    rotation=None, method="minres")``); this function converges to a tighter tolerance.

    References
    ----------
    .. [1] McDonald, R. P. (1999). Test theory: A unified treatment. Mahwah, NJ: Lawrence
           Erlbaum.
    .. [2] Harman, H. H., & Jones, W. H. (1966). Factor analysis by minimizing residuals
           (minres). Psychometrika, 31(3), 351–368. https://doi.org/10.1007/BF02289468
    .. [3] Revelle, W. (2024). psych: Procedures for psychological, psychometric, and
           personality research (function ``fa``, ``fm = "minres"``). R package.

    Examples
    --------
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import mcdonald_omega
    >>> data = pd.DataFrame({
    ...     "rel_1": [1, 2, 3, 4, 5, 3, 2],
    ...     "rel_2": [2, 2, 3, 5, 4, 3, 1],
    ...     "rel_3": [1, 3, 3, 4, 5, 2, 2],
    ...     "rel_4": [2, 1, 4, 4, 5, 3, 1],
    ... })
    >>> result = mcdonald_omega(data)
    >>> round(result.omega_total, 3)
    0.945
    """
    names, values = _frame_values(data, nan_policy, "mcdonald_omega")
    return omega_from_values(names, values, nan_policy)


def omega_from_values(names: list[str], values: FloatArray, nan_policy: NanPolicy) -> OmegaResult:
    """:func:`mcdonald_omega` on an already checked float matrix (cases × items)."""
    func = "mcdonald_omega"
    corr, n = _prepare(
        names, values, nan_policy, func, 3, "(one factor is not identified from fewer)", True
    )
    loadings, heywood, residual_ss = _minres_one_factor(corr)
    total = float(loadings.sum()) ** 2
    uniqueness = 1.0 - loadings**2
    omega = total / (total + float(uniqueness.sum()))
    return OmegaResult(
        omega_total=omega,
        loadings=tuple(
            ItemLoading(item=name, loading=float(loadings[i]), uniqueness=float(uniqueness[i]))
            for i, name in enumerate(names)
        ),
        n_cases=n,
        n_items=len(names),
        nan_policy=nan_policy,
        extraction="minres",
        heywood_case=heywood,
        residual_ss=residual_ss,
    )
