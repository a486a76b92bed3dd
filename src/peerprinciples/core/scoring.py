"""Scoring a ratings table: item, domain, principle and total scores, aggregates and gaps.

The rules are the instrument's own (``scoring`` in its YAML) and are set out, with formulas,
in ``docs/scoring.md``. In short:

* item score: the rating, reversed for reverse-keyed items (``min + max − rating``); a special
  code counts as missing (``missing: true``) or as answered without a number
  (``missing: false``);
* domain score: the mean of the domain's item scores when the share of its items answered is
  at least ``scoring.domain.min_rated``. The items expected are the domain's *required* items
  asked of the informant, plus its optional items that were answered: leaving out an optional
  item never makes a domain missing;
* total: the mean of the domain scores (``mean_of_domains``) or of the item scores
  (``mean_of_items``), with its own ``min_rated``;
* bands: the band whose range holds the score (a score on a boundary goes to the higher band);
* consensus: where an interview has two or more raters, or agreed ratings (rater
  ``consensus``), a consensus set of item scores is made: per item the agreed rating when one
  is given, otherwise the mean of the raters' ratings (flagged ``mean_of_raters``), or the
  only rating when just one rater rated that item (``one_rater``). Scores from it are the
  interview's *final* scores; an interview with one rater and no agreed ratings has that
  rater's scores as final.

Everything is computed on whole arrays (``numpy.bincount`` over integer group codes), never
with a loop per rating, and nothing is rounded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import CONSENSUS_RATER, RatingsTable, asked_matrix, first_rows

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
_T = TypeVar("_T", bound=np.generic)
_SetColumns = Callable[[IntArray, IntArray], dict[str, object]]

CONSENSUS_SOURCES = ("given", "mean_of_raters", "one_rater", "mixed")
"""Where a consensus score comes from: the agreed rating, the mean of the raters' ratings, the
only rater's rating, or (for domain and total scores) a mix of these across items."""

_GIVEN, _MEAN, _ONE, _MIXED = 0, 1, 2, 3

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

_EPSILON = 1e-9  # shares are ratios of small counts; this keeps 0.6 >= 0.6 true in floats

_ITEM_SET_COLUMNS = ("interview", "rater", *GROUP_COLUMNS)


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


@dataclass(frozen=True)
class _Rules:
    """The instrument as arrays, in instrument order."""

    item_keys: list[str]
    domain_keys: list[str]
    informant_keys: list[str]
    item_domain: IntArray
    low: FloatArray
    high: FloatArray
    reverse: BoolArray
    required: BoolArray
    asked_in_domain: IntArray  # informant × domain: items asked
    required_in_domain: IntArray  # informant × domain: required items asked
    code_answered: BoolArray  # per code, plus a last False for "no code"

    @classmethod
    def of(cls, instrument: Instrument) -> _Rules:
        item_keys = [item.key for item in instrument.items]
        domain_keys = [domain.key for domain in instrument.domains]
        item_domain = np.asarray(
            [domain_keys.index(item.domain) for item in instrument.items], dtype=np.intp
        )
        required = np.asarray([item.required for item in instrument.items], dtype=bool)
        asked = asked_matrix(instrument)
        in_domain = np.zeros((len(item_keys), len(domain_keys)), dtype=np.intp)
        in_domain[np.arange(len(item_keys)), item_domain] = 1
        return cls(
            item_keys=item_keys,
            domain_keys=domain_keys,
            informant_keys=[informant.key for informant in instrument.informants],
            item_domain=item_domain,
            low=np.asarray([instrument.scale(i.scale).min for i in instrument.items], float),
            high=np.asarray([instrument.scale(i.scale).max for i in instrument.items], float),
            reverse=np.asarray([item.reverse for item in instrument.items], dtype=bool),
            required=required,
            asked_in_domain=asked.astype(np.intp) @ in_domain,
            required_in_domain=(asked & required).astype(np.intp) @ in_domain,
            code_answered=np.asarray([not c.missing for c in instrument.codes] + [False], bool),
        )

    def item_score(self, item: IntArray, rating: FloatArray) -> FloatArray:
        """Ratings as item scores: reverse-keyed items become ``min + max − rating``."""
        sign = np.where(self.reverse, -1.0, 1.0)
        shift = np.where(self.reverse, self.low + self.high, 0.0)
        result: FloatArray = sign[item] * rating + shift[item]
        return result


def _codes(column: pd.Series) -> IntArray:
    return np.asarray(column.cat.codes.to_numpy(), dtype=np.intp)


def _categorical(codes: IntArray, categories: Sequence[str] | pd.Index) -> pd.Categorical[str]:
    if not isinstance(categories, pd.Index):
        categories = pd.Index(list(categories), dtype=str)
    return pd.Categorical.from_codes(codes, categories=categories)


def _frame(columns: dict[str, object]) -> pd.DataFrame:
    """A DataFrame of freshly made columns, without copying them into consolidated blocks."""
    return pd.DataFrame(columns, copy=False)


def _divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Element-wise ratio, missing where the denominator is zero."""
    out = np.full(np.shape(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _bincount(keys: IntArray, size: int, weights: npt.ArrayLike | None = None) -> FloatArray:
    counted: FloatArray = np.bincount(keys, weights=weights, minlength=size).astype(np.float64)
    return counted


def score(
    ratings: RatingsTable,
    *,
    aggregate_by: Sequence[Sequence[str]] = DEFAULT_AGGREGATE_BY,
    gap_by: Sequence[Sequence[str]] = DEFAULT_GAP_BY,
    self_informant: str = "peer_worker",
) -> Scores:
    """Score a checked ratings table by its instrument's rules.

    Parameters
    ----------
    ratings
        A table from :func:`peerprinciples.core.ratings.read_ratings`.
    aggregate_by
        The groupings of :attr:`Scores.aggregates`, each a sequence of columns from
        :data:`GROUP_COLUMNS`; an empty sequence summarises all interviews.
    gap_by
        The groupings of :attr:`Scores.informant_gaps`.
    self_informant
        The informant whose ratings are compared with those of all other informants.

    Returns
    -------
    Scores
        Item, domain, principle and total scores per interview and set of ratings, their
        aggregates and the informant gaps.

    Raises
    ------
    ValueError
        When a grouping names a column not in :data:`GROUP_COLUMNS`.
    """
    for by in (*aggregate_by, *gap_by):
        unknown = [c for c in by if c not in GROUP_COLUMNS]
        if unknown:
            raise ValueError(
                f"cannot group by {', '.join(unknown)}; use columns from "
                f"{', '.join(GROUP_COLUMNS)}."
            )
    instrument = ratings.instrument
    rules = _Rules.of(instrument)
    data = ratings.data
    notes: list[str] = []

    interview = _codes(data["interview"])
    item = _codes(data["item"])
    rater = _codes(data["rater"])
    code = _codes(data["code"])
    rating = data["rating"].to_numpy(dtype=np.float64)
    raters = data["rater"].cat.categories
    if CONSENSUS_RATER not in raters:
        raters = raters.append(pd.Index([CONSENSUS_RATER], dtype=raters.dtype))
    consensus_code = list(raters).index(CONSENSUS_RATER)
    n_interviews = len(data["interview"].cat.categories)
    n_raters = len(raters)
    is_consensus = rater == consensus_code
    any_consensus_rows = bool(is_consensus.any())

    # Interview attributes, from each interview's first row (the table checked they agree).
    first_of = first_rows(interview, n_interviews)
    raw_codes = {c: data[c].cat.codes.to_numpy() for c in _ITEM_SET_COLUMNS}
    attributes = {c: raw_codes[c][first_of].astype(np.intp) for c in GROUP_COLUMNS}

    # Each rater's own set: one per interview and rater (agreed ratings are not a rater's).
    own = np.flatnonzero(~is_consensus) if any_consensus_rows else None

    def own_part(values: npt.NDArray[_T]) -> npt.NDArray[_T]:
        return values if own is None else values[own]

    own_interview_rows = own_part(interview)
    pairs, own_set = _dense_ids(
        own_interview_rows.astype(np.int64) * n_raters + own_part(rater), n_interviews * n_raters
    )
    n_own = len(pairs)
    own_interview = (pairs // n_raters).astype(np.intp)
    raters_per_interview = np.bincount(own_interview, minlength=n_interviews)
    has_agreed = np.zeros(n_interviews, dtype=bool)
    has_agreed[interview[is_consensus]] = True
    needs_consensus = (raters_per_interview >= 2) | has_agreed

    # The consensus set of each interview that needs one.
    consensus_interviews = np.flatnonzero(needs_consensus)
    n_consensus = len(consensus_interviews)
    consensus_set_of = np.full(n_interviews, -1, dtype=np.intp)
    consensus_set_of[consensus_interviews] = n_own + np.arange(n_consensus)
    consensus = _consensus_items(
        rules, interview, item, rating, code, is_consensus, needs_consensus
    )

    n_sets = n_own + n_consensus
    set_interview = np.concatenate([own_interview, consensus_interviews])
    set_rater = np.concatenate(
        [pairs % n_raters, np.full(n_consensus, consensus_code, dtype=np.int64)]
    ).astype(np.intp)
    set_final = np.concatenate([~needs_consensus[own_interview], np.ones(n_consensus, bool)])
    set_informant = attributes["informant"][set_interview]
    set_is_consensus = set_rater == consensus_code

    # Item scores of every set: each rater's rows, then the consensus rows.
    items_set = np.concatenate([own_set, consensus_set_of[consensus.interview]])
    items_item = np.concatenate([own_part(item), consensus.item])
    items_rating = np.concatenate([own_part(rating), consensus.rating])
    items_code = np.concatenate([own_part(code), consensus.code])
    items_score = rules.item_score(items_item, items_rating)
    scored = ~np.isnan(items_score)
    # a code with missing: false is answered without a score
    answered_code = ~scored & rules.code_answered[items_code]
    items_answered = scored | answered_code

    # Domain sums and counts per set, by bincount over set × domain.
    n_domains = len(rules.domain_keys)
    size = n_sets * n_domains
    shape = (n_sets, n_domains)
    items_domain = rules.item_domain[items_item]
    key = items_set * n_domains + items_domain
    total_of_scores = _bincount(key, size, np.where(scored, items_score, 0.0)).reshape(shape)
    n_scored = _bincount(key, size, scored).reshape(shape)
    n_answered = n_scored + _bincount(key[answered_code], size).reshape(shape)
    optional_answered = np.flatnonzero(items_answered & ~rules.required[items_item])
    n_optional = _bincount(key[optional_answered], size).reshape(shape)
    n_expected = rules.required_in_domain[set_informant] + n_optional
    n_asked = rules.asked_in_domain[set_informant]
    share = _divide(n_answered, n_expected)
    domain_min = instrument.scoring.domain.min_rated
    enough = (n_expected > 0) & (share >= domain_min - _EPSILON) & (n_scored > 0)
    domain_score = np.where(enough, _divide(total_of_scores, n_scored), np.nan)
    consensus_key = key[len(key) - len(consensus.item) :]
    source_counts = [
        _bincount(consensus_key[consensus.source == s], size).reshape(shape)
        for s in (_GIVEN, _MEAN, _ONE)
    ]
    n_rows = _bincount(consensus_key, size).reshape(shape)
    domain_source = _combine_sources(source_counts, n_rows)

    # Totals.
    total_rule = instrument.scoring.total
    if total_rule.method == "mean_of_domains":
        total_expected = (n_expected > 0).sum(axis=1).astype(np.float64)
        total_rated = (~np.isnan(domain_score)).sum(axis=1).astype(np.float64)
        total_mean = _divide(
            np.where(np.isnan(domain_score), 0.0, domain_score).sum(axis=1), total_rated
        )
    else:
        total_expected = n_expected.sum(axis=1).astype(np.float64)
        total_rated = n_answered.sum(axis=1)
        total_mean = _divide(total_of_scores.sum(axis=1), n_scored.sum(axis=1))
    total_share = _divide(total_rated, total_expected)
    total_score = np.where(total_share >= total_rule.min_rated - _EPSILON, total_mean, np.nan)
    total_source = _combine_sources([c.sum(axis=1) for c in source_counts], n_rows.sum(axis=1))

    # --- tables ---------------------------------------------------------------------------
    categories: dict[str, pd.Index] = {c: data[c].cat.categories for c in _ITEM_SET_COLUMNS}
    categories["rater"] = raters
    domain_categories = pd.Index(rules.domain_keys, dtype=str)
    source_categories = pd.Index(CONSENSUS_SOURCES, dtype=str)

    def set_columns(sets: IntArray, source: IntArray) -> dict[str, object]:
        interviews = set_interview[sets]
        columns: dict[str, object] = {
            "interview": _categorical(interviews, categories["interview"]),
            "rater": _categorical(set_rater[sets], raters),
            "final": set_final[sets],
            "consensus_source": _categorical(source, source_categories),
        }
        for name in GROUP_COLUMNS:
            columns[name] = _categorical(attributes[name][interviews], categories[name])
        return columns

    # The item table reuses the codes of the ratings for the raters' own rows.
    consensus_rows_interview = consensus.interview
    item_columns: dict[str, object] = {}
    for name in ("interview", "rater", "final", "consensus_source", *GROUP_COLUMNS):
        if name == "final":
            item_columns[name] = np.concatenate(
                [~needs_consensus[own_interview_rows], np.ones(len(consensus.item), bool)]
            )
            continue
        if name == "consensus_source":
            joined = np.concatenate([np.full(len(own_set), -1, np.int8), consensus.source])
            item_columns[name] = _categorical(joined, source_categories)
            continue
        own_codes = own_part(raw_codes[name])
        if name == "interview":
            extra = consensus_rows_interview
        elif name == "rater":
            extra = np.full(len(consensus.item), consensus_code)
        else:
            extra = attributes[name][consensus_rows_interview]
        joined = np.concatenate([own_codes, extra.astype(own_codes.dtype)])
        item_columns[name] = _categorical(joined, categories[name])
    item_scores = _frame(
        {
            **item_columns,
            "item": _categorical(items_item, data["item"].cat.categories),
            "domain": _categorical(items_domain, domain_categories),
            "rating": items_rating,
            "code": _categorical(items_code, data["code"].cat.categories),
            "score": items_score,
            "answered": items_answered,
        }
    )

    cell = np.flatnonzero((n_asked > 0).ravel())
    cell_set, cell_domain = cell // n_domains, cell % n_domains
    principle_text = [";".join(d.principles) for d in instrument.domains]
    bands = _Bands(instrument)
    flat_domain_score = domain_score.ravel()[cell]
    domain_scores = _frame(
        {
            **set_columns(
                cell_set,
                np.where(set_is_consensus[cell_set], domain_source.ravel()[cell], -1),
            ),
            "domain": _categorical(cell_domain, domain_categories),
            "principles": np.asarray(principle_text, dtype=object)[cell_domain],
            "n_asked": n_asked.ravel()[cell].astype(np.int64),
            "n_expected": n_expected.ravel()[cell].astype(np.int64),
            "n_rated": n_answered.ravel()[cell].astype(np.int64),
            "share_rated": share.ravel()[cell],
            "score": flat_domain_score,
            "band": bands.of(flat_domain_score),
        }
    )

    all_sets = np.arange(n_sets, dtype=np.intp)
    total_scores = _frame(
        {
            **set_columns(all_sets, np.where(set_is_consensus, total_source, -1)),
            "method": total_rule.method,
            "n_expected": total_expected.astype(np.int64),
            "n_rated": total_rated.astype(np.int64),
            "share_rated": total_share,
            "score": total_score,
            "band": bands.of(total_score),
        }
    )

    principle_scores = _principle_scores(
        instrument, domain_score, n_asked, set_columns, set_is_consensus, domain_source
    )

    aggregates = _aggregates(domain_scores, total_scores, rules.domain_keys, aggregate_by)
    gaps = informant_gaps(principle_scores, by=gap_by, self_informant=self_informant)

    notes += _notes(
        ratings,
        n_interviews,
        needs_consensus,
        has_agreed,
        consensus.source,
        domain_scores,
        total_scores,
        self_informant,
    )
    return Scores(
        instrument,
        item_scores,
        domain_scores,
        total_scores,
        principle_scores,
        aggregates,
        gaps,
        tuple(notes),
    )


@dataclass(frozen=True)
class _ConsensusItems:
    interview: IntArray
    item: IntArray
    rating: FloatArray
    code: IntArray
    source: npt.NDArray[np.int8]


def _consensus_items(
    rules: _Rules,
    interview: IntArray,
    item: IntArray,
    rating: FloatArray,
    code: IntArray,
    is_consensus: BoolArray,
    needs_consensus: BoolArray,
) -> _ConsensusItems:
    """Per interview needing a consensus and item: the agreed rating, else the raters' mean."""
    n_items = len(rules.item_keys)
    given = np.flatnonzero(is_consensus)
    given_key = interview[given].astype(np.int64) * n_items + item[given]
    others = np.flatnonzero(needs_consensus[interview] & ~is_consensus)
    other_key = interview[others].astype(np.int64) * n_items + item[others]
    if len(given_key):
        keep = ~np.isin(other_key, given_key)
        others, other_key = others[keep], other_key[keep]
    keys, group = _dense_ids(other_key, len(needs_consensus) * n_items)
    m = len(keys)
    numeric = ~np.isnan(rating[others])
    n_numeric = _bincount(group, m, numeric)
    mean_rating = _divide(_bincount(group, m, np.where(numeric, rating[others], 0.0)), n_numeric)
    n_rows = _bincount(group, m)
    # where no rater gave a number, keep the code if all raters gave the same one
    lowest = np.full(m, np.iinfo(np.intp).max, dtype=np.intp)
    highest = np.full(m, -1, dtype=np.intp)
    np.minimum.at(lowest, group, code[others])
    np.maximum.at(highest, group, code[others])
    mean_code = np.where((n_numeric == 0) & (lowest == highest), highest, -1)
    source = np.where(n_rows >= 2, _MEAN, _ONE).astype(np.int8)

    all_keys = np.concatenate([given_key, keys])
    order = np.argsort(all_keys, kind="stable")
    return _ConsensusItems(
        interview=(all_keys // n_items).astype(np.intp)[order],
        item=(all_keys % n_items).astype(np.intp)[order],
        rating=np.concatenate([rating[given], mean_rating])[order],
        code=np.concatenate([code[given], mean_code]).astype(np.intp)[order],
        source=np.concatenate([np.full(len(given), _GIVEN, np.int8), source])[order],
    )


def _dense_ids(keys: npt.NDArray[np.int64], space: int) -> tuple[npt.NDArray[np.int64], IntArray]:
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


def _combine_sources(counts: list[FloatArray], n_rows: FloatArray) -> IntArray:
    """One source when all items of a score share it, ``mixed`` otherwise (−1 when none)."""
    given, mean, one = counts
    result = np.full(np.shape(n_rows), -1, dtype=np.intp)
    any_source = (given + mean + one) > 0
    result[any_source] = _MIXED
    for source, count in ((_GIVEN, given), (_MEAN, mean), (_ONE, one)):
        result[(count == n_rows) & any_source] = source
    return result


class _Bands:
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
        return _categorical(codes, self.keys)


def _principle_scores(
    instrument: Instrument,
    domain_score: FloatArray,
    n_asked: IntArray,
    set_columns: _SetColumns,
    set_is_consensus: BoolArray,
    domain_source: IntArray,
) -> pd.DataFrame:
    principles: list[str] = []
    for domain in instrument.domains:
        principles += [p for p in domain.principles if p not in principles]
    links = np.zeros((len(instrument.domains), len(principles)), dtype=np.float64)
    for j, domain in enumerate(instrument.domains):
        for key in domain.principles:
            links[j, principles.index(key)] = 1.0
    has_score = ~np.isnan(domain_score)
    n_domains = has_score.astype(np.float64) @ links
    total = np.where(has_score, domain_score, 0.0) @ links
    applies = ((n_asked > 0).astype(np.float64) @ links) > 0
    cell = np.flatnonzero(applies.ravel())
    cell_set, cell_principle = cell // len(principles), cell % len(principles)
    # the source of a principle score: that of its (first) linked domain
    first_domain = links.argmax(axis=0)
    source = np.where(
        set_is_consensus[cell_set], domain_source[cell_set, first_domain[cell_principle]], -1
    )
    return _frame(
        {
            **set_columns(cell_set, source),
            "principle": _categorical(cell_principle, principles),
            "n_domains": n_domains.ravel()[cell].astype(np.int64),
            "score": _divide(total, n_domains).ravel()[cell],
        }
    )


def _grouping_name(by: Sequence[str]) -> str:
    return "+".join(by) if by else "all"


@dataclass(frozen=True)
class _Keyed:
    """A categorical column as codes (−1 missing) and categories."""

    codes: IntArray
    categories: pd.Index

    @classmethod
    def of(cls, column: pd.Series) -> _Keyed:
        return cls(_codes(column), column.cat.categories)

    def take(self, rows: IntArray | BoolArray) -> _Keyed:
        return _Keyed(self.codes[rows], self.categories)


@dataclass(frozen=True)
class _Groups:
    """Statistics of values per group of rows, by integer keys (rows with a missing key drop)."""

    keys: list[IntArray]  # per key column, the code of each group
    n_rows: FloatArray
    n: FloatArray
    mean: FloatArray
    sd: FloatArray

    @classmethod
    def of(cls, keys: Sequence[_Keyed], values: FloatArray) -> _Groups:
        valid = np.ones(len(values), dtype=bool)
        combined = np.zeros(len(values), dtype=np.int64)
        sizes = [max(len(k.categories), 1) for k in keys]
        for key, size in zip(keys, sizes, strict=True):
            valid &= key.codes >= 0
            combined = combined * size + key.codes
        space = int(np.prod(sizes, dtype=np.int64))
        groups, group = _dense_ids(combined[valid], space)
        value = values[valid]
        m = len(groups)
        has = ~np.isnan(value)
        n = _bincount(group, m, has)
        mean = _divide(_bincount(group, m, np.where(has, value, 0.0)), n)
        deviation = np.where(has, value - mean[group], 0.0) if m else value
        squares = _bincount(group, m, deviation * deviation)
        sd = np.sqrt(_divide(squares, np.where(n >= 2, n - 1, 0.0)))
        decoded: list[IntArray] = []
        rest = groups
        for size in reversed(sizes):
            decoded.insert(0, (rest % size).astype(np.intp))
            rest = rest // size
        return cls(decoded, _bincount(group, m), n, mean, sd)


def _summary_frame(
    parts: list[tuple[str, dict[str, IntArray], dict[str, FloatArray]]],
    categories: dict[str, pd.Index],
    key_columns: Sequence[str],
    value_columns: Sequence[str],
    counts: Sequence[str],
) -> pd.DataFrame:
    """One DataFrame from per-grouping arrays; columns a grouping lacks are missing."""
    lengths = [len(next(iter(values.values()))) for _, _, values in parts]
    names = [name for name, _, _ in parts]
    data: dict[str, object] = {
        "grouping": pd.Categorical(
            np.repeat(np.asarray(names, dtype=object), lengths).astype(str),
            categories=list(dict.fromkeys(names)),
        ),
    }
    for column in key_columns:
        codes = np.concatenate(
            [
                np.zeros(0, dtype=np.intp),
                *(
                    keys.get(column, np.full(length, -1, dtype=np.intp))
                    for (_, keys, _), length in zip(parts, lengths, strict=True)
                ),
            ]
        ).astype(np.intp)
        data[column] = pd.Categorical.from_codes(codes, categories=categories[column])
    for column in value_columns:
        joined = np.concatenate([np.zeros(0), *(values[column] for _, _, values in parts)])
        data[column] = joined.astype(np.int64) if column in counts else joined
    return _frame(data)


def _summarise_scores(
    columns: dict[str, _Keyed],
    domain: _Keyed,
    score: FloatArray,
    groupings: Sequence[Sequence[str]],
) -> pd.DataFrame:
    parts = []
    for by in groupings:
        stats = _Groups.of([*(columns[c] for c in by), domain], score)
        keys = dict(zip([*by, "domain"], stats.keys, strict=True))
        values = {
            "n_interviews": stats.n_rows,
            "n": stats.n,
            "mean": stats.mean,
            "sd": stats.sd,
        }
        parts.append((_grouping_name(by), keys, values))
    categories = {c: columns[c].categories for c in GROUP_COLUMNS}
    categories["domain"] = domain.categories
    return _summary_frame(
        parts,
        categories,
        [*GROUP_COLUMNS, "domain"],
        ["n_interviews", "n", "mean", "sd"],
        ("n_interviews", "n"),
    )


def _aggregates(
    domain_scores: pd.DataFrame,
    total_scores: pd.DataFrame,
    domain_keys: list[str],
    groupings: Sequence[Sequence[str]],
) -> pd.DataFrame:
    domain_final = domain_scores["final"].to_numpy()
    total_final = total_scores["final"].to_numpy()
    columns = {}
    for column in GROUP_COLUMNS:
        in_domains = _Keyed.of(domain_scores[column]).take(domain_final)
        in_totals = _Keyed.of(total_scores[column]).take(total_final)
        columns[column] = _Keyed(
            np.concatenate([in_domains.codes, in_totals.codes]), in_domains.categories
        )
    domain = _Keyed(
        np.concatenate(
            [
                _codes(domain_scores["domain"])[domain_final],
                np.full(int(total_final.sum()), len(domain_keys), dtype=np.intp),
            ]
        ),
        pd.Index([*domain_keys, TOTAL], dtype=str),
    )
    score = np.concatenate(
        [
            domain_scores["score"].to_numpy(dtype=np.float64)[domain_final],
            total_scores["score"].to_numpy(dtype=np.float64)[total_final],
        ]
    )
    return _summarise_scores(columns, domain, score, groupings)


def informant_gaps(
    principle_scores: pd.DataFrame,
    *,
    by: Sequence[Sequence[str]] = DEFAULT_GAP_BY,
    self_informant: str = "peer_worker",
) -> pd.DataFrame:
    """How much higher one informant rates than all others, per group and principle.

    Parameters
    ----------
    principle_scores
        :attr:`Scores.principle_scores`; only the final rows are used.
    by
        The groupings, each a sequence of columns from :data:`GROUP_COLUMNS`.
    self_informant
        The informant compared with the others, by default the peer worker's self-rating.

    Returns
    -------
    pandas.DataFrame
        ``grouping``, the grouping columns (``service``, ``peer_worker``, ``round``),
        ``principle``, ``n_self``, ``self_mean``, ``n_others``, ``others_mean`` and
        ``gap = self_mean − others_mean`` (missing when either side has no score).
        ``others_mean`` pools the interviews of all other informants.
    """
    final = principle_scores["final"].to_numpy()
    columns = {c: _Keyed.of(principle_scores[c]).take(final) for c in GROUP_COLUMNS}
    principle = _Keyed.of(principle_scores["principle"]).take(final)
    score = principle_scores["score"].to_numpy(dtype=np.float64)[final]
    informants = list(columns["informant"].categories)
    self_code = informants.index(self_informant) if self_informant in informants else -2
    is_self = columns["informant"].codes == self_code
    side = _Keyed(np.where(is_self, 0, 1).astype(np.intp), pd.Index(["self", "others"]))
    parts = []
    for grouping in by:
        keyed = [*(columns[c] for c in grouping), principle]
        stats = _Groups.of([*keyed, side], score)
        # one row per group and principle, with both sides side by side
        group_keys = stats.keys[:-1]
        combined = np.zeros(len(stats.n), dtype=np.int64)
        for key, keyed_column in zip(group_keys, keyed, strict=True):
            combined = combined * max(len(keyed_column.categories), 1) + key
        space = int(np.prod([max(len(k.categories), 1) for k in keyed], dtype=np.int64))
        groups, group = _dense_ids(combined, space)
        m = len(groups)
        first = first_rows(group, m)
        values: dict[str, FloatArray] = {}
        for code, name in ((0, "self"), (1, "others")):
            here = stats.keys[-1] == code
            n = np.zeros(m)
            mean = np.full(m, np.nan)
            n[group[here]] = stats.n[here]
            mean[group[here]] = stats.mean[here]
            values[f"n_{name}"] = n
            values[f"{name}_mean"] = mean
        values["gap"] = values["self_mean"] - values["others_mean"]
        keys = {
            name: key[first] for name, key in zip([*grouping, "principle"], group_keys, strict=True)
        }
        parts.append((_grouping_name(grouping), keys, values))
    categories = {c: columns[c].categories for c in GROUP_COLUMNS}
    categories["principle"] = principle.categories
    return _summary_frame(
        parts,
        categories,
        ["service", "peer_worker", "round", "principle"],
        ["n_self", "self_mean", "n_others", "others_mean", "gap"],
        ("n_self", "n_others"),
    )


def aggregate(scores: Scores, by: Sequence[str]) -> pd.DataFrame:
    """Summarise the final domain and total scores by one grouping.

    Parameters
    ----------
    scores
        The result of :func:`score`.
    by
        Columns from :data:`GROUP_COLUMNS`; empty for all interviews.

    Returns
    -------
    pandas.DataFrame
        Like :attr:`Scores.aggregates`, for this grouping only.

    Raises
    ------
    ValueError
        When ``by`` names a column not in :data:`GROUP_COLUMNS`.
    """
    unknown = [c for c in by if c not in GROUP_COLUMNS]
    if unknown:
        raise ValueError(f"cannot group by {', '.join(unknown)}; use {', '.join(GROUP_COLUMNS)}.")
    keys = [d.key for d in scores.instrument.domains]
    return _aggregates(scores.domain_scores, scores.total_scores, keys, [tuple(by)])


def _notes(
    ratings: RatingsTable,
    n_interviews: int,
    needs_consensus: BoolArray,
    has_agreed: BoolArray,
    consensus_source: npt.NDArray[np.int8],
    domain_scores: pd.DataFrame,
    total_scores: pd.DataFrame,
    self_informant: str,
) -> list[str]:
    notes = [f"{ratings.n_ratings} ratings from {n_interviews} interviews."]
    n_consensus = int(needs_consensus.sum())
    if n_consensus:
        n_mean = int((consensus_source == _MEAN).sum())
        n_one = int((consensus_source == _ONE).sum())
        notes.append(
            f"{n_consensus} interviews have a consensus ({int(has_agreed.sum())} with agreed "
            f"ratings); {n_mean} consensus item ratings are the mean of the raters' ratings "
            f"and {n_one} come from the only rater of that item."
        )
    final_domains = domain_scores[domain_scores["final"].to_numpy()]
    missing = int(final_domains["score"].isna().sum())
    if missing:
        notes.append(f"{missing} domain scores are missing: too few of their items were rated.")
    final_totals = total_scores[total_scores["final"].to_numpy()]
    missing_totals = int(final_totals["score"].isna().sum())
    if missing_totals:
        notes.append(
            f"{missing_totals} total scores are missing: too few domains or items had a score."
        )
    if self_informant not in [i.key for i in ratings.instrument.informants]:
        notes.append(
            f"the instrument has no informant '{self_informant}', so there are no informant gaps."
        )
    for column in ("service", "peer_worker", "round"):
        if column not in ratings.columns:
            notes.append(f"the ratings have no '{column}' column, so nothing is grouped by it.")
    return notes
