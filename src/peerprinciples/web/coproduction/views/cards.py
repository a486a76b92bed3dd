"""Placeholder views of the cards part: each is replaced by the real page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import ProjectAction, project_access_for, requires


@requires(ProjectAction.VIEW_CARDS)
def cards(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_CARDS)
def card(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_CARDS)
def paper_cards(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_CARDS)
def merge_cards(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)
