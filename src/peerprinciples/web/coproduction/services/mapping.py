"""The concept map of a project: running the analysis, choosing the number of clusters, and
naming and merging clusters.

A run reads the finished individual sorts of the live cards (``services.sorting.card_sort``),
hands them to the core's
analysis (:func:`peerprinciples.core.coproduction.conceptmap.analyse`) and keeps what it
found as a :class:`~peerprinciples.web.coproduction.models.ConceptMap` row: the result as JSON,
the seed and starts that reproduce it, its stress and how many sorted. The analysis takes a
few seconds even for a large study, so it runs in the request, outside any transaction.

The facilitator then chooses how many clusters to show and may rename clusters and merge
them. Renames and merges are the core's edits, kept in the result JSON (the analysis's
partitions never change), and the chosen solution's clusters are written out as
:class:`~peerprinciples.web.coproduction.models.Cluster` rows, so other pages read a cluster's
name and what it joined with a plain query. Every change carries the map's ``version``: a
change made over someone else's is refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from peerprinciples.core.coproduction.cardsort import CardSort
from peerprinciples.core.coproduction.conceptmap import ConceptMap, analyse, suggested_clusters
from peerprinciples.core.coproduction.map_defaults import DEFAULT_STARTS
from peerprinciples.core.coproduction.problems import Problem
from peerprinciples.core.coproduction.similarity import InvalidCardSort
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services.sorting import card_sort
from peerprinciples.web.errors import DomainError, StaleEdit

MIN_SORTS = 2
MIN_CARDS = 3
MAX_SEED = 2**31 - 1
MAX_STARTS = 50


class MapRefused(DomainError):
    """The sorts cannot be mapped; ``problems`` says why, each with how to put it right."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        self.problems = problems or []
        super().__init__(message)


def statement_key(card: models.Card) -> str:
    """A card's key in the analysis: its number, as text."""
    return str(card.number)


def _check_enough(cardsort: CardSort) -> None:
    sorts, cards = len(cardsort.sorts), len(cardsort.statements)
    if sorts < MIN_SORTS or cards < MIN_CARDS:
        raise MapRefused(
            f"A concept map needs at least {MIN_SORTS} finished sorts of at least "
            f"{MIN_CARDS} cards; this project has {sorts} finished sort{'s' if sorts != 1 else ''}"
            f" of {cards} card{'s' if cards != 1 else ''}. Ask more members to finish their "
            "sorts, then run the analysis again."
        )


def run_map(
    user: Any, project: models.Project, *, seed: int | None = None, starts: int = DEFAULT_STARTS
) -> models.ConceptMap:
    """Draw the concept map of the finished sorts and keep it, with a new random seed
    unless ``seed`` is given; earlier maps stay as they were.

    The analysis runs outside any database transaction: it takes seconds, and a
    transaction held open that long would keep every other writer waiting (on SQLite, the
    task worker's next poll makes the final write fail as "database is locked"). The sorts
    are read together in one short transaction, and the map is kept in another.
    """
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise MapRefused(f"Choose a seed from 0 to {MAX_SEED}, or leave it empty for a new one.")
    if not 1 <= starts <= MAX_STARTS:
        raise MapRefused(f"Choose from 1 to {MAX_STARTS} starts; {DEFAULT_STARTS} is usual.")
    with transaction.atomic():
        cardsort = card_sort(project)
    _check_enough(cardsort)
    seed = secrets.randbelow(MAX_SEED + 1) if seed is None else seed
    try:
        result = analyse(cardsort, starts=starts, seed=seed)
    except InvalidCardSort as error:
        raise MapRefused(
            "The sorts cannot be mapped as they are: " + str(error.problems[0]),
            error.problems,
        ) from error
    return _keep_map(user, project, result, seed=seed, starts=starts)


@transaction.atomic
def _keep_map(
    user: Any, project: models.Project, result: ConceptMap, *, seed: int, starts: int
) -> models.ConceptMap:
    stored = models.ConceptMap.objects.create(
        project=project,
        result=result.to_json(),
        seed=seed,
        starts=starts,
        stress=result.stress,
        sorters=len(result.sorters),
        created_by=user,
    )
    record(
        user,
        "create",
        stored,
        evaluation_id=None,
        summary=f"Ran the concept map: {len(result.sorters)} sorts, seed {seed}",
        after={"seed": seed, "starts": starts, "stress": result.stress},
    )
    return stored


# --- reading a stored map -------------------------------------------------------------------


def result_of(stored: models.ConceptMap) -> ConceptMap:
    """The core's map kept in a row."""
    return ConceptMap.from_json(stored.result)


def shown_clusters(stored: models.ConceptMap, result: ConceptMap, asked: int | None) -> int:
    """The solution a page shows: the one asked for when the map has it, else the one
    chosen, else the one suggested (the core's :func:`suggested_clusters`, the most stable)."""
    if asked is not None and asked in result.partitions:
        return asked
    if stored.chosen_clusters in result.partitions:
        return int(stored.chosen_clusters or 0)
    return suggested_clusters(result)


# --- the facilitator's choices ---------------------------------------------------------------


def _locked(stored: models.ConceptMap, version: int) -> models.ConceptMap:
    locked = models.ConceptMap.objects.select_for_update().get(pk=stored.pk)
    if locked.version != version:
        raise StaleEdit("concept map")
    return locked


def _sync_clusters(locked: models.ConceptMap, result: ConceptMap) -> None:
    """Write the chosen solution's clusters out as rows: each cluster's region name, and
    for a cluster merged into another, the row of the region's first cluster."""
    models.Cluster.objects.filter(concept_map=locked).delete()
    if locked.chosen_clusters is None:
        return
    k = locked.chosen_clusters
    rows = {}
    for region in result.regions(k):
        for number in region.clusters:
            rows[number] = models.Cluster(
                concept_map=locked,
                number=number,
                name=region.name if number == region.number else "",
            )
    models.Cluster.objects.bulk_create(rows.values())
    saved = {row.number: row for row in models.Cluster.objects.filter(concept_map=locked)}
    for region in result.regions(k):
        for number in region.clusters:
            if number != region.number:
                saved[number].merged_into = saved[region.number]
                saved[number].save(update_fields=["merged_into"])


def _save(
    user: Any, locked: models.ConceptMap, result: ConceptMap, summary: str, **fields: Any
) -> models.ConceptMap:
    models.ConceptMap.objects.filter(pk=locked.pk).update(
        result=result.to_json(), version=F("version") + 1, **fields
    )
    locked.refresh_from_db()
    _sync_clusters(locked, result)
    record(user, "change", locked, evaluation_id=None, summary=summary)
    return locked


def _chosen(locked: models.ConceptMap) -> int:
    if locked.chosen_clusters is None:
        raise DomainError(
            "Choose the number of clusters first: names and merges belong to one solution."
        )
    return int(locked.chosen_clusters)


@transaction.atomic
def choose_clusters(
    user: Any, stored: models.ConceptMap, clusters: int, *, version: int
) -> models.ConceptMap:
    """Choose the solution the map shows; its clusters keep any names and merges made to
    it before."""
    locked = _locked(stored, version)
    result = result_of(locked)
    if clusters not in result.partitions:
        counts = result.cluster_counts
        raise DomainError(
            f"This map has solutions with {counts[0]} to {counts[-1]} clusters; choose one of them."
        )
    return _save(
        user, locked, result, f"Chose {clusters} clusters for the map", chosen_clusters=clusters
    )


def _edited(action: Any) -> ConceptMap:
    try:
        edited: ConceptMap = action()
    except ValueError as error:
        raise DomainError(str(error)) from error
    return edited


@transaction.atomic
def rename_cluster(
    user: Any, stored: models.ConceptMap, cluster: int, name: str, *, version: int
) -> models.ConceptMap:
    """Name the region holding ``cluster`` in the chosen solution."""
    locked = _locked(stored, version)
    k = _chosen(locked)
    result = _edited(lambda: result_of(locked).rename(k, cluster, name))
    return _save(user, locked, result, f"Renamed cluster {cluster} of the map")


@transaction.atomic
def merge_clusters(
    user: Any,
    stored: models.ConceptMap,
    first: int,
    second: int,
    name: str = "",
    *,
    version: int,
) -> models.ConceptMap:
    """Merge the regions holding two clusters of the chosen solution, named ``name`` (by
    default the name of the lower-numbered region)."""
    locked = _locked(stored, version)
    k = _chosen(locked)
    result = _edited(lambda: result_of(locked).merge(k, (first, second), name.strip() or None))
    return _save(user, locked, result, f"Merged clusters {first} and {second} of the map")


@transaction.atomic
def reset_clusters(user: Any, stored: models.ConceptMap, *, version: int) -> models.ConceptMap:
    """Undo every name and merge made to the chosen solution."""
    locked = _locked(stored, version)
    k = _chosen(locked)
    result = result_of(locked).reset(k)
    return _save(user, locked, result, f"Undid the names and merges of the {k}-cluster map")


# --- what the map page shows ---------------------------------------------------------------


@dataclass(frozen=True)
class StatementPlace:
    """One statement on the map: its number, text, place and cluster."""

    key: str
    text: str
    x: float
    y: float
    cluster: int
    region: int
    name: str


def statement_texts(project: models.Project, keys: tuple[str, ...]) -> Mapping[str, str]:
    """The text of each card a map names (merged-away cards included: an earlier map may
    hold them)."""
    numbers = [int(key) for key in keys]
    return {
        str(number): text
        for number, text in models.Card.objects.filter(
            project=project, number__in=numbers
        ).values_list("number", "text")
    }
