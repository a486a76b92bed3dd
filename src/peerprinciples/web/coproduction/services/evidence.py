"""A project's literature review: read it as the core's evidence, and store evidence into it.

An import never deletes. Evidence is matched with what the project holds by ``key`` (a
REFI-QDA GUID, or the identifier in the CSV layout), one kind at a time: an item whose key
is new is added, an item whose key is known and whose content differs is updated, and
everything the project holds that the file does not mention stays as it is. So a review
team can export from its QDA package again after coding more sources and import the new
file over the old one; and a codebook (``.qdc``) can be imported on its own, then a project
with the quotations later.

:func:`plan_import` says what an import would do without doing it (the preview), and
:func:`store_evidence` does it in one transaction, after checking that the project's
evidence is still what the preview was worked out from (its :attr:`ImportPlan.fingerprint`);
if anyone changed it meanwhile, nothing is stored and the new plan is shown instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.db import transaction

from peerprinciples.core.coproduction import evidence as core
from peerprinciples.core.coproduction.problems import ImportProblems, Problem
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import Category, Code, Project, Quotation, Source
from peerprinciples.web.errors import DomainError

LISTED = 25
"""The most new or changed items the preview names of each kind; the rest are counted."""

LIMITS = {
    "key": Source._meta.get_field("key").max_length,
    "label": Code._meta.get_field("label").max_length,
    "doi": Source._meta.get_field("doi").max_length,
}
"""The longest key, label and DOI the database keeps, in characters."""


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


ItemT = TypeVar("ItemT", bound=Keyed)


# --- reading the stored evidence -----------------------------------------------------------


def project_evidence(project: Project) -> core.Evidence:
    """Everything the project's review holds, as the core's evidence, each kind by key."""
    sources = tuple(
        core.Source(key, citation, core.SourceKind(kind), year, doi)
        for key, citation, kind, year, doi in project.sources.order_by("key").values_list(
            "key", "citation", "kind", "year", "doi"
        )
    )
    categories = tuple(
        core.Category(key, label, description)
        for key, label, description in project.categories.order_by("key").values_list(
            "key", "label", "description"
        )
    )
    codes = tuple(
        core.Code(key, label, definition, category, parent)
        for key, label, definition, category, parent in project.codes.order_by("key").values_list(
            "key", "label", "definition", "category__key", "parent__key"
        )
    )
    applied: dict[int, list[str]] = {}
    for quotation_id, code_key in Quotation.codes.through.objects.filter(
        quotation__project=project
    ).values_list("quotation_id", "code__key"):
        applied.setdefault(quotation_id, []).append(code_key)
    quotations = tuple(
        core.Quotation(key, source, tuple(sorted(applied.get(pk, ()))), text)
        for pk, key, source, text in project.quotations.order_by("key").values_list(
            "pk", "key", "source__key", "text"
        )
    )
    return core.Evidence(sources, categories, codes, quotations)


def fingerprint(evidence: core.Evidence) -> str:
    """A digest of evidence that changes whenever anything in it changes."""
    return hashlib.sha256(repr(evidence).encode()).hexdigest()


# --- what an import would do ---------------------------------------------------------------


@dataclass(frozen=True)
class KindPlan:
    """What an import does to one kind of item (sources, categories, codes, quotations)."""

    kind: str
    in_file: int
    new: tuple[str, ...]
    """The names of the new items (a citation, a label, a quotation's source and words)."""
    changed: tuple[str, ...]
    """The changed items: the name, or "old name → new name" when the name changes."""
    unchanged: int
    kept: int
    """Items the project holds that the file does not mention: they stay as they are."""
    renamed: int = 0
    """How many changed items get another name (a source another citation, say)."""

    @property
    def new_listed(self) -> tuple[str, ...]:
        return self.new[:LISTED]

    @property
    def changed_listed(self) -> tuple[str, ...]:
        return self.changed[:LISTED]


@dataclass(frozen=True)
class ImportPlan:
    """What storing a file's evidence into a project would add and change."""

    evidence: core.Evidence
    kinds: tuple[KindPlan, ...]
    fingerprint: str
    """The digest of the project's evidence the plan was worked out from."""

    @property
    def changes(self) -> int:
        """How many items would be added or changed."""
        return sum(len(kind.new) + len(kind.changed) for kind in self.kinds)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind: in the file, new, changed, unchanged, kept (for audit entries)."""
        return {
            kind.kind: {
                "in_file": kind.in_file,
                "new": len(kind.new),
                "changed": len(kind.changed),
                "unchanged": kind.unchanged,
                "kept": kind.kept,
            }
            for kind in self.kinds
        }


def _same_quotation(a: core.Quotation, b: core.Quotation) -> bool:
    # The codes applied to a passage have no order of their own.
    return (a.source, frozenset(a.codes), a.text) == (b.source, frozenset(b.codes), b.text)


def _kind_plan(
    kind: str,
    incoming: Sequence[ItemT],
    stored: Sequence[ItemT],
    name: Callable[[ItemT], str],
    same: Callable[[ItemT, ItemT], bool] = lambda a, b: a == b,
) -> KindPlan:
    held = {item.key: item for item in stored}
    new: list[str] = []
    changed: list[str] = []
    renamed = 0
    for item in incoming:
        before = held.get(item.key)
        if before is None:
            new.append(name(item))
        elif not same(item, before):
            if name(before) == name(item):
                changed.append(name(item))
            else:
                # Say what the item was, so a key that happens to be shared by two
                # different items (S01 in two reviews) is seen before it is overwritten.
                changed.append(f"{name(before)} → {name(item)}")
                renamed += 1
    mentioned = {item.key for item in incoming}
    return KindPlan(
        kind=kind,
        in_file=len(incoming),
        new=tuple(new),
        changed=tuple(changed),
        unchanged=len(incoming) - len(new) - len(changed),
        kept=sum(1 for key in held if key not in mentioned),
        renamed=renamed,
    )


def _passage(quotation: core.Quotation) -> str:
    """A quotation as a reader knows it: its first words (its key when it has none)."""
    words = " ".join(quotation.text.split())
    if not words:
        return f"{quotation.key} (a passage without text)"
    return f"“{words[:80]}{'…' if len(words) > 80 else ''}”"


def plan_import(project: Project, evidence: core.Evidence, *, file: str = "the file") -> ImportPlan:
    """What storing ``evidence`` into the project would add and change, without storing it.

    Raises :class:`ImportProblems` when the evidence cannot be stored: a key given twice, a
    reference to a source, category or code that neither the file nor the project has, or
    a key, label or DOI longer than the database keeps.
    """
    stored = project_evidence(project)
    _check(evidence, stored, file)
    kinds = (
        _kind_plan("sources", evidence.sources, stored.sources, lambda s: s.citation),
        _kind_plan("categories", evidence.categories, stored.categories, lambda c: c.label),
        _kind_plan("codes", evidence.codes, stored.codes, lambda c: c.label),
        _kind_plan(
            "quotations",
            evidence.quotations,
            stored.quotations,
            _passage,
            _same_quotation,
        ),
    )
    return ImportPlan(evidence, kinds, fingerprint(stored))


# --- checks the core cannot make (it does not know the project) ----------------------------

_SINGULAR = {"sources": "source", "categories": "category", "codes": "code"}


def _duplicates(kind: str, items: Iterable[Keyed], file: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for item in items:
        if item.key in seen:
            problems.append(
                Problem(
                    f"{file}, {kind}",
                    f"The key {item.key!r} is given to more than one {_SINGULAR.get(kind, kind)}.",
                    "Give every item of a kind a key of its own, then import the file again.",
                )
            )
        seen.add(item.key)
    return problems


def _too_long(where: str, what: str, value: str, limit: int | None) -> list[Problem]:
    if limit is None or len(value) <= limit:
        return []
    return [
        Problem(
            where,
            f"The {what} has {len(value)} characters; at most {limit} can be kept.",
            f"Shorten the {what} in the file, then import it again.",
        )
    ]


def _missing(where: str, what: str, key: str | None, known: set[str]) -> list[Problem]:
    if key is None or key in known:
        return []
    return [
        Problem(
            where,
            f"It names the {what} {key!r}, which neither the file nor this project has.",
            f"Add the {what} to the file, or correct the key, then import it again.",
        )
    ]


def _check(evidence: core.Evidence, stored: core.Evidence, file: str) -> None:
    problems: list[Problem] = []
    for kind in ("sources", "categories", "codes", "quotations"):
        problems += _duplicates(kind, getattr(evidence, kind), file)
    for source in evidence.sources:
        where = f"{file}, source {source.key}"
        problems += _too_long(where, "key", source.key, LIMITS["key"])
        problems += _too_long(where, "DOI", source.doi, LIMITS["doi"])
    for category in evidence.categories:
        where = f"{file}, category {category.key}"
        problems += _too_long(where, "key", category.key, LIMITS["key"])
        problems += _too_long(where, "label", category.label, LIMITS["label"])
    categories = {c.key for c in (*stored.categories, *evidence.categories)}
    codes = {c.key for c in (*stored.codes, *evidence.codes)}
    sources = {s.key for s in (*stored.sources, *evidence.sources)}
    for code in evidence.codes:
        where = f"{file}, code {code.key}"
        problems += _too_long(where, "key", code.key, LIMITS["key"])
        problems += _too_long(where, "label", code.label, LIMITS["label"])
        problems += _missing(where, "category", code.category, categories)
        problems += _missing(where, "code", code.parent, codes)
    for quotation in evidence.quotations:
        where = f"{file}, quotation {quotation.key}"
        problems += _too_long(where, "key", quotation.key, LIMITS["key"])
        problems += _missing(where, "source", quotation.source, sources)
        for code_key in quotation.codes:
            problems += _missing(where, "code", code_key, codes)
    if problems:
        raise ImportProblems(problems)


# --- storing --------------------------------------------------------------------------------


class EvidenceChanged(DomainError):
    """The project's evidence changed after the preview was worked out; nothing was stored."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        super().__init__(
            "Someone changed this project's evidence after the file was checked, so nothing "
            "was imported. Below is what the file would do now; import it if that is still "
            "right."
        )


ModelT = TypeVar("ModelT", Source, Category, Code)


@dataclass
class _Upsert(Generic[ModelT]):
    """The rows of one kind to add and to update, by key."""

    model: type[ModelT]
    project: Project
    held: dict[str, ModelT]
    new: list[ModelT] = field(default_factory=list)
    changed: list[ModelT] = field(default_factory=list)

    def put(self, key: str, values: dict[str, Any]) -> None:
        row = self.held.get(key)
        if row is None:
            self.new.append(self.model(project=self.project, key=key, **values))
            return
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.version += 1
            self.changed.append(row)

    def write(self, fields: list[str]) -> dict[str, int]:
        """Save the rows; returns every key of the project's rows with its primary key."""
        self.model.objects.bulk_create(self.new, batch_size=500)
        if self.changed:
            self.model.objects.bulk_update(self.changed, [*fields, "version"], batch_size=500)
        return dict(self.model.objects.filter(project=self.project).values_list("key", "pk"))


def _held(model: type[ModelT], project: Project) -> dict[str, ModelT]:
    return {row.key: row for row in model.objects.filter(project=project)}


def _write(project: Project, evidence: core.Evidence) -> None:
    sources = _Upsert(Source, project, _held(Source, project))
    for s in evidence.sources:
        sources.put(
            s.key, {"citation": s.citation, "kind": s.kind.value, "year": s.year, "doi": s.doi}
        )
    source_ids = sources.write(["citation", "kind", "year", "doi"])

    categories = _Upsert(Category, project, _held(Category, project))
    for c in evidence.categories:
        categories.put(c.key, {"label": c.label, "description": c.description})
    category_ids = categories.write(["label", "description"])

    # Codes first without the codes they sit under (which may be new too), then those.
    codes = _Upsert(Code, project, _held(Code, project))
    for code in evidence.codes:
        category_id = category_ids[code.category] if code.category is not None else None
        codes.put(
            code.key,
            {"label": code.label, "definition": code.definition, "category_id": category_id},
        )
    code_ids = codes.write(["label", "definition", "category"])
    _write_parents(codes, evidence.codes, code_ids)
    _write_quotations(project, evidence.quotations, source_ids, code_ids)


def _write_parents(
    codes: _Upsert[Code], incoming: Sequence[core.Code], code_ids: dict[str, int]
) -> None:
    """Set the code each code sits under, now that every code has a primary key."""
    bumped = {row.key for row in codes.changed}
    moved = []
    for code in incoming:
        parent_id = code_ids[code.parent] if code.parent else None
        row = codes.held.get(code.key)
        if row is None:
            if parent_id is not None:
                moved.append(Code(pk=code_ids[code.key], parent_id=parent_id, version=1))
        elif row.parent_id != parent_id:
            row.parent_id = parent_id
            if code.key not in bumped:
                row.version += 1
            moved.append(row)
    Code.objects.bulk_update(moved, ["parent", "version"], batch_size=500)


def _write_quotations(
    project: Project,
    quotations: Sequence[core.Quotation],
    source_ids: dict[str, int],
    code_ids: dict[str, int],
) -> None:
    held = {q.key: q for q in Quotation.objects.filter(project=project)}
    new, changed = [], []
    for q in quotations:
        row = held.get(q.key)
        if row is None:
            row = Quotation(project=project, key=q.key, source_id=source_ids[q.source], text=q.text)
            new.append(row)
        else:
            row.source_id, row.text = source_ids[q.source], q.text
            changed.append(row)
    Quotation.objects.bulk_create(new, batch_size=500)
    Quotation.objects.bulk_update(changed, ["source", "text"], batch_size=500)
    ids = dict(Quotation.objects.filter(project=project).values_list("key", "pk"))
    through = Quotation.codes.through
    mentioned = [ids[q.key] for q in quotations]
    for start in range(0, len(mentioned), 500):
        through.objects.filter(quotation_id__in=mentioned[start : start + 500]).delete()
    through.objects.bulk_create(
        [
            through(quotation_id=ids[q.key], code_id=code_ids[code])
            for q in quotations
            for code in dict.fromkeys(q.codes)
        ],
        batch_size=1000,
    )


def lock(project: Project) -> Project:
    """Lock the project's row until the transaction ends. Every change to its evidence
    takes this lock first, so an import and a single edit never interleave."""
    return Project.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def store_evidence(
    user: Any,
    project: Project,
    evidence: core.Evidence,
    *,
    file_name: str,
    expected: str | None = None,
) -> ImportPlan:
    """Add the file's new items and update the changed ones, all in one transaction.

    ``expected`` is the :attr:`ImportPlan.fingerprint` the person saw in the preview: if the
    project's evidence changed since, :class:`EvidenceChanged` is raised with the new plan
    and nothing is stored. Raises :class:`ImportProblems` as :func:`plan_import` does.
    """
    locked = lock(project)
    plan = plan_import(locked, evidence, file=file_name)
    if expected is not None and plan.fingerprint != expected:
        raise EvidenceChanged(plan)
    _write(locked, evidence)
    added = ", ".join(f"{len(kind.new)} new {kind.kind}" for kind in plan.kinds)
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=f"Imported evidence from {file_name[:80]}: {added}; "
        f"{sum(len(kind.changed) for kind in plan.kinds)} items changed",
        after={"evidence_import": {"file": file_name[:200], "counts": plan.counts()}},
    )
    return plan
