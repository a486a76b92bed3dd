"""Placeholder pages until this module is built (see urls.py for what each is)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import (
    ProgrammeAction,
    programme_access_for,
    requires,
    signed_in,
)


@signed_in
def index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("index")


@signed_in
def create(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return HttpResponse("create")


@requires(ProgrammeAction.VIEW_PROGRAMME)
def matrix(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("matrix")


@requires(ProgrammeAction.MANAGE_PROGRAMME)
def settings(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    return HttpResponse("settings")


@requires(ProgrammeAction.VIEW_PROGRAMME)
def members(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    if request.method == "POST":
        programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("members")


@requires(ProgrammeAction.MANAGE_PROGRAMME)
def areas(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    return HttpResponse("areas")


@requires(ProgrammeAction.MANAGE_PROGRAMME)
def framework(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    return HttpResponse("framework")
