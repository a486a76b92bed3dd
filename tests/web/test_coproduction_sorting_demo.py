"""The synthetic sorts of a demo project: the same for the same seed, like the paper's panel."""

from __future__ import annotations

import random
from typing import Any

import pytest

from peerprinciples.web.coproduction.demo.sorting import THEMES, seed_sorts
from peerprinciples.web.coproduction.models import (
    Card,
    GroupSort,
    IndividualSort,
    Member,
    Project,
)
from peerprinciples.web.coproduction.services import sorting as services

pytestmark = pytest.mark.django_db

TEXTS = (
    "Peer workers have been through it too, so people feel understood.",
    "Trust grows when people feel safe to be honest.",
    "We meet as equals; nobody is the expert on my life.",
    "Both of us learn from each other.",
    "What I learned from my distress is valued as knowledge.",
    "I choose what I share and when.",
    "Peer workers have a voice in the team.",
    "Finding my strengths gave me hope.",
    "Being connected to my community matters.",
    "Someone had time to listen, with kindness.",
)


def _project(make_user: Any, name: str) -> Project:
    lead = make_user(f"lead-{name}")
    project = Project.objects.create(
        name=name, framing_question="What matters?", created_by=lead, synthetic=True
    )
    Member.objects.create(project=project, user=lead, code="F01", role=Member.Role.FACILITATOR)
    for number in range(1, 11):
        Member.objects.create(project=project, code=f"P{number:02d}")
    for number in range(1, 51):
        Card.objects.create(project=project, number=number, text=TEXTS[(number - 1) % 10])
    return project


def _shape(project: Project) -> Any:
    group_sort = GroupSort.objects.get(project=project)
    return (
        [(e.pile.label, [c.number for c in e.cards]) for e in services.board(group_sort).piles],
        services.card_sort(project).sorts,
        [(r.code, r.status, r.unsorted) for r in services.progress(project)],
    )


def test_the_same_seed_gives_the_same_sorts(make_user: Any) -> None:
    first, second = _project(make_user, "one"), _project(make_user, "two")
    seed_sorts(first, random.Random(2017))
    seed_sorts(second, random.Random(2017))
    assert _shape(first) == _shape(second)


def test_a_group_sort_with_ten_labelled_piles_and_a_sort_by_each_panel_member(
    make_user: Any,
) -> None:
    project = _project(make_user, "demo")
    seeded = seed_sorts(project, random.Random(2017))
    assert seeded.sorts == 10
    assert seeded.group_sort is not None
    assert seeded.group_sort.created_by.username == "lead-demo"
    shown = services.board(seeded.group_sort)
    assert [e.pile.label for e in shown.piles] == [theme.label for theme in THEMES]
    # Each card went to the pile whose words it shares: card 3 speaks of equals.
    assert [c.number for c in shown.piles[2].cards] == [3, 13, 23, 33, 43]
    assert shown.unsorted == []
    rows = services.progress(project)
    assert [r.status for r in rows] == ["not_started"] + ["done"] * 9 + ["started"]
    unsorted = [r.unsorted for r in rows[1:]]
    assert any(unsorted)
    assert max(unsorted) <= 3
    assert len(services.card_sort(project).sorts) == 9


def test_a_project_with_sorts_is_left_as_it_is(make_user: Any) -> None:
    project = _project(make_user, "again")
    seed_sorts(project, random.Random(1))
    assert seed_sorts(project, random.Random(1)).sorts == 0
    assert GroupSort.objects.filter(project=project).count() == 1
    assert IndividualSort.objects.filter(project=project).count() == 10


def test_a_project_without_cards_gets_no_sorts(make_user: Any) -> None:
    project = _project(make_user, "empty")
    Card.objects.filter(project=project).delete()
    assert seed_sorts(project, random.Random(1)).group_sort is None
    assert not GroupSort.objects.exists()
