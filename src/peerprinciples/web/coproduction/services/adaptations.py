"""Local adaptation projects: the published frameworks one may start from, and copying a
base framework's wording into a new project's drafts.

An adaptation project starts with the base's values, principles (with their aspects) and
themes as its drafts, each with ``base_key`` naming the entry it comes from. The team then
rewords them, adds local principles or takes some out, and runs the same drafting rounds;
publishing records only what changed, as an adaptation that ``extends`` the base.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerprinciples.core.library import Library
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftPrinciple,
    DraftTheme,
    Project,
    Value,
)
from peerprinciples.web.library.models import StoredFramework, synthetic_last
from peerprinciples.web.library.services import load_library


def base_frameworks(library: Library | None = None) -> QuerySet[StoredFramework]:
    """Every stored framework version, the library's own (ENRICH among them) stored first
    if they are not yet; those published from synthetic demonstration data come last."""
    library = library or Library.from_environment()
    known = set(StoredFramework.objects.values_list("key", "version"))
    if any(tuple(entry.ref.split("@", 1)) not in known for entry in library.frameworks()):
        load_library(library)
    return synthetic_last(StoredFramework.objects.all())


def copy_base(user: Any, project: Project, stored: StoredFramework) -> dict[str, int]:
    """Copy ``stored``'s wording into ``project``'s drafts (inside the caller's transaction);
    returns how many values, principles, aspects and themes were copied."""
    base = stored.model()
    values = {}
    for position, value in enumerate(base.values):
        values[value.key] = Value.objects.create(
            project=project,
            key=value.key,
            title=value.title,
            description=value.description,
            scope=value.scope,
            community=getattr(value, "community", ""),
            base_key=value.key,
            position=position,
        )
    principles = {}
    aspects = 0
    for position, principle in enumerate(base.principles):
        draft = DraftPrinciple.objects.create(
            project=project,
            key=principle.key,
            title=principle.title,
            definition=principle.definition,
            scope=principle.scope,
            base_key=principle.key,
            position=position,
        )
        draft.values.set([values[key] for key in principle.values if key in values])
        for number, text in enumerate(principle.aspects):
            DraftAspect.objects.create(principle=draft, text=text, position=number)
            aspects += 1
        principles[principle.key] = draft
    for position, theme in enumerate(base.themes):
        draft_theme = DraftTheme.objects.create(
            project=project,
            key=theme.key,
            title=theme.title,
            description=theme.description,
            base_key=theme.key,
            position=position,
        )
        if theme.applies_to != "all":
            draft_theme.applies_to.set([principles[k] for k in theme.applies_to if k in principles])
    copied = {
        "values": len(values),
        "principles": len(principles),
        "aspects": aspects,
        "themes": len(base.themes),
    }
    record(
        user,
        "create",
        project,
        evaluation_id=None,
        summary=f"Copied the wording of {stored.ref} into the drafts to adapt it",
        after={"base": stored.ref, **copied},
    )
    return copied
