"""Objects for the pages of values, draft principles, drafting rounds and publications."""

from __future__ import annotations

from typing import Any

from peerprinciples.core.library import Library
from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    Publication,
    Value,
)
from peerprinciples.web.library.services import store_framework


def drafting_objects(panel: Any) -> dict[str, Any]:
    """A value, a draft principle with one aspect, and a theme."""
    project = panel.project
    value = Value.objects.create(project=project, key="being-heard", title="Being heard")
    principle = DraftPrinciple.objects.create(
        project=project,
        key="listening",
        title="Listening first",
        definition="Peer workers listen before they suggest anything.",
    )
    principle.values.add(value)
    DraftAspect.objects.create(principle=principle, text="They ask what the person wants.")
    theme = DraftTheme.objects.create(
        project=project, key="diversity", title="Diversity", description="Many kinds of lives."
    )
    return {"value": value.pk, "principle": principle.pk, "theme": theme.pk}


def rounds_objects(panel: Any) -> dict[str, Any]:
    """Round 1, closed, and round 2, open for votes."""
    project = panel.project
    rule = {
        "low": 1,
        "high": 9,
        "agree_from": 7,
        "disagree_to": 3,
        "min_share": 0.75,
        "min_median": 7,
    }
    DraftingRound.objects.create(
        project=project,
        number=1,
        status=DraftingRound.Status.CLOSED,
        rule=rule,
        opened_by=panel.facilitator,
        closed_by=panel.facilitator,
    )
    DraftingRound.objects.create(project=project, number=2, rule=rule, opened_by=panel.facilitator)
    return {"closed_round": 1, "open_round": 2}


def publishing_objects(panel: Any) -> dict[str, Any]:
    """A framework version the project published, and the name of a file to download."""
    stored = store_framework(Library().framework("enrich@2017"))
    publication = Publication.objects.create(
        project=panel.project,
        framework=stored,
        methods="A synthetic example.",
        published_by=panel.facilitator,
    )
    return {"publication": publication.pk, "file_name": "framework.yaml"}
