"""Synthetic sorts for a demo project: a group sort and every panel member's own sort.

The group sort has about ten piles, labelled in the manner of the themes an expert panel
agreed in the founding paper's Figure 2 (the words here are our own). Each card goes to the
pile whose key words its text shares most, or, sharing none, to a pile drawn at random. Each
panel member then sorts on their own, starting from the same themes with their own labels:
some join piles, some split one, each moves a few cards elsewhere and leaves a few unsorted.
All of it is drawn from the random generator given, so a seed gives the same sorts each time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

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
from peerprinciples.web.coproduction.services.sorting import live_cards


@dataclass(frozen=True)
class Theme:
    """A pile of the group sort, the words that send a card to it, and the labels members
    give it in their own sorts."""

    label: str
    notes: str
    words: tuple[str, ...]
    own_labels: tuple[str, ...]


THEMES = (
    Theme(
        "Having been there too",
        "Lived experience of distress in common, and the understanding it brings.",
        ("been through", "lived experience", "understood", "understand", "too"),
        ("Been there", "Shared experience", "Understanding each other"),
    ),
    Theme(
        "Safe enough to be open",
        "Trust built slowly, so people can speak about what is hard.",
        ("trust", "safe", "confiden", "open", "honest"),
        ("Trust", "Feeling safe", "Safety"),
    ),
    Theme(
        "Side by side, as equals",
        "Nobody is the expert on someone else's life; power is shared.",
        ("equal", "expert", "power", "side by side", "label"),
        ("Equals", "No hierarchy", "Sharing power"),
    ),
    Theme(
        "Both giving, both learning",
        "Support flows both ways: listening and sharing, learning from difference.",
        ("mutual", "both", "each other", "give", "learn"),
        ("Mutuality", "Two-way support", "Reciprocity"),
    ),
    Theme(
        "What experience teaches",
        "Knowledge from living through distress is valued beside other knowledge.",
        ("knowledge", "wisdom", "valued", "insight", "taught"),
        ("Experience as knowledge", "Lived wisdom", "Valuing experience"),
    ),
    Theme(
        "Choosing what to share",
        "People decide what they share, when, and how their support goes.",
        ("choose", "choice", "control", "decide", "share"),
        ("Choice", "In control", "Own decisions"),
    ),
    Theme(
        "A voice in the service",
        "Peer workers are heard in teams and lead how peer support is run.",
        ("lead", "voice", "team", "organisation", "say in", "manag"),
        ("Leadership", "Being heard at work", "Peer voice"),
    ),
    Theme(
        "Strengths and hope",
        "Finding and building on what people can do, without telling them what to do.",
        ("strength", "hope", "recover", "skill", "possible"),
        ("Hope", "Strengths", "Moving forward"),
    ),
    Theme(
        "Belonging in a community",
        "Links with peers, networks and the communities people belong to.",
        ("communit", "connect", "belong", "network", "friend"),
        ("Community", "Connections", "Belonging"),
    ),
    Theme(
        "Kindness, time and space",
        "Warmth, patience and room to talk without rushing.",
        ("kind", "time", "listen", "warm", "patien", "rush"),
        ("Kindness", "Time to talk", "Being listened to"),
    ),
)


@dataclass(frozen=True)
class SeededSorts:
    """What :func:`seed_sorts` made."""

    group_sort: GroupSort | None
    sorts: int


def _theme_of(card: Card, rng: random.Random) -> int:
    """The theme whose key words the card's text shares most (the first on a tie); a theme
    drawn at random when it shares none."""
    text = card.text.casefold()
    scores = [sum(word in text for word in theme.words) for theme in THEMES]
    best = max(scores)
    return scores.index(best) if best else rng.randrange(len(THEMES))


def _recorder(project: Project) -> Member | None:
    return (
        Member.objects.filter(project=project, role=Member.Role.FACILITATOR, user__isnull=False)
        .select_related("user")
        .order_by("code")
        .first()
    )


def _group_sort(project: Project, themes: dict[int, int]) -> GroupSort:
    facilitator = _recorder(project)
    group_sort = GroupSort.objects.create(
        project=project,
        title="Panel meeting: sorting the cards together (synthetic)",
        notes="Made-up piles for trying the application out.",
        created_by=facilitator.user if facilitator else project.created_by,
    )
    used = sorted(set(themes.values()))
    piles = {
        index: Pile.objects.create(
            group_sort=group_sort,
            label=THEMES[index].label,
            notes=THEMES[index].notes,
            position=position,
        )
        for position, index in enumerate(used, start=1)
    }
    Placement.objects.bulk_create(
        Placement(pile=piles[index], card_id=card_id, group_sort=group_sort)
        for card_id, index in themes.items()
    )
    record(None, "create", group_sort, evaluation_id=None, summary="Synthetic group sort")
    return group_sort


def _own_piles(themes: dict[int, int], rng: random.Random) -> dict[int, tuple[int, int]]:
    """One member's sort: each sorted card's (theme, part) pile; cards left out are absent."""
    piles = {card: (theme, 0) for card, theme in themes.items()}
    used = sorted(set(themes.values()))
    style = rng.choice(("joins", "splits", "keeps"))
    if style == "joins" and len(used) > 3:
        for _ in range(2):
            keep, fold = rng.sample(used, 2)
            piles = {c: ((keep, 0) if t == fold else (t, p)) for c, (t, p) in piles.items()}
    elif style == "splits":
        split = rng.choice(used)
        piles = {c: (t, rng.randrange(2) if t == split else p) for c, (t, p) in piles.items()}
    cards = sorted(piles)
    for card in rng.sample(cards, k=max(1, len(cards) // 7)):
        piles[card] = (rng.choice(used), 0)
    for card in rng.sample(cards, k=min(len(cards) - 1, rng.choice((0, 1, 1, 2, 3)))):
        del piles[card]
    return piles


def _own_sort(member: Member, themes: dict[int, int], rng: random.Random, done: bool) -> None:
    sort = IndividualSort.objects.create(
        project=member.project,
        member=member,
        status=IndividualSort.Status.DONE if done else IndividualSort.Status.DRAFT,
    )
    chosen = _own_piles(themes, rng)
    piles: dict[tuple[int, int], Pile] = {}
    for position, (theme, part) in enumerate(sorted(set(chosen.values())), start=1):
        label = rng.choice(THEMES[theme].own_labels)
        piles[(theme, part)] = Pile.objects.create(
            sort=sort, label=f"{label} ({part + 1})" if part else label, position=position
        )
    Placement.objects.bulk_create(
        Placement(pile=piles[where], card_id=card_id, sort=sort)
        for card_id, where in chosen.items()
    )
    record(None, "create", sort, evaluation_id=None, summary=f"Synthetic sort of {member.code}")


@transaction.atomic
def seed_sorts(project: Project, rng: random.Random) -> SeededSorts:
    """Add a synthetic group sort and a sort by every panel member to ``project``, whose
    members and cards exist already. Every panel member's sort is finished but the last
    one's (by code), left as a draft. A project that has any sort already is left as it is."""
    if GroupSort.objects.filter(project=project).exists() or (
        IndividualSort.objects.filter(project=project).exists()
    ):
        return SeededSorts(None, 0)
    cards = list(live_cards(project))
    if not cards:
        return SeededSorts(None, 0)
    themes = {card.pk: _theme_of(card, rng) for card in cards}
    group_sort = _group_sort(project, themes)
    members = list(Member.objects.filter(project=project, role=Member.Role.PANEL).order_by("code"))
    for number, member in enumerate(members, start=1):
        _own_sort(member, themes, rng, done=number < len(members) or len(members) < 3)
    return SeededSorts(group_sort, len(members))
