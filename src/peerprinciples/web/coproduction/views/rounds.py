"""Drafting rounds (to be built)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.web.permissions import ProjectAction, project_access_for, requires


@requires(ProjectAction.VIEW_ROUNDS)
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, project_id: int) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.RUN_ROUNDS if request.method == "POST" else ProjectAction.VIEW_ROUNDS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_ROUNDS)
@require_GET
def round_page(request: HttpRequest, project_id: int, number: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.VIEW_ROUNDS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VOTE)
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, project_id: int, number: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.VOTE
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.RUN_ROUNDS)
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, project_id: int, number: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.RUN_ROUNDS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_ROUNDS)
@require_http_methods(["GET", "POST"])
def changes(request: HttpRequest, project_id: int, number: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_ROUNDS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_ROUNDS)
@require_GET
def results_csv(request: HttpRequest, project_id: int, number: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.VIEW_ROUNDS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")
