"""Placeholder views of the sorting part: each is replaced by the real page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import ProjectAction, project_access_for, requires


@requires(ProjectAction.VIEW_SORTS)
def group_sorts(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_SORTS)
def group_sort(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_SORTS)
def group_piles(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_SORTS)
def group_place(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_SORTS)
def my_sort(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_SORTS)
def my_sort_place(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.VIEW_SORTS)
def progress(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)
