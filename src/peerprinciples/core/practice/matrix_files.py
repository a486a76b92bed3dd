"""A practice matrix as a file: YAML for the whole matrix, a long CSV for its cells.

The YAML file is the :class:`~peerprinciples.core.practice.matrix.Matrix` written out: the
programme, the framework version it follows, its areas, cells, handbook sections and own
prompts. The CSV file has one row per cell, for filling in or reading in a spreadsheet::

    area,area_title,level,principle,principle_title,status,text,evidence,why,holder
    supervision,Supervision (individual),individual,mutuality,Mutuality and reciprocity,partly,...

Written from a matrix, the CSV has a row for every area × principle (and theme) of the
framework, empty where nothing is written yet, so that people can fill it in. Read back, a
row with nothing in its status, text, evidence, why and holder is an empty cell; its area is
still kept. The CSV carries no area descriptions (a built-in area gets its own back), handbook
sections or own prompts: those live in the YAML file.

Reading checks everything and raises :class:`MatrixFileError` with every problem at once,
each with the file, the line (YAML) or row and column (CSV) and how to fix it. Writing goes
through a temporary file moved into place, so a failed write leaves the old file as it was.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from peerprinciples.core.coproduction.csv_text import Row, other_delimiter, read_rows
from peerprinciples.core.documents import (
    DocumentError,
    Problem,
    YamlDocument,
    duplicates,
    keyed_entries,
    parse_yaml,
    read_bytes,
    validation_problems,
)
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.models import SLUG_PATTERN, is_reference
from peerprinciples.core.practice.matrix import Area, Cell, Level, Matrix, Status, builtin_areas
from peerprinciples.core.spreadsheet_text import as_typed, shown_as_text

CSV_COLUMNS = (
    "area",
    "area_title",
    "level",
    "principle",
    "principle_title",
    "status",
    "text",
    "evidence",
    "why",
    "holder",
)
"""The columns of the long CSV, in the order they are written."""

REQUIRED_COLUMNS = ("area", "area_title", "level", "principle", "status")
"""The columns a CSV file must have; the others may be left out."""

CELL_FIELDS = ("status", "text", "evidence", "why", "holder")
"""The columns that make a row a cell when any of them is filled in."""


class MatrixFileError(DocumentError):
    """A matrix file that cannot be read; carries every problem found in it."""


@dataclass(frozen=True)
class RowProblem(Problem):
    """A problem in a CSV file, placed by row (as a spreadsheet numbers them) and column."""

    def __str__(self) -> str:
        place = self.source
        if self.line:
            place += f", row {self.line}"
        if self.path:
            place += f", column '{self.path[0]}'"
        text = f"{place}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


# --- checks shared by both formats -----------------------------------------------------------


def framework_problems(
    matrix: Matrix, framework: Framework, document: YamlDocument
) -> list[Problem]:
    """The cells and own prompts of a YAML matrix that name a principle ``framework`` does
    not have (a matrix read against the version it is pinned to should have none)."""
    titles = framework.titles()
    known = ", ".join(titles)
    problems = []
    for index, cell in enumerate(matrix.cells):
        if cell.principle not in titles:
            problems.append(
                document.problem(
                    ("cells", index, "principle"),
                    f"'{cell.principle}' is not a principle or theme of {framework.ref} "
                    f"(it has: {known}).",
                    "use one of those keys; if the principle was renamed in a newer version, "
                    "carry the matrix over to that version.",
                )
            )
    for place in matrix.prompts:
        _, _, principle = place.partition("/")
        if principle and principle not in titles:
            problems.append(
                document.problem(
                    ("prompts", place),
                    f"'{principle}' is not a principle or theme of {framework.ref} "
                    f"(it has: {known}).",
                    "use one of those keys in 'area/principle'.",
                )
            )
    return problems


def _structure_problems(matrix: Matrix, document: YamlDocument) -> list[Problem]:
    """What is wrong in a matrix beyond its fields: keys used twice, cells and prompts in
    areas the matrix does not have."""
    problems = []
    for path, key, first in duplicates(keyed_entries(document.data, "areas")):
        problems.append(
            document.problem(
                path,
                f"the area '{key}' is listed twice (first at line {document.line_of(first)}).",
                "keep one of the two, or give one a new key.",
            )
        )
    for path, key, first in duplicates(keyed_entries(document.data, "sections")):
        problems.append(
            document.problem(
                path,
                f"the section '{key}' is listed twice (first at line {document.line_of(first)}).",
                "keep one of the two, or give one a new key.",
            )
        )
    area_keys = [area.key for area in matrix.areas]
    areas_text = ", ".join(area_keys)
    seen: dict[tuple[str, str], int] = {}
    for index, cell in enumerate(matrix.cells):
        if cell.area not in area_keys:
            problems.append(
                document.problem(
                    ("cells", index, "area"),
                    f"the matrix has no area '{cell.area}' (its areas are: {areas_text}).",
                    "use one of those keys, or add the area under 'areas'.",
                )
            )
        cell_key = (cell.area, cell.principle)
        if cell_key in seen:
            problems.append(
                document.problem(
                    ("cells", index),
                    f"there is already a cell for '{cell.principle}' in '{cell.area}' "
                    f"(at line {document.line_of(('cells', seen[cell_key]))}).",
                    "join the two cells into one.",
                )
            )
        else:
            seen[cell_key] = index
    for place in matrix.prompts:
        area, slash, principle = place.partition("/")
        if not slash or not area or not principle:
            problems.append(
                document.problem(
                    ("prompts", place),
                    f"'{place}' does not say which cell the prompt is for.",
                    "write the key as 'area/principle', such as 'supervision/mutuality'.",
                )
            )
        elif area not in area_keys:
            problems.append(
                document.problem(
                    ("prompts", place),
                    f"the matrix has no area '{area}' (its areas are: {areas_text}).",
                    "use one of those keys before the '/'.",
                )
            )
    return problems


# --- YAML --------------------------------------------------------------------------------------


def load_matrix_yaml(text: str | bytes, *, name: str, framework: Framework | None = None) -> Matrix:
    """A matrix from YAML text, checked (against ``framework`` too when given).

    Raises
    ------
    MatrixFileError
        With every problem found.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise MatrixFileError(
                [Problem(name, (), "the file is not UTF-8 text.", "save it as UTF-8.")]
            ) from None
    try:
        document = parse_yaml(text, name)
    except DocumentError as exc:
        raise MatrixFileError(exc.problems) from None
    model, problems = validation_problems(document, Matrix)
    if isinstance(model, Matrix):
        problems = _structure_problems(model, document)
        if framework is not None:
            problems += framework_problems(model, framework, document)
    if problems or not isinstance(model, Matrix):
        raise MatrixFileError(problems)
    return model


def read_matrix_yaml(path: Path, framework: Framework | None = None) -> Matrix:
    """Read a matrix from a YAML file; see :func:`load_matrix_yaml`."""
    raw = read_bytes(path, error=MatrixFileError)
    return load_matrix_yaml(raw, name=str(path), framework=framework)


def matrix_yaml(matrix: Matrix) -> str:
    """The matrix as YAML text, leaving out what has its default value (empty fields)."""
    data = matrix.model_dump(mode="json", exclude_defaults=True)
    data.setdefault("version", matrix.version)
    ordered = {name: data[name] for name in Matrix.model_fields if name in data}
    return yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True, width=96)


def write_matrix_yaml(matrix: Matrix, path: Path) -> Path:
    """Write the matrix as YAML, all at once: the old file stays as it was on failure."""
    text = matrix_yaml(matrix)
    return atomic_write(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


# --- CSV ---------------------------------------------------------------------------------------


def matrix_csv(matrix: Matrix, framework: Framework) -> str:
    """The matrix as a long CSV: a row for every area × principle and theme of
    ``framework`` (empty where nothing is written), then any cell whose principle or area
    the framework or the matrix no longer has, so that nothing is lost."""
    titles = framework.titles()
    areas = {area.key: area for area in matrix.areas}
    cells = {(c.area, c.principle): c for c in matrix.cells}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)

    def row(area: Area | None, area_key: str, key: str, cell: Cell | None) -> None:
        values = [
            area_key,
            area.title if area else "",
            area.level.value if area else "",
            key,
            titles.get(key, ""),
            cell.status.value if cell and cell.status else "",
            cell.text if cell else "",
            cell.evidence if cell else "",
            cell.why if cell else "",
            cell.holder if cell else "",
        ]
        writer.writerow([shown_as_text(value) for value in values])

    for area in matrix.areas:
        for key in titles:
            row(area, area.key, key, cells.get((area.key, key)))
    for cell in matrix.cells:
        if cell.principle not in titles or cell.area not in areas:
            row(areas.get(cell.area), cell.area, cell.principle, cell)
    return buffer.getvalue()


def write_matrix_csv(matrix: Matrix, framework: Framework, path: Path) -> Path:
    """Write the matrix as a long CSV, all at once: the old file stays as it was on failure."""
    text = matrix_csv(matrix, framework)
    return atomic_write(
        path, lambda temporary: temporary.write_text(text, encoding="utf-8", newline="")
    )


def _header_name(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def _choice(text: str, choices: Iterable[Any]) -> Any:
    """The choice whose value or label is ``text`` (any case, spaces or '_'), or None."""
    wanted = text.strip().lower().replace("_", " ")
    for choice in choices:
        if wanted in (choice.value.replace("_", " "), choice.label.lower()):
            return choice
    return None


@dataclass
class _CsvArea:
    """An area as the rows of a CSV file describe it: its title and level may be given on
    any of its rows (the first, usually), and must agree where they are given."""

    first_row: int
    title: str = ""
    title_row: int = 0
    level: Level | None = None
    level_row: int = 0

    def note(self, title: str, level: Level | None, row: int) -> list[tuple[str, str, str]]:
        """Take the title and level of one more row; the problems as (column, message, fix)."""
        problems = []
        if title and not self.title:
            self.title, self.title_row = title, row
        elif title and title != self.title:
            problems.append(
                (
                    "area_title",
                    f"the area is called {title!r} here but {self.title!r} on row "
                    f"{self.title_row}.",
                    "give an area the same title on every row, or leave it empty after the first.",
                )
            )
        if level is not None and self.level is None:
            self.level, self.level_row = level, row
        elif level is not None and level is not self.level:
            assert self.level is not None
            problems.append(
                (
                    "level",
                    f"the area is at the {level.value} level here but at the "
                    f"{self.level.value} level on row {self.level_row}.",
                    "give an area the same level on every row, or leave it empty after the first.",
                )
            )
        return problems


def load_matrix_csv(
    raw: bytes,
    *,
    name: str,
    programme: str,
    framework: str,
    principles: Framework | None = None,
) -> Matrix:
    """A matrix read from a long CSV file's bytes, for ``programme`` following ``framework``
    (``key@version``); with ``principles`` (that framework), every principle is checked.

    Raises
    ------
    MatrixFileError
        With every problem found: a file that is not CSV text, missing, repeated or unknown
        columns, and rows without an area or principle, with a key, level or status that
        cannot be read, an area called two things, or a cell given twice.
    """
    if not is_reference(framework):
        raise ValueError(f"{framework!r} is not a framework reference such as enrich@2017")
    rows, read_problems = read_rows(name, raw)
    if read_problems:
        raise MatrixFileError([Problem(p.where, (), p.what, p.fix) for p in read_problems])
    header, rest = rows[0], rows[1:]
    columns, problems = _columns(name, header.cells)
    if problems:
        raise MatrixFileError(problems)
    titles = principles.titles() if principles is not None else None
    builtin = {area.key: area for area in builtin_areas()}
    areas: dict[str, _CsvArea] = {}
    cells: list[Cell] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rest:
        if row.blank:
            continue
        values = {
            column: as_typed(row.cell(columns[column])) if column in columns else ""
            for column in CSV_COLUMNS
        }

        def problem(column: str, message: str, fix: str, number: int = row.number) -> None:
            problems.append(RowProblem(name, (column,), message, fix, number))

        area_key, principle = values["area"], values["principle"]
        for column, key in (("area", area_key), ("principle", principle)):
            if not key:
                problem(column, f"the {column} is empty.", f"give the key of the row's {column}.")
            elif not _is_slug(key):
                problem(
                    column,
                    f"{key!r} is not written the way a key needs.",
                    "use lowercase letters, digits, '-' or '_', starting with a letter.",
                )
        level = _choice(values["level"], Level) if values["level"] else None
        if values["level"] and level is None:
            problem(
                "level",
                f"{values['level']!r} is not a level.",
                "write individual, team or organisation.",
            )
        status = _choice(values["status"], Status) if values["status"] else None
        if values["status"] and status is None:
            problem(
                "status",
                f"{values['status']!r} is not a status.",
                "write in_place, partly, not_yet or not_relevant (or leave it empty when "
                "the cell has not been looked at yet).",
            )
        if titles is not None and _is_slug(principle) and principle not in titles:
            problem(
                "principle",
                f"'{principle}' is not a principle or theme of {framework} (it has: "
                f"{', '.join(titles)}).",
                "use one of those keys.",
            )
        if not area_key or not _is_slug(area_key):
            continue
        found = areas.setdefault(area_key, _CsvArea(row.number))
        for message in found.note(values["area_title"], level, row.number):
            problem(*message)
        if not principle or not _is_slug(principle):
            continue
        place = (area_key, principle)
        if place in seen:
            problem(
                "principle",
                f"there is already a row for '{principle}' in '{area_key}' (row {seen[place]}).",
                "keep one of the two rows and delete the other.",
            )
            continue
        seen[place] = row.number
        if any(values.get(column) for column in CELL_FIELDS):
            cells.append(
                Cell(
                    area=area_key,
                    principle=principle,
                    status=status,
                    text=values.get("text", ""),
                    evidence=values.get("evidence", ""),
                    why=values.get("why", ""),
                    holder=values.get("holder", ""),
                )
            )
    for key, area in areas.items():
        if not area.title:
            problems.append(
                RowProblem(
                    name,
                    ("area_title",),
                    f"the area '{key}' has no title on any of its rows.",
                    "give its title on its first row.",
                    area.first_row,
                )
            )
        if area.level is None:
            problems.append(
                RowProblem(
                    name,
                    ("level",),
                    f"the area '{key}' has no level on any of its rows.",
                    "write individual, team or organisation on its first row.",
                    area.first_row,
                )
            )
    if not problems and not areas:
        problems.append(
            RowProblem(
                name,
                (),
                "the file has a header but no rows.",
                "add a row for each cell, or write the file again from the matrix.",
                2,
            )
        )
    if problems:
        raise MatrixFileError(problems)
    return Matrix(
        programme=programme,
        framework=framework,
        areas=[
            Area(
                key=key,
                title=area.title,
                description=builtin[key].description if key in builtin else "",
                level=area.level,
                built_in=key in builtin,
            )
            for key, area in areas.items()
            if area.level is not None
        ],
        cells=cells,
    )


def read_matrix_csv(
    path: Path, *, programme: str, framework: str, principles: Framework | None = None
) -> Matrix:
    """Read a matrix from a long CSV file; see :func:`load_matrix_csv`."""
    raw = read_bytes(path, error=MatrixFileError, problem=RowProblem)
    return load_matrix_csv(
        raw, name=str(path), programme=programme, framework=framework, principles=principles
    )


def _is_slug(text: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, text) is not None


def _columns(name: str, header: tuple[str, ...]) -> tuple[dict[str, int], list[Problem]]:
    """Each known column's position, and the problems with the header row."""
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    delimiter = other_delimiter(Row(1, header))
    if delimiter:
        return {}, [
            RowProblem(
                name,
                (),
                f"the header row is one cell: the file seems to use {delimiter}, not commas.",
                "save it again as CSV with commas between cells.",
                1,
            )
        ]
    for index, text in enumerate(header):
        column = _header_name(text)
        if column in columns:
            problems.append(
                RowProblem(
                    name,
                    (text,),
                    "the column appears twice.",
                    "keep one of the two columns and delete the other.",
                    1,
                )
            )
        elif column not in CSV_COLUMNS:
            problems.append(
                RowProblem(
                    name,
                    (text,),
                    "this is not a column of a matrix file.",
                    f"use only these columns: {', '.join(CSV_COLUMNS)}; check its spelling.",
                    1,
                )
            )
        else:
            columns[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    for column in missing:
        problems.append(
            RowProblem(
                name,
                (column,),
                "the file has no such column.",
                f"add a column headed '{column}'.",
                1,
            )
        )
    return columns, problems
