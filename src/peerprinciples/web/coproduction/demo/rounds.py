"""Synthetic drafting rounds for a demo project.

Two rounds with the ten panel members (P01 to P10) voting: in round 1 most statements are
agreed and a few are not, with comments; the research team rewords those and answers the
comments; in round 2 everything left is agreed. One member stops taking part after round
1, and one member (P01, the ``demo-panel-member`` account) moves their rating after seeing
the group's. Every rating and comment is made up and drawn from the random generator
given. It runs after the draft principles are seeded (by the drafting part of the demo).

Panel members without an account took part on paper in this made-up story: the demo
invites them to the rounds as the facilitator would after typing their ballots up.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.db import transaction

from peerprinciples.web.coproduction.models import (
    Ballot,
    DraftingRound,
    DraftPrinciple,
    Member,
    Project,
    RoundStatement,
    Vote,
)
from peerprinciples.web.coproduction.services import rounds as services

NOT_AGREED_FIRST = 2
"""How many statements round 1 leaves not agreed."""
STOPPED = "P10"
"""The member who stops taking part after round 1."""
CHANGES_MIND = "P01"
"""The member who moves their rating after seeing the group's."""
COMMENTS = (
    "Say what this looks like on a busy ward.",
    "The wording feels like it was written for staff, not for us.",
    "Could this say something about people who don't want to talk?",
    "Too long: I lost the point halfway through.",
)
REWORDED = " (in the person's own time and on their terms)"


def _panel(project: Project) -> list[Member]:
    return list(Member.objects.filter(project=project, role=Member.Role.PANEL).order_by("code"))


def _facilitator(project: Project) -> Member:
    return Member.objects.filter(project=project, role=Member.Role.FACILITATOR).order_by("code")[0]


def _open(project: Project, introduction: str, members: Sequence[Member]) -> DraftingRound:
    opener = _facilitator(project).user or project.created_by
    opened = services.open_round(opener, project, introduction)
    opened.invited.add(*members)
    return opened


def _hand_in(
    drafting_round: DraftingRound,
    member: Member,
    ratings: dict[int, int | None],
    comments: dict[int, str] | None = None,
) -> None:
    ballot = Ballot.objects.create(round=drafting_round, member=member)
    Vote.objects.bulk_create(
        Vote(ballot=ballot, statement_id=key, rating=rating, comment=(comments or {}).get(key, ""))
        for key, rating in ratings.items()
    )


def _agreeing(rng: random.Random) -> int:
    return rng.choice((7, 8, 8, 9, 9))


@transaction.atomic
def run_demo_rounds(project: Project, rng: random.Random) -> None:
    """Two closed rounds on the project's draft principles (nothing happens when the
    project has no draft principle, or has rounds already)."""
    if DraftingRound.objects.filter(project=project).exists():
        return
    if not DraftPrinciple.objects.filter(project=project).exists():
        return
    panel = _panel(project)
    closer = _facilitator(project).user or project.created_by
    first = _open(
        project,
        "Synthetic demo. Please rate how far you agree with each statement as it is worded now.",
        panel,
    )
    statements = list(first.statements.filter(locked=False))
    doubtful = {s.pk for s in statements[1 : 1 + NOT_AGREED_FIRST * 2 : 2]}
    for member in panel:
        ratings: dict[int, int | None] = {}
        comments = {}
        for s in statements:
            if s.pk in doubtful:
                ratings[s.pk] = rng.choice((3, 4, 5, 6, 7, 8))
                if rng.random() < 0.5:
                    comments[s.pk] = rng.choice(COMMENTS)
            else:
                ratings[s.pk] = _agreeing(rng)
        if member.code == CHANGES_MIND:
            ratings.update(dict.fromkeys(doubtful, 4))
        _hand_in(first, member, ratings, comments)
    services.close_round(closer, first)
    research = Member.objects.filter(project=project, role=Member.Role.RESEARCH).first()
    writer = (research.user if research else None) or closer
    for s in RoundStatement.objects.filter(round=first, agreed=False, locked=False):
        _reword(s)
        services.save_change_note(
            writer,
            s,
            "Synthetic demo answer: several of you asked for the person's own pace to be "
            "said plainly, so we added it.",
            version=0,
        )
    second = _open(project, "Synthetic demo. We reworded what was not agreed.", panel)
    for member in panel:
        if member.code == STOPPED:
            continue
        ratings = {s.pk: _agreeing(rng) for s in second.statements.filter(locked=False)}
        if member.code == CHANGES_MIND:
            # Having seen the group's ratings and the answer, P01 now agrees.
            ratings = dict.fromkeys(ratings, 8)
        _hand_in(second, member, ratings)
    services.close_round(closer, second)


def _reword(statement: RoundStatement) -> None:
    """Add the demo's rewording to the principle, aspect or theme behind a statement."""
    if statement.aspect is not None and statement.kind == RoundStatement.Kind.ASPECT:
        statement.aspect.text += REWORDED
        statement.aspect.version += 1
        statement.aspect.save(update_fields=["text", "version"])
    elif statement.theme is not None:
        statement.theme.description += REWORDED
        statement.theme.version += 1
        statement.theme.save(update_fields=["description", "version"])
    elif statement.principle is not None:
        statement.principle.definition += REWORDED
        statement.principle.version += 1
        statement.principle.save(update_fields=["definition", "version"])


@transaction.atomic
def open_demo_round(project: Project, rng: random.Random, votes: int = 3) -> DraftingRound | None:
    """Open a round on the project's drafts and let the first ``votes`` panel members vote
    (for a demo with a round still open); ``None`` when there is nothing to vote on or a
    round is open already."""
    if DraftingRound.objects.filter(project=project, status=DraftingRound.Status.OPEN).exists():
        return None
    panel = _panel(project)
    try:
        opened = _open(project, "Synthetic demo: a round still open for votes.", panel)
    except services.DomainError:
        return None
    statements = list(opened.statements.filter(locked=False))
    for member in panel[:votes]:
        _hand_in(opened, member, {s.pk: _agreeing(rng) for s in statements})
    return opened


ADAPTATION_PANEL = {
    "P02": "peer worker",
    "P03": "person supported",
    "P04": "peer worker",
    "P05": "person supported",
    "P06": "hub volunteer",
}
"""Panel members of the adaptation demo who took part on paper, with their groups."""


@transaction.atomic
def seed_adaptation_rounds(project: Project, rng: random.Random) -> None:
    """A finished round and an open one in the adaptation demo project: round 1 agrees
    ENRICH's wording as the hub reworded it but not the new local principle, which is
    reworded with an answer to the comments; round 2 is open, and everyone but P01 (the
    ``demo-panel-member`` account) has voted, so that account can try voting. Nothing
    happens when the project has rounds already."""
    if DraftingRound.objects.filter(project=project).exists():
        return
    for code, group in ADAPTATION_PANEL.items():
        Member.objects.get_or_create(
            project=project, code=code, defaults={"role": Member.Role.PANEL, "group": group}
        )
    panel = _panel(project)
    first = _open(project, "Synthetic demo. How far do you agree with the hub's wording?", panel)
    statements = list(first.statements.filter(locked=False))
    local = {s.pk for s in statements if s.principle_id and s.principle.scope == "local"}
    local |= {s.pk for s in statements if s.aspect_id and s.aspect.principle.scope == "local"}
    for member in panel:
        ratings: dict[int, int | None] = {
            s.pk: rng.choice((4, 5, 6, 8)) if s.pk in local else _agreeing(rng) for s in statements
        }
        comments = {pk: rng.choice(COMMENTS) for pk in local if rng.random() < 0.5}
        _hand_in(first, member, ratings, comments)
    closer = _facilitator(project).user or project.created_by
    services.close_round(closer, first)
    research = Member.objects.filter(project=project, role=Member.Role.RESEARCH).first()
    writer = (research.user if research else None) or closer
    for s in RoundStatement.objects.filter(round=first, agreed=False, locked=False):
        _reword(s)
        services.save_change_note(
            writer,
            s,
            "Synthetic demo answer: you asked us to say that meeting outside is the person's "
            "choice, so we added it.",
            version=0,
        )
    second = _open(project, "Synthetic demo: the reworded local principle.", panel)
    for member in panel:
        if member.user_id is None:
            _hand_in(
                second,
                member,
                {s.pk: _agreeing(rng) for s in second.statements.filter(locked=False)},
            )
