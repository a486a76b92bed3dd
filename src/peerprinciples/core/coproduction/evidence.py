"""A literature review's evidence as plain data: sources, codes, categories, quotations.

Imports (a CSV layout, REFI-QDA codebooks and projects) produce an :class:`Evidence`; the
web application stores it, and the summaries (how many sources support each code and
category, the share from grey literature, coverage over time) are worked out from it.
Every item has a ``key`` that is unique within its kind: a REFI-QDA GUID when the file
gave one, otherwise the identifier in the CSV file.
"""

from __future__ import annotations

import datetime
import enum
import re
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

    @classmethod
    def from_text(cls, text: str) -> SourceKind | None:
        """The kind a person wrote (``peer-reviewed``, ``peer reviewed``, ``grey``,
        ``gray``, ``grey literature``; any case), or ``None`` for anything else."""
        words = re.sub(r"[\s_-]+", " ", text).strip().casefold()
        return _KIND_WORDS.get(words)

    @property
    def words(self) -> str:
        """The kind as the files write it: ``peer-reviewed`` or ``grey``."""
        return "peer-reviewed" if self is SourceKind.PEER_REVIEWED else "grey"


_KIND_WORDS = {
    "peer reviewed": SourceKind.PEER_REVIEWED,
    "grey": SourceKind.GREY,
    "gray": SourceKind.GREY,
    "grey literature": SourceKind.GREY,
    "gray literature": SourceKind.GREY,
}


EARLIEST_YEAR = 1500
"""The earliest publication year a source may give; anything before is taken for a typing
slip."""

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def year_from_text(text: str) -> int | None:
    """A publication year written as a whole number from :data:`EARLIEST_YEAR` to next
    year (``2016``, ``2016.0`` from a spreadsheet), or ``None`` when it is not one."""
    words = text.strip()
    if words.endswith(".0"):
        words = words[:-2]
    if not words.isdigit():
        return None
    year = int(words)
    return year if EARLIEST_YEAR <= year <= datetime.date.today().year + 1 else None


def doi_from_text(text: str) -> str | None:
    """A DOI (``10.1108/MHSI-03-2017-0016``) with any ``https://doi.org/`` or ``doi:`` in
    front taken away, or ``None`` when the text is not a DOI."""
    doi = _DOI_PREFIX.sub("", text.strip())
    return doi if _DOI.fullmatch(doi) else None


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
    parent: str | None = None
    """The key of the code this one sits under, when codes nest below a category (a
    REFI-QDA codebook of three levels or more); ``None`` for a code directly in its category
    or without one."""


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
