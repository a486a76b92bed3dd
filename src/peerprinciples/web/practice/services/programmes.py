"""Starting a programme: its framework version, its services, its lead and its areas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet

from peerprinciples.core.practice.matrix import Status, builtin_areas
from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.evaluations.models import Service
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.permissions import linkable_services
from peerprinciples.web.practice.models import Area, Programme, ProgrammeMember

NAME_LENGTH = 200


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


def filled_cells(prefix: str) -> Q:
    """A cell (reached through ``prefix``) with anything written or decided in it, as the
    core's ``Cell.filled`` says."""
    return (
        ~Q(**{f"{prefix}text": ""})
        | ~Q(**{f"{prefix}evidence": ""})
        | ~Q(**{f"{prefix}status": ""})
        | ~Q(**{f"{prefix}holder": ""})
    )


def programmes_of(user: Any) -> QuerySet[ProgrammeMember]:
    """The person's memberships, each with its programme and framework row (document left
    unread) and the counts ``filled`` and ``in_place`` of the programme's cells: facts about
    the matrix, never a score."""
    return (
        ProgrammeMember.objects.filter(user_id=user.pk)
        .select_related("programme__framework")
        .defer("programme__framework__document")
        .annotate(
            filled=Count("programme__cells", filter=filled_cells("programme__cells__")),
            in_place=Count(
                "programme__cells",
                filter=Q(programme__cells__status=Status.IN_PLACE.value),
            ),
        )
        .order_by("programme__name", "programme__pk")
    )


def programme_snapshot(programme: Programme) -> dict[str, Any]:
    """What the audit trail keeps of a programme's settings."""
    return {
        "id": programme.pk,
        "name": programme.name,
        "description": programme.description,
        "services": sorted(programme.services.values_list("pk", flat=True)),
        "shares_matrix": programme.shares_matrix,
        "version": programme.version,
    }


def checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(
            {"name": "Give the programme a name, for example: Peer support in the community teams."}
        )
    if len(name) > NAME_LENGTH:
        raise InvalidInput({"name": f"Use at most {NAME_LENGTH} characters for the name."})
    return name


def checked_services(
    user: Any, chosen: Iterable[Service], already: Iterable[Service] = ()
) -> list[Service]:
    """The services chosen, when each is one ``user`` may link (or was linked already); an
    :class:`InvalidInput` naming the others."""
    chosen = list(chosen)
    allowed = {service.pk for service in linkable_services(user)}
    allowed |= {service.pk for service in already}
    refused = [service for service in chosen if service.pk not in allowed]
    if refused:
        listed = ", ".join(service.code for service in refused)
        raise InvalidInput(
            {
                "services": f"You do not lead the evaluation of {listed}: only a lead of an "
                "evaluation may link its services to a programme. Ask them to link it."
            }
        )
    return chosen


@transaction.atomic
def change_programme(
    user: Any,
    programme: Programme,
    *,
    name: str,
    description: str,
    services: Iterable[Service],
    shares_matrix: bool,
    version: int,
) -> Programme:
    """Change the programme's settings; refused with :class:`StaleEdit` when another lead
    saved them after ``version``."""
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    if locked.version != version:
        raise StaleEdit("programme's settings")
    already = list(locked.services.all())
    fields = {"name": checked_name(name), "description": description.strip()}
    chosen = checked_services(user, services, already)
    before = programme_snapshot(locked)
    locked.name = fields["name"]
    locked.description = fields["description"]
    locked.shares_matrix = shares_matrix
    locked.version = F("version") + 1  # type: ignore[assignment]
    locked.save(update_fields=["name", "description", "shares_matrix", "version"])
    locked.refresh_from_db()
    locked.services.set(chosen)
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=f"Changed the settings of the programme {locked.name}",
        before=before,
        after=programme_snapshot(locked),
    )
    return locked
