"""Problems in a ratings table: where each one is (file, row, column) and how to fix it.

The checks collect every problem in one pass (:class:`Collector`) and raise them together
(:class:`RatingsError`), the first :data:`MAX_PROBLEMS` by row and a count of the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.ratings.table import BoolArray, IntArray

MAX_PROBLEMS = 200
"""At most this many problems are listed; the rest are counted."""

DOCS = "docs/ratings-format.md"


class RatingProblem(Problem):
    """A problem in a ratings table, located by spreadsheet row and column.

    ``line`` holds the row (the header is row 1) and ``path`` the column name, so the
    problem sorts and prints like any other :class:`~peerprinciples.core.documents.Problem`.
    """

    @property
    def row(self) -> int | None:
        """The row as a spreadsheet shows it (header = 1), or ``None`` for the whole file."""
        return self.line

    @property
    def column(self) -> str | None:
        """The column name, or ``None``."""
        return str(self.path[0]) if self.path else None

    def __str__(self) -> str:
        place = self.source
        if self.row is not None:
            place += f", row {self.row}"
        if self.column is not None:
            place += f", column '{self.column}'"
        text = f"{place}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


class RatingsError(DocumentError):
    """A ratings table could not be accepted; carries the problems found (first 200).

    ``total`` counts every problem found, including those not listed.
    """

    def __init__(self, problems: Sequence[Problem], total: int | None = None) -> None:
        super().__init__(problems)
        self.total = max(total or 0, len(self.problems))
        count = self.total
        header = f"{count} problem{'s' if count != 1 else ''} found"
        if count > len(self.problems):
            header += f" (the first {len(self.problems)} by row are listed)"
        lines = [f"  - {p}" for p in self.problems]
        if count > len(self.problems):
            lines.append(
                f"  ... and {count - len(self.problems)} more; fix these and read the table again."
            )
        self.args = (header + ":\n" + "\n".join(lines),)


class Collector:
    """Problems found so far: the first ``MAX_PROBLEMS`` of each check, and a total count."""

    def __init__(self, source: str, rows: IntArray, columns: Callable[[int], str] | None) -> None:
        self.source = source
        self.rows = rows
        self.columns = columns
        self.problems: list[Problem] = []
        self.total = 0

    def file(
        self, message: str, fix: str, column: str | None = None, row: int | None = None
    ) -> None:
        """One problem with the header or the whole table (not with a row's value)."""
        self.total += 1
        path = (column,) if column else ()
        self.problems.append(RatingProblem(self.source, path, message, fix, row))

    def rows_where(
        self,
        mask: BoolArray,
        column: str | None,
        message: Callable[[int], str],
        fix: Callable[[int], str] | str,
    ) -> None:
        """One problem per row where ``mask`` holds (``column`` None: the rating's column)."""
        hits = np.flatnonzero(mask)
        self.total += len(hits)
        for index in hits[:MAX_PROBLEMS].tolist():
            name = column if column is not None else self._rating_column(index)
            self.problems.append(
                RatingProblem(
                    self.source,
                    (name,),
                    message(index),
                    fix if isinstance(fix, str) else fix(index),
                    int(self.rows[index]),
                )
            )

    def _rating_column(self, index: int) -> str:
        return self.columns(index) if self.columns else "rating"

    def raise_if_any(self) -> None:
        """Raise every problem found so far, ordered by row, if there is any."""
        if self.total:
            ordered = sorted(self.problems, key=lambda p: (p.line or 0, p.where))
            raise RatingsError(ordered[:MAX_PROBLEMS], self.total)
