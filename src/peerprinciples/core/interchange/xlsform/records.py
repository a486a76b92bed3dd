"""XLSForm submissions read as ratings: the export of ODK Central or KoboToolbox.

:func:`read_xlsform_submissions` reads the CSV (or XLSX) that ODK Central or KoboToolbox
export from a form made by :func:`~peerprinciples.core.interchange.xlsform.write_xlsform`
into the long ratings table. Columns may carry group prefixes (``peer_worker_items-
relationships-rel_1`` from ODK Central, ``.../`` from KoboToolbox) or none. Every problem
names the row and column of the export.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from peerprinciples.core.documents import Problem
from peerprinciples.core.instruments import Instrument, Item
from peerprinciples.core.interchange.xlsform.common import (
    META_QUESTIONS,
    cell_text,
    informant_group,
)
from peerprinciples.core.ratings import RatingProblem, RatingsError, read_ratings, read_table

GROUP_SEPARATORS = ("-", "/", ".", ":")
"""How export tools join group and question names in column headers."""

SKIPPED_REVIEW_STATES = {
    "reviewstate": ("rejected",),
    "_validation_status": ("validation_status_not_approved",),
}
"""Submissions marked as rejected by ODK Central or not approved in KoboToolbox are skipped."""


@dataclass(frozen=True)
class _ItemColumn:
    """A column holding the ratings of one item (for one informant, or for whoever was asked)."""

    name: str
    item: str
    informant: str | None


@dataclass
class _Columns:
    """What the columns of a submissions export hold."""

    meta: dict[str, str] = field(default_factory=dict)  # ratings column -> export column
    items: list[_ItemColumn] = field(default_factory=list)
    review: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _path_match(column: str, name: str) -> str | None:
    """The group prefix when ``column`` is ``name`` or ends with a separator and ``name``."""
    if column == name:
        return ""
    for separator in GROUP_SEPARATORS:
        if column.endswith(separator + name):
            return column[: -len(name) - 1]
    return None


def _informant_of(prefix: str, informants: Iterable[str]) -> str | None:
    """The informant whose group is the first part of a column's group prefix."""
    for informant in informants:
        group = informant_group(informant)
        if prefix == group or any(prefix.startswith(group + s) for s in GROUP_SEPARATORS):
            return informant
    return None


def _columns(names: Sequence[str], instrument: Instrument) -> _Columns:
    informants = [i.key for i in instrument.informants]
    item_keys = sorted((i.key for i in instrument.items), key=len, reverse=True)
    found = _Columns()
    for name in names:
        if name in SKIPPED_REVIEW_STATES:
            found.review[name] = SKIPPED_REVIEW_STATES[name]
            continue
        if name in META_QUESTIONS:
            found.meta.setdefault(name, name)
            continue
        matched = False
        for key in item_keys:
            prefix = _path_match(name, key)
            if prefix is not None:
                found.items.append(_ItemColumn(name, key, _informant_of(prefix, informants)))
                matched = True
                break
        if matched:
            continue
        for meta in META_QUESTIONS:
            prefix = _path_match(name, meta)
            if prefix is not None and _informant_of(prefix, informants) is None:
                found.meta.setdefault(meta, name)
                break
    return found


def _sniff_delimiter(path: Path) -> str:
    """The delimiter of a CSV export, from its header: KoboToolbox often writes ';'."""
    try:
        with path.open("rb") as stream:
            head = stream.readline(65536).decode("utf-8-sig", errors="replace")
    except OSError:
        return ","
    counts = {d: head.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_xlsform_submissions(
    source: Path | str | pd.DataFrame,
    instrument: Instrument,
    *,
    delimiter: str | None = None,
    sheet: str | None = None,
    name: str = "DataFrame",
) -> pd.DataFrame:
    """Read the submissions of the form from :func:`write_xlsform` into the long ratings table.

    Parameters
    ----------
    source
        The CSV export of ODK Central or KoboToolbox (or an XLSX export, or a DataFrame of
        it). Column names are the question names, with or without group prefixes joined by
        ``-``, ``/``, ``.`` or ``:``; other columns (``KEY``, ``_uuid``, ``SubmissionDate``,
        ``meta-instanceID``...) are ignored.
    instrument
        The instrument the form was exported from.
    delimiter
        The CSV delimiter; by default guessed from the header (',' or ';' or tab).
    sheet
        The worksheet of an XLSX export (default: the first).
    name
        How to name a DataFrame source in problems.

    Returns
    -------
    pandas.DataFrame
        The long layout of ``docs/ratings-format.md``, one row per rating given, which has
        passed :func:`~peerprinciples.core.ratings.read_ratings`.

    Raises
    ------
    RatingsError
        With every problem, each naming the row and column of the export: a missing column,
        an unknown informant, an empty interview id or rater, a rating in the group of
        another informant, a choice label exported instead of its name, an empty required
        item, and what :func:`read_ratings` finds.

    Notes
    -----
    Submissions that ODK Central marks ``rejected`` (column ``ReviewState``) or KoboToolbox
    ``validation_status_not_approved`` (column ``_validation_status``) are skipped.
    """
    if isinstance(source, pd.DataFrame):
        frame, label = source.copy(), name
        frame.columns = pd.Index([re.sub(r"\s+", "_", str(c).strip().lower()) for c in frame])
    else:
        path = Path(source)
        label = str(path)
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            frame = read_table(path, sheet=sheet)
        else:
            frame = read_table(path, delimiter=delimiter or _sniff_delimiter(path))
    names = [str(c) for c in frame.columns]
    columns = _columns(names, instrument)
    header = _header_problems(columns, instrument, label)
    if header:
        raise RatingsError(header)
    reader = _SubmissionReader(instrument, columns, label)
    values = {c: [cell_text(v) for v in frame[c].tolist()] for c in dict.fromkeys(names)}
    for index in range(len(frame)):
        reader.read_row({c: v[index] for c, v in values.items()}, index + 2)
    if reader.problems:
        raise RatingsError(reader.problems, reader.total)
    if not reader.rows:
        raise RatingsError(
            [
                RatingProblem(
                    label,
                    (),
                    f"the export has no ratings ({len(frame)} row(s) read).",
                    "export the submissions of the form made for "
                    f"{instrument.ref}, with at least one item rated.",
                )
            ]
        )
    return reader.checked_table()


def _header_problems(columns: _Columns, instrument: Instrument, label: str) -> list[Problem]:
    problems: list[Problem] = []
    for meta in ("interview", "rater"):
        if meta not in columns.meta:
            problems.append(
                RatingProblem(
                    label,
                    (meta,),
                    f"the export has no column '{meta}'.",
                    "export the submissions of the form made by 'peerprinciples instrument "
                    "xlsform', with XML names (not labels) as column headers.",
                    1,
                )
            )
    if not columns.items:
        problems.append(
            RatingProblem(
                label,
                (),
                f"no column names an item of {instrument.ref}.",
                "export with question names (ODK Central: CSV; KoboToolbox: 'XML values and "
                "headers') from the form made for this instrument.",
                1,
            )
        )
    return problems


class _SubmissionReader:
    """Turns export rows into rating rows, collecting problems by row and column."""

    def __init__(self, instrument: Instrument, columns: _Columns, label: str) -> None:
        self.instrument = instrument
        self.columns = columns
        self.label = label
        self.informants = [i.key for i in instrument.informants]
        self.problems: list[Problem] = []
        self.total = 0
        self.rows: list[dict[str, str]] = []
        self.origins: list[tuple[int, str]] = []  # (export row, column of the rating)
        self.missing_columns: set[tuple[str, str]] = set()
        self.labels = {
            item.key: {
                **{
                    instrument.anchor(item, p).casefold(): str(p) for p in _points(instrument, item)
                },
                **{c.label.casefold(): c.code for c in instrument.codes},
            }
            for item in instrument.items
        }

    def problem(self, row: int, column: str | None, message: str, fix: str) -> None:
        self.total += 1
        if len(self.problems) < 200:
            path = (column,) if column else ()
            self.problems.append(RatingProblem(self.label, path, message, fix, row))

    def read_row(self, cells: Mapping[str, str], row: int) -> None:
        if not any(cells.values()):
            return
        for column, states in self.columns.review.items():
            if cells.get(column, "").lower() in states:
                return
        informant = self._informant(cells, row)
        if informant is None:
            return
        meta = {m: cells.get(c, "") for m, c in self.columns.meta.items() if m != "informant"}
        meta["informant"] = informant
        for required in ("interview", "rater"):
            if not meta.get(required):
                self.problem(
                    row,
                    self.columns.meta[required],
                    f"the {required} is empty.",
                    f"fill in the {required} for this submission, or remove it from the export.",
                )
        ratings = self._ratings(cells, row, informant)
        if not meta.get("interview") or not meta.get("rater"):
            return
        details = {k: v for k, v in meta.items() if v}
        for column, item, value in ratings:
            self.rows.append({**details, "item": item, "rating": value})
            self.origins.append((row, column))

    def _informant(self, cells: Mapping[str, str], row: int) -> str | None:
        column = self.columns.meta.get("informant")
        given = cells.get(column, "").strip().lower() if column else ""
        if given:
            if given not in self.informants:
                self.problem(
                    row,
                    column,
                    f"'{given}' is not an informant of {self.instrument.ref}.",
                    f"use one of {', '.join(self.informants)}.",
                )
                return None
            return given
        answered = sorted(
            {c.informant for c in self.columns.items if c.informant and cells.get(c.name)}
        )
        if len(answered) == 1:
            return answered[0]
        self.problem(
            row,
            column or "informant",
            "the submission does not say who was interviewed"
            + (f" and rates items of {', '.join(answered)}." if answered else "."),
            "fill in the informant.",
        )
        return None

    def _ratings(
        self, cells: Mapping[str, str], row: int, informant: str
    ) -> list[tuple[str, str, str]]:
        ratings: list[tuple[str, str, str]] = []
        seen: dict[str, str] = {}
        for column in self.columns.items:
            value = cells.get(column.name, "")
            if column.informant is not None and column.informant != informant:
                if value:
                    self.problem(
                        row,
                        column.name,
                        f"the submission is an interview with '{informant}', but this column is "
                        f"in the group of '{column.informant}'.",
                        "check the informant of this submission, or clear the cell.",
                    )
                continue
            if informant not in self.instrument.item(column.item).informants:
                if value:
                    self.problem(
                        row,
                        column.name,
                        f"the item '{column.item}' is not asked of the informant '{informant}'.",
                        "check the informant of this submission, or clear the cell.",
                    )
                continue
            if column.item in seen:
                if value and seen[column.item]:
                    self.problem(
                        row,
                        column.name,
                        f"the item '{column.item}' is rated in two columns "
                        f"('{seen[column.item]}' too).",
                        "keep one of the two ratings.",
                    )
                    continue
                if not value:
                    continue
            seen[column.item] = column.name if value else ""
            if not value:
                continue
            named = self.labels[column.item].get(value.casefold())
            if named is not None and value != named:
                self.problem(
                    row,
                    column.name,
                    f"'{value}' is the label of the choice '{named}', not its name.",
                    "export the data with XML values (choice names) rather than labels "
                    "(KoboToolbox: 'XML values and headers').",
                )
                continue
            ratings.append((column.name, column.item, value))
        self._required(row, informant, {item for item, name in seen.items() if name}, set(seen))
        return ratings

    def _required(self, row: int, informant: str, answered: set[str], present: set[str]) -> None:
        columns = {c.item: c.name for c in self.columns.items if c.informant in (None, informant)}
        for item in self.instrument.items_for(informant):
            if not item.required or item.key in answered:
                continue
            if item.key not in columns:
                if (informant, item.key) not in self.missing_columns:
                    self.missing_columns.add((informant, item.key))
                    self.problem(
                        1,
                        None,
                        f"the export has no column for the item '{item.key}' asked of "
                        f"'{informant}'.",
                        "export the submissions of the form made for "
                        f"{self.instrument.ref}; an older form needs its own instrument version.",
                    )
                continue
            if item.key in present:
                self.problem(
                    row,
                    columns[item.key],
                    f"the required item '{item.key}' is empty.",
                    "rate it, or give a special code such as "
                    f"{self.instrument.codes[0].code if self.instrument.codes else 'II'}.",
                )

    def checked_table(self) -> pd.DataFrame:
        """The rows as a long ratings table, checked by read_ratings; problems name rows."""
        columns = ["interview", "informant", "item", "rating", "rater"]
        columns += [
            c for c in ("service", "peer_worker", "round", "date") if any(c in r for r in self.rows)
        ]
        frame = pd.DataFrame(
            [[row.get(c, "") for c in columns] for row in self.rows], columns=columns
        )
        try:
            read_ratings(frame, self.instrument, layout="long", name=self.label)
        except RatingsError as error:
            raise RatingsError([self._locate(p) for p in error.problems], error.total) from error
        return frame

    def _locate(self, problem: Problem) -> Problem:
        if not isinstance(problem, RatingProblem) or problem.row is None or problem.row < 2:
            return problem
        row, rating_column = self.origins[problem.row - 2]

        def rename(text: str) -> str:
            return re.sub(
                r"\brow (\d+)",
                lambda m: (
                    f"row {self.origins[int(m.group(1)) - 2][0]}"
                    if int(m.group(1)) >= 2
                    else m.group(0)
                ),
                text,
            )

        column = problem.column
        if column in (None, "item", "rating"):
            column = rating_column
        else:
            column = self.columns.meta.get(str(column), column)
        return RatingProblem(
            self.label, (column,), rename(problem.message), rename(problem.fix), row
        )


def _points(instrument: Instrument, item: Item) -> list[int]:
    return instrument.scale(item.scale).points
