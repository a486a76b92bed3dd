"""Side by side with another programme, when both share their matrix: never ranked.

The other programme is found without any role in it, and only when both programmes share
(:func:`~peerprinciples.web.permissions.shared_programme_for`); otherwise it is not found.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peerprinciples.web.permissions import (
    ProgrammeAction,
    programme_access_for,
    requires,
    shared_programme_for,
    sharing_programmes,
)
from peerprinciples.web.practice.services.compare import compare as compared
from peerprinciples.web.practice.views.base import programme_context


@requires(ProgrammeAction.COMPARE)
@require_GET
def compare(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The other programmes that share their matrix, when this one shares its own."""
    access = programme_access_for(request, programme_id, ProgrammeAction.COMPARE)
    context = programme_context(
        access, "compare", others=list(sharing_programmes(access).order_by("name", "pk"))
    )
    return render(request, "practice/compare.html", context)


@requires(ProgrammeAction.COMPARE)
@require_GET
def side_by_side(request: HttpRequest, programme_id: int, other_id: int) -> HttpResponse:
    """The two matrices on the principles and areas both have, cell beside cell."""
    access = programme_access_for(request, programme_id, ProgrammeAction.COMPARE)
    other = shared_programme_for(access, other_id)
    context = programme_context(
        access, "compare", other=other, compared=compared(access.programme, other)
    )
    return render(request, "practice/side_by_side.html", context)
