"""The cards of the panel's project, ready to sort, and what the sorting tests share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.conftest import Panel

from peerprinciples.web.coproduction.models import (
    Card,
    GroupSort,
    IndividualSort,
    Member,
    Pile,
    Placement,
    Project,
)

CARD_TEXTS = (
    "Peer workers have been through it too, so people feel understood.",
    "People choose what they share about themselves, and when.",
    "Support is offered as between equals, not from an expert.",
    "Peer workers can say what they think in team meetings.",
    "There is time to listen without rushing to the next task.",
    "What people learned from their own distress is valued as knowledge.",
)
VERSION = re.compile(r'name="version" value="(\d+)"')


@dataclass
class Sorting:
    """The panel's project with six cards (numbers 1 to 6) and a seventh merged into card 1."""

    panel: Panel
    cards: list[Card]
    merged: Card

    @property
    def project(self) -> Project:
        return self.panel.project

    def card(self, number: int) -> Card:
        return next(card for card in self.cards if card.number == number)

    def member(self, user: Any) -> Member:
        return self.panel.member(user)

    def client(self, user: Any) -> Client:
        return self.panel.client_for(user)

    def at_stage(self, stage: str) -> None:
        Project.objects.filter(pk=self.project.pk).update(stage=stage)
        self.project.refresh_from_db()

    def group_sort(self, title: str = "Panel meeting") -> GroupSort:
        return GroupSort.objects.create(
            project=self.project, title=title, created_by=self.panel.facilitator
        )

    def own_sort(self, user: Any, status: str = IndividualSort.Status.DRAFT) -> IndividualSort:
        return IndividualSort.objects.create(
            project=self.project, member=self.member(user), status=status
        )

    def pile(self, owner: GroupSort | IndividualSort, label: str, *numbers: int) -> Pile:
        """A pile with the cards ``numbers``, added straight to the database."""
        scope: dict[str, Any] = (
            {"group_sort": owner} if isinstance(owner, GroupSort) else {"sort": owner}
        )
        position = Pile.objects.filter(**scope).count() + 1
        pile = Pile.objects.create(label=label, position=position, **scope)
        for number in numbers:
            Placement.objects.create(pile=pile, card=self.card(number), **scope)
        return pile

    def where(self, owner: GroupSort | IndividualSort) -> dict[int, str]:
        """Each placed card's number and the label of its pile."""
        scope = {"group_sort": owner} if isinstance(owner, GroupSort) else {"sort": owner}
        return dict(Placement.objects.filter(**scope).values_list("card__number", "pile__label"))

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"coproduction:{name}", args=[self.project.pk, *args])


def page_version(html: str) -> int:
    """The sort's version in the first form of a page that sends one."""
    found = VERSION.search(html)
    assert found, "the page has no version field"
    return int(found.group(1))


@pytest.fixture(name="sorting")
def sorting_fixture(panel: Panel) -> Sorting:
    """The panel's project with cards 1 to 6 to sort, and card 7, merged into card 1."""
    author = panel.member(panel.panel)
    cards = [
        Card.objects.create(
            project=panel.project,
            number=number,
            text=text,
            author=author,
            entered_by=panel.panel,
        )
        for number, text in enumerate(CARD_TEXTS, start=1)
    ]
    merged = Card.objects.create(
        project=panel.project,
        number=7,
        text="Peer workers have lived through it as well.",
        author=author,
        entered_by=panel.panel,
        merged_into=cards[0],
    )
    return Sorting(panel, cards, merged)
