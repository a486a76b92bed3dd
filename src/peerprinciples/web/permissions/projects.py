"""Who may see or change what in a co-production project."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from peerprinciples.web.coproduction import models as coproduction
from peerprinciples.web.permissions.membership import MemberAccess, checked

# --- co-production projects ---------------------------------------------------------------

ProjectRole = coproduction.Member.Role


class ProjectAction(enum.StrEnum):
    """Everything a co-production page can ask permission for."""

    VIEW_PROJECT = "view_project"
    MANAGE_PROJECT = "manage_project"
    VIEW_EVIDENCE = "view_evidence"
    EDIT_EVIDENCE = "edit_evidence"
    VIEW_CARDS = "view_cards"
    WRITE_CARDS = "write_cards"
    ENTER_PAPER_CARDS = "enter_paper_cards"
    SEE_AUTHORS = "see_authors"
    MERGE_CARDS = "merge_cards"
    VIEW_SORTS = "view_sorts"
    RECORD_GROUP_SORT = "record_group_sort"
    SORT_CARDS = "sort_cards"
    VIEW_SORT_PROGRESS = "view_sort_progress"
    VIEW_MAP = "view_map"
    RUN_ANALYSIS = "run_analysis"
    NAME_CLUSTERS = "name_clusters"
    RATE_STATEMENTS = "rate_statements"
    VIEW_RATINGS = "view_ratings"
    EXCHANGE_DATA = "exchange_data"
    VIEW_DRAFTS = "view_drafts"
    EDIT_DRAFTS = "edit_drafts"
    RUN_ROUNDS = "run_rounds"
    VOTE = "vote"
    VIEW_ROUNDS = "view_rounds"
    PUBLISH = "publish"
    VIEW_PUBLICATIONS = "view_publications"


ALL_MEMBERS = frozenset(ProjectRole.values)
_FACILITATOR = frozenset({ProjectRole.FACILITATOR})
_RESEARCH = frozenset({ProjectRole.FACILITATOR, ProjectRole.RESEARCH})
_PANEL = frozenset({ProjectRole.FACILITATOR, ProjectRole.PANEL})

PROJECT_RULES: dict[ProjectAction, frozenset[str]] = {
    # Everyone in a project sees its question, its stage and who facilitates and decides.
    ProjectAction.VIEW_PROJECT: ALL_MEMBERS,
    ProjectAction.MANAGE_PROJECT: _FACILITATOR,
    # The review is kept by the research team; everyone may read it.
    ProjectAction.VIEW_EVIDENCE: ALL_MEMBERS,
    ProjectAction.EDIT_EVIDENCE: _RESEARCH,
    # Cards are anonymous: members see numbers and text; only the facilitator sees who
    # wrote a card, to ask its author before merging duplicates and to enter paper cards.
    ProjectAction.VIEW_CARDS: ALL_MEMBERS,
    ProjectAction.WRITE_CARDS: _PANEL,
    ProjectAction.ENTER_PAPER_CARDS: _FACILITATOR,
    ProjectAction.SEE_AUTHORS: _FACILITATOR,
    ProjectAction.MERGE_CARDS: _FACILITATOR,
    # Piles agreed at a meeting are everyone's; one member's own sort is theirs alone.
    ProjectAction.VIEW_SORTS: ALL_MEMBERS,
    ProjectAction.RECORD_GROUP_SORT: _FACILITATOR,
    ProjectAction.SORT_CARDS: _PANEL,
    # Who has finished sorting, and the map's notes about one sorter's sort (cards left
    # out, say): never anyone's piles, and never shown to the rest of the panel.
    ProjectAction.VIEW_SORT_PROGRESS: _RESEARCH,
    ProjectAction.VIEW_MAP: ALL_MEMBERS,
    ProjectAction.RUN_ANALYSIS: _RESEARCH,
    ProjectAction.NAME_CLUSTERS: _FACILITATOR,
    ProjectAction.RATE_STATEMENTS: _PANEL,
    ProjectAction.VIEW_RATINGS: ALL_MEMBERS,
    # Whole data sets in and out (RCMap files, the review's files).
    ProjectAction.EXCHANGE_DATA: _RESEARCH,
    # Values and draft principles, the links from categories and piles to them, and the
    # answers to each round's comments are drafted by the research team (with the
    # facilitator); every member reads them.
    ProjectAction.VIEW_DRAFTS: ALL_MEMBERS,
    ProjectAction.EDIT_DRAFTS: _RESEARCH,
    # The facilitator sets the consensus rule and opens and closes rounds; panel members
    # vote; everyone reads a closed round's results (never who voted what) and the changes.
    ProjectAction.RUN_ROUNDS: _FACILITATOR,
    ProjectAction.VOTE: _PANEL,
    ProjectAction.VIEW_ROUNDS: ALL_MEMBERS,
    # The facilitator publishes the agreed text as a framework version; everyone may read
    # and download what was published.
    ProjectAction.PUBLISH: _FACILITATOR,
    ProjectAction.VIEW_PUBLICATIONS: ALL_MEMBERS,
}


@dataclass(frozen=True, eq=False)
class ProjectAccess(MemberAccess):
    """What a request may do in one co-production project, found once by
    :func:`project_access_for`: the person's membership, with its project."""

    RULES = PROJECT_RULES
    member: coproduction.Member

    @property
    def project(self) -> coproduction.Project:
        return self.member.project


def project_access_of(user: Any, project_id: int) -> ProjectAccess | None:
    """The user's membership of the project, read in one query; ``None`` for outsiders."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = (
        coproduction.Member.objects.select_related("project")
        .filter(project_id=project_id, user_id=user.pk)
        .first()
    )
    return None if member is None else ProjectAccess(user, member)


def project_access_for(
    request: HttpRequest, project_id: int, action: ProjectAction
) -> ProjectAccess:
    """The request's access to the project, if it allows ``action``: 404 for outsiders (and
    for a project that does not exist), 403 for a member without the right."""
    return checked(
        project_access_of(request.user, project_id),
        action,
        missing="No such co-production project.",
        denied="Your role in this project does not include this.",
    )


def may_change_card(access: ProjectAccess, card: coproduction.Card) -> bool:
    """Whether the person may change or delete ``card``: its author (whose role writes cards)
    may, and so may the facilitator for a card they typed up from paper, to put a typing
    mistake right. When they may do it (the stage, the card not yet sorted) the cards
    service decides."""
    if card.author_id == access.member.pk and access.may(ProjectAction.WRITE_CARDS):
        return True
    return card.from_paper and access.may(ProjectAction.ENTER_PAPER_CARDS)


ModelT = TypeVar("ModelT", bound=Any)


def in_project(access: ProjectAccess, queryset: QuerySet[ModelT], pk: int, **path: Any) -> ModelT:
    """One object of the project, or 404: ``queryset`` filtered to the object and to the
    project (``path`` names the project when the model reaches it through another, e.g.
    ``concept_map__project=access.project``; by default ``project=access.project``)."""
    scope = path or {"project": access.project}
    found = queryset.filter(pk=pk, **scope).first()
    if found is None:
        raise Http404(f"No such {queryset.model._meta.verbose_name} in this project.")
    return found
