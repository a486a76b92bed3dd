"""FHIR R4: an instrument as a Questionnaire, and QuestionnaireResponses read as ratings.

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

linkIds are built from keys only, so a response keeps its meaning across instrument versions
that keep the keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import pandas as pd

from peerprinciples.core.documents import Problem
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument, Item
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.models import parse_reference
from peerprinciples.core.ratings import RatingProblem, RatingsError, read_ratings

FHIR_BASE = "https://w3id.org/peerprinciples/fhir"
"""The default base of every canonical URL and code system this module writes."""

ITEM_WEIGHT_URL = "http://hl7.org/fhir/StructureDefinition/itemWeight"
TRANSLATION_URL = "http://hl7.org/fhir/StructureDefinition/translation"
DISPLAY_CATEGORY_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-displayCategory"
DISPLAY_CATEGORY_SYSTEM = "http://hl7.org/fhir/questionnaire-display-category"

META_GROUP = "_meta"
"""linkId of the interview details group (a leading '_' cannot clash with a key)."""

META_FIELDS: dict[str, tuple[str, str, bool]] = {
    "interview": ("string", "Interview id", True),
    "informant": ("choice", "Who was interviewed", True),
    "rater": ("string", "Rater", True),
    "service": ("string", "Service", False),
    "peer_worker": ("string", "Peer worker code", False),
    "round": ("string", "Round of evaluation", False),
    "date": ("date", "Date of the interview", False),
}
"""The interview details: ratings column -> (FHIR item type, text, required)."""

ACCEPTED_STATUSES = ("completed", "amended")
SKIPPED_STATUSES = ("entered-in-error",)
DOCS = "docs/fhir-xlsform.md"


# --- names -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FhirNames:
    """The canonical URLs and code systems of one instrument, stable across its versions.

    Parameters
    ----------
    key
        The instrument key.
    base
        The base URL all names start with (default :data:`FHIR_BASE`).
    """

    key: str
    base: str = FHIR_BASE

    @property
    def questionnaire(self) -> str:
        """The Questionnaire's canonical URL (without version)."""
        return f"{self.base}/Questionnaire/{self.key}"

    def scale_system(self, scale: str) -> str:
        """The code system of a scale's points."""
        return f"{self.base}/CodeSystem/{self.key}-scale-{scale}"

    @property
    def codes_system(self) -> str:
        """The code system of the special codes (NA, II, ...)."""
        return f"{self.base}/CodeSystem/{self.key}-codes"

    @property
    def informants_system(self) -> str:
        """The code system of the informants."""
        return f"{self.base}/CodeSystem/{self.key}-informants"

    @property
    def items_system(self) -> str:
        """The code system naming the items by key."""
        return f"{self.base}/CodeSystem/{self.key}-items"

    def principles_system(self, framework_key: str) -> str:
        """The code system of a framework's principles."""
        return f"{self.base}/CodeSystem/{framework_key}-principles"


def item_link_id(informant: str, item: str) -> str:
    """The linkId of an item asked of an informant: ``{informant}.{item}``."""
    return f"{informant}.{item}"


def domain_link_id(informant: str, domain: str) -> str:
    """The linkId of a domain group inside an informant's group: ``{informant}:{domain}``."""
    return f"{informant}:{domain}"


def meta_link_id(name: str) -> str:
    """The linkId of an interview detail, e.g. ``_meta.interview``."""
    return f"{META_GROUP}.{name}"


# --- export ------------------------------------------------------------------------------------


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


# --- import ------------------------------------------------------------------------------------


class ResponseProblem(Problem):
    """A problem in a QuestionnaireResponse, located by the response and the linkId.

    ``line`` holds the response's position in the file (1 for the first), so problems sort
    by response; ``path`` holds the response's label and the linkId.
    """

    @property
    def response(self) -> str | None:
        """How the response is named in messages, e.g. ``response 3 (id 'qr-17')``."""
        return str(self.path[0]) if self.path else None

    @property
    def link_id(self) -> str | None:
        """The linkId the problem is about, or ``None`` for the whole response."""
        return str(self.path[1]) if len(self.path) > 1 and self.path[1] else None

    def __str__(self) -> str:
        place = self.source
        if self.response:
            place += f", {self.response}"
        if self.link_id:
            place += f", linkId '{self.link_id}'"
        text = f"{place}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


@dataclass(frozen=True)
class _Question:
    """What a linkId of the Questionnaire stands for."""

    kind: str  # "meta", "item", "group" or "display"
    informant: str | None = None
    item: str | None = None
    meta: str | None = None
    required: bool = False
    options: Mapping[str, str] = field(default_factory=dict)  # code -> its system


def _questions(instrument: Instrument, names: FhirNames) -> dict[str, _Question]:
    questions: dict[str, _Question] = {META_GROUP: _Question("group")}
    for name in META_FIELDS:
        options = (
            {informant.key: names.informants_system for informant in instrument.informants}
            if name == "informant"
            else {}
        )
        questions[meta_link_id(name)] = _Question("meta", meta=name, options=options)
    for informant in instrument.informants:
        questions[informant.key] = _Question("group", informant=informant.key)
        for domain in instrument.domains:
            questions[domain_link_id(informant.key, domain.key)] = _Question(
                "group", informant=informant.key
            )
        for item in instrument.items_for(informant.key):
            scale = instrument.scale(item.scale)
            options = {str(p): names.scale_system(scale.key) for p in scale.points}
            options |= {code.code: names.codes_system for code in instrument.codes}
            link_id = item_link_id(informant.key, item.key)
            questions[link_id] = _Question(
                "item", informant.key, item.key, required=item.required, options=options
            )
            questions[f"{link_id}:prompts"] = _Question("display", informant=informant.key)
    return questions


@dataclass
class _Response:
    """One response being read: where it is, its problems and what it answered."""

    source: str
    number: int
    label: str
    problems: list[Problem] = field(default_factory=list)
    items: dict[str, str] = field(default_factory=dict)  # item linkId -> code
    meta: dict[str, str] = field(default_factory=dict)

    def problem(self, link_id: str | None, message: str, fix: str) -> None:
        self.problems.append(
            ResponseProblem(self.source, (self.label, link_id or ""), message, fix, self.number)
        )


@dataclass(frozen=True)
class _Origin:
    """Where a rating row came from."""

    number: int
    label: str
    link_id: str


def read_questionnaire_responses(
    source: Path | str | Mapping[str, Any] | Sequence[Mapping[str, Any]],
    instrument: Instrument,
    *,
    base_url: str = FHIR_BASE,
    name: str = "responses",
) -> pd.DataFrame:
    """Read FHIR QuestionnaireResponses into the long ratings table, checked.

    Parameters
    ----------
    source
        A JSON file (a Bundle, one QuestionnaireResponse or a JSON array of them) or an NDJSON
        file of responses, or the parsed JSON itself.
    instrument
        The instrument whose Questionnaire (from :func:`questionnaire`) was answered.
    base_url
        The base URL the Questionnaire was exported with.
    name
        How to name parsed JSON in problems.

    Returns
    -------
    pandas.DataFrame
        The long layout of ``docs/ratings-format.md``: ``interview``, ``informant``, ``item``,
        ``rating`` (the point or special code), ``rater`` and those of ``service``,
        ``peer_worker``, ``round`` and ``date`` that any response gives. It has passed
        :func:`~peerprinciples.core.ratings.read_ratings`.

    Raises
    ------
    RatingsError
        With every problem found, each naming the response and the linkId: an unknown
        linkId, an answer not among the options, an answer of the wrong type, a missing
        required item, a response to another questionnaire or version, missing interview
        details, and the problems :func:`read_ratings` finds in the ratings.

    Notes
    -----
    Bundle entries that are not QuestionnaireResponses, and responses with the status
    ``entered-in-error``, are skipped. Only ``completed`` and ``amended`` responses are read.
    """
    label = str(source) if isinstance(source, str | Path) else name
    names = FhirNames(instrument.key, base_url.rstrip("/"))
    resources, problems = _resources(source, label)
    questions = _questions(instrument, names)
    rows: list[dict[str, str]] = []
    origins: list[_Origin] = []
    for number, (where, resource) in enumerate(resources, start=1):
        ident = resource.get("id")
        response = _Response(
            label,
            number,
            f"{where} (id '{ident}')" if isinstance(ident, str) and ident else where,
        )
        if not _read_response(resource, response, instrument, names, questions):
            continue
        problems += response.problems
        if response.problems:
            continue
        for link_id, code in response.items.items():
            rows.append({**response.meta, "item": str(questions[link_id].item), "rating": code})
            origins.append(_Origin(number, response.label, link_id))
    if problems:
        raise RatingsError(problems)
    if not rows:
        raise RatingsError(
            [
                ResponseProblem(
                    label,
                    (),
                    f"no ratings were found ({len(resources)} response(s) read).",
                    f"export completed QuestionnaireResponses to {names.questionnaire}.",
                )
            ]
        )
    return _checked_table(rows, origins, instrument, label)


def _resources(
    source: Path | str | Mapping[str, Any] | Sequence[Mapping[str, Any]], label: str
) -> tuple[list[tuple[str, Mapping[str, Any]]], list[Problem]]:
    """The QuestionnaireResponses in the source, each with how to name it."""
    data: Any = _load_json(Path(source)) if isinstance(source, str | Path) else source

    def problem(message: str, fix: str) -> list[Problem]:
        return [ResponseProblem(label, (), message, fix)]

    if isinstance(data, list | tuple):
        listed = list(data)
        found = [(f"response {i + 1}", r) for i, r in enumerate(listed) if _is_response(r)]
        others = [i + 1 for i, r in enumerate(listed) if not _is_response(r)]
        if others:
            return [], problem(
                f"the entries {', '.join(map(str, others[:10]))} are not QuestionnaireResponses.",
                "keep only QuestionnaireResponse resources in the list, or export a Bundle.",
            )
        return found, []
    if not isinstance(data, Mapping):
        return [], problem(
            "the file holds no FHIR resource.", "export a Bundle of QuestionnaireResponses."
        )
    kind = data.get("resourceType")
    if kind == "QuestionnaireResponse":
        return [("response 1", data)], []
    if kind != "Bundle":
        what = f"a {kind} resource" if isinstance(kind, str) else "JSON without a resourceType"
        return [], problem(
            f"the file is {what}, not a Bundle or a QuestionnaireResponse.",
            "export the QuestionnaireResponses, as a Bundle or one per file.",
        )
    entries: Any = data.get("entry") or []
    if not isinstance(entries, list):
        return [], problem("the Bundle's 'entry' is not a list.", "export the Bundle again.")
    found = []
    for index, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if _is_response(resource):
            found.append((f"entry {index + 1}", resource))
    return found, []


def _is_response(value: Any) -> TypeGuard[Mapping[str, Any]]:
    return isinstance(value, Mapping) and value.get("resourceType") == "QuestionnaireResponse"


def _load_json(path: Path) -> Any:
    source = str(path)

    def fail(message: str, fix: str, line: int | None = None) -> RatingsError:
        return RatingsError([RatingProblem(source, (), message, fix, line)])

    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise fail("there is no such file.", "check the path and its spelling.") from exc
    except OSError as exc:
        raise fail(
            f"the file cannot be read: {exc.strerror}.", "check that it is a file you may read."
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(
            "the file is not UTF-8 text.", "export the FHIR resources as UTF-8 JSON."
        ) from exc
    if not text.strip():
        raise fail("the file is empty.", "export the QuestionnaireResponses into it.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" or path.suffix.lower() == ".ndjson":
            return _load_ndjson(text, source)
        raise fail(
            f"the file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
            "export the responses again as FHIR JSON; XML is not read.",
            exc.lineno,
        ) from exc


def _load_ndjson(text: str, source: str) -> list[Any]:
    """Newline-delimited JSON, as FHIR bulk data export writes it."""
    resources = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            resources.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise RatingsError(
                [
                    RatingProblem(
                        source,
                        (),
                        f"line {number} is not valid JSON: {exc.msg}.",
                        "give one complete resource per line (NDJSON), or one JSON document.",
                        number,
                    )
                ]
            ) from exc
    return resources


def _read_response(
    resource: Mapping[str, Any],
    response: _Response,
    instrument: Instrument,
    names: FhirNames,
    questions: Mapping[str, _Question],
) -> bool:
    """Collect a response's answers and problems; ``False`` when it is to be skipped."""
    status = resource.get("status")
    if status in SKIPPED_STATUSES:
        return False
    if status not in ACCEPTED_STATUSES:
        has = f"the status {status!r}" if isinstance(status, str) and status else "no status"
        response.problem(
            None,
            f"the response has {has}; only completed or amended responses are read.",
            "complete the response, or leave it out of the export.",
        )
    _check_canonical(resource.get("questionnaire"), response, instrument, names)
    answered: dict[str, list[Any]] = {}
    for item in _walk(resource.get("item"), response):
        link_id = item["linkId"]
        question = questions.get(link_id)
        if question is None:
            response.problem(link_id, *_unknown_link_id(link_id, instrument))
            continue
        if link_id in answered:
            response.problem(link_id, "the linkId appears twice.", "keep one of the two.")
            continue
        answers = item.get("answer") or []
        if question.kind in ("group", "display"):
            if answers:
                response.problem(
                    link_id,
                    f"a {question.kind} item takes no answer.",
                    "put the answers on the questions inside it.",
                )
            continue
        if not isinstance(answers, list):
            answers = [answers]
        if len(answers) > 1:
            response.problem(
                link_id,
                f"the question has {len(answers)} answers, but takes one.",
                "keep the one answer that was given.",
            )
            answered[link_id] = []  # answered, though not usably: not also "missing"
            continue
        if answers:
            answered[link_id] = answers
    _collect_meta(resource, answered, response, questions)
    _collect_items(answered, response, instrument, questions)
    return True


def _unknown_link_id(link_id: str, instrument: Instrument) -> tuple[str, str]:
    """The message and fix for a linkId the Questionnaire does not have."""
    informant, _, item = link_id.partition(".")
    informants = {i.key for i in instrument.informants}
    items = {i.key: i for i in instrument.items}
    if informant in informants and item in items:
        asked = ", ".join(items[item].informants)
        return (
            f"the item '{item}' is not asked of the informant '{informant}' (only of {asked}).",
            "remove the answer, or move it to the group of the informant interviewed.",
        )
    if informant in informants:
        return (
            f"'{item}' is not an item of {instrument.ref}.",
            "check the linkId against the Questionnaire exported for this instrument version.",
        )
    return (
        f"the linkId is not part of {instrument.ref}'s Questionnaire.",
        "answer the Questionnaire exported for this instrument version, whose linkIds are "
        "_meta.* and {informant}.{item}.",
    )


def _check_canonical(
    canonical: Any, response: _Response, instrument: Instrument, names: FhirNames
) -> None:
    expected = f"{names.questionnaire}|{instrument.version}"
    if not isinstance(canonical, str) or not canonical:
        response.problem(
            None,
            "the response does not say which Questionnaire it answers.",
            f"set 'questionnaire' to {expected}.",
        )
        return
    url, _, version = canonical.partition("|")
    if url != names.questionnaire:
        response.problem(
            None,
            f"the response answers the Questionnaire {url}, not {names.questionnaire} "
            f"({instrument.ref}).",
            "import it with the instrument it was answered on, or check the base URL "
            "the Questionnaire was exported with.",
        )
    elif version and version != instrument.version:
        response.problem(
            None,
            f"the response answers version {version} of the Questionnaire, but the instrument "
            f"is {instrument.ref}.",
            f"import it with --instrument {instrument.key}@{version}.",
        )


def _walk(items: Any, response: _Response) -> Iterator[Mapping[str, Any]]:
    """Every item of a response, nested ones too (under items and under answers)."""
    if items is None:
        return
    if not isinstance(items, list):
        response.problem(None, "'item' is not a list.", "export the response again.")
        return
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("linkId"), str):
            response.problem(
                None, "an item has no linkId.", "give every item the linkId of its question."
            )
            continue
        yield item
        yield from _walk(item.get("item"), response)
        answers = item.get("answer")
        for answer in answers if isinstance(answers, list) else []:
            if isinstance(answer, Mapping):
                yield from _walk(answer.get("item"), response)


def _value(answer: Any) -> tuple[str | None, Any]:
    """The ``value[x]`` of an answer: (its type, e.g. 'Coding', and the value)."""
    if isinstance(answer, Mapping):
        for key, value in answer.items():
            if key.startswith("value") and len(key) > 5:
                return key[5:], value
    return None, None


def _collect_meta(
    resource: Mapping[str, Any],
    answered: Mapping[str, list[Any]],
    response: _Response,
    questions: Mapping[str, _Question],
) -> None:
    for name in META_FIELDS:
        link_id = meta_link_id(name)
        if not answered.get(link_id):
            continue
        kind, value = _value(answered[link_id][0])
        text: str | None = None
        if name == "informant":
            if kind == "Coding" and isinstance(value, Mapping):
                text = _coding_code(value, questions[link_id], response, link_id)
            else:
                _wrong_type(response, link_id, kind, "valueCoding with an informant key")
            if text is None:
                continue
        elif name == "date":
            if kind in ("Date", "DateTime") and isinstance(value, str):
                text = value[:10]
            else:
                _wrong_type(response, link_id, kind, "valueDate (YYYY-MM-DD)")
        elif (kind == "String" and isinstance(value, str)) or (
            name == "round" and kind == "Integer"
        ):
            text = str(value).strip()
        else:
            _wrong_type(response, link_id, kind, "valueString")
        if text:
            response.meta[name] = text
    _fallback(response, "interview", _identifier_value(resource.get("identifier")), "identifier")
    author = resource.get("author")
    if isinstance(author, Mapping):
        by_id = _identifier_value(author.get("identifier"))
        display = author.get("display")
        _fallback(
            response, "rater", by_id or (display if isinstance(display, str) else None), "author"
        )
    authored = resource.get("authored")
    if isinstance(authored, str) and "date" not in response.meta and authored[:10]:
        response.meta["date"] = authored[:10]
    for name in ("interview", "rater"):
        # an answer of the wrong type has been reported already
        if not response.meta.get(name) and meta_link_id(name) not in answered:
            other = "identifier.value" if name == "interview" else "author.identifier.value"
            response.problem(
                meta_link_id(name),
                f"the response gives no {name}.",
                f"answer {meta_link_id(name)}, or set the response's {other}.",
            )


def _identifier_value(identifier: Any) -> str | None:
    if isinstance(identifier, list):  # R5 has a list; R4 one Identifier
        identifier = identifier[0] if identifier else None
    if isinstance(identifier, Mapping) and isinstance(identifier.get("value"), str):
        value: str = identifier["value"].strip()
        return value or None
    return None


def _fallback(response: _Response, name: str, value: str | None, element: str) -> None:
    """Use a response element for an interview detail, unless it contradicts the answer."""
    if not value:
        return
    given = response.meta.get(name)
    if given is None:
        response.meta[name] = value
    elif given != value:
        response.problem(
            meta_link_id(name),
            f"the answer '{given}' differs from the response's {element} '{value}'.",
            f"give the same {name} in both places, or leave one out.",
        )


def _wrong_type(response: _Response, link_id: str, kind: str | None, wanted: str) -> None:
    if kind and wanted.startswith(f"value{kind}"):
        message = f"the answer's value{kind} is not written as this question needs: {wanted}."
    else:
        found = f"value{kind}" if kind else "no value"
        message = f"the answer has {found}, but this question takes {wanted}."
    response.problem(link_id, message, f"answer with {wanted}.")


def _coding_code(
    coding: Mapping[str, Any], question: _Question, response: _Response, link_id: str
) -> str | None:
    """The code of a Coding answer if it is one of the question's options."""
    code, system = coding.get("code"), coding.get("system")
    options = ", ".join(question.options)
    if not isinstance(code, str) or code not in question.options:
        response.problem(
            link_id,
            f"the answer {code!r} is not among the options ({options}).",
            "answer with one of the options' codes.",
        )
        return None
    if system is not None and system != question.options[code]:
        response.problem(
            link_id,
            f"the answer's code system is {system}, not {question.options[code]}.",
            "answer with the Coding of the option as the Questionnaire gives it.",
        )
        return None
    return code


def _collect_items(
    answered: Mapping[str, list[Any]],
    response: _Response,
    instrument: Instrument,
    questions: Mapping[str, _Question],
) -> None:
    item_ids = [link_id for link_id in answered if questions[link_id].kind == "item"]
    groups = sorted({str(questions[link_id].informant) for link_id in item_ids})
    informant = response.meta.get("informant")
    if informant is None:
        if len(groups) == 1:
            informant = response.meta["informant"] = groups[0]
        elif groups:
            response.problem(
                meta_link_id("informant"),
                f"the response rates items of several informants ({', '.join(groups)}) and does "
                "not say who was interviewed; one response rates one interview.",
                f"answer {meta_link_id('informant')}, and split the ratings into one response "
                "per interview.",
            )
            return
        else:
            response.problem(
                meta_link_id("informant"),
                "the response gives no informant and rates no item.",
                f"answer {meta_link_id('informant')} and the items of that informant.",
            )
            return
    for link_id in item_ids:
        question = questions[link_id]
        if question.informant != informant:
            response.problem(
                link_id,
                f"the item belongs to the group of the informant '{question.informant}', but the "
                f"response is an interview with '{informant}'.",
                f"answer only the items in the group '{informant}', or correct "
                f"{meta_link_id('informant')}.",
            )
            continue
        if not answered[link_id]:
            continue
        kind, value = _value(answered[link_id][0])
        if kind != "Coding" or not isinstance(value, Mapping):
            _wrong_type(response, link_id, kind, "valueCoding (a point of the scale or a code)")
            continue
        code = _coding_code(value, question, response, link_id)
        if code is not None:
            response.items[link_id] = code
    for item in instrument.items_for(informant):
        link_id = item_link_id(informant, item.key)
        if item.required and link_id not in answered:
            response.problem(
                link_id,
                "the required item has no answer.",
                "rate it, or give a special code such as "
                f"{instrument.codes[0].code if instrument.codes else 'a code'} instead.",
            )


def _checked_table(
    rows: list[dict[str, str]], origins: Sequence[_Origin], instrument: Instrument, label: str
) -> pd.DataFrame:
    """The rows as a long ratings table, checked by read_ratings; problems name responses."""
    columns = ["interview", "informant", "item", "rating", "rater"]
    columns += [c for c in ("service", "peer_worker", "round", "date") if any(c in r for r in rows)]
    frame = pd.DataFrame([[row.get(c, "") for c in columns] for row in rows], columns=columns)
    try:
        read_ratings(frame, instrument, layout="long", name=label)
    except RatingsError as error:
        raise RatingsError(
            [_locate(p, origins, label) for p in error.problems], error.total
        ) from error
    return frame


def _locate(problem: Problem, origins: Sequence[_Origin], label: str) -> Problem:
    """A ratings-table problem, moved from its table row to its response and linkId."""
    if not isinstance(problem, RatingProblem) or problem.row is None or problem.row < 2:
        return ResponseProblem(label, (), problem.message, problem.fix)
    origin = origins[problem.row - 2]

    def rename(text: str) -> str:
        return re.sub(
            r"\brow (\d+)",
            lambda m: origins[int(m.group(1)) - 2].label if int(m.group(1)) >= 2 else m.group(0),
            text,
        )

    column = problem.column
    link_id = origin.link_id if column in (None, "item", "rating") else meta_link_id(str(column))
    return ResponseProblem(
        label,
        (origin.label, link_id),
        rename(problem.message),
        rename(problem.fix),
        origin.number,
    )
