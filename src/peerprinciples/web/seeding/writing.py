"""Writing the national seed's rows, and caching the scores of its final interviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import CONSENSUS_RATER
from peerprinciples.web.bulk import BulkWriter
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import InterviewFacts, score_cache_rows
from peerprinciples.web.seeding.design import Design
from peerprinciples.web.seeding.plan import CODES, COPY_CHUNK, SCORE_CHUNK, NationalPlan


@dataclass
class Seed:
    """Everything to write, as numpy arrays indexed like the plan (not yet by database key)."""

    plan: NationalPlan
    instrument: Instrument
    evaluation: Evaluation
    design: Design
    values: np.ndarray  # int16 per sheet and item
    codes: np.ndarray  # index into CODES per sheet and item; -1: not rated (yet)
    agreed: np.ndarray  # int16 per interview and item: the agreed value when double-rated
    lead: int
    service_ids: np.ndarray
    round_ids: np.ndarray
    worker_ids: np.ndarray
    interview_ids: np.ndarray
    sheet_ids: np.ndarray
    sheet_raters: np.ndarray  # account key per sheet
    now: dt.datetime

    @property
    def item_keys(self) -> np.ndarray:
        return np.asarray([item.key for item in self.instrument.items], dtype=object)

    @property
    def informant_keys(self) -> np.ndarray:
        return np.asarray([i.key for i in self.instrument.informants], dtype=object)

    def counts(self) -> dict[str, int]:
        double = int(self.design.double.sum())
        return {
            "services": self.plan.services,
            "peer_workers": self.plan.peer_workers,
            "rounds": self.plan.rounds,
            "interviews": self.plan.interviews,
            "final_interviews": int((~self.design.open_).sum()),
            "double_rated": double,
            "sheets": len(self.sheet_ids),
            "ratings": int((self.codes >= 0).sum()),
            "consensus_ratings": double * len(self.instrument.items),
        }

    def total_rows(self) -> int:
        counts = self.counts()
        return (
            counts["interviews"]
            + counts["sheets"]
            + counts["ratings"]
            + counts["consensus_ratings"]
            + counts["final_interviews"]
        )


def write_ratings(seed: Seed, writer: BulkWriter) -> None:
    """Interviews, rating sheets, ratings and agreed ratings."""
    _write_interviews(seed, writer)
    _write_sheets(seed, writer)
    _write_sheet_ratings(seed, writer)
    _write_agreed(seed, writer)


def _write_interviews(seed: Seed, writer: BulkWriter) -> None:
    design, n = seed.design, seed.plan.interviews
    start = dt.date(2022, 1, 10)
    writer.rows(
        Interview,
        {
            "id": seed.interview_ids,
            "evaluation": np.full(n, seed.evaluation.pk),
            "service": seed.service_ids[design.interview_service],
            "peer_worker": seed.worker_ids[design.interview_worker],
            "round": seed.round_ids[design.interview_round],
            "informant": seed.informant_keys[design.interview_informant],
            "date": [start + dt.timedelta(days=int(d)) for d in design.interview_day],
            "code": [f"N-{k + 1:06d}" for k in range(n)],
            "double_rated": design.double,
            "status": np.where(design.open_, Interview.Status.DRAFT, Interview.Status.FINAL),
            "version": np.ones(n, dtype=np.int64),
            "created_at": [seed.now] * n,
            "created_by": np.full(n, seed.lead),
        },
    )


def _write_sheets(seed: Seed, writer: BulkWriter) -> None:
    final = seed.design.sheet_final
    n_sheets = len(seed.sheet_ids)
    writer.rows(
        RatingSheet,
        {
            "id": seed.sheet_ids,
            "interview": seed.interview_ids[seed.design.sheet_interview],
            "rater": seed.sheet_raters,
            "status": np.where(final, RatingSheet.Status.FINAL, RatingSheet.Status.DRAFT),
            "notes": [""] * n_sheets,
            "version": np.where(final, 2, 1),
            "updated_at": [seed.now] * n_sheets,
            "finalised_at": [seed.now if f else None for f in final],
        },
    )


def _write_sheet_ratings(seed: Seed, writer: BulkWriter) -> None:
    """Every sheet's ratings, some thousands of sheets at a time so memory stays flat."""
    code_text = np.asarray(CODES, dtype=object)
    items = seed.item_keys
    step = max(1, COPY_CHUNK // len(items))
    for begin in range(0, len(seed.sheet_ids), step):
        rows = slice(begin, begin + step)
        given = seed.codes[rows] >= 0
        codes = seed.codes[rows][given]
        values = seed.values[rows][given].astype(object)
        values[codes > 0] = None
        writer.rows(
            Rating,
            {
                "sheet": np.repeat(seed.sheet_ids[rows], given.sum(axis=1)),
                "item": np.broadcast_to(items, given.shape)[given],
                "value": values,
                "code": code_text[codes],
            },
        )


def _write_agreed(seed: Seed, writer: BulkWriter) -> None:
    """The agreed ratings of double-rated interviews."""
    design, items = seed.design, seed.item_keys
    double = np.flatnonzero(design.double)
    codes = seed.codes[np.searchsorted(design.sheet_interview, double)]  # same on both sheets
    values = seed.agreed[double].astype(object)
    values[codes > 0] = None
    size = len(double) * len(items)
    writer.rows(
        ConsensusRating,
        {
            "interview": np.repeat(seed.interview_ids[double], len(items)),
            "item": np.tile(items, len(double)),
            "value": values.ravel(),
            "code": np.asarray(CODES, dtype=object)[codes.ravel()],
            "reason": [""] * size,
            "recorded_by": np.full(size, seed.lead),
            "recorded_at": [seed.now] * size,
        },
    )


def write_scores(seed: Seed, writer: BulkWriter) -> int:
    """Score every final interview with the core, a chunk at a time, and cache the scores.

    The ratings handed to the core are built exactly as
    :func:`~peerprinciples.web.interviews.scores.refresh_scores` reads them from the
    database (raters named ``rater-<account>``, agreed ratings as the consensus rater), and
    the scores are stored by the same function, so the cache equals what the web pages would
    compute.
    """
    design = seed.design
    final = np.flatnonzero(~design.open_)
    for begin in range(0, len(final), SCORE_CHUNK):
        chunk = final[begin : begin + SCORE_CHUNK]
        facts = InterviewFacts(
            interview=seed.interview_ids[chunk].tolist(),
            evaluation=[seed.evaluation.pk] * len(chunk),
            service=seed.service_ids[design.interview_service[chunk]].tolist(),
            round=seed.round_ids[design.interview_round[chunk]].tolist(),
            peer_worker=seed.worker_ids[design.interview_worker[chunk]].tolist(),
            informant=seed.informant_keys[design.interview_informant[chunk]].tolist(),
        )
        rows = score_cache_rows(_score_input(seed, chunk), seed.instrument, facts, seed.now)
        writer.rows(InterviewScore, rows)
    return len(final)


def _score_input(seed: Seed, chunk: np.ndarray) -> pd.DataFrame:
    """The final ratings of the interviews ``chunk`` in the long layout the core scores."""
    design, items = seed.design, seed.item_keys
    rating_text = np.asarray([str(v) for v in range(-1, 100)] + list(CODES[1:]), dtype=object)
    sheets = np.flatnonzero(np.isin(design.sheet_interview, chunk))
    double = chunk[design.double[chunk]]
    first = np.searchsorted(design.sheet_interview, double)
    interview = np.concatenate([design.sheet_interview[sheets], double])
    codes = np.concatenate([seed.codes[sheets], seed.codes[first]])
    values = np.concatenate([seed.values[sheets], seed.agreed[double]])
    raters = np.concatenate(
        [
            np.asarray([f"rater-{r}" for r in seed.sheet_raters[sheets]], dtype=object),
            np.full(len(double), CONSENSUS_RATER, dtype=object),
        ]
    )
    text = rating_text[np.where(codes > 0, 100 + codes, values.astype(np.int64) + 1)]
    keys = seed.interview_ids[interview].astype(str).astype(object)
    return pd.DataFrame(
        {
            "interview": np.repeat(keys, len(items)),
            "informant": np.repeat(
                seed.informant_keys[design.interview_informant[interview]], len(items)
            ),
            "item": np.tile(items, len(interview)),
            "rating": text.ravel(),
            "rater": np.repeat(raters, len(items)),
        }
    )
