"""Publishing agreed wording as a framework version (issue 15, items 4 and 5).

When a project's last drafting round closes, the web layer hands this module the agreed
text as plain data (a :class:`Draft`). :func:`build_framework` turns it into a new
framework; :func:`build_adaptation` into a local adaptation that ``extends`` a published
framework and records only what changed. Either way the result is written as YAML and put
through the very checks ``peerprinciples framework validate`` runs
(:meth:`Library.check <peerprinciples.core.library.Library.check>`), so publishing and
validating can never disagree. Every problem is reported at once, in a
:class:`PublishError`.

How a draft becomes an adaptation (:func:`build_adaptation`)
-------------------------------------------------------------
Each draft entry names the base entry it comes from in ``base_key`` (``None`` for an entry
of its own). An adaptation keeps the base's keys, so that instruments pinned to the base's
principles keep working; a draft entry must therefore use its base entry's key.

* a draft entry whose ``base_key`` is a base entry: a changed title is a ``rename``, other
  changed fields a ``reword`` listing only those fields; an unchanged entry records nothing;
* a base entry no draft entry comes from: ``remove``;
* a draft entry with no ``base_key``: ``add``.

A draft in another language than its base is a *translation*: it must keep the base's
structure (the same entries, scopes, values and themes' reach; only texts differ), and each
text that differs from the base's is recorded under ``translations[<language>]`` by its
text id. The adaptation keeps the base's language, so showing it in the draft's language
(``--language cy``) gives the draft's wording. Rewording and translating are separate
publications: agree the wording in the base's language first, then translate it.

The resolved adaptation keeps the base's order, with added entries last in draft order.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from peerprinciples.core.coproduction.publishing_yaml import yaml_text
from peerprinciples.core.documents import DocumentError, Problem, parse_yaml
from peerprinciples.core.frameworks import Adaptation, Framework
from peerprinciples.core.library import Library, version_key
from peerprinciples.core.models import Citation
from peerprinciples.core.provenance import Provenance

Scope = Literal["general", "local"]


@dataclass(frozen=True)
class AgreedValue:
    """A value as the team agreed it."""

    key: str
    title: str
    description: str = ""
    scope: Scope = "general"
    community: str = ""
    base_key: str | None = None


@dataclass(frozen=True)
class AgreedPrinciple:
    """A principle's agreed wording: title, definition and aspects."""

    key: str
    title: str
    definition: str
    aspects: Sequence[str] = ()
    scope: Scope = "general"
    values: Sequence[str] = ()
    base_key: str | None = None


@dataclass(frozen=True)
class AgreedTheme:
    """A cross-cutting theme's agreed wording; ``applies_to`` is ``"all"`` or principle keys."""

    key: str
    title: str
    description: str
    applies_to: str | Sequence[str] = "all"
    base_key: str | None = None


@dataclass(frozen=True)
class Draft:
    """Everything agreed by the end of the last round, ready to publish."""

    key: str
    version: str
    title: str
    language: str = "en"
    summary: str = ""
    citation: Citation | None = None
    notice: str = ""
    values: Sequence[AgreedValue] = ()
    principles: Sequence[AgreedPrinciple] = ()
    themes: Sequence[AgreedTheme] = ()
    provenance: Provenance | None = None

    @property
    def ref(self) -> str:
        """``key@version``."""
        return f"{self.key}@{self.version}"


class PublishError(DocumentError):
    """A draft that cannot be published, with every problem found in it, in the order of
    the draft (the places name entries by their position in it)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems)
        self.problems = list(problems)
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} found in {self._source()}"
        self.args = (
            header
            + ":\n"
            + "\n".join(f"  - {p.where}: {p.message} Fix: {p.fix}" for p in self.problems),
        )

    def _source(self) -> str:
        return self.problems[0].source if self.problems else "the draft"


# --- a new framework -------------------------------------------------------------------------


def build_framework(draft: Draft, library: Library | None = None) -> Framework:
    """The framework a draft publishes, checked as ``framework validate`` checks a file.

    Raises :class:`PublishError` listing every problem (a key used twice, an empty
    definition, a principle protecting a value the draft does not have, ...), each with
    where it is in the draft and how to fix it. ``base_key`` is ignored: a new framework
    stands on its own.
    """
    data = _header(draft)
    data["language"] = draft.language
    data["values"] = [_value(v) for v in draft.values]
    data["principles"] = [_principle(p) for p in draft.principles]
    data["themes"] = [_theme(t) for t in draft.themes]
    data["provenance"] = _provenance(draft.provenance)
    document = parse_yaml(yaml_text(data), f"draft {draft.ref}")
    checked = (library or Library(builtin=False)).check(document)
    model = _accepted(checked.model, checked.problems)
    assert isinstance(model, Framework)
    return model


def _header(draft: Draft) -> dict[str, Any]:
    return {
        "key": draft.key,
        "version": draft.version,
        "title": draft.title,
        "language": None,
        "summary": draft.summary,
        "citation": draft.citation.model_dump(exclude_none=True) if draft.citation else None,
        "notice": draft.notice,
    }


def _value(value: AgreedValue) -> dict[str, Any]:
    return {
        "key": value.key,
        "title": value.title,
        "description": value.description,
        "scope": value.scope,
        "community": value.community,
    }


def _principle(principle: AgreedPrinciple) -> dict[str, Any]:
    return {
        "key": principle.key,
        "title": principle.title,
        "definition": principle.definition,
        "aspects": list(principle.aspects),
        "scope": principle.scope,
        "values": list(principle.values),
    }


def _theme(theme: AgreedTheme) -> dict[str, Any]:
    applies = theme.applies_to if isinstance(theme.applies_to, str) else list(theme.applies_to)
    return {
        "key": theme.key,
        "title": theme.title,
        "description": theme.description,
        "applies_to": applies,
    }


def _provenance(provenance: Provenance | None) -> dict[str, Any] | None:
    return provenance.model_dump(exclude_none=True) if provenance else None


def _accepted(model: object, problems: Sequence[Problem]) -> object:
    # Lines of the intermediate YAML mean nothing to the person who wrote the draft; the
    # place (principles[2].definition) and the message say where.
    if problems or model is None:
        ordered = sorted(problems, key=lambda p: (p.line or 0, p.where))
        raise PublishError(
            [
                dataclasses.replace(p, line=None, message=_LINE_NOTE.sub(")", p.message))
                for p in ordered
            ]
        )
    return model


_LINE_NOTE = re.compile(r", line \d+\)")
"""A note such as "(first at values[0].key, line 6)" names a line of the intermediate file."""


# --- an adaptation ---------------------------------------------------------------------------

_PLAIN = {
    "values": ("title", "description", "scope", "community"),
    "principles": ("title", "definition", "aspects", "scope", "values"),
    "themes": ("title", "description", "applies_to"),
}
"""The fields of each kind of entry, as the draft and the base both have them."""

_STRUCTURE = {"values": ("scope",), "principles": ("scope", "values"), "themes": ("applies_to",)}
"""Fields that are not text: a translation must leave them as they are."""


def build_adaptation(base: Framework, draft: Draft, library: Library | None = None) -> Adaptation:
    """The adaptation of ``base`` that a draft publishes (see the module's docstring).

    It is checked as ``framework validate`` checks an adaptation file, against ``base``
    itself (which need not be in a library). Raises :class:`PublishError` with every
    problem found.
    """
    problems: list[Problem] = []
    entries = {
        "values": [_value(v) for v in draft.values],
        "principles": [_principle(p) for p in draft.principles],
        "themes": [_theme(t) for t in draft.themes],
    }
    origins = {
        "values": [v.base_key for v in draft.values],
        "principles": [p.base_key for p in draft.principles],
        "themes": [t.base_key for t in draft.themes],
    }
    source = f"draft {draft.ref}"
    for name in entries:
        problems += _origin_problems(source, base, name, entries[name], origins[name])
    if problems:
        raise PublishError(problems)
    header = _header(draft)
    data = {"key": header.pop("key"), "version": header.pop("version")}
    data.update(title=header.pop("title"), extends=base.ref, **header)
    if draft.language != base.language:
        problems += _structure_problems(source, base, draft.language, entries, origins)
        if problems:
            raise PublishError(problems)
        data["translations"] = {draft.language: _translations(base, draft, entries)}
    else:
        for name in entries:
            data[name] = _changes(getattr(base, name), entries[name], origins[name], name)
    data["provenance"] = _provenance(draft.provenance)
    document = parse_yaml(yaml_text(data), source)
    checked = (library or Library(builtin=False)).check_adaptation_of(document, base)
    _accepted(checked.model, checked.problems)
    model = Adaptation.model_validate(document.data)
    return model


def _origin_problems(
    source: str,
    base: Framework,
    name: str,
    entries: list[dict[str, Any]],
    origins: list[str | None],
) -> list[Problem]:
    label = name[:-1]
    known = {e.key for e in getattr(base, name)}
    problems = []
    seen: dict[str, int] = {}
    for index, (entry, origin) in enumerate(zip(entries, origins, strict=True)):
        if origin is None:
            continue
        where = (name, index, "base_key")
        if origin not in known:
            problems.append(
                Problem(
                    source,
                    where,
                    f"the {label} '{entry['key']}' is said to come from the base's "
                    f"'{origin}', which {base.ref} does not have "
                    f"({name}: {', '.join(sorted(known)) or 'none'}).",
                    f"choose one of those {name}, or leave base_key empty for a new {label}.",
                )
            )
        elif origin in seen:
            problems.append(
                Problem(
                    source,
                    where,
                    f"two {name} come from the base's '{origin}' ({name}[{seen[origin]}] "
                    f"and {name}[{index}]).",
                    f"keep one; add the other as a new {label} with a key of its own.",
                )
            )
        elif entry["key"] != origin:
            problems.append(
                Problem(
                    source,
                    (name, index, "key"),
                    f"the {label} '{entry['key']}' comes from the base's '{origin}', but an "
                    "adaptation keeps the base's keys so instruments linked to them keep working.",
                    f"use the key '{origin}' (its title can change).",
                )
            )
        seen.setdefault(origin, index)
    return problems


def _changes(
    base_entries: Iterable[Any], drafted: list[dict[str, Any]], origins: list[str | None], name: str
) -> dict[str, Any]:
    by_key = {e.key: e for e in base_entries}
    kept = {origin for origin in origins if origin is not None}
    changes: dict[str, Any] = {
        "add": [],
        "remove": [key for key in by_key if key not in kept],
        "rename": {},
        "reword": {},
    }
    for entry, origin in zip(drafted, origins, strict=True):
        if origin is None:
            changes["add"].append(entry)
            continue
        was = by_key[origin].model_dump()
        if entry["title"] != was["title"]:
            changes["rename"][origin] = entry["title"]
        reworded = {
            f: entry[f] for f in _PLAIN[name][1:] if _normal(entry[f]) != _normal(was.get(f))
        }
        if reworded:
            changes["reword"][origin] = reworded
    return changes


def _normal(value: Any) -> Any:
    # A draft's empty community and the base's missing one are the same thing.
    return value if value not in (None, "") else ""


def _structure_problems(
    source: str,
    base: Framework,
    language: str,
    entries: dict[str, list[dict[str, Any]]],
    origins: dict[str, list[str | None]],
) -> list[Problem]:
    problems = []
    fix = (
        f"publish changes of structure in {base.language} first, then translate the result "
        f"into '{language}'."
    )
    for name, drafted in entries.items():
        base_keys = [e.key for e in getattr(base, name)]
        own = [o for o in origins[name] if o is not None]
        if len(own) != len(drafted) or sorted(own) != sorted(base_keys):
            problems.append(
                Problem(
                    source,
                    (name,),
                    f"a draft in '{language}' is published as a translation of {base.ref}, so "
                    f"its {name} must be the base's, each named by base_key (the base has: "
                    f"{', '.join(base_keys) or 'none'}).",
                    fix,
                )
            )
            continue
        by_key = {e.key: e.model_dump() for e in getattr(base, name)}
        for index, (entry, origin) in enumerate(zip(drafted, origins[name], strict=True)):
            assert origin is not None
            fields = (*_STRUCTURE[name], "aspects") if name == "principles" else _STRUCTURE[name]
            for f in fields:
                was = by_key[origin].get(f)
                now = entry[f]
                if f == "aspects":
                    was, now = len(was), len(now)
                if _normal(now) != _normal(was):
                    problems.append(
                        Problem(
                            source,
                            (name, index, f),
                            f"a translation cannot change the {f} of the {name[:-1]} "
                            f"'{origin}'" + (" (how many there are)." if f == "aspects" else "."),
                            fix,
                        )
                    )
    return problems


def _translations(
    base: Framework, draft: Draft, entries: dict[str, list[dict[str, Any]]]
) -> dict[str, str]:
    table: dict[str, str] = {}
    for name, text in (("title", draft.title), ("summary", draft.summary)):
        if text and text != getattr(base, name):
            table[name] = text
    for name, drafted in entries.items():
        by_key = {e.key: e for e in getattr(base, name)}
        for entry in drafted:
            was = by_key[entry["key"]]
            for f in type(was).TRANSLATABLE:
                new, old = entry[f], getattr(was, f)
                if isinstance(new, list):
                    for i, text in enumerate(new):
                        if i >= len(old) or text != old[i]:
                            table[f"{name}.{entry['key']}.{f}.{i}"] = text
                elif new and new != old:
                    table[f"{name}.{entry['key']}.{f}"] = new
    return table


# --- keys and versions -----------------------------------------------------------------------

KEY_LENGTH = 48
"""The longest key :func:`suggest_key` makes (cut at a hyphen where it can)."""


_APOSTROPHES = re.compile("['\u2019\u02bc]")
"""Straight, curly and modifier-letter apostrophes: dropped from a key, not made hyphens."""


def suggest_key(title: str, taken: Iterable[str] = (), *, fallback: str = "entry") -> str:
    """A key for ``title`` that none of ``taken`` has.

    Letters lose their accents ("Cydfuddiant â" gives ``cydfuddiant-a``), apostrophes are
    dropped ("young people's" gives ``young-peoples``), anything else than a letter or
    digit becomes a hyphen, and the key is at most :data:`KEY_LENGTH`
    characters. A title with no letters gives ``fallback``; one starting with a digit is
    prefixed with it (``5 ways`` gives ``entry-5-ways``), since keys start with a letter.
    A key already taken gets ``-2``, ``-3``, ... .

    >>> suggest_key("Mutuality & reciprocity", {"mutuality-reciprocity"})
    'mutuality-reciprocity-2'
    """
    plain = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", title))
    plain = plain.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if not slug:
        slug = fallback
    elif not slug[0].isalpha():
        slug = f"{fallback}-{slug}"
    if len(slug) > KEY_LENGTH:
        cut = slug[:KEY_LENGTH]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    used = set(taken)
    key, number = slug, 2
    while key in used:
        key = f"{slug}-{number}"
        number += 1
    return key


_LAST_NUMBER = re.compile(r"(\d+)(?!.*\d)")


def next_version(existing: Iterable[str]) -> str:
    """The version after the latest of ``existing``: ``"1"`` when there is none.

    The latest is found as the library finds a bare key's latest version
    (:func:`~peerprinciples.core.library.version_key`: ``1.10`` comes after ``1.9``),
    and its last run of digits is counted up by one:
    ``"1"`` gives ``"2"``, ``"1.1"`` gives ``"1.2"``, ``"1.9"`` gives ``"1.10"`` and
    ``"2017"`` gives ``"2018"``. A latest version with no digits (``"draft"``) raises
    ``ValueError``: there is no next number to give, so the team chooses one.
    """
    versions = list(existing)
    if not versions:
        return "1"
    latest = max(versions, key=version_key)
    match = _LAST_NUMBER.search(latest)
    if match is None:
        raise ValueError(
            f"the latest version '{latest}' has no number to count up from; "
            "choose the new version yourself, e.g. '1'."
        )
    number = str(int(match.group(1)) + 1)
    return latest[: match.start()] + number + latest[match.end() :]
