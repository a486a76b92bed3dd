"""The synthetic panel and its cards for the demo: complete, varied and repeatable."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from peerprinciples.web.coproduction.demo.cards import CARD_TEXTS, seed_members_and_cards
from peerprinciples.web.coproduction.models import Card, Member, Project
from peerprinciples.web.coproduction.services.cards import live_cards

pytestmark = pytest.mark.django_db


def _project(owner: Any, name: str = "Demo values") -> Project:
    return Project.objects.create(
        name=name,
        framing_question="What values should peer support in our services hold on to?",
        created_by=owner,
        stage=Project.Stage.CARDS,
    )


def test_the_demo_panel_has_ten_members_a_facilitator_and_a_researcher(make_user: Any) -> None:
    owner = make_user("demo-owner")
    project = _project(owner)
    panel = seed_members_and_cards(project, random.Random(7))
    assert [m.code for m in panel] == [f"P{n:02d}" for n in range(1, 11)]
    roles = Counter(Member.objects.filter(project=project).values_list("role", flat=True))
    assert roles == {"panel": 10, "facilitator": 1, "research": 1}
    facilitator = Member.objects.get(project=project, role="facilitator")
    assert (facilitator.code, facilitator.user) == ("F01", owner)
    groups = {m.group for m in panel}
    assert {"peer worker", "person who uses services", "carer", "researcher", "manager"} <= groups
    assert sum(1 for m in panel if m.perspective) >= 5
    assert project.synthetic
    assert Project.objects.get(pk=project.pk).synthetic


def test_every_panel_member_writes_five_different_cards(make_user: Any) -> None:
    project = _project(make_user("demo-owner"))
    panel = seed_members_and_cards(project, random.Random(7))
    cards = list(live_cards(project))
    assert [c.number for c in cards] == list(range(1, 51))
    assert Counter(c.author_id for c in cards) == {m.pk: 5 for m in panel}
    assert len({c.text for c in cards}) == 50
    assert {c.text for c in cards} == set(CARD_TEXTS)
    assert all(c.from_paper for c in cards)  # nobody in the demo panel has an account here
    assert Project.objects.get(pk=project.pk).last_card_number == 50


def test_the_same_random_state_gives_the_same_cards(make_user: Any) -> None:
    owner = make_user("demo-owner")
    first, second = _project(owner, "One"), _project(owner, "Two")
    seed_members_and_cards(first, random.Random(11))
    seed_members_and_cards(second, random.Random(11))

    def written(project: Project) -> list[tuple[int, str, str]]:
        return [
            (c.number, c.author.code, c.text) for c in live_cards(project).select_related("author")
        ]

    assert written(first) == written(second)
    third = _project(owner, "Three")
    seed_members_and_cards(third, random.Random(12))
    assert written(third) != written(first)


def test_codes_linked_to_accounts_write_online(make_user: Any) -> None:
    project = _project(make_user("demo-owner"))
    pam = make_user("demo-panel")
    seed_members_and_cards(project, random.Random(3), users={"P01": pam})
    mine = Card.objects.filter(project=project, author__code="P01")
    assert mine.count() == 5
    assert all(not c.from_paper and c.entered_by == pam for c in mine)


def test_numbers_follow_the_cards_a_project_already_has(make_user: Any) -> None:
    owner = make_user("demo-owner")
    project = _project(owner)
    Card.objects.create(project=project, number=1, text="Already here")
    seed_members_and_cards(project, random.Random(1))
    assert [c.number for c in live_cards(project)][:2] == [1, 2]
    assert live_cards(project).last().number == 51  # type: ignore[union-attr]
