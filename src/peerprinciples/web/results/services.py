"""Results for the pages: read from what is stored, laid out for one scope and reader.

Pages never score anything, nor summarise scores while someone waits. The summaries of
every service, round and informant, and the quality checks, are worked out when the data
change and stored (:mod:`~peerprinciples.web.results.store`, run by the task worker);
:func:`results` reads one scope's stored summaries and lays them out
(:mod:`~peerprinciples.web.results.presenting`).

People who see aggregates only never see a summary of fewer than
``settings.SMALL_NUMBER_THRESHOLD`` interviews, nor one that could be worked out from the
others shown (complementary suppression, applied across services, rounds and informants
together so that every page agrees; the rule is :mod:`peerprinciples.core.suppression`).
A reader whose rights cover some services only never sees a small group of the other
services' interviews on the pages about the whole evaluation.

The computing, storing and presenting modules hold the parts; this module keeps the names
the views and tests have always imported from here.
"""

from __future__ import annotations

import hashlib
from typing import Any

from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Service
from peerprinciples.web.permissions import Access
from peerprinciples.web.results import store
from peerprinciples.web.results.presenting import Gap, Measure, Results, Row, build, chart
from peerprinciples.web.results.quality import (
    QUALITY_MIN_INTERVIEWS,
    DomainRow,
    ItemRow,
    Quality,
    compute_quality,
)
from peerprinciples.web.results.store import Freshness, freshness, request_refresh
from peerprinciples.web.results.summaries import (
    AXES,
    EMPTY,
    FEW_WORKERS,
    LINKED,
    OTHERS,
    SCORE_COLUMNS,
    SELF_INFORMANT,
    SMALL,
    TOTAL,
    Key,
    Summary,
    peer_worker_counts,
    protect_others,
    score_frame,
    summarise,
    suppress,
    threshold,
    worker_threshold,
)

__all__ = [
    "AXES",
    "EMPTY",
    "FEW_WORKERS",
    "LINKED",
    "OTHERS",
    "QUALITY_MIN_INTERVIEWS",
    "SCORE_COLUMNS",
    "SELF_INFORMANT",
    "SMALL",
    "TOTAL",
    "DomainRow",
    "Freshness",
    "Gap",
    "ItemRow",
    "Key",
    "Measure",
    "Quality",
    "Results",
    "Row",
    "Summary",
    "cache_key",
    "chart",
    "compute_quality",
    "freshness",
    "own_results",
    "peer_worker_counts",
    "quality_body",
    "request_refresh",
    "results",
    "results_for",
    "score_frame",
    "summarise",
    "suppress",
    "threshold",
    "worker_threshold",
]


def cache_key(evaluation: Evaluation, *parts: object) -> str:
    """A cache key for something worked out from the evaluation's results.

    It holds the evaluation's ``results_version``, the small-number thresholds, and the
    evaluation's creation time beside its primary key (so an evaluation of another database
    reusing the key never shares it). ``parts`` say what is kept and for whom; a page that
    shows stored results adds their version, so it is rendered again once they change.
    """
    raw = repr(
        (
            evaluation.pk,
            evaluation.created_at.isoformat() if evaluation.created_at else "",
            evaluation.results_version,
            threshold(),
            worker_threshold(),
            *parts,
        )
    )
    return "peerprinciples.results." + hashlib.sha256(raw.encode()).hexdigest()


def _scope(service: Service | None, peer_worker: PeerWorker | None) -> str:
    if peer_worker is not None:
        return f"peer_worker:{peer_worker.pk}"
    if service is not None:
        return f"service:{service.pk}"
    return "evaluation"


def results(
    evaluation: Evaluation,
    *,
    aggregates_only: bool,
    service: Service | None = None,
    peer_worker: PeerWorker | None = None,
    charts: bool = True,
    own_services: frozenset[int] | None = None,
) -> Results:
    """The stored results of the evaluation, one of its services or one peer worker.

    Parameters
    ----------
    evaluation
        The evaluation.
    aggregates_only
        Whether the reader sees aggregates only: then every summary of too few interviews,
        and every summary it could be worked out from, is hidden (decided over the whole
        evaluation when the results were stored, so every page hides the same ones).
    service, peer_worker
        The scope (the whole evaluation when neither is given). A peer worker's results
        are never for readers who see aggregates only.
    charts
        Whether to draw the charts.
    own_services
        For a reader whose rights cover some services only (a coordinator or rater), those
        services. Summaries of the whole evaluation then hide every group holding fewer
        than the threshold of interviews, or of peer workers, from the *other* services,
        and any summary it could be worked out from (:data:`OTHERS`, :data:`LINKED`):
        knowing their own services' interviews, such a reader could otherwise take them
        away and read a small group of services they have no right to see.
    """
    if aggregates_only and peer_worker is not None:
        raise ValueError("A peer worker's results are not aggregates.")
    instrument = evaluation.instrument.model()
    measures = [d.key for d in instrument.domains] + [TOTAL]
    data: dict[str, Any] = store.read(evaluation, _scope(service, peer_worker)) or {}
    cube = store.cube_of(data.get("protected" if aggregates_only else "raw", []), measures)
    others_protected = False
    if own_services is not None and service is None and peer_worker is None and not aggregates_only:
        others = store.read(evaluation, "others") or {}
        counts, workers = store.others_counts(others, own_services, measures)
        cube = protect_others(cube, counts, workers, threshold())
        others_protected = any(s.hidden for m in cube.values() for s in m.values())
    return build(
        cube=cube,
        instrument=instrument,
        framework=evaluation.framework.model(),
        rounds=tuple(evaluation.rounds.all()),
        n_interviews=int(data.get("n", 0)),
        aggregates_only=aggregates_only,
        minimum=threshold(),
        charts=charts,
        others_protected=others_protected,
    )


def results_for(
    access: Access,
    *,
    service: Service | None = None,
    peer_worker: PeerWorker | None = None,
    charts: bool = True,
) -> Results:
    """:func:`results` as the reader of ``access`` may see them, for the pages and the API.

    Readers of aggregates only get summaries with small numbers suppressed; a reader whose
    rights cover some services only gets the whole evaluation's summaries with small groups
    of the other services hidden. The scope's guard (``service_for``, ``peer_worker_for``)
    has already said that the reader may see it.
    """
    return results(
        access.evaluation,
        aggregates_only=False if peer_worker is not None else access.sees_aggregates_only,
        service=service,
        peer_worker=peer_worker,
        charts=charts,
        own_services=access.services if service is None and peer_worker is None else None,
    )


def quality_body(evaluation: Evaluation) -> str:
    """The quality page's body as stored (rendered when the ratings changed)."""
    data = store.read(evaluation, "quality") or {}
    return str(data.get("html", ""))


def own_results(evaluation: Evaluation, worker: PeerWorker, *, charts: bool = True) -> Results:
    """A peer worker's own results, as the peer worker themself sees them.

    Their own interviews are theirs to see; what others said about their support (their
    supervisor, the people they support) is shown only where a summary holds at least
    ``settings.SMALL_NUMBER_THRESHOLD`` of others' interviews, so no one person's view can
    be read, and every summary from which a hidden one could be worked out is hidden too.
    """
    instrument = evaluation.instrument.model()
    measures = [d.key for d in instrument.domains] + [TOTAL]
    data: dict[str, Any] = store.read(evaluation, _scope(None, worker)) or {}
    cube = store.cube_of(data.get("raw", []), measures)
    minimum = threshold()
    protected = {}
    for measure, summaries in cube.items():
        # Count only what others said: their own view is theirs, and a summary that mixes
        # it with others' views shows as many of others' interviews as it holds.
        counts = {key: _others_in(summaries, key, s.n) for key, s in summaries.items()}
        hidden = suppress(counts, minimum)  # type: ignore[arg-type]
        protected[measure] = {
            key: s.hide(hidden[key]) if key in hidden else s for key, s in summaries.items()
        }
    return build(
        cube=protected,
        instrument=instrument,
        framework=evaluation.framework.model(),
        rounds=tuple(evaluation.rounds.all()),
        n_interviews=int(data.get("n", 0)),
        aggregates_only=True,
        minimum=minimum,
        charts=charts,
    )


def _others_in(summaries: dict[Key, Summary], key: Key, n: int) -> int:
    """How many of a peer worker's summary's interviews are others' (not their own view)."""
    if key[2] == SELF_INFORMANT:
        return 0
    if key[2] is None:
        own = summaries.get((key[0], key[1], SELF_INFORMANT))
        return n - (own.n if own is not None else 0)
    return n
