"""One FHIR QuestionnaireResponse read: its interview details and its answers, checked.

:func:`read_response` reads one response to the Questionnaire from
:func:`~peerprinciples.core.interchange.fhir.questionnaire` and collects, on a
:class:`Response`, the interview details, the code chosen for each item, and every problem as a
:class:`ResponseProblem` naming the response and the linkId. Turning many responses into the
ratings table is :mod:`~peerprinciples.core.interchange.fhir.records`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from peerprinciples.core.documents import Problem
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.fhir.common import (
    META_FIELDS,
    META_GROUP,
    FhirNames,
    domain_link_id,
    item_link_id,
    meta_link_id,
)

ACCEPTED_STATUSES = ("completed", "amended")
SKIPPED_STATUSES = ("entered-in-error",)


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
class Question:
    """What a linkId of the Questionnaire stands for."""

    kind: str  # "meta", "item", "group" or "display"
    informant: str | None = None
    item: str | None = None
    meta: str | None = None
    required: bool = False
    options: Mapping[str, str] = field(default_factory=dict)  # code -> its system


def questions_of(instrument: Instrument, names: FhirNames) -> dict[str, Question]:
    """Every linkId of the instrument's Questionnaire, with what it stands for."""
    questions: dict[str, Question] = {META_GROUP: Question("group")}
    for name in META_FIELDS:
        options = (
            {informant.key: names.informants_system for informant in instrument.informants}
            if name == "informant"
            else {}
        )
        questions[meta_link_id(name)] = Question("meta", meta=name, options=options)
    for informant in instrument.informants:
        questions[informant.key] = Question("group", informant=informant.key)
        for domain in instrument.domains:
            questions[domain_link_id(informant.key, domain.key)] = Question(
                "group", informant=informant.key
            )
        for item in instrument.items_for(informant.key):
            scale = instrument.scale(item.scale)
            options = {str(p): names.scale_system(scale.key) for p in scale.points}
            options |= {code.code: names.codes_system for code in instrument.codes}
            link_id = item_link_id(informant.key, item.key)
            questions[link_id] = Question(
                "item", informant.key, item.key, required=item.required, options=options
            )
            questions[f"{link_id}:prompts"] = Question("display", informant=informant.key)
    return questions


@dataclass
class Response:
    """One response being read: where it is, its problems and what it answered."""

    source: str
    number: int
    label: str
    problems: list[Problem] = field(default_factory=list)
    items: dict[str, str] = field(default_factory=dict)  # item linkId -> code
    meta: dict[str, str] = field(default_factory=dict)

    def problem(self, link_id: str | None, message: str, fix: str) -> None:
        """Note a problem with this response (``link_id`` ``None``: the whole response)."""
        self.problems.append(
            ResponseProblem(self.source, (self.label, link_id or ""), message, fix, self.number)
        )


def read_response(
    resource: Mapping[str, Any],
    response: Response,
    instrument: Instrument,
    names: FhirNames,
    questions: Mapping[str, Question],
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
    canonical: Any, response: Response, instrument: Instrument, names: FhirNames
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


def _walk(items: Any, response: Response) -> Iterator[Mapping[str, Any]]:
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
    response: Response,
    questions: Mapping[str, Question],
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


def _fallback(response: Response, name: str, value: str | None, element: str) -> None:
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


def _wrong_type(response: Response, link_id: str, kind: str | None, wanted: str) -> None:
    if kind and wanted.startswith(f"value{kind}"):
        message = f"the answer's value{kind} is not written as this question needs: {wanted}."
    else:
        found = f"value{kind}" if kind else "no value"
        message = f"the answer has {found}, but this question takes {wanted}."
    response.problem(link_id, message, f"answer with {wanted}.")


def _coding_code(
    coding: Mapping[str, Any], question: Question, response: Response, link_id: str
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
    response: Response,
    instrument: Instrument,
    questions: Mapping[str, Question],
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
