"""Reading a REDCap data dictionary as a draft instrument.

:func:`read_data_dictionary` turns radio and dropdown fields into items (the form is the
informant, the section header or else the matrix group the domain), their choices into the
points of a scale and special codes, and lists every field, column and row it could not map,
with the reason and what to do. A dictionary written by
:func:`~peerprinciples.core.interchange.redcap.export.data_dictionary` reads back as the
instrument it was made from.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from peerprinciples.core.documents import Problem, YamlDocument, read_bytes, validation_problems
from peerprinciples.core.instruments import Instrument, check_instrument_data
from peerprinciples.core.interchange.redcap.builder import DraftBuilder, kept_codes, label_key
from peerprinciples.core.interchange.redcap.choices import classify, split_choices
from peerprinciples.core.interchange.redcap.common import (
    FIELD_TYPES,
    RECORD_ID,
    FormFields,
    RecordLayout,
    decode_text,
)
from peerprinciples.core.interchange.redcap.fields import (
    TYPE_REASONS,
    DictionaryField,
    DictionaryProblem,
    DictionaryReader,
)


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
    Radio and dropdown fields whose choices are whole numbers become items; the form is the
    informant, the section header (or else the matrix group) the domain. A choice whose label
    says it is a special code ("Not applicable", "Don't know", "Refused", "Unknown / Not
    reported"...), or a negative number beside the points, becomes a special code: codes are
    gathered by meaning across fields, each gets one value outside every scale, and each
    question keeps its field's own REDCap numbers (``redcap: codes:``) so that the records
    read to the right codes. Points with a gap (0, 1, 2, 3, 5) make a scale from the lowest
    to the highest, the gap stated in its title, its anchors and the notes. Every other
    field, and branching logic and action tags on items, is listed in ``not_mapped``;
    nothing is dropped silently.
    """
    path = Path(source)
    name = str(path)
    raw = read_bytes(path)
    reader = DictionaryReader(name)
    text = decode_text(raw, name, reader.notes)
    return _import(reader, reader.fields(text), path.stem, key, title, framework)


@dataclass
class _Mapped:
    """What reading the fields found besides items: the record id and each form's roles."""

    record_id: str = RECORD_ID
    roles: dict[str, dict[str, str]] = field(default_factory=dict)
    """Form → role (interview, rater, date, notes) → field name."""


def _import(
    reader: DictionaryReader,
    fields: Sequence[DictionaryField],
    stem: str,
    key: str | None,
    title: str | None,
    framework: str | None,
) -> DictionaryImport:
    record_meta = next((f.meta for f in fields if f.meta.get("role") == "record"), {})
    found = record_meta.get("instrument")
    header: dict[str, Any] = found if isinstance(found, dict) else {}
    draft = DraftBuilder(reader, header)
    mapped = _map_fields(reader, draft, fields)
    data = _assemble(reader, draft, header, stem, key=key, title=title, framework=framework)
    instrument, problems = _validate(reader.source, data)
    return DictionaryImport(
        source=reader.source,
        data=data,
        instrument=instrument,
        problems=tuple(problems),
        not_mapped=tuple(sorted(reader.not_mapped, key=lambda p: (p.line or 0, p.column))),
        record_fields=tuple(reader.kept),
        notes=tuple(reader.notes),
        layout=_layout(mapped, draft),
    )


def _map_fields(
    reader: DictionaryReader, draft: DraftBuilder, fields: Sequence[DictionaryField]
) -> _Mapped:
    """Map each field to an item, a role read with the records, or the list of what is not."""
    mapped = _Mapped(record_id=fields[0].name if fields else RECORD_ID)
    section_of: dict[str, str] = {}
    current_form = None
    for index, fld in enumerate(fields):
        if fld.form != current_form:
            current_form = fld.form
            section_of[fld.form] = ""
        if fld.section:
            section_of[fld.form] = fld.section
        if index == 0:
            reader.keep(fld.row, fld.name, "the record id, read as the peer worker.")
        elif not _kept_for_records(reader, fld, mapped):
            _map_item(reader, draft, fld, section_of[fld.form])
    return mapped


def _kept_for_records(reader: DictionaryReader, fld: DictionaryField, mapped: _Mapped) -> bool:
    """Keep the form's interview, rater, date and notes fields, and REDCap's own scores."""
    role = fld.meta.get("role")
    if role in ("interview", "rater", "date", "notes") or _role_by_name(fld):
        chosen = str(role or _role_by_name(fld))
        mapped.roles.setdefault(fld.form, {})[chosen] = fld.name
        reader.keep(fld.row, fld.name, f"the form's {chosen}, read with the records.")
        return True
    if role in ("score", "total"):
        reader.keep(
            fld.row, fld.name, "a score calculated by REDCap; peerprinciples computes its own."
        )
        return True
    return False


def _map_item(
    reader: DictionaryReader, draft: DraftBuilder, fld: DictionaryField, section: str
) -> None:
    if fld.type not in ("radio", "dropdown"):
        message, fix = TYPE_REASONS.get(
            fld.type,
            (
                f"'{fld.type or '(blank)'}' is not a REDCap field type.",
                f"use one of: {', '.join(FIELD_TYPES)}.",
            ),
        )
        reader.skip(fld.row, fld.name, "field_type", message, fix)
        return
    pairs = split_choices(fld.choices)
    known = {value: str(code.get("code", "")) for value, code in draft.meta_codes.items()}
    known.update(kept_codes(fld.meta))
    guess = "item" not in fld.meta
    classified = pairs if isinstance(pairs, str) else classify(pairs, known, guess=guess)
    if isinstance(classified, str):
        reader.skip(
            fld.row,
            fld.name,
            "select_choices_or_calculations",
            classified,
            "give the field the points of one scale as choices (e.g. '1, Not present | 2, "
            "...'), and label any special code as such (e.g. '99, Not applicable'); or add "
            "the item to the draft by hand.",
        )
        return
    if not fld.form:
        reader.skip(fld.row, fld.name, "form_name", "the field has no form.", "name its form.")
        return
    informant = draft.informant_of(fld.form)
    domain = draft.domain_for(fld, section, fld.matrix)
    draft.add_item(fld, informant, domain, classified)
    _flag_extras(reader, fld)


def _clean(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if not k.startswith("_")}


def _assemble(
    reader: DictionaryReader,
    draft: DraftBuilder,
    header: Mapping[str, Any],
    stem: str,
    *,
    key: str | None,
    title: str | None,
    framework: str | None,
) -> dict[str, Any]:
    """The draft instrument as plain data, in the order a person reads it."""
    informants = [_clean(i) for i in draft.informants.values()]
    scales = draft.scales()
    codes = draft.finish_codes(scales)
    items = list(draft.items.values())
    used_domains = {i["domain"] for i in items}
    domains = [_clean(d) for k, d in draft.domains.items() if k in used_domains]
    if any(d.get("_placeholder") for d in draft.domains.values()):
        reader.notes.append(
            "each domain is linked to a principle of the same key as a placeholder: link every "
            "domain to the principles of your framework ('principles:')."
        )
    data: dict[str, Any] = {
        "key": key or header.get("key") or label_key(stem, "instrument"),
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
            "choices are whole numbers."
        )
    return data


def _role_by_name(fld: DictionaryField) -> str | None:
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


def _flag_extras(reader: DictionaryReader, fld: DictionaryField) -> None:
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
            "nothing to do: they only change how REDCap shows or fills the field.",
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


def _layout(mapped: _Mapped, draft: DraftBuilder) -> RecordLayout:
    forms = []
    for form, entry in draft.forms.items():
        own = mapped.roles.get(form, {})
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
    return RecordLayout(
        mapped.record_id,
        tuple(forms),
        draft.record_values(),
        {name: dict(codes) for name, codes in draft.field_codes.items()},
    )
