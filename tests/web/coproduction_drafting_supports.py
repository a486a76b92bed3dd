"""Categories, piles and clusters for the tests of values, draft principles and the coverage
grid: two categories and a group sort with two piles in the project, a member's own pile
(private), and a category of another project."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peerprinciples.web.coproduction.models import (
    Category,
    GroupSort,
    IndividualSort,
    Pile,
    Project,
)


@dataclass
class Supports:
    trust: Category
    equals: Category
    heard: Pile
    safe: Pile
    private: Pile
    stranger: Category

    def ids(self, *names: str) -> list[str]:
        prefix = {Category: "C", Pile: "P"}
        return [f"{prefix[type(getattr(self, n))]}{getattr(self, n).pk}" for n in names]


def add_supports(panel: Any) -> Supports:
    project = panel.project
    trust = Category.objects.create(project=project, key="C1", label="Trust")
    equals = Category.objects.create(project=project, key="C2", label="Equals")
    group = GroupSort.objects.create(
        project=project, title="Meeting 1", created_by=panel.facilitator
    )
    heard = Pile.objects.create(group_sort=group, label="Being heard", position=1)
    safe = Pile.objects.create(group_sort=group, label="Feeling safe", position=2)
    own = IndividualSort.objects.create(project=project, member=panel.member(panel.panel))
    private = Pile.objects.create(sort=own, label="My own pile")
    other = Project.objects.create(
        name="Another project", framing_question="Why?", created_by=panel.outsider
    )
    stranger = Category.objects.create(project=other, key="C1", label="Elsewhere")
    return Supports(trust, equals, heard, safe, private, stranger)
