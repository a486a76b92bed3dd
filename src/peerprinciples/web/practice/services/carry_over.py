"""Moving a programme to another stored framework version, keeping every cell.

The preview is the core's :func:`~peerprinciples.core.practice.carry_over.carry_over` on the
matrix as it stands. Moving checks the programme's version (a second lead's move over the
first is refused), re-checks the moves the lead chose against the matrix as it is at that
moment, and then, in one transaction, points the programme at the new version and gives the
moved cells their new principle key. No cell is ever deleted: the cells of a principle the new
version does not have stay under their old key, shown apart, until someone moves them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from peerprinciples.core.practice.carry_over import CarryOver, MoveError, carry_over
from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.errors import DomainError, StaleEdit
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.practice.models import Cell, Programme
from peerprinciples.web.practice.services.matrix import matrix_of

PARKING = "moving-"
"""The prefix of the key an empty cell is given for a moment while a written cell takes its
place (the key is unique per area, and nothing is deleted)."""


def other_versions(programme: Programme) -> list[StoredFramework]:
    """Every stored framework version but the programme's own: the same framework's other
    versions first (newest first), then other frameworks."""
    rows = list(
        StoredFramework.objects.exclude(pk=programme.framework_id)
        .defer("document")
        .order_by("key", "-stored_at")
    )
    same = [row for row in rows if row.key == programme.framework.key]
    return same + [row for row in rows if row.key != programme.framework.key]


def preview(
    programme: Programme, target: StoredFramework, moves: Mapping[str, str] | None = None
) -> CarryOver:
    """What moving the programme to ``target`` would do to each principle's cells."""
    if target.pk == programme.framework_id:
        raise DomainError(
            f"The matrix already follows {target.ref}. Choose another framework version."
        )
    try:
        return carry_over(matrix_of(programme), programme.framework.model(), target.model(), moves)
    except MoveError as error:
        raise DomainError(str(error)) from None


def move_framework(
    user: Any,
    programme: Programme,
    target: StoredFramework,
    *,
    moves: Mapping[str, str],
    version: int,
) -> CarryOver:
    """Point the programme at ``target``, moving the chosen principles' cells; refused as a
    whole when someone changed the programme meanwhile or a moved cell would land on one
    that already has something written."""
    with transaction.atomic():
        locked = (
            Programme.objects.select_for_update().select_related("framework").get(pk=programme.pk)
        )
        if locked.version != version:
            raise StaleEdit("programme")
        plan = preview(locked, target, moves)
        if plan.conflicts:
            listed = "; ".join(str(conflict) for conflict in plan.conflicts)
            raise DomainError(
                f"Nothing was moved: {listed}. Keep those cells apart, or move the text by hand "
                "first."
            )
        before = snapshot(locked)
        moved = _move_cells(user, locked, plan.moves)
        locked.framework = target
        locked.version += 1
        locked.save(update_fields=["framework", "version"])
        record(
            user,
            "change",
            locked,
            evaluation_id=None,
            summary=(
                f"Moved the matrix from {plan.old} to {plan.new}"
                + (f", with {moved} cell{'s' if moved != 1 else ''} moved" if moved else "")
            ),
            before=before,
        )
    programme.refresh_from_db()
    return plan


def _written(cell: Cell) -> bool:
    """Whether anything is written or decided in the cell (as the core's ``Cell.filled``)."""
    return bool(cell.text or cell.evidence or cell.status or cell.holder)


def _move_cells(user: Any, programme: Programme, moves: Mapping[str, str]) -> int:
    """Give the written cells of each moved principle their new key; an empty cell already
    at the new place takes the old key instead (it is never deleted). Returns how many
    moved."""
    count = 0
    for source, target in moves.items():
        cells = Cell.objects.filter(programme=programme, principle=source).select_related("area")
        for cell in cells.select_for_update(of=("self",)):
            if not _written(cell):
                continue
            there = Cell.objects.select_for_update().filter(area=cell.area, principle=target)
            blank = there.first()
            if blank is not None and _written(blank):
                raise DomainError(
                    f"Nothing was moved: the cell for '{target}' in {cell.area.title} was "
                    f"written in while you chose, so the cell for '{source}' cannot go there. "
                    "Look at the preview again."
                )
            before = snapshot(cell)
            if blank is not None:
                # An empty cell stands where this one goes: the two swap keys.
                blank.principle = f"{PARKING}{blank.pk}"
                blank.save(update_fields=["principle"])
            cell.principle = target
            cell.version += 1
            cell.updated_by = user
            cell.save(update_fields=["principle", "version", "updated_by", "updated_at"])
            if blank is not None:
                blank.principle = source
                blank.save(update_fields=["principle"])
            record(
                user,
                "change",
                cell,
                evaluation_id=None,
                summary=f"Moved the cell in {cell.area.title} from '{source}' to '{target}' "
                "with the new framework version",
                before=before,
            )
            count += 1
    return count
