"""Sorting the cards: the group sort a facilitator records at a meeting, and each member's
own sort online.

Both kinds of sort are a set of named piles and the cards placed in them (a card in no pile
is unsorted), so one set of actions serves both: :func:`add_pile`, :func:`change_pile`,
:func:`remove_pile` and :func:`place_cards` take the sort they change, a
:class:`~peerprinciples.web.coproduction.models.GroupSort` or an
:class:`~peerprinciples.web.coproduction.models.IndividualSort`. Each runs in one
transaction with the sort's row locked, refuses an ``expected_version`` that is no longer
the sort's (someone changed it meanwhile) and moves the version on, so two people moving
cards in the same sort never overwrite each other unseen. A member's own sort changes only
while the project is at the sorting stage; a facilitator may record a group sort at any
stage.

The finished sorts become the plain data the concept map is drawn from
(:func:`card_sort`); :mod:`.sort_import` stores such data read from elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet

from peerprinciples.core.coproduction import cardsort
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    Card,
    GroupSort,
    IndividualSort,
    Member,
    Pile,
    Placement,
    Project,
)
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit

SortOwner = GroupSort | IndividualSort
"""A sort that has piles: one agreed at a meeting, or one member's own."""

UNSORTED = "unsorted"
"""What a move form sends for a card taken out of every pile."""

LABEL_LENGTH = Pile._meta.get_field("label").max_length or 200


def live_cards(project: Project) -> QuerySet[Card]:
    """The project's cards that are sorted: every card not merged into another, by number."""
    return Card.objects.filter(project=project, merged_into__isnull=True).order_by("number")


# --- what a sort looks like --------------------------------------------------------------


@dataclass(frozen=True)
class PileOfCards:
    """One pile of a sort, with its cards in number order."""

    pile: Pile
    cards: list[Card]


@dataclass(frozen=True)
class Board:
    """A sort as it stands: its piles (in their order) and the cards in none of them."""

    piles: list[PileOfCards]
    unsorted: list[Card]
    version: int

    @property
    def sorted_count(self) -> int:
        """How many cards are in some pile."""
        return sum(len(entry.cards) for entry in self.piles)

    @property
    def card_count(self) -> int:
        """How many cards there are to sort."""
        return self.sorted_count + len(self.unsorted)


def _scope(owner: SortOwner) -> dict[str, Any]:
    """The filter that finds a sort's piles and placements."""
    return {"group_sort": owner} if isinstance(owner, GroupSort) else {"sort": owner}


def board(owner: SortOwner) -> Board:
    """The sort's piles and unsorted cards, in three queries. A sort not yet saved (a member
    who has not started) has no piles and every card unsorted."""
    cards = list(live_cards(owner.project))
    if owner.pk is None:
        return Board([], cards, owner.version)
    piles = list(Pile.objects.filter(**_scope(owner)).order_by("position", "pk"))
    where = dict(Placement.objects.filter(**_scope(owner)).values_list("card_id", "pile_id"))
    by_pile: dict[int, list[Card]] = {pile.pk: [] for pile in piles}
    unsorted = []
    for card in cards:
        pile_id = where.get(card.pk)
        if pile_id in by_pile:
            by_pile[pile_id].append(card)
        else:
            unsorted.append(card)
    return Board([PileOfCards(p, by_pile[p.pk]) for p in piles], unsorted, owner.version)


# --- changing a sort ---------------------------------------------------------------------


def _what(owner: SortOwner) -> str:
    return "group sort" if isinstance(owner, GroupSort) else "sort"


def _check_stage(owner: SortOwner) -> None:
    """A member's own sort changes only at the sorting stage (read afresh, not from a page)."""
    if isinstance(owner, GroupSort):
        return
    stage = Project.objects.values_list("stage", flat=True).get(pk=owner.project_id)
    if stage != Project.Stage.SORTING:
        now = Project.Stage(stage).label
        raise DomainError(
            f"Sorting online is open only while the project is at the stage “Sorting the "
            f"cards”; it is now at “{now}”, so your sort was not changed. The facilitator "
            "moves the project from one stage to the next."
        )


def _lock(owner: SortOwner, expected_version: int) -> None:
    """Lock the sort's row until the transaction ends, refusing a stale version."""
    _check_stage(owner)
    model = type(owner)
    current = model.objects.select_for_update().values_list("version", flat=True).get(pk=owner.pk)
    if current != expected_version:
        raise StaleEdit(_what(owner))


def _move_on(owner: SortOwner, *changed: str) -> None:
    """Save the sort with its next version (and, for a member's sort, the time of the
    change), with the fields named in ``changed``."""
    owner.version += 1
    fields = ["version", *changed]
    if isinstance(owner, IndividualSort):
        fields.append("updated_at")
    owner.save(update_fields=fields)


def _label_and_notes(
    owner: SortOwner, label: str, notes: str, *, keep: int | None = None
) -> tuple[str, str]:
    """The pile's label and notes, stripped; every problem at once as :class:`InvalidInput`."""
    label, notes = label.strip(), notes.strip()
    problems: dict[str, str] = {}
    if not label:
        problems["label"] = "Give the pile a label: a few words saying what its cards share."
    elif len(label) > LABEL_LENGTH:
        problems["label"] = f"Keep the label to {LABEL_LENGTH} characters or fewer."
    else:
        others = Pile.objects.filter(**_scope(owner)).exclude(pk=keep)
        if any(p.casefold() == label.casefold() for p in others.values_list("label", flat=True)):
            problems["label"] = (
                f"This sort already has a pile labelled “{label}”. Choose another label, or "
                "put the cards into that pile."
            )
    if problems:
        raise InvalidInput(problems)
    return label, notes


def _summary(owner: SortOwner, what: str) -> str:
    if isinstance(owner, GroupSort):
        return f"{what} in group sort {owner.pk}"
    return f"{what} in the sort of {owner.member.code}"


@transaction.atomic
def add_pile(
    user: Any, owner: SortOwner, *, label: str, notes: str = "", expected_version: int
) -> Pile:
    """Add a pile at the end of the sort's piles."""
    _lock(owner, expected_version)
    label, notes = _label_and_notes(owner, label, notes)
    last = Pile.objects.filter(**_scope(owner)).aggregate(last=Max("position"))["last"]
    pile = Pile.objects.create(label=label, notes=notes, position=(last or 0) + 1, **_scope(owner))
    _move_on(owner)
    record(user, "create", pile, evaluation_id=None, summary=_summary(owner, "Added a pile"))
    return pile


def _pile_of(owner: SortOwner, pile_id: int) -> Pile:
    pile = Pile.objects.filter(pk=pile_id, **_scope(owner)).first()
    if pile is None:
        raise DomainError(
            f"This {_what(owner)} has no pile {pile_id} any more: someone may have removed "
            "it. Reload the page to see the piles as they are now."
        )
    return pile


@transaction.atomic
def change_pile(
    user: Any, owner: SortOwner, pile_id: int, *, label: str, notes: str, expected_version: int
) -> Pile:
    """Rename a pile, or change its notes."""
    _lock(owner, expected_version)
    pile = _pile_of(owner, pile_id)
    before = {"label": pile.label, "notes": pile.notes}
    pile.label, pile.notes = _label_and_notes(owner, label, notes, keep=pile.pk)
    pile.save(update_fields=["label", "notes"])
    _move_on(owner)
    record(
        user,
        "change",
        pile,
        evaluation_id=None,
        summary=_summary(owner, f"Changed pile {pile.pk}"),
        before=before,
    )
    return pile


@transaction.atomic
def remove_pile(user: Any, owner: SortOwner, pile_id: int, *, expected_version: int) -> int:
    """Remove a pile; its cards go back among the unsorted. Returns how many went back."""
    _lock(owner, expected_version)
    pile = _pile_of(owner, pile_id)
    cards = list(pile.placements.values_list("card__number", flat=True))
    before = {"label": pile.label, "notes": pile.notes, "cards": sorted(cards)}
    record(
        user,
        "delete",
        pile,
        evaluation_id=None,
        summary=_summary(owner, f"Removed pile {pile.pk} ({len(cards)} cards unsorted)"),
        before=before,
    )
    pile.delete()
    _move_on(owner)
    return len(cards)


@dataclass(frozen=True)
class Move:
    """One card moved: where it is now (``pile`` is ``None`` for unsorted)."""

    card: Card
    pile: Pile | None


@dataclass(frozen=True)
class Placed:
    """What :func:`place_cards` did: the cards that moved, and the sort's new version."""

    moves: list[Move]
    version: int


def _checked_moves(
    owner: SortOwner, moves: Mapping[int, int | None]
) -> tuple[dict[int, Card], dict[int, Pile]]:
    """The cards and piles the moves name, refusing every one that is not in this sort."""
    cards = {c.pk: c for c in live_cards(owner.project).filter(pk__in=list(moves))}
    piles = {p.pk: p for p in Pile.objects.filter(**_scope(owner))}
    problems: dict[str, str] = {}
    for card_id, pile_id in moves.items():
        if card_id not in cards:
            problems[f"card-{card_id}"] = (
                f"There is no card {card_id} to sort in this project: it may have been merged "
                "into another card. Reload the page to see the cards as they are now."
            )
        elif pile_id is not None and pile_id not in piles:
            problems[f"card-{card_id}"] = (
                f"Card {cards[card_id].number} cannot go into pile {pile_id}: this "
                f"{_what(owner)} has no such pile. Choose one of its piles, or leave the card "
                "unsorted."
            )
    if problems:
        raise InvalidInput(problems)
    return cards, piles


@transaction.atomic
def place_cards(
    user: Any, owner: SortOwner, moves: Mapping[int, int | None], *, expected_version: int
) -> Placed:
    """Move cards (by id) into piles (by id), or out of every pile (``None``): all the moves
    or none. A card already where it is asked to go is left alone; when nothing moves, the
    version stays as it was."""
    _lock(owner, expected_version)
    cards, piles = _checked_moves(owner, moves)
    scope = _scope(owner)
    where = dict(
        Placement.objects.filter(card_id__in=list(cards), **scope).values_list("card_id", "pile_id")
    )
    changed = {c: p for c, p in moves.items() if where.get(c) != p}
    if not changed:
        return Placed([], owner.version)
    Placement.objects.filter(card_id__in=list(changed), **scope).delete()
    Placement.objects.bulk_create(
        Placement(card_id=card_id, pile_id=pile_id, **scope)
        for card_id, pile_id in changed.items()
        if pile_id is not None
    )
    _move_on(owner)
    numbers = {cards[c].number: p for c, p in changed.items()}
    record(
        user,
        "change",
        owner,
        evaluation_id=None,
        summary=_summary(owner, f"Moved {len(changed)} card{'s' if len(changed) != 1 else ''}"),
        before={"piles": {str(cards[c].number): where.get(c) for c in changed}},
        after={"piles": {str(n): p for n, p in sorted(numbers.items())}},
    )
    ordered = sorted(changed.items(), key=lambda item: cards[item[0]].number)
    return Placed(
        [Move(cards[c], None if p is None else piles[p]) for c, p in ordered], owner.version
    )


# --- group sorts -------------------------------------------------------------------------


@transaction.atomic
def create_group_sort(
    user: Any, project: Project, *, title: str, held_on: dt.date | None, notes: str = ""
) -> GroupSort:
    """Start recording the piles a panel agrees at a meeting."""
    title = title.strip()
    if not title:
        raise InvalidInput({"title": "Give the group sort a title, for example the meeting’s."})
    group_sort = GroupSort.objects.create(
        project=project, title=title, held_on=held_on, notes=notes.strip(), created_by=user
    )
    record(
        user,
        "create",
        group_sort,
        evaluation_id=None,
        summary=f"Started group sort {group_sort.pk}",
    )
    return group_sort


# --- a member's own sort -----------------------------------------------------------------


def own_sort(member: Member) -> IndividualSort:
    """The member's sort; a new one, not yet saved, when they have not started."""
    found = IndividualSort.objects.filter(project_id=member.project_id, member=member).first()
    if found is not None:
        found.member = member
        return found
    return IndividualSort(project=member.project, member=member)


def start_sort(member: Member) -> IndividualSort:
    """The member's sort, saved, ready to change (an empty draft for someone starting)."""
    found = own_sort(member)
    if found.pk is not None:
        return found
    _check_stage(found)
    try:
        with transaction.atomic():
            found.save()
    except IntegrityError:  # started at the same moment in another window
        found = IndividualSort.objects.get(project_id=member.project_id, member=member)
        found.member = member
    return found


def sort_warnings(shown: Board) -> list[str]:
    """What a member might want to look at again before calling their sort finished. None
    of these stops them: the method leaves it to the sorter."""
    warnings = []
    if shown.sorted_count == 0:
        warnings.append("You have not put any card into a pile yet.")
        return warnings
    if shown.unsorted:
        numbers = ", ".join(str(card.number) for card in shown.unsorted)
        count = len(shown.unsorted)
        warnings.append(
            f"{count} card{'s are' if count != 1 else ' is'} not in a pile ({numbers}). That "
            "is fine for a card that fits nowhere; otherwise put it with the cards it is most "
            "like."
        )
    filled = [entry for entry in shown.piles if entry.cards]
    if len(filled) == 1:
        warnings.append(
            "All your sorted cards are in one pile. The method asks for groups of cards that "
            "are alike, so a single pile says little: try splitting it."
        )
    elif len(filled) == shown.sorted_count:
        warnings.append(
            "Every card is in a pile of its own. The method asks you to put cards that are "
            "alike together: try joining some piles."
        )
    empty = [entry.pile.label for entry in shown.piles if not entry.cards]
    if empty:
        names = ", ".join(f"“{label}”" for label in empty)
        warnings.append(f"Empty piles are left out of the analysis: {names}.")
    return warnings


@transaction.atomic
def set_finished(
    user: Any, sort: IndividualSort, *, finished: bool, expected_version: int
) -> list[str]:
    """Mark the member's sort finished (or back to a draft), returning the warnings of
    :func:`sort_warnings` for a sort being finished. Finishing is never refused for them."""
    _lock(sort, expected_version)
    sort.status = IndividualSort.Status.DONE if finished else IndividualSort.Status.DRAFT
    _move_on(sort, "status")
    record(
        user,
        "change",
        sort,
        evaluation_id=None,
        summary=_summary(sort, "Finished" if finished else "Reopened"),
    )
    return sort_warnings(board(sort)) if finished else []


# --- progress ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SortProgress:
    """Where one member's sort stands, without its piles."""

    code: str
    role: str
    status: str
    """``done``, ``started`` or ``not_started``."""
    unsorted: int | None
    """Cards left out of every pile; ``None`` when they have not started."""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


STATUS_LABELS = {"done": "Finished", "started": "In progress", "not_started": "Not started"}
SORTING_ROLES = (Member.Role.FACILITATOR, Member.Role.PANEL)


def progress(project: Project) -> list[SortProgress]:
    """Every member who sorts (and anyone else with a sort), by code: finished, in progress
    (a draft with something in it) or not started, and how many cards they left unsorted."""
    card_ids = set(live_cards(project).values_list("pk", flat=True))
    sorts = {s.member_id: s for s in IndividualSort.objects.filter(project=project)}
    placed: dict[int, set[int]] = {}
    for sort_id, card_id in Placement.objects.filter(sort__project=project).values_list(
        "sort_id", "card_id"
    ):
        placed.setdefault(sort_id, set()).add(card_id)
    with_piles = set(Pile.objects.filter(sort__project=project).values_list("sort_id", flat=True))
    rows = []
    for member in Member.objects.filter(project=project).order_by("code"):
        sort = sorts.get(member.pk)
        if sort is None and member.role not in SORTING_ROLES:
            continue
        if sort is None or (
            sort.status == IndividualSort.Status.DRAFT
            and sort.pk not in with_piles
            and sort.pk not in placed
        ):
            rows.append(SortProgress(member.code, member.get_role_display(), "not_started", None))
            continue
        left = len(card_ids - placed.get(sort.pk, set()))
        status = "done" if sort.status == IndividualSort.Status.DONE else "started"
        rows.append(SortProgress(member.code, member.get_role_display(), status, left))
    return rows


# --- the sorts as plain data -------------------------------------------------------------

GROUP_QUESTION = "group"
"""The name under which :attr:`CardSort.groups` gives a member's ``group`` (the stakeholder
group results are split by); their other answers keep the names in ``Member.details``."""


def member_groups(member: Member) -> dict[str, str]:
    """A member's answers to the descriptive questions, as :attr:`CardSort.groups` keeps
    them: ``details`` as text, and ``group`` under :data:`GROUP_QUESTION` when given."""
    answers = {
        str(key): "" if value is None else str(value) for key, value in member.details.items()
    }
    if member.group:
        answers[GROUP_QUESTION] = member.group
    return answers


def card_sort(project: Project) -> cardsort.CardSort:
    """The finished individual sorts of the project, as the concept map reads them.

    The statements are the cards not merged into another, keyed by their number as a string,
    in number order. Each finished sort is one sorter, named by the member's code, with the
    piles in their order and each pile's cards in number order; empty piles are left out, and
    so is a finished sort with no card in any pile (it says nothing about which cards belong
    together). A card the sorter left out of every pile is in none of their piles. Drafts are
    not included: a member's sort counts once they call it finished.
    """
    cards = list(live_cards(project).only("pk", "number", "text"))
    key_of = {card.pk: str(card.number) for card in cards}
    finished = list(
        IndividualSort.objects.filter(project=project, status=IndividualSort.Status.DONE)
        .select_related("member")
        .order_by("member__code")
    )
    in_pile: dict[int, list[str]] = {}
    placements = Placement.objects.filter(sort__in=finished, card_id__in=list(key_of))
    for pile_id, card_id in placements.order_by("card__number").values_list("pile_id", "card_id"):
        in_pile.setdefault(pile_id, []).append(key_of[card_id])
    piles_of: dict[int, list[cardsort.Pile]] = {}
    for pile in Pile.objects.filter(sort__in=finished).order_by("position", "pk"):
        if pile.pk in in_pile:
            piles_of.setdefault(pile.sort_id, []).append(
                cardsort.Pile(pile.label, tuple(in_pile[pile.pk]))
            )
    sorts = []
    groups = {}
    for sort in finished:
        if sort.pk not in piles_of:
            continue
        sorts.append(cardsort.Sort(sort.member.code, tuple(piles_of[sort.pk])))
        answers = member_groups(sort.member)
        if answers:
            groups[sort.member.code] = answers
    statements = {str(card.number): card.text for card in cards}
    return cardsort.CardSort(statements, tuple(sorts), groups)
