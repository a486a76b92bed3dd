"""What a project's overview shows beyond its settings: the versions it published, the
round a member may vote in, and each stage's state (done, now, skipped or to come)."""

from __future__ import annotations

from django.db.models import QuerySet

from peerprinciples.web.coproduction.models import (
    Ballot,
    DraftingRound,
    Member,
    Project,
    Publication,
)


def publications(project: Project) -> QuerySet[Publication]:
    """The versions the project published, newest first."""
    return (
        Publication.objects.filter(project=project)
        .select_related("framework")
        .order_by("-published_at", "-pk")
    )


def round_to_vote_in(project: Project, member: Member) -> DraftingRound | None:
    """The open round ``member`` was invited to and has not handed a ballot in for yet."""
    found = (
        DraftingRound.objects.filter(
            project=project, status=DraftingRound.Status.OPEN, invited=member
        )
        .order_by("-number")
        .first()
    )
    if found is None or Ballot.objects.filter(round=found, member=member).exists():
        return None
    return found
