"""Writing one cell of the matrix, and the programme's own prompt for it.

A cell has no row until someone first saves it: the grid shows an empty cell as "not looked
at yet". The form carries the version it was opened at, ``0`` for a cell with no row yet, so
a save over someone else's change (or over a cell someone else created meanwhile) is refused
as a whole with :class:`StaleEdit`, and nothing of it is kept.

Every save is written to the audit trail with the cell as it was and as it is; the snapshots
name the area and principle by key, so the history pages can say which cell changed even
after an area is reworded or a principle renamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from peerprinciples.core.practice.matrix import Status
from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.practice.models import Area, Cell, Programme, Prompt

HOLDER_LENGTH = 120
"""The longest role a cell's holder may be (the column's length)."""

EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
"""Text that looks like an e-mail address: a holder is a role, never a person."""

STATUS_VALUES = frozenset(status.value for status in Status)

NEEDS_WHY = frozenset({Status.NOT_RELEVANT})
"""Statuses that cannot be saved without saying why."""


class NothingToSave(DomainError):
    """A first save of a cell with every field empty: the cell stays without a row, so the
    grid keeps showing it as not looked at yet and the history gains no empty entry."""

    def __init__(self) -> None:
        super().__init__("Nothing to save: the cell is still empty.")


@dataclass(frozen=True)
class CellText:
    """What the cell form sends."""

    text: str
    evidence: str
    status: str
    why: str
    holder: str


def cell_snapshot(cell: Cell, area_key: str) -> dict[str, Any]:
    """What the audit trail keeps of a cell: enough for its history to name it and show
    every field before and after."""
    return {
        "id": cell.pk,
        "programme": cell.programme_id,
        "area": area_key,
        "principle": cell.principle,
        "text": cell.text,
        "evidence": cell.evidence,
        "status": cell.status,
        "why": cell.why,
        "holder": cell.holder,
        "version": cell.version,
    }


def checked_cell(given: CellText, *, what: str = "principle") -> dict[str, str]:
    """The cell's fields, stripped; an :class:`InvalidInput` naming every problem. ``what``
    is the word for the row: "principle", or "theme" for a cross-cutting theme's row."""
    problems: dict[str, str] = {}
    status = given.status.strip()
    why = given.why.strip()
    holder = " ".join(given.holder.split())
    if status and status not in STATUS_VALUES:
        problems["status"] = (
            "Choose one of the statuses listed: in place, partly in place, not yet, not "
            "relevant here, or not looked at yet."
        )
    elif status in NEEDS_WHY and not why:
        problems["why"] = (
            f"Say why this {what} is not relevant in this area, so that others reading the "
            "matrix (and the handbook made from it) can follow the decision."
        )
    if EMAIL.search(holder):
        problems["holder"] = (
            "This looks like an e-mail address. Name the role that holds this (for example "
            "“peer support supervisor”), not a person."
        )
    elif len(holder) > HOLDER_LENGTH:
        problems["holder"] = f"Use at most {HOLDER_LENGTH} characters for the role."
    if problems:
        raise InvalidInput(problems)
    return {
        "text": given.text.strip(),
        "evidence": given.evidence.strip(),
        "status": status,
        "why": why,
        "holder": holder,
    }


def find_cell(area: Area, principle: str) -> Cell | None:
    return Cell.objects.filter(area=area, principle=principle).first()


@transaction.atomic
def save_cell(
    user: Any,
    area: Area,
    principle: str,
    given: CellText,
    *,
    version: int,
    what: str = "principle",
) -> Cell:
    """Save the cell ``area`` × ``principle`` (creating its row on the first save); refused
    with :class:`StaleEdit` when its version is no longer ``version``, and with
    :class:`NothingToSave` when a cell with no row yet is saved with every field empty."""
    # The area's row is locked first, so two first saves of one cell queue up instead of
    # both creating it; the cell's own row is then locked for the version check.
    Area.objects.select_for_update().get(pk=area.pk)
    current = Cell.objects.select_for_update().filter(area=area, principle=principle).first()
    if (current.version if current else 0) != version:
        raise StaleEdit("cell")
    fields = checked_cell(given, what=what)
    if current is None and not any(fields.values()):
        raise NothingToSave
    if current is None:
        cell = Cell.objects.create(
            programme_id=area.programme_id,
            area=area,
            principle=principle,
            updated_by=user,
            **fields,
        )
        record(
            user,
            "create",
            cell,
            evaluation_id=None,
            summary=f"Wrote the cell {principle} × {area.key}",
            after=cell_snapshot(cell, area.key),
        )
        return cell
    before = cell_snapshot(current, area.key)
    for name, value in fields.items():
        setattr(current, name, value)
    current.updated_by = user
    current.version = F("version") + 1  # type: ignore[assignment]
    current.save(update_fields=[*fields, "updated_by", "updated_at", "version"])
    current.refresh_from_db()
    record(
        user,
        "change",
        current,
        evaluation_id=None,
        summary=f"Changed the cell {principle} × {area.key}",
        before=before,
        after=cell_snapshot(current, area.key),
    )
    return current


# --- the programme's own prompts ------------------------------------------------------------


def prompt_snapshot(prompt: Prompt, area_key: str) -> dict[str, Any]:
    return {
        "id": prompt.pk,
        "programme": prompt.programme_id,
        "area": area_key,
        "principle": prompt.principle,
        "text": prompt.text,
        "version": prompt.version,
    }


def find_prompt(area: Area, principle: str) -> Prompt | None:
    return Prompt.objects.filter(area=area, principle=principle).first()


@transaction.atomic
def save_prompt(user: Any, area: Area, principle: str, text: str, *, version: int) -> Prompt | None:
    """Give the cell the programme's own prompt, change it or (with empty ``text``) remove
    it, going back to the built-in prompt; ``None`` once removed. Refused with
    :class:`StaleEdit` when the prompt moved on from ``version`` (``0``: none yet)."""
    Area.objects.select_for_update().get(pk=area.pk)
    current = Prompt.objects.select_for_update().filter(area=area, principle=principle).first()
    if (current.version if current else 0) != version:
        raise StaleEdit("prompt")
    text = text.strip()
    place = f"{principle} × {area.key}"
    if not text:
        if current is None:
            raise InvalidInput(
                {"text": "Write the prompt: a question that helps the team think about this cell."}
            )
        record(
            user,
            "delete",
            current,
            evaluation_id=None,
            summary=f"Removed the programme's own prompt for {place}",
            before=prompt_snapshot(current, area.key),
        )
        current.delete()
        return None
    if current is None:
        prompt = Prompt.objects.create(
            programme_id=area.programme_id, area=area, principle=principle, text=text
        )
        record(
            user,
            "create",
            prompt,
            evaluation_id=None,
            summary=f"Wrote the programme's own prompt for {place}",
            after=prompt_snapshot(prompt, area.key),
        )
        return prompt
    before = prompt_snapshot(current, area.key)
    current.text = text
    current.version = F("version") + 1  # type: ignore[assignment]
    current.save(update_fields=["text", "version"])
    current.refresh_from_db()
    record(
        user,
        "change",
        current,
        evaluation_id=None,
        summary=f"Changed the programme's own prompt for {place}",
        before=before,
        after=prompt_snapshot(current, area.key),
    )
    return current


def programme_area(programme: Programme, key: str) -> Area | None:
    """The programme's area with this key, if it has one."""
    return Area.objects.filter(programme=programme, key=key).first()
