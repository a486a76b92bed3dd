"""Scoring a ratings table by its instrument's rules: item, domain, principle and total scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import CONSENSUS_RATER, RatingsTable, asked_matrix, first_rows
from peerprinciples.core.scoring.combining import (
    ConsensusItems,
    combine_sources,
    consensus_items,
    notes_on,
    principle_scores,
)
from peerprinciples.core.scoring.groups import aggregate_all, informant_gaps
from peerprinciples.core.scoring.scores import (
    CONSENSUS_SOURCES,
    DEFAULT_AGGREGATE_BY,
    DEFAULT_GAP_BY,
    EPSILON,
    GIVEN,
    GROUP_COLUMNS,
    ITEM_SET_COLUMNS,
    MEAN,
    ONE,
    Bands,
    BoolArray,
    FloatArray,
    IntArray,
    Scores,
    SetColumns,
    bincount,
    categorical,
    codes_of,
    dense_ids,
    divide,
    new_frame,
)

_T = TypeVar("_T", bound=np.generic)


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
    _check_groupings((*aggregate_by, *gap_by))
    instrument = ratings.instrument
    rules = _Rules.of(instrument)
    codes = _RatingCodes.of(ratings.data)
    sets = _rating_sets(rules, codes)
    items = _score_items(rules, codes, sets)
    domains = _score_domains(instrument, rules, sets, items)
    totals = _score_totals(instrument, domains)

    set_columns = _set_columns(ratings.data, codes, sets)
    item_scores = _item_table(ratings.data, rules, codes, sets, items)
    domain_scores = _domain_table(instrument, rules, sets, domains, set_columns)
    total_scores = _total_table(instrument, sets, totals, set_columns)
    principle_table = principle_scores(
        instrument, domains.score, domains.n_asked, set_columns, sets.is_consensus, domains.source
    )
    aggregates = aggregate_all(domain_scores, total_scores, rules.domain_keys, aggregate_by)
    gaps = informant_gaps(principle_table, by=gap_by, self_informant=self_informant)
    notes = notes_on(
        ratings,
        codes.n_interviews,
        sets.needs_consensus,
        sets.has_agreed,
        sets.consensus.source,
        domain_scores,
        total_scores,
        self_informant,
    )
    return Scores(
        instrument,
        item_scores,
        domain_scores,
        total_scores,
        principle_table,
        aggregates,
        gaps,
        tuple(notes),
    )


def _check_groupings(groupings: Sequence[Sequence[str]]) -> None:
    """Refuse a grouping by a column that scores are not grouped by."""
    for by in groupings:
        unknown = [c for c in by if c not in GROUP_COLUMNS]
        if unknown:
            raise ValueError(
                f"cannot group by {', '.join(unknown)}; use columns from "
                f"{', '.join(GROUP_COLUMNS)}."
            )


@dataclass(frozen=True)
class _RatingCodes:
    """The ratings table as integer codes, one entry per rating, and what follows from them."""

    interview: IntArray
    item: IntArray
    rater: IntArray
    code: IntArray
    rating: FloatArray
    raters: pd.Index  # the rater names, with the consensus marker added if absent
    consensus_code: int
    n_interviews: int
    n_raters: int
    is_consensus: BoolArray
    own: IntArray | None  # the raters' own rows, or None when every row is
    raw_codes: dict[str, npt.NDArray[np.integer]]  # per column of ITEM_SET_COLUMNS
    attributes: dict[str, IntArray]  # per interview, from its first row

    @classmethod
    def of(cls, data: pd.DataFrame) -> _RatingCodes:
        interview = codes_of(data["interview"])
        rater = codes_of(data["rater"])
        raters = data["rater"].cat.categories
        if CONSENSUS_RATER not in raters:
            raters = raters.append(pd.Index([CONSENSUS_RATER], dtype=raters.dtype))
        consensus_code = list(raters).index(CONSENSUS_RATER)
        n_interviews = len(data["interview"].cat.categories)
        is_consensus = rater == consensus_code
        # Interview attributes, from each interview's first row (the table checked they agree).
        first_of = first_rows(interview, n_interviews)
        raw_codes = {c: data[c].cat.codes.to_numpy() for c in ITEM_SET_COLUMNS}
        return cls(
            interview=interview,
            item=codes_of(data["item"]),
            rater=rater,
            code=codes_of(data["code"]),
            rating=data["rating"].to_numpy(dtype=np.float64),
            raters=raters,
            consensus_code=consensus_code,
            n_interviews=n_interviews,
            n_raters=len(raters),
            is_consensus=is_consensus,
            # Each rater's own set: one per interview and rater (agreed ratings are not a
            # rater's).
            own=np.flatnonzero(~is_consensus) if bool(is_consensus.any()) else None,
            raw_codes=raw_codes,
            attributes={c: raw_codes[c][first_of].astype(np.intp) for c in GROUP_COLUMNS},
        )

    def own_part(self, values: npt.NDArray[_T]) -> npt.NDArray[_T]:
        """The entries of ``values`` on the raters' own rows (not the agreed ratings)."""
        return values if self.own is None else values[self.own]


@dataclass(frozen=True)
class _RatingSets:
    """The sets of ratings scored: each rater's own per interview, then each consensus set."""

    own_interview_rows: IntArray  # the interview of each of the raters' own rows
    own_set: IntArray  # the set of each of the raters' own rows
    own_interview: IntArray  # the interview of each own set
    pairs: npt.NDArray[np.int64]  # interview × rater of each own set
    has_agreed: BoolArray  # per interview
    needs_consensus: BoolArray  # per interview
    consensus_set_of: IntArray  # per interview: its consensus set, or −1
    consensus: ConsensusItems
    interview: IntArray  # per set
    rater: IntArray  # per set
    final: BoolArray  # per set
    informant: IntArray  # per set
    is_consensus: BoolArray  # per set

    @property
    def n_sets(self) -> int:
        """How many sets there are: the raters' own, then the consensus sets."""
        return len(self.interview)


def _rating_sets(rules: _Rules, codes: _RatingCodes) -> _RatingSets:
    """Number the sets: each rater's own per interview, and a consensus where one is needed."""
    n_interviews, n_raters = codes.n_interviews, codes.n_raters
    own_interview_rows = codes.own_part(codes.interview)
    pairs, own_set = dense_ids(
        own_interview_rows.astype(np.int64) * n_raters + codes.own_part(codes.rater),
        n_interviews * n_raters,
    )
    n_own = len(pairs)
    own_interview = (pairs // n_raters).astype(np.intp)
    raters_per_interview = np.bincount(own_interview, minlength=n_interviews)
    has_agreed = np.zeros(n_interviews, dtype=bool)
    has_agreed[codes.interview[codes.is_consensus]] = True
    needs_consensus = (raters_per_interview >= 2) | has_agreed

    # The consensus set of each interview that needs one.
    consensus_interviews = np.flatnonzero(needs_consensus)
    n_consensus = len(consensus_interviews)
    consensus_set_of = np.full(n_interviews, -1, dtype=np.intp)
    consensus_set_of[consensus_interviews] = n_own + np.arange(n_consensus)
    consensus = consensus_items(
        len(rules.item_keys),
        codes.interview,
        codes.item,
        codes.rating,
        codes.code,
        codes.is_consensus,
        needs_consensus,
    )

    set_interview = np.concatenate([own_interview, consensus_interviews])
    set_rater = np.concatenate(
        [pairs % n_raters, np.full(n_consensus, codes.consensus_code, dtype=np.int64)]
    ).astype(np.intp)
    return _RatingSets(
        own_interview_rows=own_interview_rows,
        own_set=own_set,
        own_interview=own_interview,
        pairs=pairs,
        has_agreed=has_agreed,
        needs_consensus=needs_consensus,
        consensus_set_of=consensus_set_of,
        consensus=consensus,
        interview=set_interview,
        rater=set_rater,
        final=np.concatenate([~needs_consensus[own_interview], np.ones(n_consensus, bool)]),
        informant=codes.attributes["informant"][set_interview],
        is_consensus=set_rater == codes.consensus_code,
    )


@dataclass(frozen=True)
class _ItemScores:
    """Item scores of every set: each rater's rows, then the consensus rows."""

    set: IntArray
    item: IntArray
    rating: FloatArray
    code: IntArray
    score: FloatArray
    scored: BoolArray
    answered_code: BoolArray  # a code with missing: false is answered without a score
    answered: BoolArray


def _score_items(rules: _Rules, codes: _RatingCodes, sets: _RatingSets) -> _ItemScores:
    """Each rating as an item score (reverse keying applied), and whether it was answered."""
    consensus = sets.consensus
    item = np.concatenate([codes.own_part(codes.item), consensus.item])
    rating = np.concatenate([codes.own_part(codes.rating), consensus.rating])
    code = np.concatenate([codes.own_part(codes.code), consensus.code])
    item_score = rules.item_score(item, rating)
    scored = ~np.isnan(item_score)
    answered_code = ~scored & rules.code_answered[code]
    return _ItemScores(
        set=np.concatenate([sets.own_set, sets.consensus_set_of[consensus.interview]]),
        item=item,
        rating=rating,
        code=code,
        score=item_score,
        scored=scored,
        answered_code=answered_code,
        answered=scored | answered_code,
    )


@dataclass(frozen=True)
class _DomainScores:
    """Per set × domain: sums, counts, the share rated, the score and its consensus source."""

    item_domain: IntArray  # the domain of each item score
    total_of_scores: FloatArray
    n_scored: FloatArray
    n_answered: FloatArray
    n_expected: FloatArray
    n_asked: IntArray
    share: FloatArray
    score: FloatArray
    source: IntArray
    source_counts: list[FloatArray]  # per consensus source: items from it
    n_rows: FloatArray  # consensus items


def _score_domains(
    instrument: Instrument, rules: _Rules, sets: _RatingSets, items: _ItemScores
) -> _DomainScores:
    """Domain sums and counts per set, by bincount over set × domain."""
    n_domains = len(rules.domain_keys)
    size = sets.n_sets * n_domains
    shape = (sets.n_sets, n_domains)
    item_domain = rules.item_domain[items.item]
    key = items.set * n_domains + item_domain
    total_of_scores = bincount(key, size, np.where(items.scored, items.score, 0.0)).reshape(shape)
    n_scored = bincount(key, size, items.scored).reshape(shape)
    n_answered = n_scored + bincount(key[items.answered_code], size).reshape(shape)
    optional_answered = np.flatnonzero(items.answered & ~rules.required[items.item])
    n_optional = bincount(key[optional_answered], size).reshape(shape)
    n_expected = rules.required_in_domain[sets.informant] + n_optional
    share = divide(n_answered, n_expected)
    domain_min = instrument.scoring.domain.min_rated
    enough = (n_expected > 0) & (share >= domain_min - EPSILON) & (n_scored > 0)
    consensus = sets.consensus
    consensus_key = key[len(key) - len(consensus.item) :]
    source_counts = [
        bincount(consensus_key[consensus.source == s], size).reshape(shape)
        for s in (GIVEN, MEAN, ONE)
    ]
    n_rows = bincount(consensus_key, size).reshape(shape)
    return _DomainScores(
        item_domain=item_domain,
        total_of_scores=total_of_scores,
        n_scored=n_scored,
        n_answered=n_answered,
        n_expected=n_expected,
        n_asked=rules.asked_in_domain[sets.informant],
        share=share,
        score=np.where(enough, divide(total_of_scores, n_scored), np.nan),
        source=combine_sources(source_counts, n_rows),
        source_counts=source_counts,
        n_rows=n_rows,
    )


@dataclass(frozen=True)
class _TotalScores:
    """Per set: the total score, how much of it was rated, and its consensus source."""

    expected: FloatArray
    rated: FloatArray
    share: FloatArray
    score: FloatArray
    source: IntArray


def _score_totals(instrument: Instrument, domains: _DomainScores) -> _TotalScores:
    """The total of each set, by the instrument's rule: mean of domains or of items."""
    total_rule = instrument.scoring.total
    domain_score = domains.score
    if total_rule.method == "mean_of_domains":
        expected = (domains.n_expected > 0).sum(axis=1).astype(np.float64)
        rated = (~np.isnan(domain_score)).sum(axis=1).astype(np.float64)
        mean = divide(np.where(np.isnan(domain_score), 0.0, domain_score).sum(axis=1), rated)
    else:
        expected = domains.n_expected.sum(axis=1).astype(np.float64)
        rated = domains.n_answered.sum(axis=1)
        mean = divide(domains.total_of_scores.sum(axis=1), domains.n_scored.sum(axis=1))
    share = divide(rated, expected)
    return _TotalScores(
        expected=expected,
        rated=rated,
        share=share,
        score=np.where(share >= total_rule.min_rated - EPSILON, mean, np.nan),
        source=combine_sources(
            [c.sum(axis=1) for c in domains.source_counts], domains.n_rows.sum(axis=1)
        ),
    )


def _set_columns(data: pd.DataFrame, codes: _RatingCodes, sets: _RatingSets) -> SetColumns:
    """The columns that name a set (interview, rater, final, groups), for rows of sets."""
    categories: dict[str, pd.Index] = {c: data[c].cat.categories for c in GROUP_COLUMNS}
    interview_categories = data["interview"].cat.categories
    source_categories = pd.Index(CONSENSUS_SOURCES, dtype=str)

    def set_columns(rows: IntArray, source: IntArray) -> dict[str, object]:
        interviews = sets.interview[rows]
        columns: dict[str, object] = {
            "interview": categorical(interviews, interview_categories),
            "rater": categorical(sets.rater[rows], codes.raters),
            "final": sets.final[rows],
            "consensus_source": categorical(source, source_categories),
        }
        for name in GROUP_COLUMNS:
            columns[name] = categorical(codes.attributes[name][interviews], categories[name])
        return columns

    return set_columns


def _item_table(
    data: pd.DataFrame, rules: _Rules, codes: _RatingCodes, sets: _RatingSets, items: _ItemScores
) -> pd.DataFrame:
    """The item scores; the raters' own rows reuse the codes of the ratings."""
    categories: dict[str, pd.Index] = {c: data[c].cat.categories for c in ITEM_SET_COLUMNS}
    categories["rater"] = codes.raters
    consensus = sets.consensus
    item_columns: dict[str, object] = {}
    for name in ("interview", "rater", "final", "consensus_source", *GROUP_COLUMNS):
        if name == "final":
            item_columns[name] = np.concatenate(
                [~sets.needs_consensus[sets.own_interview_rows], np.ones(len(consensus.item), bool)]
            )
            continue
        if name == "consensus_source":
            joined = np.concatenate([np.full(len(sets.own_set), -1, np.int8), consensus.source])
            item_columns[name] = categorical(joined, pd.Index(CONSENSUS_SOURCES, dtype=str))
            continue
        own_codes = codes.own_part(codes.raw_codes[name])
        if name == "interview":
            extra = consensus.interview
        elif name == "rater":
            extra = np.full(len(consensus.item), codes.consensus_code)
        else:
            extra = codes.attributes[name][consensus.interview]
        joined = np.concatenate([own_codes, extra.astype(own_codes.dtype)])
        item_columns[name] = categorical(joined, categories[name])
    return new_frame(
        {
            **item_columns,
            "item": categorical(items.item, data["item"].cat.categories),
            "domain": categorical(
                rules.item_domain[items.item], pd.Index(rules.domain_keys, dtype=str)
            ),
            "rating": items.rating,
            "code": categorical(items.code, data["code"].cat.categories),
            "score": items.score,
            "answered": items.answered,
        }
    )


def _domain_table(
    instrument: Instrument,
    rules: _Rules,
    sets: _RatingSets,
    domains: _DomainScores,
    set_columns: SetColumns,
) -> pd.DataFrame:
    """The domain scores: one row per set and domain with items asked of its informant."""
    n_domains = len(rules.domain_keys)
    cell = np.flatnonzero((domains.n_asked > 0).ravel())
    cell_set, cell_domain = cell // n_domains, cell % n_domains
    principle_text = [";".join(d.principles) for d in instrument.domains]
    flat_domain_score = domains.score.ravel()[cell]
    return new_frame(
        {
            **set_columns(
                cell_set,
                np.where(sets.is_consensus[cell_set], domains.source.ravel()[cell], -1),
            ),
            "domain": categorical(cell_domain, pd.Index(rules.domain_keys, dtype=str)),
            "principles": np.asarray(principle_text, dtype=object)[cell_domain],
            "n_asked": domains.n_asked.ravel()[cell].astype(np.int64),
            "n_expected": domains.n_expected.ravel()[cell].astype(np.int64),
            "n_rated": domains.n_answered.ravel()[cell].astype(np.int64),
            "share_rated": domains.share.ravel()[cell],
            "score": flat_domain_score,
            "band": Bands(instrument).of(flat_domain_score),
        }
    )


def _total_table(
    instrument: Instrument, sets: _RatingSets, totals: _TotalScores, set_columns: SetColumns
) -> pd.DataFrame:
    """The total scores: one row per set."""
    all_sets = np.arange(sets.n_sets, dtype=np.intp)
    return new_frame(
        {
            **set_columns(all_sets, np.where(sets.is_consensus, totals.source, -1)),
            "method": instrument.scoring.total.method,
            "n_expected": totals.expected.astype(np.int64),
            "n_rated": totals.rated.astype(np.int64),
            "share_rated": totals.share,
            "score": totals.score,
            "band": Bands(instrument).of(totals.score),
        }
    )
