"""Writing an instrument as a REDCap data dictionary.

:func:`data_dictionary` makes one form per informant, a ``record_id`` field first, radio fields
whose choices are the scale's points (labelled with the item's anchors) and the special codes
(with their numeric values), a section header per domain, a calculated field per domain score
and for the total, and the prompts as field notes.

REDCap shows a field's *annotation* to project designers only. The dictionary keeps there what
REDCap has no column for, as ``peerprinciples:`` followed by JSON: on ``record_id`` the
instrument's header, informants, scales, codes, domains and scoring rules; on each item field
its item key, informant, domain, scale and keying. Reading the dictionary back
(:func:`~peerprinciples.core.interchange.redcap.draft.read_data_dictionary`) restores the
instrument from the visible fields and these annotations.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from peerprinciples.core.instruments import Instrument, Item, RedcapField
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.interchange.codebook import code_values
from peerprinciples.core.interchange.redcap.choices import GAP_LABEL
from peerprinciples.core.interchange.redcap.common import (
    DICTIONARY_COLUMNS,
    METADATA_TAG,
    RECORD_ID,
    FormFields,
    RecordLayout,
    record_layout,
)

EPSILON = "0.000001"
"""Subtracted in the calculated fields' share test, so that e.g. 3 >= 0.6 × 5 holds."""


def _meta(data: Mapping[str, Any]) -> str:
    return METADATA_TAG + " " + json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _choice_text(text: str) -> str:
    """A label REDCap can hold in a choice list: no '|' (it separates choices), one line."""
    return re.sub(r"\s+", " ", text.replace("|", "/")).strip()


def _valid(field_name: str, low: int, high: int) -> str:
    return f'([{field_name}] <> "" and [{field_name}] >= {low} and [{field_name}] <= {high})'


def _answered(f: _ItemField) -> str:
    tests = [_valid(f.name, f.low, f.high)]
    tests += [f'[{f.name}] = "{value}"' for value in f.answered_codes]
    return tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"


def _sum_of(terms: Sequence[str]) -> str:
    return f"sum({', '.join(terms)})"


@dataclass(frozen=True)
class _ItemField:
    name: str
    item: Item
    low: int
    high: int
    answered_codes: tuple[int, ...]
    """The field's numbers of the special codes that count as answered."""


def _domain_expression(fields: Sequence[_ItemField], min_rated: float) -> str:
    """A REDCap calculation of a domain score that follows peerprinciples' scoring rule.

    REDCap uses a radio field's code as its value, so a special code such as −8 would enter a
    plain ``mean()``. Each item therefore becomes ``if(<a point of the scale>, <its score>,
    "")``: REDCap's ``mean()`` and ``sum()`` skip blank values. The domain score is given when
    the items answered are at least ``min_rated`` of those expected (required items, plus
    optional items answered), as in :func:`peerprinciples.core.scoring.score`.
    """
    answered = [f"if({_answered(f)}, 1, 0)" for f in fields]
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
) -> str:
    rule = instrument.scoring.total
    if rule.method == "mean_of_domains":
        expected = []
        for fields in domain_fields.values():
            if any(f.item.required for f in fields):
                expected.append("1")
            else:
                answered = [f"if({_answered(f)}, 1, 0)" for f in fields]
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
    return _domain_expression(every, rule.min_rated)


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
        :func:`record_layout` for the field names and the module notes for the content. A
        question drafted from a REDCap project keeps its field's name, form and numbers of
        special codes, so the dictionary fits that project again; a point whose anchor is
        :data:`~peerprinciples.core.interchange.redcap.choices.GAP_LABEL` is not offered.
    """
    layout = record_layout(instrument)
    rows = _Rows(instrument)
    rows.add(
        RECORD_ID,
        layout.forms[0].form,
        "text",
        "Record ID: the peer worker's pseudonymous code",
        annotation=_meta({"role": "record", "instrument": _header(instrument, layout)}),
    )
    for form in layout.forms:
        rows.form(form)
    return pd.DataFrame(rows.rows, columns=list(DICTIONARY_COLUMNS))


def _header(instrument: Instrument, layout: RecordLayout) -> dict[str, Any]:
    """What the record id's annotation keeps: the instrument without its items."""
    values = code_values(instrument)
    header = instrument.model_dump(mode="json", exclude={"items"})
    header["informants"] = [
        {**i.model_dump(mode="json"), "form": f.form}
        for i, f in zip(instrument.informants, layout.forms, strict=True)
    ]
    header["codes"] = [
        {**c.model_dump(mode="json"), "redcap_value": values[c.code]} for c in instrument.codes
    ]
    return header


_SCORE_NOTE = "Calculated by REDCap; peerprinciples computes scores itself on import."


class _Rows:
    """The dictionary's rows, added form by form."""

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.values = code_values(instrument)
        self.rows: list[dict[str, str]] = []

    def add(self, name: str, form: str, kind: str, label: str, **columns: str) -> None:
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
        self.rows.append(row)

    def form(self, form: FormFields) -> None:
        """One informant's form: interview, rater and date, the items by domain with their
        scores, the total and the notes."""
        informant = self.instrument.informant(form.informant)
        role = {"informant": informant.key}
        # record_layout names every one of these fields
        self.add(
            form.interview or "",
            form.form,
            "text",
            "Interview id (the same for every rater of this interview)",
            section=f"Interview with: {informant.title}",
            required="y",
            annotation=_meta({**role, "role": "interview"}),
        )
        self.add(
            form.rater or "",
            form.form,
            "text",
            "Rater (a pseudonymous code; 'consensus' for the agreed ratings)",
            required="y",
            annotation=_meta({**role, "role": "rater"}),
        )
        self.add(
            form.date or "",
            form.form,
            "text",
            "Date of the interview",
            validation="date_ymd",
            annotation=_meta({**role, "role": "date"}),
        )
        domain_fields = {
            domain_key: self.domain(form, domain_key, score_field)
            for domain_key, score_field in form.domain_scores.items()
        }
        self.add(
            form.total or "",
            form.form,
            "calc",
            "Total score",
            choices=_total_expression(self.instrument, domain_fields, form.domain_scores),
            note=_SCORE_NOTE,
            annotation=_meta({**role, "role": "total"}),
        )
        self.add(
            form.notes or "",
            form.form,
            "notes",
            "Rater's notes",
            section="Notes",
            annotation=_meta({**role, "role": "notes"}),
        )

    def domain(self, form: FormFields, domain_key: str, score_field: str) -> list[_ItemField]:
        """A domain's item fields on a form, and its calculated score."""
        domain = self.instrument.domain(domain_key)
        items = [i for i in self.instrument.items_for(form.informant) if i.domain == domain_key]
        by_item = {key: name for name, key in form.items.items()}
        fields = [
            self.item(form, item, by_item[item.key], domain.title if position == 0 else "")
            for position, item in enumerate(items)
        ]
        self.add(
            score_field,
            form.form,
            "calc",
            f"Domain score: {domain.title}",
            choices=_domain_expression(fields, self.instrument.scoring.domain.min_rated),
            note=_SCORE_NOTE,
            annotation=_meta({"informant": form.informant, "role": "score", "domain": domain_key}),
        )
        return fields

    def item(self, form: FormFields, item: Item, name: str, section: str) -> _ItemField:
        """An item's radio field: the scale's points, then the special codes."""
        instrument = self.instrument
        scale = instrument.scale(item.scale)
        question = item.informants[form.informant]
        numbers = self.code_numbers(question.redcap)
        choices = [
            f"{p}, {_choice_text(instrument.anchor(item, p))}"
            for p in scale.points
            if instrument.anchor(item, p) != GAP_LABEL
        ]
        choices += [
            f"{numbers[c.code]}, {_choice_text(c.label)}"
            for c in instrument.codes
            if c.code in numbers
        ]
        meta: dict[str, Any] = {
            "informant": form.informant,
            "item": item.key,
            "domain": item.domain,
            "scale": scale.key,
            "reverse": item.reverse,
            "anchors": item.anchors is not None,
        }
        if question.redcap is not None:
            meta["redcap"] = question.redcap.model_dump(mode="json")
        self.add(
            name,
            form.form,
            "radio",
            question.question,
            section=section,
            choices=" | ".join(choices),
            note="\n".join(question.prompts),
            required="y" if item.required else "",
            annotation=_meta(meta),
        )
        answered = tuple(numbers[c.code] for c in instrument.codes if not c.missing)
        return _ItemField(name, item, scale.min, scale.max, answered)

    def code_numbers(self, redcap: RedcapField | None) -> dict[str, int]:
        """Special code → its number in a field: the REDCap project's own where the question
        keeps one, else the code's value (unless the field uses that number already)."""
        own = {code: number for number, code in (redcap.codes if redcap else {}).items()}
        taken = set(own.values())
        numbers = dict(own)
        for code, value in self.values.items():
            if code not in numbers and value not in taken:
                numbers[code] = value
        return numbers


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
