"""Placeholder views: replaced by the real pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from peerprinciples.web.permissions import Action, requires


@requires(Action.SEE_CYCLES)
def index(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.RUN_CYCLE)
def open_cycle(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.SEE_CYCLES)
def cycle(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.RUN_CYCLE)
def participants(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.RUN_CYCLE)
def reflect(
    request: HttpRequest, evaluation_id: int, cycle_id: object, principle: object
) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.RUN_CYCLE)
def conditions(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.SELF_ASSESS)
def self_assess(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.RUN_CYCLE)
def finish(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")
