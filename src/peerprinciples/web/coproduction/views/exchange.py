"""Placeholder views of the exchange part: each is replaced by the real page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import ProjectAction, project_access_for, requires


@requires(ProjectAction.EXCHANGE_DATA)
def rcmap_import(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)


@requires(ProjectAction.EXCHANGE_DATA)
def rcmap_export(request: HttpRequest, **kwargs: int | str) -> HttpResponse:
    project_access_for(request, int(kwargs["project_id"]), ProjectAction.VIEW_PROJECT)
    return HttpResponse("Not built yet.", status=501)
