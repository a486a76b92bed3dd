"""Gaps at a glance, and linking reflection actions to a cell of the matrix.

The gaps page asks questions of the matrix principle by principle, beside the fidelity results
and open reflection actions of the programme's services, each shown only to someone whose role
in that evaluation lets them see it (the services decide, through ``permissions``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.permissions import (
    ProgrammeAccess,
    ProgrammeAction,
    programme_access_for,
    requires,
)
from peerprinciples.web.practice.services import action_links
from peerprinciples.web.practice.services.gaps import gaps_page
from peerprinciples.web.practice.views.base import programme_context
from peerprinciples.web.results import services as results


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_GET
def gaps(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Per principle: what the matrix does not say yet, as questions, beside the services'
    fidelity results and open reflection actions; areas no principle reaches."""
    access = programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    context = programme_context(
        access,
        "gaps",
        page=gaps_page(request.user, access.programme),
        threshold=results.threshold(),
        worker_threshold=results.worker_threshold(),
    )
    return render(request, "practice/gaps.html", context)


@requires(ProgrammeAction.LINK_ACTIONS)
@require_http_methods(["GET", "POST"])
def cell_actions(
    request: HttpRequest, programme_id: int, area: str, principle: str
) -> HttpResponse:
    """The reflection actions the person may read, to tick the ones that work on this cell."""
    access = programme_access_for(request, programme_id, ProgrammeAction.LINK_ACTIONS)
    place = action_links.place_of(access.programme, area, principle)
    if request.method == "GET":
        return _actions_page(request, access, place, action_links.linked_ids(place))
    try:
        ids = action_links.parse_ids(request.POST.getlist("actions"))
        action_links.link_actions(request.user, place, ids)
    except InvalidInput as error:
        return _actions_page(
            request,
            access,
            place,
            {int(v) for v in request.POST.getlist("actions") if v.strip().isdigit()},
            problems=error.problems,
            status=400,
        )
    messages.success(
        request,
        f"The reflection actions linked to {place.principle_title} in {place.area.title} "
        "are saved.",
    )
    return redirect("practice:gaps", programme_id)


def _actions_page(
    request: HttpRequest,
    access: ProgrammeAccess,
    place: action_links.Place,
    ticked: set[int],
    *,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = action_links.readable_actions(request.user, access.programme)
    context: dict[str, Any] = programme_context(
        access,
        "gaps",
        place=place,
        groups=action_links.grouped(actions, place.principle),
        ticked=ticked,
        problems=problems or {},
    )
    return render(request, "practice/cell_actions.html", context, status=status)
