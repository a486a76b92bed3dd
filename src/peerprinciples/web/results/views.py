"""Results pages: the evaluation, a service, a peer worker, the quality checks and the report.

Views are thin: they get their objects through the guards in ``permissions``, ask
``results.services`` for the results stored when the data last changed, and render them,
saying when the numbers were brought up to date. Nothing here scores ratings or lists peer
workers by score: services and peer workers are listed by code, in natural order (S2 before
S10).

The heavy part of each page is rendered once and kept in the cache (``{% cache %}`` in the
templates) under :func:`_fragment_key`: the version of the stored results, the page and its
subject, and who it is for (the role, and the services of a role limited to some). The
results themselves are handed to the templates lazily, so a page found in the cache never
lays them out at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from peerprinciples.core.naturalsort import natural_key
from peerprinciples.web.evaluations.models import PeerWorker, Service
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import (
    Access,
    Action,
    access_for,
    peer_worker_for,
    requires,
    service_for,
)
from peerprinciples.web.reflection.services import reports as cycle_reports
from peerprinciples.web.results import services


def _context(access: Access, nav: str) -> dict[str, Any]:
    context = evaluation_context(access, nav)
    context["threshold"] = services.threshold()
    context["worker_threshold"] = services.worker_threshold()
    context["freshness"] = services.freshness(access.evaluation)
    return context


def _audience(access: Access) -> str:
    """Whom a rendered page is for: the role, and the services of a role limited to some.

    Everything a results page shows depends on the reader only through these (what is
    hidden from whom, which services' links open, which pages the menu offers).
    """
    allowed = access.services
    scope = "all" if allowed is None else ",".join(str(pk) for pk in sorted(allowed))
    return f"{access.role}:{scope}"


def _fragment_key(access: Access, context: dict[str, Any], page: str, *parts: object) -> str:
    """The cache key of a page's rendered results, for this reader and these stored results."""
    stored = context["freshness"]
    return services.cache_key(
        access.evaluation,
        "page",
        page,
        stored.version,
        stored.updated_at.isoformat() if stored.updated_at else "",
        _audience(access),
        *parts,
    )


def _lazy(compute: Callable[[], Any]) -> Any:
    """``compute()``, worked out only if a template reads it."""
    return SimpleLazyObject(compute)


def _services(access: Access) -> list[tuple[Service, bool]]:
    """Every service by code, and whether the user may open its results."""
    return [
        (service, access.may(Action.VIEW_AGGREGATES, service))
        for service in sorted(access.evaluation.services.all(), key=lambda s: natural_key(s.code))
    ]


@requires(Action.VIEW_AGGREGATES)
@require_GET
def overview(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Scores of every principle and the total by round and informant, and the informant gap."""
    access = access_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    context = _context(access, "results")
    context.update(
        {
            "results": _lazy(lambda: services.results_for(access)),
            "service_links": _lazy(lambda: _services(access)),
            "scope": "evaluation",
            "fragment_key": _fragment_key(access, context, "overview"),
        }
    )
    return render(request, "results/overview.html", context)


@requires(Action.VIEW_AGGREGATES)
@require_GET
def service(request: HttpRequest, evaluation_id: int, service_id: int) -> HttpResponse:
    """One service's scores; its peer workers (by code) for those who may see individuals."""
    access = access_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    evaluation = access.evaluation
    place = service_for(access, service_id, Action.VIEW_AGGREGATES)
    context = _context(access, "results")
    sees_people = access.may(Action.VIEW_INDIVIDUAL_RESULTS, place)
    context.update(
        {
            "service": place,
            "results": _lazy(lambda: services.results_for(access, service=place)),
            "fragment_key": _fragment_key(access, context, "service", place.pk),
            "sees_people": sees_people,
            "peer_workers": (
                sorted(
                    PeerWorker.objects.filter(evaluation=evaluation, service=place),
                    key=lambda worker: natural_key(worker.code),
                )
                if sees_people
                else []
            ),
            "scope": "service",
        }
    )
    return render(request, "results/service.html", context)


@requires(Action.VIEW_INDIVIDUAL_RESULTS)
@require_GET
def peer_worker(request: HttpRequest, evaluation_id: int, peer_worker_id: int) -> HttpResponse:
    """One peer worker's scores by round and informant, as feedback for their reflection."""
    access = access_for(request, evaluation_id, Action.VIEW_INDIVIDUAL_RESULTS)
    worker = peer_worker_for(access, peer_worker_id, Action.VIEW_INDIVIDUAL_RESULTS)
    context = _context(access, "results")
    context.update(
        {
            "worker": worker,
            "service": worker.service,
            "results": _lazy(lambda: services.results_for(access, peer_worker=worker)),
            "fragment_key": _fragment_key(access, context, "peer_worker", worker.pk),
            "scope": "peer_worker",
        }
    )
    return render(request, "results/peer_worker.html", context)


@requires(Action.VIEW_AGGREGATES)
@require_GET
def psychometrics(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Spread, internal consistency and agreement between raters, with flags in plain words."""
    access = access_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    evaluation = access.evaluation
    context = _context(access, "psychometrics")
    # Rendered when the ratings last changed, by the task that stores the results.
    # Django's template escaped what it put in (results.store), as on any page.
    context["quality_body"] = mark_safe(services.quality_body(evaluation))  # nosec B308 B703
    return render(request, "results/psychometrics.html", context)


@requires(Action.VIEW_AGGREGATES)
@require_GET
def report(request: HttpRequest, evaluation_id: int, service_id: int) -> HttpResponse:
    """A printable report of one service, principle by principle, with room to reflect."""
    access = access_for(request, evaluation_id, Action.VIEW_AGGREGATES)
    evaluation = access.evaluation
    place = service_for(access, service_id, Action.VIEW_AGGREGATES)
    context = _context(access, "results")
    reads = access.may(Action.READ_REFLECTIONS, place)
    context.update(
        {
            "service": place,
            "results": _lazy(lambda: services.results_for(access, service=place)),
            "fragment_key": _fragment_key(access, context, "report", place.pk),
            "instrument": evaluation.instrument.model(),
            "framework": evaluation.framework.model(),
            "ruled_lines": range(8),
            "action_rows": range(4),
            "reads_reflections": reads,
            "reflective_cycles": cycle_reports.service_cycles(
                evaluation, place, reads_reflections=reads
            ),
        }
    )
    return render(request, "results/report.html", context)


@requires(Action.VIEW_OWN_RESULTS)
@require_GET
def mine(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """A peer worker's own results: those of the code their account is linked to, when the
    evaluation allows it, with the views of too few others hidden."""
    access = access_for(request, evaluation_id, Action.VIEW_OWN_RESULTS)
    evaluation = access.evaluation
    if not evaluation.peer_workers_see_own_results:
        context = evaluation_context(access, "results")
        return render(request, "results/mine_off.html", context, status=403)
    if access.peer_worker_id is None:
        raise PermissionDenied("Your account is not linked to a peer worker's code.")
    worker = peer_worker_for(access, access.peer_worker_id, Action.VIEW_OWN_RESULTS)
    context = _context(access, "results")
    context.update(
        {
            "worker": worker,
            "service": worker.service,
            "results": services.own_results(evaluation, worker),
            "scope": "peer_worker",
        }
    )
    return render(request, "results/mine.html", context)
