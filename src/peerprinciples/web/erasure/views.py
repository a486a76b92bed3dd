"""The confirmation pages of an erasure on request, for leads.

GET lists what would be erased, by kind and count, and asks for the code to be typed; POST
erases, checked against the version the page showed, and redirects with what went. Objects
come through the guards in ``permissions``; the services in :mod:`.services` do the work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from peerprinciples.web.erasure import services
from peerprinciples.web.erasure.forms import EraseForm
from peerprinciples.web.errors import DomainError, StaleEdit
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import (
    Access,
    Action,
    access_for,
    interview_for,
    peer_worker_for,
    requires,
)


def _page(
    request: HttpRequest,
    access: Access,
    *,
    plan: services.Plan,
    form: EraseForm,
    what: str,
    action: str,
    back: str,
    nav: str,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = evaluation_context(access, nav)
    context.update({"plan": plan, "form": form, "what": what, "action": action, "back": back})
    return render(request, "erasure/confirm.html", context, status=status)


def _done(request: HttpRequest, plan: services.Plan, what: str) -> None:
    messages.success(
        request,
        f"The {what}'s data were erased: {plan.said}. The audit trail records that this was "
        "done, by you and when, and nothing of what was erased.",
    )


def _confirm(
    request: HttpRequest,
    access: Access,
    *,
    code: str,
    plan: Callable[[], services.Plan],
    version: Callable[[services.Plan], int],
    erase: Callable[[int], services.Plan],
    page: dict[str, str],
    after: str,
) -> HttpResponse:
    """The confirmation page and its POST, for either kind of erasure: ``plan`` says what
    would go now, ``version`` what the page sends back to be checked, ``erase`` erases
    against the version the page showed; ``after`` is where to go once it is done."""
    current = plan()
    if request.method == "GET":
        form = EraseForm(code=code, initial={"version": version(current)})
        return _page(request, access, plan=current, form=form, **page)
    form = EraseForm(request.POST, code=code)
    if not form.is_valid():
        return _page(request, access, plan=current, form=form, status=400, **page)
    try:
        erased = erase(form.expected_version)
    except StaleEdit as error:
        messages.error(request, str(error))
        current = plan()
        fresh = EraseForm(code=code, initial={"version": version(current)})
        return _page(request, access, plan=current, form=fresh, status=409, **page)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(after)
    _done(request, erased, page["what"])
    return redirect(after)


@requires(Action.ERASE_ON_REQUEST)
@require_http_methods(["GET", "POST"])
def erase_interview(request: HttpRequest, evaluation_id: int, interview_id: int) -> HttpResponse:
    """Erase one interview on the person's request, once its code is typed to confirm."""
    access = access_for(request, evaluation_id, Action.ERASE_ON_REQUEST)
    evaluation = access.evaluation
    interview = interview_for(access, interview_id, Action.ERASE_ON_REQUEST)

    def plan() -> services.Plan:
        interview.refresh_from_db(fields=["version"])  # after a clash, the version now
        return services.plan_interview(evaluation, interview)

    return _confirm(
        request,
        access,
        code=interview.code,
        plan=plan,
        version=lambda _: interview.version,
        erase=lambda expected: services.erase_interview(
            request.user, evaluation, interview, expected_version=expected
        ),
        page={
            "what": "interview",
            "action": reverse("interviews:erase", args=[evaluation.pk, interview.pk]),
            "back": reverse("interviews:detail", args=[evaluation.pk, interview.pk]),
            "nav": "interviews",
        },
        after=reverse("interviews:list", args=[evaluation.pk]),
    )


@requires(Action.ERASE_ON_REQUEST)
@require_http_methods(["GET", "POST"])
def erase_peer_worker(
    request: HttpRequest, evaluation_id: int, peer_worker_id: int
) -> HttpResponse:
    """Erase a peer worker's code and everything filed under it, on their request, once the
    code is typed to confirm."""
    access = access_for(request, evaluation_id, Action.ERASE_ON_REQUEST)
    evaluation = access.evaluation
    worker = peer_worker_for(access, peer_worker_id, Action.ERASE_ON_REQUEST)
    back = reverse("evaluations:detail", args=[evaluation.pk]) + "#peer-workers"
    return _confirm(
        request,
        access,
        code=worker.code,
        plan=lambda: services.plan_peer_worker(evaluation, worker),
        version=lambda plan: plan.version,
        erase=lambda expected: services.erase_peer_worker(
            request.user, evaluation, worker, expected_version=expected
        ),
        page={
            "what": "peer worker",
            "action": reverse("evaluations:erase_peer_worker", args=[evaluation.pk, worker.pk]),
            "back": back,
            "nav": "overview",
        },
        after=back,
    )
