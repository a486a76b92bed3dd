"""Two programmes' matrices side by side, on what they share, never ranked.

The core lines the two matrices up (:func:`peerprinciples.core.practice.side_by_side.side_by_side`):
the principles and areas both have, matched by key, and what only one has, by title. This
module reads both programmes' matrices and pairs every shared cell with its area for the
page. Whether the other programme may be seen at all is decided in
:mod:`peerprinciples.web.permissions.programmes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from peerprinciples.core.practice.side_by_side import (
    SharedArea,
    SharedCell,
    SharedRow,
    SideBySide,
    side_by_side,
)
from peerprinciples.web.practice.models import Programme
from peerprinciples.web.practice.services.matrix import matrix_of


@dataclass(frozen=True)
class ComparedRow:
    """A shared principle, each of its cells beside the area it is in."""

    row: SharedRow
    cells: tuple[tuple[SharedArea, SharedCell], ...]


@dataclass(frozen=True)
class Comparison:
    """What the side-by-side page shows."""

    result: SideBySide
    rows: tuple[ComparedRow, ...]


def compare(ours: Programme, theirs: Programme) -> Comparison:
    """``ours`` beside ``theirs``: their working matrices, each read against its own
    framework version."""
    result = side_by_side(
        matrix_of(ours), ours.framework.model(), matrix_of(theirs), theirs.framework.model()
    )
    return Comparison(
        result,
        tuple(
            ComparedRow(row, tuple(zip(result.areas, row.cells, strict=True)))
            for row in result.rows
        ),
    )
