"""The demo's ratings and concept map: synthetic, named, and the same for the same seed.

Drawing a map takes about a second, so one project is rated and mapped once for the module
(see ``module_db``); each test starts from it as seeded.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from peerprinciples.web.coproduction.demo.mapping import MAP_SEED, SeededMap, seed_map_and_ratings
from peerprinciples.web.coproduction.demo.sorting import seed_sorts
from peerprinciples.web.coproduction.models import (
    Card,
    Cluster,
    Member,
    Project,
    RatingScale,
    StatementRating,
)
from peerprinciples.web.coproduction.services import mapping

pytestmark = pytest.mark.django_db

WORDS = ("trust", "equal", "learn", "choice", "voice", "hope", "community", "listen")


def _project(make_user: Any, name: str) -> Project:
    lead = make_user(f"lead-{name}")
    project = Project.objects.create(
        name=name, framing_question="What matters?", created_by=lead, synthetic=True
    )
    Member.objects.create(project=project, user=lead, code="F01", role=Member.Role.FACILITATOR)
    for number in range(1, 11):
        Member.objects.create(project=project, code=f"P{number:02d}")
    for number in range(1, 31):
        text = f"Statement {number} about {WORDS[number % len(WORDS)]}."
        Card.objects.create(project=project, number=number, text=text)
    seed_sorts(project, random.Random(7))
    return project


def _make_user(username: str) -> Any:
    return get_user_model().objects.create_user(username=username, password=None)


@pytest.fixture(scope="module")
def seeded(module_db: None) -> tuple[Project, SeededMap]:
    """A project of thirty cards sorted by ten panel members, rated and mapped with seed 1."""
    project = _project(_make_user, "one")
    return project, seed_map_and_ratings(project, random.Random(1))


def _ratings(project: Project) -> list[tuple[str, int, str, int]]:
    return list(
        StatementRating.objects.filter(card__project=project)
        .order_by("member__code", "card__number", "scale__key")
        .values_list("member__code", "card__number", "scale__key", "value")
    )


def test_the_same_seed_gives_the_same_ratings_and_map(
    seeded: tuple[Project, SeededMap], make_user: Any
) -> None:
    first, made = seeded
    second = _project(make_user, "two")
    seed_map_and_ratings(second, random.Random(1))
    assert _ratings(first) == _ratings(second)
    one, two = first.maps.get(), second.maps.get()
    assert one.result == two.result
    assert made.concept_map is not None
    assert made.concept_map.seed == MAP_SEED


def test_every_panel_member_rates_on_importance_and_feasibility(
    seeded: tuple[Project, SeededMap],
) -> None:
    project, made = seeded
    assert list(RatingScale.objects.filter(project=project).values_list("key", flat=True)) == [
        "importance",
        "feasibility",
    ]
    raters = set(
        StatementRating.objects.filter(card__project=project).values_list("member__code", flat=True)
    )
    assert raters == {f"P{n:02d}" for n in range(1, 11)}
    assert made.ratings == len(_ratings(project))
    assert 0.9 * 10 * 30 * 2 < made.ratings <= 10 * 30 * 2
    assert {v for *_, v in _ratings(project)} <= {1, 2, 3, 4, 5}


def test_the_map_shows_the_most_stable_solution_with_named_clusters(
    seeded: tuple[Project, SeededMap],
) -> None:
    stored = seeded[1].concept_map
    assert stored is not None
    k = mapping.suggested_clusters(mapping.result_of(stored))
    assert stored.chosen_clusters == k
    names = list(Cluster.objects.filter(concept_map=stored).values_list("name", flat=True))
    assert len(names) == k
    assert all(name.endswith("(synthetic)") for name in names)


def test_a_project_with_scales_is_left_as_it_is(seeded: tuple[Project, SeededMap]) -> None:
    project, _ = seeded
    again = seed_map_and_ratings(project, random.Random(1))
    assert (again.scales, again.ratings, again.concept_map) == (0, 0, None)
    assert project.maps.count() == 1
