"""Shared building blocks of the document schemas: keys, references, translations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z][a-z0-9_-]*$"
REF_PATTERN = r"^[a-z][a-z0-9_-]*@[A-Za-z0-9._-]+$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
"""A key: lowercase letters, digits, '-' or '_', starting with a letter."""

Reference = Annotated[str, StringConstraints(pattern=REF_PATTERN)]
"""A pinned reference to a document: ``key@version``."""

Text = Annotated[str, StringConstraints(min_length=1)]
"""Text a person reads; never empty."""

Translations = dict[str, dict[str, str]]
"""Language code -> text id (a dotted path such as ``principles.mutuality.title``) -> text."""


class Strict(BaseModel):
    """Base for every schema: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    # Names of the fields holding text a person reads, so they can be translated.
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ()


class Citation(Strict):
    """Where a framework or instrument comes from, so users can read the original."""

    text: Text = Field(description="The full reference, as it would appear in a bibliography.")
    doi: str | None = Field(None, description="The DOI, without the https://doi.org/ prefix.")
    url: str | None = Field(None, description="A link to the original.")
    licence: str | None = Field(None, description="The licence of the original, if known.")


def parse_reference(reference: str) -> tuple[str, str | None]:
    """Split ``key@version`` into its parts; a bare key has no version."""
    key, _, version = reference.partition("@")
    return key, version or None


def is_reference(text: str) -> bool:
    """Whether ``text`` is a well-formed ``key@version`` reference."""
    return re.fullmatch(REF_PATTERN, text) is not None


def text_ids(document: BaseModel, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every text a person reads in ``document``, with the id used to translate it.

    Ids are dotted paths in which entries of a keyed list are named by their key, mappings by
    their key and plain lists of text by their position: ``items.rel_1.informants.peer_worker
    .prompts.0``. The same ids are used in ``translations`` blocks.
    """
    translatable = getattr(document, "TRANSLATABLE", ())
    for name in type(document).model_fields:
        value = getattr(document, name)
        here = f"{prefix}{name}"
        if name in translatable:
            yield from _texts_in(value, here)
        else:
            yield from _nested_texts(value, here)


def _texts_in(value: Any, here: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield here, value
    elif isinstance(value, list):
        for index, text in enumerate(value):
            yield from _texts_in(text, f"{here}.{index}")
    elif isinstance(value, dict):
        for key, text in value.items():
            yield from _texts_in(text, f"{here}.{key}")


def _nested_texts(value: Any, here: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        yield from text_ids(value, f"{here}.")
    elif isinstance(value, list):
        for index, entry in enumerate(value):
            if isinstance(entry, BaseModel):
                name = getattr(entry, "key", index)
                yield from text_ids(entry, f"{here}.{name}.")
    elif isinstance(value, dict):
        for key, entry in value.items():
            if isinstance(entry, BaseModel):
                yield from text_ids(entry, f"{here}.{key}.")
