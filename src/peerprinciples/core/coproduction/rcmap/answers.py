"""Checking RCMap's Demographics and Ratings files: who the raters are, and their ratings."""

from __future__ import annotations

from collections.abc import Mapping

from peerprinciples.core.coproduction.cardsort import StatementRating
from peerprinciples.core.coproduction.csv_text import Row, named_column, where
from peerprinciples.core.coproduction.problems import Problem
from peerprinciples.core.coproduction.rcmap.checks import FileCheck, number
from peerprinciples.core.coproduction.rcmap.project import (
    DEMOGRAPHICS,
    STATEMENTS,
    whole_number,
)

MISSING = frozenset({"", "NA"})
"""What a Ratings cell holds when no rating was given (compared in upper case)."""


def check_demographics(check: FileCheck) -> dict[str, dict[str, str]] | None:
    """Each person's answers, empty answers left out; ``None`` when the file has no
    readable header (so nobody can be looked up in it)."""
    rows = check.rows()
    if not rows:
        if rows is not None:
            check.add(
                "the file is empty.",
                "write a header row RaterID,<question>,… and a "
                "row per person, or leave the file out.",
            )
        return None
    header = check.header(rows, "RaterID followed by one column per question", 2)
    if header is None:
        return None
    questions = check.names(header, 1, "question", "CompanySize")
    id_column = named_column(header.cell(0))
    groups: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    for row in rows[1:]:
        person = row.cell(0)
        if check.too_long(
            row,
            len(questions) + 1,
            "remove the extra cells, or put an answer that contains commas in double quotes.",
        ):
            continue
        if not person:
            check.add(
                "the row has no id.",
                "write the person's code (as in Ratings.csv) in the first column.",
                row.number,
                id_column,
            )
        elif person in first_row:
            check.add(
                f"{person} is described already, on row {first_row[person]}.",
                "keep one row per person.",
                row.number,
                id_column,
            )
        else:
            first_row[person] = row.number
            answers = {name: row.cell(1 + i) for i, name in enumerate(questions)}
            groups[person] = {name: value for name, value in answers.items() if value}
    return groups


def check_ratings(
    check: FileCheck,
    index: Mapping[str, str],
    people: frozenset[str] | None,
    warnings: list[Problem],
) -> tuple[tuple[StatementRating, ...], tuple[str, ...]]:
    """Every rating given, in file order, and the scale names in column order.

    ``index`` maps statement numbers to ids (empty when the Statements file could not be
    read: then statements are not looked up). Raters missing from ``people`` (the
    Demographics file's codes, when there is one) are added to ``warnings``.
    """
    expected = "RaterID,StatementID and one column per rating scale"
    rows = check.rows()
    if not rows:
        if rows is not None:
            check.add(
                "the file is empty.", f"write a header row {expected}, or leave the file out."
            )
        return (), ()
    header = check.header(rows, expected, 3, numbered=1)
    if header is None:
        return (), ()
    scales = check.names(header, 2, "rating", "Importance")
    given: list[StatementRating] = []
    first_row: dict[tuple[str, str], int] = {}
    unknown: dict[str, int] = {}
    for row in rows[1:]:
        if check.too_long(
            row,
            len(scales) + 2,
            "remove the extra cells; write decimals with a full stop (3.5), not a comma.",
        ):
            continue
        rater = row.cell(0)
        key = _rated_statement(check, row, named_column(header.cell(1)), index)
        if not rater:
            check.add(
                "the row has no rater.",
                "write the code of the person who gave these ratings.",
                row.number,
                named_column(header.cell(0)),
            )
        elif key is not None:
            if (rater, key) in first_row:
                check.add(
                    f"{rater} rated statement {row.cell(1)} already, on row "
                    f"{first_row[rater, key]}.",
                    "keep one row per rater and statement.",
                    row.number,
                )
                continue
            first_row[rater, key] = row.number
            if people is not None and rater not in people:
                unknown.setdefault(rater, row.number)
        for position, scale in enumerate(scales, start=2):
            value = _value(check, row, position, scale)
            if value is not None and rater and key is not None:
                given.append(StatementRating(rater, key, scale, value))
    warnings.extend(
        Problem(
            where(check.file, first),
            f"{rater} is not in {DEMOGRAPHICS}: their ratings "
            "count among all raters, but in no group.",
            f"Add a row for {rater} to {DEMOGRAPHICS} if they belong to a group.",
        )
        for rater, first in unknown.items()
    )
    return tuple(given), tuple(scales)


def _rated_statement(
    check: FileCheck, row: Row, column: str, index: Mapping[str, str]
) -> str | None:
    """The id of the statement a row rates, or ``None`` (with the problem noted)."""
    sid = row.cell(1)
    canonical = whole_number(sid)
    if canonical is None:
        what = f"'{sid}' is not a statement number." if sid else "the row has no statement."
        check.add(what, "write the StatementID of the rated statement.", row.number, column)
        return None
    if index and canonical not in index:
        check.add(
            f"there is no statement {sid} in {STATEMENTS}.",
            f"correct the number, or add the statement to {STATEMENTS}.",
            row.number,
            column,
        )
        return None
    return index.get(canonical, sid)


def _value(check: FileCheck, row: Row, position: int, scale: str) -> float | None:
    """The rating in one cell: ``None`` when none was given or it is not a number."""
    text = row.cell(position)
    if text.upper() in MISSING:
        return None
    value = number(text)
    if value is None:
        check.add(
            f"'{text}' is not a number.",
            "write the rating as a number (decimals with "
            "a full stop), or NA or nothing when no rating was given.",
            row.number,
            named_column(scale),
        )
    return value
