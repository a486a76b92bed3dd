"""The demo evaluation: synthetic data, clearly marked, and demo accounts.

The ratings come from :func:`peerprinciples.core.demo_data.demo_ratings`. A few double-rated
interviews are left waiting for consensus so a newcomer can try every step. The first service
has a finished reflection cycle for the first round (its report released) and the next one
under way; the second service has a cycle under way whose draft report is open for replies.
Their texts are in :mod:`peerprinciples.web.demo_reflection`. Each start gives the demo
accounts new random passwords, printed on the console.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from peerprinciples.core.demo_data import demo_ratings
from peerprinciples.core.ratings import CONSENSUS_RATER
from peerprinciples.core.reflection.model import ReflectionGuide
from peerprinciples.core.reflection.scoring import score_self_assessment
from peerprinciples.web import demo_reflection as texts
from peerprinciples.web.accounts.services import demo_password
from peerprinciples.web.audit.services import record
from peerprinciples.web.bulk import BulkWriter
from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker, Round, Service
from peerprinciples.web.evaluations.services import create_evaluation, link_account
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import refresh_scores
from peerprinciples.web.library.models import StoredGuide, StoredInstrument
from peerprinciples.web.reflection.models import (
    Action,
    ActionReview,
    ConditionCheck,
    Cycle,
    Reflection,
    Reply,
    SelfAssessment,
)
from peerprinciples.web.results.store import request_refresh

DEMO_NAME = "DEMO: peer support fidelity review (synthetic data)"
DEMO_INSTRUMENT = "enrich-example-index"
ACCOUNTS = {
    "demo-lead": (Membership.Role.LEAD, None),
    "demo-rater-1": (Membership.Role.RATER, "all"),
    "demo-rater-2": (Membership.Role.RATER, "all"),
    "demo-coordinator": (Membership.Role.COORDINATOR, "first"),
    "demo-viewer": (Membership.Role.VIEWER, None),
    "demo-facilitator": (Membership.Role.FACILITATOR, "first two"),
    # Linked to the first peer worker code of the first service, the one with a finished cycle.
    "demo-peer-worker": (Membership.Role.PEER_WORKER, "linked"),
}
# What an action's status became when the next cycle looked back at it.
STATUS_AFTER_REVIEW = {
    ActionReview.Outcome.DONE: Action.Status.DONE,
    ActionReview.Outcome.KEPT: Action.Status.UNDER_WAY,
    ActionReview.Outcome.DROPPED: Action.Status.DROPPED,
}


def ensure_demo() -> tuple[Evaluation, dict[str, str]]:
    """Create the demo evaluation once; give the demo accounts fresh passwords, with
    two-factor sign-in off."""
    passwords = {name: demo_password(name) for name in ACCOUNTS}
    evaluation = Evaluation.objects.filter(is_demo=True, name=DEMO_NAME).first()
    if evaluation is None:
        evaluation = _create_demo()
    elif not Cycle.objects.filter(evaluation=evaluation).exists():
        _add_reflection(evaluation)  # a demo created before reflection cycles existed
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
    _reflection(evaluation, users, services, rounds)
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
        if role in (Membership.Role.LEAD, Membership.Role.PEER_WORKER):
            continue  # the lead started the evaluation; a peer worker's account is linked
        membership = Membership.objects.create(evaluation=evaluation, user=users[name], role=role)
        if scope == "all":
            membership.services.set(services.values())
        elif scope == "first":
            membership.services.set([services[min(services)]])
        elif scope == "first two":
            membership.services.set([services[code] for code in sorted(services)[:2]])


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


# --- reflective learning ----------------------------------------------------------------------


@transaction.atomic
def _add_reflection(evaluation: Evaluation) -> None:
    """Give a demo created before reflection cycles existed its facilitator and cycles."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    services = {s.code: s for s in Service.objects.filter(evaluation=evaluation)}
    rounds = {r.number: r for r in Round.objects.filter(evaluation=evaluation)}
    if not Membership.objects.filter(
        evaluation=evaluation, user=users["demo-facilitator"]
    ).exists():
        membership = Membership.objects.create(
            evaluation=evaluation, user=users["demo-facilitator"], role=Membership.Role.FACILITATOR
        )
        membership.services.set([services[code] for code in sorted(services)[:2]])
    _reflection(evaluation, users, services, rounds)


def _reflection(
    evaluation: Evaluation,
    users: dict[str, Any],
    services: dict[str, Service],
    rounds: dict[int, Round],
) -> None:
    """The demo's cycles: written with the models directly, audited in one entry.

    The first service's cycle for the first round is finished and its report released; its
    cycle for the last round is under way and has looked back at the first one's actions. The
    second service's cycle for the last round is under way, its draft report open for replies.
    """
    stored = (
        StoredGuide.objects.filter(key=texts.GUIDE, framework=evaluation.framework_id)
        .order_by("-stored_at")
        .first()
    )
    if stored is None:
        raise RuntimeError("The built-in reflection guide is not stored; run prepare() first.")
    guide = stored.model()
    lead, facilitator = users["demo-lead"], users["demo-facilitator"]
    first, second = (services[code] for code in sorted(services)[:2])
    first_round, last_round = rounds[min(rounds)], rounds[max(rounds)]
    worker = PeerWorker.objects.filter(service=first, withdrawn=False).order_by("code").first()
    if worker is None:
        raise RuntimeError(f"The demo's service {first.code} has no peer worker to link.")
    link_account(lead, evaluation, username="demo-peer-worker", worker=worker)
    evaluation.peer_workers_see_own_results = True
    evaluation.save(update_fields=["peer_workers_see_own_results"])
    framework = evaluation.framework.model()
    titles = {p.key: p.title for p in framework.principles}
    titles |= {t.key: t.title for t in framework.themes}
    today = timezone.localdate()

    # The first service, first round: finished, its report released after the reply window.
    met = today - dt.timedelta(days=texts.FIRST_MET_DAYS_AGO)
    until = met + dt.timedelta(days=texts.FIRST_REPLIES_DAYS)
    finished = Cycle.objects.create(
        evaluation=evaluation,
        service=first,
        round=first_round,
        guide=stored,
        status=Cycle.Status.FINISHED,
        met_on=met,
        report_status=Cycle.Report.RELEASED,
        replies_until=until,
        released_at=_at(until + dt.timedelta(days=1)),
        released_by=lead,
        opened_by=facilitator,
        finished_at=_at(met, 16),
        **texts.FIRST_TAKING_PART,
    )
    _reflections(finished, texts.FIRST_REFLECTIONS, guide, titles, facilitator, _at(met, 12))
    _conditions(finished, texts.FIRST_CONDITIONS, guide, facilitator, _at(met, 15))
    _self_assessment(
        finished,
        guide,
        facilitator,
        _at(met, 14),
        answers=texts.TEAM_ANSWERS,
        notes=texts.TEAM_NOTES,
    )
    actions = [
        Action.objects.create(
            cycle=finished,
            principle=planned.principle,
            principle_title=titles[planned.principle],
            what=planned.what,
            who=planned.who,
            due=met + dt.timedelta(days=planned.due_after_days),
            status=STATUS_AFTER_REVIEW[ActionReview.Outcome(planned.outcome)],
            created_by=facilitator,
        )
        for planned in texts.FIRST_ACTIONS
    ]
    Action.objects.filter(cycle=finished).update(created_at=_at(met, 16))
    reply = Reply.objects.create(
        cycle=finished,
        peer_worker=worker,
        about=texts.FIRST_REPLY_ABOUT,
        text=texts.FIRST_REPLY,
        created_by=users["demo-peer-worker"],
    )
    Reply.objects.filter(pk=reply.pk).update(created_at=_at(until - dt.timedelta(days=3), 18))
    Cycle.objects.filter(pk=finished.pk).update(opened_at=_at(met - dt.timedelta(days=7)))

    # The first service, last round: under way, starting with a look back at those actions.
    met = today - dt.timedelta(days=texts.NEXT_MET_DAYS_AGO)
    following = Cycle.objects.create(
        evaluation=evaluation,
        service=first,
        round=last_round,
        guide=stored,
        met_on=met,
        opened_by=facilitator,
        **texts.NEXT_TAKING_PART,
    )
    for action, planned in zip(actions, texts.FIRST_ACTIONS, strict=True):
        ActionReview.objects.create(
            action=action,
            cycle=following,
            outcome=planned.outcome,
            what_happened=planned.what_happened,
            reviewed_by=facilitator,
        )
    _reflections(following, texts.NEXT_REFLECTIONS, guide, titles, facilitator, _at(met, 12))

    # The second service, last round: under way, its draft report open for replies.
    met = today - dt.timedelta(days=texts.SECOND_MET_DAYS_AGO)
    drafted = Cycle.objects.create(
        evaluation=evaluation,
        service=second,
        round=last_round,
        guide=stored,
        met_on=met,
        replies_until=today + dt.timedelta(days=texts.SECOND_REPLIES_AHEAD_DAYS),
        opened_by=facilitator,
        **texts.SECOND_TAKING_PART,
    )
    _reflections(drafted, texts.SECOND_REFLECTIONS, guide, titles, facilitator, _at(met, 12))
    _self_assessment(
        drafted,
        guide,
        facilitator,
        _at(met, 11),
        answers=texts.MEMBER_ANSWERS,
        notes=texts.MEMBER_NOTES,
        role=texts.MEMBER_ROLE,
    )
    record(
        lead,
        "create",
        evaluation,
        evaluation_id=evaluation.pk,
        summary=(
            f"Added the demo's reflection cycles: {first.code} finished in {first_round} and "
            f"under way in {last_round}, {second.code} under way in {last_round}"
        ),
    )


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A time on ``day``, in the server's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _reflections(
    cycle: Cycle,
    answers: dict[str, texts.Answers],
    guide: ReflectionGuide,
    titles: dict[str, str],
    user: Any,
    when: dt.datetime,
) -> None:
    unknown = set(answers) - set(guide.questions)
    if unknown:
        raise RuntimeError(f"{guide.ref} asks nothing about {', '.join(sorted(unknown))}.")
    Reflection.objects.bulk_create(
        [
            Reflection(
                cycle=cycle,
                principle=key,
                principle_title=titles[key],
                updated_by=user,
                **answers[key]._asdict(),
            )
            for key in guide.questions
            if key in answers
        ]
    )
    Reflection.objects.filter(cycle=cycle).update(updated_at=when)


def _conditions(
    cycle: Cycle,
    checks: dict[str, texts.Check],
    guide: ReflectionGuide,
    user: Any,
    when: dt.datetime,
) -> None:
    """Every condition of the guide, checked (a condition without a check is an error)."""
    ConditionCheck.objects.bulk_create(
        [
            ConditionCheck(
                cycle=cycle,
                condition=condition.key,
                state=ConditionCheck.State(checks[condition.key].state),
                note=checks[condition.key].note,
                updated_by=user,
            )
            for condition in guide.conditions
        ]
    )
    ConditionCheck.objects.filter(cycle=cycle).update(updated_at=when)


def _self_assessment(
    cycle: Cycle,
    guide: ReflectionGuide,
    user: Any,
    when: dt.datetime,
    *,
    answers: dict[str, int | None],
    notes: dict[str, str],
    role: str = "",
) -> None:
    score_self_assessment(guide, answers, notes)  # raises if the texts no longer fit the guide
    taken = SelfAssessment.objects.create(
        cycle=cycle,
        taken_by=SelfAssessment.Taker.MEMBER if role else SelfAssessment.Taker.TEAM,
        role=role,
        answers=answers,
        notes=notes,
        created_by=user,
    )
    SelfAssessment.objects.filter(pk=taken.pk).update(created_at=when)
