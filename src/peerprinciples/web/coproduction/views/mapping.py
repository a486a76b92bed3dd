"""Placeholder views of the mapping part: each is replaced by the real page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import ProjectAction, project_access_for, requires


@requires(ProjectAction.VIEW_MAP)
def concept_map(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_MAP)
def run(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_MAP)
def map_svg(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_MAP)
def map_csv(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_MAP)
def clusters(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)
