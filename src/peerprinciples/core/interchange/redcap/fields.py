"""Reading a REDCap data dictionary file into fields, and noting what cannot be mapped.

The dictionary is read as REDCap downloads it (18 columns, or 17 from older versions without the
annotation column) or with the API's column names. Rows that cannot be read are listed as
:class:`DictionaryProblem` entries with the row, the field, the column, why and how to fix it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.interchange.redcap.common import (
    API_NAMES,
    DICTIONARY_COLUMNS,
    METADATA_TAG,
)


class DictionaryProblem(Problem):
    """Something in a data dictionary that could not be mapped: row, field, column, why.

    ``line`` is the row as a spreadsheet shows it (the header is row 1) and ``path`` the field
    name and the column.
    """

    @property
    def row(self) -> int | None:
        """The row (header = 1), or ``None`` for the whole file."""
        return self.line

    @property
    def field_name(self) -> str:
        """The field's name, or '' when the row has none."""
        return str(self.path[0]) if self.path else ""

    @property
    def column(self) -> str:
        """The column concerned."""
        return str(self.path[1]) if len(self.path) > 1 else ""

    def __str__(self) -> str:
        place = self.source
        if self.row is not None:
            place += f", row {self.row}"
        if self.field_name:
            place += f", field '{self.field_name}'"
        if self.column:
            place += f" ({self.column})"
        text = f"{place}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


@dataclass(frozen=True)
class DictionaryField:
    """One row of a data dictionary, its cells trimmed where spaces carry no meaning."""

    row: int
    name: str
    form: str
    section: str
    type: str
    label: str
    choices: str
    note: str
    validation: str
    branching: str
    required: bool
    matrix: str
    annotation: str
    meta: dict[str, Any]


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_HEADER_KEYS: dict[str, str] = {}
for _column, _api in zip(DICTIONARY_COLUMNS, API_NAMES, strict=True):
    _HEADER_KEYS[_header_key(_column)] = _api
    _HEADER_KEYS[_header_key(_api)] = _api
_HEADER_KEYS["selectchoicesorcalculations"] = "select_choices_or_calculations"
_HEADER_KEYS["branchinglogic"] = "branching_logic"
_COLUMN_TITLES = dict(zip(API_NAMES, DICTIONARY_COLUMNS, strict=True))
_REQUIRED_COLUMNS = ("field_name", "form_name", "field_type", "field_label")


def _parse_meta(annotation: str) -> dict[str, Any]:
    position = annotation.find(METADATA_TAG)
    if position < 0:
        return {}
    try:
        value, _ = json.JSONDecoder().raw_decode(annotation[position + len(METADATA_TAG) :].strip())
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class DictionaryReader:
    """Turns the rows of a data dictionary into fields, and collects what is not mapped."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.not_mapped: list[DictionaryProblem] = []
        self.kept: list[DictionaryProblem] = []
        self.notes: list[str] = []

    def skip(self, row: int, name: str, column: str, message: str, fix: str = "") -> None:
        self.not_mapped.append(
            DictionaryProblem(
                self.source, (name, _COLUMN_TITLES.get(column, column)), message, fix, row
            )
        )

    def keep(self, row: int, name: str, message: str) -> None:
        """A field that is no item but serves when reading records, or is recomputed."""
        self.kept.append(DictionaryProblem(self.source, (name, "Field Type"), message, "", row))

    def fields(self, text: str) -> list[DictionaryField]:
        """The fields of a dictionary's text, in order; rows that cannot be fields are noted.

        Raises
        ------
        DocumentError
            When the text is empty or its header is not a data dictionary's.
        """
        records = self._records(text)
        position = self._columns(records[0])
        width = len(records[0])
        fields: list[DictionaryField] = []
        seen: dict[str, int] = {}
        for row, record in enumerate(records[1:], start=2):
            if not any(cell.strip() for cell in record):
                continue
            found = self._field(row, record, position, width, seen)
            if found is not None:
                seen[found.name] = row
                fields.append(found)
        return fields

    def _records(self, text: str) -> list[list[str]]:
        """The CSV rows, as far as they can be read."""
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        records: list[list[str]] = []
        try:
            for record in reader:
                records.append(record)
        except csv.Error as exc:
            row = len(records) + 1
            self.not_mapped.append(
                DictionaryProblem(
                    self.source,
                    (),
                    f"the file cannot be read from here on as CSV ({exc}); the rows after "
                    f"row {row - 1} are not read.",
                    "check this row for a double quote that is not closed or doubled; open and "
                    "save the dictionary in REDCap or a spreadsheet program to repair it.",
                    row,
                )
            )
        if not records:
            raise DocumentError(
                [
                    Problem(
                        self.source,
                        (),
                        "the file is empty.",
                        "download the data dictionary again from REDCap (Project Setup > Data "
                        "Dictionary).",
                        1,
                    )
                ]
            )
        return records

    def _columns(self, titles: list[str]) -> dict[str, int]:
        """Column (API name) → its position, from the header row."""
        header = [_HEADER_KEYS.get(_header_key(h), "") for h in titles]
        missing = [c for c in _REQUIRED_COLUMNS if c not in header]
        if missing:
            raise DocumentError(
                [
                    Problem(
                        self.source,
                        (),
                        "this is not a REDCap data dictionary: the header lacks "
                        f"{', '.join(repr(_COLUMN_TITLES[c]) for c in missing)} (it has: "
                        f"{', '.join(titles[:6])}{' ...' if len(titles) > 6 else ''}).",
                        "download the data dictionary from REDCap (Project Setup > Data "
                        "Dictionary > Download the current Data Dictionary); its first row names "
                        "the 18 columns, starting with 'Variable / Field Name'.",
                        1,
                    )
                ]
            )
        return {name: i for i, name in reversed(list(enumerate(header))) if name}

    def _field(
        self,
        row: int,
        record: list[str],
        position: dict[str, int],
        width: int,
        seen: dict[str, int],
    ) -> DictionaryField | None:
        """One row as a field, or ``None`` with the reason noted."""

        def cell(column: str) -> str:
            index = position.get(column)
            return record[index] if index is not None and index < len(record) else ""

        name = cell("field_name").strip()
        if len(record) > width and any(c.strip() for c in record[width:]):
            self.skip(
                row,
                name,
                "row",
                f"this row has {len(record)} cells but the header has {width} columns, so "
                "its cells cannot be matched to columns.",
                "put double quotes around any text that contains a comma, or remove the "
                "extra cells.",
            )
            return None
        if not name:
            self.skip(
                row,
                "",
                "field_name",
                "the row has no field name.",
                "give the field a name, or remove the row.",
            )
            return None
        if name in seen:
            self.skip(
                row,
                name,
                "field_name",
                f"the field name '{name}' is already used on row {seen[name]}; REDCap needs "
                "every field name once.",
                "rename one of the two fields.",
            )
            return None
        annotation = cell("field_annotation")
        return DictionaryField(
            row=row,
            name=name,
            form=cell("form_name").strip(),
            section=cell("section_header").strip(),
            type=cell("field_type").strip().lower(),
            label=cell("field_label"),
            choices=cell("select_choices_or_calculations"),
            note=cell("field_note"),
            validation=cell("text_validation_type_or_show_slider_number").strip(),
            branching=cell("branching_logic").strip(),
            required=cell("required_field").strip().lower() in ("y", "yes", "1"),
            matrix=cell("matrix_group_name").strip(),
            annotation=annotation,
            meta=_parse_meta(annotation),
        )


TYPE_REASONS = {
    "text": (
        "a text field is not rated on a scale, so it is not an item.",
        "if it should be an item, make it a radio field whose choices are the points of a scale.",
    ),
    "notes": (
        "a free-text field is not an item.",
        "nothing to do: keep the text in REDCap, or as a rater's notes field.",
    ),
    "descriptive": (
        "descriptive text, shown on the form only; it is not an item.",
        "nothing to do; if the text guides raters, add it to an item's prompts.",
    ),
    "calc": (
        "a calculated field is not an item; peerprinciples computes scores itself from the "
        "items and the instrument's scoring rules.",
        "set the scoring rules under 'scoring' in the draft.",
    ),
    "checkbox": (
        "a checkbox field allows several answers at once, so it cannot be rated on one scale.",
        "if it should be an item, make it a radio field with one answer.",
    ),
    "slider": (
        "a slider has no labelled points, so its values cannot be a scale with anchors.",
        "make it a radio field whose choices are the points of a scale, each with a label.",
    ),
    "yesno": (
        "a yes/no field has no scale.",
        "if it should be an item, make it a radio field with the points of a scale.",
    ),
    "truefalse": (
        "a true/false field has no scale.",
        "if it should be an item, make it a radio field with the points of a scale.",
    ),
    "file": ("a file upload is not an item.", "nothing to do: files stay in REDCap."),
    "sql": (
        "a field filled by a database query is not an item.",
        "nothing to do: it stays in REDCap.",
    ),
}
