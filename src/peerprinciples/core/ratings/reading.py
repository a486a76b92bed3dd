"""Reading a ratings file (CSV text or an XLSX workbook) into a frame of text cells.

A file that cannot be read as a table (not UTF-8, the wrong delimiter, ragged rows, a PDF
or an old .xls workbook under a ratings name) is refused with a problem that says what the
file is and how to save it so that it can be read. The frame's content is checked by
:mod:`peerprinciples.core.ratings.checks`.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from peerprinciples.core.documents import Problem, read_bytes
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings.cells import header_name, is_blank
from peerprinciples.core.ratings.checks import check_frame
from peerprinciples.core.ratings.problems import DOCS, RatingProblem, RatingsError
from peerprinciples.core.ratings.table import LONG_COLUMNS, OPTIONAL_COLUMNS, Layout, RatingsTable

_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_XLSX_SUFFIXES = (".xlsx", ".xlsm")


def csv_options(delimiter: str, columns: int) -> dict[str, Any]:
    """How pandas reads the rows of a ratings CSV after its header: every cell as text (a
    category), nothing taken for missing, blank lines kept so row numbers stay true."""
    return {
        "sep": delimiter,
        "header": None,
        "skiprows": 1,
        "names": list(range(columns)),
        "index_col": False,
        "dtype": "category",
        "keep_default_na": False,
        "skip_blank_lines": False,
        "engine": "c",
    }


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
        return check_frame(source, instrument, source=name, layout=layout)
    path = Path(source)
    frame = _read_file(path, sheet=sheet, delimiter=delimiter)
    return check_frame(frame, instrument, source=str(path), layout=layout)


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
    names = [header_name(h) for h in header]
    try:
        with warnings.catch_warnings():
            # a first row longer than the header only warns; treat it like a later one
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame: pd.DataFrame = pd.read_csv(
                io.StringIO(text), **csv_options(delimiter, len(names))
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
        hits = sum(header_name(p) in known for p in parts)
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
    while rows and all(is_blank(v) for v in rows[-1]):
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
    while header and is_blank(header[-1]):
        header.pop()
    width = len(header)
    names_out = ["" if is_blank(h) else header_name(h) for h in header]
    body = [tuple(r[:width]) + (None,) * (width - len(r)) for r in rows[1:]]
    frame = pd.DataFrame(body, columns=list(range(width)), dtype=object)
    frame.columns = pd.Index(names_out)
    return frame
