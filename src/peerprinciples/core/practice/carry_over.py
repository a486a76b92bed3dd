"""Bringing a matrix to another framework version without losing what was written.

Cells are keyed by the principle's key, and keys stay the same when a version renames or
rewords a principle, so most cells simply follow their principle. What a person needs to see
before moving is everything else: which principles now read differently (and how), which ones
the new version no longer has (their cells are kept, shown apart, until someone moves them or
decides to leave them where they are), and which principles are new (their rows start empty).

The lead may choose where the cells of a principle that is not in the new version go
(``moves``: old key to new key). A move never overwrites: a cell that already has something
written where the moved cell would land is a conflict to resolve first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from peerprinciples.core.frameworks import Framework, Principle
from peerprinciples.core.practice.matrix import Cell, Matrix

Fate = Literal["kept", "reworded", "moved", "apart"]

WORDING: dict[str, str] = {"title": "name", "definition": "definition", "aspects": "aspects"}
"""The parts of a principle's wording compared, with the word a page uses for each."""


class MoveError(ValueError):
    """A chosen move that cannot be made; the message names the principle and what to do."""


@dataclass(frozen=True)
class Carried:
    """What happens to one principle of the old version (or to a key cells were left under)."""

    key: str
    fate: Fate
    old: Principle | None
    new: Principle | None
    target: str | None
    cells: tuple[Cell, ...]
    changed: tuple[str, ...] = ()
    """For a kept principle that reads differently: which parts (``title``, ``definition``,
    ``aspects``) differ."""

    @property
    def title(self) -> str:
        """The principle's title in the old version (its key when the old one never had it)."""
        return self.old.title if self.old is not None else self.key

    @property
    def changed_words(self) -> list[str]:
        """The changed parts as people read them: "name", "definition", "aspects"."""
        return [WORDING[name] for name in self.changed]


@dataclass(frozen=True)
class Conflict:
    """A moved cell that would land on a cell that already has something written."""

    area: str
    source: str
    target: str

    def __str__(self) -> str:
        return (
            f"the cell for '{self.source}' in the area '{self.area}' cannot move to "
            f"'{self.target}': that cell already has something written in it"
        )


@dataclass(frozen=True)
class CarryOver:
    """The whole picture of a move from one framework version to another."""

    old: str
    new: str
    principles: list[Carried]
    added: list[Principle]
    conflicts: list[Conflict] = field(default_factory=list)

    def having(self, fate: Fate) -> list[Carried]:
        """The principles with this fate, in the old version's order."""
        return [carried for carried in self.principles if carried.fate == fate]

    @property
    def kept(self) -> list[Carried]:
        return self.having("kept")

    @property
    def reworded(self) -> list[Carried]:
        return self.having("reworded")

    @property
    def moved(self) -> list[Carried]:
        return self.having("moved")

    @property
    def apart(self) -> list[Carried]:
        return self.having("apart")

    @property
    def moves(self) -> dict[str, str]:
        """The moves that will be made: old key to new key."""
        return {c.key: c.target for c in self.principles if c.fate == "moved" and c.target}

    def cell_count(self) -> int:
        """How many written cells the matrix has: the same before and after a move."""
        return sum(len(carried.cells) for carried in self.principles)


def _wording_changes(old: Principle, new: Principle) -> tuple[str, ...]:
    return tuple(name for name in WORDING if getattr(old, name) != getattr(new, name))


def _check_moves(moves: Mapping[str, str], old_keys: list[str], new: Framework) -> None:
    new_keys = {p.key for p in new.principles}
    for source, target in moves.items():
        if source not in old_keys:
            raise MoveError(
                f"There is no principle '{source}' to move: the matrix has rows for "
                f"{', '.join(old_keys)}. Choose one of those."
            )
        if source in new_keys:
            raise MoveError(
                f"The principle '{source}' is still in {new.ref}, so its cells stay with it. "
                "Only the cells of a principle that the new version no longer has can be moved."
            )
        if target not in new_keys:
            raise MoveError(
                f"The cells of '{source}' cannot move to '{target}': {new.ref} has no such "
                f"principle. Choose one of {', '.join(p.key for p in new.principles)}, or keep "
                "them apart."
            )


def carry_over(
    matrix: Matrix,
    old: Framework,
    new: Framework,
    moves: Mapping[str, str] | None = None,
) -> CarryOver:
    """What moving ``matrix`` from ``old`` to ``new`` does to each principle's row.

    Every principle of ``old`` (and any other key the matrix has written cells under, such
    as cells kept apart after an earlier move) is *kept* (same key, same wording),
    *reworded* (same key, the name, definition or aspects read differently: ``changed``
    says which), *moved* (not in ``new``; its cells go where ``moves`` says) or *apart*
    (not in ``new``, and nowhere chosen: its cells stay where they are, shown apart).
    Raises :class:`MoveError` for a move from or to a principle that cannot take part.
    """
    moves = dict(moves or {})
    written: dict[str, list[Cell]] = {}
    for cell in matrix.cells:
        if cell.filled:
            written.setdefault(cell.principle, []).append(cell)
    old_keys = [p.key for p in old.principles]
    old_keys += sorted(key for key in written if key not in old_keys)
    _check_moves(moves, old_keys, new)
    new_by_key = {p.key: p for p in new.principles}
    old_by_key = {p.key: p for p in old.principles}

    carried: list[Carried] = []
    for key in old_keys:
        before, after = old_by_key.get(key), new_by_key.get(key)
        cells = tuple(written.get(key, ()))
        if after is not None:
            changed = _wording_changes(before, after) if before is not None else ()
            fate: Fate = "reworded" if changed else "kept"
            carried.append(Carried(key, fate, before, after, key, cells, changed))
        elif key in moves:
            target = moves[key]
            carried.append(Carried(key, "moved", before, new_by_key[target], target, cells))
        else:
            carried.append(Carried(key, "apart", before, None, None, cells))

    return CarryOver(
        old=old.ref,
        new=new.ref,
        principles=carried,
        added=[p for p in new.principles if p.key not in old_by_key],
        conflicts=_conflicts(written, carried),
    )


def _conflicts(written: dict[str, list[Cell]], carried: list[Carried]) -> list[Conflict]:
    """Moved cells that would land where something is written, or where another moved cell
    lands too."""
    taken = {
        (cell.area, c.key) for c in carried if c.fate != "moved" for cell in written.get(c.key, ())
    }
    conflicts: list[Conflict] = []
    for moving in carried:
        if moving.fate != "moved" or moving.target is None:
            continue
        for cell in moving.cells:
            place = (cell.area, moving.target)
            if place in taken:
                conflicts.append(Conflict(cell.area, moving.key, moving.target))
            taken.add(place)
    return conflicts
