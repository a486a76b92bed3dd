"""Building a draft instrument from the fields of a data dictionary.

:class:`DraftBuilder` collects informants (one per form), domains (one per section header or
matrix group), items with their questions, special codes and scales. REDCap numbers each
field's choices itself, so special codes are gathered by what their labels mean ("Don't know"
is ``DK`` in every field) and each gets one numeric value outside every scale of the draft;
each question keeps its REDCap field, form and the field's own numbers of its codes, so that
the project's records read to the right codes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peerprinciples.core.interchange.codebook import FIRST_CODE_VALUE
from peerprinciples.core.interchange.keys import slug
from peerprinciples.core.interchange.redcap.choices import (
    GAP_LABEL,
    Choices,
    code_key,
    meaning_key,
)
from peerprinciples.core.interchange.redcap.common import plain_text, text_lines
from peerprinciples.core.interchange.redcap.fields import DictionaryField, DictionaryReader


def label_key(text: str, kind: str) -> str:
    """A key from a REDCap label: its words without HTML, joined by '-'."""
    return slug(plain_text(text), kind, separator="-", keep="", limit=40)


def _field_key(name: str) -> str:
    key = re.sub(r"[^a-z0-9_-]", "_", name.lower())
    return key if key[:1].isalpha() else f"item_{key}"


def _title(text: str, limit: int = 80) -> str:
    """A short title from a section header: its first line or sentence, cut to fit."""
    lines = text_lines(text)
    first = re.split(r"(?<=[.!?:])\s", lines[0], maxsplit=1)[0].rstrip(":") if lines else ""
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _scale_key(low: int, high: int, gaps: tuple[int, ...]) -> str:
    key = f"scale-{low}-{high}" + (f"-without-{'-'.join(map(str, gaps))}" if gaps else "")
    return key.replace("--", "-minus-")


@dataclass(frozen=True)
class _ItemChoices:
    meta_scale: str
    points: dict[int, str]
    item_anchors: bool
    gaps: tuple[int, ...]


class DraftBuilder:
    """Builds the draft instrument from the fields, noting what to check."""

    def __init__(self, reader: DictionaryReader, header: dict[str, Any]) -> None:
        self.reader = reader
        self.header = header
        self.informants: dict[str, dict[str, Any]] = {}
        self.form_informant: dict[str, str] = {}
        self.domains: dict[str, dict[str, Any]] = {}
        self.items: dict[str, dict[str, Any]] = {}
        self.item_choices: dict[str, _ItemChoices] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        """Code key → its entry in the draft."""
        self.code_groups: dict[str, str] = {}
        """What a label means (or the label itself) → code key."""
        self.code_numbers: dict[str, set[int]] = {}
        """Code key → the REDCap numbers it has across fields."""
        self.field_codes: dict[str, dict[int, str]] = {}
        """Field name → REDCap number → code key."""
        self.questions: dict[str, dict[str, Any]] = {}
        """Field name → the question's ``redcap`` entry, for fields not made by peerprinciples."""
        self.forms: dict[str, dict[str, Any]] = {}
        self.declared: dict[int, str] = {}
        """REDCap number → code key, for the codes peerprinciples' annotations declare."""
        meta_codes = header.get("codes") or []
        self.meta_codes = {
            int(c["redcap_value"]): c
            for c in meta_codes
            if isinstance(c, dict) and isinstance(c.get("redcap_value"), int)
        }
        self.meta_by_code = {
            str(c["code"]): c
            for c in self.meta_codes.values()
            if isinstance(c.get("code"), str) and isinstance(c.get("label"), str)
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
        """The informant of a form, added on first sight."""
        if form in self.form_informant:
            return self.form_informant[form]
        meta = self.meta_informants.get(form)
        if meta:
            key = str(meta["key"])
            entry = {k: meta[k] for k in ("key", "title", "description") if meta.get(k)}
        else:
            key = label_key(form, "informant").replace("-", "_")
            entry = {"key": key, "title": form.replace("_", " ").strip().capitalize() or key}
        while key in self.informants and self.informants[key].get("_form") != form:
            key += "_2"
            entry["key"] = key
        self.informants[key] = {**entry, "_form": form}
        self.form_informant[form] = key
        self.forms[form] = {"informant": key, "items": {}}
        return key

    # --- domains ---

    def domain_for(self, fld: DictionaryField, section: str, matrix: str) -> str:
        """The domain of a field: its annotation's, its section's, its matrix group's or its
        form's."""
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
            title, lines = _title(section), text_lines(section)
            description = " ".join(lines[1:] if lines and lines[0] == title else lines)
        elif matrix:
            title, description = matrix.replace("_", " ").strip().capitalize(), ""
        else:
            title, description = f"{self.informants[self.form_informant[fld.form]]['title']}", ""
        key = label_key(title, "domain")
        if key not in self.domains:
            self.domains[key] = {
                "key": key,
                "title": title or key,
                **({"description": description} if description else {}),
                "principles": [key],
                "_placeholder": True,
            }
        return key

    # --- items ---

    def add_item(self, fld: DictionaryField, informant: str, domain: str, choices: Choices) -> None:
        """Add the field as an item (or as another informant's question of an item)."""
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
                and self.item_choices[key].points.keys() == choices.points.keys()
            )
            if "item" not in meta:
                self.reader.skip(
                    fld.row,
                    fld.name,
                    "field_name",
                    f"the field's name gives the item key '{key}', which an earlier field's "
                    "name gives too.",
                    "rename one of the two fields, or add this item to the draft by hand.",
                )
                return
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
            self.items[key] = {
                "key": key,
                "domain": domain,
                "scale": "",
                "reverse": bool(meta.get("reverse", False)),
                "required": fld.required,
                "informants": {informant: question},
            }
            self.item_choices[key] = _ItemChoices(
                str(meta.get("scale") or ""),
                choices.points,
                bool(meta.get("anchors")),
                choices.gaps,
            )
        self.forms[fld.form]["items"][fld.name] = key
        if "item" not in meta:
            # a field from elsewhere keeps its name and form, for reading the records
            question["redcap"] = {"field": fld.name, "form": fld.form}
            self.questions[fld.name] = question["redcap"]
        elif isinstance(meta.get("redcap"), dict):
            # a drafted question written back to REDCap: its project's numbers come back
            question["redcap"] = {"field": fld.name, "form": fld.form}
            codes = kept_codes(meta)
            if codes:
                question["redcap"]["codes"] = codes
                self.field_codes[fld.name] = dict(codes)
        if choices.gaps:
            self._note_gaps(fld, choices)
        kept = kept_codes(meta)
        for value, label in choices.codes.items():
            if value in kept and kept[value] in self.meta_by_code:
                self._add_declared_code(self.meta_by_code[kept[value]])
            else:
                self.add_code(value, label, fld)

    def _note_gaps(self, fld: DictionaryField, choices: Choices) -> None:
        points = [p for p in choices.points if p not in choices.gaps]
        gaps = ", ".join(map(str, choices.gaps))
        self.reader.notes.append(
            f"row {fld.row}, field '{fld.name}': the choices {', '.join(map(str, points))} "
            f"skip {gaps}, so the item's scale runs from {points[0]} to {points[-1]} with {gaps} "
            f"labelled '{GAP_LABEL}' and REDCap's numbers kept as the scores; if a choice "
            "beyond the gap is no point of the scale, make it a special code in the draft."
        )

    # --- special codes ---

    def add_code(self, value: int, label: str, fld: DictionaryField) -> None:
        """Add a field's special code: declared in the annotations, or by its label's meaning."""
        meta = self.meta_codes.get(value, {})
        if isinstance(meta.get("code"), str) and isinstance(meta.get("label"), str):
            self._add_declared_code(meta)
            return
        group = meaning_key(label) or plain_text(label).casefold()
        own = self.field_codes.setdefault(fld.name, {})
        key = self.code_groups.get(group)
        if key is None or key in own.values():
            key = code_key(label, self.codes)
            self.code_groups.setdefault(group, key)
            self.codes[key] = {"code": key, "label": label or key, "missing": True}
        elif plain_text(str(self.codes[key]["label"])).casefold() != label.casefold():
            self.reader.notes.append(
                f"row {fld.row}, field '{fld.name}': the choice {value} '{label}' is read as the "
                f"special code {key} ('{self.codes[key]['label']}'); if it means something else, "
                "give it a code of its own in the draft."
            )
        own[value] = key
        self.code_numbers.setdefault(key, set()).add(value)

    def _add_declared_code(self, meta: Mapping[str, Any]) -> None:
        key = str(meta["code"])
        if key not in self.codes:
            self.codes[key] = {
                k: meta[k]
                for k in ("code", "label", "description", "missing", "value")
                if meta.get(k) is not None and meta.get(k) != ""
            }
        self.declared[int(meta["redcap_value"])] = key

    def record_values(self) -> dict[int, str]:
        """The number in the records → special code, in every field."""
        values = {int(c["value"]): str(c["code"]) for c in self.codes.values() if "value" in c}
        return {**values, **self.declared}

    def finish_codes(self, scales: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Give every special code a value outside every scale, and each question the REDCap
        numbers of its field's codes.

        A code keeps REDCap's number as its value when every field gives it that number and
        no scale has it as a point; otherwise it takes the next free of −8, −9, −10...
        """
        points = {p for s in scales for p in range(int(s["min"]), int(s["max"]) + 1)}
        used = {int(c["value"]) for c in self.codes.values() if isinstance(c.get("value"), int)}
        candidate = FIRST_CODE_VALUE
        for key, entry in self.codes.items():
            if isinstance(entry.get("value"), int) or key in self.declared.values():
                continue
            numbers = self.code_numbers.get(key, set())
            only = next(iter(numbers)) if len(numbers) == 1 else None
            if only is not None and only not in points and only not in used:
                entry["value"] = only
            else:
                while candidate in used or candidate in points:
                    candidate -= 1
                entry["value"] = candidate
            used.add(int(entry["value"]))
        for name, codes in self.field_codes.items():
            if name in self.questions and codes:
                self.questions[name]["codes"] = dict(sorted(codes.items()))
        return list(self.codes.values())

    # --- scales ---

    def scales(self) -> list[dict[str, Any]]:
        """Scales from the annotations, or one per run of points (most common labels)."""
        scales: dict[str, dict[str, Any]] = {}
        by_run: dict[tuple[int, int, tuple[int, ...]], Counter[tuple[str, ...]]] = {}
        for choices in self.item_choices.values():
            meta = _meta_scale(self.meta_scales.get(choices.meta_scale), choices.points)
            if meta:
                scales.setdefault(choices.meta_scale, meta)
                continue
            labels = tuple(choices.points.values())
            run = (min(choices.points), max(choices.points), choices.gaps)
            by_run.setdefault(run, Counter())[labels] += 1
        for (low, high, gaps), counts in by_run.items():
            labels = counts.most_common(1)[0][0]
            gap_text = f" (REDCap skips {', '.join(map(str, gaps))})" if gaps else ""
            key = _scale_key(low, high, gaps)
            scales[key] = {
                "key": key,
                "title": f"Scale from {low} to {high}{gap_text}",
                "min": low,
                "max": high,
                "anchors": dict(zip(range(low, high + 1), labels, strict=True)),
            }
        for key, choices in self.item_choices.items():
            points = choices.points
            chosen = scales.get(choices.meta_scale)
            if chosen is None or (chosen["min"], chosen["max"]) != (min(points), max(points)):
                chosen = scales[_scale_key(min(points), max(points), choices.gaps)]
            self.items[key]["scale"] = chosen["key"]
            anchors = {int(p): str(t) for p, t in chosen["anchors"].items()}
            if choices.item_anchors or points != anchors:
                self.items[key]["anchors"] = dict(sorted(points.items()))
        return list(scales.values())


def kept_codes(meta: Mapping[str, Any]) -> dict[int, str]:
    """The REDCap numbers of special codes an annotation keeps for its field (JSON writes the
    numbers as text)."""
    redcap = meta.get("redcap")
    codes = redcap.get("codes") if isinstance(redcap, dict) else None
    if not isinstance(codes, dict):
        return {}
    return {
        int(number): str(code)
        for number, code in codes.items()
        if re.fullmatch(r"-?\d+", str(number)) and isinstance(code, str)
    }


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
