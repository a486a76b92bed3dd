"""What a project's overview shows beyond its settings: the versions it published, the
round a member may vote in, and each stage's state (done, now, skipped or to come)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import QuerySet

from peerprinciples.web.coproduction.models import (
    Ballot,
    DraftingRound,
    Member,
    Project,
    Publication,
    Source,
)
from peerprinciples.web.coproduction.services.projects import STAGES, Progress, StageGuide

Stage = Project.Stage


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


SKIPPABLE = (Stage.EVIDENCE, Stage.CARDS, Stage.SORTING, Stage.RATING, Stage.MAPPING)
"""The stages a local adaptation may leave out: it starts from a framework's wording."""

ADAPTATION_NEXT = {
    Stage.SETTING_UP: (
        "Next, the research team and the facilitator go over the values and principles "
        "copied from the base framework and reword them for this place. An adaptation may "
        "skip the evidence, cards, sorting, rating and concept-map stages, or use any of them "
        "first to gather local views: move the project to the stage it needs."
    ),
}
"""What comes next for a local adaptation, where it differs from a new framework."""


@dataclass(frozen=True)
class StageRow:
    """A stage in the overview's list and how far the project got with it."""

    guide: StageGuide
    state: str
    """``done``, ``now``, ``skipped`` (an adaptation left it out) or ``to come``."""


def guide_for(project: Project, guide: StageGuide) -> StageGuide:
    """``guide`` as it reads for ``project``: a local adaptation's next step differs."""
    if project.kind == Project.Kind.ADAPTATION and guide.stage in ADAPTATION_NEXT:
        return replace(guide, next=ADAPTATION_NEXT[Stage(guide.stage)])
    return guide


def _held(project: Project, progress: Progress) -> dict[str, bool]:
    """Whether the project holds anything from each skippable stage."""
    return {
        Stage.EVIDENCE: Source.objects.filter(project=project).exists(),
        Stage.CARDS: bool(progress.cards or progress.merged),
        Stage.SORTING: bool(progress.group_sorts or progress.sorts_started),
        Stage.RATING: bool(progress.ratings),
        Stage.MAPPING: bool(progress.maps),
    }


def stage_rows(project: Project, progress: Progress) -> list[StageRow]:
    """Every stage in order, with its state. A local adaptation's earlier stages that it
    holds nothing from were skipped, not done."""
    here = next(n for n, guide in enumerate(STAGES) if guide.stage == project.stage)
    adaptation = project.kind == Project.Kind.ADAPTATION
    held = _held(project, progress) if adaptation else {}
    rows = []
    for n, guide in enumerate(STAGES):
        if n == here:
            state = "now"
        elif n > here:
            state = "to come"
        elif adaptation and guide.stage in SKIPPABLE and not held[guide.stage]:
            state = "skipped"
        else:
            state = "done"
        rows.append(StageRow(guide_for(project, guide), state))
    return rows
