"""Typed, immutable results of the psychometrics functions.

Every result is a frozen dataclass. Numbers are stored unrounded; round only when displaying.
``to_dict()`` turns a result (recursively) into plain ``dict``/``list``/``float``/``int``/``str``
values that :func:`json.dumps` accepts; a non-finite float (which JSON cannot hold) becomes
``None``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

__all__ = [
    "AlphaResult",
    "ConfidenceInterval",
    "FleissKappaResult",
    "IccEstimate",
    "IccResult",
    "ItemLoading",
    "ItemSpread",
    "ItemTotalStatistics",
    "KappaResult",
    "KrippendorffResult",
    "OmegaResult",
    "PercentAgreementResult",
    "ScalePoint",
    "ScoreSpread",
]

NanPolicy = Literal["pairwise", "listwise"]


def _jsonable(value: object) -> Any:
    """Convert ``value`` to JSON-ready Python objects (see the module docstring)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value


class _ToDict:
    """Mixin giving dataclass results a JSON-ready ``to_dict()``."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the result as nested plain Python objects, ready for :func:`json.dumps`."""
        converted: dict[str, Any] = _jsonable(self)
        return converted


@dataclass(frozen=True, slots=True)
class ConfidenceInterval(_ToDict):
    """A two-sided confidence interval.

    Attributes
    ----------
    lower, upper : float
        The bounds.
    level : float
        The confidence level, e.g. ``0.95``.
    method : str
        How the interval was computed, in words (e.g. ``"Feldt (1987) F-distribution"``).
    """

    lower: float
    upper: float
    level: float
    method: str


# --- spread -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScalePoint(_ToDict):
    """How often one point of the scale was used.

    Attributes
    ----------
    value : int
        The scale point.
    count : int
        Number of non-missing ratings at this point.
    percent : float
        ``100 * count / n`` (0 to 100).
    """

    value: int
    count: int
    percent: float


@dataclass(frozen=True, slots=True)
class ItemSpread(_ToDict):
    """Distribution of one item's ratings over its scale.

    Attributes
    ----------
    item : str
        Column name of the item.
    n : int
        Number of non-missing ratings.
    n_missing : int
        Number of missing ratings.
    mean : float
        Mean of the non-missing ratings.
    sd : float or None
        Sample standard deviation (``ddof=1``); ``None`` when ``n < 2``.
    distribution : tuple of ScalePoint
        One entry per scale point from ``scale_min`` to ``scale_max``, including unused points.
    percent_floor, percent_ceiling : float
        Percentage of ratings at ``scale_min`` and at ``scale_max`` (0 to 100).
    scale_min, scale_max : int
        The scale the item was rated on.
    """

    item: str
    n: int
    n_missing: int
    mean: float
    sd: float | None
    distribution: tuple[ScalePoint, ...]
    percent_floor: float
    percent_ceiling: float
    scale_min: int
    scale_max: int


@dataclass(frozen=True, slots=True)
class ScoreSpread(_ToDict):
    """Floor and ceiling of a domain score (the mean of the answered items of a case).

    Attributes
    ----------
    n : int
        Number of cases with at least one answered item.
    mean, sd : float, float or None
        Mean and sample standard deviation (``None`` when ``n < 2``) of the domain score.
    percent_floor, percent_ceiling : float
        Percentage of cases whose domain score is the lowest (every answered item at
        ``scale_min``) or highest possible value.
    """

    n: int
    mean: float
    sd: float | None
    percent_floor: float
    percent_ceiling: float


# --- internal consistency -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemTotalStatistics(_ToDict):
    """How one item relates to the rest of its scale.

    Attributes
    ----------
    item : str
        Column name of the item.
    corrected_item_total : float
        Pearson correlation between the item and the sum of the *other* items.
    alpha_if_deleted : float or None
        Cronbach's alpha of the remaining items; ``None`` when only two items exist (one item
        has no alpha).
    """

    item: str
    corrected_item_total: float
    alpha_if_deleted: float | None


@dataclass(frozen=True, slots=True)
class AlphaResult(_ToDict):
    """Cronbach's alpha with its confidence interval and item-level statistics.

    Attributes
    ----------
    alpha : float
        Cronbach's alpha.
    ci : ConfidenceInterval
        Feldt (1987) F-distribution interval.
    n_cases : int
        Number of cases used (``n`` in the CI degrees of freedom).
    n_items : int
        Number of items.
    nan_policy : {"pairwise", "listwise"}
        How missing ratings were handled.
    items : tuple of ItemTotalStatistics
        One entry per item, in column order.
    """

    alpha: float
    ci: ConfidenceInterval
    n_cases: int
    n_items: int
    nan_policy: NanPolicy
    items: tuple[ItemTotalStatistics, ...]

    def item(self, name: str) -> ItemTotalStatistics:
        """Return the statistics of the item called ``name`` (``KeyError`` if absent)."""
        for entry in self.items:
            if entry.item == name:
                return entry
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class ItemLoading(_ToDict):
    """Standardised loading of one item on the single common factor.

    Attributes
    ----------
    item : str
        Column name of the item.
    loading : float
        Standardised factor loading ``λ``.
    uniqueness : float
        ``1 - λ²``.
    """

    item: str
    loading: float
    uniqueness: float


@dataclass(frozen=True, slots=True)
class OmegaResult(_ToDict):
    """McDonald's omega total from a one-factor minres model.

    Attributes
    ----------
    omega_total : float
        ``(Σλ)² / ((Σλ)² + Σ(1 - λ²))``.
    loadings : tuple of ItemLoading
        One entry per item, in column order; signs are chosen so that ``Σλ >= 0``.
    n_cases : int
        Number of cases used.
    n_items : int
        Number of items.
    nan_policy : {"pairwise", "listwise"}
        How missing ratings were handled when forming the correlation matrix.
    extraction : str
        Always ``"minres"`` (unweighted least squares on the off-diagonal correlations).
    heywood_case : bool
        ``True`` when an item's communality reached the upper bound 0.995 (the optimum lies
        outside the admissible region; omega should then be read with caution).
    residual_ss : float
        Sum of squared off-diagonal residual correlations (each pair counted once) at the
        solution.
    """

    omega_total: float
    loadings: tuple[ItemLoading, ...]
    n_cases: int
    n_items: int
    nan_policy: NanPolicy
    extraction: str
    heywood_case: bool
    residual_ss: float


# --- agreement -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IccEstimate(_ToDict):
    """One of the six Shrout–Fleiss intraclass correlations.

    Attributes
    ----------
    form : str
        Short name: ``"ICC1"``, ``"ICC2"``, ``"ICC3"``, ``"ICC1k"``, ``"ICC2k"`` or ``"ICC3k"``.
    shrout_fleiss : str
        Shrout & Fleiss (1979) notation, e.g. ``"ICC(2,1)"``.
    mcgraw_wong : str
        McGraw & Wong (1996) notation as used by pingouin, e.g. ``"ICC(A,1)"``.
    description : str
        The model in words.
    value : float
        The ICC.
    f : float
        F statistic of the test ``ICC = 0``.
    df1, df2 : float
        Degrees of freedom of that F test.
    p_value : float
        Upper-tail p-value of that F test.
    ci : ConfidenceInterval
        Confidence interval (Shrout & Fleiss 1979; McGraw & Wong 1996 for the absolute
        agreement forms).
    """

    form: str
    shrout_fleiss: str
    mcgraw_wong: str
    description: str
    value: float
    f: float
    df1: float
    df2: float
    p_value: float
    ci: ConfidenceInterval


@dataclass(frozen=True, slots=True)
class IccResult(_ToDict):
    """All six Shrout–Fleiss ICC forms with the two-way ANOVA they come from.

    Attributes
    ----------
    icc1, icc2, icc3, icc1k, icc2k, icc3k : IccEstimate
        The six forms (single rater: ``icc1``, ``icc2``, ``icc3``; mean of ``k`` raters: the
        ``k`` forms).
    n_targets : int
        Number of targets (e.g. interviews) used.
    n_raters : int
        Number of raters ``k``.
    n_targets_dropped : int
        Targets left out because a rating was missing (``nan_policy="listwise"``).
    ms_targets, ms_raters, ms_error, ms_within : float
        Mean squares: between targets (MSR), between raters (MSC), residual (MSE) and within
        targets (MSW, the one-way error term).
    """

    icc1: IccEstimate
    icc2: IccEstimate
    icc3: IccEstimate
    icc1k: IccEstimate
    icc2k: IccEstimate
    icc3k: IccEstimate
    n_targets: int
    n_raters: int
    n_targets_dropped: int
    ms_targets: float
    ms_raters: float
    ms_error: float
    ms_within: float

    @property
    def forms(self) -> tuple[IccEstimate, ...]:
        """The six estimates in the order ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k."""
        return (self.icc1, self.icc2, self.icc3, self.icc1k, self.icc2k, self.icc3k)

    def form(self, name: str) -> IccEstimate:
        """Return the estimate called ``name`` (``"ICC2"``, ``"ICC(2,1)"`` or ``"ICC(A,1)"``)."""
        for estimate in self.forms:
            if name in (estimate.form, estimate.shrout_fleiss, estimate.mcgraw_wong):
                return estimate
        raise KeyError(name)


@dataclass(frozen=True, slots=True)
class KappaResult(_ToDict):
    """Cohen's kappa for two raters.

    Attributes
    ----------
    kappa : float
        The (weighted) kappa.
    weights : {"none", "linear", "quadratic"}
        The disagreement weights used.
    se : float
        Asymptotic standard error (Fleiss, Cohen & Everitt 1969).
    ci : ConfidenceInterval
        Wald interval ``kappa ± z·se``.
    observed_agreement, expected_agreement : float
        Weighted observed and chance agreement (``kappa = (po - pe) / (1 - pe)``).
    n_targets : int
        Number of targets rated by both raters.
    n_targets_dropped : int
        Targets left out because one rating was missing.
    categories : tuple
        The ordered categories (weights use positions in this tuple).
    """

    kappa: float
    weights: Literal["none", "linear", "quadratic"]
    se: float
    ci: ConfidenceInterval
    observed_agreement: float
    expected_agreement: float
    n_targets: int
    n_targets_dropped: int
    categories: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class FleissKappaResult(_ToDict):
    """Fleiss' kappa for a fixed number of ratings per target.

    Attributes
    ----------
    kappa : float
        Fleiss' kappa.
    observed_agreement, expected_agreement : float
        Mean pairwise agreement ``P̄`` and chance agreement ``P̄e``.
    n_targets : int
        Number of targets used.
    n_raters : int
        Ratings per target.
    n_targets_dropped : int
        Targets left out because a rating was missing.
    categories : tuple
        The categories counted.
    """

    kappa: float
    observed_agreement: float
    expected_agreement: float
    n_targets: int
    n_raters: int
    n_targets_dropped: int
    categories: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class KrippendorffResult(_ToDict):
    """Krippendorff's alpha.

    Attributes
    ----------
    alpha : float
        Krippendorff's alpha.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement (decides the distance function).
    observed_disagreement, expected_disagreement : float
        ``Do`` and ``De`` (``alpha = 1 - Do / De``).
    n_units : int
        Units (targets) with at least two ratings (the pairable units).
    n_pairable_values : int
        Ratings in those units (``n..`` in Krippendorff's notation).
    categories : tuple
        The value domain: the given ``categories``, or else the sorted values that occur in
        pairable units (values only in single-rated units cannot affect alpha).
    """

    alpha: float
    level: Literal["nominal", "ordinal", "interval", "ratio"]
    observed_disagreement: float
    expected_disagreement: float
    n_units: int
    n_pairable_values: int
    categories: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PercentAgreementResult(_ToDict):
    """Simple percentage agreement among raters.

    Attributes
    ----------
    percent_exact : float
        Percentage of targets on which every rater gave the same rating (0 to 100).
    percent_adjacent : float
        Percentage of targets whose highest and lowest rating differ by at most ``tolerance``.
    tolerance : float
        The tolerance used for ``percent_adjacent`` (1 = within one scale point).
    n_targets : int
        Number of targets used.
    n_raters : int
        Number of rater columns.
    n_targets_dropped : int
        Targets left out (missing ratings).
    """

    percent_exact: float
    percent_adjacent: float
    tolerance: float
    n_targets: int
    n_raters: int
    n_targets_dropped: int
