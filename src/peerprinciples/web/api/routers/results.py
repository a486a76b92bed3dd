"""Results: the stored summaries of the evaluation, a service or a peer worker.

Each answer is what the results page of the same scope shows the same reader, read through
:func:`~peerprinciples.web.results.services.results_for`: for readers of aggregates only,
every summary of too few interviews (or peer workers), and every summary it could be worked
out from, is hidden. A hidden summary comes as ``n``, ``mean`` and ``sd`` all ``null`` with
the reason in ``hidden``; its numbers never leave the server.

Results are worked out by the task worker after the data change. While newer data are
still being worked out the answer is 202 with ``Retry-After``, saying to ask again; add
``allow_stale=true`` to take the results stored last instead (``pending`` then says so).
"""

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router, Schema

from peerprinciples.web.api.problems import ERRORS
from peerprinciples.web.evaluations.models import PeerWorker, Service
from peerprinciples.web.permissions import Access, Action, access_for, peer_worker_for, service_for
from peerprinciples.web.results import services
from peerprinciples.web.results.presenting import Gap, Measure, Results, Row
from peerprinciples.web.results.summaries import Summary

router = Router(tags=["results"])

RETRY_AFTER = 10
"""Seconds to wait before asking again for results still being worked out."""


class CellOut(Schema):
    """One summary: how many interviews, their mean and standard deviation.

    When ``hidden`` names a reason (``small``, ``linked``, ``few-peer-workers``,
    ``others``), the numbers are ``null``: the summary is hidden to protect privacy.
    """

    informant: str | None
    """The informant's key, or ``null`` for all informants together."""
    n: int | None
    mean: float | None
    sd: float | None
    hidden: str | None


class RowOut(Schema):
    """One round of a measure (``round`` is its number, or ``all``)."""

    round: str
    round_id: int | None
    label: str
    cells: list[CellOut]
    """One per informant, in the instrument's order."""
    all_informants: CellOut


class GapOut(Schema):
    """The self-rating informant's mean minus everyone else's, for one round or all."""

    round: str
    value: float | None
    hidden: str | None


class MeasureOut(Schema):
    """A principle's domain (or ``total``, the overall score)."""

    key: str
    title: str
    principles: list[str]
    """The titles of the principles the domain rates."""
    rows: list[RowOut]
    gaps: list[GapOut]


class InformantOut(Schema):
    key: str
    title: str


class ResultsOut(Schema):
    """The results of one scope as the caller may see them."""

    scope: str
    """``evaluation``, ``service`` or ``peer_worker``."""
    service_code: str | None
    peer_worker_code: str | None
    n_interviews: int
    suppressed: bool
    """Whether small numbers are hidden (readers of aggregates only)."""
    others_protected: bool
    """Whether small groups of services outside the caller's are hidden."""
    threshold: int
    worker_threshold: int
    scale_min: int
    scale_max: int
    informants: list[InformantOut]
    version: int
    """The evaluation's results version these results describe."""
    updated_at: datetime | None
    pending: bool
    """Whether newer data are still being worked out (only with ``allow_stale``)."""
    measures: list[MeasureOut]


class PendingOut(Schema):
    """Newer data are being worked out: ask again after ``retry_after`` seconds."""

    status: str = "pending"
    detail: str
    retry_after: int
    version: int
    """The version of the results stored now."""


def _cell(informant: str | None, summary: Summary) -> CellOut:
    if summary.hidden:
        return CellOut(informant=informant, n=None, mean=None, sd=None, hidden=summary.hidden)
    return CellOut(informant=informant, n=summary.n, mean=summary.mean, sd=summary.sd, hidden=None)


def _row(row: Row, rounds: dict[str, int]) -> RowOut:
    return RowOut(
        round=row.round,
        round_id=rounds.get(row.round),
        label=row.label,
        cells=[_cell(key, summary) for key, summary in row.cells],
        all_informants=_cell(None, row.margin),
    )


def _gap(gap: Gap) -> GapOut:
    return GapOut(round=gap.round, value=gap.value, hidden=gap.hidden or None)


def _measure(measure: Measure, rounds: dict[str, int]) -> MeasureOut:
    return MeasureOut(
        key=measure.key,
        title=measure.title,
        principles=[title for title, _, _ in measure.principles],
        rows=[_row(row, rounds) for row in measure.rows],
        gaps=[_gap(gap) for gap in measure.gaps],
    )


def _answer(
    access: Access,
    allow_stale: bool,
    *,
    service: Service | None = None,
    peer_worker: PeerWorker | None = None,
) -> ResultsOut | tuple[int, PendingOut] | HttpResponse:
    stored = services.freshness(access.evaluation)
    if stored.pending and not allow_stale:
        response = HttpResponse(
            PendingOut(
                detail="Newer data are being worked out. Ask again in a few seconds, or add "
                "allow_stale=true to take the results stored last.",
                retry_after=RETRY_AFTER,
                version=stored.version,
            ).model_dump_json(),
            status=202,
            content_type="application/json",
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    found: Results = services.results_for(
        access, service=service, peer_worker=peer_worker, charts=False
    )
    rounds = {str(r.number): r.pk for r in found.rounds}
    place = peer_worker.service if peer_worker is not None else service
    return ResultsOut(
        scope="peer_worker" if peer_worker else "service" if service else "evaluation",
        service_code=place.code if place is not None else None,
        peer_worker_code=peer_worker.code if peer_worker else None,
        n_interviews=found.n_interviews,
        suppressed=found.suppressed,
        others_protected=found.others_protected,
        threshold=services.threshold(),
        worker_threshold=services.worker_threshold(),
        scale_min=found.scale_min,
        scale_max=found.scale_max,
        informants=[InformantOut(key=k, title=t) for k, t in found.informants],
        version=stored.version,
        updated_at=stored.updated_at,
        pending=stored.pending,
        measures=[_measure(m, rounds) for m in found.measures],
    )


RESPONSES = {200: ResultsOut, 202: PendingOut, **ERRORS}


@router.get("/", response=RESPONSES, summary="Results of the evaluation")
def evaluation_results(
    request: HttpRequest, evaluation_id: Path[int], allow_stale: bool = False
) -> object:
    """Every principle and the total, by round and informant, over every service."""
    access = access_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    return _answer(access, allow_stale)


@router.get("/services/{service_id}", response=RESPONSES, summary="Results of one service")
def service_results(
    request: HttpRequest, evaluation_id: Path[int], service_id: int, allow_stale: bool = False
) -> object:
    access = access_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    place = service_for(access, service_id, Action.VIEW_AGGREGATES)
    return _answer(access, allow_stale, service=place)


@router.get(
    "/peer-workers/{peer_worker_id}", response=RESPONSES, summary="Results of one peer worker"
)
def peer_worker_results(
    request: HttpRequest, evaluation_id: Path[int], peer_worker_id: int, allow_stale: bool = False
) -> object:
    """For those who may see individual results (leads, and coordinators and raters of the
    peer worker's service): never suppressed, as on the peer worker's results page."""
    access = access_for(request, evaluation_id, Action.VIEW_INDIVIDUAL_RESULTS)
    worker = peer_worker_for(access, peer_worker_id, Action.VIEW_INDIVIDUAL_RESULTS)
    return _answer(access, allow_stale, peer_worker=worker)
