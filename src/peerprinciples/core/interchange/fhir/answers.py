"""A Questionnaire's answer options read as the points of a scale or as special codes.

A number comes from ``valueInteger``, a ``valueCoding`` code that is a whole number, or else
the ``ordinalValue`` / ``itemWeight`` extension of the answer (as LOINC answer codes such as
``LA6568-5`` carry it). Answers such as "Not applicable" or "Unknown" become special codes.
An answerValueSet contained in the Questionnaire (or its Bundle) gives its concepts as options.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peerprinciples.core.interchange.fhir.common import ITEM_WEIGHT_URL, OWN_CODES_SYSTEM
from peerprinciples.core.interchange.xlsform.common import CODE_PATTERN, INTEGER_PATTERN

ORDINAL_URLS = (
    ITEM_WEIGHT_URL,
    "http://hl7.org/fhir/StructureDefinition/ordinalValue",
    "http://hl7.org/fhir/StructureDefinition/iso21090-CO-value",
)
"""Extensions that give an answer its number, most specific first."""

_SPECIAL_DISPLAYS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bnot applicable\b|^n/?a$", re.IGNORECASE), "NA"),
    (re.compile(r"\bdo(?:n'?t| not|n\u2019t) know\b", re.IGNORECASE), "DK"),
    (re.compile(r"\basked but unknown\b", re.IGNORECASE), "ASKU"),
    (re.compile(r"\bunknown\b|\bnot known\b", re.IGNORECASE), "UNK"),
    (re.compile(r"\brefused\b|\bprefer not\b|\bdeclined?\b", re.IGNORECASE), "REF"),
    (re.compile(r"\binsufficient information\b", re.IGNORECASE), "II"),
)
"""Answer texts that mean "no rating", and the special code a draft gives them."""


def _number(value: Any) -> int | None:
    """A whole number from an integer, a whole decimal, or text such as ``"3"``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and INTEGER_PATTERN.match(value.strip()):
        return int(value.strip())
    return None


def _weight(*holders: Any) -> tuple[bool, int | None]:
    """(whether an ordinal extension is present, its value when a whole number)."""
    for url in ORDINAL_URLS:
        for holder in holders:
            extensions = holder.get("extension") if isinstance(holder, Mapping) else None
            for extension in extensions if isinstance(extensions, list) else []:
                if isinstance(extension, Mapping) and extension.get("url") == url:
                    value = extension.get("valueDecimal", extension.get("valueInteger"))
                    return True, _number(value)
    return False, None


def _special(code: str, display: str) -> str | None:
    """The special code an answer stands for, or ``None`` when it is not one."""
    for pattern, special in _SPECIAL_DISPLAYS:
        if pattern.search(display):
            return code if CODE_PATTERN.match(code) else special
    return code if CODE_PATTERN.match(code) else None


@dataclass
class Answer:
    """One answer option, read."""

    index: int
    display: str
    point: int | None = None
    weight: int | None = None  # the extension's value when the point is the code
    code: str | None = None  # a special code
    system: str = ""
    reason: str = ""  # why it is neither a point nor a special code


def read_answer(index: int, option: Any) -> Answer:
    """Answer option ``index`` of a question, read as a point, a special code, or neither.

    An option that is neither carries the ``reason`` why; it never raises.
    """
    if not isinstance(option, Mapping):
        return Answer(index, "", reason="the answer option is not a JSON object.")
    coding = option.get("valueCoding")
    if isinstance(coding, Mapping):
        code = str(coding.get("code") or "")
        display = str(coding.get("display") or code)
        system = str(coding.get("system") or "")
        present, weight = _weight(option, coding)
        answer = Answer(index, display, system=system)
        if OWN_CODES_SYSTEM.search(system) and code:
            answer.code = code
        elif _number(code) is not None:
            answer.point, answer.weight = _number(code), weight
        elif (special := _special(code, display)) is not None:
            answer.code = special
        elif weight is not None:
            answer.point = weight
        elif present:
            answer.reason = f"the answer '{display}' has a weight that is not a whole number."
        else:
            answer.reason = (
                f"the answer '{display}' (code '{code}') is not a whole number and carries "
                "no ordinalValue or itemWeight."
            )
        return answer
    if "valueInteger" in option:
        value = _number(option["valueInteger"])
        if value is None:
            return Answer(index, "", reason="the valueInteger is not a whole number.")
        return Answer(index, str(value), point=value, weight=_weight(option)[1])
    if "valueString" in option:
        text = str(option["valueString"])
        if _number(text) is not None:
            return Answer(index, text, point=_number(text), weight=_weight(option)[1])
        special = _special(text.strip(), text)
        if special is not None:
            return Answer(index, text, code=special)
        present, weight = _weight(option)
        if weight is not None:
            return Answer(index, text, point=weight)
        return Answer(index, text, reason=f"the answer '{text}' is not a whole number.")
    kinds = [k for k in option if k.startswith("value")]
    kind = kinds[0] if kinds else "no value"
    return Answer(index, "", reason=f"an answer given as {kind} cannot be a point of a scale.")


def value_set_options(value_set: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The concepts of a ValueSet (its expansion, else its composed concepts) as options."""
    found: list[dict[str, Any]] = []
    expansion = value_set.get("expansion")
    contains = expansion.get("contains") if isinstance(expansion, Mapping) else None
    if isinstance(contains, list) and contains:
        for concept in contains:
            if isinstance(concept, Mapping):
                found.append({"valueCoding": dict(concept)})
        return found
    compose = value_set.get("compose")
    includes = compose.get("include") if isinstance(compose, Mapping) else None
    for include in includes if isinstance(includes, list) else []:
        if not isinstance(include, Mapping):
            continue
        concepts = include.get("concept")
        for concept in concepts if isinstance(concepts, list) else []:
            if isinstance(concept, Mapping):
                coding = {"system": include.get("system", ""), **concept}
                found.append({"valueCoding": coding})
    return found
