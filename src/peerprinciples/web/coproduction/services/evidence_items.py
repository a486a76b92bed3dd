"""Adding and changing one source, category or code of a project's review by hand.

Each change runs in one transaction, takes the project's lock first (as imports do, so the
two never interleave), is refused with :class:`~peerprinciples.web.errors.StaleEdit` when the
item changed since its form was opened, and is audited. A key, once given, never changes:
it is what a later import of the same review matches items by.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.db.models import Model

from peerprinciples.core.coproduction import evidence as core
from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.coproduction.models import Category, Code, Project, Source
from peerprinciples.web.coproduction.services.evidence import LIMITS, lock
from peerprinciples.web.errors import InvalidInput, StaleEdit


def new_guid() -> str:
    """A fresh key in the form REFI-QDA files give their codes, so a codebook written from
    the project can be read by any QDA package."""
    return str(uuid.uuid4()).upper()


def next_source_key(project: Project) -> str:
    """The first of ``S1``, ``S2``, ... that no source of the project has as its key."""
    taken = set(project.sources.values_list("key", flat=True))
    number = 1
    while f"S{number}" in taken:
        number += 1
    return f"S{number}"


def _key(project: Project, model: type[Model], key: str) -> dict[str, str]:
    """Problems with a key typed for a new item (empty when there are none)."""
    limit = LIMITS["key"] or 0
    if len(key) > limit:
        return {"key": f"A key has at most {limit} characters; this one has {len(key)}."}
    if model._default_manager.filter(project=project, key=key).exists():
        noun = model._meta.verbose_name
        return {"key": f"Another {noun} of this project has the key {key!r}. Choose another."}
    return {}


def _source_fields(citation: str, doi: str) -> tuple[dict[str, str], str, str]:
    problems = {}
    citation = citation.strip()
    if not citation:
        problems["citation"] = "Write the reference as you would cite it."
    found = ""
    if doi.strip():
        found = core.doi_from_text(doi) or ""
        limit = LIMITS["doi"] or 0
        if len(found) > limit:
            problems["doi"] = f"A DOI of more than {limit} characters cannot be kept."
        elif not found:
            problems["doi"] = (
                "This is not a DOI. A DOI starts with 10. and a slash follows its prefix, for "
                "example 10.1108/MHSI-03-2017-0016; leave the box empty if there is none."
            )
    return problems, citation, found


def _check_year(year: int | None) -> dict[str, str]:
    if year is None or core.year_from_text(str(year)) is not None:
        return {}
    return {"year": f"Give a year from {core.EARLIEST_YEAR} to next year, or leave it empty."}


@transaction.atomic
def add_source(
    user: Any,
    project: Project,
    *,
    citation: str,
    kind: str,
    year: int | None,
    doi: str = "",
    key: str = "",
) -> Source:
    """Add a source to the review; ``key`` defaults to the next free ``S`` number."""
    locked = lock(project)
    key = key.strip() or next_source_key(locked)
    problems, citation, doi = _source_fields(citation, doi)
    problems |= _check_year(year) | _key(locked, Source, key)
    if problems:
        raise InvalidInput(problems)
    source = Source.objects.create(
        project=locked, key=key, citation=citation, kind=kind, year=year, doi=doi
    )
    record(user, "create", source, evaluation_id=None, summary=f"Added source {key[:60]}")
    return source


@transaction.atomic
def edit_source(
    user: Any,
    source: Source,
    *,
    citation: str,
    kind: str,
    year: int | None,
    doi: str,
    expected_version: int,
) -> Source:
    """Change a source's reference, kind, year and DOI, unless someone changed it first."""
    lock(source.project)
    locked = Source.objects.select_for_update().get(pk=source.pk)
    if locked.version != expected_version:
        raise StaleEdit("source")
    problems, citation, doi = _source_fields(citation, doi)
    problems |= _check_year(year)
    if problems:
        raise InvalidInput(problems)
    before = snapshot(locked)
    locked.citation, locked.kind, locked.year, locked.doi = citation, kind, year, doi
    locked.version += 1
    locked.save(update_fields=["citation", "kind", "year", "doi", "version"])
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=f"Changed source {locked.key[:60]}",
        before=before,
    )
    return locked


def _label(label: str) -> tuple[dict[str, str], str]:
    label = label.strip()
    if not label:
        return {"label": "Give it a name."}, label
    return {}, label


@transaction.atomic
def add_category(
    user: Any, project: Project, *, label: str, description: str = "", key: str = ""
) -> Category:
    """Add a category to the codebook; ``key`` defaults to a new GUID."""
    locked = lock(project)
    key = key.strip() or new_guid()
    problems, label = _label(label)
    problems |= _key(locked, Category, key)
    if problems:
        raise InvalidInput(problems)
    category = Category.objects.create(
        project=locked, key=key, label=label, description=description.strip()
    )
    record(user, "create", category, evaluation_id=None, summary=f"Added category {key[:60]}")
    return category


@transaction.atomic
def edit_category(
    user: Any, category: Category, *, label: str, description: str, expected_version: int
) -> Category:
    """Rename a category or change its description, unless someone changed it first."""
    lock(category.project)
    locked = Category.objects.select_for_update().get(pk=category.pk)
    if locked.version != expected_version:
        raise StaleEdit("category")
    problems, label = _label(label)
    if problems:
        raise InvalidInput(problems)
    before = snapshot(locked)
    locked.label, locked.description = label, description.strip()
    locked.version += 1
    locked.save(update_fields=["label", "description", "version"])
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=f"Changed category {locked.key[:60]}",
        before=before,
    )
    return locked


def _category_of(project: Project, category: Category | None) -> dict[str, str]:
    if category is not None and category.project_id != project.pk:
        return {"category": "Choose one of this project's categories."}
    return {}


@transaction.atomic
def add_code(
    user: Any,
    project: Project,
    *,
    label: str,
    definition: str = "",
    category: Category | None = None,
    key: str = "",
) -> Code:
    """Add a code to the codebook, in a category or none; ``key`` defaults to a new GUID."""
    locked = lock(project)
    key = key.strip() or new_guid()
    problems, label = _label(label)
    problems |= _key(locked, Code, key) | _category_of(locked, category)
    if problems:
        raise InvalidInput(problems)
    code = Code.objects.create(
        project=locked, key=key, label=label, definition=definition.strip(), category=category
    )
    record(user, "create", code, evaluation_id=None, summary=f"Added code {key[:60]}")
    return code


@transaction.atomic
def edit_code(
    user: Any,
    code: Code,
    *,
    label: str,
    definition: str,
    category: Category | None,
    expected_version: int,
) -> Code:
    """Rename a code, change its definition or move it to another category, unless someone
    changed it first. A code moved to another category leaves the code it sat under (and
    the codes under it leave it), so no code sits under one of another category."""
    lock(code.project)
    locked = Code.objects.select_for_update().get(pk=code.pk)
    if locked.version != expected_version:
        raise StaleEdit("code")
    problems, label = _label(label)
    problems |= _category_of(locked.project, category)
    if problems:
        raise InvalidInput(problems)
    before = snapshot(locked)
    moved = locked.category_id != (category.pk if category else None)
    locked.label, locked.definition, locked.category = label, definition.strip(), category
    if moved:
        locked.parent = None
        for child in locked.children.select_for_update():
            child.parent, child.version = None, child.version + 1
            child.save(update_fields=["parent", "version"])
    locked.version += 1
    locked.save(update_fields=["label", "definition", "category", "parent", "version"])
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=f"Changed code {locked.key[:60]}",
        before=before,
    )
    return locked
