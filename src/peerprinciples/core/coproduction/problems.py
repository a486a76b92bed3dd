"""What is wrong with an imported file, said so a person can fix it."""

from __future__ import annotations

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


def raise_if_any(problems: list[Problem], *, file: str) -> None:
    """Raise :class:`ImportProblems` when there are problems: the first :data:`MAX_PROBLEMS`
    of them, and a last line counting the rest."""
    if not problems:
        return
    if len(problems) > MAX_PROBLEMS:
        rest = len(problems) - MAX_PROBLEMS
        problems = [
            *problems[:MAX_PROBLEMS],
            Problem(
                file,
                f"{rest} more problems like these are not listed.",
                "Fix the ones above and import the file again to see the rest.",
            ),
        ]
    raise ImportProblems(problems)
