"""Actions agreed in a reflection cycle, and the later cycles' look back at them.

An action belongs to the cycle that agreed it and to a role, never to a person. It keeps the
key of the principle (or theme) it is about and that principle's title when it was agreed, so
a later framework version that renames the principle, or drops it, never loses the link.

Each later cycle of the same service looks back at every earlier action that no earlier cycle
closed: what happened, and whether it is kept (it comes back in the next cycle), done or
dropped. Every change runs in one transaction, checks that the cycle is still open, and is
recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from peerprinciples.core.frameworks import Framework
from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.reflection.models import Action, ActionReview, Cycle

Outcome = ActionReview.Outcome
CLOSING = frozenset({Outcome.DONE, Outcome.DROPPED})
"""Review outcomes that close an action: it does not come back in later cycles."""

WHO_SUGGESTIONS = (
    "Peer worker team",
    "Service manager",
    "Supervisor",
    "Peer support lead",
    "Whole team",
)
"""Roles offered when saying who will do something; any other role may be written."""

WHO_LENGTH = Action._meta.get_field("who").max_length


@dataclass(frozen=True)
class PrincipleName:
    """How an action's principle is shown in a cycle that may follow another framework version.

    ``title`` is the title to show; ``agreed_as`` the title when the action was agreed, when
    the framework has renamed the principle since (blank otherwise); ``earlier_version`` says
    the principle is not in this framework version at all, so ``title`` is the stored one.
    """

    key: str
    title: str
    agreed_as: str = ""
    earlier_version: bool = False


def principle_name(key: str, agreed_title: str, framework: Framework) -> PrincipleName:
    """The principle ``key`` as named by ``framework``, keeping the title it was agreed under."""
    current = framework.titles().get(key)
    if current is None:
        return PrincipleName(key, agreed_title, earlier_version=True)
    return PrincipleName(key, current, agreed_as="" if current == agreed_title else agreed_title)


def framework_of(cycle: Cycle) -> Framework:
    """The framework version the cycle's reflection guide follows."""
    return cycle.guide.framework.model()


def _lock_open(cycle: Cycle) -> Cycle:
    """The cycle's row, locked until the transaction ends; refused once it is finished."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.status != Cycle.Status.OPEN:
        raise DomainError(
            "This cycle is finished, so its actions and its look back can no longer change. "
            "The next cycle of the service looks back at them."
        )
    return locked


def _checked(
    *, what: str, who: str, status: str, principle: str | None = None, framework: Framework
) -> tuple[str, str]:
    """The action's text and role, stripped; every problem at once as :class:`InvalidInput`."""
    problems: dict[str, str] = {}
    what, who = what.strip(), who.strip()
    if principle is not None and principle not in framework.titles():
        problems["principle"] = (
            f"{principle!r} is not a principle or theme of {framework.ref}: choose one from the "
            "list."
        )
    if not what:
        problems["what"] = "Say what you will do, in a sentence or two."
    if not who:
        problems["who"] = "Say which role will do it, for example the peer worker team."
    elif WHO_LENGTH is not None and len(who) > WHO_LENGTH:
        problems["who"] = f"Name the role in at most {WHO_LENGTH} characters."
    if status not in Action.Status.values:
        problems["status"] = "Choose planned, under way, done or dropped."
    if problems:
        raise InvalidInput(problems)
    return what, who


@transaction.atomic
def add_action(
    user: Any,
    cycle: Cycle,
    *,
    principle: str,
    what: str,
    who: str,
    due: dt.date | None,
    status: str = Action.Status.PLANNED,
) -> Action:
    """Agree an action in an open cycle, about one principle or theme of its guide."""
    _lock_open(cycle)
    framework = framework_of(cycle)
    what, who = _checked(
        what=what, who=who, status=status, principle=principle, framework=framework
    )
    action = Action.objects.create(
        cycle=cycle,
        principle=principle,
        principle_title=framework.titles()[principle],
        what=what,
        who=who,
        due=due,
        status=status,
        created_by=user,
    )
    record(
        user,
        "create",
        action,
        evaluation_id=cycle.evaluation_id,
        summary=f"Agreed an action on {action.principle_title} in {cycle}",
    )
    return action


@transaction.atomic
def edit_action(
    user: Any,
    action: Action,
    *,
    what: str,
    who: str,
    due: dt.date | None,
    status: str,
    expected_version: int,
) -> Action:
    """Change an action of an open cycle, if nobody else changed it since the form opened."""
    cycle = _lock_open(action.cycle)
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.version != expected_version:
        raise StaleEdit("action")
    what, who = _checked(what=what, who=who, status=status, framework=framework_of(cycle))
    before = snapshot(locked)
    changes = {"what": what, "who": who, "due": due, "status": status}
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.version = F("version") + 1
    locked.save(update_fields=[*changes, "version"])
    locked.refresh_from_db()
    record(
        user,
        "change",
        locked,
        evaluation_id=cycle.evaluation_id,
        summary=f"Changed an action on {locked.principle_title} in {action.cycle}",
        before=before,
    )
    return locked


# --- looking back ------------------------------------------------------------------------------


@dataclass
class LookBack:
    """One earlier action as a cycle looks back at it."""

    action: Action
    principle: PrincipleName
    history: list[ActionReview]
    """Reviews by cycles before this one, oldest first."""
    review: ActionReview | None
    """This cycle's review, once written."""


@dataclass
class EarlierCycle:
    """An earlier cycle of the service and its actions that a later cycle looks back at."""

    cycle: Cycle
    items: list[LookBack]


def _earlier(cycle: Cycle, action: Action) -> bool:
    return (
        action.cycle.service_id == cycle.service_id
        and action.cycle.round.number < cycle.round.number
    )


def looking_back(cycle: Cycle) -> list[EarlierCycle]:
    """The actions of the service's earlier cycles that this cycle looks back at, newest
    cycle first: every action no cycle before this one reviewed as done or dropped (and any
    this cycle reviewed, whatever happened elsewhere since)."""
    number = cycle.round.number
    actions = list(
        Action.objects.filter(cycle__service_id=cycle.service_id, cycle__round__number__lt=number)
        .select_related("cycle__round")
        .order_by("-cycle__round__number", "created_at", "pk")
    )
    reviews: dict[int, list[ActionReview]] = {}
    for review in (
        ActionReview.objects.filter(action__in=actions, cycle__round__number__lte=number)
        .select_related("cycle__round")
        .order_by("cycle__round__number")
    ):
        reviews.setdefault(review.action_id, []).append(review)
    framework = framework_of(cycle)
    groups: list[EarlierCycle] = []
    for action in actions:
        found = reviews.get(action.pk, [])
        history = [r for r in found if r.cycle_id != cycle.pk]
        mine = next((r for r in found if r.cycle_id == cycle.pk), None)
        if mine is None and any(r.outcome in CLOSING for r in history):
            continue
        if not groups or groups[-1].cycle.pk != action.cycle_id:
            groups.append(EarlierCycle(action.cycle, []))
        name = principle_name(action.principle, action.principle_title, framework)
        groups[-1].items.append(LookBack(action, name, history, mine))
    return groups


def history_of(cycle: Cycle, action: Action) -> list[ActionReview]:
    """The looks back at ``action`` by the cycles before ``cycle``, oldest first."""
    return list(
        ActionReview.objects.filter(action=action, cycle__round__number__lt=cycle.round.number)
        .select_related("cycle__round")
        .order_by("cycle__round__number")
    )


def _status_after(action: Action, outcome: str) -> str:
    """The action's status once reviewed: done or dropped as reviewed; kept carries it on."""
    if outcome in CLOSING:
        return outcome
    if action.status in CLOSING:
        return Action.Status.UNDER_WAY
    return action.status


def review_stamp(review: ActionReview | None) -> str:
    """What a review form sends back to show which saved review it was opened at."""
    return review.reviewed_at.isoformat() if review is not None else ""


UNDECIDED_WITH_TEXT = "Choose kept, done or dropped, so what you wrote is saved."
"""The problem of an action left as not decided yet with something written about it."""


@dataclass(frozen=True)
class ReviewEntry:
    """What someone said about one earlier action: ``outcome`` is blank when not decided yet;
    ``seen`` is what :func:`review_stamp` gave when the form was opened."""

    outcome: str
    what_happened: str
    seen: str


class LookBackRefused(DomainError):
    """Nothing of a look back was saved: what stands in the way, action by action."""

    def __init__(self, problems: dict[int, DomainError]) -> None:
        self.problems = problems
        self.stale = {pk for pk, problem in problems.items() if isinstance(problem, StaleEdit)}
        count = len(problems)
        super().__init__(
            f"Nothing was saved yet: {count} action{'s' if count != 1 else ''} to put right "
            "first. Everything you typed is kept below."
        )


@transaction.atomic
def review_actions(user: Any, cycle: Cycle, entries: dict[int, ReviewEntry]) -> list[ActionReview]:
    """Save an open cycle's look back at several earlier actions at once, all or nothing.

    ``entries`` holds what was said about each action, by the action's key. An action with no
    outcome (not decided yet) is left as it is. If anything stands in the way for any action,
    nothing is saved and :class:`LookBackRefused` names every problem, action by action.
    """
    _lock_open(cycle)
    problems: dict[int, DomainError] = {}
    saved: list[ActionReview] = []
    found = Action.objects.in_bulk(list(entries))
    for pk, entry in entries.items():
        if not entry.outcome:
            if entry.what_happened.strip():
                problems[pk] = InvalidInput({"outcome": UNDECIDED_WITH_TEXT})
            continue
        action = found.get(pk)
        if action is None:
            problems[pk] = DomainError("This action no longer exists.")
            continue
        try:
            review = _review(user, cycle, action, entry)
        except DomainError as problem:
            problems[pk] = problem
        else:
            if review is not None:
                saved.append(review)
    if problems:
        raise LookBackRefused(problems)
    return saved


@transaction.atomic
def review_action(
    user: Any,
    cycle: Cycle,
    action: Action,
    *,
    outcome: str,
    what_happened: str,
    seen: str,
) -> ActionReview:
    """Write (or change) an open cycle's look back at an earlier action of its service.

    ``seen`` is what :func:`review_stamp` gave when the form was opened: a review saved by
    someone else meanwhile is not overwritten.
    """
    _lock_open(cycle)
    entry = ReviewEntry(outcome=outcome, what_happened=what_happened, seen=seen)
    review = _review(user, cycle, action, entry)
    if review is None:
        return ActionReview.objects.get(action=action, cycle=cycle)
    return review


def _review(user: Any, cycle: Cycle, action: Action, entry: ReviewEntry) -> ActionReview | None:
    """Write (or change) the look back at one action, inside the caller's transaction and
    with the cycle locked; nothing when it says what the saved look back already says.

    Every check comes before the first write, so a refusal leaves nothing half saved.
    """
    locked = Action.objects.select_for_update().select_related("cycle__round").get(pk=action.pk)
    if not _earlier(cycle, locked):
        raise DomainError(
            "A cycle looks back only at the actions agreed in the same service's earlier "
            "cycles. This action was agreed in this cycle or a later one: change it on its own "
            "page instead."
        )
    found = list(
        ActionReview.objects.select_for_update()
        .filter(action=locked, cycle__round__number__lte=cycle.round.number)
        .select_related("cycle__round")
    )
    existing = next((r for r in found if r.cycle_id == cycle.pk), None)
    closed = [r for r in found if r.cycle_id != cycle.pk and r.outcome in CLOSING]
    if existing is None and closed:
        raise DomainError(
            f"This action was already looked back at as {closed[0].outcome} in "
            f"{closed[0].cycle.round}, so it is closed."
        )
    outcome, what_happened = entry.outcome, entry.what_happened.strip()
    if existing is not None and (existing.outcome, existing.what_happened) == (
        outcome,
        what_happened,
    ):
        return None
    if entry.seen != review_stamp(existing):
        raise StaleEdit("look back at the action")
    if outcome not in Outcome.values:
        raise InvalidInput({"outcome": "Choose kept, done or dropped."})
    before = snapshot(existing) if existing is not None else None
    review = existing or ActionReview(action=locked, cycle=cycle)
    review.outcome = outcome
    review.what_happened = what_happened
    review.reviewed_by = user
    review.save()
    record(
        user,
        "change" if existing else "create",
        review,
        evaluation_id=cycle.evaluation_id,
        summary=f"Looked back at an action on {locked.principle_title} in {cycle}: {outcome}",
        before=before,
    )
    status = _status_after(locked, outcome)
    if status != locked.status:
        action_before = snapshot(locked)
        locked.status = status
        locked.version = F("version") + 1
        locked.save(update_fields=["status", "version"])
        locked.refresh_from_db()
        record(
            user,
            "change",
            locked,
            evaluation_id=cycle.evaluation_id,
            summary=f"An action on {locked.principle_title} is now {locked.get_status_display()}"
            f", as {cycle} looked back at it",
            before=action_before,
        )
    return review
