"""Placeholder pages until this module is built (see urls.py for what each is)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from peerprinciples.web.permissions import (
    ProgrammeAction,
    programme_access_for,
    requires,
)


@requires(ProgrammeAction.COMPARE)
def compare(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.COMPARE)
    return HttpResponse("compare")


@requires(ProgrammeAction.COMPARE)
def side_by_side(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.COMPARE)
    return HttpResponse("side_by_side")
