"""Running a reflection cycle: opening it, who took part, what was said, and finishing it.

Each action runs in one transaction and is audited; the audit summaries never hold what
people wrote, only what changed. A finished cycle is read-only: its reflections, conditions,
self-assessments and participant counts stay as they were when the report was drafted.
Reflections and the participant counts carry a version that the form sends back, so a second
save over someone else's change is refused (:class:`~peerprinciples.web.errors.StaleEdit`)
rather than lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from peerprinciples.core.reflection.scoring import SelfAssessmentError, score_self_assessment
from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.evaluations.models import Evaluation, Round, Service
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.reflection.models import (
    ConditionCheck,
    Cycle,
    Reflection,
    SelfAssessment,
)

REPLY_DAYS = 14
"""How long peer workers have to reply to the draft report, unless the facilitator says."""

PARTICIPANTS = ("peer_workers", "people_supported", "supervisors", "managers", "others")
"""The roles counted among the people who took part, in the order pages show them."""

MOST_TAKING_PART = 1000
"""A sanity limit on one count of people taking part (a typing slip, not a real meeting)."""

QUESTIONS = ("going_well", "hard", "try_next")


class CycleExists(DomainError):
    """The service already has a cycle in that round; ``cycle`` is the one to go to."""

    def __init__(self, cycle: Cycle) -> None:
        self.cycle = cycle
        super().__init__(
            f"{cycle.service.code} already has a reflection cycle in {cycle.round}: there is "
            "one cycle per service and round. Carry on with that one."
        )


class CycleFinished(DomainError):
    """The cycle is finished, so what was said in it can no longer change."""

    def __init__(self) -> None:
        super().__init__(
            "This cycle is finished, so what was recorded in it can no longer change. "
            "Anything new belongs in the next round's cycle."
        )


def guides_for(evaluation: Evaluation) -> QuerySet[StoredGuide]:
    """The stored reflection guides that follow the evaluation's framework, newest first."""
    return (
        StoredGuide.objects.filter(framework_id=evaluation.framework_id)
        .defer("document")
        .order_by("-stored_at", "-pk")
    )


def free_pairs(services: Sequence[Service], rounds: Sequence[Round]) -> list[tuple[Service, Round]]:
    """Each service of ``services`` with each round of ``rounds`` that has no cycle yet: what
    may still be opened, in the order given (by service, then round)."""
    taken = set(
        Cycle.objects.filter(service__in=services, round__in=rounds).values_list(
            "service_id", "round_id"
        )
    )
    return [(s, r) for s in services for r in rounds if (s.pk, r.pk) not in taken]


@transaction.atomic
def open_cycle(
    user: Any, evaluation: Evaluation, *, service: Service, round: Round, guide: StoredGuide
) -> Cycle:
    """Open the reflection cycle of ``service`` in ``round``, following ``guide``.

    Raises :class:`CycleExists` when the service already has a cycle in that round.
    """
    problems = {}
    if service.evaluation_id != evaluation.pk:
        problems["service"] = "That service belongs to another evaluation."
    if round.evaluation_id != evaluation.pk:
        problems["round"] = "That round belongs to another evaluation."
    if guide.framework_id != evaluation.framework_id:
        problems["guide"] = (
            "That reflection guide follows another framework than this evaluation's; "
            "choose one that follows it."
        )
    if problems:
        raise InvalidInput(problems)
    existing = Cycle.objects.filter(service=service, round=round).first()
    if existing is not None:
        raise CycleExists(existing)
    try:
        with transaction.atomic():
            cycle = Cycle.objects.create(
                evaluation=evaluation, service=service, round=round, guide=guide, opened_by=user
            )
    except IntegrityError:  # opened by someone else a moment ago
        raise CycleExists(Cycle.objects.get(service=service, round=round)) from None
    record(
        user,
        "create",
        cycle,
        evaluation_id=evaluation.pk,
        summary=f"Opened the reflection cycle of {service.code} in {round} with {guide.ref}",
    )
    return cycle


def _lock(cycle: Cycle) -> Cycle:
    """The cycle's row, locked until the transaction ends; refused once it is finished."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status == Cycle.Status.FINISHED:
        raise CycleFinished()
    return locked


@transaction.atomic
def set_participants(
    user: Any,
    cycle: Cycle,
    *,
    expected_version: int,
    met_on: dt.date | None,
    counts: Mapping[str, int | None],
) -> Cycle:
    """Record when the conversation was held and how many took part, by role."""
    problems = {}
    values = {}
    for name in PARTICIPANTS:
        value = counts.get(name) or 0
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems[name] = "Give a whole number: 0 or more."
        elif value > MOST_TAKING_PART:
            problems[name] = f"Give a number up to {MOST_TAKING_PART}."
        else:
            values[name] = value
    if met_on is not None and met_on > timezone.localdate():
        problems["met_on"] = "Give the day the conversation was held: today or earlier."
    if problems:
        raise InvalidInput(problems)
    locked = _lock(cycle)
    if locked.version != expected_version:
        raise StaleEdit("record of who took part")
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.met_on = met_on
    locked.version += 1
    locked.save(update_fields=[*PARTICIPANTS, "met_on", "version"])
    record(
        user,
        "change",
        locked,
        evaluation_id=locked.evaluation_id,
        before=before,
        summary=f"Recorded who took part in the reflection of {cycle.service.code} "
        f"in {cycle.round}: {locked.taking_part} in all",
    )
    return locked


def topic_title(cycle: Cycle, key: str) -> str:
    """The title of a principle or theme of the cycle's framework (the key if it has none)."""
    return cycle.evaluation.framework.model().titles().get(key, key)


@transaction.atomic
def save_reflection(
    user: Any,
    cycle: Cycle,
    principle: str,
    *,
    answers: Mapping[str, str],
    expected_version: int | None,
) -> Reflection:
    """Save the three answers about one principle or theme of the cycle's guide.

    ``expected_version`` is the version the form was opened at (``None`` when nothing was
    written yet). If someone else saved in between, nothing is saved and
    :class:`StaleEdit` is raised: the page then shows both texts, so nothing is lost.
    """
    guide = cycle.guide.model()
    if principle not in guide.questions:
        raise InvalidInput({"principle": f"The guide {guide.ref} has no questions about that."})
    _lock(cycle)
    texts = {name: answers.get(name, "").strip() for name in QUESTIONS}
    found = Reflection.objects.select_for_update().filter(cycle=cycle, principle=principle).first()
    title = topic_title(cycle, principle)
    if found is None:
        if expected_version is not None:
            raise StaleEdit("reflection")
        found = Reflection.objects.create(
            cycle=cycle, principle=principle, principle_title=title, updated_by=user, **texts
        )
        action, before = "create", None
    else:
        if expected_version != found.version:
            raise StaleEdit("reflection")
        before = {"version": found.version}
        for name, text in texts.items():
            setattr(found, name, text)
        found.version = F("version") + 1
        found.updated_by = user
        found.save()
        found.refresh_from_db()
        action = "change"
    written = sum(1 for text in texts.values() if text)
    record(
        user,
        action,
        found,
        evaluation_id=cycle.evaluation_id,
        before=before,
        after={"principle": principle, "answered": written, "version": found.version},
        summary=f"Wrote the reflection on {found.principle_title} for {cycle.service.code} "
        f"in {cycle.round} ({written} of 3 questions answered)",
    )
    return found


@transaction.atomic
def save_conditions(
    user: Any, cycle: Cycle, checks: Mapping[str, tuple[str, str]]
) -> dict[str, int]:
    """Record the state of the guide's conditions that changed: condition key ->
    ``(state, note)``, where a blank state means "not discussed" (no row).

    Only the conditions given are touched, so two people ticking different conditions at
    once do not undo each other. Returns how many were added, changed and cleared.
    """
    known = {c.key for c in cycle.guide.model().conditions}
    problems = {}
    for key, (state, _note) in checks.items():
        if key not in known:
            problems[key] = "The cycle's guide has no such condition."
        elif state and state not in ConditionCheck.State.values:
            problems[key] = "Choose in place, partly, not yet, or not discussed."
    if problems:
        raise InvalidInput(problems)
    _lock(cycle)
    rows = {c.condition: c for c in ConditionCheck.objects.filter(cycle=cycle)}
    done = {"added": 0, "changed": 0, "cleared": 0}
    for key, (state, note) in checks.items():
        note = note.strip()
        row = rows.get(key)
        if not state:
            if row is not None:
                row.delete()
                done["cleared"] += 1
        elif row is None:
            ConditionCheck.objects.create(
                cycle=cycle, condition=key, state=state, note=note, updated_by=user
            )
            done["added"] += 1
        elif (row.state, row.note) != (state, note):
            row.state, row.note, row.updated_by = state, note, user
            row.save(update_fields=["state", "note", "updated_by", "updated_at"])
            done["changed"] += 1
    if any(done.values()):
        record(
            user,
            "change",
            cycle,
            evaluation_id=cycle.evaluation_id,
            after={"conditions": {k: s for k, (s, _) in checks.items()}, **done},
            summary=f"Recorded organisational conditions for {cycle.service.code} in "
            f"{cycle.round}: {done['added']} added, {done['changed']} changed, "
            f"{done['cleared']} cleared",
        )
    return done


@transaction.atomic
def add_self_assessment(
    user: Any,
    cycle: Cycle,
    *,
    taken_by: str,
    role: str,
    answers: Mapping[str, int | None],
    notes: Mapping[str, str],
) -> SelfAssessment:
    """Keep one completed self-assessment, by the team together or by one member (a role)."""
    role = role.strip()
    problems = {}
    if taken_by not in SelfAssessment.Taker.values:
        problems["taken_by"] = "Choose the team together or one member."
    elif taken_by == SelfAssessment.Taker.MEMBER and not role:
        problems["role"] = "Give the member's role, such as peer worker (never a name)."
    notes = {key: text.strip() for key, text in notes.items() if text.strip()}
    answered = {key: point for key, point in answers.items() if point is not None}
    try:
        score_self_assessment(cycle.guide.model(), answered, notes)
    except SelfAssessmentError as error:
        problems["answers"] = " ".join(error.problems)
    if problems:
        raise InvalidInput(problems)
    _lock(cycle)
    taken = SelfAssessment.objects.create(
        cycle=cycle,
        taken_by=taken_by,
        role=role if taken_by == SelfAssessment.Taker.MEMBER else "",
        answers=answered,
        notes=notes,
        created_by=user,
    )
    record(
        user,
        "create",
        taken,
        evaluation_id=cycle.evaluation_id,
        after={"taken_by": taken.taken_by, "answered": len(answered), "notes": len(notes)},
        summary=f"Added a self-assessment by {taken.get_taken_by_display().lower()} for "
        f"{cycle.service.code} in {cycle.round} ({len(answered)} statements answered)",
    )
    return taken


@transaction.atomic
def finish_cycle(user: Any, cycle: Cycle, *, replies_until: dt.date | None = None) -> Cycle:
    """Finish the cycle: what was said is kept as it is, and peer workers may reply to the
    draft report at least until ``replies_until`` (:data:`REPLY_DAYS` ahead by default)."""
    today = timezone.localdate()
    until = replies_until or today + dt.timedelta(days=REPLY_DAYS)
    if until < today:
        raise InvalidInput({"replies_until": "Choose a day from today on."})
    locked = _lock(cycle)
    before = snapshot(locked)
    locked.status = Cycle.Status.FINISHED
    locked.finished_at = timezone.now()
    locked.replies_until = until
    locked.version += 1
    locked.save(update_fields=["status", "finished_at", "replies_until", "version"])
    record(
        user,
        "change",
        locked,
        evaluation_id=locked.evaluation_id,
        before=before,
        summary=f"Finished the reflection cycle of {cycle.service.code} in {cycle.round}; "
        f"replies until {until.isoformat()}",
    )
    return locked
