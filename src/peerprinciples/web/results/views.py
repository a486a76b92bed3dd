"""Results pages: the evaluation, a service, a peer worker, the quality checks and the report.

Views are thin: they get their objects through the guards in ``permissions``, ask
``results.services`` for summaries read from the score cache, and render them. Nothing here
scores ratings or lists peer workers by score: services and peer workers are listed by code.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Service
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import (
    Action,
    can,
    evaluation_for,
    peer_worker_for,
    requires,
    sees_aggregates_only,
    service_for,
)
from peerprinciples.web.results import services


def _context(request: HttpRequest, evaluation: Evaluation, nav: str) -> dict[str, Any]:
    context = evaluation_context(request, evaluation, nav)
    context["threshold"] = services.threshold()
    return context


def _services(request: HttpRequest, evaluation: Evaluation) -> list[tuple[Service, bool]]:
    """Every service by code, and whether the user may open its results."""
    return [
        (service, can(request.user, Action.VIEW_AGGREGATES, evaluation, service))
        for service in evaluation.services.order_by("code")
    ]


@requires(Action.VIEW_AGGREGATES)
@require_GET
def overview(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Scores of every principle and the total by round and informant, and the informant gap."""
    evaluation = evaluation_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    context = _context(request, evaluation, "results")
    context.update(
        {
            "results": services.results(
                evaluation, aggregates_only=sees_aggregates_only(request.user, evaluation)
            ),
            "service_links": _services(request, evaluation),
            "scope": "evaluation",
        }
    )
    return render(request, "results/overview.html", context)


@requires(Action.VIEW_AGGREGATES)
@require_GET
def service(request: HttpRequest, evaluation_id: int, service_id: int) -> HttpResponse:
    """One service's scores; its peer workers (by code) for those who may see individuals."""
    evaluation = evaluation_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    place = service_for(request, evaluation, service_id, Action.VIEW_AGGREGATES)
    context = _context(request, evaluation, "results")
    sees_people = can(request.user, Action.VIEW_INDIVIDUAL_RESULTS, evaluation, place)
    context.update(
        {
            "service": place,
            "results": services.results(
                evaluation,
                service=place,
                aggregates_only=sees_aggregates_only(request.user, evaluation),
            ),
            "sees_people": sees_people,
            "peer_workers": (
                PeerWorker.objects.filter(evaluation=evaluation, service=place).order_by("code")
                if sees_people
                else PeerWorker.objects.none()
            ),
            "scope": "service",
        }
    )
    return render(request, "results/service.html", context)


@requires(Action.VIEW_INDIVIDUAL_RESULTS)
@require_GET
def peer_worker(request: HttpRequest, evaluation_id: int, peer_worker_id: int) -> HttpResponse:
    """One peer worker's scores by round and informant, as feedback for their reflection."""
    evaluation = evaluation_for(request, evaluation_id, Action.VIEW_INDIVIDUAL_RESULTS)
    worker = peer_worker_for(request, evaluation, peer_worker_id, Action.VIEW_INDIVIDUAL_RESULTS)
    context = _context(request, evaluation, "results")
    context.update(
        {
            "worker": worker,
            "service": worker.service,
            "results": services.results(evaluation, peer_worker=worker, aggregates_only=False),
            "scope": "peer_worker",
        }
    )
    return render(request, "results/peer_worker.html", context)


@requires(Action.VIEW_AGGREGATES)
@require_GET
def psychometrics(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Spread, internal consistency and agreement between raters, with flags in plain words."""
    evaluation = evaluation_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    context = _context(request, evaluation, "psychometrics")
    context["quality"] = services.quality(evaluation)
    context["minimum"] = services.QUALITY_MIN_INTERVIEWS
    return render(request, "results/psychometrics.html", context)


@requires(Action.VIEW_AGGREGATES)
@require_GET
def report(request: HttpRequest, evaluation_id: int, service_id: int) -> HttpResponse:
    """A printable report of one service, principle by principle, with room to reflect."""
    evaluation = evaluation_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    place = service_for(request, evaluation, service_id, Action.VIEW_AGGREGATES)
    context = _context(request, evaluation, "results")
    context.update(
        {
            "service": place,
            "results": services.results(
                evaluation,
                service=place,
                aggregates_only=sees_aggregates_only(request.user, evaluation),
            ),
            "instrument": evaluation.instrument.model(),
            "framework": evaluation.framework.model(),
            "ruled_lines": range(8),
            "action_rows": range(4),
        }
    )
    return render(request, "results/report.html", context)
