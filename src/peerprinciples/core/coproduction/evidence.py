"""A literature review's evidence as plain data: sources, codes, categories, quotations.

Imports (a CSV layout, REFI-QDA codebooks and projects) produce an :class:`Evidence`; the
web application stores it, and the summaries (how many sources support each code and
category, the share from grey literature, coverage over time) are worked out from it.
Every item has a ``key`` that is unique within its kind: a REFI-QDA GUID when the file
gave one, otherwise the identifier in the CSV file.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from peerprinciples.core.coproduction.problems import ImportProblems, Problem

__all__ = [
    "Category",
    "Code",
    "Evidence",
    "ImportProblems",
    "Problem",
    "Quotation",
    "Source",
    "SourceKind",
]


class SourceKind(enum.StrEnum):
    """Whether a source was peer reviewed or is grey literature."""

    PEER_REVIEWED = "peer_reviewed"
    GREY = "grey"


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    kind: SourceKind = SourceKind.PEER_REVIEWED
    year: int | None = None
    doi: str = ""


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Code:
    key: str
    label: str
    definition: str = ""
    category: str | None = None
    """The key of the category the code belongs to, if any."""


@dataclass(frozen=True)
class Quotation:
    """A passage of a source, with the codes applied to it (the text may be empty when a
    file says only that a code was applied somewhere in a source)."""

    key: str
    source: str
    codes: tuple[str, ...]
    text: str = ""


@dataclass(frozen=True)
class Evidence:
    sources: tuple[Source, ...] = ()
    categories: tuple[Category, ...] = ()
    codes: tuple[Code, ...] = ()
    quotations: tuple[Quotation, ...] = ()
