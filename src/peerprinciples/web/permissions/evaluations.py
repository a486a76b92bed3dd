"""Who may see or change what in an evaluation (see the package's description)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest

from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker, Service
from peerprinciples.web.interviews.models import Interview, RatingSheet
from peerprinciples.web.reflection import models as reflection
from peerprinciples.web.transfers.models import ImportBatch

Role = Membership.Role


class Action(enum.StrEnum):
    """Everything a view can ask permission for."""

    VIEW_EVALUATION = "view_evaluation"
    VIEW_SET_UP = "view_set_up"
    VIEW_MEMBERS = "view_members"
    MANAGE_EVALUATION = "manage_evaluation"
    VIEW_AUDIT = "view_audit"
    VIEW_INTERVIEWS = "view_interviews"
    CREATE_INTERVIEW = "create_interview"
    RATE = "rate"
    RECORD_CONSENSUS = "record_consensus"
    VIEW_INDIVIDUAL_RESULTS = "view_individual_results"
    VIEW_AGGREGATES = "view_aggregates"
    IMPORT_DATA = "import_data"
    EXPORT_DATA = "export_data"
    EXPORT_NOTES = "export_notes"
    RECORD_CONSENT = "record_consent"
    WITHDRAW_INTERVIEW = "withdraw_interview"
    ERASE_ON_REQUEST = "erase_on_request"
    SEE_CYCLES = "see_cycles"
    READ_REFLECTIONS = "read_reflections"
    RUN_CYCLE = "run_cycle"
    SELF_ASSESS = "self_assess"
    REPLY = "reply"
    RELEASE_REPORT = "release_report"
    VIEW_OWN_RESULTS = "view_own_results"


EVERYONE = frozenset(Role.values)

RULES: dict[Action, frozenset[str]] = {
    Action.VIEW_EVALUATION: EVERYONE,
    # The evaluation's set-up (every service, how many peer workers, rounds, the withdrawal
    # protocol, the pinned versions) and its members' user names are for those who run or
    # study the evaluation. A facilitator's and a peer worker's overview shows their own
    # service's reflection instead, and never another person's user name.
    Action.VIEW_SET_UP: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER, Role.VIEWER}),
    Action.VIEW_MEMBERS: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER, Role.VIEWER}),
    Action.MANAGE_EVALUATION: frozenset({Role.LEAD}),
    Action.VIEW_AUDIT: frozenset({Role.LEAD}),
    Action.VIEW_INTERVIEWS: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    Action.CREATE_INTERVIEW: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    Action.RATE: frozenset({Role.LEAD, Role.RATER}),
    Action.RECORD_CONSENSUS: frozenset({Role.LEAD, Role.COORDINATOR}),
    Action.VIEW_INDIVIDUAL_RESULTS: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    Action.VIEW_AGGREGATES: EVERYONE,
    Action.IMPORT_DATA: frozenset({Role.LEAD, Role.COORDINATOR}),
    Action.EXPORT_DATA: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    # Free-text notes can hold identifying detail: only leads may export them, when asked.
    Action.EXPORT_NOTES: frozenset({Role.LEAD}),
    # Consent is recorded by whoever records interviews; withdrawing one removes data.
    Action.RECORD_CONSENT: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    Action.WITHDRAW_INTERVIEW: frozenset({Role.LEAD, Role.COORDINATOR}),
    # Erasing on a person's request removes a code and everything filed under it, in every
    # service, with no anonymised copy: a decision for whoever answers for the whole data.
    Action.ERASE_ON_REQUEST: frozenset({Role.LEAD}),
    # Reflective learning: everyone may see that a cycle happened; what was said stays with
    # the service's own people (its coordinator, facilitator and peer workers) and the leads.
    # Raters are researchers from outside the service, so they see no more than viewers.
    Action.SEE_CYCLES: EVERYONE,
    Action.READ_REFLECTIONS: frozenset(
        {Role.LEAD, Role.COORDINATOR, Role.FACILITATOR, Role.PEER_WORKER}
    ),
    Action.RUN_CYCLE: frozenset({Role.LEAD, Role.FACILITATOR}),
    Action.SELF_ASSESS: frozenset(
        {Role.LEAD, Role.COORDINATOR, Role.FACILITATOR, Role.PEER_WORKER}
    ),
    Action.REPLY: frozenset({Role.PEER_WORKER}),
    Action.RELEASE_REPORT: frozenset({Role.LEAD}),
    Action.VIEW_OWN_RESULTS: frozenset({Role.PEER_WORKER}),
}

# Roles whose rights are limited to the services listed on their membership.
SERVICE_SCOPED = frozenset({Role.COORDINATOR, Role.RATER, Role.FACILITATOR, Role.PEER_WORKER})


@dataclass(frozen=True, eq=False)
class Access:
    """What a request may do in one evaluation: found once by :func:`access_for`.

    It holds the person's membership (with the evaluation and the versions it is pinned to)
    and the services a service-scoped role covers, so every check a view makes afterwards
    (:meth:`may`, the object guards below, what lists to show) asks the database nothing.
    """

    user: Any
    membership: Membership
    services: frozenset[int] | None
    """The keys of the services the person's rights cover, or ``None`` for all of them."""
    token_role: str | None = None
    """For a request made with a personal access token, the token's role, which is never
    higher than the membership's (see :mod:`~peerprinciples.web.permissions.tokens`)."""

    @property
    def evaluation(self) -> Evaluation:
        """The evaluation, with its pinned framework and instrument (documents deferred)."""
        return self.membership.evaluation

    @property
    def role(self) -> str:
        """The person's role in the evaluation (a :class:`Role` value), or the token's role
        for a request made with a personal access token."""
        return self.token_role or self.membership.role

    def may(self, action: Action, service: Service | int | None = None) -> bool:
        """Whether the person may do ``action`` here (for ``service``, when given)."""
        if self.role not in RULES[action]:
            return False
        if service is None or self.services is None:
            return True
        key = service if isinstance(service, int) else service.pk
        return key in self.services

    @property
    def peer_worker_id(self) -> int | None:
        """For a peer worker's account, the key of the code it is linked to."""
        return self.membership.peer_worker_id

    @cached_property
    def rights(self) -> dict[str, bool]:
        """Every action's answer, by its name: what templates read as ``may``."""
        return {action.value: self.may(action) for action in Action}

    @property
    def sees_aggregates_only(self) -> bool:
        """Viewers see aggregates only, with small numbers suppressed."""
        return not self.may(Action.VIEW_INDIVIDUAL_RESULTS)

    def visible_services(self) -> QuerySet[Service]:
        """The services whose individual data the person may see (all of them for leads)."""
        queryset = Service.objects.filter(evaluation=self.evaluation)
        return queryset if self.services is None else queryset.filter(pk__in=self.services)

    def visible_interviews(self) -> QuerySet[Interview]:
        """The interviews the person may list (never one withdrawn and kept anonymised)."""
        queryset = Interview.objects.filter(evaluation=self.evaluation, anonymised=False)
        if not self.may(Action.VIEW_INTERVIEWS):
            return queryset.none()
        if self.services is None:
            return queryset
        return queryset.filter(service_id__in=self.services)

    def can_see_sheet(self, sheet: RatingSheet, interview: Interview) -> bool:
        """A rater sees their own sheet; another's only once every sheet of the interview is
        final. This keeps double rating independent: the second rater cannot be swayed by
        the first."""
        if sheet.rater_id == self.user.pk:
            return True
        sheets = list(interview.sheets.all())
        all_final = len(sheets) >= interview.raters_needed and all(
            s.status == RatingSheet.Status.FINAL for s in sheets
        )
        return all_final and self.may(Action.VIEW_INTERVIEWS, interview.service_id)


def _find_access(user: Any, evaluation_id: int) -> Access | None:
    """The person's access to the evaluation, read in one query, or ``None`` for outsiders.

    The membership row comes with its evaluation and the versions that is pinned to (their
    documents, tens of kilobytes of JSON, stay in the database: pages use the validated
    models each process keeps once read), joined to the membership's services: one row per
    service listed (one row with no service when none are).
    """
    if not getattr(user, "is_authenticated", False):
        return None
    rows = list(
        Membership.objects.filter(evaluation_id=evaluation_id, user_id=user.pk)
        .select_related("evaluation__framework", "evaluation__instrument")
        .defer("evaluation__framework__document", "evaluation__instrument__document")
        .annotate(service_key=F("services__id"))
    )
    if not rows:
        return None
    member = rows[0]
    services = None
    if member.role in SERVICE_SCOPED:
        services = frozenset(row.service_key for row in rows if row.service_key is not None)
    return Access(user, member, services)


def access_of(user: Any, evaluation: Evaluation) -> Access | None:
    """The user's access to the evaluation outside a request (services, the command line),
    read in one query; ``None`` for someone who is not a member."""
    return _find_access(user, evaluation.pk)


def can(user: Any, action: Action, evaluation: Evaluation, service: Service | None = None) -> bool:
    """Whether ``user`` may do ``action`` in ``evaluation`` (for ``service``, when given).

    For callers outside a request (the command line); a view asks its :class:`Access`.
    """
    found = access_of(user, evaluation)
    return found is not None and found.may(action, service)


# --- guards: views get objects only through these -------------------------------------------


def access_for(request: HttpRequest, evaluation_id: int, action: Action) -> Access:
    """The request's access to the evaluation, if it allows ``action``: 404 for outsiders
    (and for an evaluation that does not exist: the two look the same), 403 otherwise.

    An API request made with a personal access token (``request.access_token``, set by the
    API's authentication) gets the token's access, never more than its maker's."""
    token = getattr(request, "access_token", None)
    if token is not None:
        from peerprinciples.web.permissions.tokens import token_access_for

        return token_access_for(token, evaluation_id, action)
    found = _find_access(request.user, evaluation_id)
    if found is None:
        raise Http404("No such evaluation.")
    if not found.may(action):
        raise PermissionDenied("Your role in this evaluation does not include this.")
    return found


def service_for(access: Access, service_id: int, action: Action) -> Service:
    """A service of the evaluation that the person's rights cover for ``action``."""
    service = Service.objects.filter(evaluation_id=access.evaluation.pk, pk=service_id).first()
    if service is None:
        raise Http404("No such service in this evaluation.")
    if not access.may(action, service):
        raise PermissionDenied("This service is not among yours.")
    service.evaluation = access.evaluation
    return service


def peer_worker_for(access: Access, peer_worker_id: int, action: Action) -> PeerWorker:
    """A peer worker of the evaluation whose service the person's rights cover."""
    worker = (
        PeerWorker.objects.select_related("service")
        .filter(evaluation_id=access.evaluation.pk, pk=peer_worker_id)
        .first()
    )
    if worker is None:
        raise Http404("No such peer worker in this evaluation.")
    if not access.may(action, worker.service_id):
        raise PermissionDenied("This peer worker's service is not among yours.")
    worker.evaluation = worker.service.evaluation = access.evaluation
    return worker


def interview_for(
    access: Access, interview_id: int, action: Action, *, anonymised: bool = False
) -> Interview:
    """An interview of the evaluation whose service the person's rights cover.

    An interview withdrawn with its ratings kept anonymised is never shown on its own
    again: it is not found, unless ``anonymised`` asks for it (the withdrawal page, to say
    that it was withdrawn already).
    """
    found = Interview.objects.select_related("service", "peer_worker", "round").filter(
        evaluation_id=access.evaluation.pk, pk=interview_id
    )
    interview = (found if anonymised else found.filter(anonymised=False)).first()
    if interview is None:
        raise Http404("No such interview in this evaluation.")
    if not access.may(action, interview.service_id):
        raise PermissionDenied("This interview's service is not among yours.")
    interview.evaluation = access.evaluation
    return interview


def sheet_for(access: Access, interview: Interview, sheet_id: int) -> RatingSheet:
    """A rating sheet of an interview (got through :func:`interview_for`) that the person may
    open: their own, or another rater's once every sheet is final (:meth:`Access.can_see_sheet`)."""
    found = interview.sheets.select_related("rater").filter(pk=sheet_id).first()
    if found is None:
        raise Http404("No such rating sheet for this interview.")
    if not access.can_see_sheet(found, interview):
        raise PermissionDenied(
            "Another rater's sheet opens once every rating of this "
            "interview is final, so each rating stays independent."
        )
    return found


def cycle_for(access: Access, cycle_id: int, action: Action) -> reflection.Cycle:
    """A reflection cycle of the evaluation whose service the person's rights cover."""
    cycle = (
        reflection.Cycle.objects.select_related("service", "round", "guide__framework")
        .defer("guide__document", "guide__framework__document")
        .filter(evaluation_id=access.evaluation.pk, pk=cycle_id)
        .first()
    )
    if cycle is None:
        raise Http404("No such reflection cycle in this evaluation.")
    if not access.may(action, cycle.service_id):
        raise PermissionDenied("This cycle's service is not among yours.")
    cycle.evaluation = cycle.service.evaluation = cycle.round.evaluation = access.evaluation
    return cycle


def reflection_action_for(access: Access, action_id: int, action: Action) -> reflection.Action:
    """An action agreed in a reflection cycle of the evaluation, whose service the person's
    rights cover (with its cycle, service and round)."""
    agreed = (
        reflection.Action.objects.select_related(
            "cycle__service", "cycle__round", "cycle__guide__framework"
        )
        .defer("cycle__guide__document", "cycle__guide__framework__document")
        .filter(cycle__evaluation_id=access.evaluation.pk, pk=action_id)
        .first()
    )
    if agreed is None:
        raise Http404("No such action in this evaluation.")
    if not access.may(action, agreed.cycle.service_id):
        raise PermissionDenied("This action's service is not among yours.")
    cycle = agreed.cycle
    cycle.evaluation = cycle.service.evaluation = cycle.round.evaluation = access.evaluation
    return agreed


# --- importing -------------------------------------------------------------------------------


def import_services(user: Any, evaluation: Evaluation) -> frozenset[int] | None:
    """The services whose ratings ``user`` may import into ``evaluation``.

    ``None`` means every service of the evaluation (a lead); an empty set means none, for
    someone whose role may not import or who is not a member.
    """
    found = access_of(user, evaluation)
    if found is None or not found.may(Action.IMPORT_DATA):
        return frozenset()
    return found.services


def visible_batches(access: Access) -> QuerySet[ImportBatch]:
    """The imports of the evaluation the person may see: every one for those who manage the
    evaluation (leads), their own for everyone else who may import (coordinators)."""
    if not access.may(Action.IMPORT_DATA):
        return ImportBatch.objects.none()
    batches = ImportBatch.objects.filter(evaluation_id=access.evaluation.pk).select_related("user")
    if not access.may(Action.MANAGE_EVALUATION):
        batches = batches.filter(user_id=access.user.pk)
    return batches


def batch_for(access: Access, batch_id: int) -> ImportBatch:
    """An import of the evaluation the person may see, or 404."""
    batch = visible_batches(access).filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such import in this evaluation.")
    batch.evaluation = access.evaluation
    return batch
