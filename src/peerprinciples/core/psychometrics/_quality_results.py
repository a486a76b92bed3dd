"""Typed, immutable results of the quality summary: each item's and domain's figures, and
the flags raised where a figure passes a threshold (see :mod:`._results` for the rules every
result follows)."""

from __future__ import annotations

from dataclasses import dataclass

from ._results import (
    AlphaResult,
    IccEstimate,
    ItemSpread,
    OmegaResult,
    ScoreSpread,
    _ToDict,
)
from .thresholds import QualityThresholds

__all__ = ["DomainQuality", "ItemQuality", "QualityFlag", "QualityReport"]


@dataclass(frozen=True, slots=True)
class QualityFlag(_ToDict):
    """A value beyond a quality threshold, with an explanation in plain language.

    Attributes
    ----------
    domain : str
        The domain concerned.
    item : str or None
        The item concerned, or ``None`` for a flag on the whole domain.
    code : str
        Stable machine-readable code, e.g. ``"ceiling"``, ``"low_alpha"``.
    statistic : str
        The statistic that was checked, e.g. ``"percent_ceiling"``.
    value : float or None
        Its value (``None`` when it could not be computed).
    threshold : float or None
        The threshold it crossed (``None`` when not applicable).
    message : str
        What it means, readable without statistical training.
    """

    domain: str
    item: str | None
    code: str
    statistic: str
    value: float | None
    threshold: float | None
    message: str


@dataclass(frozen=True, slots=True)
class ItemQuality(_ToDict):
    """Quality statistics of one item.

    Attributes
    ----------
    item, domain : str
        The item and its domain.
    spread : ItemSpread or None
        Distribution over the scale (``None`` if the item has no ratings).
    corrected_item_total, alpha_if_deleted : float or None
        From the domain's alpha (``None`` if not computable).
    icc : IccEstimate or None
        The chosen ICC form for this item from the double-rated data.
    kappa : float or None
        Linearly weighted Cohen's kappa (only with exactly two raters).
    percent_exact, percent_adjacent : float or None
        Percentage agreement among raters.
    flags : tuple of QualityFlag
        Every threshold this item crossed.
    """

    item: str
    domain: str
    spread: ItemSpread | None
    corrected_item_total: float | None
    alpha_if_deleted: float | None
    icc: IccEstimate | None
    kappa: float | None
    percent_exact: float | None
    percent_adjacent: float | None
    flags: tuple[QualityFlag, ...]


@dataclass(frozen=True, slots=True)
class DomainQuality(_ToDict):
    """Quality statistics of one domain and its items.

    Attributes
    ----------
    domain : str
        The domain.
    items : tuple of ItemQuality
        Its items, in the given order.
    alpha : AlphaResult or None
        Cronbach's alpha of the domain (``None`` if not computable; see ``flags``).
    omega : OmegaResult or None
        McDonald's omega total (``None`` with fewer than three usable items or on error).
    score_spread : ScoreSpread or None
        Floor and ceiling of the domain score.
    icc : IccEstimate or None
        The chosen ICC form for the domain score from the double-rated data.
    flags : tuple of QualityFlag
        Flags about the domain as a whole (item flags are on the items).
    """

    domain: str
    items: tuple[ItemQuality, ...]
    alpha: AlphaResult | None
    omega: OmegaResult | None
    score_spread: ScoreSpread | None
    icc: IccEstimate | None
    flags: tuple[QualityFlag, ...]

    @property
    def all_flags(self) -> tuple[QualityFlag, ...]:
        """Domain flags followed by the flags of every item."""
        return self.flags + tuple(flag for item in self.items for flag in item.flags)


@dataclass(frozen=True, slots=True)
class QualityReport(_ToDict):
    """The flagged quality summary of an instrument.

    Attributes
    ----------
    domains : tuple of DomainQuality
        One entry per domain, in the given order.
    thresholds : QualityThresholds
        The thresholds used.
    icc_form : str
        The ICC form reported and flagged.
    n_cases : int
        Rows of the ratings table.
    n_double_rated : int
        Targets with two or more ratings in the agreement data (0 without agreement data).
    """

    domains: tuple[DomainQuality, ...]
    thresholds: QualityThresholds
    icc_form: str
    n_cases: int
    n_double_rated: int

    @property
    def flags(self) -> tuple[QualityFlag, ...]:
        """Every flag of every domain and item."""
        return tuple(flag for domain in self.domains for flag in domain.all_flags)

    def domain(self, name: str) -> DomainQuality:
        """Return the summary of the domain called ``name`` (``KeyError`` if absent)."""
        for entry in self.domains:
            if entry.domain == name:
                return entry
        raise KeyError(name)
