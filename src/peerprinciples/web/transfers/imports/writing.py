"""Writing a checked import in one go, and caching the scores of its final interviews.

:func:`write_import` writes the interviews, rating sheets, ratings and agreed ratings with
the bulk writer (``COPY`` on PostgreSQL; the ratings as text built by pandas, so a million
go in seconds), with foreign keys checked once per table where the database allows it, and
caches the scores of the final interviews computed by the core exactly as
:func:`~peerprinciples.web.interviews.scores.refresh_scores` would. It must run inside the
caller's transaction, so that a failure anywhere leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.utils import timezone

from peerprinciples.core.ratings import CONSENSUS_RATER
from peerprinciples.web.bulk import BulkWriter, allocate_keys
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import InterviewFacts, score_cache_rows
from peerprinciples.web.transfers.imports.columns import IntArray
from peerprinciples.web.transfers.imports.plan import ImportPlan

SCORE_CHUNK = 4_000
"""Interviews scored at a time (some 160,000 ratings of a 40-item index)."""
WRITE_CHUNK = 100_000
"""Ratings written at a time."""


def write_import(
    plan: ImportPlan, evaluation: Evaluation, user: Any, *, progress: bool = False
) -> dict[str, int]:
    """Write everything the plan holds; call inside a transaction (see the module's text).

    Returns the counts of rows written: interviews, sheets, ratings, agreed ratings, scores.
    """
    data = plan.table.data
    n_interviews = len(plan.interview_codes)
    sheet_sets = np.flatnonzero(plan.set_user >= 0)  # the others are agreed ratings
    now = timezone.now()
    interview_ids = allocate_keys(Interview, n_interviews)
    sheet_ids = allocate_keys(RatingSheet, len(sheet_sets))
    sheet_of_set = np.full(len(plan.set_user), -1, dtype=np.int64)
    sheet_of_set[sheet_sets] = sheet_ids
    final = np.asarray([s == Interview.Status.FINAL for s in plan.interview_status], dtype=bool)
    total = n_interviews + len(sheet_sets) + len(data) + int(final.sum())
    with BulkWriter(progress=progress, total=total) as writer:
        writer.defer_key_checks()
        _write_interviews(writer, plan, evaluation, user, interview_ids, now)
        _write_sheets(writer, plan, interview_ids, sheet_sets, sheet_ids, now)
        own = _write_ratings(writer, plan, data, interview_ids, sheet_of_set, user, now)
        writer.check_keys()
        scored = _write_scores(writer, plan, evaluation, interview_ids, final, now)
        if len(data) >= WRITE_CHUNK:
            writer.analyse()
    return {
        "interviews": n_interviews,
        "sheets": len(sheet_sets),
        "ratings": own,
        "agreed_ratings": len(data) - own,
        "scores": scored,
    }


def _write_interviews(
    writer: BulkWriter,
    plan: ImportPlan,
    evaluation: Evaluation,
    user: Any,
    interview_ids: IntArray,
    now: dt.datetime,
) -> None:
    n = len(interview_ids)
    writer.rows(
        Interview,
        {
            "id": interview_ids,
            "evaluation": np.full(n, evaluation.pk),
            "service": plan.interview_service,
            "peer_worker": _worker_keys(plan.interview_worker),
            "round": plan.interview_round,
            "informant": plan.interview_informant,
            "date": plan.interview_date,
            "code": plan.interview_codes,
            "double_rated": plan.interview_double,
            "status": plan.interview_status,
            "version": np.ones(n, dtype=np.int64),
            "created_at": [now] * n,
            "created_by": np.full(n, user.pk),
        },
    )


def _write_sheets(
    writer: BulkWriter,
    plan: ImportPlan,
    interview_ids: IntArray,
    sheet_sets: IntArray,
    sheet_ids: IntArray,
    now: dt.datetime,
) -> None:
    """One final rating sheet for each rater's own set of ratings."""
    n = len(sheet_sets)
    writer.rows(
        RatingSheet,
        {
            "id": sheet_ids,
            "interview": interview_ids[plan.set_interview[sheet_sets]],
            "rater": plan.set_user[sheet_sets],
            "status": [RatingSheet.Status.FINAL.value] * n,
            "notes": [""] * n,
            "version": np.full(n, 2, dtype=np.int64),
            "updated_at": [now] * n,
            "finalised_at": [now] * n,
        },
    )


def _worker_keys(workers: IntArray) -> list[int | None]:
    """Peer worker keys, ``None`` where an interview names no peer worker (0)."""
    return [int(w) if w else None for w in workers.tolist()]


def _write_ratings(
    writer: BulkWriter,
    plan: ImportPlan,
    data: pd.DataFrame,
    interview_ids: IntArray,
    sheet_of_set: IntArray,
    user: Any,
    now: dt.datetime,
) -> int:
    """The raters' ratings and the agreed ratings, a chunk of rows at a time."""
    agreed_set = plan.set_user < 0
    item_codes = data["item"].cat.codes.to_numpy()
    code_codes = data["code"].cat.codes.to_numpy()
    # Every rating has a code column: an empty text where it has a value instead.
    code_texts = ["", *(str(c) for c in data["code"].cat.categories)]
    points = data["rating"].to_numpy()
    own_total = 0
    for begin in range(0, len(data), WRITE_CHUNK):
        part = slice(begin, begin + WRITE_CHUNK)
        sets = plan.row_set[part]
        agreed = agreed_set[sets]
        value = pd.array(points[part], dtype="Int64")  # NaN (a code) becomes missing
        item = pd.Categorical.from_codes(item_codes[part], dtype=data["item"].dtype)
        code = pd.Categorical.from_codes(code_codes[part] + 1, categories=code_texts)
        own = ~agreed
        if own.any():
            own_total += int(own.sum())
            writer.frame(
                Rating,
                pd.DataFrame(
                    {
                        "sheet": sheet_of_set[sets[own]],
                        "item": item[own],
                        "value": value[own],
                        "code": code[own],
                    }
                ),
            )
        if agreed.any():
            k = int(agreed.sum())
            writer.frame(
                ConsensusRating,
                pd.DataFrame(
                    {
                        "interview": interview_ids[plan.row_interview[part][agreed]],
                        "item": item[agreed],
                        "value": value[agreed],
                        "code": code[agreed],
                        "reason": pd.Categorical.from_codes(np.zeros(k, dtype=np.int8), [""]),
                        "recorded_by": np.full(k, user.pk),
                        "recorded_at": pd.Categorical.from_codes(
                            np.zeros(k, dtype=np.int8), [now.isoformat()]
                        ),
                    }
                ),
            )
    return own_total


def _write_scores(
    writer: BulkWriter,
    plan: ImportPlan,
    evaluation: Evaluation,
    interview_ids: IntArray,
    final: npt.NDArray[np.bool_],
    now: dt.datetime,
) -> int:
    """Score the final interviews with the core, a chunk at a time, and cache the scores.

    The ratings are handed to the core exactly as
    :func:`~peerprinciples.web.interviews.scores.refresh_scores` reads them back from the
    database (interviews by key, raters as ``rater-<account>``, agreed ratings as the
    consensus rater), so the cache equals what the rating pages would store.
    """
    scored = np.flatnonzero(final)
    ratings = _ScoreInput(plan)
    for begin in range(0, len(scored), SCORE_CHUNK):
        chunk = scored[begin : begin + SCORE_CHUNK]
        facts = InterviewFacts(
            interview=interview_ids[chunk].tolist(),
            evaluation=[evaluation.pk] * len(chunk),
            service=plan.interview_service[chunk].tolist(),
            round=plan.interview_round[chunk].tolist(),
            peer_worker=_worker_keys(plan.interview_worker[chunk]),
            informant=[plan.interview_informant[i] for i in chunk.tolist()],
        )
        frame = ratings.of(chunk, interview_ids)
        writer.rows(
            InterviewScore, score_cache_rows(frame, plan.table.instrument, facts, computed_at=now)
        )
    return len(scored)


class _ScoreInput:
    """The file's ratings in the long layout the core scores, an interview chunk at a time."""

    def __init__(self, plan: ImportPlan) -> None:
        data = plan.table.data
        self.data = data
        self.interview_of_row = plan.row_interview
        self.ratings = _rating_texts(data)
        self.informants = [str(c) for c in data["informant"].cat.categories]
        self.informant_codes = data["informant"].cat.codes.to_numpy()
        rater_keys, rater_codes = np.unique(plan.set_user[plan.row_set], return_inverse=True)
        self.rater_codes = rater_codes.ravel()
        self.rater_names = [CONSENSUS_RATER if k < 0 else f"rater-{k}" for k in rater_keys.tolist()]

    def of(self, chunk: IntArray, interview_ids: IntArray) -> pd.DataFrame:
        """The ratings of the interviews ``chunk`` (positions in the plan), keyed as stored."""
        rows = np.flatnonzero(np.isin(self.interview_of_row, chunk))
        keys = interview_ids[chunk].astype(str).tolist()
        position = np.full(len(interview_ids), -1, dtype=np.int64)
        position[chunk] = np.arange(len(chunk))
        return pd.DataFrame(
            {
                "interview": pd.Categorical.from_codes(
                    position[self.interview_of_row[rows]], categories=keys
                ),
                "informant": pd.Categorical.from_codes(
                    self.informant_codes[rows], categories=self.informants
                ),
                "item": self.data["item"].iloc[rows].to_numpy(),
                "rating": self.ratings.iloc[rows].to_numpy(),
                "rater": pd.Categorical.from_codes(
                    self.rater_codes[rows], categories=self.rater_names
                ),
            }
        )


def _rating_texts(data: pd.DataFrame) -> pd.Series:
    """Each rating as the rating pages store it: the point as text, or the special code."""
    codes = np.asarray(data["code"].cat.codes.to_numpy(), dtype=np.int64)
    points = np.nan_to_num(data["rating"].to_numpy(), nan=0).astype(np.int64)
    key = np.where(codes >= 0, -1 - codes, points)
    distinct, index = np.unique(key, return_inverse=True)
    names = [str(c) for c in data["code"].cat.categories]
    texts = [names[-1 - k] if k < 0 else str(k) for k in distinct.tolist()]
    return pd.Series(pd.Categorical.from_codes(index.ravel(), categories=texts))
