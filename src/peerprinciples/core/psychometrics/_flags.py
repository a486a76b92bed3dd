"""Quality flags in plain language: what a value beyond a threshold means and what to do."""

from __future__ import annotations

from ._errors import PsychometricsError
from ._quality_results import (
    QualityFlag,
)
from ._results import (
    IccEstimate,
)
from .thresholds import QualityThresholds


def make_flag(
    domain: str,
    item: str | None,
    code: str,
    statistic: str,
    value: float | None,
    threshold: float | None,
    message: str,
) -> QualityFlag:
    """One flag, with the value, the threshold and what it means in plain words."""
    return QualityFlag(
        domain=domain,
        item=item,
        code=code,
        statistic=statistic,
        value=value,
        threshold=threshold,
        message=message,
    )


def spread_flags(
    domain: str,
    item: str | None,
    floor: float,
    ceiling: float,
    thresholds: QualityThresholds,
    scale_min: int,
    scale_max: int,
) -> list[QualityFlag]:
    """Flags for too many ratings at the floor or the ceiling of the scale."""
    limit = thresholds.floor_ceiling_max_percent
    if limit is None:
        return []
    flags = []
    if floor > limit:
        if item is not None:
            text = (
                f"{floor:.0f}% of answers sit at the bottom of the scale ({scale_min}), so the "
                "item cannot show when things get worse"
            )
        else:
            text = (
                f"{floor:.0f}% of interviews have the lowest possible score on this domain, so "
                "the domain score cannot show when things get worse"
            )
        flags.append(
            make_flag(
                domain,
                item,
                "floor",
                "percent_floor",
                floor,
                limit,
                f"{text} (more than {limit:g}% is a floor effect).",
            )
        )
    if ceiling > limit:
        if item is not None:
            text = (
                f"{ceiling:.0f}% of answers sit at the top of the scale ({scale_max}), so the "
                "item cannot show improvement"
            )
        else:
            text = (
                f"{ceiling:.0f}% of interviews have the highest possible score on this domain, "
                "so the domain score cannot show improvement"
            )
        flags.append(
            make_flag(
                domain,
                item,
                "ceiling",
                "percent_ceiling",
                ceiling,
                limit,
                f"{text} (more than {limit:g}% is a ceiling effect).",
            )
        )
    return flags


def agreement_flags(
    domain: str,
    item: str | None,
    estimate: IccEstimate | None,
    kappa: float | None,
    thresholds: QualityThresholds,
) -> list[QualityFlag]:
    """Flags for low agreement between raters: ICC and weighted kappa."""
    flags = []
    subject = "this item" if item is not None else "this domain's score"
    if (
        estimate is not None
        and thresholds.icc_min is not None
        and estimate.value < thresholds.icc_min
    ):
        flags.append(
            make_flag(
                domain,
                item,
                "low_icc",
                estimate.form,
                estimate.value,
                thresholds.icc_min,
                f"Two raters scoring the same interview often give different scores for "
                f"{subject} (ICC {estimate.value:.2f}, below {thresholds.icc_min:.2f}), so a "
                "score depends on who rated it; clarify the rating guidance or train raters.",
            )
        )
    if kappa is not None and thresholds.kappa_min is not None and kappa < thresholds.kappa_min:
        flags.append(
            make_flag(
                domain,
                item,
                "low_kappa",
                "weighted_kappa",
                kappa,
                thresholds.kappa_min,
                f"Raters agree on {subject} little more than chance would explain (weighted "
                f"kappa {kappa:.2f}, below {thresholds.kappa_min:.2f}, 'moderate' in Landis & "
                "Koch); clarify what each scale point means.",
            )
        )
    return flags


def not_computable(
    domain: str, item: str | None, statistic: str, error: PsychometricsError
) -> QualityFlag:
    """A flag saying a statistic could not be computed, and why."""
    return make_flag(
        domain,
        item,
        "not_computable",
        statistic,
        None,
        None,
        f"{statistic} could not be computed: {error}",
    )
