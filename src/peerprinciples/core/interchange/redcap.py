"""REDCap: instruments as data dictionaries, data dictionaries as draft instruments, records.

REDCap describes a project in a *data dictionary*, a CSV file with one row per field and 18
columns (:data:`DICTIONARY_COLUMNS`). This module

* writes an instrument as a data dictionary (:func:`data_dictionary`,
  :func:`write_data_dictionary`): one form per informant, a ``record_id`` field first, radio
  fields whose choices are the scale's points (labelled with the item's anchors) and the
  special codes (with their numeric values), a section header per domain, a calculated field
  per domain score and for the total, and the prompts as field notes;
* reads any data dictionary as a *draft* instrument (:func:`read_data_dictionary`), listing
  every field, column and row it could not map, with the reason and what to do;
* reads a REDCap records export (raw values) as a ratings table
  (:func:`read_redcap_records`, :func:`redcap_ratings`).

The mapping is set out in ``docs/interchange.md``. In short, a record is a peer worker, an
event is a round, a form is an informant, a data access group is a service, and the form's
``..._interview`` and ``..._rater`` fields say which interview and rater a form holds.

REDCap shows a field's *annotation* to project designers only. The dictionary written here
keeps what REDCap has no column for there, as ``peerprinciples:`` followed by JSON: on
``record_id`` the instrument's header, informants, scales, codes, domains and scoring rules;
on each item field its item key, informant, domain, scale and keying. Reading the dictionary
back restores the instrument from the visible fields and these annotations.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from peerprinciples.core.documents import (
    DocumentError,
    Problem,
    YamlDocument,
    read_bytes,
    validation_problems,
)
from peerprinciples.core.instruments import Instrument, Item, check_instrument_data
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.interchange.codebook import code_values, unique_name
from peerprinciples.core.ratings import RatingProblem, RatingsError, RatingsTable, read_ratings

DICTIONARY_COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
"""The columns of a REDCap data dictionary, as REDCap writes them."""

_API_NAMES = (
    "field_name",
    "form_name",
    "section_header",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
    "field_note",
    "text_validation_type_or_show_slider_number",
    "text_validation_min",
    "text_validation_max",
    "identifier",
    "branching_logic",
    "required_field",
    "custom_alignment",
    "question_number",
    "matrix_group_name",
    "matrix_ranking",
    "field_annotation",
)

FIELD_TYPES = (
    "text",
    "notes",
    "dropdown",
    "radio",
    "checkbox",
    "calc",
    "file",
    "yesno",
    "truefalse",
    "descriptive",
    "slider",
    "sql",
)
"""REDCap's field types."""

METADATA_TAG = "peerprinciples:"
"""What starts the JSON that peerprinciples keeps in a field's annotation."""

RECORD_ID = "record_id"
"""The name of the first field of an exported dictionary: the record, a peer worker."""

DEFAULT_RATER = "redcap"
"""The rater of records whose form has no rater field (or leaves it blank)."""

EPSILON = "0.000001"
"""Subtracted in the calculated fields' share test, so that e.g. 3 >= 0.6 × 5 holds."""

_MISSING_WORDS = re.compile(
    r"not applicable|\bn/?a\b|don'?t know|do not know|not known|unknown|declin|refus|prefer not"
    r"|missing|insufficient|not asked|no answer|not rated|cannot rate|can't rate|skipped",
    re.IGNORECASE,
)
_ARM_SUFFIX = re.compile(r"_arm_\d+$")


# --- field names ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormFields:
    """The fields of one form (one informant) and what each holds."""

    form: str
    informant: str
    items: dict[str, str]
    """Field name → item key."""
    interview: str | None = None
    rater: str | None = None
    date: str | None = None
    notes: str | None = None
    domain_scores: dict[str, str] = field(default_factory=dict)
    """Domain key → field name of its calculated score."""
    total: str | None = None


@dataclass(frozen=True)
class RecordLayout:
    """Where the ratings are in a REDCap project's records."""

    record_id: str
    forms: tuple[FormFields, ...]
    code_values: dict[int, str]
    """Numeric value in the records → special code."""

    def form(self, informant: str) -> FormFields:
        """The form of an informant."""
        for form in self.forms:
            if form.informant == informant:
                return form
        raise KeyError(f"no form holds the informant '{informant}'")


def _informant_prefixes(keys: Sequence[str]) -> dict[str, str]:
    """Short prefixes: initials of a key of several words (pw), else its first 3 letters."""
    prefixes: dict[str, str] = {}
    for key in keys:
        words = [w for w in re.split(r"[_-]+", key) if w]
        base = "".join(w[0] for w in words) if len(words) > 1 else key[:3]
        candidate, number = base, 2
        while candidate in prefixes.values():
            candidate = f"{base}{number}"
            number += 1
        prefixes[key] = candidate
    return prefixes


def _form_name(key: str) -> str:
    return re.sub(r"[^a-z0-9_]", "_", key.lower())


def record_layout(instrument: Instrument) -> RecordLayout:
    """The REDCap fields of an instrument, as :func:`data_dictionary` names them.

    Parameters
    ----------
    instrument
        The instrument.

    Returns
    -------
    RecordLayout
        Per informant the form (named by the informant key, ``-`` as ``_``) and its fields,
        each named with the informant's prefix (``pw`` for ``peer_worker``: the initials of a
        key of several words, otherwise its first three letters): ``pw_interview``,
        ``pw_rater``, ``pw_date``, ``pw_<item>`` for each item asked, ``pw_dom_<domain>`` and
        ``pw_total`` for the scores, ``pw_notes``.
    """
    prefixes = _informant_prefixes([i.key for i in instrument.informants])
    taken = {RECORD_ID}
    forms = []
    for informant in instrument.informants:
        p = prefixes[informant.key]

        def name(key: str, p: str = p) -> str:
            # REDCap keeps '___' for the columns of checkbox fields
            return unique_name(re.sub("_{3,}", "__", f"{p}_{key}".lower()), taken, max_length=100)

        interview, rater, date = name("interview"), name("rater"), name("date")
        items = {name(item.key): item.key for item in instrument.items_for(informant.key)}
        domains = {
            d.key: name(f"dom_{d.key}")
            for d in instrument.domains
            if any(i.domain == d.key for i in instrument.items_for(informant.key))
        }
        forms.append(
            FormFields(
                form=_form_name(informant.key),
                informant=informant.key,
                items=items,
                interview=interview,
                rater=rater,
                date=date,
                notes=name("notes"),
                domain_scores=domains,
                total=name("total"),
            )
        )
    values = code_values(instrument)
    return RecordLayout(RECORD_ID, tuple(forms), {v: c for c, v in values.items()})


# --- writing a data dictionary ----------------------------------------------------------------


def _meta(data: Mapping[str, Any]) -> str:
    return METADATA_TAG + " " + json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _choice_text(text: str) -> str:
    """A label REDCap can hold in a choice list: no '|' (it separates choices), one line."""
    return re.sub(r"\s+", " ", text.replace("|", "/")).strip()


def _valid(field_name: str, low: int, high: int) -> str:
    return f'([{field_name}] <> "" and [{field_name}] >= {low} and [{field_name}] <= {high})'


def _answered(field_name: str, low: int, high: int, answered_codes: Sequence[int]) -> str:
    tests = [_valid(field_name, low, high)]
    tests += [f'[{field_name}] = "{value}"' for value in answered_codes]
    return tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"


def _sum_of(terms: Sequence[str]) -> str:
    return f"sum({', '.join(terms)})"


@dataclass(frozen=True)
class _ItemField:
    name: str
    item: Item
    low: int
    high: int


def _domain_expression(
    fields: Sequence[_ItemField], min_rated: float, answered_codes: Sequence[int]
) -> str:
    """A REDCap calculation of a domain score that follows peerprinciples' scoring rule.

    REDCap uses a radio field's code as its value, so a special code such as −8 would enter a
    plain ``mean()``. Each item therefore becomes ``if(<a point of the scale>, <its score>,
    "")``: REDCap's ``mean()`` and ``sum()`` skip blank values. The domain score is given when
    the items answered are at least ``min_rated`` of those expected (required items, plus
    optional items answered), as in :func:`peerprinciples.core.scoring.score`.
    """
    answered = [f"if({_answered(f.name, f.low, f.high, answered_codes)}, 1, 0)" for f in fields]
    optional = [a for a, f in zip(answered, fields, strict=True) if not f.item.required]
    n_required = sum(1 for f in fields if f.item.required)
    expected = f"({n_required} + {_sum_of(optional)})" if optional else str(n_required)
    scores = []
    for f in fields:
        value = f"({f.low + f.high} - [{f.name}])" if f.item.reverse else f"[{f.name}]"
        scores.append(f'if({_valid(f.name, f.low, f.high)}, {value}, "")')
    return (
        f"if({_sum_of(answered)} >= {min_rated:g} * {expected} - {EPSILON}, "
        f'mean({", ".join(scores)}), "")'
    )


def _total_expression(
    instrument: Instrument,
    domain_fields: Mapping[str, Sequence[_ItemField]],
    domain_names: Mapping[str, str],
    answered_codes: Sequence[int],
) -> str:
    rule = instrument.scoring.total
    if rule.method == "mean_of_domains":
        expected = []
        for fields in domain_fields.values():
            if any(f.item.required for f in fields):
                expected.append("1")
            else:
                answered = [
                    f"if({_answered(f.name, f.low, f.high, answered_codes)}, 1, 0)" for f in fields
                ]
                expected.append(f"if({_sum_of(answered)} > 0, 1, 0)")
        scored = [f'if([{domain_names[k]}] <> "", 1, 0)' for k in domain_fields]
        means = ", ".join(f"[{domain_names[k]}]" for k in domain_fields)
        all_expected = (
            str(len(expected)) if all(e == "1" for e in expected) else f"({' + '.join(expected)})"
        )
        return (
            f"if({_sum_of(scored)} >= {rule.min_rated:g} * {all_expected} - {EPSILON}, "
            f'mean({means}), "")'
        )
    every = [f for fields in domain_fields.values() for f in fields]
    return _domain_expression(every, rule.min_rated, answered_codes)


def data_dictionary(instrument: Instrument) -> pd.DataFrame:
    """An instrument as a REDCap data dictionary.

    Parameters
    ----------
    instrument
        The instrument.

    Returns
    -------
    pandas.DataFrame
        The 18 columns of :data:`DICTIONARY_COLUMNS`, one row per field, all text. See
        :func:`record_layout` for the field names and the module notes for the content.
    """
    layout = record_layout(instrument)
    values = code_values(instrument)
    answered_codes = [values[c.code] for c in instrument.codes if not c.missing]
    header = instrument.model_dump(mode="json", exclude={"items"})
    header["informants"] = [
        {**i.model_dump(mode="json"), "form": f.form}
        for i, f in zip(instrument.informants, layout.forms, strict=True)
    ]
    header["codes"] = [
        {**c.model_dump(mode="json"), "redcap_value": values[c.code]} for c in instrument.codes
    ]
    rows: list[dict[str, str]] = []

    def add(name: str, form: str, kind: str, label: str, **columns: str) -> None:
        row = dict.fromkeys(DICTIONARY_COLUMNS, "")
        row.update(
            {
                "Variable / Field Name": name,
                "Form Name": form,
                "Field Type": kind,
                "Field Label": label,
            }
        )
        for column, value in columns.items():
            row[_KWARG_COLUMNS[column]] = value
        rows.append(row)

    first = layout.forms[0].form
    add(
        RECORD_ID,
        first,
        "text",
        "Record ID: the peer worker's pseudonymous code",
        annotation=_meta({"role": "record", "instrument": header}),
    )
    domains = {d.key: d for d in instrument.domains}
    for form in layout.forms:
        informant = instrument.informant(form.informant)
        # record_layout names every one of these fields
        interview, rater, date = form.interview or "", form.rater or "", form.date or ""
        notes, total = form.notes or "", form.total or ""
        role = {"informant": informant.key}
        add(
            interview,
            form.form,
            "text",
            "Interview id (the same for every rater of this interview)",
            section=f"Interview with: {informant.title}",
            required="y",
            annotation=_meta({**role, "role": "interview"}),
        )
        add(
            rater,
            form.form,
            "text",
            "Rater (a pseudonymous code; 'consensus' for the agreed ratings)",
            required="y",
            annotation=_meta({**role, "role": "rater"}),
        )
        add(
            date,
            form.form,
            "text",
            "Date of the interview",
            validation="date_ymd",
            annotation=_meta({**role, "role": "date"}),
        )
        by_item = {key: name for name, key in form.items.items()}
        domain_fields: dict[str, list[_ItemField]] = {}
        for domain_key, score_field in form.domain_scores.items():
            domain = domains[domain_key]
            items = [i for i in instrument.items_for(form.informant) if i.domain == domain_key]
            fields = []
            for position, item in enumerate(items):
                scale = instrument.scale(item.scale)
                name = by_item[item.key]
                fields.append(_ItemField(name, item, scale.min, scale.max))
                question = item.informants[form.informant]
                choices = [f"{p}, {_choice_text(instrument.anchor(item, p))}" for p in scale.points]
                choices += [f"{values[c.code]}, {_choice_text(c.label)}" for c in instrument.codes]
                add(
                    name,
                    form.form,
                    "radio",
                    question.question,
                    section=domain.title if position == 0 else "",
                    choices=" | ".join(choices),
                    note="\n".join(question.prompts),
                    required="y" if item.required else "",
                    annotation=_meta(
                        {
                            **role,
                            "item": item.key,
                            "domain": domain_key,
                            "scale": scale.key,
                            "reverse": item.reverse,
                            "anchors": item.anchors is not None,
                        }
                    ),
                )
            domain_fields[domain_key] = fields
            add(
                score_field,
                form.form,
                "calc",
                f"Domain score: {domain.title}",
                choices=_domain_expression(
                    fields, instrument.scoring.domain.min_rated, answered_codes
                ),
                note="Calculated by REDCap; peerprinciples computes scores itself on import.",
                annotation=_meta({**role, "role": "score", "domain": domain_key}),
            )
        add(
            total,
            form.form,
            "calc",
            "Total score",
            choices=_total_expression(
                instrument, domain_fields, form.domain_scores, answered_codes
            ),
            note="Calculated by REDCap; peerprinciples computes scores itself on import.",
            annotation=_meta({**role, "role": "total"}),
        )
        add(
            notes,
            form.form,
            "notes",
            "Rater's notes",
            section="Notes",
            annotation=_meta({**role, "role": "notes"}),
        )
    return pd.DataFrame(rows, columns=list(DICTIONARY_COLUMNS))


_KWARG_COLUMNS = {
    "section": "Section Header",
    "choices": "Choices, Calculations, OR Slider Labels",
    "note": "Field Note",
    "validation": "Text Validation Type OR Show Slider Number",
    "required": "Required Field?",
    "annotation": "Field Annotation",
}


def write_data_dictionary(instrument: Instrument, path: Path | str) -> Path:
    """Write an instrument as a REDCap data dictionary (UTF-8 CSV), whole or not at all.

    Parameters
    ----------
    instrument
        The instrument.
    path
        The file to write.

    Returns
    -------
    pathlib.Path
        The path written. Upload it in REDCap under *Project Setup > Data Dictionary*.
    """
    frame = data_dictionary(instrument)
    return atomic_write(
        path,
        lambda p: frame.to_csv(
            p, index=False, encoding="utf-8", lineterminator="\n", quoting=csv.QUOTE_MINIMAL
        ),
    )


# --- reading a data dictionary ----------------------------------------------------------------


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
class _Field:
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


@dataclass(frozen=True)
class DictionaryImport:
    """A data dictionary read as a draft instrument.

    Attributes
    ----------
    source
        The file read.
    data
        The draft instrument as plain data, ready to be written as YAML and edited.
    instrument
        The draft as an :class:`~peerprinciples.core.instruments.Instrument`, or ``None``
        when it does not validate yet (see ``problems``).
    problems
        Why the draft is not yet a valid instrument.
    not_mapped
        Every field, column and row that could not be mapped, with the reason and the fix.
    record_fields
        Fields that are no items but are read with the records (the record id, and each
        form's interview, rater, date and notes), or are REDCap's scores written by
        :func:`data_dictionary`, which peerprinciples recomputes.
    notes
        What the person finishing the draft should check.
    layout
        Where the items are in the project's records, for :func:`read_redcap_records`.
    """

    source: str
    data: dict[str, Any]
    instrument: Instrument | None
    problems: tuple[Problem, ...]
    not_mapped: tuple[DictionaryProblem, ...]
    record_fields: tuple[DictionaryProblem, ...]
    notes: tuple[str, ...]
    layout: RecordLayout


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_HEADER_KEYS: dict[str, str] = {}
for _column, _api in zip(DICTIONARY_COLUMNS, _API_NAMES, strict=True):
    _HEADER_KEYS[_header_key(_column)] = _api
    _HEADER_KEYS[_header_key(_api)] = _api
_HEADER_KEYS["selectchoicesorcalculations"] = "select_choices_or_calculations"
_HEADER_KEYS["branchinglogic"] = "branching_logic"
_COLUMN_TITLES = dict(zip(_API_NAMES, DICTIONARY_COLUMNS, strict=True))
_REQUIRED_COLUMNS = ("field_name", "form_name", "field_type", "field_label")


def _lines(text: str) -> list[str]:
    """The lines of a label without HTML: tags removed, entities decoded, blank lines dropped."""
    text = re.sub(r"<\s*br\s*/?>|</p>|</div>|</li>|</h\d>", "\n", text, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return [
        line for line in (re.sub(r"\s+", " ", raw).strip() for raw in text.splitlines()) if line
    ]


def plain_text(text: str) -> str:
    """A label without HTML: tags removed, entities decoded, white space collapsed."""
    return " ".join(_lines(text))


def _slug(text: str, fallback: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", plain_text(text).lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    if not slug[:1].isalpha():
        slug = f"{fallback}-{slug}" if slug else fallback
    return slug


def _field_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9_-]", "_", name.lower())
    return key if key[:1].isalpha() else f"item_{key}"


def _title(text: str, limit: int = 80) -> str:
    """A short title from a section header: its first line or sentence, cut to fit."""
    lines = _lines(text)
    first = re.split(r"(?<=[.!?:])\s", lines[0], maxsplit=1)[0].rstrip(":") if lines else ""
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _code_key(label: str, taken: Iterable[str]) -> str:
    words = re.findall(r"[A-Za-z0-9]+", plain_text(label).replace("'", ""))
    key = "".join(w[0] for w in words).upper() or "CODE"
    if not key[0].isalpha():
        key = "C" + key
    candidate, number = key, 2
    used = set(taken)
    while candidate in used:
        candidate = f"{key}_{number}"
        number += 1
    return candidate


def _decode(raw: bytes, source: str, notes: list[str]) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        notes.append("the file is UTF-16 text; it was read as such.")
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        notes.append(
            "the file is not UTF-8 text; it was read as Windows-1252, so check accented letters "
            "(REDCap itself writes UTF-8)."
        )
        return raw.decode("cp1252", errors="replace")


def _parse_meta(annotation: str) -> dict[str, Any]:
    position = annotation.find(METADATA_TAG)
    if position < 0:
        return {}
    try:
        value, _ = json.JSONDecoder().raw_decode(annotation[position + len(METADATA_TAG) :].strip())
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _Reader:
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

    def fields(self, text: str) -> list[_Field]:
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
        header = [_HEADER_KEYS.get(_header_key(h), "") for h in records[0]]
        missing = [c for c in _REQUIRED_COLUMNS if c not in header]
        if missing:
            raise DocumentError(
                [
                    Problem(
                        self.source,
                        (),
                        "this is not a REDCap data dictionary: the header lacks "
                        f"{', '.join(repr(_COLUMN_TITLES[c]) for c in missing)} (it has: "
                        f"{', '.join(records[0][:6])}{' ...' if len(records[0]) > 6 else ''}).",
                        "download the data dictionary from REDCap (Project Setup > Data "
                        "Dictionary > Download the current Data Dictionary); its first row names "
                        "the 18 columns, starting with 'Variable / Field Name'.",
                        1,
                    )
                ]
            )
        width = len(header)
        position = {name: i for i, name in reversed(list(enumerate(header))) if name}
        fields: list[_Field] = []
        seen: dict[str, int] = {}
        for row, record in enumerate(records[1:], start=2):
            if not any(cell.strip() for cell in record):
                continue

            def cell(column: str, record: list[str] = record) -> str:
                index = position.get(column)
                return record[index] if index is not None and index < len(record) else ""

            name = cell("field_name").strip()
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                self.skip(
                    row,
                    name,
                    "row",
                    f"this row has {len(record)} cells but the header has {width} columns, so "
                    "its cells cannot be matched to columns.",
                    "put double quotes around any text that contains a comma, or remove the "
                    "extra cells.",
                )
                continue
            if not name:
                self.skip(
                    row,
                    "",
                    "field_name",
                    "the row has no field name.",
                    "give the field a name, or remove the row.",
                )
                continue
            if name in seen:
                self.skip(
                    row,
                    name,
                    "field_name",
                    f"the field name '{name}' is already used on row {seen[name]}; REDCap needs "
                    "every field name once.",
                    "rename one of the two fields.",
                )
                continue
            seen[name] = row
            annotation = cell("field_annotation")
            fields.append(
                _Field(
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
            )
        return fields


_TYPE_REASONS = {
    "text": (
        "a text field is not rated on a scale, so it is not an item.",
        "if it should be an item, make it a radio field whose choices are the points of a scale.",
    ),
    "notes": ("a free-text field is not an item.", ""),
    "descriptive": ("descriptive text, shown on the form only; it is not an item.", ""),
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
    "file": ("a file upload is not an item.", ""),
    "sql": ("a field filled by a database query is not an item.", ""),
}


@dataclass
class _Choices:
    points: dict[int, str]
    codes: dict[int, str]


def _split_choices(text: str) -> list[tuple[str, str]] | str:
    """Choices as (code, label) pairs, or the reason they cannot be read."""
    pairs = []
    for part in text.split("|"):
        if not part.strip():
            continue
        code, comma, label = part.partition(",")
        if not comma:
            return f"the choice '{part.strip()}' has no code: REDCap writes 'code, label'."
        pairs.append((code.strip(), plain_text(label)))
    if not pairs:
        return "the field has no choices."
    return pairs


def _classify(
    pairs: Sequence[tuple[str, str]], known_codes: Mapping[int, str], *, guess: bool = True
) -> _Choices | str:
    """Split choices into the points of a scale and special codes, or say why they cannot be.

    ``known_codes`` are the values of codes the dictionary declares; with ``guess``, a choice
    outside the run of the others is also a code when its value is negative (beside
    non-negative points) or its label is short and reads as missing data ("Don't know").
    """
    numbers = []
    for code, label in pairs:
        if not re.fullmatch(r"-?\d+", code):
            return (
                f"the choice code '{code}' is not a whole number, so the choices cannot be the "
                "points of a scale."
            )
        numbers.append((int(code), label))
    codes = {v: label for v, label in numbers if v in known_codes}
    rest = [(v, label) for v, label in numbers if v not in known_codes]
    non_negative = [v for v, _ in rest if v >= 0]
    # special codes: negative values beside non-negative points, and missing-data wording
    # on a value outside the run of the other choices
    for value, label in sorted(rest, key=lambda x: -abs(x[0])):
        others = [v for v, _ in rest if v != value and v not in codes]
        outside = not others or value < min(others) or value > max(others)
        negative_code = value < 0 and non_negative
        missing_words = len(label) <= 40 and _MISSING_WORDS.search(label)
        if guess and outside and (negative_code or missing_words):
            codes[value] = label
    points = {v: label for v, label in rest if v not in codes}
    values = sorted(points)
    if len(values) < 2:
        return "the choices give fewer than two points, so they are not a scale."
    if values != list(range(values[0], values[-1] + 1)):
        return (
            f"the choices {', '.join(map(str, values))} are not consecutive whole numbers, so "
            "they are not the points of one scale."
        )
    return _Choices(points, codes)


class _Draft:
    """Builds the draft instrument from the fields."""

    def __init__(self, reader: _Reader, header: dict[str, Any]) -> None:
        self.reader = reader
        self.header = header
        self.informants: dict[str, dict[str, Any]] = {}
        self.form_informant: dict[str, str] = {}
        self.domains: dict[str, dict[str, Any]] = {}
        self.items: dict[str, dict[str, Any]] = {}
        self.item_choices: dict[str, tuple[str, dict[int, str], bool]] = {}
        self.codes: dict[int, dict[str, Any]] = {}
        self.forms: dict[str, dict[str, Any]] = {}
        meta_codes = header.get("codes") or []
        self.meta_codes = {
            int(c["redcap_value"]): c
            for c in meta_codes
            if isinstance(c, dict) and isinstance(c.get("redcap_value"), int)
        }
        self.meta_scales = {
            s["key"]: s for s in header.get("scales") or [] if isinstance(s, dict) and "key" in s
        }
        self.meta_domains = {
            d["key"]: d for d in header.get("domains") or [] if isinstance(d, dict) and "key" in d
        }
        self.meta_informants = {
            i["form"]: i
            for i in header.get("informants") or []
            if isinstance(i, dict) and "form" in i and "key" in i
        }

    # --- informants and forms ---

    def informant_of(self, form: str) -> str:
        if form in self.form_informant:
            return self.form_informant[form]
        meta = self.meta_informants.get(form)
        if meta:
            key = str(meta["key"])
            entry = {k: meta[k] for k in ("key", "title", "description") if meta.get(k)}
        else:
            key = _slug(form, "informant").replace("-", "_")
            entry = {"key": key, "title": form.replace("_", " ").strip().capitalize() or key}
        while key in self.informants and self.informants[key].get("_form") != form:
            key += "_2"
            entry["key"] = key
        self.informants[key] = {**entry, "_form": form}
        self.form_informant[form] = key
        self.forms[form] = {"informant": key, "items": {}}
        return key

    # --- domains ---

    def domain_for(self, fld: _Field, section: str, matrix: str) -> str:
        key = fld.meta.get("domain")
        if isinstance(key, str) and key:
            meta = self.meta_domains.get(key, {})
            if key not in self.domains:
                title = _title(section) if section else meta.get("title", key)
                self.domains[key] = {
                    "key": key,
                    "title": title or key,
                    **({"description": meta["description"]} if meta.get("description") else {}),
                    "principles": meta.get("principles") or [key],
                }
            return key
        if section:
            title, lines = _title(section), _lines(section)
            description = " ".join(lines[1:] if lines and lines[0] == title else lines)
        elif matrix:
            title, description = matrix.replace("_", " ").strip().capitalize(), ""
        else:
            title, description = f"{self.informants[self.form_informant[fld.form]]['title']}", ""
        key = _slug(title, "domain")
        if key not in self.domains:
            self.domains[key] = {
                "key": key,
                "title": title,
                **({"description": description} if description else {}),
                "principles": [key],
                "_placeholder": True,
            }
        return key

    # --- items ---

    def add_item(self, fld: _Field, informant: str, domain: str, choices: _Choices) -> None:
        meta = fld.meta
        key = str(meta.get("item") or _field_key(fld.name))
        question: dict[str, Any] = {"question": plain_text(fld.label) or fld.name}
        prompts = [plain_text(line) for line in fld.note.splitlines() if plain_text(line)]
        if prompts:
            question["prompts"] = prompts
        existing = self.items.get(key)
        if existing is not None:
            same = (
                meta.get("item") == key
                and existing["domain"] == domain
                and self.item_choices[key][1].keys() == choices.points.keys()
            )
            if not same or informant in existing["informants"]:
                self.reader.skip(
                    fld.row,
                    fld.name,
                    "field_annotation",
                    f"the field is marked as the item '{key}', which an earlier field already "
                    "is, but in another domain, with other choices or for the same informant.",
                    "give the field an item of its own (remove its peerprinciples annotation).",
                )
                return
            existing["informants"][informant] = question
        else:
            entry: dict[str, Any] = {
                "key": key,
                "domain": domain,
                "scale": "",
                "reverse": bool(meta.get("reverse", False)),
                "required": fld.required,
                "informants": {informant: question},
            }
            self.items[key] = entry
            self.item_choices[key] = (
                str(meta.get("scale") or ""),
                choices.points,
                bool(meta.get("anchors")),
            )
        self.forms[fld.form]["items"][fld.name] = key
        for value, label in choices.codes.items():
            self.add_code(value, label, fld)

    def add_code(self, value: int, label: str, fld: _Field) -> None:
        if value in self.codes:
            if plain_text(str(self.codes[value]["label"])).casefold() != label.casefold():
                self.reader.notes.append(
                    f"row {fld.row}, field '{fld.name}': the code {value} is labelled "
                    f"'{label}' here but '{self.codes[value]['label']}' before; the first label "
                    "is kept."
                )
            return
        meta = self.meta_codes.get(value, {})
        if isinstance(meta.get("code"), str) and isinstance(meta.get("label"), str):
            entry = {
                k: meta[k]
                for k in ("code", "label", "description", "missing", "value")
                if meta.get(k) is not None and meta.get(k) != ""
            }
        else:
            code = _code_key(label, (c["code"] for c in self.codes.values()))
            entry = {"code": code, "label": label or code, "missing": True, "value": value}
        self.codes[value] = entry

    # --- scales ---

    def scales(self) -> list[dict[str, Any]]:
        """Scales from the annotations, or one per range of points (most common labels)."""
        scales: dict[str, dict[str, Any]] = {}
        by_range: dict[tuple[int, int], Counter[tuple[str, ...]]] = {}
        for scale_key, points, _ in self.item_choices.values():
            meta = _meta_scale(self.meta_scales.get(scale_key), points)
            if meta:
                scales.setdefault(scale_key, meta)
                continue
            low, high = min(points), max(points)
            labels = tuple(points[p] for p in range(low, high + 1))
            by_range.setdefault((low, high), Counter())[labels] += 1
        for (low, high), counts in by_range.items():
            labels = counts.most_common(1)[0][0]
            key = f"scale-{low}-{high}".replace("--", "-minus-")
            scales[key] = {
                "key": key,
                "title": f"Scale from {low} to {high}",
                "min": low,
                "max": high,
                "anchors": dict(zip(range(low, high + 1), labels, strict=True)),
            }
        for key, (scale_key, points, item_anchors) in self.item_choices.items():
            low, high = min(points), max(points)
            if scale_key in scales and (scales[scale_key]["min"], scales[scale_key]["max"]) == (
                low,
                high,
            ):
                chosen = scales[scale_key]
            else:
                chosen = scales[f"scale-{low}-{high}".replace("--", "-minus-")]
            self.items[key]["scale"] = chosen["key"]
            anchors = {int(p): str(t) for p, t in chosen["anchors"].items()}
            if item_anchors or points != anchors:
                self.items[key]["anchors"] = dict(sorted(points.items()))
        return list(scales.values())


def _meta_scale(meta: Any, points: Mapping[int, str]) -> dict[str, Any] | None:
    """A scale kept in the annotations, when it is whole and has exactly these points."""
    if not isinstance(meta, dict) or not isinstance(meta.get("anchors"), dict):
        return None
    if (meta.get("min"), meta.get("max")) != (min(points), max(points)):
        return None
    anchors = meta["anchors"]
    if not all(re.fullmatch(r"-?\d+", str(p)) for p in anchors):
        return None
    converted = {int(p): str(t) for p, t in anchors.items()}
    if sorted(converted) != sorted(points):
        return None
    return {**meta, "anchors": converted}


def _clean(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if not k.startswith("_")}


def read_data_dictionary(
    source: Path | str,
    *,
    key: str | None = None,
    title: str | None = None,
    framework: str | None = None,
) -> DictionaryImport:
    """Read a REDCap data dictionary as a draft instrument.

    Parameters
    ----------
    source
        The data dictionary (CSV, as REDCap downloads it, or with the API's column names).
    key, title, framework
        The draft's key, title and framework reference (``key@version``); by default those
        kept in the dictionary's annotations, else taken from the file name, and
        ``unknown@0`` for the framework (to be set before use).

    Returns
    -------
    DictionaryImport
        The draft, what could not be mapped and why, and the record layout.

    Raises
    ------
    DocumentError
        When the file cannot be read, is empty, or is not a data dictionary (its header lacks
        the field name, form name, field type or field label column).

    Notes
    -----
    Radio and dropdown fields whose choices are consecutive whole numbers become items; the
    form is the informant, the section header (or else the matrix group) the domain. Choices
    outside the run of points that are negative, or labelled as missing data ("not
    applicable", "don't know", "declined"...), become special codes with that numeric value.
    Every other field, and branching logic and action tags on items, is listed in
    ``not_mapped``; nothing is dropped silently.
    """
    path = Path(source)
    name = str(path)
    raw = read_bytes(path)
    reader = _Reader(name)
    text = _decode(raw, name, reader.notes)
    return _import(reader, reader.fields(text), path.stem, key, title, framework)


def _import(
    reader: _Reader,
    fields: Sequence[_Field],
    stem: str,
    key: str | None,
    title: str | None,
    framework: str | None,
) -> DictionaryImport:
    record_meta = next((f.meta for f in fields if f.meta.get("role") == "record"), {})
    found = record_meta.get("instrument")
    header: dict[str, Any] = found if isinstance(found, dict) else {}
    draft = _Draft(reader, header)
    record_id = fields[0].name if fields else RECORD_ID
    roles: dict[str, dict[str, str]] = {}
    section_of: dict[str, str] = {}
    current_form = None
    for index, fld in enumerate(fields):
        if fld.form != current_form:
            current_form = fld.form
            section_of[fld.form] = ""
        if fld.section:
            section_of[fld.form] = fld.section
        matrix = fld.matrix
        if index == 0:
            reader.keep(fld.row, fld.name, "the record id, read as the peer worker.")
            continue
        role = fld.meta.get("role")
        if role in ("interview", "rater", "date", "notes") or _role_by_name(fld):
            chosen = str(role or _role_by_name(fld))
            roles.setdefault(fld.form, {})[chosen] = fld.name
            reader.keep(fld.row, fld.name, f"the form's {chosen}, read with the records.")
            continue
        if role in ("score", "total"):
            reader.keep(
                fld.row, fld.name, "a score calculated by REDCap; peerprinciples computes its own."
            )
            continue
        if fld.type not in ("radio", "dropdown"):
            message, fix = _TYPE_REASONS.get(
                fld.type,
                (
                    f"'{fld.type or '(blank)'}' is not a REDCap field type.",
                    f"use one of: {', '.join(FIELD_TYPES)}.",
                ),
            )
            reader.skip(fld.row, fld.name, "field_type", message, fix)
            continue
        pairs = _split_choices(fld.choices)
        known = {value: str(code.get("code", "")) for value, code in draft.meta_codes.items()}
        guess = "item" not in fld.meta
        classified = pairs if isinstance(pairs, str) else _classify(pairs, known, guess=guess)
        if isinstance(classified, str):
            reader.skip(
                fld.row,
                fld.name,
                "select_choices_or_calculations",
                classified,
                "give the field the points of one scale as choices (e.g. '1, Not present | 2, "
                "...'), and any special codes as negative numbers (e.g. '-8, Not applicable').",
            )
            continue
        if not fld.form:
            reader.skip(fld.row, fld.name, "form_name", "the field has no form.", "name its form.")
            continue
        informant = draft.informant_of(fld.form)
        domain = draft.domain_for(fld, section_of[fld.form], matrix)
        draft.add_item(fld, informant, domain, classified)
        _flag_extras(reader, fld)

    informants = [_clean(i) for i in draft.informants.values()]
    scales = draft.scales()
    items = list(draft.items.values())
    used_domains = {i["domain"] for i in items}
    domains = [_clean(d) for k, d in draft.domains.items() if k in used_domains]
    if any(d.get("_placeholder") for d in draft.domains.values()):
        reader.notes.append(
            "each domain is linked to a principle of the same key as a placeholder: link every "
            "domain to the principles of your framework ('principles:')."
        )
    codes = [dict(c) for c in draft.codes.values()]
    data: dict[str, Any] = {
        "key": key or header.get("key") or _slug(stem, "instrument"),
        "version": str(header.get("version") or "0.1-draft"),
        "title": title or header.get("title") or f"Draft from the REDCap dictionary {stem}",
        "framework": framework or header.get("framework") or "unknown@0",
    }
    if not (framework or header.get("framework")):
        reader.notes.append(
            "the framework is 'unknown@0': set 'framework:' to the framework the instrument "
            "rates fidelity to, e.g. enrich@2017."
        )
    for optional in ("language", "description", "notice", "citation"):
        if header.get(optional):
            data[optional] = header[optional]
    data.update(
        {
            "informants": informants,
            "scales": scales,
            "codes": codes,
            "domains": domains,
            "items": items,
        }
    )
    for optional in ("scoring", "translations"):
        if header.get(optional):
            data[optional] = header[optional]
    if not items:
        reader.notes.append(
            "no field could be mapped to an item: items are radio or dropdown fields whose "
            "choices are consecutive whole numbers."
        )
    instrument, problems = _validate(reader.source, data)
    layout = _layout(record_id, draft, roles, {v: c["code"] for v, c in draft.codes.items()})
    return DictionaryImport(
        source=reader.source,
        data=data,
        instrument=instrument,
        problems=tuple(problems),
        not_mapped=tuple(sorted(reader.not_mapped, key=lambda p: (p.line or 0, p.column))),
        record_fields=tuple(reader.kept),
        notes=tuple(reader.notes),
        layout=layout,
    )


def _role_by_name(fld: _Field) -> str | None:
    """Interview, rater and date fields of dictionaries not written by peerprinciples."""
    if fld.type != "text":
        return None
    name = fld.name.lower()
    if name == "rater" or name.endswith("_rater"):
        return "rater"
    if name in ("interview", "interview_id") or name.endswith(("_interview", "_interview_id")):
        return "interview"
    if name.endswith("_date") and fld.validation.startswith("date"):
        return "date"
    return None


def _flag_extras(reader: _Reader, fld: _Field) -> None:
    if fld.branching:
        reader.skip(
            fld.row,
            fld.name,
            "branching_logic",
            f"the branching logic '{fld.branching}' is not kept: peerprinciples asks every item "
            "of the informants it lists.",
            "if the item applies only to some informants, list only those under its 'informants'.",
        )
    tags = re.findall(r"@[A-Z][A-Z0-9_-]+", fld.annotation)
    if tags:
        reader.skip(
            fld.row,
            fld.name,
            "field_annotation",
            f"the action tags {', '.join(dict.fromkeys(tags))} are not kept.",
        )


def _validate(source: str, data: dict[str, Any]) -> tuple[Instrument | None, list[Problem]]:
    document = YamlDocument(f"{source} (draft)", data)
    model, problems = validation_problems(document, Instrument)
    # a malformed draft may trip the cross-reference checks; the schema problems say why
    with contextlib.suppress(KeyError, TypeError, ValueError):
        problems += check_instrument_data(document, None, None)
    if problems or not isinstance(model, Instrument):
        return None, problems
    try:
        return Instrument.model_validate(data), []
    except ValidationError:  # pragma: no cover - validation_problems already caught it
        return None, problems


def _layout(
    record_id: str,
    draft: _Draft,
    roles: Mapping[str, Mapping[str, str]],
    codes: Mapping[int, str],
) -> RecordLayout:
    forms = []
    for form, entry in draft.forms.items():
        own = roles.get(form, {})
        forms.append(
            FormFields(
                form=form,
                informant=entry["informant"],
                items=dict(entry["items"]),
                interview=own.get("interview"),
                rater=own.get("rater"),
                date=own.get("date"),
                notes=own.get("notes"),
            )
        )
    return RecordLayout(record_id, tuple(forms), dict(codes))


# --- reading records --------------------------------------------------------------------------


def read_redcap_records(
    source: Path | str,
    layout: RecordLayout | Instrument | DictionaryImport,
    *,
    instrument: Instrument | None = None,
    rater: str = DEFAULT_RATER,
    only_complete: bool = False,
    include_notes: bool = False,
) -> pd.DataFrame:
    """Read a REDCap records export (raw values, CSV) as a ratings table in the long layout.

    Parameters
    ----------
    source
        The records export: *Data Exports > All data > CSV / Microsoft Excel (raw data)*.
    layout
        Where the ratings are: an instrument (for projects made from its
        :func:`data_dictionary`), a :class:`DictionaryImport`, or a :class:`RecordLayout`.
    instrument
        The instrument, to check each value against its item's scale (the one given as
        ``layout``, or the draft's, when not given).
    rater
        The rater of forms without a rater field, or with it blank.
    only_complete
        Read only forms whose ``<form>_complete`` status is 2 (Complete).
    include_notes
        Add the form's notes field as a ``notes`` column.

    Returns
    -------
    pandas.DataFrame
        ``interview``, ``informant``, ``item``, ``rating``, ``rater``, ``peer_worker``, and
        ``service``, ``round`` and ``date`` when the export gives them; ready for
        :func:`peerprinciples.core.ratings.read_ratings`.

    Raises
    ------
    RatingsError
        With the row and field of every value that is not a choice of its field, and when the
        export lacks the record id or every item field.

    Notes
    -----
    Each form with at least one item value on a row is an interview: its id is the form's
    interview field, or else ``<record>/<event>/<form>[/<instance>]``. The record id is the
    peer worker, the event (without its ``_arm_N`` suffix) the round, the data access group
    the service. A numeric value that is a special code's REDCap value becomes that code.
    """
    if isinstance(layout, Instrument):
        instrument = instrument or layout
        layout = record_layout(layout)
    elif isinstance(layout, DictionaryImport):
        instrument = instrument or layout.instrument
        layout = layout.layout
    name = str(source)
    frame = _read_records(Path(source))
    columns = list(frame.columns)
    problems: list[Problem] = []
    record_column = (
        layout.record_id if layout.record_id in columns else (columns[0] if columns else "")
    )
    item_fields = [f for form in layout.forms for f in form.items if f in columns]
    if not columns or not item_fields:
        expected = [f for form in layout.forms for f in form.items][:4]
        raise RatingsError(
            [
                RatingProblem(
                    name,
                    (),
                    "the records export has none of the item fields"
                    + (f" (such as {', '.join(expected)})" if expected else "")
                    + ".",
                    "export the records of the project made from this dictionary, with all "
                    "fields, as 'CSV (raw data)'.",
                    1,
                )
            ]
        )
    scales = _item_scales(instrument)
    rows: list[dict[str, str]] = []
    skipped = 0

    def cell(index: int, column: str | None) -> str:
        if not column or column not in frame.columns:
            return ""
        return str(frame.at[index, column]).strip()

    for index in range(len(frame)):
        row = index + 2
        record = cell(index, record_column)
        event = _ARM_SUFFIX.sub("", cell(index, "redcap_event_name"))
        repeat_form = cell(index, "redcap_repeat_instrument")
        instance = cell(index, "redcap_repeat_instance")
        service = cell(index, "redcap_data_access_group")
        for form in layout.forms:
            if repeat_form and form.form != repeat_form:
                continue
            values = {f: cell(index, f) for f in form.items if f in columns}
            if not any(values.values()):
                continue
            if only_complete and cell(index, f"{form.form}_complete") != "2":
                skipped += 1
                continue
            if not record:
                problems.append(
                    RatingProblem(
                        name,
                        (record_column,),
                        "the record id is empty.",
                        "export the records again; every row needs its record id.",
                        row,
                    )
                )
                continue
            interview = cell(index, form.interview) or "/".join(
                p for p in (record, event or "-", form.form, instance) if p
            )
            who = cell(index, form.rater) or rater
            base = {
                "interview": interview,
                "informant": form.informant,
                "rater": who,
                "peer_worker": record,
                "service": service,
                "round": event,
                "date": cell(index, form.date),
            }
            if include_notes:
                base["notes"] = cell(index, form.notes)
            for field_name, text in values.items():
                if not text:
                    continue
                item_key = form.items[field_name]
                rating = _rating(text, layout.code_values, scales.get(item_key))
                if rating is None:
                    problems.append(
                        _value_problem(name, row, field_name, text, item_key, scales, layout)
                    )
                    continue
                rows.append({**base, "item": item_key, "rating": rating})
    if problems:
        raise RatingsError(problems[:200], len(problems))
    result = pd.DataFrame(
        rows,
        columns=[
            "interview", "informant", "item", "rating", "rater", "peer_worker", "service",
            "round", "date", *(["notes"] if include_notes else []),
        ],
    )  # fmt: skip
    for optional in ("service", "round", "date"):
        if not (result[optional] != "").any():
            result = result.drop(columns=optional)
    result.attrs["skipped_incomplete"] = skipped
    return result


def _read_records(path: Path) -> pd.DataFrame:
    name = str(path)
    raw = read_bytes(path, error=RatingsError, problem=RatingProblem)
    notes: list[str] = []
    text = _decode(raw, name, notes)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise RatingsError(
            [
                RatingProblem(
                    name,
                    (),
                    f"the file cannot be read as CSV: {exc}.",
                    "export the records from REDCap again as 'CSV (raw data)'.",
                )
            ]
        ) from exc
    if not records:
        raise RatingsError(
            [RatingProblem(name, (), "the file is empty.", "export the records again.", 1)]
        )
    header = [h.strip() for h in records[0]]
    width = len(header)
    repeated = [h for h, n in Counter(header).items() if n > 1 and h]
    if repeated:
        raise RatingsError(
            [
                RatingProblem(
                    name,
                    (repeated[0],),
                    f"the column '{repeated[0]}' appears twice in the header.",
                    "export the records from REDCap again, or remove one of the two columns.",
                    1,
                )
            ]
        )
    problems = [
        RatingProblem(
            name,
            (),
            f"this row has {len(r)} cells but the header has {width} columns.",
            "export the records from REDCap again as 'CSV (raw data)'.",
            i,
        )
        for i, r in enumerate(records[1:], start=2)
        if len(r) > width and any(c.strip() for c in r[width:])
    ]
    if problems:
        raise RatingsError(problems[:200], len(problems))
    body = [(r + [""] * width)[:width] for r in records[1:]]
    return pd.DataFrame(body, columns=header, dtype=object)


def _item_scales(instrument: Instrument | None) -> dict[str, tuple[int, int]]:
    if instrument is None:
        return {}
    return {
        i.key: (instrument.scale(i.scale).min, instrument.scale(i.scale).max)
        for i in instrument.items
    }


def _rating(text: str, codes: Mapping[int, str], scale: tuple[int, int] | None) -> str | None:
    if not re.fullmatch(r"-?\d+", text):
        return None
    value = int(text)
    if value in codes:
        return codes[value]
    if scale is None or scale[0] <= value <= scale[1]:
        return str(value)
    return None


def _value_problem(
    source: str,
    row: int,
    field_name: str,
    text: str,
    item_key: str,
    scales: Mapping[str, tuple[int, int]],
    layout: RecordLayout,
) -> Problem:
    scale = scales.get(item_key)
    allowed = f"{scale[0]} to {scale[1]}" if scale else "a point of the scale"
    codes = ", ".join(f"{v} ({c})" for v, c in layout.code_values.items())
    labels = not re.fullmatch(r"-?[\d.]+", text)
    return RatingProblem(
        source,
        (field_name,),
        f"'{text}' is not a choice of the field '{field_name}' (item '{item_key}'): it takes "
        f"{allowed}" + (f", or the codes {codes}" if codes else "") + ".",
        "export the records as raw data (codes), not labels."
        if labels
        else "correct the value in REDCap and export the records again.",
        row,
    )


def redcap_ratings(
    source: Path | str,
    instrument: Instrument,
    layout: RecordLayout | DictionaryImport | None = None,
    *,
    rater: str = DEFAULT_RATER,
    only_complete: bool = False,
) -> RatingsTable:
    """Read a REDCap records export and check it as a ratings table.

    Parameters
    ----------
    source
        The records export (raw data, CSV).
    instrument
        The instrument rated.
    layout
        Where the ratings are; by default the fields :func:`data_dictionary` writes for
        ``instrument``.
    rater, only_complete
        As for :func:`read_redcap_records`.

    Returns
    -------
    RatingsTable
        The checked ratings.

    Raises
    ------
    RatingsError
        With every problem found, by row and field of the export where it can be placed.
    """
    frame = read_redcap_records(
        source,
        layout if layout is not None else instrument,
        instrument=instrument,
        rater=rater,
        only_complete=only_complete,
    )
    return read_ratings(frame, instrument, layout="long", name=str(source))
