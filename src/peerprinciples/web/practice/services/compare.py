"""Two programmes' matrices side by side, on what they share, never ranked.

Two programmes may follow different framework versions (or local adaptations) and keep
different areas. They are compared only on the principles and areas both have, matched by
key; what only one of them has is listed by title, so each side can see what the other
thought about without a count that would read as a score. Whether the other programme may be
seen at all is decided in :mod:`peerprinciples.web.permissions.programmes`.
"""

from __future__ import annotations

from dataclasses import dataclass

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.practice.matrix import Area, Cell, Matrix
from peerprinciples.web.practice.models import Programme
from peerprinciples.web.practice.services.matrix import matrix_of


@dataclass(frozen=True)
class Pair:
    """One shared principle in one shared area: each programme's cell (``None``: nothing
    written)."""

    area: Area
    ours: Cell | None
    theirs: Cell | None


@dataclass(frozen=True)
class SharedPrinciple:
    """A principle both programmes have, with its cells in every shared area."""

    key: str
    title: str
    their_title: str
    pairs: tuple[Pair, ...]


@dataclass(frozen=True)
class SideBySide:
    """Two matrices on what they share, and what only one of them has, by title."""

    principles: tuple[SharedPrinciple, ...]
    areas: tuple[Area, ...]
    only_ours_principles: tuple[str, ...]
    only_theirs_principles: tuple[str, ...]
    only_ours_areas: tuple[str, ...]
    only_theirs_areas: tuple[str, ...]


def interim_side_by_side(a: Matrix, fa: Framework, b: Matrix, fb: Framework) -> SideBySide:
    """A stand-in for the core's comparison (``peerprinciples.core.practice.side_by_side``),
    to be replaced by it: principles and areas matched by key, in ``a``'s order."""
    theirs_titles = {p.key: p.title for p in fb.principles}
    their_areas = {area.key for area in b.areas}
    shared_areas = tuple(area for area in a.areas if area.key in their_areas)
    shared = tuple(
        SharedPrinciple(
            key=principle.key,
            title=principle.title,
            their_title=theirs_titles[principle.key],
            pairs=tuple(
                Pair(area, a.cell(area.key, principle.key), b.cell(area.key, principle.key))
                for area in shared_areas
            ),
        )
        for principle in fa.principles
        if principle.key in theirs_titles
    )
    ours_keys = {p.key for p in fa.principles}
    our_areas = {area.key for area in a.areas}
    return SideBySide(
        principles=shared,
        areas=shared_areas,
        only_ours_principles=tuple(p.title for p in fa.principles if p.key not in theirs_titles),
        only_theirs_principles=tuple(p.title for p in fb.principles if p.key not in ours_keys),
        only_ours_areas=tuple(area.title for area in a.areas if area.key not in their_areas),
        only_theirs_areas=tuple(area.title for area in b.areas if area.key not in our_areas),
    )


def side_by_side(ours: Programme, theirs: Programme) -> SideBySide:
    """``ours`` and ``theirs`` side by side: the one call the page makes to compare them."""
    return interim_side_by_side(
        matrix_of(ours), ours.framework.model(), matrix_of(theirs), theirs.framework.model()
    )
