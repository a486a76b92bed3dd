"""The flagged quality summary: every domain and item checked against documented thresholds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._data import (
    FloatArray,
    check_choice,
    check_frame,
    format_value,
    label,
    numeric_items,
)
from ._errors import ConstantItemError, PsychometricsError
from ._flags import agreement_flags, make_flag, not_computable, spread_flags
from ._quality_results import (
    DomainQuality,
    ItemQuality,
    QualityFlag,
    QualityReport,
)
from ._results import (
    AlphaResult,
    IccEstimate,
    ItemSpread,
    NanPolicy,
    OmegaResult,
    ScoreSpread,
)
from .consistency import alpha_from_values, omega_from_values
from .intraclass import ICC_FORM_NAMES
from .kappa import kappa_from_codes
from .spread import check_on_scale, check_scale, spreads_from_values
from .thresholds import QualityThresholds

__all__ = ["QualityThresholds", "quality_summary"]


from ._quality_data import RatingsCube, icc_per_column, ratings_cube, row_means, spread_of_scores

# --- the summary ----------------------------------------------------------------------------------


def quality_summary(
    data: pd.DataFrame,
    domains: Mapping[str, Sequence[str]],
    *,
    scale_min: int,
    scale_max: int,
    agreement_data: pd.DataFrame | None = None,
    targets: str | None = None,
    raters: str | None = None,
    thresholds: QualityThresholds | None = None,
    icc_form: str = "ICC2",
    nan_policy: NanPolicy = "pairwise",
) -> QualityReport:
    """Quality summary per domain and item, flagging values beyond the thresholds.

    Computes, for every item: its spread over the scale (floor and ceiling), its corrected
    item–total correlation and alpha if deleted; with double-rated data also its ICC, linearly
    weighted kappa and percentage agreement. For every domain: Cronbach's alpha, McDonald's
    omega, the floor and ceiling of the domain score and the ICC of the domain score. Each
    value beyond a threshold gets a :class:`QualityFlag` with a plain-language explanation.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide table: one row per interview (case), one numeric column per item.
    domains : mapping of str to sequence of str
        Domain name → its item columns, e.g. ``{"relationships": ["rel_1", "rel_2"]}``. An item
        belongs to one domain.
    scale_min, scale_max : int
        The rating scale; every rating must be a whole number in this range.
    agreement_data : pandas.DataFrame, optional
        The double-rated interviews: one row per rating with the ``targets`` and ``raters``
        columns and every item column. Interviews with a single rating are ignored.
    targets, raters : str, optional
        Columns of ``agreement_data`` naming the interview and the rater. When different people
        rate different interviews, pass the rating's order (first/second) as ``raters`` and
        consider ``icc_form="ICC1"``.
    thresholds : QualityThresholds, optional
        Flagging thresholds; defaults to :class:`QualityThresholds()` (documented there).
    icc_form : {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}, default "ICC2"
        The ICC form reported and flagged (see :func:`icc`). ICC2 is absolute agreement of a
        single rater drawn from a population of raters (Koo & Li 2016).
    nan_policy : {"pairwise", "listwise"}, default "pairwise"
        Missing-data handling for alpha and omega (see :func:`cronbach_alpha`). Agreement
        statistics leave out, per item, interviews missing a rater's rating; domain scores are
        the mean of the answered items.

    Returns
    -------
    QualityReport
        ``domains`` (each with its ``items``), ``flags`` (all of them), the thresholds and
        counts. ``to_dict()`` gives JSON.

    Raises
    ------
    PsychometricsError
        For problems with the whole input: unknown or duplicated item columns, ratings off the
        scale (:class:`OutOfScaleError`), non-numeric columns, an empty table or malformed
        ``agreement_data``. Problems with one statistic (a constant item, too few
        double-rated interviews) do not raise; they become ``not_computable`` or
        ``constant_item`` flags.

    Notes
    -----
    The statistics are those of :func:`item_spread`, :func:`cronbach_alpha`,
    :func:`mcdonald_omega`, :func:`icc`, :func:`cohen_kappa` (``weights="linear"``, categories
    ``scale_min..scale_max``) and :func:`percent_agreement` (``tolerance=1``), with 95%
    intervals. A flag is raised when a value is strictly beyond its threshold (e.g. alpha
    :math:`< 0.70`, or more than 15% at the ceiling). Items with the same rating everywhere are
    flagged ``constant_item`` and left out of alpha and omega.

    References
    ----------
    .. [1] Terwee, C. B., et al. (2007). Quality criteria were proposed for measurement
           properties of health status questionnaires. Journal of Clinical Epidemiology, 60(1),
           34–42.
    .. [2] Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass
           correlation coefficients for reliability research. Journal of Chiropractic
           Medicine, 15(2), 155–163.

    Examples
    --------
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import quality_summary
    >>> data = pd.DataFrame({
    ...     "rel_1": [5, 5, 5, 4, 5, 3, 4, 2],
    ...     "rel_2": [4, 5, 3, 3, 4, 2, 3, 1],
    ...     "rel_3": [5, 4, 3, 3, 4, 2, 4, 2],
    ...     "rel_4": [4, 4, 3, 2, 5, 3, 3, 2],
    ... })
    >>> report = quality_summary(data, {"relationships": list(data.columns)},
    ...                          scale_min=1, scale_max=5)
    >>> round(report.domain("relationships").alpha.alpha, 3)
    0.933
    >>> [(flag.item, flag.code) for flag in report.flags]
    [('rel_1', 'ceiling')]
    >>> print(report.flags[0].message)  # doctest: +NORMALIZE_WHITESPACE
    50% of answers sit at the top of the scale (5), so the item cannot show improvement
    (more than 15% is a ceiling effect).
    """
    func = "quality_summary"
    check_frame(data, func)
    thresholds = QualityThresholds() if thresholds is None else thresholds
    check_choice(icc_form, ICC_FORM_NAMES, "icc_form", func)
    check_choice(nan_policy, ("pairwise", "listwise"), "nan_policy", func)
    check_scale(scale_min, scale_max, func)
    if not domains:
        raise PsychometricsError(f"{func}: domains is empty; map each domain to its items.")
    columns = {label(column): column for column in data.columns}
    seen: dict[str, str] = {}
    for domain, items in domains.items():
        if isinstance(items, str) or not len(items):
            raise PsychometricsError(
                f"{func}: domain {domain!r} must list its item columns, got {items!r}."
            )
        for item in items:
            if item in seen:
                raise PsychometricsError(
                    f"{func}: item {item!r} is listed in both {seen[item]!r} and {domain!r}; "
                    "an item belongs to one domain."
                )
            seen[item] = domain
    unknown = [item for item in seen if item not in columns]
    if unknown:
        raise PsychometricsError(
            f"{func}: item(s) {', '.join(map(repr, unknown))} are not columns of data; check the "
            "domain definitions against the table."
        )
    all_items = list(seen)
    names, values = numeric_items(data[[columns[item] for item in all_items]], func)
    check_on_scale(names, values, scale_min, scale_max, func)
    spreads = dict(
        zip(all_items, spreads_from_values(names, values, scale_min, scale_max), strict=True)
    )
    position = {item: i for i, item in enumerate(all_items)}

    cube: RatingsCube | None = None
    item_icc: dict[str, IccEstimate | PsychometricsError] = {}
    item_exact: dict[str, float] = {}
    item_adjacent: dict[str, float] = {}
    item_kappa: dict[str, float | PsychometricsError] = {}
    domain_icc: dict[str, IccEstimate | PsychometricsError] = {}
    if agreement_data is not None:
        cube = ratings_cube(agreement_data, targets, raters, all_items, scale_min, scale_max)
        estimates, exact, adjacent = icc_per_column(cube.values, icc_form)
        for item, estimate, e, a in zip(all_items, estimates, exact, adjacent, strict=True):
            item_icc[item] = estimate
            if np.isfinite(e):
                item_exact[item], item_adjacent[item] = float(e), float(a)
            if cube.values.shape[1] == 2:
                item_kappa[item] = _item_kappa(
                    cube.values[:, :, position[item]], scale_min, scale_max
                )
        scores = np.stack(
            [
                row_means(cube.values[:, :, [position[item] for item in items]])
                for items in domains.values()
            ],
            axis=2,
        )
        domain_estimates, _, _ = icc_per_column(scores, icc_form)
        domain_icc = dict(zip(domains, domain_estimates, strict=True))

    results = []
    for domain, items in domains.items():
        results.append(
            _domain_quality(
                domain,
                list(items),
                values[:, [position[item] for item in items]],
                spreads,
                item_icc,
                item_kappa,
                item_exact,
                item_adjacent,
                domain_icc.get(domain),
                thresholds,
                nan_policy,
                scale_min,
                scale_max,
            )
        )
    return QualityReport(
        domains=tuple(results),
        thresholds=thresholds,
        icc_form=icc_form,
        n_cases=int(values.shape[0]),
        n_double_rated=0 if cube is None else cube.n_double_rated,
    )


def _item_kappa(ratings: FloatArray, scale_min: int, scale_max: int) -> float | PsychometricsError:
    complete = ratings[~np.isnan(ratings).any(axis=1)]
    if complete.shape[0] < 2:
        return PsychometricsError("fewer than 2 interviews were rated by both raters.")
    codes: npt.NDArray[np.int64] = complete.astype(np.int64) - scale_min
    try:
        kappa, _, _, _ = kappa_from_codes(
            codes[:, 0], codes[:, 1], scale_max - scale_min + 1, "linear"
        )
    except ConstantItemError as error:
        return error
    return kappa


def _domain_quality(
    domain: str,
    items: list[str],
    values: FloatArray,
    spreads: Mapping[str, ItemSpread | None],
    item_icc: Mapping[str, IccEstimate | PsychometricsError],
    item_kappa: Mapping[str, float | PsychometricsError],
    item_exact: Mapping[str, float],
    item_adjacent: Mapping[str, float],
    score_icc: IccEstimate | PsychometricsError | None,
    thresholds: QualityThresholds,
    nan_policy: NanPolicy,
    scale_min: int,
    scale_max: int,
) -> DomainQuality:
    item_flags, usable = _item_spread_flags(
        domain, items, values, spreads, thresholds, scale_min, scale_max
    )
    alpha, omega, domain_flags = _consistency(domain, items, values, usable, nan_policy)
    domain_flags += _consistency_flags(domain, alpha, omega, thresholds, item_flags)
    score_spread, domain_estimate, score_flags = _domain_score_quality(
        domain, values, score_icc, thresholds, scale_min, scale_max
    )
    domain_flags += score_flags
    entries = _item_entries(
        domain,
        items,
        spreads,
        item_flags,
        alpha,
        item_icc,
        item_kappa,
        item_exact,
        item_adjacent,
        thresholds,
    )
    return DomainQuality(
        domain=domain,
        items=tuple(entries),
        alpha=alpha,
        omega=omega,
        score_spread=score_spread,
        icc=domain_estimate,
        flags=tuple(domain_flags),
    )


def _item_spread_flags(
    domain: str,
    items: list[str],
    values: FloatArray,
    spreads: Mapping[str, ItemSpread | None],
    thresholds: QualityThresholds,
    scale_min: int,
    scale_max: int,
) -> tuple[dict[str, list[QualityFlag]], list[int]]:
    """Each item's flags for missing, constant or piled-up ratings, and the usable columns.

    An item is usable for alpha and omega when its ratings vary.
    """
    item_flags: dict[str, list[QualityFlag]] = {item: [] for item in items}
    usable: list[int] = []
    for j, item in enumerate(items):
        spread = spreads[item]
        flags = item_flags[item]
        if spread is None:
            flags.append(
                make_flag(
                    domain,
                    item,
                    "no_ratings",
                    "n",
                    0.0,
                    None,
                    "This item has no ratings at all, so nothing can be said about it; check "
                    "that it was asked and that its column was imported.",
                )
            )
            continue
        observed = values[~np.isnan(values[:, j]), j]
        if observed.min() == observed.max():
            flags.append(
                make_flag(
                    domain,
                    item,
                    "constant_item",
                    "sd",
                    0.0,
                    None,
                    f"Every interview got the same rating ({format_value(observed[0])}) on this "
                    "item, so it tells nothing about differences between services; it was left "
                    "out of alpha and omega.",
                )
            )
        else:
            usable.append(j)
        flags.extend(
            spread_flags(
                domain,
                item,
                spread.percent_floor,
                spread.percent_ceiling,
                thresholds,
                scale_min,
                scale_max,
            )
        )

    return item_flags, usable


def _consistency(
    domain: str, items: list[str], values: FloatArray, usable: list[int], nan_policy: NanPolicy
) -> tuple[AlphaResult | None, OmegaResult | None, list[QualityFlag]]:
    """Alpha and omega of the usable items, and a flag for each that cannot be computed."""
    domain_flags: list[QualityFlag] = []
    alpha: AlphaResult | None = None
    omega: OmegaResult | None = None
    usable_names = [items[j] for j in usable]
    usable_values = values[:, usable]
    if len(usable) >= 2:
        try:
            alpha = alpha_from_values(usable_names, usable_values, nan_policy, 0.95)
        except PsychometricsError as error:
            domain_flags.append(not_computable(domain, None, "Cronbach's alpha", error))
    else:
        domain_flags.append(
            make_flag(
                domain,
                None,
                "not_computable",
                "Cronbach's alpha",
                None,
                None,
                "Cronbach's alpha could not be computed: it needs at least 2 items whose "
                f"ratings vary, and this domain has {len(usable)}.",
            )
        )
    if len(usable) >= 3:
        try:
            omega = omega_from_values(usable_names, usable_values, nan_policy)
        except PsychometricsError as error:
            domain_flags.append(not_computable(domain, None, "McDonald's omega", error))
    return alpha, omega, domain_flags


def _consistency_flags(
    domain: str,
    alpha: AlphaResult | None,
    omega: OmegaResult | None,
    thresholds: QualityThresholds,
    item_flags: dict[str, list[QualityFlag]],
) -> list[QualityFlag]:
    """The domain's flags for alpha and omega; adds low item-total flags to ``item_flags``."""
    domain_flags: list[QualityFlag] = []
    if alpha is not None:
        if thresholds.alpha_min is not None and alpha.alpha < thresholds.alpha_min:
            domain_flags.append(
                make_flag(
                    domain,
                    None,
                    "low_alpha",
                    "cronbach_alpha",
                    alpha.alpha,
                    thresholds.alpha_min,
                    f"The items of this domain do not hang together well (alpha "
                    f"{alpha.alpha:.2f}, below {thresholds.alpha_min:.2f}), so adding them up "
                    "into one domain score is questionable; look at the items with low "
                    "item-total correlations.",
                )
            )
        if thresholds.alpha_max is not None and alpha.alpha > thresholds.alpha_max:
            domain_flags.append(
                make_flag(
                    domain,
                    None,
                    "high_alpha",
                    "cronbach_alpha",
                    alpha.alpha,
                    thresholds.alpha_max,
                    f"The items of this domain are so alike (alpha {alpha.alpha:.2f}, above "
                    f"{thresholds.alpha_max:.2f}) that some may ask the same thing twice; "
                    "consider shortening the domain.",
                )
            )
        for entry in alpha.items:
            limit = thresholds.item_total_min
            if limit is not None and entry.corrected_item_total < limit:
                item_flags[entry.item].append(
                    make_flag(
                        domain,
                        entry.item,
                        "low_item_total",
                        "corrected_item_total",
                        entry.corrected_item_total,
                        limit,
                        "This item goes along only weakly with the other items of its domain "
                        f"(item-total correlation {entry.corrected_item_total:.2f}, below "
                        f"{limit:.2f}), so it may measure something else; check its wording or "
                        "whether it belongs in this domain.",
                    )
                )
    if omega is not None and omega.heywood_case:
        domain_flags.append(
            make_flag(
                domain,
                None,
                "heywood_case",
                "mcdonald_omega",
                omega.omega_total,
                None,
                "The one-factor model behind omega hit its limit (an item looks like an almost "
                "perfect copy of the common factor), so omega should be read with caution.",
            )
        )

    return domain_flags


def _domain_score_quality(
    domain: str,
    values: FloatArray,
    score_icc: IccEstimate | PsychometricsError | None,
    thresholds: QualityThresholds,
    scale_min: int,
    scale_max: int,
) -> tuple[ScoreSpread | None, IccEstimate | None, list[QualityFlag]]:
    """The spread and ICC of the domain score, with their flags."""
    domain_flags: list[QualityFlag] = []
    domain_scores = row_means(values)
    score_spread = spread_of_scores(domain_scores, scale_min, scale_max)
    if score_spread is not None:
        domain_flags.extend(
            spread_flags(
                domain,
                None,
                score_spread.percent_floor,
                score_spread.percent_ceiling,
                thresholds,
                scale_min,
                scale_max,
            )
        )
    domain_estimate: IccEstimate | None = None
    if isinstance(score_icc, PsychometricsError):
        domain_flags.append(not_computable(domain, None, "ICC of the domain score", score_icc))
    elif score_icc is not None:
        domain_estimate = score_icc
        domain_flags.extend(agreement_flags(domain, None, score_icc, None, thresholds))

    return score_spread, domain_estimate, domain_flags


def _item_entries(
    domain: str,
    items: list[str],
    spreads: Mapping[str, ItemSpread | None],
    item_flags: dict[str, list[QualityFlag]],
    alpha: AlphaResult | None,
    item_icc: Mapping[str, IccEstimate | PsychometricsError],
    item_kappa: Mapping[str, float | PsychometricsError],
    item_exact: Mapping[str, float],
    item_adjacent: Mapping[str, float],
    thresholds: QualityThresholds,
) -> list[ItemQuality]:
    """Each item's quality: its spread, item-total statistics, agreement and flags."""
    entries = []
    alpha_items = {entry.item: entry for entry in alpha.items} if alpha is not None else {}
    for item in items:
        flags = item_flags[item]
        estimate = item_icc.get(item)
        kappa = item_kappa.get(item)
        if isinstance(estimate, PsychometricsError):
            flags.append(not_computable(domain, item, "ICC", estimate))
            estimate = None
        if isinstance(kappa, PsychometricsError):
            flags.append(not_computable(domain, item, "weighted kappa", kappa))
            kappa = None
        flags.extend(agreement_flags(domain, item, estimate, kappa, thresholds))
        statistics = alpha_items.get(item)
        entries.append(
            ItemQuality(
                item=item,
                domain=domain,
                spread=spreads[item],
                corrected_item_total=statistics.corrected_item_total if statistics else None,
                alpha_if_deleted=statistics.alpha_if_deleted if statistics else None,
                icc=estimate,
                kappa=kappa,
                percent_exact=item_exact.get(item),
                percent_adjacent=item_adjacent.get(item),
                flags=tuple(flags),
            )
        )
    return entries
