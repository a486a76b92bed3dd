"""Starting a programme: its framework version, its services, its lead and its areas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from peerprinciples.core.practice.matrix import builtin_areas
from peerprinciples.web.audit.services import record
from peerprinciples.web.evaluations.models import Service
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.practice.models import Area, Programme, ProgrammeMember


@transaction.atomic
def create_programme(
    user: Any,
    *,
    name: str,
    framework: StoredFramework,
    description: str = "",
    services: Iterable[Service] = (),
    synthetic: bool = False,
) -> Programme:
    """A new programme following ``framework``, led by ``user``, with the built-in areas."""
    programme = Programme.objects.create(
        name=name,
        description=description,
        framework=framework,
        synthetic=synthetic,
        created_by=user,
    )
    programme.services.set(list(services))
    ProgrammeMember.objects.create(programme=programme, user=user, role=ProgrammeMember.Role.LEAD)
    Area.objects.bulk_create(
        Area(
            programme=programme,
            key=area.key,
            title=area.title,
            description=area.description,
            level=area.level.value,
            built_in=True,
            position=position,
        )
        for position, area in enumerate(builtin_areas(), start=1)
    )
    record(
        user,
        "create",
        programme,
        evaluation_id=None,
        summary=f"Started the programme {name} following {framework.ref}",
    )
    return programme
