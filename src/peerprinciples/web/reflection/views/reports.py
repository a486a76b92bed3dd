"""The cycle's report, the peer workers' replies to it, its release, and a service's timeline.

Views are thin: they get the cycle or service through the guards in ``permissions``, ask
``reflection.services`` for what to show or do, and redirect after a successful POST.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations.forms import ProblemsMixin
from peerprinciples.web.evaluations.models import PeerWorker
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import (
    Access,
    Action,
    Role,
    access_for,
    cycle_for,
    requires,
    service_for,
)
from peerprinciples.web.reflection.forms.cycles import ReleaseForm
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import prompts, replies
from peerprinciples.web.reflection.services import reports as reading
from peerprinciples.web.reflection.views.cycle_base import back_to
from peerprinciples.web.reflection.views.cycles import cycle_page
from peerprinciples.web.results import services as results


class ReplyForm(ProblemsMixin, forms.Form):
    """A peer worker's reply to the draft report: about one principle or the whole report."""

    about = forms.ChoiceField(label="This reply is about", required=False)
    text = forms.CharField(
        label="Your reply",
        max_length=replies.REPLY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you would add, or see differently. It is shown beside what it answers.",
    )

    def __init__(self, *args: Any, principles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["about"]
        field.choices = [("", "The report as a whole"), *principles]


def _reply_form(report: reading.CycleReport, data: Any = None) -> ReplyForm:
    return ReplyForm(data, principles=[(p.key, p.title) for p in report.principles])


def _show_report(
    request: HttpRequest,
    access: Access,
    cycle: Cycle,
    form: ReplyForm | None = None,
    status: int = 200,
    report: reading.CycleReport | None = None,
    release_form: ReleaseForm | None = None,
) -> HttpResponse:
    context = evaluation_context(access, "reflection")
    with_results = prompts.has_results(cycle)
    if with_results:
        context["freshness"] = results.freshness(access.evaluation)
    report = report or reading.build(cycle, access.evaluation, fidelity=with_results)
    draft = cycle.report_status == Cycle.Report.DRAFT
    may_reply = draft and access.may(Action.REPLY, cycle.service) and access.peer_worker_id
    may_release = access.may(Action.RELEASE_REPORT, cycle.service) and draft
    state = replies.release_state(cycle)
    if may_release and state.ready:
        release_form = release_form or ReleaseForm(initial={"back": "report"})
    context.update(
        {
            "cycle": report.cycle,
            "service": cycle.service,
            "report": report,
            "draft": draft,
            "reply_form": (form or _reply_form(report)) if may_reply else None,
            "may_release": may_release,
            "release": state,
            "release_form": release_form if may_release else None,
            "with_results": with_results,
            # In a small team a code identifies the person: only leads see who replied.
            "sees_codes": access.role == Role.LEAD,
            "threshold": results.threshold(),
            "worker_threshold": results.worker_threshold(),
        }
    )
    return render(request, "reflection/report.html", context, status=status)


@requires(Action.READ_REFLECTIONS)
@require_GET
def report(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """The cycle's report, printable: results, reflections, conditions, actions, replies."""
    access = access_for(request, evaluation_id, Action.READ_REFLECTIONS)
    cycle = cycle_for(access, cycle_id, Action.READ_REFLECTIONS)
    return _show_report(request, access, cycle)


@requires(Action.REPLY)
@require_POST
def reply(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """A peer worker's reply to the draft report, filed under their code."""
    access = access_for(request, evaluation_id, Action.REPLY)
    cycle = cycle_for(access, cycle_id, Action.REPLY)
    worker = PeerWorker.objects.filter(pk=access.peer_worker_id).first()
    if worker is None:
        raise PermissionDenied("Your account is not linked to a peer worker's code.")
    if cycle.report_status == Cycle.Report.RELEASED:
        messages.error(request, "This report was released, so it no longer takes replies.")
        return redirect("reflection:report", access.evaluation.pk, cycle.pk)
    shown = reading.build(cycle, access.evaluation)
    form = _reply_form(shown, request.POST)
    if form.is_valid():
        try:
            replies.reply(
                request.user,
                cycle,
                worker=worker,
                about=form.cleaned_data["about"],
                text=form.cleaned_data["text"],
            )
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("reflection:report", access.evaluation.pk, cycle.pk)
        else:
            messages.success(
                request, "Thank you: your reply is in the draft report, beside what it answers."
            )
            return redirect("reflection:report", access.evaluation.pk, cycle.pk)
    return _show_report(request, access, cycle, form, status=400, report=shown)


@requires(Action.RELEASE_REPORT)
@require_POST
def release(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """Release the cycle's report once the cycle is finished and the reply window has come."""
    access = access_for(request, evaluation_id, Action.RELEASE_REPORT)
    cycle = cycle_for(access, cycle_id, Action.RELEASE_REPORT)
    form = ReleaseForm(request.POST)
    from_cycle = form.data.get(f"{form.prefix}-back") == "cycle"
    if not form.is_valid():
        if from_cycle:
            return cycle_page(request, access, cycle, 400, release_form=form)
        return _show_report(request, access, cycle, status=400, release_form=form)
    try:
        replies.release(request.user, cycle)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The report is released. It no longer takes replies.")
    if from_cycle:
        return back_to(cycle)
    return redirect("reflection:report", access.evaluation.pk, cycle.pk)


@requires(Action.SEE_CYCLES)
@require_GET
def timeline(request: HttpRequest, evaluation_id: int, service_id: int) -> HttpResponse:
    """A service's scores by round beside its cycles; what was said for those who may read it."""
    access = access_for(request, evaluation_id, Action.SEE_CYCLES)
    place = service_for(access, service_id, Action.SEE_CYCLES)
    reads = access.may(Action.READ_REFLECTIONS, place)
    context = evaluation_context(access, "reflection")
    context["freshness"] = results.freshness(access.evaluation)
    context.update(
        {
            "service": place,
            "timeline": reading.timeline(access.evaluation, place, reads_reflections=reads),
            "reads_reflections": reads,
            "threshold": results.threshold(),
            "worker_threshold": results.worker_threshold(),
        }
    )
    return render(request, "reflection/timeline.html", context)
