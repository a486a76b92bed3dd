"""The demo evaluation: synthetic data, clearly marked, and demo accounts.

The ratings come from :func:`peerprinciples.core.demo_data.demo_ratings`. A few double-rated
interviews are left waiting for consensus so a newcomer can try every step. Each start gives
the demo accounts new random passwords, printed on the console.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.contrib.auth import get_user_model
from django.db import transaction

from peerprinciples.core.demo_data import demo_ratings
from peerprinciples.core.ratings import CONSENSUS_RATER
from peerprinciples.web.accounts.services import reset_password
from peerprinciples.web.audit.services import record
from peerprinciples.web.bulk import BulkWriter
from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker, Round, Service
from peerprinciples.web.evaluations.services import create_evaluation
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import refresh_scores
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.results.store import request_refresh

DEMO_NAME = "DEMO: peer support fidelity review (synthetic data)"
DEMO_INSTRUMENT = "enrich-example-index"
ACCOUNTS = {
    "demo-lead": (Membership.Role.LEAD, None),
    "demo-rater-1": (Membership.Role.RATER, "all"),
    "demo-rater-2": (Membership.Role.RATER, "all"),
    "demo-coordinator": (Membership.Role.COORDINATOR, "first"),
    "demo-viewer": (Membership.Role.VIEWER, None),
}


def ensure_demo() -> tuple[Evaluation, dict[str, str]]:
    """Create the demo evaluation once; give the demo accounts fresh passwords."""
    passwords = {name: reset_password(name, create=True) for name in ACCOUNTS}
    evaluation = Evaluation.objects.filter(is_demo=True, name=DEMO_NAME).first()
    if evaluation is None:
        evaluation = _create_demo()
    return evaluation, passwords


@transaction.atomic
def _create_demo() -> Evaluation:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    lead = users["demo-lead"]
    stored = StoredInstrument.objects.filter(key=DEMO_INSTRUMENT).order_by("-stored_at").first()
    if stored is None:
        raise RuntimeError("The built-in example index is not stored; run prepare() first.")
    evaluation = create_evaluation(
        lead, name=DEMO_NAME, kind=Evaluation.Kind.SERVICE_REVIEW, instrument=stored, is_demo=True
    )
    frame = demo_ratings(stored.model())
    services = _bulk(
        evaluation,
        Service,
        [{"code": c, "name": f"Demo team {c[1:]}"} for c in sorted(frame["service"].unique())],
    )
    rounds = _bulk(
        evaluation,
        Round,
        [
            {"number": int(n), "label": f"Review {n}"}
            for n in sorted(frame["round"].astype(int).unique())
        ],
    )
    workers_frame = frame[["peer_worker", "service"]].dropna().drop_duplicates()
    workers = _bulk(
        evaluation,
        PeerWorker,
        [{"code": w, "service": services[s]} for w, s in workers_frame.itertuples(index=False)],
    )
    _members(evaluation, users, services)
    _interviews(evaluation, frame, users, services, rounds, workers, lead)
    record(
        lead,
        "create",
        evaluation,
        evaluation_id=evaluation.pk,
        summary=f"Filled the demo evaluation with {len(frame)} synthetic ratings",
    )
    refresh_scores(
        Interview.objects.filter(evaluation=evaluation).select_related("evaluation__instrument")
    )
    # Services, rounds and peer workers were added directly, not through the set-up services.
    Evaluation.results_changed(evaluation.pk)
    request_refresh(evaluation.pk)  # the stored results, once this commits
    return evaluation


def _bulk(evaluation: Evaluation, model: type[Any], rows: list[dict[str, Any]]) -> dict[Any, Any]:
    """Create the evaluation's rows of ``model`` in one go; the new objects by code (by
    number for rounds)."""
    objects = [model(evaluation=evaluation, **row) for row in rows]
    with BulkWriter() as writer:
        writer.objects(objects)
    key = "number" if model is Round else "code"
    return {getattr(obj, key): obj for obj in objects}


def _members(evaluation: Evaluation, users: dict[str, Any], services: dict[str, Service]) -> None:
    for name, (role, scope) in ACCOUNTS.items():
        if role == Membership.Role.LEAD:
            continue
        membership = Membership.objects.create(evaluation=evaluation, user=users[name], role=role)
        if scope == "all":
            membership.services.set(services.values())
        elif scope == "first":
            membership.services.set([services[min(services)]])


def _interviews(
    evaluation: Evaluation,
    frame: pd.DataFrame,
    users: dict[str, Any],
    services: dict[str, Service],
    rounds: dict[int, Round],
    workers: dict[str, PeerWorker],
    lead: Any,
) -> None:
    raters = [users["demo-rater-1"], users["demo-rater-2"]]
    last_round = max(rounds)
    first_service = min(services)
    for code, rows in frame.groupby("interview", sort=True):
        first = rows.iloc[0]
        names = [r for r in dict.fromkeys(rows["rater"]) if r != CONSENSUS_RATER]
        double = len(names) > 1
        # Leave the newest double-rated interviews of the first service waiting for consensus.
        waiting = double and int(first["round"]) == last_round and first["service"] == first_service
        status = Interview.Status.CONSENSUS if waiting else Interview.Status.FINAL
        date = first["date"]
        interview = Interview.objects.create(
            evaluation=evaluation,
            service=services[first["service"]],
            peer_worker=workers.get(first["peer_worker"])
            if pd.notna(first["peer_worker"])
            else None,
            round=rounds[int(first["round"])],
            informant=first["informant"],
            date=dt.date.fromisoformat(str(date)[:10]) if pd.notna(date) else None,
            code=str(code),
            double_rated=double,
            status=status,
            created_by=lead,
        )
        for position, name in enumerate(names):
            sheet = RatingSheet.objects.create(
                interview=interview, rater=raters[position % 2], status=RatingSheet.Status.FINAL
            )
            Rating.objects.bulk_create(
                [
                    Rating(sheet=sheet, item=item, **_answer(value))
                    for item, value in rows.loc[
                        rows["rater"] == name, ["item", "rating"]
                    ].itertuples(index=False)
                ]
            )
        if double and not waiting:
            agreed = rows.loc[rows["rater"] == CONSENSUS_RATER, ["item", "rating"]]
            if agreed.empty:  # the data kept no agreed values: take the first rater's
                agreed = rows.loc[rows["rater"] == names[0], ["item", "rating"]]
            ConsensusRating.objects.bulk_create(
                [
                    ConsensusRating(interview=interview, item=item, recorded_by=lead, **_answer(v))
                    for item, v in agreed.itertuples(index=False)
                ]
            )


def _answer(value: Any) -> dict[str, Any]:
    text = str(value)
    return (
        {"value": int(text), "code": ""}
        if text.lstrip("-").isdigit()
        else {"value": None, "code": text}
    )
