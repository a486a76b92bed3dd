"""What the three REDCap directions share: the dictionary's columns and where records hold what.

A REDCap project is described by a *data dictionary* (a CSV file with one row per field and the
18 columns of :data:`DICTIONARY_COLUMNS`); its records are exported with one column per field.
:func:`record_layout` says which field of which form holds each item, the interview, the rater
and the date, and what REDCap number stands for each special code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.codebook import code_values, unique_name

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

API_NAMES = (
    # the same columns as the REDCap API names them
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
    """Numeric value in the records → special code, in every field."""
    field_codes: dict[str, dict[int, str]] = field(default_factory=dict)
    """Field name → REDCap number → special code, for fields that number their codes
    themselves (read before :attr:`code_values`)."""

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
    """The REDCap fields of an instrument: as :func:`data_dictionary` names them, or as the
    instrument's questions keep them when it was drafted from a REDCap project.

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
        ``pw_total`` for the scores, ``pw_notes``. A question with a ``redcap`` entry keeps
        its field's name, its form's name and the numbers of its special codes.
    """
    prefixes = _informant_prefixes([i.key for i in instrument.informants])
    kept = {
        question.redcap.field
        for item in instrument.items
        for question in item.informants.values()
        if question.redcap is not None
    }
    # the fields a REDCap project already has keep their names; new ones go around them
    taken = {RECORD_ID, *kept}
    forms = []
    field_codes: dict[str, dict[int, str]] = {}
    for informant in instrument.informants:
        p = prefixes[informant.key]

        def name(key: str, p: str = p) -> str:
            # REDCap keeps '___' for the columns of checkbox fields
            return unique_name(re.sub("_{3,}", "__", f"{p}_{key}".lower()), taken, max_length=100)

        interview, rater, date = name("interview"), name("rater"), name("date")
        asked = instrument.items_for(informant.key)
        items: dict[str, str] = {}
        form_name = ""
        for item in asked:
            redcap = item.informants[informant.key].redcap
            if redcap is None:
                items[name(item.key)] = item.key
                continue
            items[redcap.field] = item.key
            form_name = form_name or redcap.form
            if redcap.codes:
                field_codes[redcap.field] = dict(redcap.codes)
        domains = {
            d.key: name(f"dom_{d.key}")
            for d in instrument.domains
            if any(i.domain == d.key for i in asked)
        }
        forms.append(
            FormFields(
                form=form_name or _form_name(informant.key),
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
    return RecordLayout(RECORD_ID, tuple(forms), {v: c for c, v in values.items()}, field_codes)


def text_lines(text: str) -> list[str]:
    """The lines of a label without HTML: tags removed, entities decoded, blank lines dropped."""
    text = re.sub(r"<\s*br\s*/?>|</p>|</div>|</li>|</h\d>", "\n", text, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return [
        line for line in (re.sub(r"\s+", " ", raw).strip() for raw in text.splitlines()) if line
    ]


def plain_text(text: str) -> str:
    """A label without HTML: tags removed, entities decoded, white space collapsed."""
    return " ".join(text_lines(text))


def decode_text(raw: bytes, source: str, notes: list[str]) -> str:
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
