"""The coverage of the draft principles by the review's categories and the panel's piles and
clusters, read from the links stored, and the grid that changes those links in one save.

The core works the coverage out (:mod:`peerprinciples.core.coproduction.coverage`); here the
principles are handed to it numbered in the team's order (``P1``, ``P2`` …) and the supports
by their ids (:func:`~peerprinciples.web.coproduction.services.drafting.supports_of`).

The grid carries back the version of every principle as the page showed it. A save when any
of them has changed since is refused as a whole, with what the other person saved and what
was ticked here side by side (:class:`MappingConflict`); saving links moves the version of
each principle whose links changed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from peerprinciples.core.coproduction import coverage as core
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import DraftPrinciple, Project
from peerprinciples.web.coproduction.services.drafting import (
    SupportChoice,
    bump,
    checked_supports,
    set_supports,
    support_ids,
    supports_of,
)
from peerprinciples.web.errors import DomainError


def principle_key(position: int) -> str:
    """The number a principle goes by in the matrix and the diagram: ``P1``, ``P2`` …"""
    return f"P{position}"


@dataclass(frozen=True)
class ProjectCoverage:
    """The core's coverage of one project, with the rows it was worked out from."""

    coverage: core.Coverage
    principles: tuple[DraftPrinciple, ...]
    supports: tuple[SupportChoice, ...]
    links: frozenset[tuple[int, str]]
    """``(principle pk, support id)`` for every stored link."""

    @property
    def stamp(self) -> str:
        """Each principle's key and version, for the grid to carry back."""
        return stamp_of(self.principles)


def stamp_of(principles: Collection[DraftPrinciple]) -> str:
    return ",".join(f"{p.pk}:{p.version}" for p in sorted(principles, key=lambda p: p.pk))


def read_stamp(stamp: str) -> dict[int, int]:
    """The principle keys and versions of a stamp (nothing for a damaged part)."""
    seen: dict[int, int] = {}
    for part in stamp.split(","):
        key, _, version = part.partition(":")
        if key.isdigit() and version.isdigit():
            seen[int(key)] = int(version)
    return seen


def _links(principles: Collection[DraftPrinciple]) -> frozenset[tuple[int, str]]:
    found = set()
    for principle in principles:
        found.update((principle.pk, support) for support in support_ids(principle))
    return frozenset(found)


def project_coverage(project: Project) -> ProjectCoverage:
    """The coverage of the project's draft principles as stored now."""
    principles = tuple(
        DraftPrinciple.objects.filter(project=project).prefetch_related(
            "categories", "piles", "clusters"
        )
    )
    supports = supports_of(project).choices
    links = _links(principles)
    offered = {s.id for s in supports}
    keys = {p.pk: principle_key(n) for n, p in enumerate(principles, start=1)}
    worked_out = core.coverage(
        [core.DraftPrinciple(keys[p.pk], p.title) for p in principles],
        [core.Support(s.id, s.label, s.side, s.detail) for s in supports],  # type: ignore[arg-type]
        sorted((keys[pk], support) for pk, support in links if support in offered),
    )
    return ProjectCoverage(worked_out, principles, supports, links)


@dataclass(frozen=True)
class Clash:
    """One principle someone else changed while the grid was open: their links and the
    ticks sent from the grid, as labels."""

    principle: DraftPrinciple
    theirs: tuple[str, ...]
    yours: tuple[str, ...]


class MappingConflict(DomainError):
    """The grid was saved over someone else's change: nothing was saved."""

    def __init__(self, clashes: list[Clash]) -> None:
        self.clashes = clashes
        named = "; ".join(f"“{c.principle.title}”" for c in clashes)
        super().__init__(
            f"Someone else changed {named} after you opened the grid, so nothing was saved "
            "over their change. Both are shown below; your ticks are kept in the grid. Save "
            "again to replace their links with yours."
        )


def _labels(ids: Collection[str], supports: Mapping[str, SupportChoice]) -> tuple[str, ...]:
    return tuple(supports[i].label if i in supports else i for i in sorted(ids))


@transaction.atomic
def save_links(
    user: Any, project: Project, ticks: Collection[tuple[int, str]], *, seen: Mapping[int, int]
) -> int:
    """Store the grid's ticks as the links of every principle it showed; returns how many
    principles' links changed.

    ``ticks`` are ``(principle pk, support id)``; ``seen`` the principles' versions when the
    grid was opened. Ticks naming a support that is not the project's (or a member's own
    pile) are refused by :func:`checked_supports`; a principle that is not the project's, or
    that the grid did not show, by a :class:`DomainError`.
    """
    locked = {
        p.pk: p
        for p in DraftPrinciple.objects.select_for_update().filter(project=project, pk__in=seen)
    }
    strangers = {pk for pk, _ in ticks} - set(seen)
    if strangers or len(locked) != len(seen):
        raise DomainError(
            "The grid names principles that are not (or no longer) in this project. Reload the "
            "page to see the principles as they are now."
        )
    wanted: dict[int, set[str]] = {pk: set() for pk in seen}
    for pk, support in ticks:
        wanted[pk].add(support)
    supports = {s.id: s for s in supports_of(project).choices}
    stale = [p for pk, p in locked.items() if p.version != seen[pk]]
    if stale:
        raise MappingConflict(
            [
                Clash(p, _labels(support_ids(p), supports), _labels(wanted[p.pk], supports))
                for p in sorted(stale, key=lambda p: (p.position, p.pk))
            ]
        )
    changed = 0
    for pk, principle in locked.items():
        before = set(support_ids(principle))
        if before == wanted[pk]:
            continue
        set_supports(principle, checked_supports(project, sorted(wanted[pk]), field="links"))
        bump(principle, [])
        changed += 1
        record(
            user,
            "change",
            principle,
            evaluation_id=None,
            summary=f"Changed what supports the draft principle “{principle.title}”",
            before={"supports": sorted(before)},
            after={"supports": sorted(wanted[pk])},
        )
    return changed
