"""A card sort as plain data: statements, and the piles each sorter made of them.

The web application, the RCMap files and the tests all describe a sort with these
dataclasses, so the concept-map analysis never needs to know where a sort came from.
Statements are named by a key (a string: ``"12"``, ``"C-07"``); a pile lists the keys of
the cards in it. A card missing from every pile of a sorter was left unsorted by them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pile:
    """One pile of one sorter: the label they gave it and the cards in it."""

    label: str
    cards: tuple[str, ...]


@dataclass(frozen=True)
class Sort:
    """One sorter's piles. ``sorter`` is a pseudonymous code, never a name."""

    sorter: str
    piles: tuple[Pile, ...]

    def sorted_cards(self) -> frozenset[str]:
        """The cards this sorter put into some pile."""
        return frozenset(card for pile in self.piles for card in pile.cards)


@dataclass(frozen=True)
class CardSort:
    """Every statement, in order, and every sorter's piles.

    ``groups`` gives each person's answers to the project's descriptive questions (RCMap's
    demographics: a stakeholder group, a years-of-experience band), keyed by their code: a
    sorter's, or a rater's (a panel may rate with other people, or other codes, than sort).
    """

    statements: Mapping[str, str]
    sorts: tuple[Sort, ...]
    groups: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        """The statement keys, in the order the statements are listed."""
        return tuple(self.statements)


@dataclass(frozen=True)
class StatementRating:
    """One person's rating of one statement on one scale (e.g. importance 1-5)."""

    rater: str
    statement: str
    scale: str
    value: float
