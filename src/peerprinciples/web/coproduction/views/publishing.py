"""Publishing a framework version (to be built)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.web.permissions import ProjectAction, project_access_for, requires


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, project_id: int) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.PUBLISH if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_PUBLICATIONS)
@require_GET
def publication(request: HttpRequest, project_id: int, publication_id: Any) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.VIEW_PUBLICATIONS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")


@requires(ProjectAction.VIEW_PUBLICATIONS)
@require_GET
def download(
    request: HttpRequest, project_id: int, publication_id: Any, file_name: Any
) -> HttpResponse:
    """Placeholder."""
    action = ProjectAction.VIEW_PUBLICATIONS
    project_access_for(request, project_id, action)
    return HttpResponse("Not built yet.")
