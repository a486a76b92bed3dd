"""A programme's areas of implementation: rewording, levels, its own areas and their order.

The built-in areas are a starting point in the programme's own words: each can be reworded
and moved to another level, but not removed (its key is what handbooks and comparisons with
other programmes line up on). A programme's own (local) area can be removed only while
nothing is written in its cells, so no one's work is lost by a click; the refusal says which
principles have something written.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify

from peerprinciples.core.practice.matrix import Level
from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.practice.models import Area, Cell, Programme
from peerprinciples.web.practice.services.programmes import filled_cells

TITLE_LENGTH = 200
KEY_LENGTH = 80
LEVEL_VALUES = frozenset(level.value for level in Level)


def area_snapshot(area: Area) -> dict[str, Any]:
    return {
        "id": area.pk,
        "programme": area.programme_id,
        "key": area.key,
        "title": area.title,
        "description": area.description,
        "level": area.level,
        "built_in": area.built_in,
        "position": area.position,
        "version": area.version,
    }


def _checked(title: str, description: str, level: str) -> dict[str, str]:
    problems = {}
    title = " ".join(title.split())
    if not title:
        problems["title"] = "Give the area a title, for example: Lone working and safety."
    elif len(title) > TITLE_LENGTH:
        problems["title"] = f"Use at most {TITLE_LENGTH} characters for the title."
    if level not in LEVEL_VALUES:
        problems["level"] = (
            "Choose the level it is looked after at: individual, team or organisation."
        )
    if problems:
        raise InvalidInput(problems)
    return {"title": title, "description": description.strip(), "level": level}


def _locked(programme: Programme, area_id: int, version: int) -> Area:
    found = Area.objects.select_for_update().filter(programme=programme, pk=area_id).first()
    if found is None:
        raise DomainError(
            "That area is no longer in this programme: another lead may have removed it. "
            "The list below is up to date."
        )
    if found.version != version:
        raise StaleEdit("area")
    return found


def _bump(area: Area, fields: list[str]) -> None:
    area.version = F("version") + 1  # type: ignore[assignment]
    area.save(update_fields=[*fields, "version"])
    area.refresh_from_db()


@transaction.atomic
def edit_area(
    user: Any,
    programme: Programme,
    area_id: int,
    *,
    title: str,
    description: str,
    level: str,
    version: int,
) -> Area:
    """Reword an area or move it to another level."""
    area = _locked(programme, area_id, version)
    fields = _checked(title, description, level)
    before = area_snapshot(area)
    for name, value in fields.items():
        setattr(area, name, value)
    _bump(area, list(fields))
    record(
        user,
        "change",
        area,
        evaluation_id=None,
        summary=f"Changed the area “{area.title}”",
        before=before,
        after=area_snapshot(area),
    )
    return area


def _free_key(programme: Programme, title: str) -> str:
    base = slugify(title)[: KEY_LENGTH - 4].strip("-") or "area"
    taken = set(Area.objects.filter(programme=programme).values_list("key", flat=True))
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


@transaction.atomic
def add_area(user: Any, programme: Programme, *, title: str, description: str, level: str) -> Area:
    """A local area of the programme's own, after its others."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    fields = _checked(title, description, level)
    top = Area.objects.filter(programme=programme).aggregate(top=Max("position"))["top"] or 0
    area = Area.objects.create(
        programme=programme,
        key=_free_key(programme, fields["title"]),
        built_in=False,
        position=top + 1,
        **fields,
    )
    record(
        user,
        "create",
        area,
        evaluation_id=None,
        summary=f"Added the area “{area.title}”",
        after=area_snapshot(area),
    )
    return area


@transaction.atomic
def move_area(user: Any, programme: Programme, area_id: int, *, up: bool, version: int) -> Area:
    """Swap an area with the one before (``up``) or after it in the programme's order."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    area = _locked(programme, area_id, version)
    ordered = list(Area.objects.filter(programme=programme).order_by("position", "pk"))
    index = next(i for i, found in enumerate(ordered) if found.pk == area.pk)
    neighbour_index = index - 1 if up else index + 1
    if not 0 <= neighbour_index < len(ordered):
        raise DomainError(f"“{area.title}” is already {'first' if up else 'last'}.")
    # Positions are renumbered in order, so equal positions left by older data never stop a move.
    ordered[index], ordered[neighbour_index] = ordered[neighbour_index], ordered[index]
    before = area_snapshot(area)
    for position, found in enumerate(ordered, start=1):
        if found.position != position:
            Area.objects.filter(pk=found.pk).update(position=position)
    area.refresh_from_db()
    _bump(area, [])
    record(
        user,
        "change",
        area,
        evaluation_id=None,
        summary=f"Moved the area “{area.title}” {'up' if up else 'down'}",
        before=before,
        after=area_snapshot(area),
    )
    return area


@transaction.atomic
def remove_area(user: Any, programme: Programme, area_id: int, *, version: int) -> str:
    """Remove a local area whose cells are all empty; returns its title."""
    area = _locked(programme, area_id, version)
    if area.built_in:
        raise DomainError(
            f"“{area.title}” is one of the built-in areas, which stay so that handbooks and "
            "comparisons line up: reword it to fit the programme instead."
        )
    written = sorted(
        Cell.objects.filter(area=area).filter(filled_cells("")).values_list("principle", flat=True)
    )
    if written:
        raise DomainError(
            f"“{area.title}” stays: its cells for {', '.join(written)} have something written "
            "in them. Empty those cells first (or keep the area), so nobody's work is lost."
        )
    title = area.title
    record(
        user,
        "delete",
        area,
        evaluation_id=None,
        summary=f"Removed the area “{title}”",
        before=area_snapshot(area),
    )
    area.delete()
    return title
