"""An instrument written as a FHIR R4 Questionnaire.

The export is plain JSON (dicts and lists), so the core needs no FHIR library; the tests
check every export against the FHIR models of ``fhir.resources``. The mapping, in short
(``docs/fhir-xlsform.md`` gives it in full):

* one Questionnaire per instrument version: ``url`` is stable across versions, ``version``
  is the instrument's version, and a response names both as ``url|version``;
* a group ``_meta`` asks for the interview details (``_meta.interview``, ``_meta.informant``,
  ``_meta.rater``, ``_meta.service``, ``_meta.peer_worker``, ``_meta.round``,
  ``_meta.date``), named like the columns of the ratings table;
* one group per informant (``linkId`` = the informant key), shown only when that informant is
  chosen in ``_meta.informant``; inside it one group per domain (``{informant}:{domain}``),
  coded with the domain's principles; inside that one ``choice`` question per item asked of
  the informant (``{informant}.{item}``), with the item's prompts as an instructions display
  item (``{informant}.{item}:prompts``);
* the answer options are the scale's points, coded ``"1"``, ``"2"``... in a code system per
  scale, with the anchor as display and the ``itemWeight`` extension carrying the *score*
  (reversed for reverse-keyed items), followed by the special codes without a weight;
* translations go on ``_text``, ``_title`` and ``_display`` with the standard translation
  extension.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument, Item
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.interchange.fhir.common import (
    DISPLAY_CATEGORY_SYSTEM,
    DISPLAY_CATEGORY_URL,
    FHIR_BASE,
    ITEM_WEIGHT_URL,
    META_FIELDS,
    META_GROUP,
    TRANSLATION_URL,
    FhirNames,
    domain_link_id,
    item_link_id,
    meta_link_id,
)
from peerprinciples.core.models import parse_reference


class _Translations:
    """Translated texts by language, looked up by text id (see ``models.text_ids``)."""

    def __init__(self, instrument: Instrument) -> None:
        self.tables = {
            language: table
            for language, table in sorted(instrument.translations.items())
            if language != instrument.language
        }

    def lookup(self, text_ids: Sequence[str], joiner: str = "\n") -> list[tuple[str, str]]:
        """(language, text) for each language that translates every one of ``text_ids``."""
        found = []
        for language, table in self.tables.items():
            parts = [table.get(text_id) for text_id in text_ids]
            if parts and all(parts):
                found.append((language, joiner.join(str(p) for p in parts)))
        return found

    def field(
        self, name: str, text: str, text_ids: str | Sequence[str], joiner: str = "\n"
    ) -> dict[str, Any]:
        """``{name: text}`` plus ``_name`` with a translation extension per language."""
        ids = [text_ids] if isinstance(text_ids, str) else list(text_ids)
        result: dict[str, Any] = {name: text}
        extensions = [
            {
                "url": TRANSLATION_URL,
                "extension": [
                    {"url": "lang", "valueCode": language},
                    {"url": "content", "valueString": content},
                ],
            }
            for language, content in self.lookup(ids, joiner)
        ]
        if extensions:
            result[f"_{name}"] = {"extension": extensions}
        return result


def _fhir_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]", "-", text)[:64]


def _computable_name(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", key) if part)


def questionnaire(
    instrument: Instrument, *, framework: Framework | None = None, base_url: str = FHIR_BASE
) -> dict[str, Any]:
    """The instrument as a FHIR R4 Questionnaire resource (JSON-ready dicts and lists).

    Parameters
    ----------
    instrument
        The instrument to export.
    framework
        The framework the instrument is pinned to; when given, the principle codes on the
        domain groups carry the principles' titles.
    base_url
        The base of the canonical URL and code systems (default :data:`FHIR_BASE`). Keep it
        the same for every version, or responses stop matching.

    Returns
    -------
    dict
        The Questionnaire, with ``status: draft``; serialise it with :func:`json.dumps`.

    Notes
    -----
    The ``itemWeight`` of an answer option is the item *score* the point gives, so a tool that
    adds weights gets the same item scores as peerprinciples: for a reverse-keyed item on a
    1-5 scale the option coded ``"5"`` weighs 1. The code stays the point as rated, which is
    what :func:`read_questionnaire_responses` reads back.
    """
    names = FhirNames(instrument.key, base_url.rstrip("/"))
    texts = _Translations(instrument)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": _fhir_id(f"{instrument.key}-{instrument.version}"),
        "url": names.questionnaire,
        "version": instrument.version,
        "name": _computable_name(instrument.key),
        **texts.field("title", instrument.title, "title"),
        "status": "draft",
        "language": instrument.language,
    }
    description = "\n\n".join(t for t in (instrument.description, instrument.notice) if t)
    if description:
        resource["description"] = description
    groups = [_meta_group(instrument, names, texts)]
    for informant in instrument.informants:
        if instrument.items_for(informant.key):
            groups.append(_informant_group(instrument, informant.key, names, texts, framework))
    resource["item"] = groups
    return resource


def _meta_group(instrument: Instrument, names: FhirNames, texts: _Translations) -> dict[str, Any]:
    items = []
    for name, (kind, text, required) in META_FIELDS.items():
        item: dict[str, Any] = {
            "linkId": meta_link_id(name),
            "text": text,
            "type": kind,
            "required": required,
        }
        if name == "informant":
            item["answerOption"] = [
                {
                    "valueCoding": {
                        "system": names.informants_system,
                        "code": informant.key,
                        **texts.field(
                            "display", informant.title, f"informants.{informant.key}.title"
                        ),
                    }
                }
                for informant in instrument.informants
            ]
        items.append(item)
    return {"linkId": META_GROUP, "text": "Interview details", "type": "group", "item": items}


def _informant_group(
    instrument: Instrument,
    informant: str,
    names: FhirNames,
    texts: _Translations,
    framework: Framework | None,
) -> dict[str, Any]:
    title = instrument.informant(informant).title
    domains = []
    for domain in instrument.domains:
        items = [i for i in instrument.items_in(domain.key) if informant in i.informants]
        if not items:
            continue
        domains.append(
            {
                "linkId": domain_link_id(informant, domain.key),
                "code": [
                    _principle_coding(instrument, key, names, framework)
                    for key in domain.principles
                ],
                **texts.field("text", domain.title, f"domains.{domain.key}.title"),
                "type": "group",
                "item": [_question(instrument, item, informant, names, texts) for item in items],
            }
        )
    return {
        "linkId": informant,
        **texts.field("text", title, f"informants.{informant}.title"),
        "type": "group",
        "enableWhen": [
            {
                "question": meta_link_id("informant"),
                "operator": "=",
                "answerCoding": {"system": names.informants_system, "code": informant},
            }
        ],
        "item": domains,
    }


def _principle_coding(
    instrument: Instrument, key: str, names: FhirNames, framework: Framework | None
) -> dict[str, Any]:
    framework_key, version = parse_reference(instrument.framework)
    coding: dict[str, Any] = {"system": names.principles_system(framework_key)}
    if version:
        coding["version"] = version
    coding["code"] = key
    if framework is not None:
        title = next((p.title for p in framework.principles if p.key == key), None)
        if title:
            coding["display"] = title
    return coding


def _question(
    instrument: Instrument, item: Item, informant: str, names: FhirNames, texts: _Translations
) -> dict[str, Any]:
    asked = item.informants[informant]
    prefix = f"items.{item.key}.informants.{informant}"
    question: dict[str, Any] = {
        "linkId": item_link_id(informant, item.key),
        "code": [{"system": names.items_system, "code": item.key}],
        **texts.field("text", asked.question, f"{prefix}.question"),
        "type": "choice",
        "required": item.required,
        "repeats": False,
        "answerOption": _answer_options(instrument, item, names, texts),
    }
    if asked.prompts:
        question["item"] = [
            {
                "extension": [
                    {
                        "url": DISPLAY_CATEGORY_URL,
                        "valueCodeableConcept": {
                            "coding": [{"system": DISPLAY_CATEGORY_SYSTEM, "code": "instructions"}]
                        },
                    }
                ],
                "linkId": f"{item_link_id(informant, item.key)}:prompts",
                **texts.field(
                    "text",
                    "\n".join(asked.prompts),
                    [f"{prefix}.prompts.{i}" for i in range(len(asked.prompts))],
                ),
                "type": "display",
            }
        ]
    return question


def _answer_options(
    instrument: Instrument, item: Item, names: FhirNames, texts: _Translations
) -> list[dict[str, Any]]:
    scale = instrument.scale(item.scale)
    options: list[dict[str, Any]] = []
    for point in scale.points:
        own = item.anchors is not None and point in item.anchors
        text_id = (
            f"items.{item.key}.anchors.{point}" if own else f"scales.{scale.key}.anchors.{point}"
        )
        score = scale.min + scale.max - point if item.reverse else point
        options.append(
            {
                "extension": [{"url": ITEM_WEIGHT_URL, "valueDecimal": score}],
                "valueCoding": {
                    "system": names.scale_system(scale.key),
                    "code": str(point),
                    **texts.field("display", instrument.anchor(item, point), text_id),
                },
            }
        )
    for index, code in enumerate(instrument.codes):
        options.append(
            {
                "valueCoding": {
                    "system": names.codes_system,
                    "code": code.code,
                    **texts.field("display", code.label, f"codes.{index}.label"),
                }
            }
        )
    return options


def write_questionnaire(
    instrument: Instrument,
    path: Path | str,
    *,
    framework: Framework | None = None,
    base_url: str = FHIR_BASE,
) -> Path:
    """Write :func:`questionnaire` as JSON to ``path`` (all or nothing) and return the path."""
    resource = questionnaire(instrument, framework=framework, base_url=base_url)
    text = json.dumps(resource, indent=2, ensure_ascii=False) + "\n"
    return atomic_write(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
