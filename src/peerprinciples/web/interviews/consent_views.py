"""An interview's consent, and withdrawing it.

Views are thin: the interview comes through the guard in ``permissions`` (the interview's
service must be among the person's), the services in :mod:`.consent` do the work, and a
successful POST redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.interviews import consent as services
from peerprinciples.web.interviews.consent_forms import ConsentForm, WithdrawForm
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.permissions import (
    Access,
    Action,
    access_for,
    interview_for,
    requires,
)


def _version(data: dict[str, Any]) -> int:
    """The version a form was opened at; a missing one counts as out of date."""
    version = data.get("version")
    return version if isinstance(version, int) else -1


@requires(Action.RECORD_CONSENT)
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, evaluation_id: int, interview_id: int) -> HttpResponse:
    """Record when consent was given for an interview and the uses it covers."""
    access = access_for(request, evaluation_id, Action.RECORD_CONSENT)
    evaluation = access.evaluation
    interview = interview_for(access, interview_id, Action.RECORD_CONSENT)
    status = 200
    if request.method == "GET":
        form = ConsentForm(
            initial={
                "date": interview.consent_date,
                "uses": interview.consent_uses,
                "version": interview.version,
            }
        )
    else:
        form = ConsentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_consent(
                    request.user,
                    interview,
                    date=data["date"],
                    uses=data["uses"],
                    expected_version=_version(data),
                )
            except InvalidInput as error:
                form.add_problems(error)
            except StaleEdit as error:
                messages.error(request, str(error))
                interview.refresh_from_db()
                status = 409
            else:
                messages.success(request, f"Consent for interview {interview.code} is recorded.")
                return redirect("interviews:detail", evaluation.pk, interview.pk)
        status = 400 if form.errors else status
    context = evaluation_context(access, "interviews")
    context.update({"interview": interview, "form": form})
    return render(request, "interviews/consent.html", context, status=status)


def _withdrawal_page(
    request: HttpRequest,
    access: Access,
    interview: Interview,
    form: WithdrawForm | None,
    status: int = 200,
) -> HttpResponse:
    context = evaluation_context(access, "interviews")
    context.update(
        {
            "interview": interview,
            "form": form,
            "already": form is None,
            "may_withdraw_worker": access.may(Action.MANAGE_EVALUATION),
            "protocol_allows": access.evaluation.withdrawal_keeps_anonymised,
        }
    )
    return render(request, "interviews/withdraw.html", context, status=status)


@requires(Action.WITHDRAW_INTERVIEW)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, evaluation_id: int, interview_id: int) -> HttpResponse:
    """Withdraw an interview with one of the choices the study's protocol allows: the page
    asks to confirm, and a POST does it."""
    access = access_for(request, evaluation_id, Action.WITHDRAW_INTERVIEW)
    evaluation = access.evaluation
    interview = interview_for(access, interview_id, Action.WITHDRAW_INTERVIEW, anonymised=True)
    if interview.anonymised:
        return _withdrawal_page(
            request, access, interview, None, 200 if request.method == "GET" else 409
        )
    choices = services.withdrawal_choices(evaluation, interview)
    if request.method == "GET":
        form = WithdrawForm(choices=choices, initial={"version": interview.version})
        return _withdrawal_page(request, access, interview, form)
    form = WithdrawForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            chosen = services.withdraw_interview(
                request.user,
                interview,
                choice=form.cleaned_data["choice"],
                expected_version=_version(form.cleaned_data),
            )
        except services.AlreadyWithdrawn:
            return _withdrawal_page(request, access, interview, None, 409)
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return _withdrawal_page(request, access, interview, form, 409)
        else:
            messages.success(
                request,
                "The interview is withdrawn: it and all its ratings are erased."
                if chosen is services.Choice.ERASE
                else "The interview is withdrawn: its ratings count in the group results "
                "only, and nothing links them to a person any more.",
            )
            return redirect("interviews:list", evaluation.pk)
    return _withdrawal_page(request, access, interview, form, 400)
