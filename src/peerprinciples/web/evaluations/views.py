"""Starting an evaluation, its overview, and setting up its services, people and rounds.

Views are thin: they parse a form, call a service, show the outcome and redirect after a
successful POST. Every object comes through a guard in ``permissions``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerprinciples.core.naturalsort import natural_key
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations import services
from peerprinciples.web.evaluations.forms import (
    EvaluationForm,
    LinkAccountForm,
    MemberForm,
    PeerWorkerForm,
    RoundForm,
    ServiceForm,
    SharingForm,
    WithdrawalForm,
    WithdrawalProtocolForm,
)
from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker, Service
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.links import evaluation_links
from peerprinciples.web.permissions import (
    Access,
    Action,
    access_for,
    peer_worker_for,
    requires,
    service_for,
    signed_in,
)
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import reports

PEER_WORKERS_PER_PAGE = 50
"""Peer workers on one page of the overview (a national evaluation has thousands)."""

WORKERS_PAGE = "workers_page"
"""The query parameter with the page of peer workers shown."""

# Which section of the overview holds each set-up form: (anchor, what was not saved).
FAILED = {
    "service_form": ("services", "the service"),
    "peer_worker_form": ("peer-workers", "the peer worker"),
    "round_form": ("rounds", "the round"),
    "member_form": ("members", "the member"),
    "protocol_form": ("withdrawing", "what the protocol allows"),
}


def evaluation_context(access: Access, nav: str) -> dict[str, Any]:
    """What every page inside an evaluation needs: the evaluation, the person's role and
    rights, and the addresses of the evaluation's navigation."""
    return {
        "evaluation": access.evaluation,
        "nav": nav,
        "nav_links": evaluation_links(access.evaluation.pk),
        "role": access.role,
        "role_label": access.membership.get_role_display(),
        "may": access.rights,
    }


@signed_in
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Start an evaluation; whoever starts it leads it."""
    if request.method == "POST":
        form = EvaluationForm(request.POST)
    else:
        # ``?instrument=<pk>`` preselects an instrument, e.g. from a published framework's page.
        asked = request.GET.get("instrument", "")
        form = EvaluationForm(initial={"instrument": int(asked)} if asked.isdigit() else None)
    asked_for = form.initial.get("instrument")
    chosen = StoredInstrument.objects.select_related("framework").filter(pk=asked_for).first()
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.create_evaluation(
                request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                instrument=form.cleaned_data["instrument"],
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request,
                f"The evaluation {evaluation.name!r} has started. "
                "Add its services, peer workers, rounds and members below.",
            )
            return redirect("evaluations:detail", evaluation.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "synthetic_choice": chosen is not None and chosen.framework.synthetic}
    return render(request, "evaluations/create.html", context, status=status)


@requires(Action.VIEW_EVALUATION)
@require_GET
def detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The evaluation's overview, fitted to the role: what it is pinned to, and its services,
    people and rounds for those who run or study it; their service's reflection first, in
    plain words, for a facilitator and a peer worker."""
    return _overview(request, access_for(request, evaluation_id, Action.VIEW_EVALUATION))


def _overview(
    request: HttpRequest, access: Access, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    evaluation = access.evaluation
    context = evaluation_context(access, "overview")
    context["framework"] = evaluation.framework
    if access.role == Membership.Role.PEER_WORKER:
        context["own"] = _peer_workers_own(access)
    elif access.role == Membership.Role.FACILITATOR:
        context["facilitated"] = {"services": _facilitators_cycles(access)}
    if context["may"][Action.VIEW_MEMBERS]:
        context["memberships"] = (
            evaluation.memberships.select_related("user")
            .prefetch_related("services")
            .order_by("role", "user__username")
        )
    if not context["may"][Action.VIEW_SET_UP]:
        return render(request, "evaluations/detail.html", context, status=status)
    all_services = list(evaluation.services.all())
    sees_people = context["may"][Action.VIEW_INDIVIDUAL_RESULTS]
    workers = (
        PeerWorker.objects.filter(evaluation=evaluation, service__in=access.visible_services())
        .select_related("service")
        .annotate(linked=Exists(Membership.objects.filter(peer_worker=OuterRef("pk"))))
        .order_by("code")
        if sees_people
        else PeerWorker.objects.none()
    )
    context.update(
        {
            "instrument": evaluation.instrument,
            "services": all_services,
            "peer_workers": Paginator(workers, PEER_WORKERS_PER_PAGE).get_page(
                request.GET.get(WORKERS_PAGE)
            ),
            "peer_worker_count": evaluation.peer_workers.count(),
            "sees_people": sees_people,
            "rounds": evaluation.rounds.all(),
        }
    )
    failed = next((name for name, form in bound.items() if form.errors), None)
    if failed:
        context["failed"] = FAILED[failed]
    if context["may"][Action.MANAGE_EVALUATION]:
        context.update(
            {
                "service_form": bound.get("service_form") or ServiceForm(),
                "peer_worker_form": bound.get("peer_worker_form")
                or PeerWorkerForm(services=all_services),
                "round_form": bound.get("round_form")
                or RoundForm(
                    initial={"number": max((r.number for r in context["rounds"]), default=0) + 1}
                ),
                "member_form": bound.get("member_form") or MemberForm(services=all_services),
                "protocol_form": bound.get("protocol_form")
                or WithdrawalProtocolForm(
                    initial={
                        "keeps_anonymised": "1" if evaluation.withdrawal_keeps_anonymised else "0"
                    }
                ),
            }
        )
    return render(request, "evaluations/detail.html", context, status=status)


def _peer_workers_own(access: Access) -> dict[str, Any]:
    """What a peer worker's overview adds: their code, their own results (when shared), and
    their service's reflection cycles, the draft reports open for their reply first."""
    worker = PeerWorker.objects.select_related("service").filter(pk=access.peer_worker_id).first()
    cycles = reports.cycles_to_reply(access.evaluation, access.services or ())
    return {
        "worker": worker,
        "sees_results": access.evaluation.peer_workers_see_own_results,
        "drafts": [c for c in cycles if c.report_status == Cycle.Report.DRAFT],
        "released": [c for c in cycles if c.report_status == Cycle.Report.RELEASED],
    }


def _facilitators_cycles(access: Access) -> list[tuple[Service, list[Cycle]]]:
    """What a facilitator's overview starts with: each of their services with its reflection
    cycles, round by round."""
    cycles = (
        Cycle.objects.filter(evaluation=access.evaluation, service__in=access.visible_services())
        .select_related("service", "round")
        .order_by("round__number")
    )
    by_service: dict[int, list[Cycle]] = {}
    for cycle in cycles:
        by_service.setdefault(cycle.service_id, []).append(cycle)
    theirs = sorted(access.visible_services(), key=lambda s: natural_key(s.code))
    return [(service, by_service.get(service.pk, [])) for service in theirs]


def _back(evaluation: Evaluation, anchor: str, page: str = "") -> HttpResponse:
    query = f"?{WORKERS_PAGE}={page}" if page.isdigit() and page != "1" else ""
    return redirect(reverse("evaluations:detail", args=[evaluation.pk]) + f"{query}#{anchor}")


@requires(Action.MANAGE_EVALUATION)
@require_POST
def add_service(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Add a service (site or team)."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    form = ServiceForm(request.POST)
    if form.is_valid():
        try:
            service = services.add_service(request.user, evaluation, **form.cleaned_data)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"Added the service {service}.")
            return _back(evaluation, "services")
    return _overview(request, access, 400, service_form=form)


@requires(Action.MANAGE_EVALUATION)
@require_POST
def add_peer_worker(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Add a peer worker, known only by a pseudonymous code."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    form = PeerWorkerForm(request.POST, services=list(evaluation.services.all()))
    if form.is_valid():
        service = service_for(access, form.cleaned_data["service"], Action.MANAGE_EVALUATION)
        try:
            worker = services.add_peer_worker(
                request.user, evaluation, service=service, code=form.cleaned_data["code"]
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"Added the peer worker {worker.code} in {service.code}.")
            return _back(evaluation, "peer-workers")
    return _overview(request, access, 400, peer_worker_form=form)


@requires(Action.MANAGE_EVALUATION)
@require_POST
def add_round(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Add a round (timepoint or review cycle)."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    form = RoundForm(request.POST)
    if form.is_valid():
        try:
            added = services.add_round(request.user, evaluation, **form.cleaned_data)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"Added {added}.")
            return _back(evaluation, "rounds")
    return _overview(request, access, 400, round_form=form)


@requires(Action.MANAGE_EVALUATION)
@require_POST
def add_member(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Give an existing account a role (or change their role) in the evaluation."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    form = MemberForm(request.POST, services=list(evaluation.services.all()))
    if form.is_valid():
        chosen = [
            service_for(access, pk, Action.MANAGE_EVALUATION)
            for pk in form.cleaned_data["services"]
        ]
        try:
            member = services.add_member(
                request.user,
                evaluation,
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                services=chosen,
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request,
                f"{member.user.get_username()} is now "
                f"{member.get_role_display().lower()} in this evaluation.",
            )
            return _back(evaluation, "members")
    return _overview(request, access, 400, member_form=form)


@requires(Action.MANAGE_EVALUATION)
@require_POST
def withdrawal(request: HttpRequest, evaluation_id: int, peer_worker_id: int) -> HttpResponse:
    """Record that a peer worker withdrew consent (no new interviews about them), or rejoined."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    worker = peer_worker_for(access, peer_worker_id, Action.MANAGE_EVALUATION)
    form = WithdrawalForm(request.POST)
    page = request.POST.get(WORKERS_PAGE, "")
    if not form.is_valid():
        messages.error(request, "Choose whether the peer worker withdrew or rejoined.")
        return _back(evaluation, "peer-workers", page)
    withdrawn = form.cleaned_data["withdrawn"]
    try:
        services.set_withdrawn(request.user, evaluation, worker, withdrawn)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{worker.code} has withdrawn: no new interviews about their support can be added."
            if withdrawn
            else f"{worker.code} has rejoined the evaluation.",
        )
    return _back(evaluation, "peer-workers", page)


@requires(Action.MANAGE_EVALUATION)
@require_POST
def withdrawal_protocol(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Record what the study's protocol allows when someone withdraws an interview."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    form = WithdrawalProtocolForm(request.POST)
    if form.is_valid():
        keeps = form.cleaned_data["keeps_anonymised"]
        services.set_withdrawal_protocol(request.user, evaluation, keeps_anonymised=keeps)
        messages.success(
            request,
            "When someone withdraws, they may now choose to keep their ratings anonymised "
            "in the group results, or to erase them."
            if keeps
            else "When someone withdraws, their interview and its ratings are now erased.",
        )
        return _back(evaluation, "withdrawing")
    return _overview(request, access, 400, protocol_form=form)


@requires(Action.MANAGE_EVALUATION)
@require_POST
def link_account(request: HttpRequest, evaluation_id: int, peer_worker_id: int) -> HttpResponse:
    """Link an existing account to a peer worker's code, or unlink the account linked."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    worker = peer_worker_for(access, peer_worker_id, Action.MANAGE_EVALUATION)
    form = LinkAccountForm(request.POST)
    page = request.POST.get(WORKERS_PAGE, "")
    if not form.is_valid():
        messages.error(request, f"Nothing was changed for {worker.code}: {_first_problem(form)}")
        return _back(evaluation, "peer-workers", page)
    try:
        if form.cleaned_data["unlink"]:
            services.unlink_account(request.user, evaluation, worker=worker)
        else:
            services.link_account(
                request.user, evaluation, username=form.cleaned_data["username"], worker=worker
            )
    except InvalidInput as error:
        messages.error(
            request, f"Nothing was changed for {worker.code}: {' '.join(error.problems.values())}"
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"The account is no longer linked to {worker.code}."
            if form.cleaned_data["unlink"]
            else f"Linked the account to {worker.code}: it can now see {worker.service.code}'s "
            "reflection cycles and reply to their draft reports.",
        )
    return _back(evaluation, "peer-workers", page)


def _first_problem(form: forms.Form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


@requires(Action.MANAGE_EVALUATION)
@require_POST
def sharing(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Turn on or off whether peer workers with a linked account see their own results."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    form = SharingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether peer workers may see their own results.")
        return _back(evaluation, "sharing")
    own = form.cleaned_data["own_results"]
    services.set_sharing(request.user, evaluation, own_results=own)
    messages.success(
        request,
        "Peer workers with a linked account can now see their own results."
        if own
        else "Peer workers no longer see their own results.",
    )
    return _back(evaluation, "sharing")
