"""Prompts: a question for each cell of the matrix, to start a team thinking.

A prompt set belongs to a framework (by key) and holds a question for each principle × area.
The built-in sets live in ``data/practice/prompts/<framework key>.yaml``. A local adaptation
keeps its base's principle keys, so it is prompted from its base's set (found through
``extends``) for every principle it kept; a programme's own prompts (``Matrix.prompts``, keyed
``area/principle``) change or add to those.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import Field

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.models import Slug, Strict, Text, parse_reference
from peerprinciples.core.practice.matrix import Matrix


class PromptEntry(Strict):
    """One prompt: the question for one principle (or theme) in one area."""

    principle: Slug
    area: Slug
    text: Text


class PromptSet(Strict):
    """The prompts written for one framework."""

    framework: Slug = Field(description="The key of the framework the prompts are written for.")
    prompts: list[PromptEntry] = Field(default_factory=list)


class Source(enum.StrEnum):
    """Where a cell's prompt comes from."""

    BUILT_IN = "built_in"
    LOCAL = "local"


@dataclass(frozen=True)
class CellPrompt:
    """The prompt shown in one cell, and where it comes from."""

    area: str
    principle: str
    text: str
    source: Source


@cache
def builtin_prompt_set(framework_key: str) -> PromptSet | None:
    """The built-in prompt set for a framework key, or ``None`` when there is none."""
    found = resources.files("peerprinciples.core").joinpath(
        f"data/practice/prompts/{framework_key}.yaml"
    )
    if not found.is_file():
        return None
    return PromptSet.model_validate(yaml.safe_load(found.read_text(encoding="utf-8")))


def _lineage(framework: Framework) -> list[str]:
    """The framework's key, then its base's key when it is a resolved adaptation."""
    keys = [framework.key]
    if framework.extends:
        keys.append(parse_reference(framework.extends)[0])
    return keys


def prompts_for(
    framework: Framework, matrix: Matrix | None = None
) -> dict[tuple[str, str], CellPrompt]:
    """Every cell's prompt, by ``(area, principle)``: the built-in set of the framework (or of
    its base, for an adaptation), for the principles and themes it has, then the programme's
    own prompts over them."""
    keys = {p.key for p in framework.principles} | {t.key for t in framework.themes}
    found: dict[tuple[str, str], CellPrompt] = {}
    for lineage_key in reversed(_lineage(framework)):
        prompt_set = builtin_prompt_set(lineage_key)
        if prompt_set is None:
            continue
        for entry in prompt_set.prompts:
            if entry.principle in keys:
                found[(entry.area, entry.principle)] = CellPrompt(
                    entry.area, entry.principle, entry.text, Source.BUILT_IN
                )
    if matrix is not None:
        for place, text in matrix.prompts.items():
            area, _, principle = place.partition("/")
            found[(area, principle)] = CellPrompt(area, principle, text, Source.LOCAL)
    return found
