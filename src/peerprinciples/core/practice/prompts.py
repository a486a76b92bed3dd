"""Prompts: a question for each cell of the matrix, to start a team thinking.

A prompt set belongs to a framework (by key) and holds a question for each principle × area.
The built-in sets live in ``data/practice/prompts/<framework key>.yaml``. A local adaptation
keeps its base's principle keys, so it is prompted from its base's set for every principle it
kept. It may also ship a prompt file of its own that ``extends`` the base's set: its entries
change the base's prompts for the same cell and add prompts for cells the base has none for
(its own principles, say). A programme's own prompts (``Matrix.prompts``, keyed
``area/principle``) change or add to all of those.

Prompt files are written by people, so :func:`read_prompt_set` and :func:`check_prompt_set`
report every problem at once with its file, line and fix, as frameworks are reported.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import Field

from peerprinciples.core.documents import (
    DocumentError,
    Problem,
    YamlDocument,
    read_yaml,
    validation_problems,
)
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.models import Slug, Strict, Text, parse_reference
from peerprinciples.core.practice.matrix import Area, Matrix, builtin_areas


class PromptEntry(Strict):
    """One prompt: the question for one principle (or theme) in one area."""

    principle: Slug
    area: Slug
    text: Text


class PromptSet(Strict):
    """The prompts written for one framework."""

    framework: Slug = Field(description="The key of the framework the prompts are written for.")
    extends: Slug | None = Field(
        None,
        description="The framework key of the prompt set this one changes and adds to "
        "(for a local adaptation: its base's key).",
    )
    prompts: list[PromptEntry] = Field(default_factory=list)


class Source(enum.StrEnum):
    """Where a cell's prompt comes from."""

    BUILT_IN = "built_in"
    ADAPTATION = "adaptation"
    LOCAL = "local"


SOURCE_LABELS = {
    Source.BUILT_IN: "Built-in prompt",
    Source.ADAPTATION: "From the local adaptation's prompts",
    Source.LOCAL: "The programme's own prompt",
}


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


def _find_set(key: str, own: Mapping[str, PromptSet]) -> tuple[PromptSet | None, Source]:
    """The prompt set for a framework key: one given by the caller first, else the built-in."""
    if key in own:
        return own[key], Source.ADAPTATION
    return builtin_prompt_set(key), Source.BUILT_IN


def _entries(
    key: str, own: Mapping[str, PromptSet], seen: frozenset[str] = frozenset()
) -> list[tuple[PromptEntry, Source]]:
    """The entries of the set for ``key``, after those of the set it extends (a circle of
    ``extends`` is cut where it closes; :func:`check_prompt_set` reports it)."""
    if key in seen:
        return []
    prompt_set, source = _find_set(key, own)
    if prompt_set is None:
        return []
    base = _entries(prompt_set.extends, own, seen | {key}) if prompt_set.extends else []
    return [*base, *((entry, source) for entry in prompt_set.prompts)]


def resolve_prompt_set(
    prompt_set: PromptSet, prompt_sets: Mapping[str, PromptSet] | None = None
) -> PromptSet:
    """``prompt_set`` with what it ``extends`` filled in: the base's prompts in the base's
    order, each changed where this set has one for the same cell, then this set's additions.

    ``prompt_sets`` are sets read from files, by framework key, looked up before the built-in
    ones.
    """
    own = {**(prompt_sets or {}), prompt_set.framework: prompt_set}
    merged: dict[tuple[str, str], PromptEntry] = {}
    for entry, _ in _entries(prompt_set.framework, own):
        merged[(entry.area, entry.principle)] = entry
    return PromptSet(framework=prompt_set.framework, prompts=list(merged.values()))


def prompts_for(
    framework: Framework,
    matrix: Matrix | None = None,
    *,
    prompt_sets: Mapping[str, PromptSet] | None = None,
) -> dict[tuple[str, str], CellPrompt]:
    """Every cell's prompt, by ``(area, principle)``: the prompt set of the framework (or of
    its base, for an adaptation), for the principles and themes it has, then the programme's
    own prompts over them.

    ``prompt_sets`` are prompt sets read from files (a local adaptation's own), by framework
    key; they are used before a built-in set of the same key.
    """
    keys = {p.key for p in framework.principles} | {t.key for t in framework.themes}
    own = dict(prompt_sets or {})
    found: dict[tuple[str, str], CellPrompt] = {}
    for lineage_key in reversed(_lineage(framework)):
        for entry, source in _entries(lineage_key, own):
            if entry.principle in keys:
                found[(entry.area, entry.principle)] = CellPrompt(
                    entry.area, entry.principle, entry.text, source
                )
    if matrix is not None:
        for place, text in matrix.prompts.items():
            area, _, principle = place.partition("/")
            found[(area, principle)] = CellPrompt(area, principle, text, Source.LOCAL)
    return found


# --- reading and checking prompt files -------------------------------------------------------


def load_prompt_set(document: YamlDocument) -> tuple[PromptSet | None, list[Problem]]:
    """The prompt set in a parsed YAML document, or the problems with its structure."""
    model, problems = validation_problems(document, PromptSet)
    return (model if isinstance(model, PromptSet) else None), problems


def check_prompt_set(
    prompt_set: PromptSet,
    framework: Framework,
    document: YamlDocument,
    *,
    areas: Iterable[Area] | None = None,
    prompt_sets: Mapping[str, PromptSet] | None = None,
) -> list[Problem]:
    """What is wrong with a prompt set beyond its structure, each problem at its line.

    Every prompt must name a principle or theme of ``framework`` and one of ``areas`` (the
    built-in areas unless given), and be the only prompt for its cell. The set must be
    written for the framework (or, for an adaptation, for its base), and what it
    ``extends`` must be a prompt set that exists (built in, or among ``prompt_sets``), and
    must not lead back to itself.
    """
    problems: list[Problem] = []
    area_keys = [a.key for a in (builtin_areas() if areas is None else areas)]
    titles = framework.titles()
    lineage = _lineage(framework)
    if prompt_set.framework not in lineage:
        problems.append(
            document.problem(
                ("framework",),
                f"these prompts are written for the framework '{prompt_set.framework}', but "
                f"they are being used with '{framework.ref}'.",
                f"write 'framework: {framework.key}', or use them with the framework "
                f"'{prompt_set.framework}'.",
            )
        )
    if prompt_set.extends is not None:
        problems += _extends_problems(prompt_set, document, prompt_sets or {})
    first: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(prompt_set.prompts):
        path = ("prompts", index)
        if entry.principle not in titles:
            problems.append(
                document.problem(
                    (*path, "principle"),
                    f"'{entry.principle}' is not a principle or theme of {framework.ref} "
                    f"(it has: {', '.join(titles)}).",
                    "use one of those keys, or remove this prompt.",
                )
            )
        if entry.area not in area_keys:
            problems.append(
                document.problem(
                    (*path, "area"),
                    f"'{entry.area}' is not an area (the areas are: {', '.join(area_keys)}).",
                    "use one of those keys, or remove this prompt.",
                )
            )
        cell = (entry.area, entry.principle)
        if cell in first:
            problems.append(
                document.problem(
                    path,
                    f"there is already a prompt for '{entry.principle}' in '{entry.area}' "
                    f"(prompts[{first[cell]}], line {document.line_of(('prompts', first[cell]))}).",
                    "keep one of the two, or join them into one prompt.",
                )
            )
        else:
            first[cell] = index
    return problems


def _extends_problems(
    prompt_set: PromptSet, document: YamlDocument, prompt_sets: Mapping[str, PromptSet]
) -> list[Problem]:
    own = {**prompt_sets, prompt_set.framework: prompt_set}
    seen = [prompt_set.framework]
    key = prompt_set.extends
    while key is not None:
        if key in seen:
            chain = " -> ".join([*seen, key])
            return [
                document.problem(
                    ("extends",),
                    f"the prompt sets extend each other in a circle ({chain}).",
                    "make the set for the base framework extend nothing.",
                )
            ]
        found, _ = _find_set(key, own)
        if found is None:
            return [
                document.problem(
                    ("extends",),
                    f"there is no prompt set for the framework '{key}' to extend.",
                    "name the key of a framework with prompts (such as 'enrich'), or leave "
                    "'extends' out.",
                )
            ]
        seen.append(key)
        key = found.extends
    return []


def read_prompt_set(
    path: Path,
    framework: Framework | None = None,
    *,
    areas: Sequence[Area] | None = None,
    prompt_sets: Mapping[str, PromptSet] | None = None,
) -> PromptSet:
    """Read a prompt file and check it (against ``framework`` when given).

    Raises
    ------
    DocumentError
        With every problem found, each with the file, line and how to fix it.
    """
    document = read_yaml(path)
    prompt_set, problems = load_prompt_set(document)
    if prompt_set is not None and framework is not None:
        problems = check_prompt_set(
            prompt_set, framework, document, areas=areas, prompt_sets=prompt_sets
        )
    if problems or prompt_set is None:
        raise DocumentError(problems)
    return prompt_set
