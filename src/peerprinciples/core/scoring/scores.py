"""The scores of a ratings table, the names the scoring uses, and the array helpers it shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from peerprinciples.core.instruments import Instrument

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


SetColumns = Callable[[IntArray, IntArray], dict[str, object]]

CONSENSUS_SOURCES = ("given", "mean_of_raters", "one_rater", "mixed")
"""Where a consensus score comes from: the agreed rating, the mean of the raters' ratings, the
only rater's rating, or (for domain and total scores) a mix of these across items."""

GIVEN, MEAN, ONE, MIXED = 0, 1, 2, 3

TOTAL = "total"
"""The ``domain`` value of total scores in :attr:`Scores.aggregates`."""

GROUP_COLUMNS = ("service", "peer_worker", "round", "informant")
"""The columns scores can be grouped by."""

DEFAULT_AGGREGATE_BY: tuple[tuple[str, ...], ...] = (
    (),
    ("informant",),
    ("service",),
    ("round",),
    ("peer_worker",),
    ("service", "round", "informant"),
)
"""The groupings of :attr:`Scores.aggregates` by default; ``()`` is all interviews."""

DEFAULT_GAP_BY: tuple[tuple[str, ...], ...] = (
    ("service", "round"),
    ("service", "peer_worker", "round"),
)
"""The groupings of :attr:`Scores.informant_gaps` by default."""

EPSILON = 1e-9  # shares are ratios of small counts; this keeps 0.6 >= 0.6 true in floats

ITEM_SET_COLUMNS = ("interview", "rater", *GROUP_COLUMNS)


@dataclass(frozen=True)
class Scores:
    """The scores of a ratings table.

    Every score table has one row per interview and *set* of ratings: each rater's own
    ratings (``rater`` is their name) and, for interviews with two or more raters or with
    agreed ratings, the consensus (``rater`` is ``consensus``). ``final`` marks the set that
    stands for the interview (the consensus when there is one, otherwise the only rater's);
    ``consensus_source`` says where a consensus score comes from (see
    :data:`CONSENSUS_SOURCES`) and is missing for a rater's own scores.

    Attributes
    ----------
    item_scores
        One row per item rated in each set: ``item``, ``domain``, ``rating`` (the point given,
        or for a consensus the agreed rating or the mean of the raters' ratings), ``code``,
        ``score`` (after reverse keying; missing for codes) and ``answered``.
    domain_scores
        One row per set and domain with items asked of the informant: ``domain``,
        ``principles`` (the principle keys, joined by ';'), ``n_asked`` (items of the domain
        asked of the informant), ``n_expected`` (required items asked plus optional items
        answered), ``n_rated`` (items answered), ``share_rated``, ``score`` and ``band``.
    total_scores
        One row per set: ``method``, ``n_expected`` and ``n_rated`` (domains or items),
        ``share_rated``, ``score`` and ``band``.
    principle_scores
        One row per set and principle: ``principle``, ``n_domains`` (domains linked to it with
        a score) and ``score`` (the mean of those domain scores).
    aggregates
        Final scores summarised per group: ``grouping`` (the grouping columns joined by '+',
        or ``all``), the grouping columns, ``domain`` (a domain key or ``total``),
        ``n_interviews``, ``n`` (interviews with a score), ``mean`` and ``sd`` (n − 1).
    informant_gaps
        Per group and principle: ``n_self`` and ``self_mean`` (final principle scores from
        interviews with the self-rating informant), ``n_others`` and ``others_mean`` (all
        other informants pooled) and ``gap = self_mean − others_mean``.
    notes
        What a reader of the results should know, e.g. how many consensus scores are means.
    """

    instrument: Instrument
    item_scores: pd.DataFrame
    domain_scores: pd.DataFrame
    total_scores: pd.DataFrame
    principle_scores: pd.DataFrame
    aggregates: pd.DataFrame
    informant_gaps: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def final(self, level: Literal["item", "domain", "principle", "total"]) -> pd.DataFrame:
        """The final scores (one set per interview) at ``level``.

        Parameters
        ----------
        level
            ``"item"``, ``"domain"``, ``"principle"`` or ``"total"``.

        Returns
        -------
        pandas.DataFrame
            The rows of that table with ``final`` true.
        """
        table = {
            "item": self.item_scores,
            "domain": self.domain_scores,
            "principle": self.principle_scores,
            "total": self.total_scores,
        }[level]
        return table[table["final"].to_numpy()].reset_index(drop=True)


def codes_of(column: pd.Series) -> IntArray:
    """The integer codes of a categorical column (−1 missing)."""
    return np.asarray(column.cat.codes.to_numpy(), dtype=np.intp)


def categorical(codes: IntArray, categories: Sequence[str] | pd.Index) -> pd.Categorical[str]:
    """A categorical column from codes (−1 missing) and its categories."""
    if not isinstance(categories, pd.Index):
        categories = pd.Index(list(categories), dtype=str)
    return pd.Categorical.from_codes(codes, categories=categories)


def new_frame(columns: dict[str, object]) -> pd.DataFrame:
    """A DataFrame of freshly made columns, without copying them into consolidated blocks."""
    return pd.DataFrame(columns, copy=False)


def divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Element-wise ratio, missing where the denominator is zero."""
    out = np.full(np.shape(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def bincount(keys: IntArray, size: int, weights: npt.ArrayLike | None = None) -> FloatArray:
    """Counts (or sums of ``weights``) per key, as floats, for keys 0 to ``size − 1``."""
    counted: FloatArray = np.bincount(keys, weights=weights, minlength=size).astype(np.float64)
    return counted


def dense_ids(keys: npt.NDArray[np.int64], space: int) -> tuple[npt.NDArray[np.int64], IntArray]:
    """The distinct keys (sorted) and, for each key, the index of its group.

    Keys lie in ``[0, space)``; a small space is counted directly, a large one sorted.
    """
    if space <= 4 * len(keys) + 65_536:
        present = np.zeros(space, dtype=bool)
        present[keys] = True
        index = np.cumsum(present, dtype=np.intp) - 1
        uniques = np.flatnonzero(present).astype(np.int64)
        return uniques, index[keys]
    order = np.argsort(keys)
    ordered = keys[order]
    new = np.ones(len(ordered), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    inverse = np.empty(len(keys), dtype=np.intp)
    inverse[order] = np.cumsum(new, dtype=np.intp) - 1
    return ordered[new], inverse


class Bands:
    """The instrument's bands, applied to whole arrays like ``Instrument.band_for``."""

    def __init__(self, instrument: Instrument) -> None:
        bands = sorted(instrument.scoring.bands, key=lambda b: b.min, reverse=True)
        self.keys = [b.key for b in instrument.scoring.bands]
        self.order = [(self.keys.index(b.key), b.min, b.max) for b in bands]

    def of(self, scores: FloatArray) -> pd.Categorical[str]:
        codes = np.full(len(scores), -1, dtype=np.intp)
        unset = np.ones(len(scores), dtype=bool)
        for index, low, high in self.order:
            hit = unset & (scores >= low) & (scores <= high)
            codes[hit] = index
            unset &= ~hit
        return categorical(codes, self.keys)
