"""The panel's cards: writing them, entering them from paper, and merging duplicates.

Every card gets the next number of its project, in the order cards arrive, and a number is
never given twice: the project keeps the highest number given (``last_card_number``), so a
card deleted by its author leaves a gap rather than a number someone else's card could take.
Cards added by other means (an import) are counted too, since the next number is worked out
from both the counter and the highest number stored.

A member writes at most ``cards_per_member`` cards, online while the project is in its
"cards" stage; the facilitator can enter cards written on paper at any stage. Other members
see a card's number and text only, never who wrote it.

Merging duplicates keeps every card: each card merged away points at the card kept
(``merged_into``) with the note recording that its author agreed, and drops out of every
list, sort and analysis (:func:`live_cards`). Once a card merged away has been placed in a
pile or rated, merging is refused: a sorter may have put the two cards in different piles,
and a rater may have rated them differently, so there is no honest way to move those
judgements onto one card. Duplicates are merged before sorting starts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, QuerySet

from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    Card,
    Member,
    Placement,
    Project,
    StatementRating,
)
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.permissions import PROJECT_RULES, ProjectAction

CARD_LENGTH = 400
"""The most characters a card holds: one statement, short enough to read on a pile."""

PAPER_AT_ONCE = 100
"""The most lines one entry of paper cards takes."""


def live_cards(project: Project) -> QuerySet[Card]:
    """The project's cards that count: every card not merged into another, by number."""
    return Card.objects.filter(project=project, merged_into__isnull=True).order_by("number")


def writes_cards(member: Member) -> bool:
    """Whether the member's role is one that writes cards (panel members, facilitators)."""
    return member.role in PROJECT_RULES[ProjectAction.WRITE_CARDS]


@dataclass(frozen=True)
class Allowance:
    """How many cards a member has written, of how many they may write."""

    written: int
    allowed: int

    @property
    def left(self) -> int:
        return max(self.allowed - self.written, 0)

    def __str__(self) -> str:
        return f"{self.written} of {self.allowed} card{'s' if self.allowed != 1 else ''}"


def allowance(member: Member, project: Project | None = None) -> Allowance:
    """The member's cards so far (merged ones too: they were written) and the limit."""
    project = project or member.project
    written = Card.objects.filter(project=project, author=member).count()
    return Allowance(written, project.cards_per_member)


def written_by(project: Project) -> dict[int, int]:
    """How many cards each member wrote, by the member's key."""
    rows = (
        Card.objects.filter(project=project, author__isnull=False)
        .values("author")
        .annotate(n=Count("pk"))
    )
    return {row["author"]: row["n"] for row in rows}


def own_cards(member: Member) -> QuerySet[Card]:
    """The member's own cards, by number, each with the card it was merged into (if any)."""
    return (
        Card.objects.filter(project_id=member.project_id, author=member)
        .select_related("merged_into")
        .order_by("number")
    )


def merged_cards(project: Project) -> QuerySet[Card]:
    """The cards merged into others, with the card each joined and its author."""
    return (
        Card.objects.filter(project=project, merged_into__isnull=False)
        .select_related("merged_into", "author")
        .order_by("number")
    )


def checked_text(text: str, *, where: str = "") -> str:
    """A card's text, stripped; refused when empty or too long, saying so in words."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput({"text": f"{where}Write the card's statement: it is empty."})
    if len(text) > CARD_LENGTH:
        raise InvalidInput(
            {
                "text": f"{where}The card has {len(text)} characters; a card holds at most "
                f"{CARD_LENGTH}. Shorten it, or split it into two cards."
            }
        )
    return text


def _lock_project(project: Project) -> Project:
    """The project's row, locked until the transaction ends: cards are numbered and counted
    against the limit one writer at a time."""
    return Project.objects.select_for_update().get(pk=project.pk)


def next_numbers(locked: Project, count: int) -> list[int]:
    """``count`` new card numbers for a project whose row the caller's transaction has
    locked (``select_for_update``), recorded as given."""
    if count < 1:
        return []
    highest = Card.objects.filter(project=locked).aggregate(top=Max("number"))["top"] or 0
    start = max(highest, locked.last_card_number) + 1
    numbers = list(range(start, start + count))
    locked.last_card_number = numbers[-1]
    locked.save(update_fields=["last_card_number"])
    return numbers


def _over_limit(member: Member, locked: Project, adding: int, who: str) -> str | None:
    """Why ``adding`` more cards would take the member past the limit, or ``None``; ``who``
    begins the sentence ("You have", "P03 has")."""
    have = allowance(member, locked)
    if have.written + adding <= have.allowed:
        return None
    if not have.left:
        return (
            f"{who} written {have}, the most each member writes. The facilitator can raise "
            "the number of cards per member in the project's settings."
        )
    return (
        f"{who} written {have}, so {have.left} more can be added, not {adding}. Leave some "
        "out, or ask the facilitator to raise the number of cards per member."
    )


def _snapshot(card: Card) -> dict[str, Any]:
    """What the audit trail keeps of a card: never its text, which could identify its author."""
    return {
        "id": card.pk,
        "number": card.number,
        "author": card.author_id,
        "from_paper": card.from_paper,
        "merged_into": card.merged_into_id,
        "version": card.version,
    }


def _stage_problem(project: Project) -> str | None:
    """Why cards are not written or changed online now, or ``None`` in the cards stage."""
    if project.stage == Project.Stage.CARDS:
        return None
    return (
        f"The project is at the stage “{project.get_stage_display()}”, so cards are not "
        "written or changed online now. The facilitator moves the project to “Writing "
        "cards” when it is time."
    )


@transaction.atomic
def write_card(user: Any, member: Member, text: str) -> Card:
    """A card written online by ``member`` while the project is in its cards stage."""
    if not writes_cards(member):
        raise DomainError("Only panel members and facilitators write cards.")
    locked = _lock_project(member.project)
    problem = _stage_problem(locked)
    if problem:
        raise DomainError(problem)
    text = checked_text(text)
    refused = _over_limit(member, locked, 1, "You have")
    if refused:
        raise DomainError(refused)
    [number] = next_numbers(locked, 1)
    card = Card.objects.create(
        project=locked, number=number, text=text, author=member, entered_by=user
    )
    record(
        user,
        "create",
        card,
        evaluation_id=None,
        summary=f"{member.code} wrote card {number}",
        after=_snapshot(card),
    )
    return card


def why_unchangeable(card: Card, member: Member, doing: str = "changed") -> str | None:
    """Why ``member`` may not change (or delete: ``doing`` says which) the card now, or
    ``None`` when they may.

    Its author changes it while the cards stage lasts; the facilitator, who typed up a
    paper card, may put it right at any stage. A card merged away, or already placed in a
    pile or rated, stays as it is: others have worked with its words.
    """
    typist = card.from_paper and member.role in PROJECT_RULES[ProjectAction.ENTER_PAPER_CARDS]
    if not typist:
        if card.author_id != member.pk:
            return "Only the member who wrote a card can change it."
        problem = _stage_problem(card.project)
        if problem:
            return problem
    if card.merged_into_id is not None:
        return f"Card {card.number} was merged into another card, so it is no longer {doing}."
    placed, rated = _uses([card.pk])[card.pk]
    if placed or rated:
        return (
            f"C{_in_use(card.number, placed, rated)[1:]} already, so it cannot be {doing}: "
            "others have worked with its words. Ask the facilitator."
        )
    return None


def _changeable(card: Card, member: Member, expected_version: int, doing: str) -> Card:
    """The card, locked for ``doing`` by ``member``, or a :class:`DomainError` saying why not."""
    locked = Card.objects.select_for_update().select_related("project").get(pk=card.pk)
    if locked.version != expected_version:
        raise StaleEdit("card")
    problem = why_unchangeable(locked, member, doing)
    if problem:
        raise DomainError(problem)
    return locked


@transaction.atomic
def edit_card(user: Any, member: Member, card: Card, text: str, *, expected_version: int) -> Card:
    """Change a card's words (see :func:`_changeable` for who may, and when)."""
    locked = _changeable(card, member, expected_version, "changed")
    before = _snapshot(locked)
    locked.text = checked_text(text)
    locked.version = F("version") + 1
    locked.save(update_fields=["text", "version"])
    locked.refresh_from_db()
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=f"{member.code} changed card {locked.number}",
        before=before,
        after=_snapshot(locked),
    )
    return locked


def _uses(cards: Collection[int]) -> dict[int, tuple[int, int]]:
    """For each card key: how many sorts it is placed in, and how many ratings it has."""
    placed = dict(
        Placement.objects.filter(card_id__in=cards)
        .values("card")
        .annotate(n=Count("pk"))
        .values_list("card", "n")
    )
    rated = dict(
        StatementRating.objects.filter(card_id__in=cards)
        .values("card")
        .annotate(n=Count("pk"))
        .values_list("card", "n")
    )
    return {pk: (placed.get(pk, 0), rated.get(pk, 0)) for pk in cards}


def kept_as_they_are(cards: Collection[Card]) -> set[int]:
    """The keys of those cards that stay as they are because they were merged into another,
    placed in a pile or rated (others have worked with their words)."""
    uses = _uses([card.pk for card in cards])
    return {card.pk for card in cards if card.merged_into_id is not None or any(uses[card.pk])}


def _in_use(number: int, placed: int, rated: int) -> str:
    said = []
    if placed:
        said.append(f"in {placed} sort{'s' if placed != 1 else ''}")
    if rated:
        said.append(f"rated {rated} time{'s' if rated != 1 else ''}")
    return f"card {number} is {' and '.join(said)}"


@transaction.atomic
def delete_card(user: Any, member: Member, card: Card, *, expected_version: int) -> int:
    """Delete a card (see :func:`_changeable` for who may, and when); returns its number,
    which no other card will get."""
    locked = _changeable(card, member, expected_version, "deleted")
    if locked.merged.exists():
        raise DomainError(
            f"Other cards were merged into card {locked.number}, so it stays. Change its "
            "words instead."
        )
    number = locked.number
    record(
        user,
        "delete",
        locked,
        evaluation_id=None,
        summary=f"{member.code} deleted card {number}",
        before=_snapshot(locked),
    )
    locked.delete()
    return number


def paper_lines(text: str) -> list[str]:
    """The cards in text typed one a line: each line stripped, empty lines left out."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@transaction.atomic
def enter_paper_cards(user: Any, project: Project, *, author: Member, text: str) -> list[Card]:
    """Cards written on paper by ``author``, one a line: all of them are added, or none.

    Any stage will do: paper cards are often typed up after the meeting that wrote them.
    """
    if author.project_id != project.pk:
        raise InvalidInput({"author": "Choose a member of this project."})
    if not writes_cards(author):
        raise InvalidInput(
            {"author": f"{author.code} is on the research team; cards come from the panel."}
        )
    lines = paper_lines(text)
    if not lines:
        raise InvalidInput({"text": "Type at least one card: one card on each line."})
    if len(lines) > PAPER_AT_ONCE:
        raise InvalidInput(
            {"text": f"There are {len(lines)} lines; enter at most {PAPER_AT_ONCE} at once."}
        )
    too_long = [
        f"line {n} has {len(line)} characters"
        for n, line in enumerate(text_lines_numbered(text), start=1)
        if line and len(line) > CARD_LENGTH
    ]
    if too_long:
        raise InvalidInput(
            {
                "text": f"A card holds at most {CARD_LENGTH} characters, but "
                f"{'; '.join(too_long)}. Shorten those lines or split each into two cards. "
                "Nothing was added."
            }
        )
    locked = _lock_project(project)
    refused = _over_limit(author, locked, len(lines), f"{author.code} has")
    if refused:
        raise InvalidInput({"text": refused + " Nothing was added."})
    numbers = next_numbers(locked, len(lines))
    cards = Card.objects.bulk_create(
        Card(
            project=locked,
            number=number,
            text=line,
            author=author,
            from_paper=True,
            entered_by=user,
        )
        for number, line in zip(numbers, lines, strict=True)
    )
    for card in Card.objects.filter(project=locked, number__in=numbers):
        record(
            user,
            "create",
            card,
            evaluation_id=None,
            summary=f"Entered paper card {card.number} for {author.code}",
            after=_snapshot(card),
        )
    return cards


def text_lines_numbered(text: str) -> list[str]:
    """Every line of ``text`` as typed (spaces closed up), empty ones kept, so problems can
    name the line a person sees."""
    return [" ".join(line.split()) for line in text.splitlines()]


def merge_stamp(cards: Collection[Card]) -> str:
    """What a merge form carries back: each card's key and version as the page showed them."""
    return ",".join(f"{card.pk}:{card.version}" for card in sorted(cards, key=lambda c: c.pk))


def read_stamp(stamp: str) -> dict[int, int]:
    """The card keys and versions of a :func:`merge_stamp` (nothing for a damaged one)."""
    seen: dict[int, int] = {}
    for part in stamp.split(","):
        key, _, version = part.partition(":")
        if key.isdigit() and version.isdigit():
            seen[int(key)] = int(version)
    return seen


@transaction.atomic
def merge_cards(
    user: Any,
    project: Project,
    *,
    cards: Collection[int],
    keep: int,
    agreement: str,
    seen: Mapping[int, int],
) -> Card:
    """Merge duplicates into the card kept; the others stay, pointing at it.

    ``cards`` are the keys of the cards chosen (the card kept among them or not), ``seen``
    their versions when the page was opened: a card changed or merged since then stops the
    merge, as does a card merged away that is already sorted or rated.
    """
    agreement = agreement.strip()
    if not agreement:
        raise InvalidInput(
            {
                "agreement": "Record how the authors agreed to the merge (for example: "
                "asked at the meeting, all agreed)."
            }
        )
    _lock_project(project)
    chosen = set(cards) | {keep}
    found = {
        card.pk: card
        for card in Card.objects.select_for_update().filter(project=project, pk__in=chosen)
    }
    if keep not in found or len(found) != len(chosen):
        raise InvalidInput({"cards": "Choose cards of this project only."})
    kept = found[keep]
    away = sorted((c for pk, c in found.items() if pk != keep), key=lambda c: c.number)
    if not away:
        raise InvalidInput(
            {"cards": f"Choose at least one other card to merge into card {kept.number}."}
        )
    changed = sorted(
        card.number
        for card in found.values()
        if card.merged_into_id is not None or seen.get(card.pk) != card.version
    )
    if changed:
        raise DomainError(
            f"Card{'s' if len(changed) != 1 else ''} {_numbers(changed)} changed or was merged "
            "after you opened this page, so nothing was merged. Look at the cards again, then "
            "merge them."
        )
    uses = _uses([card.pk for card in found.values()])
    in_use = [_in_use(card.number, *uses[card.pk]) for card in away if any(uses[card.pk])]
    if in_use:
        used = [card.number for card in found.values() if any(uses[card.pk])]
        if len(used) == 1:
            way = (
                f" To merge them, choose card {used[0]} as the card that stays: the others "
                "can be merged into it."
            )
        else:
            way = (
                f" Cards {_numbers(sorted(used))} are {'both' if len(used) == 2 else 'all'} in "
                "use, and only one card in use can take part in a merge, as the card that stays."
            )
        raise DomainError(
            f"Nothing was merged: {'; '.join(in_use)}. Sorters and raters may have judged the "
            f"two cards differently, so their work cannot be moved onto one card.{way} Merge "
            "duplicates before sorting starts; a sorter can take the card out of their piles."
        )
    for card in away:
        before = _snapshot(card)
        card.merged_into = kept
        card.merge_agreement = agreement
        card.version = F("version") + 1
        card.save(update_fields=["merged_into", "merge_agreement", "version"])
        card.refresh_from_db()
        record(
            user,
            "change",
            card,
            evaluation_id=None,
            summary=f"Merged card {card.number} into card {kept.number}",
            before=before,
            after=_snapshot(card),
        )
    return kept


def _numbers(numbers: list[int]) -> str:
    """1, 2 and 3."""
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
