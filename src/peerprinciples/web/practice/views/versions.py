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
def versions(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    if request.method == "POST":
        programme_access_for(request, programme_id, ProgrammeAction.TAKE_VERSION)
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("versions")


@requires(ProgrammeAction.VIEW_PROGRAMME)
def compare_versions(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("compare_versions")
