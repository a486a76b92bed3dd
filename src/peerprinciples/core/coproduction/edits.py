"""A facilitator's merges and renames of a cluster solution, kept as a list and replayed.

The analysis's partitions never change. What the group decides (these two clusters are one
idea; call this one "Shared lived experience") is recorded as :class:`Edit` entries in the
order made, and :func:`replay` applies them to a partition to give the regions people see.
Keeping the edits rather than an edited partition shows how the map was interpreted, and lets
one solution be reset without touching the others.

A region is numbered by its lowest cluster number; any of its clusters names it in a later
edit. Before any rename a region carries the first name suggested for its cluster (or
``Cluster n`` when its sorters wrote no labels); a merge takes the name given, or the name of
the lowest-numbered region merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peerprinciples.core.coproduction.naming import SuggestedName

MAX_NAME = 100
MERGE, RENAME = "merge", "rename"


@dataclass(frozen=True)
class Edit:
    """One change a facilitator made to a cluster solution."""

    clusters: int
    """The solution edited (its number of clusters)."""
    action: str
    """``"merge"`` or ``"rename"``."""
    members: tuple[int, ...]
    """Cluster numbers of that solution; a cluster stands for the region holding it."""
    name: str


@dataclass(frozen=True)
class Region:
    """What the facilitator sees: one cluster, or several merged, with its name."""

    number: int
    """The lowest cluster number in it."""
    clusters: tuple[int, ...]
    name: str
    statements: tuple[str, ...]


@dataclass
class Layout:
    """Regions (number → its clusters) and their names, part way through a replay."""

    clusters: int
    groups: dict[int, list[int]]
    names: dict[int, str]

    def region_of(self, cluster: int) -> int:
        """The number of the region that holds ``cluster``."""
        return next(number for number, members in self.groups.items() if cluster in members)

    def check(self, members: Sequence[int]) -> None:
        """Refuse cluster numbers the solution does not have.

        Raises
        ------
        ValueError
            Naming the clusters that do not exist and the ones that do.
        """
        known = {c for group in self.groups.values() for c in group}
        unknown = [c for c in members if c not in known]
        if unknown:
            raise ValueError(
                f"The {self.clusters}-cluster solution has clusters {min(known)} to "
                f"{max(known)}; there is no cluster {', '.join(map(str, unknown))}."
            )

    def apply(self, edit: Edit) -> None:
        """Apply one edit in place.

        Raises
        ------
        ValueError
            For a cluster the solution lacks, or an action other than merge and rename.
        """
        self.check(edit.members)
        regions = sorted({self.region_of(c) for c in edit.members})
        if edit.action == MERGE:
            merged = sorted(c for r in regions for c in self.groups.pop(r))
            for r in regions:
                del self.names[r]
            self.groups[regions[0]] = merged
            self.names[regions[0]] = edit.name
        elif edit.action == RENAME:
            self.names[regions[0]] = edit.name
        else:
            raise ValueError(f"Unknown edit {edit.action!r}; edits are merge or rename.")


def checked_name(name: str) -> str:
    """A region name without surrounding space.

    Raises
    ------
    ValueError
        When the name is empty or longer than :data:`MAX_NAME` characters.
    """
    text = name.strip()
    if not text:
        raise ValueError("A region's name cannot be empty; write a few words for it.")
    if len(text) > MAX_NAME:
        raise ValueError(
            f"A region's name has at most {MAX_NAME} characters; this one has {len(text)}. "
            "Shorten it."
        )
    return text


def replay(
    clusters: int,
    partition: Sequence[int],
    suggested: Sequence[Sequence[SuggestedName]],
    edits: Sequence[Edit],
) -> Layout:
    """The regions of one solution after every edit made to it, in order."""
    numbers = sorted(set(partition))
    layout = Layout(
        clusters,
        {c: [c] for c in numbers},
        {
            c: suggested[c - 1][0].label
            if c <= len(suggested) and suggested[c - 1]
            else f"Cluster {c}"
            for c in numbers
        },
    )
    for edit in edits:
        if edit.clusters == clusters:
            layout.apply(edit)
    return layout


def regions(layout: Layout, keys: Sequence[str], partition: Sequence[int]) -> tuple[Region, ...]:
    """The regions of a replayed solution with their statements, lowest number first."""
    return tuple(
        Region(
            number,
            tuple(members),
            layout.names[number],
            tuple(key for key, c in zip(keys, partition, strict=True) if c in members),
        )
        for number, members in sorted(layout.groups.items())
    )
