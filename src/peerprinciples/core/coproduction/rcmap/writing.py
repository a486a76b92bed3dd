"""Writing a project as RCMap's four CSV files, which RCMap opens and this package reads back
to the same data.

The files are UTF-8 without a byte order mark (RCMap reads them with R's ``read.csv``,
which would take a mark for part of the first column's name), with Windows line ends as
spreadsheets write them. A rating that was not given is written ``NA``, as R writes it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from peerprinciples.core.coproduction.rcmap.project import (
    DEMOGRAPHICS,
    RATINGS,
    SORTED_CARDS,
    STATEMENTS,
    RCMapProject,
    whole_number,
)


def write_rcmap(project: RCMapProject) -> dict[str, bytes]:
    """The project's files, by RCMap's file names: Statements and SortedCards always,
    Ratings when the project has rating scales, Demographics when anyone is described.

    Raises
    ------
    ValueError
        When the project cannot be written as RCMap files: a statement key that is not a
        whole number (RCMap numbers statements), a pile without cards, a rating on a scale
        not in ``project.scales``, or two ratings by one rater of one statement on one
        scale.
    """
    cardsort = project.cardsort
    odd = [key for key in cardsort.keys if whole_number(key) is None]
    if odd:
        raise ValueError(
            f"RCMap numbers statements, but {len(odd)} statement key(s) are not whole "
            f"numbers: {', '.join(odd[:10])}. Number the statements 1, 2, 3 … before "
            "writing RCMap files."
        )
    files = {
        STATEMENTS: _csv([("StatementID", "Statement"), *cardsort.statements.items()]),
        SORTED_CARDS: _csv(_piles(project)),
    }
    if project.scales:
        files[RATINGS] = _csv(_ratings(project))
    if cardsort.groups:
        files[DEMOGRAPHICS] = _csv(_demographics(project))
    return files


def write_rcmap_folder(project: RCMapProject, folder: Path, prefix: str = "") -> list[Path]:
    """Write the project's files into ``folder`` (named ``{prefix}Statements.csv`` and so
    on) and return their paths. Files of another project already there are replaced."""
    written = []
    for name, content in write_rcmap(project).items():
        path = folder / f"{prefix}{name}"
        path.write_bytes(content)
        written.append(path)
    return written


def _csv(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _piles(project: RCMapProject) -> list[list[str]]:
    rows = []
    for sort in project.cardsort.sorts:
        for pile in sort.piles:
            if not pile.cards:
                raise ValueError(
                    f"The pile {pile.label!r} of sorter {sort.sorter} has no cards; RCMap "
                    "has no way to write an empty pile. Leave it out."
                )
            rows.append([sort.sorter, pile.label, *pile.cards])
    return rows


def _value(value: float | None) -> str:
    if value is None:
        return "NA"
    return str(int(value)) if value.is_integer() else repr(value)


def _ratings(project: RCMapProject) -> list[list[str]]:
    """A row per rater and statement, in the order the pairs first appear."""
    scales = project.scales
    table: dict[tuple[str, str], dict[str, float]] = {}
    for rating in project.ratings:
        if rating.scale not in scales:
            raise ValueError(
                f"{rating.rater}'s rating of statement {rating.statement} is on the scale "
                f"{rating.scale!r}, which is not one of the project's scales "
                f"({', '.join(scales)}). Add the scale to the project's scales."
            )
        values = table.setdefault((rating.rater, rating.statement), {})
        if rating.scale in values:
            raise ValueError(
                f"{rating.rater} rated statement {rating.statement} twice on "
                f"{rating.scale!r}; keep one of the ratings."
            )
        values[rating.scale] = rating.value
    header = ["RaterID", "StatementID", *scales]
    return [header] + [
        [rater, statement, *(_value(values.get(scale)) for scale in scales)]
        for (rater, statement), values in table.items()
    ]


def _demographics(project: RCMapProject) -> list[list[str]]:
    """A row per person; a question someone did not answer is left empty."""
    groups = project.cardsort.groups
    questions = list(dict.fromkeys(q for answers in groups.values() for q in answers))
    header = ["RaterID", *questions]
    return [header] + [
        [person, *(answers.get(q, "") for q in questions)] for person, answers in groups.items()
    ]
