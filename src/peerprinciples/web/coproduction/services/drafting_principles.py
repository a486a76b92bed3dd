"""Draft principles, their aspects, and the themes that run across them.

Wording agreed in a drafting round (``agreed_in`` set) is locked: the publishing step takes
it as the panel agreed it, so a change is refused with a message naming the round. A
principle, aspect or theme that a round has shown (a :class:`RoundStatement` refers to it)
is not deleted, since the panel's votes on it would go with it. In an adaptation, an entry
carrying a ``base_key`` came from the base framework: the team may reword it, and deleting
it means the adaptation removes it from the base (the message on deleting says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftPrinciple,
    DraftTheme,
    Project,
    RoundStatement,
    Value,
)
from peerprinciples.web.coproduction.services.drafting import (
    add_row,
    bump,
    checked_scope,
    free_key,
    locked_row,
    next_position,
    required,
    save_change,
    support_ids,
)
from peerprinciples.web.errors import DomainError, InvalidInput


def _agreed(row: Any, what: str) -> None:
    """Refuse a change to wording agreed in a round."""
    if row.agreed_in_id is not None:
        raise DomainError(
            f"The wording of this {what} was agreed in round {row.agreed_in.number}, so it "
            "stays as the panel agreed it: the published framework takes it unchanged. Once "
            "it is published, the facilitator can reopen it for a new version."
        )


def rounds_showing(**target: Any) -> list[int]:
    """The numbers of the rounds in which a principle, aspect or theme was shown."""
    return sorted(
        set(RoundStatement.objects.filter(Q(**target)).values_list("round__number", flat=True))
    )


def _in_rounds(numbers: list[int], what: str) -> None:
    if numbers:
        said = ", ".join(str(n) for n in numbers)
        raise DomainError(
            f"This {what} was shown in round{'s' if len(numbers) != 1 else ''} {said}: "
            "deleting it would take the panel's votes on it with it, so it stays. Reword it "
            "in the next round instead."
        )


# --- principles -----------------------------------------------------------------------------


def principle_snapshot(principle: DraftPrinciple) -> dict[str, Any]:
    return {
        "key": principle.key,
        "title": principle.title,
        "definition": principle.definition,
        "scope": principle.scope,
        "values": list(principle.values.values_list("key", flat=True)),
        "supports": support_ids(principle),
        "version": principle.version,
    }


@dataclass(frozen=True)
class PrincipleText:
    """What a principle form sends."""

    title: str
    key: str
    definition: str
    scope: str
    values: Sequence[int]


def _checked_principle(
    project: Project, text: PrincipleText, own: int | None
) -> tuple[dict[str, Any], list[Value]]:
    title = required(
        text.title, "title", "Give the principle a title, for example: Building trust."
    )
    scope, _ = checked_scope(text.scope, "-")
    key = free_key(DraftPrinciple, project, text.key, title, own=own)
    values = list(Value.objects.filter(project=project, pk__in=text.values))
    if len(values) != len(set(text.values)):
        raise InvalidInput(
            {"values": "Choose values of this project from the list. Nothing was saved."}
        )
    fields = {
        "title": title,
        "key": key,
        "definition": text.definition.strip(),
        "scope": scope,
    }
    return fields, values


@transaction.atomic
def add_principle(user: Any, project: Project, text: PrincipleText) -> DraftPrinciple:
    """A new draft principle, after the others, with the values it protects."""
    fields, values = _checked_principle(project, text, None)
    return add_row(
        user,
        DraftPrinciple,
        project,
        fields,
        what="draft principle",
        snapshot=principle_snapshot,
        relate=lambda row: row.values.set(values),
    )


@transaction.atomic
def edit_principle(
    user: Any, principle: DraftPrinciple, text: PrincipleText, *, version: int
) -> DraftPrinciple:
    """Reword a draft principle (refused once agreed, or when someone saved it meanwhile)."""
    locked = locked_row(
        DraftPrinciple.objects.select_related("agreed_in"),
        principle.pk,
        version,
        "principle",
        refuse=lambda row: _agreed(row, "principle"),
    )
    fields, values = _checked_principle(locked.project, text, locked.pk)
    return save_change(
        user,
        locked,
        fields,
        what="draft principle",
        snapshot=principle_snapshot,
        relate=lambda row: row.values.set(values),
    )


@transaction.atomic
def delete_principle(user: Any, principle: DraftPrinciple, *, version: int) -> str:
    """Delete a draft principle that no round has shown; returns its title."""
    locked = locked_row(DraftPrinciple.objects.all(), principle.pk, version, "principle")
    _in_rounds(
        rounds_showing(principle=locked) or rounds_showing(aspect__principle=locked),
        "principle (or one of its aspects)",
    )
    title = locked.title
    record(
        user,
        "delete",
        locked,
        evaluation_id=None,
        summary=f"Deleted the draft principle “{title}”"
        + (f" (the adaptation removes the base's “{locked.base_key}”)" if locked.base_key else ""),
        before=principle_snapshot(locked),
    )
    locked.delete()
    return title


# --- aspects --------------------------------------------------------------------------------


def _aspect_text(text: str) -> str:
    return required(
        text, "text", "Write what the principle means in practice, in one or two sentences."
    )


@transaction.atomic
def add_aspect(user: Any, principle: DraftPrinciple, text: str) -> DraftAspect:
    """A new aspect at the end of the principle's list."""
    aspect = DraftAspect.objects.create(
        principle=principle,
        text=_aspect_text(text),
        position=next_position(DraftAspect.objects.filter(principle=principle)),
    )
    record(
        user,
        "create",
        aspect,
        evaluation_id=None,
        summary=f"Added an aspect to “{principle.title}”",
        after={"text": aspect.text},
    )
    return aspect


def _aspect(
    principle: DraftPrinciple, aspect_id: int, version: int, *, rewording: bool = False
) -> DraftAspect:
    """The aspect locked for a change; when ``rewording``, agreed wording is refused first."""
    try:
        return locked_row(
            DraftAspect.objects.select_related("agreed_in").filter(principle=principle),
            aspect_id,
            version,
            "aspect",
            refuse=(lambda row: _agreed(row, "aspect")) if rewording else None,
        )
    except DraftAspect.DoesNotExist:
        raise DomainError(
            "That aspect is no longer part of this principle (someone may have removed it). "
            "Reload the page."
        ) from None


@transaction.atomic
def edit_aspect(
    user: Any, principle: DraftPrinciple, aspect_id: int, text: str, *, version: int
) -> DraftAspect:
    """Reword an aspect (refused once agreed, or when someone saved it meanwhile)."""
    aspect = _aspect(principle, aspect_id, version, rewording=True)
    before = {"text": aspect.text}
    aspect.text = _aspect_text(text)
    bump(aspect, ["text"])
    record(
        user,
        "change",
        aspect,
        evaluation_id=None,
        summary=f"Changed an aspect of “{principle.title}”",
        before=before,
        after={"text": aspect.text},
    )
    return aspect


@transaction.atomic
def delete_aspect(user: Any, principle: DraftPrinciple, aspect_id: int, *, version: int) -> None:
    """Remove an aspect that no round has shown."""
    aspect = _aspect(principle, aspect_id, version)
    _in_rounds(rounds_showing(aspect=aspect), "aspect")
    record(
        user,
        "delete",
        aspect,
        evaluation_id=None,
        summary=f"Removed an aspect of “{principle.title}”",
        before={"text": aspect.text},
    )
    aspect.delete()


@transaction.atomic
def move_aspect(
    user: Any, principle: DraftPrinciple, aspect_id: int, up: bool, *, version: int
) -> None:
    """Swap an aspect with the one before (``up``) or after it; the first cannot go up nor
    the last down."""
    aspect = _aspect(principle, aspect_id, version)
    order = list(DraftAspect.objects.select_for_update().filter(principle=principle))
    index = next(i for i, a in enumerate(order) if a.pk == aspect.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(order):
        raise DomainError(
            f"This aspect is {'first' if up else 'last'} already, so it cannot move "
            f"{'up' if up else 'down'}."
        )
    order[index], order[other] = order[other], order[index]
    for position, row in enumerate(order, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    aspect.refresh_from_db()
    bump(aspect, [])
    record(
        user,
        "change",
        aspect,
        evaluation_id=None,
        summary=f"Moved an aspect of “{principle.title}” {'up' if up else 'down'}",
        after={"position": aspect.position},
    )


# --- themes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeText:
    """What a theme form sends; ``applies_to`` empty means every principle."""

    title: str
    key: str
    description: str
    applies_to: Sequence[int]


def theme_snapshot(theme: DraftTheme) -> dict[str, Any]:
    return {
        "key": theme.key,
        "title": theme.title,
        "description": theme.description,
        "applies_to": list(theme.applies_to.values_list("key", flat=True)) or "all",
        "version": theme.version,
    }


def _checked_theme(
    project: Project, text: ThemeText, own: int | None
) -> tuple[dict[str, Any], list[DraftPrinciple]]:
    title = required(
        text.title, "title", "Give the theme a title, for example: Diversity of lived experience."
    )
    key = free_key(DraftTheme, project, text.key, title, own=own)
    chosen = list(DraftPrinciple.objects.filter(project=project, pk__in=text.applies_to))
    if len(chosen) != len(set(text.applies_to)):
        raise InvalidInput(
            {"applies_to": "Choose principles of this project from the list. Nothing was saved."}
        )
    return {"title": title, "key": key, "description": text.description.strip()}, chosen


@transaction.atomic
def add_theme(user: Any, project: Project, text: ThemeText) -> DraftTheme:
    """A new cross-cutting theme (for every principle, or the ones chosen)."""
    fields, chosen = _checked_theme(project, text, None)
    return add_row(
        user,
        DraftTheme,
        project,
        fields,
        what="theme",
        snapshot=theme_snapshot,
        relate=lambda row: row.applies_to.set(chosen),
    )


@transaction.atomic
def edit_theme(user: Any, theme: DraftTheme, text: ThemeText, *, version: int) -> DraftTheme:
    """Reword a theme or change what it applies to (refused once agreed, or stale)."""
    locked = locked_row(
        DraftTheme.objects.select_related("agreed_in"),
        theme.pk,
        version,
        "theme",
        refuse=lambda row: _agreed(row, "theme"),
    )
    fields, chosen = _checked_theme(locked.project, text, locked.pk)
    return save_change(
        user,
        locked,
        fields,
        what="theme",
        snapshot=theme_snapshot,
        relate=lambda row: row.applies_to.set(chosen),
    )


@transaction.atomic
def delete_theme(user: Any, theme: DraftTheme, *, version: int) -> str:
    """Delete a theme that no round has shown; returns its title."""
    locked = locked_row(DraftTheme.objects.all(), theme.pk, version, "theme")
    _in_rounds(rounds_showing(theme=locked), "theme")
    title = locked.title
    record(
        user,
        "delete",
        locked,
        evaluation_id=None,
        summary=f"Deleted the theme “{title}”",
        before=theme_snapshot(locked),
    )
    locked.delete()
    return title
