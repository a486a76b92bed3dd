"""A literature review's evidence as two CSV files a review team can keep in a spreadsheet.

``codebook.csv`` lists the codes, one a row, with the category each belongs to::

    category,category_description,code,definition
    Lived experience,Sharing what one has lived through,Shared experience,...

``sources.csv`` lists the coded sources, one row for each code a source (or one passage of
it) was given::

    source_id,citation,year,kind,doi,code,quotation
    S01,"Repper J, Carter T (2011) ...",2011,peer-reviewed,10.3109/09638237.2011.583947,...

The columns are set out in ``docs/coproduction-files.md`` ("Evidence files"). In short:

* A code is named once in the codebook; its name is its key. A row with a category and no
  code names a category that has no codes yet. A category's description may be given on any
  of its rows, and must not differ between them.
* A source's citation, year, kind and DOI are given on its first row at least; later rows
  may leave them empty or repeat them, never contradict them. ``kind`` is ``peer-reviewed``
  or ``grey``.
* Rows of one source with the same quotation are one quotation with every code they give;
  a row with a code and no quotation says the code was found somewhere in the source; a row
  without a code lists a source that was read but not coded.
* A ``notes`` column may be added to either file; the import leaves it aside.

Reading checks everything and raises :class:`ImportProblems` listing every problem by file,
row and column, with the fix; nothing of files with problems is read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from peerprinciples.core.coproduction.evidence import (
    Category,
    Code,
    Evidence,
    Quotation,
    Source,
    SourceKind,
    doi_from_text,
    year_from_text,
)
from peerprinciples.core.coproduction.problems import ImportProblems, Problem, raise_if_any
from peerprinciples.core.spreadsheet_text import as_typed, shown_as_text

CODEBOOK_COLUMNS = ("category", "category_description", "code", "definition")
SOURCES_COLUMNS = ("source_id", "citation", "year", "kind", "doi", "code", "quotation")
IGNORED_COLUMNS = ("notes",)

_REQUIRED = {"codebook": ("code",), "sources": ("source_id", "citation", "kind")}


@dataclass(frozen=True)
class _Row:
    number: int
    """The row's number as a spreadsheet shows it (the header is row 1)."""
    cells: dict[str, str]


@dataclass
class _Table:
    file: str
    columns: dict[str, int]
    rows: list[_Row]
    found: list[tuple[int, Problem]] = field(default_factory=list)
    """Each problem with the number of its row (1 for the header)."""

    @property
    def problems(self) -> list[Problem]:
        """The problems in the order of their rows."""
        return [problem for _, problem in sorted(self.found, key=lambda pair: pair[0])]

    def where(self, row: _Row, column: str) -> str:
        index = self.columns.get(column)
        letter = f"{_column_letter(index)} " if index is not None else ""
        return f"{self.file}, row {row.number}, column {letter}({column})"

    def problem(self, row: _Row, column: str, what: str, fix: str) -> None:
        self.found.append((row.number, Problem(self.where(row, column), what, fix)))


def read_codebook_csv(source: Path | bytes | str, *, name: str | None = None) -> Evidence:
    """Read a codebook file into evidence with categories and codes only.

    Parameters
    ----------
    source
        The file: a path, its bytes (an upload) or its text.
    name
        The file name shown in problems; by default the path's name, or ``codebook.csv``.

    Raises
    ------
    ImportProblems
        Every problem in the file: missing or unknown columns, codes named twice, a code in
        two categories, a category described two ways, a definition without a code.
    """
    table = _table(source, name, "codebook.csv", "codebook")
    categories, codes = _codebook(table)
    raise_if_any(table.problems, file=table.file)
    return Evidence(categories=tuple(categories), codes=tuple(codes))


def read_evidence_csv(
    codebook: Path | bytes | str,
    sources: Path | bytes | str,
    *,
    codebook_name: str | None = None,
    sources_name: str | None = None,
) -> Evidence:
    """Read a codebook file and a coded-sources file into evidence.

    Parameters
    ----------
    codebook, sources
        The two files: paths, their bytes (uploads) or their text.
    codebook_name, sources_name
        The file names shown in problems; by default the paths' names, or ``codebook.csv``
        and ``sources.csv``.

    Raises
    ------
    ImportProblems
        Every problem in both files, by file, row and column: besides the codebook's own,
        a source without citation or kind, an unknown kind, a year or DOI that is not one,
        a code the codebook does not have, and repeats of a source that contradict its
        first row.
    """
    book = _table(codebook, codebook_name, "codebook.csv", "codebook")
    categories, codes = _codebook(book)
    table = _table(sources, sources_name, "sources.csv", "sources")
    read_sources, quotations = _sources(table, {code.key for code in codes})
    raise_if_any(book.problems + table.problems, file=f"{book.file} and {table.file}")
    return Evidence(
        sources=tuple(read_sources),
        categories=tuple(categories),
        codes=tuple(codes),
        quotations=tuple(quotations),
    )


def write_codebook_csv(evidence: Evidence) -> str:
    """The evidence's categories and codes as a codebook file (one row per code, and one
    per category without codes), which :func:`read_codebook_csv` reads back.

    Two codes with the same label (possible in a REFI-QDA codebook, where each has a GUID)
    are told apart by their category's label in brackets, since in the CSV layout a code's
    name is its key.
    """
    categories = {category.key: category for category in evidence.categories}
    names = _code_names(evidence)
    rows: list[list[str]] = []
    used: set[str | None] = set()
    for category in evidence.categories:
        mine = [code for code in evidence.codes if code.category == category.key]
        for code in mine:
            rows.append([category.label, category.description, names[code.key], code.definition])
        if not mine:
            rows.append([category.label, category.description, "", ""])
        used.add(category.key)
    for code in evidence.codes:
        if code.category not in used:
            home = categories.get(code.category or "")
            label, description = (home.label, home.description) if home else ("", "")
            rows.append([label, description, names[code.key], code.definition])
    return _csv_text(CODEBOOK_COLUMNS, rows)


def write_sources_csv(evidence: Evidence) -> str:
    """The evidence's sources and quotations as a coded-sources file (one row per code of
    each quotation, and one for each source without quotations), which
    :func:`read_evidence_csv` reads back with the codebook file."""
    names = _code_names(evidence)
    by_source: dict[str, list[Quotation]] = {}
    for quotation in evidence.quotations:
        by_source.setdefault(quotation.source, []).append(quotation)
    rows: list[list[str]] = []
    for source in evidence.sources:
        first = [
            source.key,
            source.citation,
            str(source.year) if source.year is not None else "",
            source.kind.words,
            source.doi,
        ]
        coded = [
            (names.get(code, code), quotation.text)
            for quotation in by_source.get(source.key, [])
            for code in quotation.codes
        ]
        for code, text in coded or [("", "")]:
            rows.append([*first, code, text])
    return _csv_text(SOURCES_COLUMNS, rows)


# --- reading ------------------------------------------------------------------------------------


def _table(source: Path | bytes | str, name: str | None, default: str, kind: str) -> _Table:
    file = name or (source.name if isinstance(source, Path) else default)
    raw = source.read_bytes() if isinstance(source, Path) else source
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise ImportProblems(
                [
                    Problem(
                        f"{file}, row {line}",
                        f"The file is not UTF-8 text (byte {error.start} cannot be read).",
                        "Save it from the spreadsheet as 'CSV UTF-8 (comma delimited)'.",
                    )
                ]
            ) from None
    else:
        text = raw.removeprefix("\ufeff")
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    if not lines or not any(cell.strip() for cell in lines[0]):
        raise ImportProblems(
            [
                Problem(
                    file,
                    "The file is empty: it has no header row.",
                    f"Start it with the header {','.join(_columns(kind))}.",
                )
            ]
        )
    header = [re.sub(r"[\s-]+", "_", cell.strip().casefold()) for cell in lines[0]]
    table = _Table(file, {}, [])
    known = (*_columns(kind), *IGNORED_COLUMNS)
    header_problems = []
    for index, column in enumerate(header):
        where = f"{file}, row 1, column {_column_letter(index)}"
        if column in table.columns:
            header_problems.append(
                Problem(where, f"The column {column!r} is given twice.", "Delete one of them.")
            )
        elif column in known:
            table.columns[column] = index
        elif column:
            header_problems.append(
                Problem(
                    where,
                    f"The column {lines[0][index].strip()!r} is not one of this file's columns.",
                    f"Rename it to one of {', '.join(known)}, or delete it.",
                )
            )
    for column in _REQUIRED[kind]:
        if column not in table.columns:
            header_problems.append(
                Problem(
                    f"{file}, row 1",
                    f"The header has no {column!r} column.",
                    f"Add a column headed {column!r}; the columns are {', '.join(known)}.",
                )
            )
    table.found.extend((1, problem) for problem in header_problems)
    if any(column not in table.columns for column in _REQUIRED[kind]):
        return table  # rows read against a header without them would only repeat the problem
    for number, cells in enumerate(lines[1:], start=2):
        row = _Row(number, {c: _cell(cells, i) for c, i in table.columns.items()})
        if any(value for column, value in row.cells.items() if column not in IGNORED_COLUMNS):
            table.rows.append(row)
    return table


def _columns(kind: str) -> Sequence[str]:
    return CODEBOOK_COLUMNS if kind == "codebook" else SOURCES_COLUMNS


def _delimiter(text: str) -> str:
    """The header's separator: a comma, or a semicolon or tab when the header has more of
    them (spreadsheets in many languages write semicolons)."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count) if header else ","


def _cell(cells: list[str], index: int) -> str:
    value = cells[index].strip() if index < len(cells) else ""
    return as_typed(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _codebook(table: _Table) -> tuple[list[Category], list[Code]]:
    categories: dict[str, Category] = {}
    described: dict[str, _Row] = {}
    codes: dict[str, tuple[Code, _Row]] = {}
    for row in table.rows:
        label = row.cells.get("category", "")
        description = row.cells.get("category_description", "")
        name = row.cells.get("code", "")
        definition = row.cells.get("definition", "")
        if label:
            _category(table, row, label, description, categories, described)
        elif description:
            table.problem(
                row,
                "category_description",
                "A category description is given without a category.",
                "Write the category's name in the category column, or delete the description.",
            )
        if not name:
            if definition:
                table.problem(
                    row,
                    "code",
                    "A definition is given without a code.",
                    "Write the code's name in the code column, or delete the definition.",
                )
            elif not label:
                table.problem(
                    row, "code", "The row has no code.", "Write a code, or delete the row."
                )
            continue
        twin = codes.get(name.casefold())
        if twin is not None:
            table.problem(
                row,
                "code",
                f"The code {name!r} is listed again (first on row {twin[1].number}).",
                "List each code once; give codes of different meaning different names, e.g. "
                "'Other (training)'.",
            )
            continue
        code = Code(name, name, definition, category=label or None)
        codes[name.casefold()] = (code, row)
    return list(categories.values()), [code for code, _ in codes.values()]


def _category(
    table: _Table,
    row: _Row,
    label: str,
    description: str,
    categories: dict[str, Category],
    described: dict[str, _Row],
) -> None:
    known = categories.get(label)
    if known is None:
        categories[label] = Category(label, label, description)
        if description:
            described[label] = row
    elif description and not known.description:
        categories[label] = Category(label, label, description)
        described[label] = row
    elif description and description != known.description:
        table.problem(
            row,
            "category_description",
            f"The category {label!r} is described differently from row {described[label].number}.",
            "Give the description once, or the same words on every row of the category.",
        )


@dataclass
class _SourceRows:
    """What the rows of one source have said of it so far, with the row that said each."""

    key: str
    first: _Row
    said: dict[str, tuple[str, _Row]] = field(default_factory=dict)
    quotations: dict[str, list[str]] = field(default_factory=dict)


def _sources(table: _Table, codes: set[str]) -> tuple[list[Source], list[Quotation]]:
    by_key: dict[str, _SourceRows] = {}
    lookup = {code.casefold(): code for code in codes}
    for row in table.rows:
        key = row.cells.get("source_id", "")
        if not key:
            table.problem(
                row,
                "source_id",
                "The row has no source_id.",
                "Give every row the identifier of its source (the same on all its rows).",
            )
            continue
        state = by_key.setdefault(key, _SourceRows(key, row))
        for column in ("citation", "year", "kind", "doi"):
            _remember(table, row, state, column)
        name = row.cells.get("code", "")
        text = row.cells.get("quotation", "")
        if name:
            code = lookup.get(name.casefold())
            if code is None:
                close = get_close_matches(name, list(codes), n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                table.problem(
                    row,
                    "code",
                    f"The code {name!r} is not in the codebook.{hint}",
                    "Add the code to the codebook file, or correct its name here.",
                )
                continue
            given = state.quotations.setdefault(text, [])
            if code not in given:
                given.append(code)
        elif text:
            table.problem(
                row,
                "code",
                "A quotation is given without a code.",
                "Write the code the passage was given, or delete the quotation.",
            )
    sources = [_source(table, state) for state in by_key.values()]
    quotations = [
        Quotation(f"{state.key}#{number}", state.key, tuple(given), text)
        for state in by_key.values()
        for number, (text, given) in enumerate(state.quotations.items(), start=1)
    ]
    return [source for source in sources if source is not None], quotations


def _remember(table: _Table, row: _Row, state: _SourceRows, column: str) -> None:
    value = row.cells.get(column, "")
    if not value:
        return
    if column not in state.said:
        state.said[column] = (value, row)
        return
    first, where = state.said[column]
    same = first == value
    if column == "kind":
        same = SourceKind.from_text(first) == SourceKind.from_text(value)
    if column == "doi":
        same = first.casefold() == value.casefold()
    if not same:
        table.problem(
            row,
            column,
            f"Source {state.key!r} has {column} {value!r} here but {first!r} on row "
            f"{where.number}.",
            f"Give the source one {column}: correct one of the rows, or leave the later one empty.",
        )


def _source(table: _Table, state: _SourceRows) -> Source | None:
    citation = state.said.get("citation")
    kind_said = state.said.get("kind")
    first_row = state.first
    if citation is None:
        table.problem(
            first_row,
            "citation",
            f"Source {state.key!r} has no citation on any of its rows.",
            "Write the source's citation on its first row.",
        )
    kind: SourceKind | None = None
    if kind_said is None:
        table.problem(
            first_row,
            "kind",
            f"Source {state.key!r} has no kind on any of its rows.",
            "Write peer-reviewed or grey on its first row.",
        )
    else:
        kind = SourceKind.from_text(kind_said[0])
        if kind is None:
            table.problem(
                kind_said[1],
                "kind",
                f"The kind {kind_said[0]!r} is neither peer-reviewed nor grey.",
                "Write peer-reviewed for a source published after peer review, grey for "
                "anything else (reports, theses, evaluations by services or peer-led groups).",
            )
    year: int | None = None
    if "year" in state.said:
        text, row = state.said["year"]
        year = year_from_text(text)
        if year is None:
            table.problem(
                row,
                "year",
                f"The year {text!r} is not a year of publication.",
                "Write the year as four digits, such as 2016, or leave it empty.",
            )
    doi = ""
    if "doi" in state.said:
        text, row = state.said["doi"]
        doi = doi_from_text(text) or ""
        if not doi:
            table.problem(
                row,
                "doi",
                f"{text!r} is not a DOI.",
                "Write a DOI such as 10.1108/MHSI-03-2017-0016, or leave it empty.",
            )
    if citation is None or kind is None:
        return None
    return Source(state.key, citation[0], kind=kind, year=year, doi=doi)


# --- writing ------------------------------------------------------------------------------------


def _code_names(evidence: Evidence) -> dict[str, str]:
    """Each code's name in the CSV files: its label, with its category's label in brackets
    when another code has the same label."""
    categories = {category.key: category.label for category in evidence.categories}
    seen: dict[str, int] = {}
    for code in evidence.codes:
        seen[code.label.casefold()] = seen.get(code.label.casefold(), 0) + 1
    names: dict[str, str] = {}
    taken: set[str] = set()
    for code in evidence.codes:
        name = code.label
        if seen[name.casefold()] > 1:
            name = f"{name} ({categories.get(code.category or '', 'no category')})"
        base, number = name, 1
        while name.casefold() in taken:
            number += 1
            name = f"{base} {number}"
        taken.add(name.casefold())
        names[code.key] = name
    return names


def _csv_text(header: Sequence[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_safe(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a ``'`` before
    it, which reading takes away again."""
    return shown_as_text(cell)
