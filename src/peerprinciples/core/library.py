"""The library of frameworks, instruments and reflection guides: built-in and a user's own.

Documents are found by content, not by file name: a document with ``kind: reflection-guide``
is a reflection guide (or, with ``extends:``, a local adaptation of one); otherwise one with
``framework:`` is an instrument, one with ``extends:`` is a local adaptation of a framework,
any other is a framework. They are referred to as ``key@version``; a bare ``key`` means its
latest version.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from peerprinciples.core.documents import (
    DocumentError,
    Problem,
    YamlDocument,
    read_yaml,
    validation_problems,
)
from peerprinciples.core.frameworks import (
    Adaptation,
    Framework,
    check_framework_data,
    check_references,
    resolve_adaptation,
)
from peerprinciples.core.instruments import Instrument, check_instrument_data
from peerprinciples.core.models import parse_reference
from peerprinciples.core.reflection.checks import check_adapted, check_guide_data, resolve_guide
from peerprinciples.core.reflection.model import GUIDE_KIND, GuideAdaptation, ReflectionGuide
from peerprinciples.core.translation import unknown_text_ids

LIBRARY_ENV = "PEERPRINCIPLES_LIBRARY"
"""Environment variable naming extra library folders, separated like PATH entries."""

Kind = Literal["framework", "adaptation", "instrument", "reflection-guide", "reflection-adaptation"]
Family = Literal["framework", "instrument", "reflection guide"]


class NotFoundError(LookupError):
    """No document in the library has the requested key and version."""


@dataclass
class Entry:
    """A document found in the library, before validation."""

    kind: Kind
    key: str
    version: str
    title: str
    document: YamlDocument
    builtin: bool

    @property
    def ref(self) -> str:
        """``key@version``."""
        return f"{self.key}@{self.version}"


@dataclass
class Checked:
    """The outcome of checking one document: the model when it is sound, and any problems."""

    kind: Kind
    model: Framework | Instrument | ReflectionGuide | None
    problems: list[Problem] = field(default_factory=list)

    def raise_for_problems(self) -> Framework | Instrument | ReflectionGuide:
        """The model, or :class:`DocumentError` with every problem."""
        if self.problems or self.model is None:
            raise DocumentError(self.problems)
        return self.model


def builtin_folder() -> Path:
    """The folder of documents that ship with peerprinciples."""
    return Path(str(resources.files("peerprinciples.core") / "data"))


BUILTIN_DATA_ONLY = ("practice",)
"""Folders of the built-in data that hold no library documents (the practice matrix's areas
and prompts, read by :mod:`peerprinciples.core.practice`), so they are not scanned."""


def kind_of(data: dict[str, object]) -> Kind:
    """Tell guides, instruments, adaptations and frameworks apart by their fields."""
    if data.get("kind") == GUIDE_KIND:
        return "reflection-adaptation" if "extends" in data else "reflection-guide"
    if "framework" in data:
        return "instrument"
    if "extends" in data:
        return "adaptation"
    return "framework"


def family_of(kind: Kind) -> Family:
    """Which namespace of references a kind of document lives in."""
    if kind == "instrument":
        return "instrument"
    if kind.startswith("reflection"):
        return "reflection guide"
    return "framework"


def version_key(version: str) -> list[tuple[int, int | str]]:
    """A sort key for versions: "2017" < "2017.1" < "2018"; parts split at ``.``, ``_``
    or ``-``, numbers compare as numbers, words as words."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[._-]", version)]


class Library:
    """Frameworks and instruments from the built-in data and any number of folders."""

    def __init__(self, folders: Iterable[Path] = (), *, builtin: bool = True) -> None:
        self.folders = [builtin_folder()] if builtin else []
        self.folders += [Path(f) for f in folders]
        self._entries: list[Entry] | None = None
        self.load_problems: list[Problem] = []
        self._checked: dict[str, Checked] = {}

    @classmethod
    def from_environment(cls, folders: Sequence[Path] = ()) -> Library:
        """The built-in library plus ``folders`` and those named in ``PEERPRINCIPLES_LIBRARY``."""
        extra = [Path(p) for p in os.environ.get(LIBRARY_ENV, "").split(os.pathsep) if p]
        return cls([*folders, *extra])

    # --- finding documents ------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every document in the library folders (each read once)."""
        if self._entries is None:
            self._entries = []
            for folder in self.folders:
                self._scan(folder, builtin=folder == builtin_folder())
        return self._entries

    def _scan(self, folder: Path, *, builtin: bool) -> None:
        if not folder.is_dir():
            self.load_problems.append(
                Problem(
                    str(folder),
                    (),
                    "the library folder does not exist.",
                    f"create it, or correct {LIBRARY_ENV} / --library.",
                )
            )
            return
        files = sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml")])
        if builtin:
            files = [f for f in files if f.relative_to(folder).parts[0] not in BUILTIN_DATA_ONLY]
        for path in files:
            try:
                document = read_yaml(path)
            except DocumentError as exc:
                self.load_problems += exc.problems
                continue
            data = document.data
            key, version = data.get("key"), data.get("version")
            if not isinstance(key, str) or not isinstance(version, str):
                self.load_problems.append(
                    document.problem(
                        ("key",),
                        "the document needs a text 'key' and a quoted 'version'.",
                        'add them, e.g. key: my-framework and version: "1".',
                    )
                )
                continue
            title = data.get("title")
            entry = Entry(kind_of(data), key, version, str(title or ""), document, builtin)
            clash = next(
                (
                    e
                    for e in self._entries or []
                    if e.ref == entry.ref and family_of(e.kind) == family_of(entry.kind)
                ),
                None,
            )
            if clash:
                self.load_problems.append(
                    document.problem(
                        ("version",),
                        f"{entry.ref} is already defined in {clash.document.source}.",
                        "give one of them a new version or key.",
                    )
                )
                continue
            assert self._entries is not None
            self._entries.append(entry)

    def _find(self, reference: str, label: Family) -> Entry:
        key, version = parse_reference(reference)
        candidates = [e for e in self.entries() if e.key == key and family_of(e.kind) == label]
        if not candidates:
            known = sorted({e.ref for e in self.entries() if family_of(e.kind) == label})
            raise NotFoundError(
                f"there is no {label} '{key}' in the library (available: "
                f"{', '.join(known) or 'none'})."
            )
        if version is None:
            return max(candidates, key=lambda e: version_key(e.version))
        for entry in candidates:
            if entry.version == version:
                return entry
        versions = ", ".join(sorted(e.version for e in candidates))
        raise NotFoundError(
            f"the {label} '{key}' has no version '{version}' in the library (versions: {versions})."
        )

    def frameworks(self) -> list[Entry]:
        """Framework and adaptation entries, sorted by reference."""
        return sorted(
            (e for e in self.entries() if family_of(e.kind) == "framework"), key=lambda e: e.ref
        )

    def instruments(self) -> list[Entry]:
        """Instrument entries, sorted by reference."""
        return sorted((e for e in self.entries() if e.kind == "instrument"), key=lambda e: e.ref)

    def reflection_guides(self) -> list[Entry]:
        """Reflection guide entries (base guides and local adaptations), sorted by reference."""
        return sorted(
            (e for e in self.entries() if family_of(e.kind) == "reflection guide"),
            key=lambda e: e.ref,
        )

    # --- checking and resolving -------------------------------------------------------------

    def framework(self, reference: str) -> Framework:
        """The framework ``key[@version]``, resolved if it is an adaptation."""
        model = self._check_entry(self._find(reference, "framework")).raise_for_problems()
        assert isinstance(model, Framework)
        return model

    def instrument(self, reference: str) -> Instrument:
        """The instrument ``key[@version]``."""
        model = self._check_entry(self._find(reference, "instrument")).raise_for_problems()
        assert isinstance(model, Instrument)
        return model

    def reflection_guide(self, reference: str) -> ReflectionGuide:
        """The reflection guide ``key[@version]``, resolved if it is a local adaptation."""
        entry = self._find(reference, "reflection guide")
        model = self._check_entry(entry).raise_for_problems()
        assert isinstance(model, ReflectionGuide)
        return model

    def guide_lineage(self, guide: ReflectionGuide) -> list[ReflectionGuide]:
        """The guide, then the guide it adapts, and so on back to a base guide."""
        chain = [guide]
        while chain[-1].extends:
            chain.append(self.reflection_guide(chain[-1].extends))
        return chain

    def base_of(self, framework: Framework) -> Framework | None:
        """The framework an adaptation extends, or ``None`` for a base framework."""
        return self.framework(framework.extends) if framework.extends else None

    def _check_entry(self, entry: Entry, chain: tuple[str, ...] = ()) -> Checked:
        cache_key = f"{entry.kind}:{entry.ref}"
        if cache_key not in self._checked:
            self._checked[cache_key] = self.check(entry.document, chain=(*chain, entry.ref))
        return self._checked[cache_key]

    def check_file(self, path: Path) -> Checked:
        """Read and check one file against this library (the file need not be in it)."""
        try:
            document = read_yaml(path)
        except DocumentError as exc:
            return Checked("framework", None, list(exc.problems))
        return self.check(document)

    def check(self, document: YamlDocument, chain: tuple[str, ...] = ()) -> Checked:
        """Check a document: its structure, its cross-references and what it refers to."""
        kind = kind_of(document.data)
        if kind == "reflection-guide":
            return self._check_guide(document)
        if kind == "reflection-adaptation":
            return self._check_guide_adaptation(document, chain)
        if kind == "instrument":
            return self._check_instrument(document)
        if kind == "adaptation":
            return self._check_adaptation(document, chain)
        model, problems = validation_problems(document, Framework)
        problems += check_framework_data(document, adaptation=False)
        return self._finish(document, kind, model, problems)

    def _finish(
        self, document: YamlDocument, kind: Kind, model: BaseModel | None, problems: list[Problem]
    ) -> Checked:
        if model is not None:
            for lang, ids in unknown_text_ids(model).items():
                for text_id in ids:
                    problems.append(
                        document.problem(
                            ("translations", lang, text_id),
                            f"the translation '{text_id}' names no text of this document.",
                            "check the id against 'peerprinciples ... show --format json'; ids are "
                            "dotted paths such as principles.<key>.title.",
                        )
                    )
        if problems:
            return Checked(kind, None, problems)
        assert isinstance(model, Framework | Instrument | ReflectionGuide)
        return Checked(kind, model, [])

    def _check_adaptation(self, document: YamlDocument, chain: tuple[str, ...]) -> Checked:
        model, problems = validation_problems(document, Adaptation)
        problems += check_framework_data(document, adaptation=True)
        if not isinstance(model, Adaptation):
            return Checked("adaptation", None, problems)
        if model.extends in chain:
            problems.append(
                document.problem(
                    ("extends",),
                    f"the adaptation extends itself through {' -> '.join(chain)}.",
                    "extend a framework that does not depend on this one.",
                )
            )
            return Checked("adaptation", None, problems)
        try:
            entry = self._find(model.extends, "framework")
            base_checked = self._check_entry(entry, chain)
        except NotFoundError as exc:
            problems.append(
                document.problem(
                    ("extends",),
                    f"the base framework cannot be found: {exc}",
                    "add the base framework to the library, or extend one that is listed.",
                )
            )
            return Checked("adaptation", None, problems)
        if not isinstance(base_checked.model, Framework):
            first = base_checked.problems[0].message if base_checked.problems else ""
            problems.append(
                document.problem(
                    ("extends",),
                    f"the base framework {model.extends} has "
                    f"{len(base_checked.problems)} problem(s) of its own, the first: {first} "
                    f"(see 'peerprinciples framework validate {entry.document.source}').",
                    "fix the base framework first.",
                )
            )
            return Checked("adaptation", None, problems)
        return self._resolve_checked(document, model, base_checked.model, problems)

    def check_adaptation_of(self, document: YamlDocument, base: Framework) -> Checked:
        """Check an adaptation against a base framework given in hand rather than found in
        the library (one being published, say): the same checks as :meth:`check`, so a
        document accepted here is accepted by ``framework validate`` once its base is listed.
        """
        model, problems = validation_problems(document, Adaptation)
        problems += check_framework_data(document, adaptation=True)
        if not isinstance(model, Adaptation):
            return Checked("adaptation", None, problems)
        if model.extends != base.ref:
            problems.append(
                document.problem(
                    ("extends",),
                    f"the adaptation extends {model.extends}, not {base.ref}.",
                    f"write 'extends: {base.ref}'.",
                )
            )
            return Checked("adaptation", None, problems)
        return self._resolve_checked(document, model, base, problems)

    def _resolve_checked(
        self, document: YamlDocument, model: Adaptation, base: Framework, problems: list[Problem]
    ) -> Checked:
        resolved, more = resolve_adaptation(model, base, document)
        problems = [*problems, *more]
        if resolved is not None:
            problems += check_references(resolved, document)
        return self._finish(document, "adaptation", resolved, problems)

    def _check_instrument(self, document: YamlDocument) -> Checked:
        model, problems = validation_problems(document, Instrument)
        reference = document.data.get("framework")
        framework, reason = None, None
        if isinstance(reference, str):
            try:
                framework = self.framework(reference)
            except NotFoundError as exc:
                reason = f"the instrument is pinned to {reference}, which is not available: {exc}"
            except DocumentError as exc:
                reason = (
                    f"the instrument is pinned to {reference}, which has "
                    f"{len(exc.problems)} problem(s) of its own."
                )
        problems += check_instrument_data(document, framework, reason)
        return self._finish(document, "instrument", model, problems)

    # --- reflection guides ----------------------------------------------------------------

    def _framework_for(self, reference: object, what: str) -> tuple[Framework | None, str | None]:
        if not isinstance(reference, str):
            return None, None
        try:
            return self.framework(reference), None
        except NotFoundError as exc:
            return None, f"the {what} follows {reference}, which is not available: {exc}"
        except DocumentError as exc:
            return None, (
                f"the {what} follows {reference}, which has {len(exc.problems)} problem(s) "
                "of its own."
            )

    def _check_guide(self, document: YamlDocument) -> Checked:
        model, problems = validation_problems(document, ReflectionGuide)
        framework, reason = self._framework_for(document.data.get("framework"), "guide")
        problems += check_guide_data(document, framework, reason)
        return self._finish(document, "reflection-guide", model, problems)

    def _check_guide_adaptation(self, document: YamlDocument, chain: tuple[str, ...]) -> Checked:
        kind: Kind = "reflection-adaptation"
        model, problems = validation_problems(document, GuideAdaptation)
        if not isinstance(model, GuideAdaptation):
            return Checked(kind, None, problems)
        if model.extends in chain:
            problems.append(
                document.problem(
                    ("extends",),
                    f"the guide extends itself through {' -> '.join(chain)}.",
                    "extend a guide that does not depend on this one.",
                )
            )
            return Checked(kind, None, problems)
        try:
            entry = self._find(model.extends, "reflection guide")
        except NotFoundError as exc:
            problems.append(
                document.problem(
                    ("extends",),
                    f"the base guide cannot be found: {exc}",
                    "add the base guide to the library, or extend one that "
                    "'peerprinciples reflection list' shows.",
                )
            )
            return Checked(kind, None, problems)
        base = self._check_entry(entry, chain).model
        if not isinstance(base, ReflectionGuide):
            problems.append(
                document.problem(
                    ("extends",),
                    f"the base guide {model.extends} has problems of its own "
                    f"(see 'peerprinciples reflection check {entry.document.source}').",
                    "fix the base guide first.",
                )
            )
            return Checked(kind, None, problems)
        resolved, more = resolve_guide(model, base, document)
        problems += more
        if resolved is not None:
            framework, reason = self._framework_for(resolved.framework, "adapted guide")
            if reason:
                where = "framework" if model.framework else "extends"
                problems.append(
                    document.problem((where,), reason, "name a framework the library has.")
                )
            problems += check_adapted(resolved, framework, document)
        return self._finish(document, kind, resolved, problems)
