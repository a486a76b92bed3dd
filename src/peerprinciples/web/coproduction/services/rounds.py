"""Drafting rounds: the consensus rule, opening a round, handing in a ballot, closing a
round, and the research team's answers to a round's comments.

The facilitator sets the consensus rule on the project before the first round opens; from
then on it is shown, never changed, and every round keeps a copy of the rule it applied.
Opening a round copies the current wording of every draft principle (its title and
definition as one statement), aspect and theme into :class:`RoundStatement` rows, so what
was voted on stays as it was while the research team rewords the drafts for the next
round. A member hands in one ballot per round; closing the round hands every vote to the
core (:func:`peerprinciples.core.coproduction.delphi_rounds.round_results`), keeps each
statement's result and locks the wording that was agreed.

Every change runs in one transaction and is audited (a ballot's audit entry says that it
was handed in, never what it said). The round row is locked while a ballot is saved and
while the round closes, so a ballot cannot slip into a round as it closes: one of the two
waits for the other, and a ballot that finds the round closed is refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from peerprinciples.core.coproduction.delphi import ConsensusRule, check_rating
from peerprinciples.core.coproduction.delphi_rounds import RoundResults, Vote, round_results
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction import models
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.permissions import PROJECT_RULES, ProjectAction

Stage = models.Project.Stage
Kind = models.RoundStatement.Kind
Status = models.DraftingRound.Status

MAX_COMMENT = 2000
"""The longest comment on one statement, in characters."""


# --- the consensus rule -----------------------------------------------------------------------


def rule_of(project: models.Project) -> ConsensusRule:
    """The project's consensus rule as the core reads it."""
    return ConsensusRule(
        low=project.scale_low,
        high=project.scale_high,
        agree_from=project.agree_from,
        disagree_to=project.disagree_to,
        min_share=project.min_share_percent / 100,
        min_median=project.min_median,
    )


def round_rule(drafting_round: models.DraftingRound) -> ConsensusRule:
    """The rule a round applied (its own copy, so later changes cannot reach it)."""
    return ConsensusRule.from_dict(drafting_round.rule)


def rule_settled(project: models.Project) -> bool:
    """Whether the rule can no longer change: a round has been opened."""
    return models.DraftingRound.objects.filter(project=project).exists()


RULE_FIELDS = (
    "scale_low",
    "scale_high",
    "agree_from",
    "disagree_to",
    "min_share_percent",
    "min_median",
)


@transaction.atomic
def set_rule(
    user: Any, project: models.Project, values: Mapping[str, Any], *, version: int
) -> models.Project:
    """Set the consensus rule, before the first round opens.

    Raises ``DomainError`` once a round has opened (the rule is set in advance and applied
    the same way every round), ``StaleEdit`` when the project changed since the form was
    drawn, and ``InvalidInput`` for a rule the core cannot apply.
    """
    locked = models.Project.objects.select_for_update().get(pk=project.pk)
    if rule_settled(locked):
        raise DomainError(
            "The consensus rule cannot change now: a round has opened, and the rule is set "
            "in advance and applied the same way every round."
        )
    if locked.version != version:
        raise StaleEdit("project")
    before = {name: getattr(locked, name) for name in RULE_FIELDS}
    for name in RULE_FIELDS:
        setattr(locked, name, values[name])
    try:
        rule_of(locked)
    except ValueError as error:
        raise InvalidInput({"__all__": str(error)}) from error
    locked.version += 1
    locked.save(update_fields=[*RULE_FIELDS, "version"])
    after = {name: getattr(locked, name) for name in RULE_FIELDS}
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary="Set the consensus rule of the drafting rounds",
        before=before,
        after=after,
    )
    return locked


# --- opening a round --------------------------------------------------------------------------

_STAGE_ORDER = list(Stage.values)


def target_key(statement: models.RoundStatement) -> str:
    """What a statement is about, the same in every round (``principle:4``, ``aspect:9``):
    the key its votes go to the core under, so stability compares like with like."""
    target = {
        Kind.PRINCIPLE: statement.principle_id,
        Kind.ASPECT: statement.aspect_id,
        Kind.THEME: statement.theme_id,
    }[Kind(statement.kind)]
    return f"{statement.kind}:{target}"


def _wording(project: models.Project) -> list[models.RoundStatement]:
    """The current wording of every principle, its aspects, and every theme, in order
    (unsaved rows: the round and ``previous`` are filled in by the caller)."""
    found = []
    principles = models.DraftPrinciple.objects.filter(project=project).prefetch_related("aspects")
    for principle in principles:
        found.append(
            models.RoundStatement(
                kind=Kind.PRINCIPLE,
                principle=principle,
                title=principle.title,
                text=principle.definition,
                locked=principle.agreed_in_id is not None,
            )
        )
        for aspect in principle.aspects.all():
            found.append(
                models.RoundStatement(
                    kind=Kind.ASPECT,
                    aspect=aspect,
                    principle=principle,
                    text=aspect.text,
                    locked=aspect.agreed_in_id is not None,
                )
            )
    for theme in models.DraftTheme.objects.filter(project=project):
        found.append(
            models.RoundStatement(
                kind=Kind.THEME,
                theme=theme,
                title=theme.title,
                text=theme.description,
                locked=theme.agreed_in_id is not None,
            )
        )
    return found


def voters(project: models.Project) -> list[models.Member]:
    """The members a new round invites: those whose role may vote and who have an account."""
    return list(
        models.Member.objects.filter(
            project=project, role__in=PROJECT_RULES[ProjectAction.VOTE], user__isnull=False
        )
    )


@transaction.atomic
def open_round(user: Any, project: models.Project, introduction: str = "") -> models.DraftingRound:
    """Open the next round with the current wording; moves the project to the rounds stage
    when it is at an earlier one.

    Raises ``DomainError`` when a round is open already, there is no draft principle,
    nothing is left to vote on, or no panel member could be invited.
    """
    locked = models.Project.objects.select_for_update().get(pk=project.pk)
    rounds = models.DraftingRound.objects.filter(project=locked)
    if rounds.filter(status=Status.OPEN).exists():
        raise DomainError(
            "A round is open already: close it before opening the next one, so every "
            "round's results come from one wording."
        )
    if not models.DraftPrinciple.objects.filter(project=locked).exists():
        raise DomainError(
            "There is no draft principle to vote on yet: the research team drafts the "
            "principles first, on the principles page."
        )
    statements = _wording(locked)
    if not any(not statement.locked for statement in statements):
        raise DomainError(
            "Every principle, aspect and theme is agreed already: there is nothing left to "
            "vote on. The facilitator can publish the agreed text."
        )
    invited = voters(locked)
    if not any(member.role == models.Member.Role.PANEL for member in invited):
        raise DomainError(
            "No panel member can be invited to vote: a round needs the panel's ratings, not "
            "only the facilitator's. Invite panel members on the members page (each needs "
            "an account), then open the round."
        )
    previous_round = rounds.order_by("-number").first()
    number = (rounds.aggregate(top=Max("number"))["top"] or 0) + 1
    rule = rule_of(locked)
    opened = models.DraftingRound.objects.create(
        project=locked,
        number=number,
        rule=rule.to_dict(),
        introduction=introduction.strip(),
        opened_by=user,
    )
    earlier = {}
    if previous_round is not None:
        earlier = {target_key(s): s for s in previous_round.statements.all()}
    for position, statement in enumerate(statements, start=1):
        statement.round = opened
        statement.position = position
        statement.previous = earlier.get(target_key(statement))
    models.RoundStatement.objects.bulk_create(statements)
    opened.invited.set(invited)
    if _STAGE_ORDER.index(locked.stage) < _STAGE_ORDER.index(Stage.ROUNDS):
        locked.stage = Stage.ROUNDS
        locked.version += 1
        locked.save(update_fields=["stage", "version"])
    record(
        user,
        "create",
        opened,
        evaluation_id=None,
        summary=f"Opened drafting round {number} with {len(statements)} statements",
        after={"rule": rule.to_dict(), "invited": opened.invited.count()},
    )
    return opened


# --- ballots ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What a member gave for one statement: a rating (``None`` when they chose not to
    rate it) and a comment."""

    rating: int | None
    comment: str = ""


class RoundClosed(DomainError):
    """The round closed before the ballot was handed in."""


def _lock_round(drafting_round: models.DraftingRound) -> models.DraftingRound:
    return models.DraftingRound.objects.select_for_update().get(pk=drafting_round.pk)


def has_voted(drafting_round: models.DraftingRound, member: models.Member) -> bool:
    return models.Ballot.objects.filter(round=drafting_round, member=member).exists()


def submit_ballot(
    user: Any,
    member: models.Member,
    drafting_round: models.DraftingRound,
    entries: Mapping[int, Entry],
) -> models.Ballot:
    """Hand in ``member``'s ballot: ``entries`` by the key of each statement voted on.

    Every statement of the round that is not locked needs an entry (a rating or "rather
    not rate"). Raises ``RoundClosed`` when the round has closed, ``DomainError`` for a
    member not invited, a second ballot, a locked statement or one of another round, and
    ``InvalidInput`` (by statement) for a missing entry, a rating off the scale or a comment
    too long.
    """
    try:
        with transaction.atomic():
            return _submit(user, member, drafting_round, entries)
    except IntegrityError as error:
        # Two ballots handed in at once: the database's constraint refused the second.
        raise DomainError(_ALREADY) from error


_ALREADY = (
    "You have handed in your ballot for this round already, and a ballot is handed in once. "
    "Your votes are counted when the round closes."
)


def _submit(
    user: Any,
    member: models.Member,
    drafting_round: models.DraftingRound,
    entries: Mapping[int, Entry],
) -> models.Ballot:
    locked = _lock_round(drafting_round)
    if locked.status != Status.OPEN:
        raise RoundClosed(
            f"Round {locked.number} closed before your ballot arrived, so it could not be "
            "counted. What you entered is shown below so that nothing is lost: keep it for "
            "the next round, or send it to the facilitator."
        )
    if not locked.invited.filter(pk=member.pk).exists():
        raise DomainError(
            f"You are not among the members invited to vote in round {locked.number}; ask "
            "the facilitator if you think you should be."
        )
    if models.Ballot.objects.filter(round=locked, member=member).exists():
        raise DomainError(_ALREADY)
    statements = {s.pk: s for s in locked.statements.all()}
    strangers = [key for key in entries if key not in statements]
    if strangers:
        raise DomainError(
            "Your ballot names a statement that is not in this round; reload the ballot "
            "and vote on the statements it shows."
        )
    shut = [key for key in entries if statements[key].locked]
    if shut:
        raise DomainError(
            "Your ballot rates a statement agreed in an earlier round; agreed wording is "
            "locked and not voted on again. Reload the ballot and vote on the others."
        )
    rule = round_rule(locked)
    problems = {}
    for key, statement in statements.items():
        if statement.locked:
            continue
        entry = entries.get(key)
        if entry is None:
            problems[str(key)] = "Choose a rating, or that you'd rather not rate this."
            continue
        if entry.rating is not None:
            try:
                check_rating(entry.rating, rule)
            except ValueError as error:
                problems[str(key)] = str(error)
        if len(entry.comment) > MAX_COMMENT:
            problems[str(key)] = f"Keep the comment to {MAX_COMMENT} characters."
    if problems:
        raise InvalidInput(problems)
    ballot = models.Ballot.objects.create(round=locked, member=member)
    models.Vote.objects.bulk_create(
        models.Vote(
            ballot=ballot,
            statement_id=key,
            rating=entry.rating,
            comment=entry.comment.strip(),
        )
        for key, entry in entries.items()
    )
    record(
        user,
        "create",
        ballot,
        evaluation_id=None,
        summary=f"Handed in a ballot in drafting round {locked.number}",
    )
    return ballot


# --- closing ----------------------------------------------------------------------------------


def votes_of(drafting_round: models.DraftingRound) -> list[Vote]:
    """A round's votes as the core reads them: (statement's target key, member's code,
    rating)."""
    rows = models.Vote.objects.filter(ballot__round=drafting_round).select_related(
        "statement", "ballot__member"
    )
    return [(target_key(v.statement), v.ballot.member.code, v.rating) for v in rows]


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def results_of(
    drafting_round: models.DraftingRound, statements: list[models.RoundStatement]
) -> RoundResults:
    """The core's results of a round's ``statements`` (those voted on, not the locked ones)
    from its votes, with stability since the round before it."""
    previous = (
        models.DraftingRound.objects.filter(
            project_id=drafting_round.project_id, number__lt=drafting_round.number
        )
        .order_by("-number")
        .first()
    )
    groups = dict(
        models.Member.objects.filter(project_id=drafting_round.project_id).values_list(
            "code", "group"
        )
    )
    return round_results(
        [target_key(s) for s in statements],
        votes_of(drafting_round),
        groups,
        round_rule(drafting_round),
        votes_of(previous) if previous is not None else None,
    )


def close_round(user: Any, drafting_round: models.DraftingRound) -> models.DraftingRound:
    """Close an open round: work out every statement's result with the core, keep it, and
    lock the wording agreed. Raises ``DomainError`` when the round is closed already."""
    with transaction.atomic():
        locked = _lock_round(drafting_round)
        if locked.status != Status.OPEN:
            raise DomainError(f"Round {locked.number} is closed already; its results stand.")
        statements = [s for s in locked.statements.all() if not s.locked]
        results = results_of(locked, statements)
        found = {item.statement: item for item in results.statements}
        agreed = 0
        for statement in statements:
            item = found[target_key(statement)]
            statement.result = _jsonable(item)
            statement.agreed = item.result.agreed
            statement.save(update_fields=["result", "agreed"])
            if item.result.agreed:
                agreed += 1
                _lock_wording(statement, locked)
        models.DraftingRound.objects.filter(pk=locked.pk).update(
            status=Status.CLOSED,
            closed_at=timezone.now(),
            closed_by=user,
            version=F("version") + 1,
        )
        locked.refresh_from_db()
        record(
            user,
            "change",
            locked,
            evaluation_id=None,
            summary=(
                f"Closed drafting round {locked.number}: {agreed} of {len(statements)} "
                "statements agreed"
            ),
            after={"ballots": locked.ballots.count(), "agreed": agreed},
        )
        return locked


def _lock_wording(statement: models.RoundStatement, drafting_round: models.DraftingRound) -> None:
    """Mark the principle, aspect or theme agreed in this round (its wording is locked)."""
    target: Any = {
        Kind.PRINCIPLE: models.DraftPrinciple,
        Kind.ASPECT: models.DraftAspect,
        Kind.THEME: models.DraftTheme,
    }[Kind(statement.kind)]
    key = {
        Kind.PRINCIPLE: statement.principle_id,
        Kind.ASPECT: statement.aspect_id,
        Kind.THEME: statement.theme_id,
    }[Kind(statement.kind)]
    target.objects.filter(pk=key, agreed_in__isnull=True).update(
        agreed_in=drafting_round, version=F("version") + 1
    )


# --- what we changed and why ------------------------------------------------------------------


class StaleNote(StaleEdit):
    """Someone else saved an answer meanwhile: ``theirs`` is what they wrote."""

    def __init__(self, theirs: str) -> None:
        self.theirs = theirs
        super().__init__("answer")


@transaction.atomic
def save_change_note(
    user: Any, statement: models.RoundStatement, text: str, *, version: int
) -> models.ChangeNote:
    """Write or change the answer to a statement not agreed in a closed round.

    ``version`` is 0 for a new answer. Raises ``DomainError`` for an open round or an agreed
    statement, ``InvalidInput`` for an empty answer, and :class:`StaleNote` when someone
    else saved an answer after the form was drawn.
    """
    drafting_round = _lock_round(statement.round)
    if drafting_round.status != Status.CLOSED:
        raise DomainError("Answers are written once the round has closed and its results are in.")
    if statement.locked or statement.agreed:
        raise DomainError("This statement was agreed; there is nothing to answer.")
    text = text.strip()
    if not text:
        raise InvalidInput({"text": "Say what the research team changed, and why."})
    note = models.ChangeNote.objects.select_for_update().filter(statement=statement).first()
    if note is None:
        if version != 0:
            raise StaleNote("")
        note = models.ChangeNote.objects.create(statement=statement, text=text, written_by=user)
        record(user, "create", note, evaluation_id=None, summary="Answered a round's comments")
        return note
    if note.version != version:
        raise StaleNote(note.text)
    before = note.text
    note.text, note.written_by, note.version = text, user, note.version + 1
    note.save()
    record(
        user,
        "change",
        note,
        evaluation_id=None,
        summary="Changed an answer to a round's comments",
        before={"text": before},
        after={"text": text},
    )
    return note
