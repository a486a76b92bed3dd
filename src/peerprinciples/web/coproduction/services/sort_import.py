"""Storing a card sort read from elsewhere (RCMap's files, another study) in a project.

The sort arrives as the core's plain data, :class:`~peerprinciples.core.coproduction.
cardsort.CardSort`. Its statements are matched to the project's cards by number (the
statement key ``"12"`` is card 12); each sorter becomes a member of the project, by code,
created when the project has nobody with that code; each sort is stored as that member's
own sort, finished. Everything is checked first and every problem reported at once as
:class:`~peerprinciples.core.coproduction.problems.ImportProblems`: nothing is stored unless
all of it can be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from peerprinciples.core.coproduction.cardsort import CardSort, Sort
from peerprinciples.core.coproduction.problems import ImportProblems, Problem
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    Card,
    IndividualSort,
    Member,
    Pile,
    Placement,
    Project,
)
from peerprinciples.web.coproduction.services.sorting import GROUP_QUESTION, LABEL_LENGTH

CODE_LENGTH = Member._meta.get_field("code").max_length or 40
NUMBER = re.compile(r"[1-9][0-9]*")


@dataclass
class StoredSorts:
    """What :func:`store_card_sort` stored."""

    sorts: int = 0
    piles: int = 0
    placements: int = 0
    members_created: list[str] = field(default_factory=list)
    cards_created: list[int] = field(default_factory=list)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _statement_problems(
    project: Project, data: CardSort, add_missing_cards: bool
) -> Iterator[Problem]:
    cards = {c.number: c for c in Card.objects.filter(project=project)}
    for key, text in data.statements.items():
        where = f"statement {key!r}"
        if not NUMBER.fullmatch(key):
            yield Problem(
                where,
                "is not a card number.",
                "Number the statements 1, 2, 3 and so on, as the project's cards are numbered.",
            )
            continue
        card = cards.get(int(key))
        if card is None:
            if not add_missing_cards:
                yield Problem(
                    where,
                    f"matches no card: the project has no card {key}.",
                    "Add the cards first, or import the statements together with the sorts.",
                )
            elif not text.strip():
                yield Problem(where, "has no text.", "Give every statement its text.")
        elif card.merged_into_id is not None:
            yield Problem(
                where,
                f"is card {key}, which was merged into another card as a duplicate.",
                "Leave the duplicate out of the import, or number the statements afresh.",
            )
        elif not _same_text(card.text, text):
            yield Problem(
                where,
                f"says something other than card {key} of the project.",
                "Import into the project whose cards these are, or renumber the statements "
                "to match its cards.",
            )


def _sort_problems(sort: Sort, data: CardSort, taken: set[str]) -> Iterator[Problem]:
    where = f"sorter {sort.sorter!r}"
    if not sort.sorter.strip():
        yield Problem("a sorter", "has no code.", "Give every sorter a pseudonymous code.")
    elif len(sort.sorter.strip()) > CODE_LENGTH:
        yield Problem(
            where, "has a code that is too long.", f"Use at most {CODE_LENGTH} characters."
        )
    elif sort.sorter.strip() in taken:
        yield Problem(
            where,
            "already has a sort in this project (or twice in the import).",
            "Leave that sort out of the import, or import it under another code.",
        )
    seen: dict[str, str] = {}
    for number, pile in enumerate(sort.piles, start=1):
        here = f"{where}, pile {number} ({pile.label!r})"
        if len(pile.label.strip()) > LABEL_LENGTH:
            yield Problem(
                here, "has a label that is too long.", f"Use at most {LABEL_LENGTH} characters."
            )
        for card in pile.cards:
            if card not in data.statements:
                yield Problem(
                    here,
                    f"holds statement {card!r}, which is not among the statements.",
                    "Add the statement, or take it out of the pile.",
                )
            elif card in seen:
                yield Problem(
                    here,
                    f"holds statement {card!r}, which the sorter also put in {seen[card]}.",
                    "Put each statement in at most one pile of a sorter.",
                )
            else:
                seen[card] = f"pile {number}"


def _problems(project: Project, data: CardSort, add_missing_cards: bool) -> list[Problem]:
    found = list(_statement_problems(project, data, add_missing_cards))
    taken = set(
        IndividualSort.objects.filter(project=project).values_list("member__code", flat=True)
    )
    for sort in data.sorts:
        found.extend(_sort_problems(sort, data, taken))
        taken.add(sort.sorter.strip())
    return found


def _member(user: Any, project: Project, code: str, data: CardSort, stored: StoredSorts) -> Member:
    """The member with this code, created (a panel member without an account) if missing;
    their group and answers are filled in where the project had none."""
    answers = dict(data.groups.get(code, {}))
    group = answers.pop(GROUP_QUESTION, "")
    member = Member.objects.filter(project=project, code=code).first()
    if member is None:
        member = Member.objects.create(
            project=project, code=code, role=Member.Role.PANEL, group=group, details=answers
        )
        stored.members_created.append(code)
        record(user, "create", member, evaluation_id=None, summary=f"Imported member {code}")
    elif (group and not member.group) or (answers and not member.details):
        member.group = member.group or group
        member.details = member.details or answers
        member.version += 1
        member.save(update_fields=["group", "details", "version"])
    return member


@transaction.atomic
def store_card_sort(
    user: Any, project: Project, data: CardSort, *, add_missing_cards: bool = False
) -> StoredSorts:
    """Store every sort of ``data`` as a finished sort of the project, or nothing at all.

    ``add_missing_cards`` creates a card for each statement the project has no card for
    (otherwise such a statement is a problem). A pile with no label is called "Pile" and
    its number. Raises :class:`ImportProblems` listing every problem found.
    """
    problems = _problems(project, data, add_missing_cards)
    if problems:
        raise ImportProblems(problems)
    stored = StoredSorts()
    cards = {str(c.number): c for c in Card.objects.filter(project=project)}
    for key, text in data.statements.items():
        if key not in cards:
            cards[key] = Card.objects.create(
                project=project, number=int(key), text=text.strip(), entered_by=user
            )
            stored.cards_created.append(int(key))
            record(user, "create", cards[key], evaluation_id=None, summary=f"Imported card {key}")
    for sort in data.sorts:
        code = sort.sorter.strip()
        member = _member(user, project, code, data, stored)
        individual = IndividualSort.objects.create(
            project=project, member=member, status=IndividualSort.Status.DONE
        )
        placements = []
        for number, pile in enumerate(sort.piles, start=1):
            stored_pile = Pile.objects.create(
                sort=individual, label=pile.label.strip() or f"Pile {number}", position=number
            )
            placements.extend(
                Placement(pile=stored_pile, sort=individual, card=cards[key]) for key in pile.cards
            )
        Placement.objects.bulk_create(placements)
        stored.sorts += 1
        stored.piles += len(sort.piles)
        stored.placements += len(placements)
        record(
            user,
            "create",
            individual,
            evaluation_id=None,
            summary=f"Imported the sort of {code}: {len(sort.piles)} piles",
        )
    return stored
