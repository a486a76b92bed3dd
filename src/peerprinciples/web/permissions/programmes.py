"""Who may see or change what in a programme's practice matrix.

========== ===========================================================================
lead        everything: the programme's settings, members, areas and prompts, moving to a
            new framework version, numbered versions of the matrix, sharing it
contributor fills in cells, links reflection actions to them, writes handbook sections
reader      reads the matrix, its history and gaps, and downloads the handbook
========== ===========================================================================

Fidelity results and reflection actions shown beside the matrix come from evaluations, and
each is shown only to someone whose role in that evaluation lets them see it there
(:mod:`peerprinciples.web.permissions.evaluations` decides): a programme role never opens an
evaluation. :func:`linked_services_for` says, service by service, what the person's role in
its evaluation lets them see. Someone with no role in a programme is told it does not exist
(404).

Another programme's matrix is seen side by side only when both programmes share theirs
(:func:`shared_programme_for`); the person needs no role in the other programme, and
otherwise it is not found, so nobody learns that a programme they cannot see exists.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from peerprinciples.web.evaluations.models import Evaluation, Service
from peerprinciples.web.permissions.evaluations import RULES, Access, Action, access_of
from peerprinciples.web.permissions.membership import MemberAccess, checked
from peerprinciples.web.practice import models as practice

ProgrammeRole = practice.ProgrammeMember.Role


class ProgrammeAction(enum.StrEnum):
    VIEW_PROGRAMME = "view_programme"
    MANAGE_PROGRAMME = "manage_programme"
    EDIT_CELLS = "edit_cells"
    LINK_ACTIONS = "link_actions"
    EDIT_SECTIONS = "edit_sections"
    TAKE_VERSION = "take_version"
    EXPORT_HANDBOOK = "export_handbook"
    COMPARE = "compare"


_EVERYONE = frozenset(ProgrammeRole.values)
_LEAD = frozenset({ProgrammeRole.LEAD})
_WRITERS = frozenset({ProgrammeRole.LEAD, ProgrammeRole.CONTRIBUTOR})

PROGRAMME_RULES: dict[ProgrammeAction, frozenset[str]] = {
    # Everyone in a programme reads its matrix, prompts, gaps, history and versions.
    ProgrammeAction.VIEW_PROGRAMME: _EVERYONE,
    # Settings, members, services, areas, the programme's own prompts, sharing, and moving
    # the matrix to a new framework version.
    ProgrammeAction.MANAGE_PROGRAMME: _LEAD,
    # Peer workers and the team write the matrix with the lead.
    ProgrammeAction.EDIT_CELLS: _WRITERS,
    ProgrammeAction.LINK_ACTIONS: _WRITERS,
    ProgrammeAction.EDIT_SECTIONS: _WRITERS,
    # A numbered version is what a handbook is issued from: the lead takes it.
    ProgrammeAction.TAKE_VERSION: _LEAD,
    ProgrammeAction.EXPORT_HANDBOOK: _EVERYONE,
    # Side by side with another programme, when both share their matrix.
    ProgrammeAction.COMPARE: _EVERYONE,
}


@dataclass(frozen=True, eq=False)
class ProgrammeAccess(MemberAccess):
    """What a request may do in one programme, found once by :func:`programme_access_for`."""

    RULES = PROGRAMME_RULES
    member: practice.ProgrammeMember

    @property
    def programme(self) -> practice.Programme:
        return self.member.programme


def programme_access_of(user: Any, programme_id: int) -> ProgrammeAccess | None:
    """The user's membership of the programme (with the programme and its framework row,
    document deferred), read in one query; ``None`` for outsiders."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = (
        practice.ProgrammeMember.objects.select_related("programme__framework")
        .defer("programme__framework__document")
        .filter(programme_id=programme_id, user_id=user.pk)
        .first()
    )
    return None if member is None else ProgrammeAccess(user, member)


def programme_access_for(
    request: HttpRequest, programme_id: int, action: ProgrammeAction
) -> ProgrammeAccess:
    """The request's access to the programme, if it allows ``action``: 404 for outsiders (and
    for a programme that does not exist), 403 for a member without the right."""
    return checked(
        programme_access_of(request.user, programme_id),
        action,
        missing="No such programme.",
        denied="Your role in this programme does not include this.",
    )


def linkable_services(user: Any) -> QuerySet[Service]:
    """The evaluation services ``user`` may link to a programme: those of evaluations they
    run (whose role there may manage the evaluation). Linking a service shows its fidelity
    results and reflection actions beside the matrix, so it is for the evaluation's lead to
    decide, never for someone who only reads that evaluation."""
    if not getattr(user, "is_authenticated", False):
        return Service.objects.none()
    return (
        Service.objects.filter(
            evaluation__memberships__user_id=user.pk,
            evaluation__memberships__role__in=RULES[Action.MANAGE_EVALUATION],
        )
        .select_related("evaluation")
        .order_by("evaluation__name", "code", "pk")
        .distinct()
    )


# --- what a programme may show of the evaluations of its services ---------------------------


@dataclass(frozen=True)
class LinkedService:
    """One of a programme's services, and what the person's role in its evaluation lets them
    see of it beside the matrix (nothing, for someone with no role there)."""

    service: Service
    access: Access | None
    """The person's access to the service's evaluation, or ``None`` when they have no role."""

    @property
    def evaluation(self) -> Evaluation:
        return self.service.evaluation

    @property
    def sees_results(self) -> bool:
        """Whether they may see the service's fidelity results (as its results page does)."""
        return self.access is not None and self.access.may(Action.VIEW_AGGREGATES, self.service)

    @property
    def reads_reflections(self) -> bool:
        """Whether they may read the service's reflection cycles and the actions agreed."""
        return self.access is not None and self.access.may(Action.READ_REFLECTIONS, self.service)

    @property
    def aggregates_only(self) -> bool:
        """Whether small numbers are hidden from them (as on the results pages)."""
        return self.access is None or self.access.sees_aggregates_only


def linked_services_for(user: Any, services: Iterable[Service]) -> list[LinkedService]:
    """Every service with what ``user`` may see of it, asking once per evaluation.

    Pass services with their evaluation selected (``select_related("evaluation")``); the
    evaluation's own rules (:class:`~peerprinciples.web.permissions.evaluations.Access`)
    decide, never the programme role.
    """
    found: dict[int, Access | None] = {}
    linked = []
    for service in services:
        if service.evaluation_id not in found:
            found[service.evaluation_id] = access_of(user, service.evaluation)
        linked.append(LinkedService(service, found[service.evaluation_id]))
    return linked


# --- another programme, side by side ---------------------------------------------------------


def sharing_programmes(access: ProgrammeAccess) -> QuerySet[practice.Programme]:
    """The other programmes whose matrix this one may see side by side: none unless this
    programme shares its own, and only those that share theirs."""
    if not access.programme.shares_matrix:
        return practice.Programme.objects.none()
    return (
        practice.Programme.objects.filter(shares_matrix=True)
        .exclude(pk=access.programme.pk)
        .select_related("framework")
        .defer("framework__document")
    )


def shared_programme_for(access: ProgrammeAccess, other_id: int) -> practice.Programme:
    """Another programme, for the side-by-side page: found without any role in it, but only
    when both it and the person's programme share their matrix. Otherwise 404, the same
    answer as for a programme that does not exist."""
    other = sharing_programmes(access).filter(pk=other_id).first()
    if other is None:
        raise Http404("No such programme to compare with.")
    return other
