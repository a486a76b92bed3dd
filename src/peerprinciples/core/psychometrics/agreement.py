"""Inter-rater reliability: ICC, Cohen's and Fleiss' kappa, Krippendorff's alpha, % agreement.

Every function takes either wide data (one row per target, e.g. an interview; one column per
rater) or long data (one row per rating) with the column names ``targets``, ``raters`` and
``ratings``, like pingouin. When different people rate different interviews (raters not
crossed), use the rating's order (first or second rating) as the rater column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from ._data import (
    FloatArray,
    RatingsMatrix,
    check_choice,
    check_confidence,
    check_frame,
    complete_targets,
    format_value,
    missing_mask,
    ratings_matrix,
    require_raters,
)
from ._errors import (
    ConstantItemError,
    NonNumericDataError,
    OutOfScaleError,
    PsychometricsError,
    TooFewCasesError,
)
from ._results import (
    ConfidenceInterval,
    FleissKappaResult,
    IccEstimate,
    IccResult,
    KappaResult,
    KrippendorffResult,
    PercentAgreementResult,
)

__all__ = [
    "cohen_kappa",
    "fleiss_kappa",
    "icc",
    "krippendorff_alpha",
    "percent_agreement",
]

AgreementNanPolicy = Literal["listwise", "raise"]
KappaWeights = Literal["linear", "quadratic"]
Level = Literal["nominal", "ordinal", "interval", "ratio"]

_AGREEMENT_NAN_POLICIES = ("listwise", "raise")
_LEVELS = ("nominal", "ordinal", "interval", "ratio")

#: (form, Shrout & Fleiss notation, McGraw & Wong notation, description)
ICC_FORMS: tuple[tuple[str, str, str, str], ...] = (
    ("ICC1", "ICC(1,1)", "ICC(1,1)", "one-way random effects, absolute agreement, single rater"),
    ("ICC2", "ICC(2,1)", "ICC(A,1)", "two-way random effects, absolute agreement, single rater"),
    ("ICC3", "ICC(3,1)", "ICC(C,1)", "two-way mixed effects, consistency, single rater"),
    ("ICC1k", "ICC(1,k)", "ICC(1,k)", "one-way random effects, absolute agreement, mean of k"),
    ("ICC2k", "ICC(2,k)", "ICC(A,k)", "two-way random effects, absolute agreement, mean of k"),
    ("ICC3k", "ICC(3,k)", "ICC(C,k)", "two-way mixed effects, consistency, mean of k raters"),
)
ICC_FORM_NAMES = tuple(form[0] for form in ICC_FORMS)

_CI_ONE_WAY = "Shrout & Fleiss (1979) F-distribution interval"
_CI_ABSOLUTE = "McGraw & Wong (1996) interval with Satterthwaite degrees of freedom"
_CI_ABSOLUTE_K = "McGraw & Wong (1996) interval, Spearman–Brown stepped up to k raters"


# --- ICC ----------------------------------------------------------------------------------------


def icc_arrays(ratings: FloatArray, confidence: float) -> dict[str, FloatArray]:
    """The six ICCs, F tests, CIs and mean squares, vectorised over a trailing axis.

    ``ratings`` has shape ``(n targets, k raters, m)`` with no missing values; every returned
    array has shape ``(m,)``. Degenerate cases (perfect agreement, ``MSE = 0``) are resolved to
    their limits (ICC and bounds 1).
    """
    n, k = ratings.shape[0], ratings.shape[1]
    grand = ratings.mean(axis=(0, 1))
    target_means = ratings.mean(axis=1)
    rater_means = ratings.mean(axis=0)
    ss_targets = k * ((target_means - grand) ** 2).sum(axis=0)
    ss_raters = n * ((rater_means - grand) ** 2).sum(axis=0)
    within = ratings - target_means[:, None, :]
    ss_within = (within**2).sum(axis=(0, 1))
    ss_error = ((within - (rater_means - grand)[None, :, :]) ** 2).sum(axis=(0, 1))

    df1 = n - 1.0
    df_within = n * (k - 1.0)
    df_error = (n - 1.0) * (k - 1.0)
    msb = ss_targets / df1
    msj = ss_raters / (k - 1.0)
    mse = ss_error / df_error
    msw = ss_within / df_within

    with np.errstate(divide="ignore", invalid="ignore"):
        icc1 = (msb - msw) / (msb + (k - 1) * msw)
        icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
        icc3 = (msb - mse) / (msb + (k - 1) * mse)
        icc1k = (msb - msw) / msb
        icc2k = (msb - mse) / (msb + (msj - mse) / n)
        icc3k = (msb - mse) / msb

        f1 = msb / msw
        f3 = msb / mse
        # scipy.special: fdtrc(d1, d2, x) = stats.f.sf(x, d1, d2); fdtri(d1, d2, p) = f.ppf(p, ..).
        p1 = special.fdtrc(df1, df_within, f1)
        p3 = special.fdtrc(df1, df_error, f3)

        level = 1.0 - confidence
        q = 1.0 - level / 2.0
        f1_low = f1 / special.fdtri(df1, df_within, q)
        f1_up = f1 * special.fdtri(df_within, df1, q)
        f3_low = f3 / special.fdtri(df1, df_error, q)
        f3_up = f3 * special.fdtri(df_error, df1, q)
        low1 = np.where(np.isinf(f1_low), 1.0, (f1_low - 1) / (f1_low + (k - 1)))
        up1 = np.where(np.isinf(f1_up), 1.0, (f1_up - 1) / (f1_up + (k - 1)))
        low3 = np.where(np.isinf(f3_low), 1.0, (f3_low - 1) / (f3_low + (k - 1)))
        up3 = np.where(np.isinf(f3_up), 1.0, (f3_up - 1) / (f3_up + (k - 1)))
        low1k = 1 - 1 / f1_low
        up1k = 1 - 1 / f1_up
        low3k = 1 - 1 / f3_low
        up3k = 1 - 1 / f3_up

        fj = msj / mse
        base = n * (1 + (k - 1) * icc2) - k * icc2
        v_num = df_error * (k * icc2 * fj + base) ** 2
        v_den = df1 * k**2 * icc2**2 * fj**2 + base**2
        v = np.where(mse == 0, k - 1.0, v_num / v_den)
        f2_up = special.fdtri(df1, v, q)
        f2_low = special.fdtri(v, df1, q)
        spread = k * msj + (k * n - k - n) * mse
        low2 = n * (msb - f2_up * mse) / (f2_up * spread + n * msb)
        up2 = n * (f2_low * msb - mse) / (spread + n * f2_low * msb)
        low2k = low2 * k / (1 + low2 * (k - 1))
        up2k = up2 * k / (1 + up2 * (k - 1))

    return {
        "ICC1": icc1,
        "ICC2": icc2,
        "ICC3": icc3,
        "ICC1k": icc1k,
        "ICC2k": icc2k,
        "ICC3k": icc3k,
        "ICC1_low": low1,
        "ICC1_up": up1,
        "ICC2_low": low2,
        "ICC2_up": up2,
        "ICC3_low": low3,
        "ICC3_up": up3,
        "ICC1k_low": low1k,
        "ICC1k_up": up1k,
        "ICC2k_low": low2k,
        "ICC2k_up": up2k,
        "ICC3k_low": low3k,
        "ICC3k_up": up3k,
        "F1": f1,
        "F3": f3,
        "p1": p1,
        "p3": p3,
        "msb": msb,
        "msj": msj,
        "mse": mse,
        "msw": msw,
        "ss_total": ss_targets + ss_within,
    }


def check_icc_degenerate(arrays: dict[str, FloatArray], index: int, func: str, what: str) -> None:
    """Raise for ICC inputs where every ICC is undefined (no variance, or no target variance)."""
    if arrays["ss_total"][index] == 0:
        raise ConstantItemError(
            f"{func}: every rating{what} is the same, so there is no variance to share out and "
            "the ICC is undefined; agreement is perfect but uninformative — report percentage "
            "agreement instead, or check the data."
        )
    if arrays["msb"][index] == 0:
        raise ConstantItemError(
            f"{func}: every target{what} has the same mean rating, so targets cannot be told "
            "apart and the ICC is undefined; rate targets that differ, or check the data."
        )


def icc_estimates(
    arrays: dict[str, FloatArray], index: int, n: int, k: int, confidence: float
) -> dict[str, IccEstimate]:
    """The six :class:`IccEstimate` objects for position ``index`` of :func:`icc_arrays`."""
    df1 = float(n - 1)
    df_within = float(n * (k - 1))
    df_error = float((n - 1) * (k - 1))
    tests = {
        "ICC1": ("F1", "p1", df_within, _CI_ONE_WAY),
        "ICC2": ("F3", "p3", df_error, _CI_ABSOLUTE),
        "ICC3": ("F3", "p3", df_error, _CI_ONE_WAY),
        "ICC1k": ("F1", "p1", df_within, _CI_ONE_WAY),
        "ICC2k": ("F3", "p3", df_error, _CI_ABSOLUTE_K),
        "ICC3k": ("F3", "p3", df_error, _CI_ONE_WAY),
    }
    estimates = {}
    for form, shrout_fleiss, mcgraw_wong, description in ICC_FORMS:
        f_key, p_key, df2, method = tests[form]
        estimates[form] = IccEstimate(
            form=form,
            shrout_fleiss=shrout_fleiss,
            mcgraw_wong=mcgraw_wong,
            description=description,
            value=float(arrays[form][index]),
            f=float(arrays[f_key][index]),
            df1=df1,
            df2=df2,
            p_value=float(arrays[p_key][index]),
            ci=ConfidenceInterval(
                lower=float(arrays[f"{form}_low"][index]),
                upper=float(arrays[f"{form}_up"][index]),
                level=confidence,
                method=method,
            ),
        )
    return estimates


def _numeric_matrix(matrix: RatingsMatrix, func: str) -> None:
    if not matrix.numeric:
        raise NonNumericDataError(
            f"{func} needs numeric ratings (scale points), but the ratings are text or "
            "categories; map them to numbers first, or use krippendorff_alpha(level='nominal') "
            "or cohen_kappa for categories."
        )


def icc(
    data: pd.DataFrame,
    *,
    targets: str | None = None,
    raters: str | None = None,
    ratings: str | None = None,
    nan_policy: AgreementNanPolicy = "listwise",
    confidence: float = 0.95,
) -> IccResult:
    """All six Shrout–Fleiss intraclass correlations with confidence intervals.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide (one row per target, one numeric column per rater) or long (one row per rating).
    targets, raters, ratings : str, optional
        For long data: the columns naming the target (e.g. interview), the rater and the
        rating. Leave all three out for wide data.
    nan_policy : {"listwise", "raise"}, default "listwise"
        ``"listwise"`` leaves out targets missing any rater's rating (the ANOVA needs a complete
        targets × raters table; the number left out is in ``n_targets_dropped``); ``"raise"``
        raises instead.
    confidence : float, default 0.95
        Level of the confidence intervals.

    Returns
    -------
    IccResult
        ``icc1``, ``icc2``, ``icc3``, ``icc1k``, ``icc2k``, ``icc3k`` (each with F test, p-value
        and CI), the mean squares and the counts.

    Raises
    ------
    SingleRaterError
        With ratings from only one rater.
    TooFewCasesError
        With fewer than 2 targets rated by every rater.
    ConstantItemError
        If every rating is the same, or every target has the same mean.
    NoDataError, NonNumericDataError, PsychometricsError
        For empty or non-numeric data, a repeated target–rater pair, or a missing rating with
        ``nan_policy="raise"``.

    Notes
    -----
    From the two-way ANOVA of the complete :math:`n \\times k` table (mean squares for targets
    :math:`MS_R`, raters :math:`MS_C`, residual :math:`MS_E`, and within targets
    :math:`MS_W = (SS_C + SS_E) / (n(k-1))`), following Shrout & Fleiss [1]_:

    .. math::

        ICC1 = \\frac{MS_R - MS_W}{MS_R + (k-1)MS_W}, \\quad
        ICC2 = \\frac{MS_R - MS_E}{MS_R + (k-1)MS_E + k(MS_C - MS_E)/n}, \\quad
        ICC3 = \\frac{MS_R - MS_E}{MS_R + (k-1)MS_E}

    .. math::

        ICC1k = \\frac{MS_R - MS_W}{MS_R}, \\quad
        ICC2k = \\frac{MS_R - MS_E}{MS_R + (MS_C - MS_E)/n}, \\quad
        ICC3k = \\frac{MS_R - MS_E}{MS_R}

    The F tests are :math:`MS_R/MS_W` (one-way) and :math:`MS_R/MS_E` (two-way). The CIs of
    ICC1, ICC3 and their ``k`` forms are Shrout & Fleiss' F intervals; ICC2's is McGraw &
    Wong's [2]_ interval with Satterthwaite degrees of freedom, and ICC2k's its Spearman–Brown
    step-up — as in ``pingouin.intraclass_corr`` [3]_, against which the values are tested.
    When the residual mean square is exactly zero (perfect consistency) the ICCs and bounds
    take their limit 1 instead of NaN. Koo & Li [4]_ explain how to choose the form: ICC1
    when each target is rated by different raters, ICC2 for absolute agreement of raters
    sampled from a population, ICC3 for consistency of these particular raters.

    References
    ----------
    .. [1] Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
           rater reliability. Psychological Bulletin, 86(2), 420–428.
           https://doi.org/10.1037/0033-2909.86.2.420
    .. [2] McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass
           correlation coefficients. Psychological Methods, 1(1), 30–46.
           https://doi.org/10.1037/1082-989X.1.1.30
    .. [3] Vallat, R. (2018). Pingouin: statistics in Python. Journal of Open Source Software,
           3(31), 1026. https://doi.org/10.21105/joss.01026
    .. [4] Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass
           correlation coefficients for reliability research. Journal of Chiropractic
           Medicine, 15(2), 155–163. https://doi.org/10.1016/j.jcm.2016.02.012

    Examples
    --------
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import icc
    >>> wide = pd.DataFrame({"A": [1, 1, 3, 6, 6, 7, 8, 9], "B": [2, 3, 8, 4, 5, 5, 7, 9],
    ...                      "C": [0, 3, 1, 3, 5, 6, 7, 9], "D": [1, 2, 4, 3, 6, 2, 9, 8]})
    >>> result = icc(wide)
    >>> round(result.icc2.value, 3), round(result.icc2.ci.lower, 3)
    (0.728, 0.434)
    """
    func = "icc"
    check_frame(data, func)
    check_choice(nan_policy, _AGREEMENT_NAN_POLICIES, "nan_policy", func)
    check_confidence(confidence, func)
    matrix = ratings_matrix(data, targets, raters, ratings, func)
    _numeric_matrix(matrix, func)
    require_raters(matrix, func)
    values, dropped = complete_targets(matrix, nan_policy, func, 2)
    n, k = values.shape
    arrays = icc_arrays(np.asarray(values, dtype=np.float64)[:, :, None], confidence)
    check_icc_degenerate(arrays, 0, func, "")
    forms = icc_estimates(arrays, 0, n, k, confidence)
    return IccResult(
        icc1=forms["ICC1"],
        icc2=forms["ICC2"],
        icc3=forms["ICC3"],
        icc1k=forms["ICC1k"],
        icc2k=forms["ICC2k"],
        icc3k=forms["ICC3k"],
        n_targets=n,
        n_raters=k,
        n_targets_dropped=dropped,
        ms_targets=float(arrays["msb"][0]),
        ms_raters=float(arrays["msj"][0]),
        ms_error=float(arrays["mse"][0]),
        ms_within=float(arrays["msw"][0]),
    )


# --- categories -----------------------------------------------------------------------------------


def _category_codes(
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


def _unit_counts(
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


# --- Cohen's kappa -------------------------------------------------------------------------------


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
    check_choice(nan_policy, _AGREEMENT_NAN_POLICIES, "nan_policy", func)
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
    codes, domain = _category_codes(
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


# --- Fleiss' kappa -------------------------------------------------------------------------------


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
    check_choice(nan_policy, _AGREEMENT_NAN_POLICIES, "nan_policy", func)
    matrix = ratings_matrix(data, targets, raters, ratings, func)
    require_raters(matrix, func)
    values, dropped = complete_targets(matrix, nan_policy, func, 2)
    codes, domain = _category_codes(values, matrix.numeric, categories, func, need_order=False)
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


# --- Krippendorff's alpha ------------------------------------------------------------------------


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
    counted = _unit_counts(values, rows, n_rows) if categories is None and matrix.numeric else None
    counts: npt.NDArray[np.intp]
    if counted is not None:
        counts, domain = counted
    else:
        value_codes, domain = _category_codes(
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


# --- percentage agreement ------------------------------------------------------------------------


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
    check_choice(nan_policy, _AGREEMENT_NAN_POLICIES, "nan_policy", func)
    if not tolerance >= 0:
        raise PsychometricsError(f"{func}: tolerance must be zero or more, got {tolerance!r}.")
    matrix = ratings_matrix(data, targets, raters, ratings, func)
    _numeric_matrix(matrix, func)
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
