"""FHIR QuestionnaireResponses read as ratings: the long ratings table, checked.

:func:`read_questionnaire_responses` takes a Bundle, a JSON array, one response or an NDJSON
file, reads each response with :func:`~peerprinciples.core.interchange.fhir.responses.
read_response`, and checks the ratings with
:func:`~peerprinciples.core.ratings.read_ratings`; a problem the ratings check finds is moved
from its table row to the response and linkId it came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

import pandas as pd

from peerprinciples.core.documents import Problem
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.fhir.common import FHIR_BASE, FhirNames, meta_link_id
from peerprinciples.core.interchange.fhir.responses import (
    Response,
    ResponseProblem,
    questions_of,
    read_response,
)
from peerprinciples.core.ratings import RatingProblem, RatingsError, read_ratings


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
    questions = questions_of(instrument, names)
    rows: list[dict[str, str]] = []
    origins: list[_Origin] = []
    for number, (where, resource) in enumerate(resources, start=1):
        ident = resource.get("id")
        response = Response(
            label,
            number,
            f"{where} (id '{ident}')" if isinstance(ident, str) and ident else where,
        )
        if not read_response(resource, response, instrument, names, questions):
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
