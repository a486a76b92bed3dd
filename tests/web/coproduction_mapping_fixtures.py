"""Cards, sorts, scales and ratings made directly in the database, for the tests of the
concept map, the ratings and the RCMap exchange (which come after the cards and sorting
pages in a real project)."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from tests.web.conftest import Panel

from peerprinciples.core.coproduction.cardsort import CardSort, Pile, Sort
from peerprinciples.core.coproduction.conceptmap import analyse
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.models import (
    Card,
    ConceptMap,
    IndividualSort,
    Member,
    Placement,
    Project,
    RatingScale,
    RCMapUpload,
    StatementRating,
)
from peerprinciples.web.coproduction.services.sorting import card_sort

TEXTS = (
    "Peer workers are listened to as equals in the team.",
    "Supervision comes from someone who knows peer work.",
    "Lived experience is valued as expertise.",
    "People choose what support they want.",
    "Peer workers can say no to tasks outside their role.",
    "The service learns from mistakes openly.",
    "Training includes sharing one's story safely.",
    "Peer workers are paid fairly.",
    "Support is offered in the community, not only on the ward.",
)


def add_cards(project: Project, texts: Sequence[str] = TEXTS) -> list[Card]:
    """Cards numbered 1, 2, 3 ... with these texts."""
    return [
        Card.objects.create(project=project, number=n, text=text)
        for n, text in enumerate(texts, start=1)
    ]


def add_sort(
    member: Member,
    piles: Sequence[Sequence[int]],
    *,
    finished: bool = True,
    labels: Sequence[str] | None = None,
) -> IndividualSort:
    """A member's sort: each pile a list of card numbers."""
    project = member.project
    sort = IndividualSort.objects.create(
        project=project,
        member=member,
        status=IndividualSort.Status.DONE if finished else IndividualSort.Status.DRAFT,
    )
    cards = {card.number: card for card in Card.objects.filter(project=project)}
    for position, numbers in enumerate(piles):
        label = labels[position] if labels else f"Pile {position + 1}"
        pile = models.Pile.objects.create(sort=sort, label=label, position=position)
        for number in numbers:
            Placement.objects.create(pile=pile, card=cards[number], sort=sort)
    return sort


def add_sorters(project: Project, count: int, seed: int = 7) -> list[Member]:
    """``count`` members without accounts (codes S01, S02 ...), each with a finished sort
    of every card into three to five piles, drawn at random around three themes."""
    rng = np.random.default_rng(seed)
    cards = sorted(Card.objects.filter(project=project).values_list("number", flat=True))
    themes = {number: (number - 1) % 3 for number in cards}
    members = []
    for i in range(1, count + 1):
        member = Member.objects.create(project=project, code=f"S{i:02d}")
        piles: dict[int, list[int]] = {}
        for number in cards:
            pile = themes[number] if rng.random() < 0.75 else int(rng.integers(0, 5))
            piles.setdefault(pile, []).append(number)
        add_sort(member, list(piles.values()))
        members.append(member)
    return members


def add_scales(project: Project) -> list[RatingScale]:
    """Importance and feasibility, 1 to 5."""
    return [
        RatingScale.objects.create(
            project=project, key=key, label=key.title(), lowest=1, highest=5, position=i
        )
        for i, key in enumerate(("importance", "feasibility"))
    ]


def add_ratings(
    members: Sequence[Member],
    scales: Sequence[RatingScale],
    cards: Sequence[Card],
    seed: int = 11,
    skip: float = 0.1,
) -> list[StatementRating]:
    """Random whole-number ratings by each member of each card on each scale; a share
    ``skip`` of them left out."""
    rng = np.random.default_rng(seed)
    made = []
    for member in members:
        for card in cards:
            for scale in scales:
                if rng.random() < skip:
                    continue
                value = int(rng.integers(scale.lowest, scale.highest + 1))
                made.append(StatementRating(member=member, card=card, scale=scale, value=value))
    return StatementRating.objects.bulk_create(made)


def set_groups(members: Sequence[Member], groups: Mapping[str, str]) -> None:
    """Give members (by code) their stakeholder group."""
    for member in members:
        if member.code in groups:
            member.group = groups[member.code]
            member.save(update_fields=["group"])


@pytest.fixture
def sorted_project(panel: Panel) -> Any:
    """The panel's project with the nine cards and twelve finished sorts."""
    add_cards(panel.project)
    add_sorters(panel.project, 12)
    return panel.project


_RESULTS: dict[tuple[str, int, int], dict[str, Any]] = {}
"""Analyses already run, by card sort, seed and starts: the analysis takes seconds, and the
same sorts with the same seed always give the same map."""


def stored_map(project: Project, user: Any, *, seed: int = 7, starts: int = 2) -> ConceptMap:
    """A map of the project's finished sorts as a run would keep it (the core's result for
    this seed and these starts, worked out once per test run)."""
    cardsort = card_sort(project)
    key = (repr(cardsort), seed, starts)
    if key not in _RESULTS:
        _RESULTS[key] = analyse(cardsort, starts=starts, seed=seed).to_json()
    result = copy.deepcopy(_RESULTS[key])
    return ConceptMap.objects.create(
        project=project,
        result=result,
        seed=seed,
        starts=starts,
        stress=result["stress"],
        sorters=len(result["sorters"]),
        created_by=user,
    )


_TINY = CardSort(
    statements={"1": "One", "2": "Two", "3": "Three", "4": "Four"},
    sorts=(
        Sort("A", (Pile("x", ("1", "2")), Pile("y", ("3", "4")))),
        Sort("B", (Pile("x", ("1", "2", "3")), Pile("y", ("4",)))),
    ),
)


def mapping_objects(panel: Panel) -> dict[str, int]:
    """The objects the permission table's rows for the map, ratings and RCMap pages name:
    a small map of the project (the core's result for four statements, worked out once)
    and RCMap files uploaded by the facilitator."""
    key = (repr(_TINY), 1, 1)
    if key not in _RESULTS:
        _RESULTS[key] = analyse(_TINY, starts=1, seed=1, resamples=2).to_json()
    result = copy.deepcopy(_RESULTS[key])
    stored = ConceptMap.objects.create(
        project=panel.project,
        result=result,
        seed=1,
        starts=1,
        stress=result["stress"],
        sorters=2,
        created_by=panel.facilitator,
    )
    upload = RCMapUpload.objects.create(
        project=panel.project,
        user=panel.facilitator,
        statements=b"StatementID,Statement\n1,One\n2,Two\n3,Three\n",
        sorted_cards=b"A,x,1,2\nA,y,3\nB,all,1,2,3\n",
    )
    return {"concept_map": stored.pk, "rcmap_upload": upload.pk}
