"""Intraclass correlation (ICC): the six Shrout & Fleiss forms, with F tests and intervals.

Takes wide data (one row per target, one column per rater) or long data with the column
names ``targets``, ``raters`` and ``ratings``, like pingouin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from ._agreement import (
    AGREEMENT_NAN_POLICIES,
    AgreementNanPolicy,
    require_numeric,
)
from ._data import (
    FloatArray,
    check_choice,
    check_confidence,
    check_frame,
    complete_targets,
    ratings_matrix,
    require_raters,
)
from ._errors import (
    ConstantItemError,
)
from ._results import (
    ConfidenceInterval,
    IccEstimate,
    IccResult,
)

__all__ = ["icc"]

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
    check_choice(nan_policy, AGREEMENT_NAN_POLICIES, "nan_policy", func)
    check_confidence(confidence, func)
    matrix = ratings_matrix(data, targets, raters, ratings, func)
    require_numeric(matrix, func)
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
