"""Drafting rounds' ratings from a CSV file, and their results as CSV files.

The ratings file is in long format, one row for each rating a member gave a statement in a
round::

    round,statement,member,rating,group,comment
    1,P1,M01,8,Peer worker,
    1,P2,M01,,Peer worker,Too vague to rate

``round``, ``statement`` and ``member`` are codes (rounds are put in natural order, so round
2 comes before round 10); ``rating`` is a whole number on the scale, or empty for a
statement the member skipped; ``group`` (optional) is the member's stakeholder group and
must be the same on all of the member's rows that give one; ``comment`` (optional) is left
aside. Reading checks everything and raises :class:`~.problems.ImportProblems` naming the
file, row and column of every problem with its fix.

:func:`analyse` works out every round with :mod:`.delphi_rounds`, and the ``*_csv``
functions write its tables. Shares, quantiles and the rest are written in full (never
rounded); an empty cell means there is no value, a ``true``/``false`` cell a yes or no.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peerprinciples.core.coproduction.csv_text import (
    Row,
    column_name,
    named_column,
    other_delimiter,
    read_rows,
    where,
)
from peerprinciples.core.coproduction.delphi import DEFAULT_RULE, ConsensusRule
from peerprinciples.core.coproduction.delphi_rounds import (
    STABLE_SHARE,
    Participation,
    RoundResults,
    Vote,
    participation,
    round_results,
)
from peerprinciples.core.coproduction.problems import Problem, raise_if_any
from peerprinciples.core.coproduction.statement_ratings import MIN_GROUP_RATERS
from peerprinciples.core.naturalsort import natural_key
from peerprinciples.core.spreadsheet_text import shown_as_text

REQUIRED = ("round", "statement", "member", "rating")
OPTIONAL = ("group", "comment")
_WHOLE = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class RoundRatings:
    """The ratings of every round read from a file.

    ``rounds`` are in natural order; ``statements`` lists each round's statements in the
    order first met; ``votes`` each round's votes; ``groups`` each member's group (members
    without one are not in it).
    """

    rounds: tuple[str, ...]
    statements: dict[str, list[str]]
    votes: dict[str, list[Vote]]
    groups: dict[str, str]


def read_round_ratings(
    raw: bytes, rule: ConsensusRule = DEFAULT_RULE, *, file: str = "ratings.csv"
) -> RoundRatings:
    """Read a drafting rounds' ratings file, checking every rating against ``rule``'s scale.

    Raises
    ------
    ImportProblems
        Every problem found: a file that is not CSV text, missing, repeated or unknown
        columns, and rows without a round, statement or member, with a rating that is not a
        whole number on the scale, rating a statement twice in a round, or giving a member
        two groups.
    """
    rows, problems = read_rows(file, raw)
    raise_if_any(problems, file=file)
    header, rest = rows[0], rows[1:]
    columns = _columns(file, header, problems)
    raise_if_any(problems, file=file)
    data = RoundRatings((), {}, {}, {})
    seen: dict[tuple[str, str, str], int] = {}
    group_row: dict[str, int] = {}
    for row in rest:
        if row.blank:
            continue
        cells = {name: row.cell(index) for name, index in columns.items()}
        place = {name: where(file, row.number, named_column(name)) for name in columns}
        missing = [name for name in ("round", "statement", "member") if not cells[name]]
        for name in missing:
            problems.append(
                Problem(place[name], f"the {name} is empty.", f"Give the row's {name} code.")
            )
        rating = _rating(cells["rating"], place["rating"], rule, problems)
        if missing:
            continue
        key = (cells["round"], cells["statement"], cells["member"])
        if key in seen:
            problems.append(
                Problem(
                    where(file, row.number),
                    f"member {key[2]} rates statement {key[1]} in round {key[0]} a second "
                    f"time (first on row {seen[key]}).",
                    "Keep one of the two rows and delete the other.",
                )
            )
            continue
        seen[key] = row.number
        group = cells.get("group", "")
        if group:
            known = data.groups.setdefault(key[2], group)
            group_row.setdefault(key[2], row.number)
            if known != group:
                problems.append(
                    Problem(
                        place["group"],
                        f"member {key[2]} is in group {group!r} here but in {known!r} on row "
                        f"{group_row[key[2]]}.",
                        "Give a member the same group on every row.",
                    )
                )
        data.statements.setdefault(key[0], [])
        if key[1] not in data.statements[key[0]]:
            data.statements[key[0]].append(key[1])
        data.votes.setdefault(key[0], []).append((key[1], key[2], rating))
    if not problems and not seen:
        problems.append(
            Problem(
                where(file),
                "the file has a header but no ratings.",
                "Add a row for each rating: round, statement, member, rating.",
            )
        )
    raise_if_any(problems, file=file)
    rounds = tuple(sorted(data.votes, key=natural_key))
    return RoundRatings(rounds, data.statements, data.votes, data.groups)


def _columns(file: str, header: Row, problems: list[Problem]) -> dict[str, int]:
    delimiter = other_delimiter(header)
    if delimiter is not None:
        problems.append(
            Problem(
                where(file, header.number),
                f"the header has one cell, with {delimiter} in it.",
                "Save the file with commas between cells (CSV UTF-8).",
            )
        )
        return {}
    columns: dict[str, int] = {}
    known = (*REQUIRED, *OPTIONAL)
    for index in range(len(header.cells)):
        name = header.cell(index).casefold()
        place = where(file, header.number, column_name(index))
        if name in columns:
            problems.append(
                Problem(place, f"the column {name!r} is given twice.", "Delete one of them.")
            )
        elif name in known:
            columns[name] = index
        elif name:
            problems.append(
                Problem(
                    place,
                    f"{header.cell(index)!r} is not a column of a ratings file.",
                    f"Rename it to one of {', '.join(known)}, or delete the column.",
                )
            )
    for name in REQUIRED:
        if name not in columns:
            problems.append(
                Problem(
                    where(file, header.number),
                    f"the header has no {name!r} column.",
                    f"Add it: the columns are {', '.join(REQUIRED)}, and optionally "
                    f"{', '.join(OPTIONAL)}.",
                )
            )
    return columns


def _rating(text: str, place: str, rule: ConsensusRule, problems: list[Problem]) -> int | None:
    if not text:
        return None
    scale = f"a whole number from {rule.low} to {rule.high}"
    if not _WHOLE.fullmatch(text):
        problems.append(
            Problem(
                place,
                f"{text!r} is not a rating.",
                f"Give {scale}, or leave the cell empty for a statement the member skipped.",
            )
        )
        return None
    value = int(text)
    if not rule.low <= value <= rule.high:
        problems.append(
            Problem(
                place,
                f"the rating {value} is outside the {rule.low}–{rule.high} scale.",
                f"Give {scale}, or run with the scale of the file (--low, --high).",
            )
        )
        return None
    return value


@dataclass(frozen=True)
class RoundsReport:
    """Every round's results, in order, and who took part in each."""

    rounds: tuple[tuple[str, RoundResults], ...]
    participation: tuple[Participation, ...]


def analyse(
    data: RoundRatings,
    rule: ConsensusRule = DEFAULT_RULE,
    *,
    min_group_size: int = MIN_GROUP_RATERS,
    stable_share: float = STABLE_SHARE,
) -> RoundsReport:
    """Every round's results, each with stability since the round before it, and
    participation.

    Without a list of who was invited, a round's invited members are taken to be those who
    responded to it; those who responded to an earlier round are added to them, as
    :func:`.delphi_rounds.participation` always does.
    """
    results = []
    previous: list[Vote] | None = None
    for name in data.rounds:
        votes = data.votes[name]
        results.append(
            (
                name,
                round_results(
                    data.statements[name],
                    votes,
                    data.groups,
                    rule,
                    previous,
                    min_group_size=min_group_size,
                    stable_share=stable_share,
                ),
            )
        )
        previous = votes
    taking_part = {name: result.responded for name, result in results}
    return RoundsReport(tuple(results), participation(taking_part, taking_part))


# --- writing ------------------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return shown_as_text(value)
    return str(value)


def _csv(header: Sequence[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


_SUMMARY = ("n", "share_agree", "share_between", "share_disagree", "median", "q1", "q3", "iqr")


def results_csv(
    report: RoundsReport, rule: ConsensusRule, *, wordings: Mapping[str, str] | None = None
) -> str:
    """One row per round and statement: n, how many chose each point, the shares, median,
    quartiles, IQR, whether agreed and why not.

    The command line and the web application both write their results files here, so the
    two read alike. ``wordings`` (the web application's) gives each statement's wording by
    its id, written in a last ``wording`` column; without it there is no such column.
    """
    header = [
        "round",
        "statement",
        *_SUMMARY,
        *(f"rated_{point}" for point in rule.points),
        "agreed",
        "reason",
        *(["wording"] if wordings is not None else []),
    ]
    rows: list[list[object]] = []
    for name, results in report.rounds:
        for item in results.statements:
            r = item.result
            rows.append(
                [
                    name,
                    item.statement,
                    *(getattr(r, column) for column in _SUMMARY),
                    *(count for _, count in r.counts),
                    r.agreed,
                    r.reason,
                    *([wordings.get(item.statement, "")] if wordings is not None else []),
                ]
            )
    return _csv(header, rows)


def groups_csv(report: RoundsReport) -> str:
    """One row per round, statement and group; a hidden group's numbers are empty and its
    note says why."""
    header = ["round", "statement", "group", *_SUMMARY, "agreed", "reason", "note"]
    rows: list[list[object]] = []
    for name, results in report.rounds:
        for item in results.statements:
            for group in item.groups:
                r = group.result
                numbers = (
                    [None] * (len(_SUMMARY) + 2)
                    if r is None
                    else [
                        *(getattr(r, column) for column in _SUMMARY),
                        r.agreed,
                        r.reason,
                    ]
                )
                rows.append([name, item.statement, group.group, *numbers, group.note])
    return _csv(header, rows)


def stability_csv(report: RoundsReport) -> str:
    """One row per statement in each round after the first that was also in the round
    before it."""
    header = [
        "round",
        "previous_round",
        "statement",
        "in_both",
        "changed",
        "moved_band",
        "share_moved_band",
        "mean_abs_change",
        "stable",
        "median_before",
        "median_after",
        "median_change",
        "iqr_before",
        "iqr_after",
        "iqr_change",
    ]
    rows: list[list[object]] = []
    for (before, _), (name, results) in zip(report.rounds, report.rounds[1:], strict=False):
        for item in results.statements:
            s = item.stability
            if s is None:
                continue
            rows.append(
                [name, before, item.statement, *(getattr(s, column) for column in header[3:])]
            )
    return _csv(header, rows)


def participation_csv(report: RoundsReport) -> str:
    """One row per round: invited, responded, the response rate, not responding, and how
    many have stopped taking part."""
    header = ["round", "invited", "responded", "response_rate", "not_responding", "stopped"]
    rows: list[list[object]] = [
        [p.round, p.invited, p.responded, p.response_rate, p.not_responding, p.stopped]
        for p in report.participation
    ]
    return _csv(header, rows)
