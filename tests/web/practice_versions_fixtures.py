"""Helpers for the numbered versions, history and framework move tests: cells written the way
the cell page writes them (with an audit event), and a second stored ENRICH version."""

from __future__ import annotations

from typing import Any

from peerprinciples.core.frameworks import Framework, Principle
from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.library.services import store_framework
from peerprinciples.web.practice.models import Area, Cell, Programme

NEXT = "2026"
RENAMED = "mutuality"
REMOVED = "strengths-connections"
NEW = "hope"


def write_cell(user: Any, programme: Programme, area: str, principle: str, **fields: Any) -> Cell:
    """Write a cell as the cell page does: the change and its audit event together."""
    place = Area.objects.get(programme=programme, key=area)
    cell, created = Cell.objects.get_or_create(programme=programme, area=place, principle=principle)
    before = None if created else snapshot(cell)
    for name, value in fields.items():
        setattr(cell, name, value)
    if not created:
        cell.version += 1
    cell.updated_by = user
    cell.save()
    record(
        user,
        "create" if created else "change",
        cell,
        evaluation_id=None,
        summary=f"Wrote the cell for {principle} in {place.title}",
        before=before,
    )
    return cell


def next_enrich(current: StoredFramework) -> StoredFramework:
    """The next ENRICH version as tests store it: mutuality renamed, strengths and connections
    no longer a principle of its own, and a new principle, hope."""
    old: Framework = current.model()
    principles = []
    for principle in old.principles:
        if principle.key == REMOVED:
            continue
        if principle.key == RENAMED:
            principle = principle.model_copy(update={"title": "Learning from each other"})
        principles.append(principle)
    principles.append(
        Principle(
            key=NEW, title="Hope", definition="Peer workers hold hope with the people they support."
        )
    )
    return store_framework(
        Framework.model_validate(
            {
                **old.model_dump(),
                "version": NEXT,
                "principles": [p.model_dump() for p in principles],
            }
        )
    )
