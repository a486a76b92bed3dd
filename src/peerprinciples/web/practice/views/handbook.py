"""Placeholder pages until this module is built (see urls.py for what each is)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import (
    ProgrammeAction,
    programme_access_for,
    requires,
)


@requires(ProgrammeAction.EXPORT_HANDBOOK)
def handbook(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.EXPORT_HANDBOOK)
    return HttpResponse("handbook")


@requires(ProgrammeAction.EXPORT_HANDBOOK)
def download(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.EXPORT_HANDBOOK)
    return HttpResponse("download")


@requires(ProgrammeAction.VIEW_PROGRAMME)
def sections(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    if request.method == "POST":
        programme_access_for(request, programme_id, ProgrammeAction.EDIT_SECTIONS)
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("sections")


@requires(ProgrammeAction.EDIT_SECTIONS)
def section(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.EDIT_SECTIONS)
    return HttpResponse("section")
