"""The schemas of a reflection guide and of a local adaptation of one.

Documents of both kinds say ``kind: reflection-guide``; an adaptation also names its base
with ``extends: key@version`` and records only what it adds, rewords or drops, like a
framework adaptation does.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from peerprinciples.core.models import Citation, Reference, Slug, Strict, Text, Translations

GUIDE_KIND = "reflection-guide"
"""The value of ``kind`` that marks a reflection guide (or an adaptation of one)."""

Level = Literal["individual", "team", "organisation"]
LEVELS: tuple[Level, ...] = ("individual", "team", "organisation")


class Questions(Strict):
    """The three plain questions asked about one principle or theme."""

    TRANSLATABLE = ("going_well", "hard", "try_next")

    going_well: Text = Field(description="What is going well.")
    hard: Text = Field(description="What is hard.")
    try_next: Text = Field(description="What we would like to try.")


class QuestionsReword(Strict):
    """New wording for some of a principle's questions; the rest keep the base wording."""

    going_well: Text | None = None
    hard: Text | None = None
    try_next: Text | None = None


class Condition(Strict):
    """Something around the peer worker that helps or wears away the values of peer support."""

    TRANSLATABLE = ("statement", "why")

    key: Slug
    statement: Text = Field(description="A short statement a team can tick as true for them.")
    level: Level
    principles: list[Slug] = Field(
        default_factory=list,
        description="The principles it bears on; leave empty when it bears on all of them.",
    )
    why: Text = Field(description="Why this matters, in plain words.")


class ConditionReword(Strict):
    """New wording, level or principles for a base condition."""

    statement: Text | None = None
    level: Level | None = None
    principles: list[Slug] | None = None
    why: Text | None = None


class Anchor(Strict):
    """What one point of the self-assessment scale means."""

    TRANSLATABLE = ("label", "description")

    label: Text
    description: Text


class Scale(Strict):
    """The self-assessment scale: whole points from ``min`` to ``max``, each described."""

    min: int = Field(1, ge=0)
    max: int = Field(4, ge=1)
    anchors: dict[int, Anchor] = Field(description="A described anchor for every point.")

    @property
    def points(self) -> range:
        """Every point of the scale, lowest first."""
        return range(self.min, self.max + 1)


class Statement(Strict):
    """One statement of the self-assessment, about one principle or theme."""

    TRANSLATABLE = ("text",)

    key: Slug
    principle: Slug = Field(description="The principle (or theme) the statement is about.")
    text: Text


class StatementReword(Strict):
    """New wording for a base statement."""

    text: Text | None = None
    principle: Slug | None = None


class SelfAssessment(Strict):
    """A short self-assessment: statements per principle, a described scale, free text."""

    TRANSLATABLE = ("instructions", "free_text")

    instructions: str = ""
    free_text: Text = Field(description="The prompt of the free-text box beside each principle.")
    scale: Scale
    statements: list[Statement] = Field(min_length=1)


class ReflectionGuide(Strict):
    """A complete reflection guide (a base one, or an adaptation once resolved)."""

    TRANSLATABLE = ("title", "summary", "notice")

    kind: Literal["reflection-guide"]
    key: Slug
    version: Text = Field(description='Quoted text, e.g. "1" or "2024.1".')
    title: Text
    framework: Reference = Field(description="The framework (or adaptation) the guide follows.")
    language: Text = "en"
    summary: str = ""
    citation: Citation | None = None
    notice: str = ""
    extends: Reference | None = Field(None, description="Set on a resolved adaptation only.")
    questions: dict[Slug, Questions] = Field(
        description="Principle or theme key -> its three questions."
    )
    conditions: list[Condition] = Field(default_factory=list)
    self_assessment: SelfAssessment
    translations: Translations = Field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The pinned reference ``key@version``."""
        return f"{self.key}@{self.version}"

    def statements_for(self, principle_key: str) -> list[Statement]:
        """The self-assessment statements about one principle or theme."""
        return [s for s in self.self_assessment.statements if s.principle == principle_key]

    def conditions_at(self, level: str) -> list[Condition]:
        """The organisational conditions at one level."""
        return [c for c in self.conditions if c.level == level]


class ConditionChanges(Strict):
    """What an adaptation does to the base guide's conditions."""

    add: list[Condition] = Field(default_factory=list)
    remove: list[Slug] = Field(default_factory=list)
    reword: dict[Slug, ConditionReword] = Field(default_factory=dict)


class StatementChanges(Strict):
    """What an adaptation does to the base guide's self-assessment statements."""

    add: list[Statement] = Field(default_factory=list)
    remove: list[Slug] = Field(default_factory=list)
    reword: dict[Slug, StatementReword] = Field(default_factory=dict)


class GuideAdaptation(Strict):
    """A local adaptation of a reflection guide: its identity, its base, and its changes."""

    kind: Literal["reflection-guide"]
    key: Slug
    version: Text
    title: Text
    extends: Reference = Field(description="The base guide, key@version.")
    framework: Reference | None = Field(
        None, description="The framework it follows; defaults to the base guide's."
    )
    language: Text | None = None
    summary: str = ""
    citation: Citation | None = None
    notice: str = ""
    questions: dict[Slug, QuestionsReword] = Field(
        default_factory=dict,
        description="New questions for a principle the base has not got, or new wording.",
    )
    conditions: ConditionChanges = Field(default_factory=ConditionChanges)
    statements: StatementChanges = Field(default_factory=StatementChanges)
    translations: Translations = Field(default_factory=dict)

    @property
    def ref(self) -> str:
        """The pinned reference ``key@version``."""
        return f"{self.key}@{self.version}"
