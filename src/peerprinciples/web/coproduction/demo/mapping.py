"""Synthetic ratings and a concept map for a demo project.

The project gets the two usual rating questions (importance and feasibility, 1 to 5); every
panel member rates every card on both, leaving out a few; then the concept map is drawn from
the finished sorts with a fixed seed, the most stable number of clusters is chosen and each
cluster is given the name its sorters' pile labels suggest most. Each card has a made-up
"true" importance and feasibility and each member a leaning of their own, so the averages
differ between cards and between groups the way a real panel's might. Everything is drawn
from the random generator given: the same seed gives the same ratings and the same map.
It runs after the members, cards and sorts are seeded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    ConceptMap,
    Member,
    Project,
    RatingScale,
    StatementRating,
)
from peerprinciples.web.coproduction.services import mapping
from peerprinciples.web.coproduction.services.cards import live_cards
from peerprinciples.web.coproduction.services.ratings import DEFAULT_SCALES, add_scale

MAP_SEED = 2017
"""The seed of the demo's concept map (the founding paper's year)."""
MAP_STARTS = 4
SKIPPED = 0.04
"""The share of ratings a member leaves out."""


@dataclass(frozen=True)
class SeededMap:
    """What :func:`seed_map_and_ratings` made."""

    scales: int
    ratings: int
    concept_map: ConceptMap | None


def _point(centre: float, lean: float, rng: random.Random, scale: RatingScale) -> int:
    value = round(centre + lean + rng.gauss(0, 0.8))
    return max(scale.lowest, min(scale.highest, value))


def _seed_ratings(project: Project, scales: list[RatingScale], rng: random.Random) -> int:
    cards = list(live_cards(project))
    centres = {(card.pk, scale.pk): rng.uniform(2.2, 4.6) for card in cards for scale in scales}
    raters = Member.objects.filter(project=project, role=Member.Role.PANEL).order_by("code")
    made = []
    for member in raters:
        leans = {scale.pk: rng.uniform(-0.6, 0.6) for scale in scales}
        for card in cards:
            for scale in scales:
                if rng.random() < SKIPPED:
                    continue
                value = _point(centres[card.pk, scale.pk], leans[scale.pk], rng, scale)
                made.append(StatementRating(member=member, card=card, scale=scale, value=value))
    StatementRating.objects.bulk_create(made)
    record(None, "create", project, evaluation_id=None, summary=f"{len(made)} synthetic ratings")
    return len(made)


def _name_clusters(user: object, stored: ConceptMap) -> ConceptMap:
    result = mapping.result_of(stored)
    k = mapping.suggested_clusters(result)
    stored = mapping.choose_clusters(user, stored, k, version=stored.version)
    for region in mapping.result_of(stored).regions(k):
        name = f"{region.name} (synthetic)"[:100]
        stored = mapping.rename_cluster(user, stored, region.number, name, version=stored.version)
    return stored


@transaction.atomic
def seed_map_and_ratings(project: Project, rng: random.Random) -> SeededMap:
    """Add rating questions, ratings by every panel member and a named concept map to
    ``project``, whose members, cards and sorts exist already.

    A project that has rating questions or a map already is left as it is; without two
    finished sorts of three cards there is no map (the ratings are still made).
    """
    if RatingScale.objects.filter(project=project).exists() or project.maps.exists():
        return SeededMap(0, 0, None)
    user = project.created_by
    scales = [add_scale(user, project, draft) for draft in DEFAULT_SCALES]
    ratings = _seed_ratings(project, scales, rng)
    try:
        stored = mapping.run_map(user, project, seed=MAP_SEED, starts=MAP_STARTS)
    except mapping.MapRefused:
        return SeededMap(len(scales), ratings, None)
    return SeededMap(len(scales), ratings, _name_clusters(user, stored))
