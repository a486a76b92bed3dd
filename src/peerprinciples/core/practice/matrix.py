"""The practice matrix as data: areas, cells and a programme's own handbook sections.

A :class:`Matrix` is a picture of one programme's matrix at one moment, pinned to the framework
version it follows. The web application builds one from its tables; the command line reads
one from YAML. Everything else in :mod:`peerprinciples.core.practice` (prompts, gaps,
comparisons, carrying cells over to a new framework version, the handbook) takes a matrix.
"""

from __future__ import annotations

import enum
from functools import cache
from importlib import resources

import yaml
from pydantic import Field

from peerprinciples.core.models import Reference, Slug, Strict, Text


class Level(enum.StrEnum):
    """Who an area is looked after by."""

    INDIVIDUAL = "individual"
    TEAM = "team"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.INDIVIDUAL: "Individual",
    Level.TEAM: "Team",
    Level.ORGANISATION: "Organisation",
}


class Status(enum.StrEnum):
    """How far a principle shows in an area. A cell with no status has not been looked at."""

    IN_PLACE = "in_place"
    PARTLY = "partly"
    NOT_YET = "not_yet"
    NOT_RELEVANT = "not_relevant"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.IN_PLACE: "In place",
    Status.PARTLY: "Partly in place",
    Status.NOT_YET: "Not yet",
    Status.NOT_RELEVANT: "Not relevant here",
}


class Area(Strict):
    """One area of implementation, such as supervision or recruitment."""

    key: Slug
    title: Text
    description: str = ""
    level: Level
    built_in: bool = Field(
        True, description="Whether it is one of the built-in areas (or the programme's own)."
    )


class Cell(Strict):
    """How one principle shows in one area."""

    area: Slug
    principle: Slug
    text: str = Field("", description="How the principle shows in this area.")
    evidence: str = Field("", description="Examples or evidence that it does.")
    status: Status | None = None
    why: str = Field("", description="Why it has this status (needed for 'not relevant').")
    holder: str = Field("", description="Who holds it: a role, never a person's name.")

    @property
    def filled(self) -> bool:
        """Whether anything has been written or decided in the cell."""
        return bool(self.text or self.evidence or self.status or self.holder)


class Section(Strict):
    """A section of the handbook that the programme writes itself."""

    key: Slug
    title: Text
    body: str = ""
    after: Slug | None = Field(
        None, description="The handbook section it follows; at the end when not given."
    )


class Matrix(Strict):
    """One programme's practice matrix, pinned to a framework version."""

    programme: Text
    framework: Reference = Field(description="The framework version it follows: key@version.")
    version: int = Field(0, ge=0, description="The matrix version: 0 for a working copy.")
    areas: list[Area]
    cells: list[Cell] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    prompts: dict[str, str] = Field(
        default_factory=dict,
        description="The programme's own prompts, by 'area/principle', beside the built-in ones.",
    )

    def cell(self, area: str, principle: str) -> Cell | None:
        """The cell for ``area`` × ``principle``, if anything was written in it."""
        for cell in self.cells:
            if cell.area == area and cell.principle == principle:
                return cell
        return None


@cache
def builtin_areas() -> tuple[Area, ...]:
    """The built-in areas of implementation, in order (``data/practice/areas.yaml``)."""
    text = (
        resources.files("peerprinciples.core")
        .joinpath("data/practice/areas.yaml")
        .read_text(encoding="utf-8")
    )
    return tuple(Area.model_validate(entry) for entry in yaml.safe_load(text)["areas"])
