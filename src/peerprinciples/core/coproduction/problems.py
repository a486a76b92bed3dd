"""What is wrong with an imported file, said so a person can fix it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an imported file: where it is, what is wrong, how to fix it."""

    where: str
    """File, row and column, or an XML element's path and line: ``sorted.csv, row 12``."""
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what} {self.fix}".strip()


class ImportProblems(ValueError):
    """A file that cannot be imported, with every problem found in it (never just the
    first). Nothing of such a file is stored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


MAX_PROBLEMS = 200
"""The most problems one import lists; a file broken throughout says so in one more line."""


def capped(problems: Sequence[Problem], *, where: str) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems and, past them, one more (at ``where``) that
    counts the rest."""
    if len(problems) <= MAX_PROBLEMS:
        return list(problems)
    rest = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem(
            where,
            f"{rest} more problem{'s' if rest != 1 else ''} like those above are not listed.",
            "Fix the ones listed and import again to see the rest.",
        ),
    ]


def raise_if_any(problems: list[Problem], *, file: str) -> None:
    """Raise :class:`ImportProblems` when there are problems: the first :data:`MAX_PROBLEMS`
    of them, and a last line counting the rest."""
    if problems:
        raise ImportProblems(capped(problems, where=file))
