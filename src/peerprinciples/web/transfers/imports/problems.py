"""Problems an import finds, each placed by the row and column of the file.

A file with a problem on every interview may hold a million of them: :class:`Problems`
counts them all but writes out only the first :data:`MAX_LISTED` by row.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

MAX_LISTED = 200
"""At most this many problems are listed; the rest are counted."""


@dataclass(frozen=True)
class ImportProblem:
    """One problem, located by the row of the file (header = row 1) and the column."""

    row: int | None
    column: str
    message: str
    fix: str = ""

    def as_json(self) -> dict[str, Any]:
        """The problem as stored with an import batch."""
        return {"row": self.row, "column": self.column, "message": self.message, "fix": self.fix}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportProblem:
        """The problem stored by :meth:`as_json`."""
        return cls(data.get("row"), data.get("column", ""), data["message"], data.get("fix", ""))

    def __str__(self) -> str:
        place = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row else "",
                f"column '{self.column}'" if self.column else "",
            )
            if part
        )
        text = f"{place}: {self.message}" if place else self.message
        return f"{text} Fix: {self.fix}" if self.fix else text


class Problems:
    """Problems found so far: the first :data:`MAX_LISTED` by row, and how many in all.

    Only the problems that may still be among the first by row get their message written,
    so a file with a problem on every interview is reported as fast as one with a few.
    """

    def __init__(self) -> None:
        self.total = 0
        self._order = 0
        self._heap: list[tuple[int, int, ImportProblem]] = []  # (−row, −order, problem)

    def wants(self, row: int | None) -> bool:
        """Whether a problem on ``row`` would be listed."""
        return len(self._heap) < MAX_LISTED or (row or 0) < -self._heap[0][0]

    def add(self, problem: ImportProblem) -> None:
        """Count a problem, and list it if it is among the first by row."""
        self.total += 1
        self._keep(problem)

    def _keep(self, problem: ImportProblem) -> None:
        if not self.wants(problem.row):
            return
        self._order += 1
        entry = (-(problem.row or 0), -self._order, problem)
        if len(self._heap) < MAX_LISTED:
            heapq.heappush(self._heap, entry)
        else:
            heapq.heapreplace(self._heap, entry)

    def each(
        self,
        indices: npt.NDArray[np.int64],
        rows: npt.NDArray[np.int64],
        column: str,
        message: Callable[[int], str],
        fix: str,
    ) -> None:
        """One problem for each of ``indices``, on the row ``rows[index]``."""
        indices = np.asarray(indices, dtype=np.int64)
        self.total += len(indices)
        order = indices[np.argsort(rows[indices], kind="stable")]
        for index in order.tolist():
            row = int(rows[index])
            if not self.wants(row):
                break
            self._keep(ImportProblem(row, column, message(index), fix))

    def sorted(self) -> list[ImportProblem]:
        """The problems listed, by row."""
        return [p for _, _, p in sorted(self._heap, key=lambda e: (-e[0], -e[1]))]


def few(values: Sequence[str], limit: int = 8) -> str:
    """Up to ``limit`` values for a message, and how many there are when more."""
    if not values:
        return "none"
    shown = ", ".join(values[:limit])
    return shown + (f" … ({len(values)} in all)" if len(values) > limit else "")
