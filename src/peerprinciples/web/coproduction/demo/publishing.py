"""The demo's publishing: the demo project's agreed drafts published as a synthetic
framework with a starter index and a starter reflection guide, and a second synthetic
project adapting ENRICH for a made-up community service.

Both are idempotent: a project already published, or an adaptation project already there,
is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftPrinciple,
    Member,
    Project,
    Publication,
    Value,
)
from peerprinciples.web.coproduction.services.adaptations import base_frameworks
from peerprinciples.web.coproduction.services.projects import create_project
from peerprinciples.web.coproduction.services.publishing_guides import (
    STARTER_GUIDE,
    guide_for,
    guide_of,
)
from peerprinciples.web.coproduction.services.publishing_store import STARTER_INDEX, publish
from peerprinciples.web.errors import DomainError
from peerprinciples.web.library.services import store_guide

DEMO_KEY = "demo-principles"
DEMO_VERSION = "1"

ADAPTATION_PROJECT = "DEMO: ENRICH for the Riverside community hub (synthetic adaptation)"
ADAPTATION_KEY = "demo-riverside-enrich"
ADAPTATION_BASE = ("enrich", "2017")


def publish_demo(project: Project) -> Publication | None:
    """Publish the demo project's agreed drafts as ``demo-principles@1`` with a starter
    index and a starter reflection guide; nothing when it is published already (a demo
    published before guides were stored gets its starter guide) or not everything is agreed
    yet."""
    published = Publication.objects.filter(project=project).first()
    if published is not None:
        if guide_of(published) is None:
            framework = published.framework.model()
            guide = guide_for(framework, STARTER_GUIDE)
            assert guide is not None
            store_guide(guide, framework)
        return published
    facilitator = (
        Member.objects.filter(project=project, role=Member.Role.FACILITATOR)
        .exclude(user=None)
        .first()
    )
    if facilitator is None or not DraftPrinciple.objects.filter(project=project).exists():
        return None
    if not project.framework_key:
        project.framework_key = DEMO_KEY
        project.save(update_fields=["framework_key"])
    try:
        return publish(
            facilitator.user,
            project,
            title="Demo peer support principles (synthetic demonstration)",
            summary=(
                "Principles published from the synthetic demo project, to show how a "
                "co-produced framework is published. Not for use in a service."
            ),
            version=DEMO_VERSION,
            instrument=STARTER_INDEX,
            guide=STARTER_GUIDE,
        )
    except DomainError:
        return None  # a round still open, or something not agreed: publish it by hand


REWORDS = {
    "relationships": (
        "Peer workers at the hub build relationships that feel like meeting a neighbour: "
        "warm, informal and on the person's own terms."
    ),
    "mutuality": (
        "Peer workers and the people they meet at the hub learn from each other; both give "
        "and both take."
    ),
}
"""Two of ENRICH's principles, reworded for the made-up hub."""


@transaction.atomic
def ensure_adaptation_demo(users: dict[str, Any]) -> Project:
    """The synthetic adaptation project, made once: ``demo-facilitator`` facilitates,
    ``demo-lead`` is on the research team and ``demo-panel-member`` on the panel."""
    found = Project.objects.filter(synthetic=True, name=ADAPTATION_PROJECT).first()
    if found is not None:
        return found
    base = base_frameworks().get(key=ADAPTATION_BASE[0], version=ADAPTATION_BASE[1])
    project = create_project(
        users["demo-facilitator"],
        name=ADAPTATION_PROJECT,
        framing_question=(
            "What should ENRICH's principles say for peer support at the Riverside hub?"
        ),
        description=(
            "A made-up local adaptation for trying the application out: the Riverside "
            "community hub and everything said about it are synthetic."
        ),
        code="F01",
        kind=Project.Kind.ADAPTATION,
        base_framework=base,
        framework_key=ADAPTATION_KEY,
    )
    project.synthetic = True
    project.stage = Project.Stage.DRAFTING
    project.save(update_fields=["synthetic", "stage"])
    Member.objects.create(
        project=project, user=users["demo-lead"], code="R01", role=Member.Role.RESEARCH
    )
    Member.objects.create(
        project=project, user=users["demo-panel-member"], code="P01", role=Member.Role.PANEL
    )
    for key, definition in REWORDS.items():
        DraftPrinciple.objects.filter(project=project, key=key).update(definition=definition)
    local_value = Value.objects.create(
        project=project,
        key="riverside-belonging",
        title="Belonging to the Riverside community",
        description="The hub is part of the neighbourhood, not a service dropped into it.",
        scope="local",
        community="Riverside community hub (made up)",
        position=Value.objects.filter(project=project).count(),
    )
    local = DraftPrinciple.objects.create(
        project=project,
        key="meeting-in-community",
        title="Meeting in the community",
        definition=(
            "Peer support happens where people already are: the hub's café, the market and "
            "the park, as well as in rooms."
        ),
        scope="local",
        position=DraftPrinciple.objects.filter(project=project).count(),
    )
    local.values.add(local_value)
    DraftAspect.objects.create(
        principle=local, text="Peer workers offer to meet where the person feels at home."
    )
    return project
