"""Any XLSForm drafted as an instrument, listing what cannot be carried over.

:func:`read_xlsform_instrument` turns a form into an instrument draft as far as it goes: a
``select_one`` whose choices are whole numbers becomes an item, its group a domain; every
other row is listed with its sheet and row and why it could not be carried over. A form made
by :func:`~peerprinciples.core.interchange.xlsform.write_xlsform` gives back its informants
too. ``docs/fhir-xlsform.md`` gives the mapping in full.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peerprinciples.core.documents import DocumentError
from peerprinciples.core.interchange import InstrumentDraft
from peerprinciples.core.interchange.keys import slug
from peerprinciples.core.interchange.xlsform.common import (
    CODE_PATTERN,
    DRAFT_FRAMEWORK,
    DRAFT_INFORMANT,
    INFORMANT_GROUP_SUFFIX,
    INTEGER_PATTERN,
    META_QUESTIONS,
)
from peerprinciples.core.interchange.xlsform.form import (
    Form,
    Row,
    SheetProblem,
    language_of,
    read_form,
)


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

    def __init__(self, form: Form, framework: str) -> None:
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
                code, language = language_of(column)
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

    def text(self, row: Row, column: str, language: str) -> str:
        suffix = self.languages.get(language, "")
        return row.get(f"{column}::{suffix}" if suffix else column)

    def texts(self, row: Row, column: str) -> dict[str, str]:
        """language -> text of a label or hint column; the default language falls back."""
        result = {lang: self.text(row, column, lang) for lang in self.languages}
        if not result.get(self.default):
            result[self.default] = next((t for t in result.values() if t), "")
        return {lang: text for lang, text in result.items() if text}

    def _choice_lists(self) -> dict[str, list[Row]]:
        lists: dict[str, list[Row]] = {}
        for row in self.form.sheets.get("choices", []):
            name = row.get("list_name")
            if name:
                lists.setdefault(name, []).append(row)
        return lists

    def scale_for(self, list_name: str, row: Row) -> str | None:
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
            if INTEGER_PATTERN.match(name) and str(int(name)) == name:
                points[int(name)] = self.texts(choice, "label") or {self.default: name}
            elif CODE_PATTERN.match(name):
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
        key = slug(list_name.removeprefix(own_prefix), "scale")
        while key in {s.key for s in self.scales.values()}:
            key += "_2"
        self.scales[list_name] = _Scale(key, dict(sorted(points.items())), codes)
        for code, labels in codes.items():
            self.codes.setdefault(code, labels)
        return key

    # --- the survey ------------------------------------------------------------------------

    def skip(self, row: Row, column: str, message: str, fix: str = "") -> None:
        self.unmapped.append(
            SheetProblem(self.form.source, ("survey", column), message, fix, row.number)
        )

    def read_survey(self) -> None:
        stack: list[tuple[str, str, Row]] = []  # (kind, name, row)
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
        self, row: Row, kind: str, stack: Sequence[tuple[str, str, Row]], own_form: bool
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
        self, row: Row, scale: str, stack: Sequence[tuple[str, str, Row]], own_form: bool
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
            domain = slug(group_name, "domain")
            self.domains.setdefault(
                domain, self.texts(group_row, "label") or {self.default: group_name}
            )
        else:
            domain = "ungrouped"
            self.domains.setdefault(domain, {self.default: "Items outside any group"})
        key = slug(row.get("name"), "item")
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

    def _required(self, row: Row) -> bool:
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
        setting = settings[0] if settings else Row(0, {})
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
            "key": slug(setting.get("form_id") or path.stem, "form").replace("_", "-"),
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
    form = read_form(path)
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
