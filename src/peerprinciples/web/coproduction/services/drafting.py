"""Values, and what supports them and the draft principles: the review's categories, the
group sorts' piles and the chosen concept-map clusters.

A value is general (shared across peer support) or local to a community or setting, which
it then names. Values, principles and themes are linked to their supports by id: ``C<pk>``
for a category, ``P<pk>`` for a pile and ``K<pk>`` for a cluster (:func:`supports_of`).
Only the piles a panel agreed together at a group sort can support anything: each member's
own piles are private to them, and an id naming one is refused with a message saying so.

Every change runs in one transaction, checks the ``version`` the form was opened at and is
recorded in the audit trail. A value that a draft principle protects is not deleted: the
refusal names the principles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Model, QuerySet
from django.utils.text import slugify

from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    Category,
    Cluster,
    ConceptMap,
    Pile,
    Project,
    Scope,
    Value,
)
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit

KEY_LENGTH = 80
"""The longest key a value, principle or theme may have."""


@dataclass(frozen=True)
class SupportChoice:
    """A category, group-sort pile or chosen cluster, as the forms and the grid offer it."""

    id: str
    label: str
    side: str
    """``"review"`` or ``"panel"``."""
    detail: str


@dataclass(frozen=True)
class Supports:
    """What can support a value or principle in one project, each kind in a stable order."""

    categories: tuple[Category, ...]
    piles: tuple[Pile, ...]
    clusters: tuple[Cluster, ...]

    @property
    def choices(self) -> tuple[SupportChoice, ...]:
        """Every support: review categories first, then piles, then clusters."""
        found = [
            SupportChoice(f"C{c.pk}", c.label, "review", _codes_detail(c)) for c in self.categories
        ]
        found += [
            SupportChoice(f"P{p.pk}", p.label, "panel", p.group_sort.title if p.group_sort else "")
            for p in self.piles
        ]
        found += [
            SupportChoice(f"K{c.pk}", str(c), "panel", "concept map cluster") for c in self.clusters
        ]
        return tuple(found)


def _codes_detail(category: Category) -> str:
    count = getattr(category, "code_count", None)
    if count is None:
        return ""
    return f"{count} code{'s' if count != 1 else ''}"


def chosen_map(project: Project) -> ConceptMap | None:
    """The latest concept map whose number of clusters has been chosen."""
    return (
        ConceptMap.objects.filter(project=project, chosen_clusters__isnull=False)
        .defer("result")
        .first()
    )


def supports_of(project: Project) -> Supports:
    """The project's categories, group-sort piles and the chosen map's clusters (those not
    merged into another), with any cluster of an older map that is still linked."""
    from django.db.models import Count, Q

    categories = (
        Category.objects.filter(project=project)
        .annotate(code_count=Count("codes"))
        .order_by("key", "pk")
    )
    piles = (
        Pile.objects.filter(group_sort__project=project)
        .select_related("group_sort")
        .order_by("group_sort__held_on", "group_sort__pk", "position", "pk")
    )
    stored = chosen_map(project)
    clusters = Cluster.objects.filter(concept_map__project=project, merged_into__isnull=True)
    linked = Q(principles__project=project) | Q(values__project=project)
    clusters = clusters.filter((Q(concept_map=stored) | linked) if stored else linked)
    return Supports(
        tuple(categories),
        tuple(piles),
        tuple(clusters.distinct().order_by("concept_map__pk", "number")),
    )


@dataclass(frozen=True)
class Linked:
    """Supports chosen by id, found in the project."""

    categories: list[Category]
    piles: list[Pile]
    clusters: list[Cluster]


def _number(text: str) -> int | None:
    return int(text[1:]) if len(text) > 1 and text[1:].isdigit() else None


def checked_supports(project: Project, ids: Iterable[str], field: str = "supports") -> Linked:
    """The categories, piles and clusters named by ``ids``, all of them of ``project``; an
    :class:`InvalidInput` on ``field`` names each id that is not, and says why a member's
    own pile can never be chosen."""
    wanted = {kind: set() for kind in "CPK"}  # type: dict[str, set[int]]
    problems: list[str] = []
    for given in ids:
        number = _number(given)
        if given[:1] not in wanted or number is None:
            problems.append(f"“{given}” is not a category, pile or cluster")
        else:
            wanted[given[0]].add(number)
    categories = list(Category.objects.filter(project=project, pk__in=wanted["C"]))
    piles = list(Pile.objects.filter(group_sort__project=project, pk__in=wanted["P"]))
    clusters = list(
        Cluster.objects.filter(
            concept_map__project=project,
            merged_into__isnull=True,
            concept_map__chosen_clusters__isnull=False,
            pk__in=wanted["K"],
        )
    )
    found = {
        "C": {c.pk for c in categories},
        "P": {p.pk for p in piles},
        "K": {c.pk for c in clusters},
    }
    private = set(
        Pile.objects.filter(sort__project=project, pk__in=wanted["P"] - found["P"]).values_list(
            "pk", flat=True
        )
    )
    if private:
        problems.append(
            f"pile{'s' if len(private) != 1 else ''} {_ids('P', private)} "
            f"{'belong' if len(private) != 1 else 'belongs'} to a member's own sort, which stays "
            "private to them: link the piles the panel agreed at a group sort instead"
        )
    names = {"C": "category", "P": "group-sort pile", "K": "chosen concept-map cluster"}
    for kind, numbers in wanted.items():
        missing = numbers - found[kind] - (private if kind == "P" else set())
        if missing:
            problems.append(
                f"{_ids(kind, missing)} {'is' if len(missing) == 1 else 'are'} not a "
                f"{names[kind]} of this project"
            )
    if problems:
        raise InvalidInput(
            {field: "Choose from the list shown: " + "; ".join(problems) + ". Nothing was saved."}
        )
    return Linked(categories, piles, clusters)


def _ids(kind: str, numbers: Iterable[int]) -> str:
    return ", ".join(f"{kind}{n}" for n in sorted(numbers))


def support_ids(instance: Any) -> list[str]:
    """The ids of what supports a value or principle, in the order of :class:`Supports`."""
    return (
        [f"C{pk}" for pk in instance.categories.values_list("pk", flat=True)]
        + [f"P{pk}" for pk in instance.piles.values_list("pk", flat=True)]
        + [f"K{pk}" for pk in instance.clusters.values_list("pk", flat=True)]
    )


def set_supports(instance: Any, linked: Linked) -> None:
    instance.categories.set(linked.categories)
    instance.piles.set(linked.piles)
    instance.clusters.set(linked.clusters)


# --- keys, versions and scope ---------------------------------------------------------------


def free_key(
    model: type[Model], project: Project, wanted: str, title: str, *, own: int | None
) -> str:
    """``wanted`` (or, when empty, a key made from ``title``), if no other row of the
    project has it; a key made from the title gets ``-2``, ``-3`` … until it is free."""
    rows = model.objects.filter(project=project).exclude(pk=own)  # type: ignore[attr-defined]
    wanted = wanted.strip()
    if wanted:
        if slugify(wanted) != wanted:
            raise InvalidInput(
                {
                    "key": f"“{wanted}” has characters a key cannot hold: use lower-case "
                    f"letters, digits and hyphens, for example “{slugify(wanted) or 'trust'}”."
                }
            )
        if rows.filter(key=wanted).exists():
            raise InvalidInput(
                {"key": f"Another entry of this project has the key “{wanted}”: choose another."}
            )
        return wanted
    base = slugify(title)[: KEY_LENGTH - 4].strip("-") or "entry"
    key, n = base, 1
    while rows.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


def next_position(queryset: QuerySet[Any]) -> int:
    return int(queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def locked_row(
    queryset: QuerySet[Any],
    pk: int,
    version: int,
    what: str,
    *,
    refuse: Callable[[Any], None] | None = None,
) -> Any:
    """The row, locked for the change (only its own table: rows it joins to may be
    missing), or :class:`StaleEdit` when it moved on since.

    ``refuse`` checks the row before its version: a refusal that explains itself (wording
    agreed in a round, which also moves the version on) is then given instead of "someone
    else changed it"."""
    row = queryset.select_for_update(of=("self",)).get(pk=pk)
    if refuse is not None:
        refuse(row)
    if row.version != version:
        raise StaleEdit(what)
    return row


def bump(row: Any, fields: Sequence[str]) -> None:
    row.version = F("version") + 1
    row.save(update_fields=[*fields, "version"])
    row.refresh_from_db()


def add_row(
    user: Any,
    model: Any,
    project: Project,
    fields: dict[str, Any],
    *,
    what: str,
    snapshot: Callable[[Any], dict[str, Any]],
    relate: Callable[[Any], None],
) -> Any:
    """Create a ``model`` row of the project after its others, with its checked ``fields``
    and links (``relate``), and audit it (``what`` names its kind)."""
    row = model.objects.create(
        project=project, position=next_position(model.objects.filter(project=project)), **fields
    )
    relate(row)
    record(
        user,
        "create",
        row,
        evaluation_id=None,
        summary=f"Added the {what} “{row.title}”",
        after=snapshot(row),
    )
    return row


def save_change(
    user: Any,
    row: Any,
    fields: dict[str, Any],
    *,
    what: str,
    snapshot: Callable[[Any], dict[str, Any]],
    relate: Callable[[Any], None],
) -> Any:
    """Give a locked row its checked ``fields`` and links (``relate``), move its version on
    and audit the change with the row as it was and as it is (``what`` names its kind)."""
    before = snapshot(row)
    for name, field_value in fields.items():
        setattr(row, name, field_value)
    relate(row)
    bump(row, list(fields))
    record(
        user,
        "change",
        row,
        evaluation_id=None,
        summary=f"Changed the {what} “{row.title}”",
        before=before,
        after=snapshot(row),
    )
    return row


def checked_scope(scope: str, community: str) -> tuple[str, str]:
    community = community.strip()
    if scope not in Scope.values:
        raise InvalidInput({"scope": "Choose whether it is general or local."})
    if scope == Scope.LOCAL and not community:
        raise InvalidInput(
            {"community": "Say which community or setting this local entry belongs to."}
        )
    return scope, community if scope == Scope.LOCAL else ""


def required(text: str, field: str, message: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput({field: message})
    return text


# --- values ---------------------------------------------------------------------------------


def value_snapshot(value: Value) -> dict[str, Any]:
    return {
        "key": value.key,
        "title": value.title,
        "description": value.description,
        "scope": value.scope,
        "community": value.community,
        "supports": support_ids(value),
        "version": value.version,
    }


@dataclass(frozen=True)
class ValueText:
    """What a value form sends."""

    title: str
    key: str
    description: str
    scope: str
    community: str
    supports: Sequence[str]


def _checked_value(
    project: Project, text: ValueText, own: int | None
) -> tuple[dict[str, Any], Linked]:
    title = required(text.title, "title", "Give the value a title, for example: Being believed.")
    scope, community = checked_scope(text.scope, text.community)
    key = free_key(Value, project, text.key, title, own=own)
    linked = checked_supports(project, text.supports)
    fields = {
        "title": title,
        "key": key,
        "description": text.description.strip(),
        "scope": scope,
        "community": community,
    }
    return fields, linked


@transaction.atomic
def add_value(user: Any, project: Project, text: ValueText) -> Value:
    """A new value, after the project's others, with what supports it."""
    fields, linked = _checked_value(project, text, None)
    return add_row(
        user,
        Value,
        project,
        fields,
        what="value",
        snapshot=value_snapshot,
        relate=lambda row: set_supports(row, linked),
    )


@transaction.atomic
def edit_value(user: Any, value: Value, text: ValueText, *, version: int) -> Value:
    """Change a value; refused with :class:`StaleEdit` when someone saved it meanwhile."""
    locked = locked_row(Value.objects.all(), value.pk, version, "value")
    fields, linked = _checked_value(locked.project, text, locked.pk)
    return save_change(
        user,
        locked,
        fields,
        what="value",
        snapshot=value_snapshot,
        relate=lambda row: set_supports(row, linked),
    )


def protected_by(value: Value) -> list[str]:
    """The titles of the draft principles that protect ``value``."""
    return [p.title for p in value.principles.order_by("position", "pk")]


@transaction.atomic
def delete_value(user: Any, value: Value, *, version: int) -> str:
    """Delete a value that no draft principle protects; returns its title."""
    locked = locked_row(Value.objects.all(), value.pk, version, "value")
    protecting = protected_by(locked)
    if protecting:
        listed = "; ".join(f"“{title}”" for title in protecting)
        raise DomainError(
            f"The value “{locked.title}” stays: {len(protecting)} draft principle"
            f"{'s protect' if len(protecting) != 1 else ' protects'} it ({listed}). Take it "
            "off those principles first, then delete it."
        )
    title = locked.title
    record(
        user,
        "delete",
        locked,
        evaluation_id=None,
        summary=f"Deleted the value “{title}”",
        before=value_snapshot(locked),
    )
    locked.delete()
    return title


def base_titles(project: Project) -> dict[str, dict[str, str]]:
    """For an adaptation: the base framework's titles of its values, principles and themes,
    by key (empty dictionaries for a new framework)."""
    found: dict[str, dict[str, str]] = {"values": {}, "principles": {}, "themes": {}}
    if project.kind != Project.Kind.ADAPTATION or project.base_framework is None:
        return found
    base = project.base_framework.model()
    found["values"] = {v.key: v.title for v in base.values}
    found["principles"] = {p.key: p.title for p in base.principles}
    found["themes"] = {t.key: t.title for t in base.themes}
    return found
