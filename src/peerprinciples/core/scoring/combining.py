"""How scores combine: the ratings a consensus stands on, the source of a combined score,
principle scores from the domains that reach each principle, and the notes on a run.

These are the steps of :func:`peerprinciples.core.scoring.rules.score` that work on plain
arrays, apart from the instrument's rules themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import RatingsTable
from peerprinciples.core.scoring.scores import (
    GIVEN,
    MEAN,
    MIXED,
    ONE,
    BoolArray,
    FloatArray,
    IntArray,
    SetColumns,
    bincount,
    categorical,
    dense_ids,
    divide,
    new_frame,
)


@dataclass(frozen=True)
class ConsensusItems:
    interview: IntArray
    item: IntArray
    rating: FloatArray
    code: IntArray
    source: npt.NDArray[np.int8]


def consensus_items(
    n_items: int,
    interview: IntArray,
    item: IntArray,
    rating: FloatArray,
    code: IntArray,
    is_consensus: BoolArray,
    needs_consensus: BoolArray,
) -> ConsensusItems:
    """Per interview needing a consensus and item: the agreed rating, else the raters' mean."""
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
    return ConsensusItems(
        interview=(all_keys // n_items).astype(np.intp)[order],
        item=(all_keys % n_items).astype(np.intp)[order],
        rating=np.concatenate([rating[given], mean_rating])[order],
        code=np.concatenate([code[given], mean_code]).astype(np.intp)[order],
        source=np.concatenate([np.full(len(given), GIVEN, np.int8), source])[order],
    )


def combine_sources(counts: list[FloatArray], n_rows: FloatArray) -> IntArray:
    """One source when all items of a score share it, ``mixed`` otherwise (−1 when none)."""
    given, mean, one = counts
    result = np.full(np.shape(n_rows), -1, dtype=np.intp)
    any_source = (given + mean + one) > 0
    result[any_source] = MIXED
    for source, count in ((GIVEN, given), (MEAN, mean), (ONE, one)):
        result[(count == n_rows) & any_source] = source
    return result


def principle_scores(
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


def notes_on(
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
