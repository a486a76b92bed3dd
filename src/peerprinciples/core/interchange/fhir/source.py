"""The Questionnaire to draft from: read from a JSON file or given as a dict, alone or in a Bundle.

:class:`QuestionnaireProblem` locates what the drafter cannot carry over by linkId; the
functions here raise it (inside a :class:`~peerprinciples.core.documents.DocumentError`) when
the file cannot be read or holds no Questionnaire.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from peerprinciples.core.documents import DocumentError, Problem


class QuestionnaireProblem(Problem):
    """Something in a Questionnaire that could not be carried over, located by its linkId.

    ``path`` holds the linkId (``""`` when the item has none) and the part of the item the
    problem is about (``answerOption[2]``, ``enableWhen``, or ``item[3]`` for an item with
    no linkId).
    """

    @property
    def link_id(self) -> str | None:
        """The linkId of the item, or ``None`` for the whole Questionnaire."""
        return str(self.path[0]) if self.path and self.path[0] else None

    @property
    def part(self) -> str | None:
        """The part of the item (or of the Questionnaire), e.g. ``answerOption[2]``."""
        return str(self.path[1]) if len(self.path) > 1 and self.path[1] else None

    def __str__(self) -> str:
        place = self.source
        if self.link_id:
            place += f", linkId '{self.link_id}'"
        if self.part:
            place += f" ({self.part})" if self.link_id else f", {self.part}"
        text = f"{place}: {self.message}"
        return f"{text} Fix: {self.fix}" if self.fix else text


def fail(source: str, message: str, fix: str, part: str = "") -> DocumentError:
    """The error for a Questionnaire that cannot be drafted at all (to be raised)."""
    return DocumentError([QuestionnaireProblem(source, ("", part) if part else (), message, fix)])


def load_json(path: Path) -> Any:
    """The JSON in a file, or a :class:`DocumentError` saying why it cannot be read."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise fail(source, "there is no such file.", "check the path and its spelling.") from exc
    except OSError as exc:
        raise fail(
            source, f"the file cannot be read: {exc.strerror}.", "check that it is a file."
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(source, "the file is not UTF-8 text.", "save it as UTF-8 JSON.") from exc
    if not text.strip():
        raise fail(source, "the file is empty.", "give a FHIR Questionnaire as JSON.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(
            source,
            f"the file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
            "give the Questionnaire as FHIR JSON; FHIR XML is not read.",
        ) from exc


def find_questionnaire(
    data: Any, source: str
) -> tuple[Mapping[str, Any], list[Mapping[str, Any]], list[str]]:
    """The Questionnaire, the resources it may refer to (ValueSets), and notes."""
    fix = "give a Questionnaire resource, or a Bundle holding one."
    if not isinstance(data, Mapping):
        raise fail(source, "the file holds no FHIR resource (it is not a JSON object).", fix)
    kind = data.get("resourceType")
    if kind == "Questionnaire":
        return data, [], []
    if kind != "Bundle":
        what = f"a {kind} resource" if isinstance(kind, str) else "JSON without a resourceType"
        raise fail(source, f"the file is {what}, not a Questionnaire.", fix, "resourceType")
    entries = data.get("entry")
    if not isinstance(entries, list):
        raise fail(source, "the Bundle has no list of entries.", fix, "entry")
    resources = [
        e["resource"]
        for e in entries
        if isinstance(e, Mapping) and isinstance(e.get("resource"), Mapping)
    ]
    found = [r for r in resources if r.get("resourceType") == "Questionnaire"]
    if not found:
        raise fail(source, "the Bundle holds no Questionnaire.", fix, "entry")
    notes = []
    if len(found) > 1:
        notes.append(
            f"the Bundle holds {len(found)} Questionnaires; only the first "
            f"({found[0].get('url') or found[0].get('id') or 'without url'}) is drafted."
        )
    return found[0], [r for r in resources if r.get("resourceType") == "ValueSet"], notes
