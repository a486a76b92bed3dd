"""Placeholder views of the ratings part: each is replaced by the real page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import ProjectAction, project_access_for, requires


@requires(ProjectAction.VIEW_RATINGS)
def rate(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_RATINGS)
def results(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_RATINGS)
def scales(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_RATINGS)
def ladder_svg(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_RATINGS)
def go_zone_svg(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)
