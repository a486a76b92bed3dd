"""Placeholder pages until this module is built (see urls.py for what each is)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import (
    ProgrammeAction,
    programme_access_for,
    requires,
)


@requires(ProgrammeAction.VIEW_PROGRAMME)
def cell(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    if request.method == "POST":
        programme_access_for(request, programme_id, ProgrammeAction.EDIT_CELLS)
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("cell")


@requires(ProgrammeAction.MANAGE_PROGRAMME)
def prompt(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    return HttpResponse("prompt")


@requires(ProgrammeAction.VIEW_PROGRAMME)
def cell_history(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("cell_history")


@requires(ProgrammeAction.VIEW_PROGRAMME)
def history(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("history")


@requires(ProgrammeAction.VIEW_PROGRAMME)
def matrix_csv(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("matrix_csv")
