"""Storing results when the data change, and reading them back for the pages.

When a rating sheet is finalised, a consensus is agreed, an import commits or the demo or
national data are written, :func:`request_refresh` queues
:func:`~peerprinciples.web.results.tasks.refresh_results` once the change is committed. The
task (:func:`refresh`) reads the evaluation's ``results_version`` first, then every cached
score and final rating, works out every summary and the quality checks, and stores them
(:class:`~peerprinciples.web.results.models.StoredResults`) with that version.

Pages read what is stored (:func:`freshness`, :func:`read`) and never wait for the
computation, with one exception: when nothing is stored yet (a fresh install, or data
stored in an older form), the first reader works the results out once, so results still
show. When the stored results are older than the evaluation's ``results_version`` the page
shows them, says that newer data are being worked out, and makes sure a refresh is queued
(a change made some other way, such as adding a round, queues none itself).

Bursts are coalesced: a refresh works at the latest version, and a task queued for a
version the stored results already reach does nothing, so twenty finalises in a row cost
one or two full computations, not twenty.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import InterviewScore
from peerprinciples.web.results.models import ResultsState, StoredResults
from peerprinciples.web.results.summaries import (
    SCORE_COLUMNS,
    TOTAL,
    Key,
    Summary,
    peer_worker_counts,
    score_frame,
    summarise,
    suppressed,
    threshold,
    worker_threshold,
)

logger = logging.getLogger(__name__)

LAYOUT = 1
"""The form of the stored data. Raise it whenever what :func:`compute` stores changes:
results stored in an older form are then worked out again instead of being misread."""


def layout() -> int:
    """:data:`LAYOUT` with the small-number thresholds in force: what is hidden depends on
    them, so results stored under other thresholds are worked out again."""
    return LAYOUT * 1_000_000 + min(threshold(), 999) * 1000 + min(worker_threshold(), 999)


CLAIM_EXPIRES = dt.timedelta(minutes=10)
"""How long a queued refresh is trusted to come. Past that (a worker that was down, a task
that failed), the next reader of stale results queues another."""

PEER_WORKER_AXES = ("peer_worker", "round", "informant")

Row = list[Any]
"""A stored summary: ``[round id, informant, measure, n, mean, sd, hidden]``."""


# --- writing -----------------------------------------------------------------------------------


def _rows(cube: Mapping[str, Mapping[Key, Summary]], place: int | None) -> list[Row]:
    """The summaries of one place (a service or peer worker id; ``None``: all of them)."""
    return [
        [key[1], key[2], measure, s.n, s.mean, s.sd, s.hidden]
        for measure, summaries in cube.items()
        for key, s in summaries.items()
        if key[0] == place
    ]


def _by_place(cube: Mapping[str, Mapping[Key, Summary]]) -> dict[int, list[Row]]:
    """The summaries of every place (first axis) but the margin over all of them."""
    found: dict[int, list[Row]] = defaultdict(list)
    for measure, summaries in cube.items():
        for key, s in summaries.items():
            if key[0] is not None:
                found[int(key[0])].append([key[1], key[2], measure, s.n, s.mean, s.sd, s.hidden])
    return found


def compute(evaluation: Evaluation) -> dict[str, Any]:
    """Everything the results pages of ``evaluation`` show, by scope, ready to store.

    * ``evaluation``: the summaries over all services, as they are (for readers who see
      individuals) and with small numbers suppressed (for readers of aggregates only);
    * ``others``: interviews and peer workers of every service's groups, so a page for a
      reader whose rights cover some services only can hide small groups of the others;
    * ``service:<id>`` and ``peer_worker:<id>``: each one's summaries;
    * ``quality``: the quality page's body, rendered.
    """
    instrument = evaluation.instrument.model()
    measures = [d.key for d in instrument.domains] + [TOTAL]
    frame = score_frame(
        InterviewScore.objects.filter(evaluation=evaluation).values_list(*SCORE_COLUMNS),
        measures,
    )
    cube = summarise(frame, measures)
    workers = peer_worker_counts(frame, measures)
    protected = suppressed(cube, workers, threshold())
    per_service = {int(k): int(v) for k, v in frame["service"].value_counts().items()}
    scopes: dict[str, Any] = {
        "evaluation": {
            "n": len(frame),
            "raw": _rows(cube, None),
            "protected": _rows(protected, None),
        },
        "others": {
            "counts": [
                [key[0], key[1], key[2], measure, s.n, workers[measure].get(key, 0)]
                for measure, summaries in cube.items()
                for key, s in summaries.items()
                if key[0] is not None
            ]
        },
    }
    raw_by_service, protected_by_service = _by_place(cube), _by_place(protected)
    for service_id, rows in raw_by_service.items():
        scopes[f"service:{service_id}"] = {
            "n": per_service.get(service_id, 0),
            "raw": rows,
            "protected": protected_by_service.get(service_id, []),
        }
    people = frame.loc[frame["peer_worker"].notna()]
    if len(people):
        per_worker = {int(k): int(v) for k, v in people["peer_worker"].value_counts().items()}
        by_worker = _by_place(summarise(people, measures, PEER_WORKER_AXES))
        for worker_id, rows in by_worker.items():
            scopes[f"peer_worker:{worker_id}"] = {"n": per_worker.get(worker_id, 0), "raw": rows}
    # Imported here: the quality checks bring the core's statistics (scipy and more), which
    # the services that queue refreshes (rating, importing) never need themselves.
    from peerprinciples.web.results.quality import QUALITY_MIN_INTERVIEWS, compute_quality

    quality = compute_quality(evaluation)
    scopes["quality"] = {
        "n": quality.n_interviews,
        "html": render_to_string(
            "results/_quality_body.html",
            {"quality": quality, "minimum": QUALITY_MIN_INTERVIEWS},
        ),
    }
    return scopes


def _store(evaluation: Evaluation, version: int, scopes: Mapping[str, Any]) -> bool:
    """Replace the stored results with ``scopes`` unless newer ones were stored meanwhile."""
    with transaction.atomic():
        state, _ = ResultsState.objects.select_for_update().get_or_create(evaluation=evaluation)
        if state.layout == layout() and state.version >= version:
            return False
        StoredResults.objects.filter(evaluation=evaluation).delete()
        StoredResults.objects.bulk_create(
            [StoredResults(evaluation=evaluation, scope=s, data=d) for s, d in scopes.items()],
            batch_size=500,
        )
        state.version = version
        state.layout = layout()
        state.updated_at = timezone.now()
        state.save()
    return True


def refresh(evaluation_id: int, *, version: int | None = None) -> bool:
    """Bring the stored results of an evaluation up to date; whether anything was stored.

    With ``version`` (the change that asked for it), nothing is done when the stored
    results already reach it. The evaluation's version is read before its data, so results
    are stored under a version no newer than the data they describe: a change committed
    while they are worked out leaves them stale, and its own refresh follows.
    """
    evaluation = (
        Evaluation.objects.select_related("instrument", "framework")
        .filter(pk=evaluation_id)
        .first()
    )
    if evaluation is None:
        return False
    if version is not None:
        state = ResultsState.objects.filter(evaluation_id=evaluation_id).first()
        if state is not None and state.layout == layout() and state.version >= version:
            return False
    current = evaluation.results_version
    stored = _store(evaluation, current, compute(evaluation))
    if stored:
        logger.info("Results of evaluation %s brought up to version %s", evaluation_id, current)
    return stored


def _claim(evaluation_id: int, version: int) -> bool:
    """Note that a refresh for ``version`` is queued; ``False`` when one already is."""
    now = timezone.now()
    ResultsState.objects.get_or_create(evaluation_id=evaluation_id)
    return bool(
        ResultsState.objects.filter(evaluation_id=evaluation_id)
        .filter(Q(requested__lt=version) | Q(requested_at__lt=now - CLAIM_EXPIRES))
        .update(requested=version, requested_at=now)
    )


def _enqueue(evaluation_id: int) -> None:
    from peerprinciples.web.results.tasks import refresh_results

    version = (
        Evaluation.objects.filter(pk=evaluation_id)
        .values_list("results_version", flat=True)
        .first()
    )
    if version is not None and _claim(evaluation_id, version):
        refresh_results.enqueue(evaluation_id, version)


def request_refresh(*evaluation_ids: int) -> None:
    """Queue a refresh of these evaluations' results once the current transaction commits.

    Call it inside the transaction of a change to scores (after it marks the results as
    changed); outside one, the refresh is queued at once.
    """
    for evaluation_id in sorted(set(evaluation_ids)):
        transaction.on_commit(lambda pk=evaluation_id: _enqueue(pk))  # type: ignore[misc]


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Freshness:
    """How up to date the stored results a page shows are."""

    version: int
    """The evaluation's results version they describe."""
    updated_at: dt.datetime | None
    """When they were brought up to date."""
    pending: bool
    """Whether newer data are still being worked out."""


def freshness(evaluation: Evaluation) -> Freshness:
    """The state of ``evaluation``'s stored results, working them out first if none are.

    Stale results are shown as they are, and a refresh is queued unless one already is.
    (With a backend that runs tasks at once, as the tests use, that refresh happens here.)
    """
    state = ResultsState.objects.filter(evaluation=evaluation).first()
    if state is None or state.version < 0 or state.layout != layout():
        refresh(evaluation.pk)
        state = ResultsState.objects.get(evaluation=evaluation)
    elif state.version < evaluation.results_version:
        _enqueue(evaluation.pk)
        state = ResultsState.objects.get(evaluation=evaluation)
    return Freshness(state.version, state.updated_at, state.version < evaluation.results_version)


def read(evaluation: Evaluation, scope: str) -> dict[str, Any] | None:
    """What is stored for one scope of ``evaluation`` (``None``: nothing, e.g. no interview)."""
    found = (
        StoredResults.objects.filter(evaluation=evaluation, scope=scope)
        .values_list("data", flat=True)
        .first()
    )
    return found if isinstance(found, dict) else None


def cube_of(rows: Sequence[Row], measures: Sequence[str]) -> dict[str, dict[Key, Summary]]:
    """Stored summaries as a cube keyed by ``(None, round id, informant)``."""
    cube: dict[str, dict[Key, Summary]] = {measure: {} for measure in measures}
    for round_id, informant, measure, n, mean, sd, hidden in rows:
        if measure in cube:
            cube[measure][(None, round_id, informant)] = Summary(n, mean, sd, hidden)
    return cube


def others_counts(
    data: Mapping[str, Any], own_services: frozenset[int], measures: Sequence[str]
) -> tuple[dict[str, dict[Key, int]], dict[str, dict[Key, int]]]:
    """Interviews and peer workers of the services outside ``own_services``, for every group
    over all services.

    A peer worker belongs to one service, so the peer workers of several services add up.
    """
    counts: dict[str, dict[Key, int]] = {m: defaultdict(int) for m in measures}
    workers: dict[str, dict[Key, int]] = {m: defaultdict(int) for m in measures}
    for service_id, round_id, informant, measure, n, people in data.get("counts", []):
        if service_id in own_services or measure not in counts:
            continue
        key: Key = (None, round_id, informant)
        counts[measure][key] += n
        workers[measure][key] += people
    return (
        {m: dict(v) for m, v in counts.items()},
        {m: dict(v) for m, v in workers.items()},
    )


def forget(evaluation_id: int) -> None:
    """Delete an evaluation's stored results (call inside the change's transaction).

    For a withdrawal: stale results would still show the withdrawn interview's part until
    the refresh has run, so nothing is kept; the next reader works the results out afresh
    (see :func:`freshness`) unless the queued refresh has done so first.
    """
    StoredResults.objects.filter(evaluation_id=evaluation_id).delete()
    ResultsState.objects.filter(evaluation_id=evaluation_id).update(
        version=-1, requested=-1, requested_at=None
    )
