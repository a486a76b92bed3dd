"""Agreed drafts to publish: two values, two principles with aspects and a theme, agreed in
a closed round 1 whose results are stored as the rounds pages store them."""

from __future__ import annotations

from typing import Any

from peerprinciples.web.coproduction.models import (
    Category,
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    Project,
    RoundStatement,
    Value,
)

RESULT = {"n": 2, "share_agree": 1.0, "median": 8.5, "agreed": True}
"""Part of a statement's stored result: what the provenance reads."""

RULE = {"low": 1, "high": 9, "agree_from": 7, "disagree_to": 3, "min_share": 0.75}


def agreed_drafts(panel: Any, project: Project | None = None) -> DraftingRound:
    """Drafts in ``project`` (the panel's by default), every statement agreed in round 1."""
    project = project or panel.project
    closed = DraftingRound.objects.create(
        project=project,
        number=1,
        status=DraftingRound.Status.CLOSED,
        rule=RULE,
        opened_by=panel.facilitator,
        closed_by=panel.facilitator,
    )
    closed.invited.set(project.members.filter(role="panel"))
    heard = Value.objects.create(project=project, key="being-heard", title="Being heard")
    Value.objects.create(
        project=project,
        key="estate-pride",
        title="Pride in the estate",
        scope="local",
        community="Riverside estate",
        position=1,
    )
    category = Category.objects.create(project=project, key="c1", label="Listening")
    listening = DraftPrinciple.objects.create(
        project=project,
        key="listening",
        title="Listening first",
        definition="Peer workers listen before they suggest anything.",
        agreed_in=closed,
    )
    listening.values.add(heard)
    listening.categories.add(category)
    DraftAspect.objects.create(
        principle=listening, text="They ask what the person wants.", agreed_in=closed
    )
    choice = DraftPrinciple.objects.create(
        project=project,
        key="choice",
        title="Choice",
        definition="The person decides what happens next.",
        agreed_in=closed,
        position=1,
    )
    DraftAspect.objects.create(
        principle=choice, text="Nothing is done without their say.", agreed_in=closed
    )
    DraftTheme.objects.create(
        project=project,
        key="diversity",
        title="Diversity",
        description="Many kinds of lives.",
        agreed_in=closed,
    )
    for position, principle in enumerate((listening, choice)):
        RoundStatement.objects.create(
            round=closed,
            kind=RoundStatement.Kind.PRINCIPLE,
            principle=principle,
            title=principle.title,
            text=principle.definition,
            position=position,
            agreed=True,
            # The shape closing a round stores: the core's StatementRound as JSON.
            result={"statement": f"principle:{principle.pk}", "result": RESULT},
        )
    return closed
