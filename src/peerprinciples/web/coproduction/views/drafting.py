"""Values, draft principles and themes, and the links from review categories and panel piles
to them (to be built)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.web.permissions import ProjectAction, project_access_for, requires


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def values(request: HttpRequest, project_id: int) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def value(request: HttpRequest, project_id: int, value_id: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def principles(request: HttpRequest, project_id: int) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def principle(request: HttpRequest, project_id: int, principle_id: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def theme(request: HttpRequest, project_id: int, theme_id: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, project_id: int) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_DRAFTS)
@require_GET
def mapping_svg(request: HttpRequest, project_id: int) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_DRAFTS)
@require_GET
def coverage_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")
