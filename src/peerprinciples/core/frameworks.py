"""Principles frameworks: values turned into principles, and local adaptations of them.

A framework is versioned data (stages 1 and 2 of the principles-based approach): the values
a peer support project protects, the principles that protect them, and cross-cutting themes.
A local adaptation names its base with ``extends: key@version`` and records only what it
adds, removes, renames, rewords or translates; resolving it gives the full framework, and
:func:`diff_frameworks` lists every difference from the base, so the lineage stays visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from peerprinciples.core.adapting import apply_changes
from peerprinciples.core.documents import (
    DocPath,
    Problem,
    YamlDocument,
    duplicates,
    format_path,
    keyed_entries,
)
from peerprinciples.core.models import Citation, Reference, Slug, Strict, Text, Translations
from peerprinciples.core.provenance import Provenance

Scope = Literal["general", "local"]


class Value(Strict):
    """A value behind peer support that the principles set out to protect."""

    TRANSLATABLE = ("title", "description")

    key: Slug
    title: Text
    description: str = ""
    scope: Scope = Field(
        "general",
        description="general: shared across peer support; local: "
        "specific to this service or community.",
    )
    community: str = Field(
        "",
        description="For a local value: the community or setting it belongs to. "
        "A general value has none.",
    )


class Principle(Strict):
    """A principle that protects one or more values in practice."""

    TRANSLATABLE = ("title", "definition", "aspects")

    key: Slug
    title: Text
    definition: Text
    aspects: list[Text] = Field(
        default_factory=list,
        description="What the principle means in practice, one statement each.",
    )
    scope: Scope = "general"
    values: list[Slug] = Field(default_factory=list, description="Keys of the values it protects.")


class Theme(Strict):
    """A theme that runs across principles, such as the diversity of lived experience."""

    TRANSLATABLE = ("title", "description")

    key: Slug
    title: Text
    description: Text
    applies_to: Literal["all"] | list[Slug] = "all"


class Framework(Strict):
    """A complete principles framework (a base one, or an adaptation once resolved)."""

    TRANSLATABLE = ("title", "summary", "notice")

    key: Slug
    version: Text = Field(description='Quoted text, e.g. "2017" or "1.2".')
    title: Text
    language: Text = "en"
    summary: str = ""
    citation: Citation | None = None
    notice: str = ""
    extends: Reference | None = Field(None, description="Set on a resolved adaptation only.")
    values: list[Value] = Field(default_factory=list)
    principles: list[Principle] = Field(min_length=1)
    themes: list[Theme] = Field(default_factory=list)
    translations: Translations = Field(default_factory=dict)
    provenance: Provenance | None = Field(
        None, description="How this version was co-produced; not part of its wording."
    )

    @property
    def ref(self) -> str:
        """The pinned reference ``key@version``."""
        return f"{self.key}@{self.version}"

    def principle(self, key: str) -> Principle:
        """The principle with ``key``; raises ``KeyError`` naming the known keys."""
        for principle in self.principles:
            if principle.key == key:
                return principle
        known = ", ".join(p.key for p in self.principles)
        raise KeyError(f"{self.ref} has no principle '{key}' (it has: {known})")

    def titles(self) -> dict[str, str]:
        """Every principle's and then every cross-cutting theme's title, by key, in order."""
        found = {p.key: p.title for p in self.principles}
        found.update((t.key, t.title) for t in self.themes)
        return found

    def themes_for(self, principle_key: str) -> list[Theme]:
        """The cross-cutting themes that apply to a principle."""
        return [t for t in self.themes if t.applies_to == "all" or principle_key in t.applies_to]


# --- adaptations --------------------------------------------------------------------------

EntryT = TypeVar("EntryT", bound=BaseModel)
RewordT = TypeVar("RewordT", bound=BaseModel)


class Changes(Strict, Generic[EntryT, RewordT]):
    """What an adaptation does to one list of its base (principles, values or themes)."""

    add: list[EntryT] = Field(default_factory=list)
    remove: list[Slug] = Field(default_factory=list)
    rename: dict[Slug, Text] = Field(default_factory=dict, description="key -> new title")
    reword: dict[Slug, RewordT] = Field(default_factory=dict)


class PrincipleReword(Strict):
    """New wording for parts of a base principle; fields left out keep the base wording."""

    definition: Text | None = None
    aspects: list[Text] | None = None
    scope: Scope | None = None
    values: list[Slug] | None = None


class ValueReword(Strict):
    """New wording for a base value."""

    description: str | None = None
    scope: Scope | None = None
    community: str | None = None


class ThemeReword(Strict):
    """New wording for a base theme, or a new set of principles it applies to."""

    description: Text | None = None
    applies_to: Literal["all"] | list[Slug] | None = None


class Adaptation(Strict):
    """A local adaptation: its own identity, its base, and only what it changes."""

    key: Slug
    version: Text
    title: Text
    extends: Reference
    language: Text | None = Field(None, description="Defaults to the base framework's language.")
    summary: str = ""
    citation: Citation | None = None
    notice: str = ""
    values: Changes[Value, ValueReword] = Field(default_factory=Changes[Value, ValueReword])
    principles: Changes[Principle, PrincipleReword] = Field(
        default_factory=Changes[Principle, PrincipleReword]
    )
    themes: Changes[Theme, ThemeReword] = Field(default_factory=Changes[Theme, ThemeReword])
    translations: Translations = Field(default_factory=dict)
    provenance: Provenance | None = Field(
        None,
        description="How this adaptation was co-produced; the base's provenance is not inherited.",
    )

    @property
    def ref(self) -> str:
        """The pinned reference ``key@version``."""
        return f"{self.key}@{self.version}"


def resolve_adaptation(
    adaptation: Adaptation, base: Framework, document: YamlDocument
) -> tuple[Framework | None, list[Problem]]:
    """Apply an adaptation to its base, giving the full framework or the problems found."""
    problems: list[Problem] = []
    data = base.model_dump()
    for name in ("values", "principles", "themes"):
        label = name[:-1]
        data[name] = apply_changes(
            data[name],
            getattr(adaptation, name),
            label=label,
            base="framework",
            path=(name,),
            document=document,
            problems=problems,
        )
    for field in ("key", "version", "title", "summary", "notice", "citation"):
        own = getattr(adaptation, field)
        if own or field in ("key", "version", "title"):
            data[field] = own.model_dump() if isinstance(own, BaseModel) else own
    data["language"] = adaptation.language or base.language
    data["extends"] = base.ref
    merged: dict[str, dict[str, str]] = {k: dict(v) for k, v in base.translations.items()}
    for lang, table in adaptation.translations.items():
        merged.setdefault(lang, {}).update(table)
    data["translations"] = merged
    # The base's record describes how the base was made, not this adaptation.
    data["provenance"] = adaptation.provenance.model_dump() if adaptation.provenance else None
    if problems:
        return None, problems
    return Framework.model_validate(data), []


# --- cross-reference checks -----------------------------------------------------------------


def check_framework_data(document: YamlDocument, *, adaptation: bool) -> list[Problem]:
    """Consistency checks that a schema cannot express, run on the raw document.

    They run even when the structure has errors, so a person sees every problem in one go.
    """
    data = document.data
    problems: list[Problem] = []
    if adaptation:
        lists = {
            name: _entries_of(data.get(name), "add", name) for name in ("values", "principles")
        }
    else:
        lists = {name: keyed_entries(data, name) for name in ("values", "principles", "themes")}
    for name, entries in lists.items():
        for where, key, first in duplicates(entries):
            problems.append(
                document.problem(
                    where,
                    f"the {name[:-1]} key '{key}' is used twice (first at "
                    f"{_fmt(first)}, line {document.line_of(first)}).",
                    "give each a key of its own.",
                )
            )
    if adaptation:
        return problems
    value_keys = {key for _, key in lists["values"]}
    principle_keys = {key for _, key in lists["principles"]}
    for index, principle in enumerate(_list(data.get("principles"))):
        for j, value_key in enumerate(
            _list(principle.get("values")) if isinstance(principle, dict) else []
        ):
            if value_key not in value_keys:
                problems.append(
                    document.problem(
                        ("principles", index, "values", j),
                        f"the principle protects the value '{value_key}', which this framework "
                        f"does not define (values: {', '.join(sorted(value_keys)) or 'none'}).",
                        "add the value under 'values', or correct the key.",
                    )
                )
    for index, value in enumerate(_list(data.get("values"))):
        if isinstance(value, dict) and value.get("community") and value.get("scope") != "local":
            problems.append(
                document.problem(
                    ("values", index, "community"),
                    f"the value '{value.get('key')}' belongs to the community "
                    f"'{value['community']}', but its scope is "
                    f"{value.get('scope', 'general')!s}, which means shared across peer support.",
                    "set 'scope: local', or remove 'community' if the value is general.",
                )
            )
    problems += _provenance_problems(
        document, data.get("provenance"), principle_keys, value_keys, ("provenance", "principles")
    )
    for index, theme in enumerate(_list(data.get("themes"))):
        applies = theme.get("applies_to") if isinstance(theme, dict) else None
        for j, key in enumerate(applies if isinstance(applies, list) else []):
            if key not in principle_keys:
                problems.append(
                    document.problem(
                        ("themes", index, "applies_to", j),
                        f"the theme applies to '{key}', which is not a principle of this "
                        "framework.",
                        f"use one of: {', '.join(sorted(principle_keys))}, or 'all'.",
                    )
                )
    return problems


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _provenance_problems(
    document: YamlDocument,
    provenance: Any,
    principle_keys: set[Any],
    value_keys: set[Any],
    path: DocPath,
) -> list[Problem]:
    """A provenance record may only speak of the framework's own principles and values."""
    block = provenance.get("principles") if isinstance(provenance, dict) else None
    if not isinstance(block, dict):
        return []
    problems = []
    for key, entry in block.items():
        if key not in principle_keys:
            problems.append(
                document.problem(
                    (*path, key),
                    f"the provenance describes the principle '{key}', which this framework "
                    f"does not have (principles: {', '.join(sorted(principle_keys))}).",
                    "use the key of one of its principles, or remove the entry.",
                )
            )
        values = entry.get("values") if isinstance(entry, dict) else None
        for j, value_key in enumerate(_list(values)):
            if value_key not in value_keys:
                problems.append(
                    document.problem(
                        (*path, key, "values", j),
                        f"the provenance of '{key}' names the value '{value_key}', which this "
                        f"framework does not define (values: "
                        f"{', '.join(sorted(value_keys)) or 'none'}).",
                        "use the key of one of its values, or remove it.",
                    )
                )
    return problems


def _entries_of(block: Any, sub: str, name: str) -> list[tuple[DocPath, Any]]:
    if not isinstance(block, dict):
        return []
    return [
        ((name, sub, *path[1:]), key) for path, key in keyed_entries({name: block.get(sub)}, name)
    ]


def _fmt(path: DocPath) -> str:
    return format_path(path)


# --- differences ----------------------------------------------------------------------------

ChangeKind = Literal["added", "removed", "renamed", "reworded", "translated", "retranslated"]


@dataclass(frozen=True)
class Change:
    """One difference between two frameworks."""

    kind: ChangeKind
    target: str
    detail: str = ""
    before: Any = None
    after: Any = None

    def __str__(self) -> str:
        text = f"{self.kind} {self.target}"
        return f"{text}: {self.detail}" if self.detail else text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "kind": self.kind,
            "target": self.target,
            "detail": self.detail,
            "before": self.before,
            "after": self.after,
        }


def diff_frameworks(base: Framework, other: Framework) -> list[Change]:
    """List what ``other`` adds, removes, renames, rewords or translates relative to ``base``.

    Entries are matched by key; a changed title is a rename, any other changed field a
    reword (one change per field); translations are compared per language.
    """
    changes: list[Change] = []
    for name in ("values", "principles", "themes"):
        changes += _diff_entries(getattr(base, name), getattr(other, name), name[:-1])
    changes += _diff_translations(base.translations, other.translations)
    return changes


def _diff_entries(before: Iterable[Any], after: Iterable[Any], label: str) -> list[Change]:
    old = {entry.key: entry for entry in before}
    new = {entry.key: entry for entry in after}
    changes = [Change("removed", f"{label} '{k}'", old[k].title) for k in old if k not in new]
    for key, entry in new.items():
        if key not in old:
            changes.append(Change("added", f"{label} '{key}'", entry.title, None, entry.title))
            continue
        was = old[key]
        if was.title != entry.title:
            changes.append(
                Change(
                    "renamed",
                    f"{label} '{key}'",
                    f"{was.title!r} -> {entry.title!r}",
                    was.title,
                    entry.title,
                )
            )
        for field in type(entry).model_fields:
            if field in ("key", "title"):
                continue
            a, b = getattr(was, field), getattr(entry, field)
            if a != b:
                changes.append(Change("reworded", f"{label} '{key}'", field, a, b))
    return changes


def _diff_translations(
    before: Mapping[str, Mapping[str, str]], after: Mapping[str, Mapping[str, str]]
) -> list[Change]:
    changes = []
    for lang in sorted(set(before) | set(after)):
        old, new = before.get(lang, {}), after.get(lang, {})
        added = sorted(set(new) - set(old))
        changed = sorted(k for k in set(new) & set(old) if new[k] != old[k])
        removed = sorted(set(old) - set(new))
        if added:
            changes.append(
                Change(
                    "translated",
                    f"language '{lang}'",
                    f"{len(added)} text(s): {', '.join(added)}",
                    None,
                    added,
                )
            )
        if changed or removed:
            changes.append(
                Change(
                    "retranslated",
                    f"language '{lang}'",
                    f"{len(changed)} changed, {len(removed)} removed",
                    removed,
                    changed,
                )
            )
    return changes


def check_references(framework: Framework, document: YamlDocument) -> list[Problem]:
    """Checks on a resolved framework: every principle's values and themes still exist."""
    problems: list[Problem] = []
    value_keys = {v.key for v in framework.values}
    principle_keys = {p.key for p in framework.principles}
    for principle in framework.principles:
        for value_key in principle.values:
            if value_key not in value_keys:
                problems.append(
                    document.problem(
                        ("principles",),
                        f"the principle '{principle.key}' protects the value '{value_key}', which "
                        "the adapted framework no longer defines.",
                        "keep the value, or reword the principle's 'values'.",
                    )
                )
    for value in framework.values:
        if value.community and value.scope != "local":
            problems.append(
                document.problem(
                    ("values",),
                    f"the value '{value.key}' belongs to the community '{value.community}', "
                    "but its scope in the adapted framework is general.",
                    "make it local (scope: local), or leave out its community.",
                )
            )
    if framework.provenance is not None:
        problems += _provenance_problems(
            document,
            framework.provenance.model_dump(),
            principle_keys,
            value_keys,
            ("provenance", "principles"),
        )
    for theme in framework.themes:
        if theme.applies_to != "all":
            for key in theme.applies_to:
                if key not in principle_keys:
                    problems.append(
                        document.problem(
                            ("themes",),
                            f"the theme '{theme.key}' applies to '{key}', which the adapted "
                            "framework no longer has.",
                            "reword the theme's 'applies_to', or keep the principle.",
                        )
                    )
    return problems
