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
    MIXED,
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

    interview = codes_of(data["interview"])
    item = codes_of(data["item"])
    rater = codes_of(data["rater"])
    code = codes_of(data["code"])
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
    raw_codes = {c: data[c].cat.codes.to_numpy() for c in ITEM_SET_COLUMNS}
    attributes = {c: raw_codes[c][first_of].astype(np.intp) for c in GROUP_COLUMNS}

    # Each rater's own set: one per interview and rater (agreed ratings are not a rater's).
    own = np.flatnonzero(~is_consensus) if any_consensus_rows else None

    def own_part(values: npt.NDArray[_T]) -> npt.NDArray[_T]:
        return values if own is None else values[own]

    own_interview_rows = own_part(interview)
    pairs, own_set = dense_ids(
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
    total_of_scores = bincount(key, size, np.where(scored, items_score, 0.0)).reshape(shape)
    n_scored = bincount(key, size, scored).reshape(shape)
    n_answered = n_scored + bincount(key[answered_code], size).reshape(shape)
    optional_answered = np.flatnonzero(items_answered & ~rules.required[items_item])
    n_optional = bincount(key[optional_answered], size).reshape(shape)
    n_expected = rules.required_in_domain[set_informant] + n_optional
    n_asked = rules.asked_in_domain[set_informant]
    share = divide(n_answered, n_expected)
    domain_min = instrument.scoring.domain.min_rated
    enough = (n_expected > 0) & (share >= domain_min - EPSILON) & (n_scored > 0)
    domain_score = np.where(enough, divide(total_of_scores, n_scored), np.nan)
    consensus_key = key[len(key) - len(consensus.item) :]
    source_counts = [
        bincount(consensus_key[consensus.source == s], size).reshape(shape)
        for s in (GIVEN, MEAN, ONE)
    ]
    n_rows = bincount(consensus_key, size).reshape(shape)
    domain_source = _combine_sources(source_counts, n_rows)

    # Totals.
    total_rule = instrument.scoring.total
    if total_rule.method == "mean_of_domains":
        total_expected = (n_expected > 0).sum(axis=1).astype(np.float64)
        total_rated = (~np.isnan(domain_score)).sum(axis=1).astype(np.float64)
        total_mean = divide(
            np.where(np.isnan(domain_score), 0.0, domain_score).sum(axis=1), total_rated
        )
    else:
        total_expected = n_expected.sum(axis=1).astype(np.float64)
        total_rated = n_answered.sum(axis=1)
        total_mean = divide(total_of_scores.sum(axis=1), n_scored.sum(axis=1))
    total_share = divide(total_rated, total_expected)
    total_score = np.where(total_share >= total_rule.min_rated - EPSILON, total_mean, np.nan)
    total_source = _combine_sources([c.sum(axis=1) for c in source_counts], n_rows.sum(axis=1))

    # --- tables ---------------------------------------------------------------------------
    categories: dict[str, pd.Index] = {c: data[c].cat.categories for c in ITEM_SET_COLUMNS}
    categories["rater"] = raters
    domain_categories = pd.Index(rules.domain_keys, dtype=str)
    source_categories = pd.Index(CONSENSUS_SOURCES, dtype=str)

    def set_columns(sets: IntArray, source: IntArray) -> dict[str, object]:
        interviews = set_interview[sets]
        columns: dict[str, object] = {
            "interview": categorical(interviews, categories["interview"]),
            "rater": categorical(set_rater[sets], raters),
            "final": set_final[sets],
            "consensus_source": categorical(source, source_categories),
        }
        for name in GROUP_COLUMNS:
            columns[name] = categorical(attributes[name][interviews], categories[name])
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
            item_columns[name] = categorical(joined, source_categories)
            continue
        own_codes = own_part(raw_codes[name])
        if name == "interview":
            extra = consensus_rows_interview
        elif name == "rater":
            extra = np.full(len(consensus.item), consensus_code)
        else:
            extra = attributes[name][consensus_rows_interview]
        joined = np.concatenate([own_codes, extra.astype(own_codes.dtype)])
        item_columns[name] = categorical(joined, categories[name])
    item_scores = new_frame(
        {
            **item_columns,
            "item": categorical(items_item, data["item"].cat.categories),
            "domain": categorical(items_domain, domain_categories),
            "rating": items_rating,
            "code": categorical(items_code, data["code"].cat.categories),
            "score": items_score,
            "answered": items_answered,
        }
    )

    cell = np.flatnonzero((n_asked > 0).ravel())
    cell_set, cell_domain = cell // n_domains, cell % n_domains
    principle_text = [";".join(d.principles) for d in instrument.domains]
    bands = Bands(instrument)
    flat_domain_score = domain_score.ravel()[cell]
    domain_scores = new_frame(
        {
            **set_columns(
                cell_set,
                np.where(set_is_consensus[cell_set], domain_source.ravel()[cell], -1),
            ),
            "domain": categorical(cell_domain, domain_categories),
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
    total_scores = new_frame(
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

    aggregates = aggregate_all(domain_scores, total_scores, rules.domain_keys, aggregate_by)
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
    keys, group = dense_ids(other_key, len(needs_consensus) * n_items)
    m = len(keys)
    numeric = ~np.isnan(rating[others])
    n_numeric = bincount(group, m, numeric)
    mean_rating = divide(bincount(group, m, np.where(numeric, rating[others], 0.0)), n_numeric)
    n_rows = bincount(group, m)
    # where no rater gave a number, keep the code if all raters gave the same one
    lowest = np.full(m, np.iinfo(np.intp).max, dtype=np.intp)
    highest = np.full(m, -1, dtype=np.intp)
    np.minimum.at(lowest, group, code[others])
    np.maximum.at(highest, group, code[others])
    mean_code = np.where((n_numeric == 0) & (lowest == highest), highest, -1)
    source = np.where(n_rows >= 2, MEAN, ONE).astype(np.int8)

    all_keys = np.concatenate([given_key, keys])
    order = np.argsort(all_keys, kind="stable")
    return _ConsensusItems(
        interview=(all_keys // n_items).astype(np.intp)[order],
        item=(all_keys % n_items).astype(np.intp)[order],
        rating=np.concatenate([rating[given], mean_rating])[order],
        code=np.concatenate([code[given], mean_code]).astype(np.intp)[order],
        source=np.concatenate([np.full(len(given), GIVEN, np.int8), source])[order],
    )


def _combine_sources(counts: list[FloatArray], n_rows: FloatArray) -> IntArray:
    """One source when all items of a score share it, ``mixed`` otherwise (−1 when none)."""
    given, mean, one = counts
    result = np.full(np.shape(n_rows), -1, dtype=np.intp)
    any_source = (given + mean + one) > 0
    result[any_source] = MIXED
    for source, count in ((GIVEN, given), (MEAN, mean), (ONE, one)):
        result[(count == n_rows) & any_source] = source
    return result


def _principle_scores(
    instrument: Instrument,
    domain_score: FloatArray,
    n_asked: IntArray,
    set_columns: SetColumns,
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
    return new_frame(
        {
            **set_columns(cell_set, source),
            "principle": categorical(cell_principle, principles),
            "n_domains": n_domains.ravel()[cell].astype(np.int64),
            "score": divide(total, n_domains).ravel()[cell],
        }
    )


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
        n_mean = int((consensus_source == MEAN).sum())
        n_one = int((consensus_source == ONE).sum())
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
