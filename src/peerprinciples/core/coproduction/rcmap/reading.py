"""Reading an RCMap project's four CSV files, checked all together.

Every problem in every file is collected before anything is returned, so one import tells a
person everything there is to fix; a project with any problem raises :class:`ImportProblems`
and gives nothing back. The layout, and what each check asks for, is in
``docs/coproduction-files.md`` (section "RCMap files").
"""

from __future__ import annotations

from pathlib import Path

from peerprinciples.core.coproduction.cardsort import CardSort, StatementRating
from peerprinciples.core.coproduction.problems import Problem, raise_if_any
from peerprinciples.core.coproduction.rcmap.answers import check_demographics, check_ratings
from peerprinciples.core.coproduction.rcmap.cards import check_sorts, check_statements
from peerprinciples.core.coproduction.rcmap.checks import FileCheck
from peerprinciples.core.coproduction.rcmap.project import (
    DEMOGRAPHICS,
    RATINGS,
    SORTED_CARDS,
    STATEMENTS,
    RCMapProject,
)

Source = Path | bytes
"""A file to read: a path, or its bytes (then problems name it by RCMap's file name)."""


def read_rcmap(
    statements: Source,
    sorted_cards: Source,
    ratings: Source | None = None,
    demographics: Source | None = None,
) -> RCMapProject:
    """Read and check an RCMap project: statements and sorts, and ratings and
    demographics when a project has them.

    Parameters
    ----------
    statements, sorted_cards, ratings, demographics
        Each a path or the file's bytes (UTF-8, with or without a byte order mark).

    Returns
    -------
    RCMapProject
        The card sort (statements keep their ids as the Statements file writes them;
        cards a sorter left out are unsorted), the ratings given, the rating scales, and
        warnings that did not stop the import (raters missing from Demographics).

    Raises
    ------
    ImportProblems
        With every problem found in any of the files (up to 200, then a count), each
        naming the file, row and column and saying how to fix it.

    Examples
    --------
    >>> project = read_rcmap(b"StatementID,Statement\\n1,Listen\\n2,Share\\n", b"s1,All,1,2\\n")
    >>> project.cardsort.keys, project.cardsort.sorts[0].piles[0].cards
    (('1', '2'), ('1', '2'))
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []

    def check(source: Source, name: str) -> FileCheck:
        return FileCheck(*_load(source, name), problems)

    texts, index = check_statements(check(statements, STATEMENTS))
    sorts = check_sorts(check(sorted_cards, SORTED_CARDS), index)
    groups: dict[str, dict[str, str]] = {}
    people: frozenset[str] | None = None
    if demographics is not None:
        described = check_demographics(check(demographics, DEMOGRAPHICS))
        if described is not None:
            groups, people = described, frozenset(described)
    given: tuple[StatementRating, ...] = ()
    scales: tuple[str, ...] = ()
    if ratings is not None:
        given, scales = check_ratings(check(ratings, RATINGS), index, people, warnings)
    raise_if_any(problems, file="(more)")
    cardsort = CardSort(statements=texts, sorts=sorts, groups=groups)
    return RCMapProject(cardsort, given, scales, tuple(warnings))


def read_rcmap_folder(folder: Path, prefix: str = "") -> RCMapProject:
    """Read the project in ``folder``: ``{prefix}Statements.csv`` and
    ``{prefix}SortedCards.csv``, and ``{prefix}Ratings.csv`` and
    ``{prefix}Demographics.csv`` when they are there.

    RCMap keeps a project in a folder of its own under the plain names; ``prefix`` reads
    copies named after their project (``RCMap_sampleproject_Statements.csv``).
    """

    def optional(name: str) -> Path | None:
        path = folder / f"{prefix}{name}"
        return path if path.exists() else None

    return read_rcmap(
        folder / f"{prefix}{STATEMENTS}",
        folder / f"{prefix}{SORTED_CARDS}",
        optional(RATINGS),
        optional(DEMOGRAPHICS),
    )


def _load(source: Source, name: str) -> tuple[str, bytes | OSError]:
    """The name to give a file in problems, and its bytes or why it could not be opened."""
    if isinstance(source, bytes):
        return name, source
    try:
        return source.name, source.read_bytes()
    except OSError as exc:
        return source.name, exc
