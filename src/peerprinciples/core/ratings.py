"""The ratings table: item ratings from fidelity interviews, read, checked and normalised.

Ratings arrive as a CSV file, an XLSX workbook or a pandas DataFrame, in one of two layouts
(see ``docs/ratings-format.md``):

long
    one row per rating, with the columns ``interview``, ``informant``, ``item``, ``rating``
    and ``rater`` and, optionally, ``service``, ``peer_worker``, ``round`` and ``date``.
wide
    one row per interview and rater, with the columns ``interview``, ``informant`` and
    ``rater`` (plus the same optional columns) and one column per item, named by its key.

A rating is a whole point of the item's scale or one of the instrument's special codes. The
agreed value of two or more raters is a rating like any other, given by the rater
``consensus``.

Every problem in the input is found in one pass and reported together, each with the file,
the row as a spreadsheet shows it (the header is row 1, the first rating row 2), the column
and how to fix it. Checks work on whole columns at once (factorised codes and boolean masks),
so a table of a million ratings is checked in well under a second.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from peerprinciples.core.documents import DocumentError, Problem, read_bytes
from peerprinciples.core.instruments import Instrument

Layout = Literal["auto", "long", "wide"]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

KEY_COLUMNS = ("interview", "informant", "rater")
"""Columns both layouts need."""

LONG_COLUMNS = ("interview", "informant", "item", "rating", "rater")
"""Columns the long layout needs."""

OPTIONAL_COLUMNS = ("service", "peer_worker", "round", "date")
"""Columns either layout may have."""

CONSENSUS_RATER = "consensus"
"""The rater name that marks the agreed rating of two or more raters."""

INTERVIEW_ATTRIBUTES = ("informant", "service", "peer_worker", "round")
"""Columns that must have the same value on every row of an interview."""

MAX_PROBLEMS = 200
"""At most this many problems are listed; the rest are counted."""

DOCS = "docs/ratings-format.md"

_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_XLSX_SUFFIXES = (".xlsx", ".xlsm")


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


@dataclass(frozen=True)
class RatingsTable:
    """A checked, normalised ratings table in the long layout.

    ``data`` has one row per rating, in the order of the source, with the columns:

    ``interview``, ``rater``, ``service``, ``peer_worker``, ``round``
        categorical text; the optional ones are missing when the source lacks them;
    ``informant``, ``item``
        categorical, with the instrument's keys as categories (in instrument order);
    ``rating``
        float, the point of the scale, or missing when a special code was given;
    ``code``
        categorical, the special code (the instrument's codes as categories), or missing;
    ``date``
        datetime, or missing;
    ``row``
        the row of the source as a spreadsheet shows it (header = row 1).
    """

    data: pd.DataFrame
    instrument: Instrument
    source: str
    layout: Literal["long", "wide"]
    columns: tuple[str, ...]
    """The optional columns the source had."""
    notes: tuple[str, ...] = field(default=())

    @property
    def n_ratings(self) -> int:
        """The number of ratings (rows of ``data``)."""
        return len(self.data)

    @property
    def n_interviews(self) -> int:
        """The number of distinct interviews."""
        return int(self.data["interview"].nunique())

    @property
    def raters(self) -> list[str]:
        """The rater names, without the consensus marker."""
        names = self.data["rater"].cat.categories
        return [str(name) for name in names if name != CONSENSUS_RATER]

    @property
    def has_consensus(self) -> bool:
        """Whether the table gives agreed ratings (rater ``consensus``)."""
        return bool((self.data["rater"] == CONSENSUS_RATER).any())


# --- reading files ------------------------------------------------------------------------------


def read_ratings(
    source: Path | str | pd.DataFrame,
    instrument: Instrument,
    *,
    layout: Layout = "auto",
    sheet: str | None = None,
    delimiter: str = ",",
    name: str = "DataFrame",
) -> RatingsTable:
    """Read and check a ratings table.

    Parameters
    ----------
    source
        A path to a CSV file (UTF-8, with or without a byte order mark) or an XLSX workbook,
        or a pandas DataFrame with the same columns.
    instrument
        The instrument the ratings were given on.
    layout
        ``"long"`` (one row per rating), ``"wide"`` (one column per item) or ``"auto"``: long
        when the header has ``item`` or ``rating``, wide when it names items.
    sheet
        The worksheet of an XLSX workbook; by default the one named ``ratings``, otherwise
        the first.
    delimiter
        The delimiter of a CSV file.
    name
        How to name a DataFrame source in problems.

    Returns
    -------
    RatingsTable
        The checked table, normalised to the long layout.

    Raises
    ------
    RatingsError
        With every problem found (the first 200 by row, and the total count).
    """
    if isinstance(source, pd.DataFrame):
        return _check(source, instrument, source=name, layout=layout)
    path = Path(source)
    frame = _read_file(path, sheet=sheet, delimiter=delimiter)
    return _check(frame, instrument, source=str(path), layout=layout)


def read_table(path: Path | str, *, sheet: str | None = None, delimiter: str = ",") -> pd.DataFrame:
    """Read a CSV or XLSX file into a DataFrame of text cells, without checking its content.

    Parameters
    ----------
    path
        The file.
    sheet
        The worksheet of an XLSX workbook (default: ``ratings`` if present, else the first).
    delimiter
        The delimiter of a CSV file.

    Returns
    -------
    pandas.DataFrame
        One row per row of the file after the header, keeping blank rows so that row numbers
        stay right; column names as in the header, stripped and lower-cased.

    Raises
    ------
    RatingsError
        When the file cannot be read as a table.
    """
    path = Path(path)
    return _read_file(path, sheet=sheet, delimiter=delimiter)


def _file_problem(source: str, message: str, fix: str = "", row: int | None = None) -> Problem:
    return RatingProblem(source, (), message, fix, row)


def _read_file(path: Path, *, sheet: str | None, delimiter: str) -> pd.DataFrame:
    source = str(path)
    raw = read_bytes(path, error=RatingsError, problem=RatingProblem)
    if path.suffix.lower() in _XLSX_SUFFIXES:
        return _read_xlsx(path, raw, sheet)
    if path.suffix.lower() == ".xls":
        raise RatingsError(
            [
                _file_problem(
                    source,
                    "this is an old Excel .xls workbook, which cannot be read.",
                    "open it in a spreadsheet program and save it as .xlsx or as 'CSV UTF-8'.",
                )
            ]
        )
    return _read_csv(source, raw, delimiter)


def _not_a_table(source: str, raw: bytes) -> Problem | None:
    """A problem when the bytes are clearly not a CSV text table."""
    head = raw[:4096]
    if head.startswith(b"%PDF"):
        kind = "a PDF document"
    elif head.startswith(b"PK\x03\x04"):
        return _file_problem(
            source,
            "the file is a zip archive (perhaps an XLSX workbook), not CSV text.",
            "if it is an Excel workbook, give it the .xlsx extension; otherwise export the "
            "ratings as 'CSV UTF-8'.",
        )
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        kind = "an old Microsoft Office file (.xls or .doc)"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _file_problem(
            source,
            "the file is UTF-16 text; ratings files must be UTF-8.",
            "save it again as 'CSV UTF-8' (in Excel: File > Save As > CSV UTF-8).",
        )
    elif b"\x00" in head:
        kind = "binary data"
    else:
        return None
    return _file_problem(
        source,
        f"the file is {kind}, not a table of ratings.",
        f"export the ratings from your spreadsheet as 'CSV UTF-8' or .xlsx (see {DOCS}).",
    )


def _read_csv(source: str, raw: bytes, delimiter: str) -> pd.DataFrame:
    not_table = _not_a_table(source, raw)
    if not_table:
        raise RatingsError([not_table])
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        raise RatingsError(
            [
                _file_problem(
                    source,
                    "the file is empty.",
                    f"export the ratings into it, starting with a header row (see {DOCS}).",
                    1,
                )
            ]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        guess = ""
        try:
            raw.decode("cp1252")
            guess = " (it was probably saved as Windows-1252 or Latin-1)"
        except UnicodeDecodeError:
            pass
        raise RatingsError(
            [
                _file_problem(
                    source,
                    f"the file is not UTF-8 text{guess}: the byte 0x{byte:02X} on row {row} "
                    "cannot be read as UTF-8.",
                    "save it again as 'CSV UTF-8' (in Excel: File > Save As > CSV UTF-8; in "
                    "LibreOffice: character set Unicode (UTF-8)).",
                    row,
                )
            ]
        ) from exc

    first_line = text.partition("\n")[0].rstrip("\r")
    header = _split_header(first_line, delimiter)
    if len(header) <= 1:
        other = _better_delimiter(first_line, delimiter)
        if other is not None:
            name = _DELIMITERS.get(other, repr(other))
            raise RatingsError(
                [
                    _file_problem(
                        source,
                        f"the file seems to use {other!r} ({name}) as delimiter, not "
                        f"{delimiter!r}: its header read with {other!r} gives the columns "
                        f"{', '.join(_split_header(first_line, other))}.",
                        "save it again with commas between columns (in Excel: 'CSV UTF-8 (Comma "
                        f"delimited)'), or read it with delimiter={other!r}.",
                        1,
                    )
                ]
            )
    names = [_column_name(h) for h in header]
    try:
        with warnings.catch_warnings():
            # a first row longer than the header only warns; treat it like a later one
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                header=None,
                skiprows=1,
                names=list(range(len(names))),
                index_col=False,
                dtype="category",
                keep_default_na=False,
                skip_blank_lines=False,
                engine="c",
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        problems = _ragged_rows(source, text, delimiter, len(names))
        if problems:
            raise RatingsError(problems) from exc
        frame = _read_csv_slowly(text, delimiter, len(names))
    except (ValueError, csv.Error) as exc:
        raise RatingsError(
            [
                _file_problem(
                    source,
                    f"the file cannot be read as a table: {exc}.",
                    f"export the ratings as 'CSV UTF-8' (see {DOCS}).",
                )
            ]
        ) from exc
    frame.columns = pd.Index(names)
    return frame


def _split_header(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return [line]


def _better_delimiter(line: str, delimiter: str) -> str | None:
    """Another delimiter under which the header splits into several known columns."""
    known = set(LONG_COLUMNS) | set(OPTIONAL_COLUMNS)
    best: tuple[int, int, str] | None = None
    for other in _DELIMITERS:
        if other == delimiter:
            continue
        parts = _split_header(line, other)
        hits = sum(_column_name(p) in known for p in parts)
        if len(parts) > 1 and (hits or len(parts) >= 3):
            candidate = (hits, len(parts), other)
            if best is None or candidate > best:
                best = candidate
    if best is None:
        try:
            sniffed = csv.Sniffer().sniff(line, delimiters="".join(_DELIMITERS)).delimiter
        except csv.Error:
            return None
        return sniffed if sniffed != delimiter else None
    return best[2]


def _ragged_rows(source: str, text: str, delimiter: str, width: int) -> list[Problem]:
    """Rows with more cells than the header (found only when pandas refuses the file)."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader, None)
    for index, cells in enumerate(reader, start=2):
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(
                RatingProblem(
                    source,
                    (),
                    f"this row has {len(cells)} cells but the header has {width} columns.",
                    "remove the extra cells, or add a header for them; a comma inside "
                    "a value needs the value in double quotes.",
                    index,
                )
            )
    return problems


def _read_csv_slowly(text: str, delimiter: str, width: int) -> pd.DataFrame:
    """Read a file whose extra cells beyond the header are all blank, dropping them."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader, None)
    rows = [(cells + [""] * width)[:width] for cells in reader]
    return pd.DataFrame(rows, columns=list(range(width)), dtype="category")


def _read_xlsx(path: Path, raw: bytes, sheet: str | None) -> pd.DataFrame:
    import openpyxl

    source = str(path)
    if not raw:
        raise RatingsError(
            [
                _file_problem(
                    source, "the file is empty.", "save the ratings workbook into it again."
                )
            ]
        )
    if not raw.startswith(b"PK\x03\x04"):
        problem = _not_a_table(source, raw) or _file_problem(
            source,
            f"the file is not an XLSX workbook although its name ends in {path.suffix}.",
            "save it from your spreadsheet program as .xlsx, or give a CSV "
            "file the .csv extension.",
        )
        raise RatingsError([problem])
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise RatingsError(
            [
                _file_problem(
                    source,
                    "the workbook is damaged and cannot be read as XLSX.",
                    "open it in your spreadsheet program and save it again as .xlsx, or export the "
                    "ratings as 'CSV UTF-8'.",
                )
            ]
        ) from exc
    except Exception as exc:  # openpyxl raises its own exceptions for malformed parts
        raise RatingsError(
            [
                _file_problem(
                    source,
                    f"the workbook cannot be read as XLSX ({type(exc).__name__}).",
                    "open it in your spreadsheet program and save it again as .xlsx, or export the "
                    "ratings as 'CSV UTF-8'.",
                )
            ]
        ) from exc
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise RatingsError(
                [
                    _file_problem(
                        source,
                        f"the workbook has no sheet '{sheet}' (it has: {', '.join(names)}).",
                        "name one of its sheets.",
                    )
                ]
            )
        chosen = sheet or next((n for n in names if n.strip().lower() == "ratings"), names[0])
        rows = list(book[chosen].iter_rows(values_only=True))
    finally:
        book.close()
    while rows and all(_is_blank(v) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise RatingsError(
            [
                _file_problem(
                    f"{source}[{chosen}]",
                    "the sheet is empty.",
                    f"put the ratings on it, starting with a header row (see {DOCS}).",
                    1,
                )
            ]
        )
    header = list(rows[0])
    while header and _is_blank(header[-1]):
        header.pop()
    width = len(header)
    names_out = ["" if _is_blank(h) else _column_name(h) for h in header]
    body = [tuple(r[:width]) + (None,) * (width - len(r)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=list(range(width)), dtype=object)
    frame.columns = pd.Index(names_out)
    return frame


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_name(value: object) -> str:
    """A header cell as a column name: stripped, lower-case, inner spaces as '_'."""
    return re.sub(r"\s+", "_", str(value).strip().lower())


# --- cell values --------------------------------------------------------------------------------


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, str) and not value.strip()


def _as_text(value: object) -> str:
    """A cell as text: blank cells give '', whole floats lose their '.0'."""
    if _is_blank(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat()
    return str(value).strip()


def _factorize(values: pd.Series) -> tuple[IntArray, list[object]]:
    """Integer codes (−1 for missing) and the distinct values, without a loop per row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        category_codes = np.asarray(values.cat.codes.to_numpy(), dtype=np.intp)
        return category_codes, values.cat.categories.to_numpy(dtype=object).tolist()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), np.asarray(uniques, dtype=object).tolist()


def _lookup(codes: IntArray, table: Sequence[int] | IntArray) -> IntArray:
    """Map codes through ``table``; code −1 (missing) maps to −1."""
    mapping = np.asarray(table, dtype=np.intp)
    if np.array_equal(mapping, np.arange(len(mapping))):
        return codes  # nothing to merge or blank out
    extended = np.append(mapping, -1)
    result: IntArray = extended[codes]
    return result


@dataclass
class _Column:
    """A column as codes into its distinct texts (−1 = blank)."""

    codes: IntArray
    texts: list[str]

    @classmethod
    def of(cls, values: pd.Series, kind: Literal["text", "key", "rater"] = "text") -> _Column:
        """Codes and texts of a column: stripped; keys lower-cased; 'consensus' in any case."""
        codes, uniques = _factorize(values)
        if pd.api.types.infer_dtype(uniques, skipna=False) == "string":
            texts = np.strings.strip(np.asarray(uniques, dtype=np.str_))
        else:
            texts = np.asarray([_as_text(u) for u in uniques], dtype=np.str_)
        if kind == "key":
            texts = np.strings.lower(texts)
        elif kind == "rater":
            texts = np.where(np.strings.lower(texts) == CONSENSUS_RATER, CONSENSUS_RATER, texts)
        merged, distinct = pd.factorize(texts.astype(object))
        table = np.asarray(merged, dtype=np.intp)
        names = [str(t) for t in distinct]
        if "" in names:
            blank = names.index("")
            table = np.where(table == blank, -1, np.where(table > blank, table - 1, table))
            names.pop(blank)
        return cls(_lookup(codes, table), names)

    def take(self, positions: IntArray) -> _Column:
        return _Column(self.codes[positions], self.texts)

    def text(self, index: int) -> str:
        code = int(self.codes[index])
        return self.texts[code] if code >= 0 else ""

    def categorical(self, categories: Sequence[str] | None = None) -> pd.Categorical[str]:
        if categories is None:
            return pd.Categorical.from_codes(self.codes, categories=pd.Index(self.texts, dtype=str))
        position = {key: i for i, key in enumerate(categories)}
        table = [position.get(t, -1) for t in self.texts]
        return pd.Categorical.from_codes(
            _lookup(self.codes, table), categories=pd.Index(list(categories), dtype=str)
        )


def _keys(column: _Column, keys: Sequence[str]) -> tuple[IntArray, BoolArray]:
    """Indexes into ``keys`` (−1 blank) and a mask of rows whose value is not a key."""
    position = {key: i for i, key in enumerate(keys)}
    table = [position.get(t, -2) for t in column.texts]
    index = _lookup(column.codes, table)
    return index, index == -2


# --- checking -----------------------------------------------------------------------------------


class _Collector:
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
        if self.total:
            ordered = sorted(self.problems, key=lambda p: (p.line or 0, p.where))
            raise RatingsError(ordered[:MAX_PROBLEMS], self.total)


def _list(keys: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f", ... ({len(keys)} in all)" if len(keys) > limit else "")


def _check(
    frame: pd.DataFrame,
    instrument: Instrument,
    *,
    source: str,
    layout: Layout,
) -> RatingsTable:
    item_keys = [item.key for item in instrument.items]
    notes: list[str] = []

    # --- the header --------------------------------------------------------------------------
    header = _Collector(source, np.zeros(0, dtype=np.intp), None)
    names = [
        _column_name(c) if not _is_blank(c) else f"column {_column_letter(i)}"
        for i, c in enumerate(frame.columns)
    ]
    seen: dict[str, int] = {}
    keep: list[int] = []
    for position, column_name in enumerate(names):
        if column_name in seen:
            header.file(
                f"the column '{column_name}' appears twice in the header (columns "
                f"{_column_letter(seen[column_name])} and {_column_letter(position)}).",
                "remove or rename one of them.",
                column_name,
                1,
            )
        else:
            seen[column_name] = position
            keep.append(position)
    frame = frame.iloc[:, keep]
    frame.columns = pd.Index([names[i] for i in keep])
    columns = list(frame.columns)

    if layout == "auto":
        named_items = [c for c in columns if c in item_keys]
        layout = (
            "wide" if named_items and "item" not in columns and "rating" not in columns else "long"
        )
    required = LONG_COLUMNS if layout == "long" else KEY_COLUMNS
    for column_name in required:
        if column_name not in columns:
            header.file(
                f"the required column '{column_name}' is missing (the header has: "
                f"{', '.join(columns) or 'nothing'}).",
                f"add a column '{column_name}' ({_COLUMN_HELP[column_name]}); see {DOCS} for "
                f"the {layout} layout.",
                column_name,
                1,
            )
    if "consensus" in columns:
        header.file(
            "a 'consensus' column is not used: the agreed rating of two or more raters is "
            f"a row (in the wide layout, a row per interview) with the rater "
            f"'{CONSENSUS_RATER}'.",
            f"remove the column and give each agreed rating the rater '{CONSENSUS_RATER}'.",
            "consensus",
            1,
        )
    known = set(LONG_COLUMNS) | set(OPTIONAL_COLUMNS) | {"consensus"}
    if layout == "wide":
        item_columns = [c for c in columns if c in item_keys]
        if not item_columns and all(c in columns for c in KEY_COLUMNS):
            header.file(
                "the wide layout needs a column for each item, named by its key, but the "
                "header names no item.",
                f"name the item columns by their keys ({_list(item_keys)}), or use the long "
                "layout.",
                None,
                1,
            )
        unnamed = [c for c in columns if c.startswith("column ")]
        if unnamed:
            notes.append(f"columns without a header, not used: {', '.join(unnamed)}")
        for column_name in columns:
            if column_name.startswith("column "):
                continue
            if column_name not in known and column_name not in item_keys:
                header.file(
                    f"the column '{column_name}' is neither an item of {instrument.ref} nor a "
                    "column of the ratings format.",
                    f"rename it to an item key ({_list(item_keys)}) or remove it.",
                    column_name,
                    1,
                )
        for column_name in ("item", "rating"):
            if column_name in columns:
                header.file(
                    f"the column '{column_name}' belongs to the long layout, but this "
                    "table has item columns (wide layout).",
                    "use one layout: either 'item' and 'rating' columns, or one column per item.",
                    column_name,
                    1,
                )
    else:
        ignored = [c for c in columns if c not in known]
        if ignored:
            notes.append(f"columns not used: {', '.join(ignored)}")
    header.raise_if_any()

    if layout == "long":
        return _check_long(frame, instrument, source, notes)
    return _check_wide(frame, instrument, source, notes, item_columns)


_COLUMN_HELP = {
    "interview": "an id for each interview",
    "informant": "who was interviewed, e.g. peer_worker",
    "item": "the item's key, e.g. rel_1",
    "rating": "the rating, or a special code such as NA",
    "rater": f"who rated; '{CONSENSUS_RATER}' for an agreed rating",
}


@dataclass
class _Long:
    """The long layout as codes, one entry per rating, before the checks on values."""

    rows: IntArray  # spreadsheet row of each rating
    columns: dict[str, _Column]  # key and optional columns, per rating
    item: IntArray  # index into instrument items (−1 blank, −2 unknown)
    item_column: _Column | None  # long layout only, for messages
    rating_codes: IntArray  # codes into rating_uniques
    rating_uniques: list[object]
    dates: pd.Series | None  # per rating
    rating_columns: list[str] | None = None  # wide layout: the item columns
    column_of_rating: IntArray | None = None  # wide layout: index into rating_columns


def _base_columns(frame: pd.DataFrame) -> dict[str, _Column]:
    base: dict[str, _Column] = {}
    for column_name in (*KEY_COLUMNS, *OPTIONAL_COLUMNS):
        if column_name not in frame.columns or column_name == "date":
            continue
        kind: Literal["text", "key", "rater"] = "text"
        if column_name == "informant":
            kind = "key"
        elif column_name == "rater":
            kind = "rater"
        base[column_name] = _Column.of(frame[column_name], kind)
    return base


def _check_long(
    frame: pd.DataFrame, instrument: Instrument, source: str, notes: list[str]
) -> RatingsTable:
    base = _base_columns(frame)
    item_col = _Column.of(frame["item"], "key")
    rating_codes, rating_uniques = _factorize(frame["rating"])
    blank_unique = np.asarray([_is_blank(u) for u in rating_uniques] + [True])
    blank = blank_unique[rating_codes] & (item_col.codes < 0)
    for column in base.values():
        blank &= column.codes < 0
    dates = frame["date"] if "date" in frame.columns else None
    rows = np.arange(len(frame), dtype=np.intp) + 2
    if blank.any():
        keep = np.flatnonzero(~blank).astype(np.intp)
        base = {k: c.take(keep) for k, c in base.items()}
        item_col, rating_codes, rows = item_col.take(keep), rating_codes[keep], rows[keep]
        dates = dates.iloc[keep] if dates is not None else None
    item_index, _ = _keys(item_col, [item.key for item in instrument.items])
    long = _Long(rows, base, item_index, item_col, rating_codes, rating_uniques, dates)
    return _check_values(long, instrument, source, "long", notes)


def _check_wide(
    frame: pd.DataFrame,
    instrument: Instrument,
    source: str,
    notes: list[str],
    item_columns: list[str],
) -> RatingsTable:
    item_keys = [item.key for item in instrument.items]
    base = _base_columns(frame)
    n_base = len(frame)
    cells = pd.concat([frame[c].astype(object) for c in item_columns], ignore_index=True)
    codes, uniques = _factorize(cells)
    blank_unique = np.asarray([_is_blank(u) for u in uniques] + [True])
    filled = ~blank_unique[codes]
    key_blank = np.ones(n_base, dtype=bool)
    for column in base.values():
        key_blank &= column.codes < 0
    filled_any = filled.reshape(len(item_columns), n_base).any(axis=0)
    base_keep = ~(key_blank & ~filled_any)

    found = _Collector(source, np.arange(n_base, dtype=np.intp) + 2, None)
    interview, rater = base["interview"], base["rater"]
    valid = base_keep & (interview.codes >= 0) & (rater.codes >= 0)
    pair = interview.codes.astype(np.int64) * (len(rater.texts) + 1) + rater.codes
    pair = np.where(valid, pair, -1 - np.arange(n_base, dtype=np.int64))
    repeated = pd.Series(pair).duplicated().to_numpy() & valid
    if repeated.any():
        first = _first_positions(pair)
        found.rows_where(
            repeated,
            "interview",
            lambda i: (
                f"interview '{interview.text(i)}' already has a row by rater "
                f"'{rater.text(i)}' (row {first[int(pair[i])] + 2})."
            ),
            "keep one of the two rows; a second rater needs a name of their own, and the agreed "
            f"ratings the rater '{CONSENSUS_RATER}'.",
        )

    flat = np.flatnonzero(filled & np.tile(base_keep, len(item_columns)))
    positions = (flat % n_base).astype(np.intp)
    which = (flat // n_base).astype(np.intp)
    column_item = np.asarray([item_keys.index(c) for c in item_columns], dtype=np.intp)
    dates = frame["date"].iloc[positions] if "date" in frame.columns else None
    long = _Long(
        rows=positions + 2,
        columns={k: c.take(positions) for k, c in base.items()},
        item=column_item[which],
        item_column=None,
        rating_codes=codes[flat],
        rating_uniques=uniques,
        dates=dates,
        rating_columns=item_columns,
        column_of_rating=which,
    )
    return _check_values(long, instrument, source, "wide", notes, found)


def first_rows(codes: IntArray, n_groups: int) -> IntArray:
    """The position of the first row of each group, without a loop per row.

    Parameters
    ----------
    codes
        The group of each row, from 0 to ``n_groups − 1``; −1 for a row in no group.
    n_groups
        How many groups there are.

    Returns
    -------
    numpy.ndarray
        For each group, the position of its first row, or −1 when it has none.
    """
    first = np.full(n_groups + 1, len(codes), dtype=np.intp)
    np.minimum.at(first, np.where(codes >= 0, codes, n_groups), np.arange(len(codes)))
    result: IntArray = np.where(first[:-1] < len(codes), first[:-1], -1)
    return result


def _first_positions(keys: npt.NDArray[np.int64]) -> dict[int, int]:
    """For each distinct key, the position of its first occurrence."""
    uniques, first = np.unique(keys, return_index=True)
    return dict(zip(uniques.tolist(), first.tolist(), strict=True))


def _check_values(
    long: _Long,
    instrument: Instrument,
    source: str,
    layout: Literal["long", "wide"],
    notes: list[str],
    earlier: _Collector | None = None,
) -> RatingsTable:
    items = instrument.items
    item_keys = [item.key for item in items]
    informant_keys = [inf.key for inf in instrument.informants]
    code_keys = [code.code for code in instrument.codes]
    n = len(long.rows)
    rating_cols, column_of_rating = long.rating_columns, long.column_of_rating

    def rating_column(index: int) -> str:
        if rating_cols is None or column_of_rating is None:
            return "rating"
        return rating_cols[int(column_of_rating[index])]

    found = _Collector(source, long.rows, rating_column)
    if earlier is not None:
        found.problems += earlier.problems
        found.total += earlier.total
    if n == 0:
        found.file(
            "the table has no ratings.",
            f"add one row per rating below the header (see {DOCS}).",
            None,
            2,
        )
        found.raise_if_any()

    columns = long.columns
    interview, rater = columns["interview"], columns["rater"]
    informant_col = columns["informant"]
    informant, unknown_informant = _keys(informant_col, informant_keys)

    # --- empty and unknown keys ---------------------------------------------------------------
    found.rows_where(
        interview.codes < 0,
        "interview",
        lambda i: "the interview id is empty.",
        "write the id of the interview this rating comes from.",
    )
    found.rows_where(
        rater.codes < 0,
        "rater",
        lambda i: "the rater is empty.",
        "write who gave the rating (a pseudonymous code is enough), or "
        f"'{CONSENSUS_RATER}' for an agreed rating.",
    )
    found.rows_where(
        informant == -1,
        "informant",
        lambda i: "the informant is empty.",
        f"write who was interviewed: one of {', '.join(informant_keys)}.",
    )
    found.rows_where(
        unknown_informant,
        "informant",
        lambda i: f"'{informant_col.text(i)}' is not an informant of {instrument.ref}.",
        f"use one of its informants: {', '.join(informant_keys)}.",
    )
    item = long.item
    if long.item_column is not None:
        item_col = long.item_column
        found.rows_where(
            item == -1,
            "item",
            lambda i: "the item is empty.",
            f"write the key of the item rated, e.g. {item_keys[0]}.",
        )
        found.rows_where(
            item == -2,
            "item",
            lambda i: f"'{item_col.text(i)}' is not an item of {instrument.ref}.",
            f"use one of its item keys: {_list(item_keys)}.",
        )

    # --- items not asked of the informant -----------------------------------------------------
    # Codes −1 (blank) and −2 (unknown) index the last two rows and columns, which pass.
    asked = np.ones((len(informant_keys) + 2, len(items) + 2), dtype=bool)
    asked[: len(informant_keys), : len(items)] = asked_matrix(instrument)
    found.rows_where(
        ~asked[informant, item],
        "item" if layout == "long" else None,
        lambda i: (
            f"the item '{item_keys[int(item[i])]}' is not asked of the informant "
            f"'{informant_keys[int(informant[i])]}' (only of "
            f"{', '.join(items[int(item[i])].informants)})."
        ),
        "check the item and the informant on this row; remove the rating if it was entered "
        "by mistake.",
    )

    # --- ratings --------------------------------------------------------------------------------
    parsed = _parse_ratings(long.rating_uniques, instrument)
    rating_codes = long.rating_codes
    texts = _Texts(rating_codes, parsed.texts)
    low = np.asarray([instrument.scale(it.scale).min for it in items], dtype=np.float64)
    high = np.asarray([instrument.scale(it.scale).max for it in items], dtype=np.float64)
    # the verdict on each (item, distinct cell): rows of the items, then unknown and blank items
    verdict = parsed.verdicts(low, high)
    row_verdict = verdict[item, rating_codes]
    if (row_verdict != _OK).any():
        code_list = ", ".join(f"{c.code} ({c.label})" for c in instrument.codes) or "none"
        found.rows_where(
            row_verdict == _BLANK,
            "rating",
            lambda i: "the rating is empty.",
            "write the rating, or a special code such as "
            f"{code_keys[-1] if code_keys else 'II'} when it could not be rated; or remove "
            "the row.",
        )

        def invalid_fix(index: int) -> str:
            if re.fullmatch(r"-?\d+,\d+", texts[index]):
                return (
                    "write numbers with a decimal point, not a comma, and give whole points of "
                    "the scale."
                )
            return f"write a point of the item's scale, or one of the codes {code_list}."

        found.rows_where(
            row_verdict == _INVALID,
            None,
            lambda i: (
                f"'{texts[i]}' is neither a number nor one of the special codes of "
                f"{instrument.ref}."
            ),
            invalid_fix,
        )
        found.rows_where(
            row_verdict == _NOT_WHOLE,
            None,
            lambda i: f"the rating {texts[i]} is not a whole number.",
            "give a whole point of the scale; where raters disagree, give each rater's rating "
            f"on a row of its own and the agreed value with the rater '{CONSENSUS_RATER}'.",
        )
        found.rows_where(
            row_verdict == _OFF_SCALE,
            None,
            lambda i: (
                f"the rating {texts[i]} is off the scale: '{item_keys[int(item[i])]}' is "
                f"rated from {int(low[item[i]])} to {int(high[item[i]])}."
            ),
            lambda i: (
                f"give a whole number from {int(low[item[i]])} to {int(high[item[i]])}, or "
                f"one of the codes {code_list}."
            ),
        )

    # --- duplicates and interviews -------------------------------------------------------------
    if layout == "long":
        _check_duplicates(found, interview, rater, item, item_keys)
    _check_interviews(found, interview, columns)
    date_values = _parse_dates(found, long.dates) if long.dates is not None else None
    found.raise_if_any()

    # --- the normalised table ------------------------------------------------------------------
    data: dict[str, object] = {
        "interview": interview.categorical(),
        "informant": _categorical(informant, informant_keys),
        "item": _categorical(item, item_keys),
        "rater": rater.categorical(),
        "rating": parsed.value[rating_codes],
        "code": _categorical(parsed.code[rating_codes], code_keys),
    }
    for column_name in ("service", "peer_worker", "round"):
        if column_name in columns:
            data[column_name] = columns[column_name].categorical()
        else:
            data[column_name] = _categorical(np.full(n, -1, dtype=np.intp), [])
    data["date"] = (
        date_values
        if date_values is not None
        else np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    )
    data["row"] = long.rows.astype(np.int64)
    present = tuple(
        c for c in OPTIONAL_COLUMNS if c in columns or (c == "date" and long.dates is not None)
    )
    return RatingsTable(
        pd.DataFrame(data, copy=False), instrument, source, layout, present, tuple(notes)
    )


def _categorical(codes: IntArray, categories: Sequence[str]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=str))


def asked_matrix(instrument: Instrument) -> BoolArray:
    """Which items are asked of which informants.

    Parameters
    ----------
    instrument
        The instrument.

    Returns
    -------
    numpy.ndarray
        A boolean matrix, informants × items in instrument order: true where the item is
        asked of the informant.
    """
    informant_keys = [inf.key for inf in instrument.informants]
    asked = np.zeros((len(informant_keys), len(instrument.items)), dtype=bool)
    for j, item in enumerate(instrument.items):
        for key in item.informants:
            if key in informant_keys:
                asked[informant_keys.index(key), j] = True
    return asked


_NUMBER, _CODE, _BLANK, _INVALID = 0, 1, 2, 3
_OK, _NOT_WHOLE, _OFF_SCALE = 0, 4, 5  # verdicts, besides _BLANK and _INVALID


@dataclass
class _Parsed:
    """The distinct rating cells, parsed; a last entry stands for a missing cell (code −1)."""

    value: FloatArray  # the number, or NaN
    code: IntArray  # index of the special code, or −1
    kind: npt.NDArray[np.int8]
    texts: list[str]

    def verdicts(self, low: FloatArray, high: FloatArray) -> npt.NDArray[np.int8]:
        """Item (plus unknown and blank items) × distinct cell: what is wrong, if anything.

        A row's verdict is then one look-up, ``verdicts[item, cell]``, for a million rows.
        """
        n_items = len(low)
        verdict = np.zeros((n_items + 2, len(self.kind)), dtype=np.int8)
        verdict[:, self.kind == _BLANK] = _BLANK
        verdict[:, self.kind == _INVALID] = _INVALID
        numeric = self.kind == _NUMBER
        value = np.where(numeric, self.value, 0.0)
        not_whole = numeric & (np.floor(value) != value)
        verdict[:, not_whole] = _NOT_WHOLE
        whole = numeric & ~not_whole
        off = (value[None, :] < low[:, None]) | (value[None, :] > high[:, None])
        verdict[:n_items][off & whole[None, :]] = _OFF_SCALE
        return verdict


def _parse_ratings(uniques: list[object], instrument: Instrument) -> _Parsed:
    """Parse each distinct rating cell: a number, a special code, blank or invalid.

    Only the distinct cell values are parsed; rows pick their result by code.
    """
    by_text = {c.code: i for i, c in enumerate(instrument.codes)}
    by_value = {float(c.value): i for i, c in enumerate(instrument.codes) if c.value is not None}
    u_value: list[float] = []
    u_code: list[int] = []
    u_kind: list[int] = []
    u_text: list[str] = []
    for unique in [*uniques, None]:
        text = _as_text(unique)
        number: float | None = None
        if isinstance(unique, int | float | np.integer | np.floating) and not isinstance(
            unique, bool | np.bool_
        ):
            number = float(unique)
        elif text and text.upper() not in by_text:
            try:
                number = float(text)
            except ValueError:
                number = None
        result: tuple[float, int, int]
        if not text:
            result = (np.nan, -1, _BLANK)
        elif text.upper() in by_text:
            result = (np.nan, by_text[text.upper()], _CODE)
        elif number is not None and number in by_value:
            result = (np.nan, by_value[number], _CODE)
        elif number is not None and math.isfinite(number):
            result = (number, -1, _NUMBER)
        else:
            result = (np.nan, -1, _INVALID)
        u_value.append(result[0])
        u_code.append(result[1])
        u_kind.append(result[2])
        u_text.append(text)
    return _Parsed(
        np.asarray(u_value, dtype=np.float64),
        np.asarray(u_code, dtype=np.intp),
        np.asarray(u_kind, dtype=np.int8),
        u_text,
    )


@dataclass
class _Texts:
    """The text of each rating cell, looked up only for the rows that are reported."""

    codes: IntArray
    texts: list[str]

    def __getitem__(self, index: int) -> str:
        return self.texts[int(self.codes[index])]


def _check_duplicates(
    found: _Collector, interview: _Column, rater: _Column, item: IntArray, item_keys: list[str]
) -> None:
    """No two ratings of the same item in the same interview by the same rater."""
    valid = (interview.codes >= 0) & (rater.codes >= 0) & (item >= 0)
    n_items = len(item_keys)
    n_raters = len(rater.texts) + 1
    # number each interview-rater pair present, then count ratings per pair and item
    pair = interview.codes.astype(np.int64) * n_raters + rater.codes
    pair = np.where(valid, pair, 0)
    present = np.zeros((len(interview.texts) + 1) * n_raters, dtype=bool)
    present[pair] = True
    pair_id = (np.cumsum(present, dtype=np.int64) - 1)[pair]
    key = pair_id * n_items + np.where(valid, item, 0)
    counts = np.bincount(key[valid], minlength=int(present.sum()) * n_items)
    if counts.max(initial=0) <= 1:
        return
    key = np.where(valid, key, -1 - np.arange(len(key), dtype=np.int64))
    repeated = pd.Series(key).duplicated().to_numpy()
    involved = np.flatnonzero(np.isin(key, key[repeated]))
    first = {k: int(involved[i]) for k, i in _first_positions(key[involved]).items()}
    rows = found.rows
    found.rows_where(
        repeated,
        "rater",
        lambda i: (
            f"interview '{interview.text(i)}' already has a rating of item "
            f"'{item_keys[int(item[i])]}' by rater '{rater.text(i)}' (row "
            f"{int(rows[first[int(key[i])]])})."
        ),
        "keep one of the two rows; a second rater needs a name of their own, and the agreed "
        f"rating the rater '{CONSENSUS_RATER}'.",
    )


def _check_interviews(found: _Collector, interview: _Column, columns: dict[str, _Column]) -> None:
    """Every row of an interview names the same informant, service, peer worker and round."""
    codes = interview.codes
    valid = codes >= 0
    first_of = first_rows(codes, len(interview.texts))
    reference = first_of[np.where(valid, codes, 0)] if len(first_of) else codes
    rows = found.rows
    for column_name in INTERVIEW_ATTRIBUTES:
        if column_name not in columns:
            continue
        column = columns[column_name]
        values = column.codes
        differs = valid & (values != values[reference])
        if not differs.any():
            continue
        # each interview once, at its first row that differs
        once = differs & ~pd.Series(np.where(differs, codes, -1)).duplicated().to_numpy()
        label = column_name.replace("_", " ")

        def message(i: int, column: _Column = column, label: str = label) -> str:
            j = int(first_of[codes[i]])
            here = f"'{column.text(i)}'" if column.text(i) else "none"
            there = f"'{column.text(j)}'" if column.text(j) else "none"
            return (
                f"interview '{interview.text(i)}' has the {label} {here} here but {there} on "
                f"row {int(rows[j])}; every row of an interview must give the same {label}."
            )

        def fix(i: int, label: str = label) -> str:
            return (
                f"correct the {label} on this row or on row {int(rows[first_of[codes[i]]])}; "
                "if these are two interviews, give them different ids."
            )

        found.rows_where(once, column_name, message, fix)


def _parse_dates(found: _Collector, dates: pd.Series) -> npt.NDArray[np.datetime64]:
    """Dates as datetime64: cells that are dates, or text written YYYY-MM-DD."""
    codes, uniques = _factorize(dates)
    parsed: list[pd.Timestamp | None] = []
    bad: list[bool] = []
    for unique in uniques:
        stamp: pd.Timestamp | None = None
        if isinstance(unique, datetime | date):
            stamp = pd.Timestamp(unique)
        elif not _is_blank(unique):
            text = _as_text(unique)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T].*)?", text):
                converted = pd.to_datetime(text, format="ISO8601", errors="coerce")
                stamp = None if pd.isna(converted) else pd.Timestamp(converted)
        parsed.append(stamp)
        bad.append(stamp is None and not _is_blank(unique))
    values = pd.DatetimeIndex([*parsed, None]).astype("datetime64[ns]").to_numpy()
    bad_rows = np.asarray([*bad, False], dtype=bool)[codes]
    texts = [_as_text(u) for u in uniques]
    found.rows_where(
        bad_rows,
        "date",
        lambda i: f"'{texts[int(codes[i])]}' is not a date.",
        "write dates as YYYY-MM-DD, e.g. 2024-03-31.",
    )
    result: npt.NDArray[np.datetime64] = values[codes]
    return result
