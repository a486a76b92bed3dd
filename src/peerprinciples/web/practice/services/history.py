"""A programme's history, read from the audit trail: who changed what, when, before and after.

Every page that changes the matrix writes an audit event in the transaction of its change
(object types ``practice.Cell``, ``practice.Area``, ``practice.Prompt``, ``practice.Section``,
``practice.ProgrammeMember``, ``practice.Programme``, ``practice.Snapshot``) with pictures of
the row before and after, which name the programme. An event belongs to the programme when
its picture names it, or when it is about the programme itself or one of its rows today.

The history shows, for each event, only the fields that differ, by their names on the pages,
with an area and a principle shown by their titles rather than their numbers or keys (a
principle no longer in the framework keeps its key). The pictures and summaries keep the keys,
which stay the same when a title is reworded, and the titles are put in as the page is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from peerprinciples.core.practice.matrix import STATUS_LABELS, Status
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.practice.models import (
    Area,
    Cell,
    Programme,
    ProgrammeMember,
    Prompt,
    Section,
)

PRACTICE_TYPES = {
    "practice.Programme": "Settings",
    "practice.Cell": "Cell",
    "practice.Area": "Area",
    "practice.Prompt": "Prompt",
    "practice.Section": "Handbook section",
    "practice.ProgrammeMember": "Member",
    "practice.Snapshot": "Numbered version",
}
"""The kinds of row in a programme's history, with the word a page uses for each."""

FIELD_LABELS = {
    "text": "Text",
    "evidence": "Examples or evidence",
    "status": "Status",
    "why": "Why",
    "holder": "Who holds it",
    "principle": "Principle",
    "area": "Area",
    "title": "Title",
    "description": "Description",
    "level": "Level",
    "body": "Text",
    "after": "Follows",
    "role": "Role",
    "user": "Account",
    "name": "Name",
    "framework": "Framework version",
    "shares_matrix": "Shared for side-by-side comparison",
    "services": "Services",
    "note": "Note",
    "number": "Number",
    "key": "Key",
    "position": "Position",
    "built_in": "Built in",
    "actions": "Reflection actions",
}

_STATUSES = frozenset(status.value for status in Status)

HIDDEN = frozenset({"id", "programme", "version", "updated_by", "updated_at", "created_by"})
"""Fields of a picture that say nothing to a person reading the history."""


@dataclass(frozen=True)
class FieldStep:
    """One field of a row, before and after an event."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One event of the history, ready for a page."""

    event: AuditEvent
    kind: str
    fields: list[FieldStep]
    summary: str


def _belongs(programme: Programme) -> Q:
    pk = programme.pk
    own_rows = {
        "practice.Cell": Cell.objects.filter(programme=programme),
        "practice.Area": Area.objects.filter(programme=programme),
        "practice.Prompt": Prompt.objects.filter(programme=programme),
        "practice.Section": Section.objects.filter(programme=programme),
        "practice.ProgrammeMember": ProgrammeMember.objects.filter(programme=programme),
    }
    found = Q(object_type="practice.Programme", object_id=str(pk))
    found |= Q(after__programme=pk) | Q(before__programme=pk)
    for label, rows in own_rows.items():
        ids = [str(i) for i in rows.values_list("pk", flat=True)]
        if ids:
            found |= Q(object_type=label, object_id__in=ids)
    return found


NOT_CHANGES = frozenset({AuditEvent.Action.EXPORT})
"""Events the audit trail keeps that change nothing (a download of the handbook), so the
history, which is for changes, leaves them out."""


def programme_history(programme: Programme) -> QuerySet[AuditEvent]:
    """Every recorded change to the programme and its rows, newest first; downloads are kept
    in the audit trail but are not changes, so they are left out."""
    return (
        AuditEvent.objects.filter(object_type__in=PRACTICE_TYPES)
        .filter(_belongs(programme))
        .exclude(action__in=NOT_CHANGES)
        .select_related("user")
        .order_by("-at", "-id")
    )


def cell_history(cell: Cell | None) -> QuerySet[AuditEvent]:
    """Every recorded change to one cell, newest first (none for a cell not written yet)."""
    if cell is None:
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(object_type="practice.Cell", object_id=str(cell.pk))
        .select_related("user")
        .order_by("-at", "-id")
    )


@dataclass(frozen=True)
class _Titles:
    """The names a page shows for the areas (by number and by key) and the principles."""

    area_by_id: dict[int, str]
    area_by_key: dict[str, str]
    principles: dict[str, str]

    def area(self, value: Any) -> str:
        if isinstance(value, int):
            return self.area_by_id.get(value, f"an area since removed (number {value})")
        return self.area_by_key.get(str(value), str(value))

    def principle(self, value: Any) -> str:
        return self.principles.get(str(value), str(value))


def _shown(name: str, value: Any, titles: _Titles) -> str:
    if value is None or value == "" or value == []:
        return ""
    if name == "area":
        return titles.area(value)
    if name == "principle":
        return titles.principle(value)
    if name == "status" and value in _STATUSES:
        return STATUS_LABELS[Status(value)]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _summary(event: AuditEvent, titles: _Titles) -> str:
    """The event's summary with a cell's "principle × area" keys given as titles."""
    picture: dict[str, Any] = event.after or event.before or {}
    principle, area = picture.get("principle"), picture.get("area")
    if not isinstance(principle, str) or not isinstance(area, str):
        return event.summary
    place = f"{principle} × {area}"
    named = f"“{titles.principle(principle)}” × “{titles.area(area)}”"
    return event.summary.replace(place, named)


def entries(events: Any, programme: Programme) -> list[Entry]:
    """The events (a page of them) with the fields each changed, in the order of the row."""
    areas = list(Area.objects.filter(programme=programme).values_list("pk", "key", "title"))
    titles = _Titles(
        area_by_id={pk: title for pk, _, title in areas},
        area_by_key={key: title for _, key, title in areas},
        principles=programme.framework.model().titles(),
    )
    found: list[Entry] = []
    for event in events:
        before: dict[str, Any] = event.before or {}
        after: dict[str, Any] = event.after or {}
        names = [n for n in after if n not in HIDDEN]
        names += [n for n in before if n not in HIDDEN and n not in after]
        steps = []
        for name in names:
            was = _shown(name, before.get(name), titles) if event.before is not None else ""
            now = _shown(name, after.get(name), titles) if event.after is not None else ""
            if was != now:
                steps.append(FieldStep(FIELD_LABELS.get(name, name.replace("_", " ")), was, now))
        kind = PRACTICE_TYPES.get(event.object_type, "Change")
        found.append(Entry(event, kind, steps, _summary(event, titles)))
    return found
