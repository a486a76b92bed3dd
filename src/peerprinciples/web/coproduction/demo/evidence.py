"""A made-up literature review for the demo project, shaped like the founding paper's.

About thirty sources from 1995 to 2016, most peer-reviewed and some grey literature (reports
by peer-led groups and services), coded with codes gathered in eight categories of what
matters in peer support. Every citation starts with "Example" and names no real work; the
categories, definitions and passages are written for the demo in plain words.

The same ``rng`` seed gives the same review, so the demo looks alike every time.
"""

from __future__ import annotations

import random
from typing import NamedTuple

from peerprinciples.core.coproduction import evidence as core
from peerprinciples.web.coproduction.models import Project
from peerprinciples.web.coproduction.services.evidence import store_evidence

SOURCES = 30
FIRST_YEAR, LAST_YEAR = 1995, 2016
GREY_SHARE = 0.3
"""About this share of the sources are grey literature."""


class DemoCode(NamedTuple):
    label: str
    definition: str
    passage: str
    """A made-up sentence of the kind a source coded with it would hold."""


class DemoCategory(NamedTuple):
    label: str
    description: str
    weight: float
    """How often sources give the category, relative to the others."""
    codes: tuple[DemoCode, ...]


CATEGORIES = (
    DemoCategory(
        "Relationships grounded in shared experience",
        "Trust that grows because the worker has lived through something alike.",
        3.0,
        (
            DemoCode(
                "Sharing one's own story",
                "The worker tells parts of their own experience when it helps the person.",
                "Hearing how the worker had come through a hard time made it easier to talk.",
            ),
            DemoCode(
                "Being understood without explaining",
                "The person feels understood without having to find the words first.",
                "People said they did not have to explain themselves from the start.",
            ),
            DemoCode(
                "Time and kindness",
                "Support given unhurried, with warmth rather than a set procedure.",
                "The worker had time to sit and listen, and that mattered most.",
            ),
        ),
    ),
    DemoCategory(
        "Give and take between equals",
        "Both people give and receive; neither only gives help.",
        2.4,
        (
            DemoCode(
                "Learning from each other",
                "Both people say they learned something from the other.",
                "Workers described learning as much as the people they supported.",
            ),
            DemoCode(
                "Equal footing",
                "The relationship feels level, without one person above the other.",
                "It felt like talking to an equal rather than to a professional.",
            ),
        ),
    ),
    DemoCategory(
        "Knowledge from lived experience",
        "What people learned by living through distress is valued as knowledge.",
        2.0,
        (
            DemoCode(
                "Experience counts as expertise",
                "Lived experience is treated as a source of knowledge in its own right.",
                "The team came to see the peer worker's experience as expertise.",
            ),
            DemoCode(
                "Another way of making sense",
                "An understanding of distress that differs from clinical explanations.",
                "The worker offered a way of making sense that was not about diagnosis.",
            ),
        ),
    ),
    DemoCategory(
        "Choice and leadership",
        "People choose the support they get, and peers lead how it is given.",
        1.8,
        (
            DemoCode(
                "The person decides",
                "The person supported sets the pace and the goals.",
                "People chose what to talk about and when to stop meeting.",
            ),
            DemoCode(
                "Peers lead the work",
                "Peer workers shape and run the service, not only deliver it.",
                "The project was designed and run by people with lived experience.",
            ),
        ),
    ),
    DemoCategory(
        "Hope and recovery",
        "Recovery shown to be possible by someone living it.",
        1.6,
        (
            DemoCode(
                "Seeing that things can change",
                "The worker's life shows the person that things can get better.",
                "Meeting someone who was doing well gave people hope.",
            ),
            DemoCode(
                "Recovery on one's own terms",
                "Recovery is what the person says it is, not a fixed end point.",
                "Workers avoided telling people what recovery should look like.",
            ),
        ),
    ),
    DemoCategory(
        "Connection to community",
        "Links to people, groups and places beyond services.",
        1.2,
        (
            DemoCode(
                "Building links outside services",
                "Help to find groups, activities and friendships in the community.",
                "The worker went along to a local group until the person felt at ease.",
            ),
            DemoCode(
                "Belonging",
                "Feeling part of something, and less alone.",
                "People spoke of feeling less alone for the first time in years.",
            ),
        ),
    ),
    DemoCategory(
        "Freedom from rigid roles",
        "Room to work flexibly rather than by clinical rules.",
        0.9,
        (
            DemoCode(
                "Flexible boundaries",
                "Boundaries agreed between the two people rather than set by rule.",
                "Workers and people agreed together where the limits would be.",
            ),
            DemoCode(
                "Not becoming a clinician",
                "The peer role keeps its own character inside a clinical team.",
                "Some workers felt pressed to act like the clinical staff around them.",
            ),
        ),
    ),
    DemoCategory(
        "Safety and support for workers",
        "What peer workers need to do the role safely and well.",
        0.7,
        (
            DemoCode(
                "Supervision by peers",
                "Supervision from someone who understands the peer role.",
                "Workers valued supervision from a more experienced peer worker.",
            ),
            DemoCode(
                "Looking after oneself",
                "Workers are supported to look after their own wellbeing.",
                "The team made room for workers to take time out when they needed it.",
            ),
        ),
    ),
)

_SURNAMES = tuple("ABCDEFGHJKLMNPQRSTUVWXYZ")
_TOPICS = (
    "Peer support on an acute ward",
    "Shared experience in community teams",
    "What peer workers bring",
    "Mutual help in recovery colleges",
    "A peer-led crisis house",
    "Peer workers and clinical teams",
    "Hope in one-to-one peer support",
    "Training peer workers",
    "Peer support after discharge",
    "Choice in peer-led services",
)
_JOURNALS = ("Journal of Examples", "Example Mental Health Review", "Example Practice")
_REPORTERS = ("Example Peer Network", "Example Service User Group", "Example Trust")


def _source(number: int, rng: random.Random) -> core.Source:
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    grey = rng.random() < GREY_SHARE
    author = f"Example {_SURNAMES[number % len(_SURNAMES)]}{number // len(_SURNAMES) or ''}."
    topic = rng.choice(_TOPICS)
    if grey:
        citation = f"{rng.choice(_REPORTERS)} ({year}) {topic}: an evaluation report. Synthetic."
        return core.Source(f"S{number:02d}", citation, core.SourceKind.GREY, year)
    journal = rng.choice(_JOURNALS)
    citation = f"{author} ({year}) {topic}. {journal} {rng.randint(1, 40)}. Synthetic."
    doi = f"10.5555/example.{year}.{number:02d}"
    return core.Source(f"S{number:02d}", citation, core.SourceKind.PEER_REVIEWED, year, doi)


def synthetic_review(rng: random.Random) -> core.Evidence:
    """The demo's review as evidence: sources, categories, codes and coded passages."""
    categories = tuple(
        core.Category(f"C{i}", category.label, category.description)
        for i, category in enumerate(CATEGORIES, start=1)
    )
    codes = tuple(
        core.Code(f"C{i}.{j}", code.label, code.definition, category=f"C{i}")
        for i, category in enumerate(CATEGORIES, start=1)
        for j, code in enumerate(category.codes, start=1)
    )
    passages = {
        f"C{i}.{j}": code.passage
        for i, category in enumerate(CATEGORIES, start=1)
        for j, code in enumerate(category.codes, start=1)
    }
    weights = [category.weight for category in CATEGORIES]
    sources = tuple(_source(number, rng) for number in range(1, SOURCES + 1))
    quotations = []
    for source in sources:
        for number in range(1, rng.randint(1, 4) + 1):
            category = rng.choices(range(1, len(CATEGORIES) + 1), weights)[0]
            first = f"C{category}.{rng.randint(1, len(CATEGORIES[category - 1].codes))}"
            given = [first]
            if rng.random() < 0.25:
                other = rng.choice(codes).key
                if other != first:
                    given.append(other)
            quotations.append(
                core.Quotation(f"{source.key}#{number}", source.key, tuple(given), passages[first])
            )
    return core.Evidence(sources, categories, codes, tuple(quotations))


def seed_evidence(project: Project, rng: random.Random) -> core.Evidence:
    """Store the demo's synthetic review in ``project`` (all of it, in one transaction) and
    return it."""
    evidence = synthetic_review(rng)
    store_evidence(None, project, evidence, file_name="the demo's synthetic review")
    return evidence
