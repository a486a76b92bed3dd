"""Where a co-produced framework version comes from: its provenance.

A framework agreed by a panel carries, beside its wording, the trail behind it: the project
that made it, when it was published, whether the data are made up for a demonstration, the
methods paragraph a paper needs, the counts behind that paragraph, and for each principle
the review categories, panel piles or clusters and drafting rounds that led to it.

Provenance is a record, not wording: comparing two frameworks ignores it, and none of its
texts are translated (they describe a piece of research, in the language it was done in).
"""

from __future__ import annotations

import datetime

from pydantic import Field

from peerprinciples.core.models import Slug, Strict, Text


class Counts(Strict):
    """How much evidence and how many voices went into a framework version.

    Every count is optional: a number that was not recorded is left out, never written as
    zero, so the methods summary can say plainly what did not happen.
    """

    sources: int | None = Field(None, ge=0, description="Sources included in the review.")
    codes: int | None = Field(None, ge=0, description="Codes given to the review's data.")
    categories: int | None = Field(None, ge=0, description="Review categories.")
    members: int | None = Field(None, ge=0, description="Members of the panel.")
    cards: int | None = Field(None, ge=0, description="Cards the panel members wrote.")
    piles: int | None = Field(None, ge=0, description="Piles made in the group sort.")
    sorters: int | None = Field(None, ge=0, description="Members who also sorted on their own.")
    clusters: int | None = Field(None, ge=0, description="Clusters of the concept map.")
    principles: int | None = Field(None, ge=0, description="Draft principles mapped.")
    rounds: int | None = Field(None, ge=0, description="Drafting rounds held.")
    statements: int | None = Field(None, ge=0, description="Statements put to the panel.")
    agreed: int | None = Field(None, ge=0, description="Statements agreed by the end.")


class RoundRecord(Strict):
    """One drafting round's result for a principle's wording."""

    number: int = Field(ge=1)
    share_agreeing: float | None = Field(
        None, ge=0, le=1, description="Share of those who rated it who agreed (0 to 1)."
    )
    median: float | None = None
    agreed: bool = False


class PrincipleProvenance(Strict):
    """What lies behind one principle: evidence, the panel's own groupings, and rounds."""

    categories: list[Text] = Field(
        default_factory=list, description="Labels of the review categories mapped onto it."
    )
    piles: list[Text] = Field(
        default_factory=list, description="Labels of the panel's piles or clusters mapped onto it."
    )
    values: list[Slug] = Field(
        default_factory=list, description="Keys of the values it protects, as agreed."
    )
    rounds: list[RoundRecord] = Field(default_factory=list)
    agreed_in: int | None = Field(
        None, ge=1, description="The round in which its wording was agreed."
    )


class Provenance(Strict):
    """The record of how a framework version (or an adaptation) was co-produced."""

    project: Text = Field(description="The name of the co-production project.")
    published: datetime.date | None = Field(None, description="The day it was published.")
    synthetic: bool = Field(
        False, description="True when the data behind it were made up for a demonstration."
    )
    methods: str = Field("", description="A paragraph for a paper's methods section.")
    counts: Counts = Field(default_factory=Counts)
    principles: dict[Slug, PrincipleProvenance] = Field(
        default_factory=dict, description="Principle key -> what lies behind it."
    )
