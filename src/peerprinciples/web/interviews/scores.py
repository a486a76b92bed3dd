"""Scores of final interviews, computed by the core and cached for dashboards and reports.

The web layer never scores anything itself: it hands the final ratings to
:func:`peerprinciples.core.scoring.score` and stores what comes back, one row per interview,
so results pages read plain indexed rows. Storing scores marks the evaluation's results as
changed (:meth:`~peerprinciples.web.evaluations.models.Evaluation.results_changed`), so no
page shows results cached before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from peerprinciples.core.ratings import CONSENSUS_RATER, read_ratings
from peerprinciples.core.scoring import score
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)

IDS_PER_QUERY = 10_000
"""Interview keys sent in one query. A statement may carry at most 65,535 parameters on
PostgreSQL with prepared statements, and 32,766 on SQLite, and a national evaluation can
have more final interviews than that."""


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + IDS_PER_QUERY] for start in range(0, len(ids), IDS_PER_QUERY)]


def final_ratings(interviews: list[Interview]) -> pd.DataFrame:
    """The final sheets' ratings and any agreed ratings of these interviews, in the long
    layout the core reads (rater ``consensus`` marks an agreed rating)."""
    informant = {i.pk: i.informant for i in interviews}
    chunks = _chunks([i.pk for i in interviews])
    records = [
        (str(interview), informant[interview], item, code or str(value), f"rater-{rater}")
        for ids in chunks
        for interview, rater, item, value, code in Rating.objects.filter(
            sheet__interview_id__in=ids, sheet__status=RatingSheet.Status.FINAL
        ).values_list("sheet__interview_id", "sheet__rater_id", "item", "value", "code")
    ]
    records += [
        (str(interview), informant[interview], item, code or str(value), CONSENSUS_RATER)
        for ids in chunks
        for interview, item, value, code in ConsensusRating.objects.filter(
            interview_id__in=ids
        ).values_list("interview_id", "item", "value", "code")
    ]
    return pd.DataFrame(records, columns=["interview", "informant", "item", "rating", "rater"])


def refresh_scores(interviews: Iterable[Interview]) -> int:
    """Recompute and store the scores of final interviews (all sharing one instrument)."""
    final = [i for i in interviews if i.status == Interview.Status.FINAL]
    if not final:
        return 0
    instrument = final[0].evaluation.instrument.model()
    frame = final_ratings(final)
    if frame.empty:
        return 0
    scores = score(
        read_ratings(frame, instrument, layout="long", name="interview ratings"),
        aggregate_by=[()],
        gap_by=[()],
    )
    domains = scores.final("domain")
    totals = scores.final("total")
    by_interview: dict[str, dict[str, float | None]] = {}
    for key, domain, value in zip(
        domains["interview"].astype(str),
        domains["domain"].astype(str),
        domains["score"],
        strict=True,
    ):
        by_interview.setdefault(key, {})[domain] = None if math.isnan(value) else float(value)
    total = {
        str(k): (None if math.isnan(v) else float(v))
        for k, v in zip(totals["interview"], totals["score"], strict=True)
    }
    rows = [
        InterviewScore(
            interview=i,
            evaluation_id=i.evaluation_id,
            service_id=i.service_id,
            round_id=i.round_id,
            peer_worker_id=i.peer_worker_id,
            informant=i.informant,
            domains=by_interview.get(str(i.pk), {}),
            total=total.get(str(i.pk)),
        )
        for i in final
    ]
    InterviewScore.objects.filter(interview__in=final).delete()
    InterviewScore.objects.bulk_create(rows, batch_size=2000)
    # Results cached under the old version are not read again.
    Evaluation.results_changed(*sorted({i.evaluation_id for i in final}))
    return len(rows)


def refresh_score(interview: Interview) -> None:
    """Recompute and store one final interview's scores."""
    refresh_scores([interview])
