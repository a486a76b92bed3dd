"""Small hand-built frameworks and matrices for the practice core's tests."""

from __future__ import annotations

from typing import Any

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.practice.matrix import Area, Cell, Level, Matrix, Status


def framework(key: str = "small", version: str = "1", **changes: Any) -> Framework:
    """Two principles and a theme: trust, sharing, and variety across both."""
    data: dict[str, Any] = {
        "key": key,
        "version": version,
        "title": "A small framework",
        "principles": [
            {"key": "trust", "title": "Trust first", "definition": "Trust comes first."},
            {"key": "sharing", "title": "Sharing both ways", "definition": "Both share."},
        ],
        "themes": [{"key": "variety", "title": "Variety of experience", "description": "All."}],
    }
    data.update(changes)
    return Framework.model_validate(data)


AREAS = [
    Area(key="training", title="Training", level=Level.INDIVIDUAL),
    Area(key="notes", title="Notes and records", level=Level.TEAM),
    Area(key="pay", title="Pay and title", level=Level.ORGANISATION),
]


def cell(area: str, principle: str, status: Status | None = None, **fields: str) -> Cell:
    return Cell(area=area, principle=principle, status=status, **fields)


def matrix(*cells: Cell, programme: str = "Riverside", areas: list[Area] | None = None) -> Matrix:
    return Matrix(
        programme=programme,
        framework="small@1",
        areas=AREAS if areas is None else areas,
        cells=list(cells),
    )
