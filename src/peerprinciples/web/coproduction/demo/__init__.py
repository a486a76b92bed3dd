"""The demo co-production project: synthetic, clearly marked, shaped like the founding
paper's (a coded review with codes in categories, a panel of ten with five cards each, a
group sort, individual sorts, ratings and a concept map, then values, draft principles
mapped onto the review's categories and the panel's piles, two drafting rounds to agreement
and the framework published from them). A second synthetic project adapts ENRICH for a
made-up community hub, with one round finished and one open.

Each part seeds its own data (``demo/<part>.py``); this module puts them together once, in
one transaction, with a fixed seed so the demo looks the same every time. Three demo
accounts take part: ``demo-facilitator`` facilitates (F01, with lived experience),
``demo-lead`` is on the research team (R01) and ``demo-panel-member`` is a panel member (P01).
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from peerprinciples.web.accounts.services import demo_password
from peerprinciples.web.coproduction.demo.cards import seed_members_and_cards
from peerprinciples.web.coproduction.demo.drafting import seed_drafts
from peerprinciples.web.coproduction.demo.evidence import seed_evidence
from peerprinciples.web.coproduction.demo.mapping import seed_map_and_ratings
from peerprinciples.web.coproduction.demo.publishing import ensure_adaptation_demo, publish_demo
from peerprinciples.web.coproduction.demo.rounds import run_demo_rounds, seed_adaptation_rounds
from peerprinciples.web.coproduction.demo.sorting import seed_sorts
from peerprinciples.web.coproduction.models import Project

DEMO_PROJECT = "DEMO: what peer support should hold on to (synthetic co-production)"
DEMO_QUESTION = (
    "What is it about peer support that must not be lost when it becomes part of a "
    "mental health service?"
)
SEED = 2017
ACCOUNTS = {"demo-facilitator": "F01", "demo-lead": "R01", "demo-panel-member": "P01"}
"""The demo accounts that take part, and their codes in the project."""
NEW_ACCOUNTS = ("demo-panel-member",)
"""Accounts only the co-production demo uses (the others belong to the demo evaluation)."""


def ensure_coproduction_demo() -> tuple[Project, dict[str, str]]:
    """Create the demo project once; give the accounts only it uses fresh passwords, and
    return those with the project.

    A demo project made before it had ratings and a concept map, or draft values and
    principles, gets them now (a project that has them already is left as it is)."""
    passwords = {name: demo_password(name) for name in NEW_ACCOUNTS}
    for name in ACCOUNTS:
        if name not in passwords:
            get_user_model().objects.get_or_create(username=name)
    project = Project.objects.filter(synthetic=True, name=DEMO_PROJECT).first()
    if project is None:
        project = _create_demo()
    else:
        seed_map_and_ratings(project, random.Random(SEED))
        seed_drafts(project, random.Random(SEED))
        run_demo_rounds(project, random.Random(SEED))
        publish_demo(project)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    adaptation = ensure_adaptation_demo(users)
    seed_adaptation_rounds(adaptation, random.Random(SEED))
    return project, passwords


@transaction.atomic
def _create_demo() -> Project:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    by_code = {code: users[name] for name, code in ACCOUNTS.items()}
    project = Project.objects.create(
        name=DEMO_PROJECT,
        framing_question=DEMO_QUESTION,
        description=(
            "A made-up project for trying the application out: every source, card, sort and "
            "rating in it is synthetic."
        ),
        synthetic=True,
        created_by=by_code["F01"],
    )
    rng = random.Random(SEED)
    seed_members_and_cards(project, rng, users=by_code)
    seed_evidence(project, rng)
    seed_sorts(project, rng)
    seed_map_and_ratings(project, rng)
    seed_drafts(project, rng)
    project.stage = Project.Stage.MAPPING
    project.save(update_fields=["stage"])
    # Needs the draft principles; moves the stage on to the rounds when it runs.
    run_demo_rounds(project, rng)
    # Once the drafts and rounds are seeded (before this line), the agreed wording is
    # published; it does nothing while something is not agreed.
    publish_demo(project)
    return project
