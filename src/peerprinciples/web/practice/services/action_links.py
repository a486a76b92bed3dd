"""Linking reflection actions to a cell of the matrix.

A service's reflection cycle agrees actions about a principle ("agree a weekly time to meet
as peers"); linking one to a cell says that it works on how that principle shows in that
area. Only actions the person may read can be listed or linked: an action stays with the
people its evaluation lets read the service's reflections. Links to actions the person may
not read, made by someone who may, are kept as they are when the person saves theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import Http404

from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.practice.models import Area, Cell, Programme
from peerprinciples.web.practice.services.gaps import linked_services
from peerprinciples.web.reflection.models import Action, Cycle


@dataclass(frozen=True)
class Place:
    """One cell's place in a programme's matrix: its area row and its principle."""

    programme: Programme
    area: Area
    principle: str
    principle_title: str


def place_of(programme: Programme, area: str, principle: str) -> Place:
    """The area and principle a cell's URL names: 404 when the programme has no such area,
    or its framework version no such principle or theme."""
    found = Area.objects.filter(programme=programme, key=area).first()
    titles = programme.framework.model().titles()
    if found is None or principle not in titles:
        raise Http404("No such cell in this programme's matrix.")
    return Place(programme, found, principle, titles[principle])


@dataclass(frozen=True)
class CycleActions:
    """The actions agreed in one reflection cycle, the cell's principle first."""

    cycle: Cycle
    actions: tuple[Action, ...]


def readable_actions(user: Any, programme: Programme) -> list[Action]:
    """Every action agreed in the reflection cycles of the programme's services that
    ``user`` may read there, by service, round and when it was agreed."""
    readable = [s.service.pk for s in linked_services(user, programme) if s.reads_reflections]
    return list(
        Action.objects.filter(cycle__service_id__in=readable)
        .select_related("cycle__service__evaluation", "cycle__round")
        .order_by("cycle__service__code", "cycle__round__number", "created_at", "pk")
    )


def grouped(actions: Iterable[Action], principle: str) -> list[CycleActions]:
    """``actions`` grouped by cycle (in the order given), the cell's principle first in each."""
    groups: dict[int, list[Action]] = {}
    cycles: dict[int, Cycle] = {}
    for action in actions:
        groups.setdefault(action.cycle_id, []).append(action)
        cycles[action.cycle_id] = action.cycle
    return [
        CycleActions(
            cycles[key],
            tuple(sorted(found, key=lambda a: a.principle != principle)),
        )
        for key, found in groups.items()
    ]


def linked_ids(place: Place) -> set[int]:
    """The keys of the actions linked to the cell (none when it has no row yet)."""
    cell = Cell.objects.filter(area=place.area, principle=place.principle).first()
    return set() if cell is None else set(cell.actions.values_list("pk", flat=True))


def linked_actions(user: Any, cell: Cell | None) -> list[Action]:
    """The actions linked to ``cell`` that ``user`` may read, in the order of the actions
    page; links to actions kept in reflections ``user`` may not read are not shown."""
    if cell is None:
        return []
    linked = set(cell.actions.values_list("pk", flat=True))
    if not linked:
        return []
    return [a for a in readable_actions(user, cell.programme) if a.pk in linked]


def parse_ids(values: Iterable[str]) -> list[int]:
    """The action keys a form sent, each a whole number; every bad one named at once."""
    found, bad = [], []
    for value in values:
        text = value.strip()
        if text.isdigit():
            found.append(int(text))
        else:
            bad.append(repr(value))
    if bad:
        raise InvalidInput(
            {
                "actions": f"{', '.join(bad)} is not an action's number: reload the page and "
                "tick the actions again."
            }
        )
    return found


@transaction.atomic
def link_actions(user: Any, place: Place, action_ids: Iterable[int]) -> Cell | None:
    """Set the reflection actions linked to the cell to ``action_ids`` (creating its row when
    nothing was written in it yet), and record before and after in the audit trail.

    Every action must be one ``user`` may read in a service of the programme; otherwise
    nothing changes and each one refused is named. Links to actions ``user`` may not read
    stay as they were: they were never shown, so leaving them out is not unticking them.
    Linking nothing to a cell that has no row yet changes nothing (``None``).
    """
    wanted = set(action_ids)
    readable = {action.pk for action in readable_actions(user, place.programme)}
    refused = sorted(wanted - readable)
    if refused:
        numbers = ", ".join(str(key) for key in refused)
        raise InvalidInput(
            {
                "actions": f"Action{'s' if len(refused) > 1 else ''} {numbers} cannot be linked: "
                "only actions of this programme's services whose reflections you may read can "
                "be. Ask the lead of the evaluation that keeps them, or leave them out."
            }
        )
    if not wanted and not Cell.objects.filter(area=place.area, principle=place.principle).exists():
        return None
    cell, _ = Cell.objects.select_for_update().get_or_create(
        programme=place.programme,
        area=place.area,
        principle=place.principle,
        defaults={"updated_by": user},
    )
    before = set(cell.actions.values_list("pk", flat=True))
    after = wanted | (before - readable)
    if after != before:
        cell.actions.set(sorted(after))
        record(
            user,
            "change",
            cell,
            evaluation_id=None,
            summary=f"Linked reflection actions to {place.principle_title} in {place.area.title}",
            before={"actions": sorted(before)},
            after={"actions": sorted(after)},
        )
    return cell
