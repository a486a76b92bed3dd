"""Translations of every text a person reads, with fallback and a report of what is missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from peerprinciples.core.models import text_ids

DocumentT = TypeVar("DocumentT", bound=BaseModel)


@dataclass(frozen=True)
class Localised(Generic[DocumentT]):
    """A document in one language, and the texts that fell back to the original language."""

    document: DocumentT
    language: str
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        """Whether every text had a translation."""
        return not self.missing


def localise(document: DocumentT, language: str) -> Localised[DocumentT]:
    """Return ``document`` with its texts in ``language`` where a translation exists.

    A text without a translation keeps its original wording and its id is listed in
    ``missing``, so a partial translation is usable at once and its gaps can be reported.
    Asking for the document's own language returns it unchanged.
    """
    own_language = getattr(document, "language", None)
    translations: dict[str, dict[str, str]] = getattr(document, "translations", {}) or {}
    if language == own_language:
        return Localised(document, language, ())
    table = translations.get(language, {})
    data = document.model_dump()
    missing = []
    for text_id, _ in text_ids(document):
        if text_id.startswith("translations."):
            continue
        if text_id in table:
            _set_text(data, text_id.split("."), table[text_id])
        else:
            missing.append(text_id)
    data["language"] = language
    return Localised(type(document).model_validate(data), language, tuple(missing))


def coverage(document: BaseModel) -> dict[str, tuple[int, int]]:
    """For each language with translations: (texts translated, texts in all)."""
    ids = {text_id for text_id, _ in text_ids(document) if not text_id.startswith("translations.")}
    translations: dict[str, dict[str, str]] = getattr(document, "translations", {}) or {}
    return {lang: (len(ids & table.keys()), len(ids)) for lang, table in translations.items()}


def unknown_text_ids(document: BaseModel) -> dict[str, list[str]]:
    """Translation entries that name no text of the document (usually a typing mistake)."""
    ids = {text_id for text_id, _ in text_ids(document)}
    translations: dict[str, dict[str, str]] = getattr(document, "translations", {}) or {}
    return {
        lang: sorted(set(table) - ids) for lang, table in translations.items() if set(table) - ids
    }


def _set_text(data: Any, parts: list[str], text: str) -> None:
    head, *rest = parts
    if isinstance(data, list):
        target = next(
            (
                i
                for i, entry in enumerate(data)
                if isinstance(entry, dict) and entry.get("key") == head
            ),
            int(head) if head.isdigit() else None,
        )
        if target is None:
            return
        if rest:
            _set_text(data[target], rest, text)
        else:
            data[target] = text
    elif isinstance(data, dict):
        key: Any = head if head in data else int(head) if head.lstrip("-").isdigit() else head
        if rest:
            _set_text(data[key], rest, text)
        else:
            data[key] = text
