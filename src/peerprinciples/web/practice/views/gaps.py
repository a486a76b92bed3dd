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
def gaps(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return HttpResponse("gaps")


@requires(ProgrammeAction.LINK_ACTIONS)
def cell_actions(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    programme_access_for(request, programme_id, ProgrammeAction.LINK_ACTIONS)
    return HttpResponse("cell_actions")
