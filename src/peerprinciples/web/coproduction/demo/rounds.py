"""Synthetic drafting rounds for a demo project.

Two rounds with the ten panel members (P01 to P10) voting: in round 1 most statements are
agreed and a few are not, with comments; the research team rewords those and answers the
comments (:data:`REVISIONS` gives each such statement its own comments, new wording and
answer); in round 2 everything left is agreed. One member stops taking part after round
1, and one member (P01, the ``demo-panel-member`` account) moves their rating after seeing
the group's. Every rating and comment is made up, the ratings drawn from the random
generator given. It runs after the draft principles are seeded (by the drafting part of
the demo).

Panel members without an account took part on paper in this made-up story: the demo
invites them to the rounds as the facilitator would after typing their ballots up.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Revision:
    """How the demo's story treats one statement not agreed in round 1: what the panel said
    of it, the wording the research team put to round 2, and their answer, which speaks to
    those comments. All made up."""

    comments: tuple[str, ...]
    reworded: str
    answer: str


REVISIONS = {
    "Telling one's story is done for the other person's sake.": Revision(
        (
            "Sometimes telling my story helps me too. Is that wrong?",
            "For whose sake is decided by whom? This reads like a rule imposed from above.",
            "I'd rather it said a story is shared when it might help, not as a duty.",
        ),
        "Workers share their own story when it may help the person they support.",
        "Synthetic demo answer: several of you read “for the other person's sake” as a rule "
        "against workers ever gaining from telling their story, or as a duty to tell it. "
        "The new wording says only when a story is shared: when it may help the person.",
    ),
    "Workers say plainly what they can and cannot do.": Revision(
        (
            "Plainly, yes, but early too: people find out the limits far too late.",
            "It's often the service that can't do something, not the worker.",
            "Add that they say why, so a 'no' does not feel like being turned away.",
        ),
        "Workers say early and plainly what they and the service can and cannot do, and why.",
        "Synthetic demo answer: you asked for limits to be said early, to cover what the "
        "service cannot do as well as the worker, and to come with a reason. The new "
        "wording says all three.",
    ),
    (
        "Peer support happens where people already are: the hub's café, the market and the "
        "park, as well as in rooms."
    ): Revision(
        (
            "Not everyone wants to be seen with a worker at the market.",
            "The park is fine in summer; what about winter?",
            "Make it clear the person picks the place, not the worker.",
        ),
        "Peer support can happen where people already are, if they choose: the hub's café, "
        "the market and the park, as well as in rooms.",
        "Synthetic demo answer: you told us that being seen with a worker in public is not "
        "for everyone and that the place must be the person's choice. The wording now says "
        "meeting outside happens only if the person chooses; a room stays on offer all year.",
    ),
    "Peer workers offer to meet where the person feels at home.": Revision(
        (
            "Some people don't feel at home anywhere yet. What then?",
            "Does 'at home' mean in my house? That would worry me.",
        ),
        "Peer workers offer to meet where the person feels at ease, and a quiet room at the "
        "hub is always one of the choices.",
        "Synthetic demo answer: “at home” read to some of you as meeting in your house, and "
        "others said they feel at home nowhere yet. We now say “at ease”, and a quiet room "
        "at the hub is always offered.",
    ),
}
"""The demo's made-up revisions, by the wording of the statement they change."""

GENERIC = Revision(
    (
        "What would this look like on an ordinary day?",
        "Could it be said in fewer words?",
        "I am not sure who this is asking to do something.",
    ),
    "",
    "Synthetic demo answer: you asked for an everyday picture, fewer words and a clearer "
    "say of who acts; the demo marks this wording as revised so that it can show round 2.",
)
"""For drafts the demo does not know: comments that fit any statement, and an answer that
replies to them (the wording is only marked as revised)."""


def revision_of(text: str) -> Revision:
    """The demo's revision of a statement worded ``text`` (a marked, generic one for
    wording the demo does not know)."""
    return REVISIONS.get(text) or Revision(
        GENERIC.comments, f"{text} (Synthetic demo: revised after round 1.)", GENERIC.answer
    )


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
    known = [s for s in statements if s.text in REVISIONS]
    chosen = (known + [s for s in statements[1::2] if s not in known])[:NOT_AGREED_FIRST]
    doubtful = {s.pk: revision_of(s.text) for s in chosen}
    for index, member in enumerate(panel):
        ratings: dict[int, int | None] = {}
        comments = {}
        for s in statements:
            if s.pk in doubtful:
                ratings[s.pk] = rng.choice((3, 4, 5, 6, 7, 8))
                said = doubtful[s.pk].comments
                if index < len(said):
                    comments[s.pk] = said[index]
            else:
                ratings[s.pk] = _agreeing(rng)
        if member.code == CHANGES_MIND:
            ratings.update(dict.fromkeys(doubtful, 4))
        _hand_in(first, member, ratings, comments)
    services.close_round(closer, first)
    research = Member.objects.filter(project=project, role=Member.Role.RESEARCH).first()
    writer = (research.user if research else None) or closer
    for s in RoundStatement.objects.filter(round=first, agreed=False, locked=False):
        revision = revision_of(s.text)
        _reword(s, revision.reworded)
        services.save_change_note(writer, s, revision.answer, version=0)
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


def _reword(statement: RoundStatement, reworded: str) -> None:
    """Put the demo's new wording on the principle, aspect or theme behind a statement."""
    if statement.aspect is not None and statement.kind == RoundStatement.Kind.ASPECT:
        statement.aspect.text = reworded
        statement.aspect.version += 1
        statement.aspect.save(update_fields=["text", "version"])
    elif statement.theme is not None:
        statement.theme.description = reworded
        statement.theme.version += 1
        statement.theme.save(update_fields=["description", "version"])
    elif statement.principle is not None:
        statement.principle.definition = reworded
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
    said = {s.pk: revision_of(s.text).comments for s in statements if s.pk in local}
    for index, member in enumerate(panel):
        ratings: dict[int, int | None] = {
            s.pk: rng.choice((4, 5, 6, 8)) if s.pk in local else _agreeing(rng) for s in statements
        }
        comments = {pk: given[index] for pk, given in said.items() if index < len(given)}
        _hand_in(first, member, ratings, comments)
    closer = _facilitator(project).user or project.created_by
    services.close_round(closer, first)
    research = Member.objects.filter(project=project, role=Member.Role.RESEARCH).first()
    writer = (research.user if research else None) or closer
    for s in RoundStatement.objects.filter(round=first, agreed=False, locked=False):
        revision = revision_of(s.text)
        _reword(s, revision.reworded)
        services.save_change_note(writer, s, revision.answer, version=0)
    second = _open(project, "Synthetic demo: the reworded local principle.", panel)
    for member in panel:
        if member.user_id is None:
            _hand_in(
                second,
                member,
                {s.pk: _agreeing(rng) for s in second.statements.filter(locked=False)},
            )
