"""Placeholder views: replaced by the real pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from peerprinciples.web.permissions import Action, requires


@requires(Action.RUN_CYCLE)
def add_action(request: HttpRequest, evaluation_id: int, cycle_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.RUN_CYCLE)
def action(request: HttpRequest, evaluation_id: int, action_id: object) -> HttpResponse:
    raise Http404("Not built yet.")


@requires(Action.RUN_CYCLE)
def review_action(
    request: HttpRequest, evaluation_id: int, cycle_id: object, action_id: object
) -> HttpResponse:
    raise Http404("Not built yet.")
