"""The one place that decides who may see or change what.

Roles are per evaluation:

===========  ==========================================================================
lead         everything in the evaluation: set-up, members, every service, consensus,
             individual results, the audit trail
coordinator  their own services: interviews, individual results, consensus
rater        their assigned services: create and rate interviews; see individual results
viewer       aggregates only, with small numbers suppressed
===========  ==========================================================================

Someone with no role in an evaluation is told it does not exist (404), so outsiders cannot
even learn which evaluations there are; a member without the right gets 403. Views declare
the action they need with :func:`requires`, and get objects only through the guards here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from peerprinciples.web import lookups
from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker, Service
from peerprinciples.web.interviews.models import Interview, RatingSheet

Role = Membership.Role


class Action(enum.StrEnum):
    """Everything a view can ask permission for."""

    VIEW_EVALUATION = "view_evaluation"
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


RULES: dict[Action, frozenset[str]] = {
    Action.VIEW_EVALUATION: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER, Role.VIEWER}),
    Action.MANAGE_EVALUATION: frozenset({Role.LEAD}),
    Action.VIEW_AUDIT: frozenset({Role.LEAD}),
    Action.VIEW_INTERVIEWS: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    Action.CREATE_INTERVIEW: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    Action.RATE: frozenset({Role.LEAD, Role.RATER}),
    Action.RECORD_CONSENSUS: frozenset({Role.LEAD, Role.COORDINATOR}),
    Action.VIEW_INDIVIDUAL_RESULTS: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    Action.VIEW_AGGREGATES: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER, Role.VIEWER}),
    Action.IMPORT_DATA: frozenset({Role.LEAD, Role.COORDINATOR}),
    Action.EXPORT_DATA: frozenset({Role.LEAD, Role.COORDINATOR, Role.RATER}),
    # Free-text notes can hold identifying detail: only leads may export them, when asked.
    Action.EXPORT_NOTES: frozenset({Role.LEAD}),
}

# Roles whose rights are limited to the services listed on their membership.
SERVICE_SCOPED = frozenset({Role.COORDINATOR, Role.RATER})


ModelT = TypeVar("ModelT", bound=Model)


def _one(queryset: QuerySet[ModelT]) -> ModelT | None:
    """The row a lookup by unique keys finds, or ``None``.

    Unlike ``first()`` it asks for no ordering: there is at most one row to order.
    """
    return next(iter(queryset[:1]), None)


def membership(user: Any, evaluation: Evaluation) -> Membership | None:
    """The user's membership of the evaluation, or ``None`` (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_pp_memberships", {})
    if evaluation.pk not in cache:
        cache[evaluation.pk] = _one(Membership.objects.filter(evaluation=evaluation, user=user))
    return cache[evaluation.pk]


def service_ids(member: Membership) -> frozenset[int] | None:
    """The services a member's rights cover, or ``None`` for all of them.

    Read once per membership object (that is, once per request) from the link table alone:
    the checks need the services' keys, not the services.
    """
    if member.role not in SERVICE_SCOPED:
        return None
    found: frozenset[int] | None = member.__dict__.get("_pp_service_ids")
    if found is None:
        found = lookups.service_keys(member.pk)
        member.__dict__["_pp_service_ids"] = found
    return found


def can(user: Any, action: Action, evaluation: Evaluation, service: Service | None = None) -> bool:
    """Whether ``user`` may do ``action`` in ``evaluation`` (for ``service``, when given)."""
    member = membership(user, evaluation)
    if member is None or member.role not in RULES[action]:
        return False
    if service is None:
        return True
    allowed = service_ids(member)
    return allowed is None or service.pk in allowed


def role(user: Any, evaluation: Evaluation) -> str | None:
    """The user's role in the evaluation, if any."""
    member = membership(user, evaluation)
    return member.role if member else None


def sees_aggregates_only(user: Any, evaluation: Evaluation) -> bool:
    """Viewers see aggregates only, with small numbers suppressed."""
    return not can(user, Action.VIEW_INDIVIDUAL_RESULTS, evaluation)


# --- guards: views get objects only through these -------------------------------------------


def evaluation_for(request: HttpRequest, evaluation_id: int, action: Action) -> Evaluation:
    """The evaluation, if the user may do ``action`` in it: 404 for outsiders, 403 otherwise."""
    user = request.user
    # One query finds the user's membership together with the evaluation and the versions
    # it is pinned to; no membership (or no such evaluation) is the same 404. It is plain
    # SQL made once per process from the models (see ``lookups``), as this runs on every
    # page inside an evaluation.
    member = (
        lookups.membership_in(evaluation_id, user.pk)
        if getattr(user, "is_authenticated", False)
        else None
    )
    if member is None:
        raise Http404("No such evaluation.")
    evaluation = member.evaluation
    # What membership() would have found, so the checks below ask nothing more.
    user.__dict__.setdefault("_pp_memberships", {})[evaluation.pk] = member
    if not can(user, action, evaluation):
        raise PermissionDenied("Your role in this evaluation does not include this.")
    return evaluation


def service_for(
    request: HttpRequest, evaluation: Evaluation, service_id: int, action: Action
) -> Service:
    """A service of the evaluation that the user's rights cover for ``action``."""
    service = lookups.service_in(evaluation, service_id)
    if service is None:
        raise Http404("No such service in this evaluation.")
    if not can(request.user, action, evaluation, service):
        raise PermissionDenied("This service is not among yours.")
    return service


def peer_worker_for(
    request: HttpRequest, evaluation: Evaluation, peer_worker_id: int, action: Action
) -> PeerWorker:
    """A peer worker of the evaluation whose service the user's rights cover."""
    worker = lookups.peer_worker_in(evaluation, peer_worker_id)
    if worker is None:
        raise Http404("No such peer worker in this evaluation.")
    if not can(request.user, action, evaluation, worker.service):
        raise PermissionDenied("This peer worker's service is not among yours.")
    return worker


def interview_for(
    request: HttpRequest, evaluation: Evaluation, interview_id: int, action: Action
) -> Interview:
    """An interview of the evaluation whose service the user's rights cover."""
    interview = lookups.interview_in(evaluation, interview_id)
    if interview is None:
        raise Http404("No such interview in this evaluation.")
    if not can(request.user, action, evaluation, interview.service):
        raise PermissionDenied("This interview's service is not among yours.")
    return interview


def visible_interviews(user: Any, evaluation: Evaluation) -> QuerySet[Interview]:
    """The interviews the user may list."""
    queryset = Interview.objects.filter(evaluation=evaluation)
    member = membership(user, evaluation)
    if member is None or member.role not in RULES[Action.VIEW_INTERVIEWS]:
        return queryset.none()
    allowed = service_ids(member)
    return queryset if allowed is None else queryset.filter(service_id__in=allowed)


def visible_services(user: Any, evaluation: Evaluation) -> QuerySet[Service]:
    """The services whose individual data the user may see (all of them for leads)."""
    member = membership(user, evaluation)
    queryset = Service.objects.filter(evaluation=evaluation)
    if member is None:
        return queryset.none()
    allowed = service_ids(member)
    return queryset if allowed is None else queryset.filter(pk__in=allowed)


def can_see_sheet(user: Any, sheet: RatingSheet) -> bool:
    """A rater sees their own sheet; another's only once every sheet of the interview is final.

    This keeps double rating independent: the second rater cannot be swayed by the first.
    """
    if sheet.rater_id == getattr(user, "pk", None):
        return True
    interview = sheet.interview
    sheets = list(interview.sheets.all())
    all_final = len(sheets) >= (2 if interview.double_rated else 1) and all(
        s.status == RatingSheet.Status.FINAL for s in sheets
    )
    return all_final and can(user, Action.VIEW_INTERVIEWS, interview.evaluation, interview.service)


# --- declaring what a view needs ---------------------------------------------------------------

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])


def requires(action: Action) -> Callable[[ViewT], ViewT]:
    """Mark a view as needing ``action`` and require sign-in.

    The view still fetches its objects through the guards above (which check the action
    against the object's service); the mark lets the permission-table test find views that
    declare no rule.
    """

    def decorate(view: ViewT) -> ViewT:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return view(request, *args, **kwargs)

        guarded = login_required(wrapper)
        guarded.required_action = action  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: ViewT) -> ViewT:
    """Mark a view as open to anyone (sign-in, password reset)."""
    view.required_action = None  # type: ignore[attr-defined]
    return view


def signed_in(view: ViewT) -> ViewT:
    """Mark a view as open to anyone signed in (home, own password)."""
    guarded = login_required(view)
    guarded.required_action = "signed_in"  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


# --- importing -------------------------------------------------------------------------------


def import_services(user: Any, evaluation: Evaluation) -> frozenset[int] | None:
    """The services whose ratings ``user`` may import into ``evaluation``.

    ``None`` means every service of the evaluation (a lead); an empty set means none, for
    someone whose role may not import or who is not a member.
    """
    member = membership(user, evaluation)
    if member is None or member.role not in RULES[Action.IMPORT_DATA]:
        return frozenset()
    return service_ids(member)
