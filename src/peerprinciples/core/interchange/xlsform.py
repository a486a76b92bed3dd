"""XLSForm: an instrument as a form for ODK and KoboToolbox, and their submissions as ratings.

Three directions (``docs/fhir-xlsform.md`` gives the mapping in full):

:func:`xlsform_sheets` / :func:`write_xlsform`
    The instrument as an XLSForm workbook (``survey``, ``choices``, ``settings``). The
    interview details come first (``interview``, ``informant``, ``rater``, ``service``,
    ``peer_worker``, ``round``, ``date``), named like the columns of the ratings table. Then
    one group per informant (``{informant}_items``, shown when that informant is chosen),
    holding one group per domain (named by the domain key), holding one ``select_one``
    question per item (named by the item key) with the item's prompts as hint. Each scale has
    a choice list ``scale_{key}``; an item with its own anchors has ``item_{key}``, so raters
    see the item's descriptions. The special codes end every list. Labels and hints have a
    ``label::Language (code)`` column per language.
:func:`read_xlsform_submissions`
    The CSV (or XLSX) that ODK Central or KoboToolbox export from such a form, read into the
    long ratings table: columns may carry group prefixes (``peer_worker_items-relationships-
    rel_1`` from ODK Central, ``.../`` from KoboToolbox) or none.
:func:`read_xlsform_instrument`
    Any XLSForm turned into an instrument draft as far as it goes: a ``select_one`` whose
    choices are whole numbers becomes an item, its group a domain; every other row is listed
    with its sheet and row and why it could not be carried over.

openpyxl is imported only when a workbook is read or written.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from peerprinciples.core.documents import (
    DocumentError,
    Problem,
)
from peerprinciples.core.instruments import Instrument, Item
from peerprinciples.core.interchange import InstrumentDraft, atomic_write
from peerprinciples.core.ratings import RatingProblem, RatingsError, read_ratings, read_table
from peerprinciples.core.translation import localise

DOCS = "docs/fhir-xlsform.md"

META_QUESTIONS: dict[str, tuple[str, str, bool]] = {
    "interview": ("text", "Interview id", True),
    "informant": ("select_one informants", "Who was interviewed", True),
    "rater": ("text", "Rater", True),
    "service": ("text", "Service", False),
    "peer_worker": ("text", "Peer worker code", False),
    "round": ("text", "Round of evaluation", False),
    "date": ("date", "Date of the interview", False),
}
"""The interview details: question name (= ratings column) -> (type, label, required)."""

INFORMANT_GROUP_SUFFIX = "_items"
"""An informant's group is named ``{informant}_items``."""

GROUP_SEPARATORS = ("-", "/", ".", ":")
"""How export tools join group and question names in column headers."""

SKIPPED_REVIEW_STATES = {
    "reviewstate": ("rejected",),
    "_validation_status": ("validation_status_not_approved",),
}
"""Submissions marked as rejected by ODK Central or not approved in KoboToolbox are skipped."""

_LANGUAGE_NAMES = {
    "ar": "Arabic",
    "bn": "Bengali",
    "cy": "Welsh",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "ga": "Irish",
    "gd": "Scottish Gaelic",
    "gu": "Gujarati",
    "hi": "Hindi",
    "it": "Italian",
    "ja": "Japanese",
    "nb": "Norwegian Bokmal",
    "nl": "Dutch",
    "no": "Norwegian",
    "pa": "Punjabi",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "so": "Somali",
    "sv": "Swedish",
    "sw": "Swahili",
    "tr": "Turkish",
    "ur": "Urdu",
    "zh": "Chinese",
}


def language_column(language: str) -> str:
    """The XLSForm name of a language, as in ``label::English (en)``."""
    name = _LANGUAGE_NAMES.get(language.split("-")[0].lower(), language)
    return f"{name} ({language})"


# --- export ------------------------------------------------------------------------------------

Sheet = list[dict[str, str]]


def choice_list(item: Item) -> str:
    """The name of the choice list an item is rated with."""
    return f"item_{item.key}" if item.anchors else f"scale_{item.scale}"


def informant_group(informant: str) -> str:
    """The name of an informant's group: ``{informant}_items``."""
    return f"{informant}{INFORMANT_GROUP_SUFFIX}"


def xlsform_sheets(instrument: Instrument) -> dict[str, Sheet]:
    """The instrument as the three sheets of an XLSForm, each a list of rows (column -> text).

    Parameters
    ----------
    instrument
        The instrument to export.

    Returns
    -------
    dict
        ``survey``, ``choices`` and ``settings``; every row has the same columns, in order.
        The texts of each further language come from the instrument's translations, falling
        back to the original wording where a translation is missing.
    """
    others = sorted(lang for lang in instrument.translations if lang != instrument.language)
    languages = [instrument.language, *others]
    versions = {lang: localise(instrument, lang).document for lang in languages}
    return {
        "survey": _survey(instrument, versions),
        "choices": _choices(instrument, versions),
        "settings": [
            {
                "form_title": instrument.title,
                "form_id": instrument.key,
                "version": instrument.version,
                "default_language": language_column(instrument.language),
            }
        ],
    }


def _texts(column: str, versions: Mapping[str, Instrument], text: Any) -> dict[str, str]:
    """``{column::Language (code): text}`` for every language; ``text`` maps a version to text."""
    return {f"{column}::{language_column(lang)}": text(doc) for lang, doc in versions.items()}


def _survey(instrument: Instrument, versions: Mapping[str, Instrument]) -> Sheet:
    def row(
        kind: str, name: str, label: Any, hint: Any = lambda d: "", **more: str
    ) -> dict[str, str]:
        return {
            "type": kind,
            "name": name,
            **_texts("label", versions, label),
            **_texts("hint", versions, hint),
            "required": more.get("required", ""),
            "relevant": more.get("relevant", ""),
        }

    rows = [
        row(kind, name, lambda d, text=text: text, required="yes" if required else "")
        for name, (kind, text, required) in META_QUESTIONS.items()
    ]
    for informant in instrument.informants:
        if not instrument.items_for(informant.key):
            continue
        rows.append(
            row(
                "begin_group",
                informant_group(informant.key),
                lambda d, key=informant.key: d.informant(key).title,
                relevant=f"${{informant}} = '{informant.key}'",
            )
        )
        for domain in instrument.domains:
            items = [i for i in instrument.items_in(domain.key) if informant.key in i.informants]
            if not items:
                continue
            rows.append(
                row("begin_group", domain.key, lambda d, key=domain.key: d.domain(key).title)
            )
            for item in items:
                rows.append(
                    row(
                        f"select_one {choice_list(item)}",
                        item.key,
                        lambda d, i=item.key, who=informant.key: d.item(i).informants[who].question,
                        lambda d, i=item.key, who=informant.key: "\n".join(
                            d.item(i).informants[who].prompts
                        ),
                        required="yes" if item.required else "",
                    )
                )
            rows.append(row("end_group", "", lambda d: ""))
        rows.append(row("end_group", "", lambda d: ""))
    return rows


def _choices(instrument: Instrument, versions: Mapping[str, Instrument]) -> Sheet:
    rows: Sheet = [
        {"list_name": "informants", "name": informant.key}
        | _texts("label", versions, lambda d, key=informant.key: d.informant(key).title)
        for informant in instrument.informants
    ]
    done: set[str] = set()
    for item in instrument.items:
        name = choice_list(item)
        if name in done:
            continue
        done.add(name)
        for point in instrument.scale(item.scale).points:
            rows.append(
                {"list_name": name, "name": str(point)}
                | _texts("label", versions, lambda d, i=item.key, p=point: d.anchor(d.item(i), p))
            )
        for index, code in enumerate(instrument.codes):
            rows.append(
                {"list_name": name, "name": code.code}
                | _texts("label", versions, lambda d, i=index: d.codes[i].label)
            )
    return rows


def write_xlsform(instrument: Instrument, path: Path | str) -> Path:
    """Write :func:`xlsform_sheets` as an ``.xlsx`` workbook (all or nothing); return the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = True
    for title, rows in xlsform_sheets(instrument).items():
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = title
        columns = list(rows[0]) if rows else []
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            sheet.append([values.get(column, "") for column in columns])
        for index, column in enumerate(columns, start=1):
            widest = max([len(column), *(len(r.get(column, "")) for r in rows)])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(
                max(10, widest + 2), 60
            )
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    return atomic_write(path, lambda temporary: temporary.write_bytes(data))


# --- submissions -------------------------------------------------------------------------------


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


def _cell(value: Any) -> str:
    """A cell as text: blank cells give '', whole numbers lose a trailing '.0'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, datetime | pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


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
    values = {c: [_cell(v) for v in frame[c].tolist()] for c in dict.fromkeys(names)}
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


# --- drafting an instrument from any XLSForm ---------------------------------------------------


class SheetProblem(Problem):
    """A row of an XLSForm that could not be carried over, located by sheet, row and column.

    ``path`` holds the sheet and the column, ``line`` the row as the spreadsheet shows it.
    """

    @property
    def sheet(self) -> str | None:
        """The sheet, e.g. ``survey``."""
        return str(self.path[0]) if self.path else None

    @property
    def column(self) -> str | None:
        """The column, e.g. ``type``."""
        return str(self.path[1]) if len(self.path) > 1 and self.path[1] else None

    def __str__(self) -> str:
        place = self.source
        if self.sheet:
            place += f", sheet '{self.sheet}'"
        if self.line:
            place += f", row {self.line}"
        if self.column:
            place += f", column '{self.column}'"
        text = f"{place}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


@dataclass(frozen=True)
class XlsformDraft(InstrumentDraft[SheetProblem]):
    """An instrument drafted from an XLSForm, with what could not be carried over.

    Attributes
    ----------
    source
        The form file.
    data
        The instrument document (``key``, ``version``, ``title``... ``translations``), ready
        to be written as YAML, completed and checked with ``peerprinciples instrument
        validate``.
    unmapped
        The survey rows that are not items, each with its sheet, row, column and reason.
    notes
        What was carried over with a loss or a placeholder, and what to complete.
    """


DRAFT_FRAMEWORK = "unknown-framework@0"
"""The framework a draft is pinned to until someone names the right one."""

DRAFT_INFORMANT = "respondent"
"""The single informant of a draft from a form with no informant groups."""

_METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "imei",
    "uri:deviceid",
}
_SELECT_ONE = re.compile(
    r"^(?:select_one|select one|select1)\s+(?:from\s+)?(\S+)(\s+or_other|\s+or specify other)?$",
    re.IGNORECASE,
)
_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_INTEGER = re.compile(r"^-?[0-9]+$")
_HEADER_ALIASES = {
    "list_name": "list_name",
    "bind:relevant": "relevant",
    "bind:required": "required",
    "bind:constraint": "constraint",
    "bind:calculate": "calculation",
    "bind:readonly": "read_only",
    "bind:jr:constraintmsg": "constraint_message",
    "control:appearance": "appearance",
}


@dataclass
class _Row:
    """A row of a sheet: its number as the spreadsheet shows it and its cells by column."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class _Form:
    """The sheets of an XLSForm as rows of text cells."""

    source: str
    sheets: dict[str, list[_Row]]
    columns: dict[str, list[str]]


def _header_name(value: Any) -> str:
    text = _cell(value)
    base, separator, language = text.partition("::")
    base = re.sub(r"\s+", "_", base.strip().lower())
    base = _HEADER_ALIASES.get(base, base)
    return f"{base}::{language.strip()}" if separator else base


def _rows_to_sheet(rows: Iterable[tuple[int, Sequence[Any]]]) -> tuple[list[str], list[_Row]]:
    """Header (the first non-blank row) and the rows after it, skipping blank ones."""
    header: list[str] | None = None
    body: list[_Row] = []
    for number, values in rows:
        texts = [_cell(v) for v in values]
        if not any(texts):
            continue
        if header is None:
            header = [_header_name(v) for v in values]
            continue
        cells = {
            column: text for column, text in zip(header, texts, strict=False) if column and text
        }
        body.append(_Row(number, cells))
    return header or [], body


def _read_form(path: Path) -> _Form:
    source = str(path)

    def reject(message: str, fix: str) -> DocumentError:
        return DocumentError([SheetProblem(source, (), message, fix)])

    if not path.is_file():
        raise reject("there is no such file.", "check the path and its spelling.")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise reject(
            "legacy .xls workbooks are not read.",
            "open the form in a spreadsheet program and save it as .xlsx.",
        )
    if suffix == ".csv":
        return _read_csv_form(path)
    if suffix not in (".xlsx", ".xlsm"):
        raise reject(
            f"'{path.suffix}' is not an XLSForm file type.",
            "give an XLSForm saved as .xlsx (or the single-sheet .csv form).",
        )
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise reject(
            "the workbook is damaged and cannot be read as .xlsx.",
            "open it in a spreadsheet program and save it again as .xlsx.",
        ) from exc
    except Exception as exc:  # openpyxl raises its own errors for malformed parts
        raise reject(
            f"the workbook cannot be read as .xlsx ({type(exc).__name__}).",
            "open it in a spreadsheet program and save it again as .xlsx.",
        ) from exc
    sheets: dict[str, list[_Row]] = {}
    columns: dict[str, list[str]] = {}
    try:
        for sheet in book.worksheets:
            title = str(sheet.title).strip().lower()
            rows = enumerate(sheet.iter_rows(values_only=True), start=1)
            columns[title], sheets[title] = _rows_to_sheet(rows)
    finally:
        book.close()
    return _Form(source, sheets, columns)


def _read_csv_form(path: Path) -> _Form:
    """The single-file CSV form of an XLSForm: a row naming a sheet, then its rows."""
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [SheetProblem(source, (), "the file is not UTF-8 text.", "save it as CSV UTF-8.")]
        ) from exc
    collected: dict[str, list[tuple[int, Sequence[Any]]]] = {}
    current: str | None = None
    reader = csv.reader(io.StringIO(text))
    for cells in reader:
        if cells and cells[0].strip():
            current = cells[0].strip().lower()
            collected.setdefault(current, [])
        elif current is not None:
            collected[current].append((reader.line_num, cells[1:]))
    sheets: dict[str, list[_Row]] = {}
    columns: dict[str, list[str]] = {}
    for title, rows in collected.items():
        columns[title], sheets[title] = _rows_to_sheet(rows)
    return _Form(source, sheets, columns)


def _language_of(column: str) -> tuple[str, str]:
    """(language code, language column) of ``label::English (en)``; ('', '') for ``label``."""
    _, _, language = column.partition("::")
    match = re.search(r"\(([^()]+)\)\s*$", language)
    code = match.group(1).strip() if match else language.strip().lower()
    return code, language


@dataclass
class _Scale:
    """A choice list whose names are consecutive whole numbers (and perhaps codes)."""

    key: str
    points: dict[int, dict[str, str]]  # point -> language -> label
    codes: dict[str, dict[str, str]]  # code -> language -> label


@dataclass
class _DraftItem:
    key: str
    domain: str
    scale: str
    required: bool
    row: int
    informants: dict[str, dict[str, list[str] | str]] = field(default_factory=dict)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> text id -> text


class _Drafter:
    """Builds an instrument draft from the rows of a form."""

    def __init__(self, form: _Form, framework: str) -> None:
        self.form = form
        self.framework = framework
        self.unmapped: list[SheetProblem] = []
        self.notes: list[str] = []
        survey_columns = form.columns.get("survey", [])
        self.languages = self._languages(survey_columns)
        self.default = self._default_language()
        self.lists = self._choice_lists()
        self.scales: dict[str, _Scale] = {}
        self.domains: dict[str, dict[str, str]] = {}  # key -> language -> title
        self.items: dict[str, _DraftItem] = {}
        self.informants: dict[str, dict[str, str]] = {}  # key -> language -> title
        self.codes: dict[str, dict[str, str]] = {}
        self.own_form = self._is_own_form()

    # --- languages and choices -----------------------------------------------------------

    def _languages(self, columns: Sequence[str]) -> dict[str, str]:
        """Language code -> its label column suffix ('' for a plain ``label``)."""
        found: dict[str, str] = {}
        for column in columns:
            if column == "label":
                found.setdefault("", "")
            elif column.startswith("label::"):
                code, language = _language_of(column)
                found.setdefault(code, language)
        return found

    def _default_language(self) -> str:
        settings = self.form.sheets.get("settings", [])
        wanted = settings[0].get("default_language") if settings else ""
        for code, language in self.languages.items():
            if wanted and language == wanted.strip():
                return code
        if "" in self.languages:
            return ""
        if "en" in self.languages:
            return "en"
        return next(iter(self.languages), "")

    def text(self, row: _Row, column: str, language: str) -> str:
        suffix = self.languages.get(language, "")
        return row.get(f"{column}::{suffix}" if suffix else column)

    def texts(self, row: _Row, column: str) -> dict[str, str]:
        """language -> text of a label or hint column; the default language falls back."""
        result = {lang: self.text(row, column, lang) for lang in self.languages}
        if not result.get(self.default):
            result[self.default] = next((t for t in result.values() if t), "")
        return {lang: text for lang, text in result.items() if text}

    def _choice_lists(self) -> dict[str, list[_Row]]:
        lists: dict[str, list[_Row]] = {}
        for row in self.form.sheets.get("choices", []):
            name = row.get("list_name")
            if name:
                lists.setdefault(name, []).append(row)
        return lists

    def scale_for(self, list_name: str, row: _Row) -> str | None:
        """The draft scale for a choice list, or ``None`` (the row is then listed)."""
        if list_name in self.scales:
            return self.scales[list_name].key
        choices = self.lists.get(list_name)
        if not choices:
            self.skip(row, "type", f"the choice list '{list_name}' is not on the choices sheet.")
            return None
        points: dict[int, dict[str, str]] = {}
        codes: dict[str, dict[str, str]] = {}
        others: list[str] = []
        for choice in choices:
            name = choice.get("name")
            if not name:
                continue
            if _INTEGER.match(name) and str(int(name)) == name:
                points[int(name)] = self.texts(choice, "label") or {self.default: name}
            elif _CODE.match(name):
                codes[name] = self.texts(choice, "label") or {self.default: name}
            else:
                others.append(name)
        if others or len(points) < 2:
            shown = ", ".join((others or [c.get("name") for c in choices])[:6])
            self.skip(
                row,
                "type",
                f"the choices of '{list_name}' are not a scale of whole numbers ({shown}).",
                "rated items need choices named 1, 2, 3...; codes such as NA may be added.",
            )
            return None
        low, high = min(points), max(points)
        gaps = [p for p in range(low, high + 1) if p not in points]
        if gaps:
            self.skip(
                row,
                "type",
                f"the choices of '{list_name}' skip {', '.join(map(str, gaps))}, so they are "
                "not a scale of consecutive points.",
                "add the missing points to the choices sheet, or rate on another list.",
            )
            return None
        own_prefix = "scale_" if self.own_form else ""
        key = _slug(list_name.removeprefix(own_prefix), "scale")
        while key in {s.key for s in self.scales.values()}:
            key += "_2"
        self.scales[list_name] = _Scale(key, dict(sorted(points.items())), codes)
        for code, labels in codes.items():
            self.codes.setdefault(code, labels)
        return key

    # --- the survey ------------------------------------------------------------------------

    def skip(self, row: _Row, column: str, message: str, fix: str = "") -> None:
        self.unmapped.append(
            SheetProblem(self.form.source, ("survey", column), message, fix, row.number)
        )

    def read_survey(self) -> None:
        stack: list[tuple[str, str, _Row]] = []  # (kind, name, row)
        own_form = self.own_form
        for row in self.form.sheets.get("survey", []):
            kind = " ".join(row.get("type").split())
            lower = kind.lower().replace("_", " ")
            if lower in ("begin group", "begin repeat", "begin looped group"):
                stack.append(
                    (
                        "repeat" if "repeat" in lower or "looped" in lower else "group",
                        row.get("name"),
                        row,
                    )
                )
                continue
            if lower in ("end group", "end repeat", "end looped group"):
                if stack:
                    stack.pop()
                else:
                    self.skip(row, "type", f"'{kind}' closes no group.", "remove the row.")
                continue
            if not kind:
                if row.get("name"):
                    self.skip(row, "type", "the row has a name but no type.")
                continue
            name = row.get("name")
            if own_form and not stack and name in META_QUESTIONS:
                continue
            self.read_question(row, kind, stack, own_form)
        for kind, name, row in stack:
            self.notes.append(
                f"the {kind} '{name}' begun on survey row {row.number} is never ended."
            )

    def _is_own_form(self) -> bool:
        """Whether the form looks like one from :func:`write_xlsform` (informant groups)."""
        return "informants" in self.lists and any(
            row.get("name").endswith(INFORMANT_GROUP_SUFFIX)
            and row.get("type").lower().replace("_", " ").startswith("begin group")
            for row in self.form.sheets.get("survey", [])
        )

    def read_question(
        self, row: _Row, kind: str, stack: Sequence[tuple[str, str, _Row]], own_form: bool
    ) -> None:
        lower = kind.lower()
        base = lower.split()[0]
        if base in _METADATA_TYPES:
            self.skip(row, "type", f"'{kind}' is recorded by the device, not rated.")
            return
        if base == "note":
            self.skip(row, "type", "a note shows text and takes no answer.")
            return
        if base in ("calculate", "hidden"):
            self.skip(row, "type", "a calculation is not rated.")
            return
        if "from_file" in lower or "from file" in lower or "external" in base:
            self.skip(
                row,
                "type",
                f"the choices of '{kind}' come from an external file, which is not read.",
                "copy the choices to the choices sheet if they are the points of a scale.",
            )
            return
        multiple = re.match(r"^(select_multiple|select multiple|select all that apply)\b", lower)
        if multiple:
            self.skip(
                row,
                "type",
                "several choices can be selected here; a rating is one point of a scale.",
            )
            return
        single = _SELECT_ONE.match(kind)
        if not single:
            if lower in ("select_one", "select one", "select1"):
                self.skip(row, "type", "the select_one names no choice list.")
            else:
                self.skip(row, "type", f"a question of type '{kind}' is not rated on a scale.")
            return
        if not row.get("name"):
            self.skip(row, "name", "the question has no name.", "give it a name.")
            return
        repeats = [name for k, name, _ in stack if k == "repeat"]
        if repeats:
            self.skip(
                row,
                "name",
                f"the question is inside the repeat '{repeats[-1]}', so it can be answered "
                "several times in one submission.",
                "move it out of the repeat if it is rated once per interview.",
            )
            return
        scale = self.scale_for(single.group(1), row)
        if scale is None:
            return
        if single.group(2):
            self.notes.append(
                f"survey row {row.number}: the 'other' option of '{row.get('name')}' is left out."
            )
        self.add_item(row, scale, stack, own_form)

    def add_item(
        self, row: _Row, scale: str, stack: Sequence[tuple[str, str, _Row]], own_form: bool
    ) -> None:
        informant = DRAFT_INFORMANT
        groups = list(stack)
        if own_form and groups and groups[0][1].endswith(INFORMANT_GROUP_SUFFIX):
            informant = groups[0][1][: -len(INFORMANT_GROUP_SUFFIX)]
            self.informants.setdefault(informant, self.texts(groups[0][2], "label"))
            groups = groups[1:]
        else:
            self.informants.setdefault(informant, {self.default: "Respondent"})
        if groups:
            _, group_name, group_row = groups[-1]
            domain = _slug(group_name, "domain")
            self.domains.setdefault(
                domain, self.texts(group_row, "label") or {self.default: group_name}
            )
        else:
            domain = "ungrouped"
            self.domains.setdefault(domain, {self.default: "Items outside any group"})
        key = _slug(row.get("name"), "item")
        item = self.items.get(key)
        if item is not None and (informant in item.informants or item.scale != scale):
            self.skip(
                row,
                "name",
                f"the item '{key}' is already on row {item.row}.",
                "give each rated question a name of its own.",
            )
            return
        if item is None:
            item = self.items[key] = _DraftItem(key, domain, scale, self._required(row), row.number)
        labels = self.texts(row, "label") or {self.default: row.get("name")}
        hints = self.texts(row, "hint")
        question = labels.get(self.default) or next(iter(labels.values()))
        prompts = [p for p in hints.get(self.default, "").split("\n") if p.strip()]
        item.informants[informant] = {"question": question, "prompts": prompts}
        prefix = f"items.{key}.informants.{informant}"
        for language, text in labels.items():
            if language not in (self.default, "") and text != question:
                item.texts.setdefault(language, {})[f"{prefix}.question"] = text
        for language, text in hints.items():
            if language in (self.default, ""):
                continue
            translated = [p for p in text.split("\n") if p.strip()]
            for index, prompt in enumerate(translated):
                if index >= len(prompts) or prompt != prompts[index]:
                    item.texts.setdefault(language, {})[f"{prefix}.prompts.{index}"] = prompt
        for column in ("relevant", "constraint", "choice_filter"):
            if row.get(column):
                self.notes.append(
                    f"survey row {row.number}: the {column.replace('_', ' ')} of "
                    f"'{row.get('name')}' ({row.get(column)}) is not kept."
                )

    def _required(self, row: _Row) -> bool:
        value = row.get("required").strip().lower()
        if value in ("yes", "true", "true()", "1"):
            return True
        if value not in ("", "no", "false", "false()", "0"):
            self.notes.append(
                f"survey row {row.number}: '{row.get('name')}' is required only when "
                f"{value}; the draft makes it optional."
            )
        return False

    # --- the document ----------------------------------------------------------------------

    def document(self, path: Path) -> dict[str, Any]:
        settings = self.form.sheets.get("settings", [])
        setting = settings[0] if settings else _Row(0, {})
        title = setting.get("form_title") or path.stem
        version = setting.get("version")
        if not re.fullmatch(r"[A-Za-z0-9._-]+", version):
            given = f"'{version}'" if version else "none (or a formula)"
            self.notes.append(
                f"the form's version is {given}, not a plain version; the draft has version "
                "'draft'."
            )
            version = "draft"
        language = self.default or "en"
        translations: dict[str, dict[str, str]] = {}

        def translate(text_id: str, texts: Mapping[str, str]) -> None:
            # A text the same as the original is a fallback, not a translation.
            for lang, text in texts.items():
                if lang != self.default and lang and text != texts.get(self.default):
                    translations.setdefault(lang, {})[text_id] = text

        def own(texts: Mapping[str, str], fallback: str) -> str:
            return texts.get(self.default) or next(iter(texts.values()), fallback) or fallback

        informants = []
        for key, texts in self.informants.items():
            informants.append({"key": key, "title": own(texts, key)})
            translate(f"informants.{key}.title", texts)
        scales = []
        for scale in self.scales.values():
            anchors = {p: own(t, str(p)) for p, t in scale.points.items()}
            for point, texts in scale.points.items():
                translate(f"scales.{scale.key}.anchors.{point}", texts)
            scales.append(
                {
                    "key": scale.key,
                    "title": scale.key,
                    "min": min(anchors),
                    "max": max(anchors),
                    "anchors": anchors,
                }
            )
        codes = []
        for index, (code, texts) in enumerate(self.codes.items()):
            codes.append({"code": code, "label": own(texts, code), "missing": True})
            translate(f"codes.{index}.label", texts)
        domains = []
        for key, texts in self.domains.items():
            domains.append({"key": key, "title": own(texts, key), "principles": [key]})
            translate(f"domains.{key}.title", texts)
        items = []
        for item in self.items.values():
            items.append(
                {
                    "key": item.key,
                    "domain": item.domain,
                    "scale": item.scale,
                    "reverse": False,
                    "required": item.required,
                    "informants": item.informants,
                }
            )
            for lang, table in item.texts.items():
                translations.setdefault(lang, {}).update(table)
        data: dict[str, Any] = {
            "key": _slug(setting.get("form_id") or path.stem, "form").replace("_", "-"),
            "version": version,
            "title": title,
            "framework": self.framework,
            "language": language,
            "description": f"Drafted from the XLSForm {path.name}; review every part.",
            "informants": informants,
            "scales": scales,
            "codes": codes,
            "domains": domains,
            "items": items,
        }
        if translations:
            data["translations"] = translations
        self.notes += [
            "each domain is linked to a placeholder principle named like the domain; link it "
            "to the principles of your framework.",
            "no item is marked reverse-keyed; mark those where a high rating means less of "
            "the principle.",
        ]
        if self.framework == DRAFT_FRAMEWORK:
            self.notes.append(
                f"the draft is pinned to the placeholder framework {DRAFT_FRAMEWORK}; name the "
                "framework it rates (key@version)."
            )
        return data


def _slug(text: str, kind: str) -> str:
    """A key from a name: lower case, other characters as '_', starting with a letter."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_-]+", "_", plain.strip().lower()).strip("_-")
    if not slug or not slug[0].isalpha():
        slug = f"{kind}_{slug}".rstrip("_")
    return slug


def read_xlsform_instrument(path: Path | str, *, framework: str = DRAFT_FRAMEWORK) -> XlsformDraft:
    """Draft an instrument from any XLSForm, listing what cannot be carried over.

    Parameters
    ----------
    path
        An XLSForm as ``.xlsx`` (or the single-sheet ``.csv`` form). A legacy ``.xls``
        workbook is refused with the advice to save it as ``.xlsx``.
    framework
        The framework the draft is pinned to, as ``key@version``.

    Returns
    -------
    XlsformDraft
        The draft document: each ``select_one`` outside repeats whose choices are consecutive
        whole numbers (special codes such as ``NA`` allowed) becomes an item, rated on a scale
        made from its choice list; its innermost group becomes its domain. A form made by
        :func:`write_xlsform` gives back its informants too. Every other survey row is in
        ``unmapped`` with its row and the reason; losses are in ``notes``.

    Raises
    ------
    DocumentError
        When the file cannot be read as an XLSForm, or no question could become an item
        (the problems then list every row that was tried).
    """
    path = Path(path)
    form = _read_form(path)
    if "survey" not in form.sheets:
        raise DocumentError(
            [
                SheetProblem(
                    str(path),
                    (),
                    f"the form has no 'survey' sheet (it has: {', '.join(form.sheets) or 'none'}).",
                    "give an XLSForm: a workbook with the sheets survey, choices and settings.",
                )
            ]
        )
    drafter = _Drafter(form, framework)
    drafter.read_survey()
    if not drafter.items:
        problem = SheetProblem(
            str(path),
            ("survey",),
            "no question of the form can become a rated item: an item needs a select_one "
            "question whose choices are whole numbers, outside any repeat.",
            "see the rows listed for what each one is.",
        )
        raise DocumentError([problem, *drafter.unmapped])
    data = drafter.document(path)
    return XlsformDraft(str(path), data, tuple(drafter.unmapped), tuple(drafter.notes))
