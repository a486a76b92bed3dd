"""What a project's overview shows beyond its settings: the versions it published, the
round a member may vote in, and each stage's state (done, now, skipped or to come)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from peerprinciples.web.coproduction.models import Project, Publication


def publications(project: Project) -> QuerySet[Publication]:
    """The versions the project published, newest first."""
    return (
        Publication.objects.filter(project=project)
        .select_related("framework")
        .order_by("-published_at", "-pk")
    )

