"""Synthetic values, draft principles and a theme for a demo project.

Six values (one of them local to a made-up community), five draft principles with two to four
aspects each, and one theme on the diversity of lived experience, all written for trying the
application out. They are linked to the demo's review categories, group-sort piles and
chosen concept-map clusters so that the coverage page shows every case: principles resting on
both sides, on the review only, on the panel only and on nothing yet, and one category and one
pile that support nothing. It runs after the evidence, the sorts and the map are seeded; the
wording is never a published framework's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    Category,
    DraftAspect,
    DraftPrinciple,
    DraftTheme,
    Pile,
    Project,
    Scope,
    Value,
)
from peerprinciples.web.coproduction.services import drafting


@dataclass(frozen=True)
class DemoValue:
    key: str
    title: str
    description: str
    community: str = ""


@dataclass(frozen=True)
class DemoPrinciple:
    key: str
    title: str
    definition: str
    aspects: tuple[str, ...]
    values: tuple[str, ...]
    categories: tuple[int, ...]
    """Indexes into the project's categories, in key order."""
    piles: tuple[int, ...]
    """Indexes into the group sort's piles, in their order."""


VALUES = (
    DemoValue(
        "being-believed",
        "Being believed",
        "What a person says about their own life is taken as true and taken seriously.",
    ),
    DemoValue(
        "equal-footing",
        "Equal footing",
        "Nobody is the expert on someone else's life; decisions are made together.",
    ),
    DemoValue(
        "hope",
        "Hope that is earned",
        "Hope that comes from seeing someone who has come "
        "through a hard time, not from reassurance.",
    ),
    DemoValue("own-pace", "At one's own pace", "Support follows the speed the person chooses."),
    DemoValue("belonging", "Belonging", "Feeling part of something beyond the service."),
    DemoValue(
        "rural-closeness",
        "Knowing the place",
        "In a small place, the worker knows the roads, the bus times and who to ask.",
        community="A made-up peer support service in a rural district (synthetic)",
    ),
)

PRINCIPLES = (
    DemoPrinciple(
        "shared-experience",
        "Trust that grows from shared experience",
        "Workers draw on having been through something alike, so that trust can grow.",
        (
            "Workers decide for themselves what of their own story to tell, and when.",
            "Telling one's story is done for the other person's sake.",
            "Being understood does not depend on explaining everything first.",
        ),
        ("being-believed", "hope"),
        (0,),
        (0, 1),
    ),
    DemoPrinciple(
        "as-equals",
        "Side by side, as equals",
        "Power is shared: the worker and the person work out together what happens next.",
        (
            "Plans are written with the person, in their words.",
            "Workers say plainly what they can and cannot do.",
        ),
        ("equal-footing",),
        (1, 2),
        (2,),
    ),
    DemoPrinciple(
        "choice",
        "Choice and control stay with the person",
        "The person chooses what support they want, when and where.",
        (
            "Saying no to an offer of support has no cost.",
            "Support can stop and start again without starting over.",
            "Meetings happen where the person feels at ease.",
        ),
        ("own-pace", "equal-footing"),
        (3, 4),
        (),
    ),
    DemoPrinciple(
        "beyond-the-service",
        "Links beyond the service",
        "Workers help people find a place in groups and places outside mental health care.",
        (
            "Workers know what the neighbourhood offers.",
            "A first visit to a new group can be made together.",
        ),
        ("belonging", "rural-closeness"),
        (),
        (3, 4),
    ),
    DemoPrinciple(
        "room-to-grow",
        "Room to grow, for workers too",
        "Peer workers have supervision and training that respect what peer work is.",
        (
            "Supervision comes from someone who knows peer work.",
            "Workers can take time out when their own health asks for it.",
            "Training includes telling one's story safely.",
            "Workers' ideas change how the service runs.",
        ),
        ("hope",),
        (),
        (),
    ),
)

THEME_TITLE = "Diversity of lived experience"
THEME_TEXT = (
    "Lived experience differs with culture, age, faith, gender, sexuality and disability: "
    "each principle should hold for people whose lives differ from the worker's. (Synthetic.)"
)


def _links(items: list[object], chosen: tuple[int, ...]) -> list[object]:
    return [items[i] for i in chosen if i < len(items)]


@transaction.atomic
def seed_drafts(project: Project, rng: random.Random) -> int:
    """Add the demo's values, draft principles and theme to ``project`` (once: a project
    with draft principles is left as it is); returns how many principles were added.

    ``rng`` is taken for the same shape as the other seeding steps; the drafts are fixed
    text, so nothing is drawn from it."""
    del rng
    if DraftPrinciple.objects.filter(project=project).exists():
        return 0
    categories: list[object] = list(Category.objects.filter(project=project).order_by("key"))
    piles: list[object] = list(
        Pile.objects.filter(group_sort__project=project).order_by("group_sort__pk", "position")
    )
    values = {}
    for position, demo in enumerate(VALUES, start=1):
        value = Value.objects.create(
            project=project,
            key=demo.key,
            title=demo.title,
            description=demo.description,
            scope=Scope.LOCAL if demo.community else Scope.GENERAL,
            community=demo.community,
            position=position,
        )
        values[demo.key] = value
    # Values rest on the same categories and piles as the principles protecting them.
    made = []
    for position, demo in enumerate(PRINCIPLES, start=1):
        principle = DraftPrinciple.objects.create(
            project=project,
            key=demo.key,
            title=demo.title,
            definition=demo.definition,
            position=position,
        )
        principle.values.set([values[key] for key in demo.values])
        principle.categories.set(_links(categories, demo.categories))
        principle.piles.set(_links(piles, demo.piles))
        for value_key in demo.values:
            values[value_key].categories.add(*_links(categories, demo.categories))
            values[value_key].piles.add(*_links(piles, demo.piles))
        DraftAspect.objects.bulk_create(
            DraftAspect(principle=principle, text=text, position=n)
            for n, text in enumerate(demo.aspects, start=1)
        )
        made.append(principle)
    # The rest of the categories back the review-only principle and the rest of the piles the
    # panel-only one, all but the last of each: those two are left supporting nothing.
    used = max(i for demo in PRINCIPLES for i in demo.categories) + 1
    made[2].categories.add(*categories[used:-1])
    used = max(i for demo in PRINCIPLES for i in demo.piles) + 1
    made[3].piles.add(*piles[used:-1])
    # The chosen concept-map clusters back the principles the panel already supports.
    panel_backed = (made[0], made[1], made[3])
    for n, cluster in enumerate(drafting.supports_of(project).clusters):
        panel_backed[n % len(panel_backed)].clusters.add(cluster)
    DraftTheme.objects.create(
        project=project, key="diversity", title=THEME_TITLE, description=THEME_TEXT, position=1
    )
    record(
        None,
        "create",
        project,
        evaluation_id=None,
        summary=f"Synthetic values ({len(VALUES)}), draft principles ({len(made)}) and a theme",
    )
    return len(made)
