"""Placeholder views: replaced by the real pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from peerprinciples.web.permissions import Action, requires


@requires(Action.SEE_CYCLES)
def timeline(request: HttpRequest, evaluation_id: int, service_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.READ_REFLECTIONS)
def report(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.REPLY)
def reply(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.RELEASE_REPORT)
def release(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")
