"""Running a reflection cycle: the list of cycles, opening one, its page, who took part, and
finishing it. The pages for one principle, the conditions and the self-assessment are in
:mod:`~peerprinciples.web.reflection.views.topics`.

Views are thin: every cycle comes through :func:`~peerprinciples.web.permissions.cycle_for`,
and everyone in the evaluation may see *that* a cycle happened, while what was said is shown
only to those who may read reflections for its service.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerprinciples.core.naturalsort import natural_key
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import (
    Access,
    Action,
    access_for,
    cycle_for,
    requires,
    service_for,
)
from peerprinciples.web.reflection.forms.cycles import (
    FinishForm,
    OpenCycleForm,
    ParticipantsForm,
    ReleaseForm,
)
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import actions as action_services
from peerprinciples.web.reflection.services import cycles as services
from peerprinciples.web.reflection.services import prompts, replies
from peerprinciples.web.reflection.views.cycle_base import back_to, cycle_context, taking_part
from peerprinciples.web.reflection.views.topics import conditions, reflect, self_assess

__all__ = [
    "conditions",
    "cycle",
    "finish",
    "index",
    "open_cycle",
    "participants",
    "reflect",
    "self_assess",
]


@requires(Action.SEE_CYCLES)
@require_GET
def index(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The evaluation's cycles by service and round: that they happened, and how."""
    access = access_for(request, evaluation_id, Action.SEE_CYCLES)
    found = sorted(
        Cycle.objects.filter(
            evaluation=access.evaluation, service__in=access.visible_services()
        ).select_related("service", "round"),
        key=lambda c: (natural_key(c.service.code), c.round.number),
    )
    context = evaluation_context(access, "reflection")
    states = replies.release_states(found)
    context["cycles"] = [
        (
            c,
            ", ".join(f"{label} {number}" for label, number in taking_part(c) if number),
            access.may(Action.READ_REFLECTIONS, c.service_id),
            states[c.pk],
        )
        for c in found
    ]
    context["sees_all"] = access.services is None
    return render(request, "reflection/index.html", context)


@requires(Action.RUN_CYCLE)
@require_http_methods(["GET", "POST"])
def open_cycle(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Open the cycle of one of the person's services in one round that has none yet."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    evaluation = access.evaluation
    asked = request.POST.get("pair", "").partition("-")[0] if request.method == "POST" else ""
    if asked.isdigit():
        service_for(access, int(asked), Action.RUN_CYCLE)  # another's service: 403
    own = sorted(access.visible_services(), key=lambda s: natural_key(s.code))
    rounds = list(evaluation.rounds.all())
    free = services.free_pairs(own, rounds)
    guides = list(services.guides_for(evaluation))
    form = OpenCycleForm(
        request.POST if request.method == "POST" else None,
        services=own,
        rounds=rounds,
        free=free,
        guides=guides,
    )
    context = evaluation_context(access, "reflection")
    status = 200
    if request.method == "POST" and form.is_valid():
        service, chosen_round = form.chosen()
        guide = next(g for g in guides if g.pk == form.cleaned_data["guide"])
        try:
            opened = services.open_cycle(
                request.user, evaluation, service=service, round=chosen_round, guide=guide
            )
        except services.CycleExists as error:
            context["existing"] = error.cycle
            status = 409
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request,
                f"The reflection cycle of {service.code} in {chosen_round} is open. Start "
                "wherever the conversation starts: nothing needs filling in first.",
            )
            return back_to(opened)
    if form.errors:
        status = 400
    context.update(
        {
            "form": form,
            "ready": bool(free and guides),
            "all_taken": bool(own and rounds and guides and not free),
            "own_codes": _and([s.code for s in own]),
            "adds_rounds": access.may(Action.MANAGE_EVALUATION),
        }
    )
    return render(request, "reflection/open.html", context, status=status)


def _and(words: list[str]) -> str:
    """Words as a sentence lists them: "A", "A and B", "A, B and C"."""
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


@requires(Action.SEE_CYCLES)
@require_GET
def cycle(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """A cycle's page: who took part, and, for those who may read it, what was said."""
    access = access_for(request, evaluation_id, Action.SEE_CYCLES)
    return cycle_page(request, access, cycle_for(access, cycle_id, Action.SEE_CYCLES))


def cycle_page(
    request: HttpRequest, access: Access, cycle: Cycle, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    """The cycle's page, with any form given bound (and showing its errors)."""
    context = cycle_context(access, cycle)
    if context["reads"]:
        with_results = prompts.has_results(cycle)
        results = prompts.service_results(cycle) if with_results else None
        written = prompts.reflections(cycle)
        context.update(
            {
                "with_results": with_results,
                "topics": [(t, written.get(t.key)) for t in prompts.topics(cycle)],
                "conditions": prompts.conditions(cycle),
                "side_by_side": prompts.side_by_side(cycle, results),
                "assessments": cycle.self_assessments.count(),
                "scale": cycle.guide.model().self_assessment.scale,
                "threshold": prompts.results_services.threshold(),
                "worker_threshold": prompts.results_services.worker_threshold(),
                "release": replies.release_state(cycle),
            }
        )
    releases = access.may(Action.RELEASE_REPORT, cycle.service_id)
    if releases and cycle.status == Cycle.Status.FINISHED:
        context["may_release"] = cycle.report_status == Cycle.Report.DRAFT
        if context.get("release") is not None and context["release"].ready:
            context["release_form"] = bound.get("release_form") or ReleaseForm(
                initial={"back": "cycle"}
            )
    if context["runs"] and context["is_open"]:
        context["participants_form"] = bound.get("participants_form") or ParticipantsForm(
            initial={
                "met_on": cycle.met_on,
                "version": cycle.version,
                **{name: getattr(cycle, name) for name in services.PARTICIPANTS},
            }
        )
        context["finish_form"] = bound.get("finish_form") or FinishForm()
        context["not_looked_back"] = sum(
            1
            for group in action_services.looking_back(cycle)
            for item in group.items
            if item.review is None
        )
    return render(request, "reflection/cycle.html", context, status=status)


@requires(Action.RUN_CYCLE)
@require_POST
def participants(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """Record when the conversation was held and how many took part, by role."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    found = cycle_for(access, cycle_id, Action.RUN_CYCLE)
    form = ParticipantsForm(request.POST)
    if not form.is_valid():
        return cycle_page(request, access, found, 400, participants_form=form)
    data = form.cleaned_data
    try:
        services.set_participants(
            request.user,
            found,
            expected_version=data["version"],
            met_on=data["met_on"],
            counts={name: data[name] for name in services.PARTICIPANTS},
        )
    except StaleEdit as error:
        messages.error(request, str(error))
        fresh = cycle_for(access, cycle_id, Action.RUN_CYCLE)
        kept = request.POST.copy()
        kept[f"{form.prefix}-version"] = str(fresh.version)
        return cycle_page(request, access, fresh, 409, participants_form=ParticipantsForm(kept))
    except InvalidInput as error:
        form.add_problems(error)
        return cycle_page(request, access, found, 400, participants_form=form)
    except DomainError as error:
        messages.error(request, str(error))
        return back_to(found, "taking-part")
    messages.success(request, "Saved who took part.")
    return back_to(found, "taking-part")


@requires(Action.RUN_CYCLE)
@require_POST
def finish(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """Finish the cycle and open the reply window for peer workers."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    found = cycle_for(access, cycle_id, Action.RUN_CYCLE)
    form = FinishForm(request.POST)
    if not form.is_valid():
        return cycle_page(request, access, found, 400, finish_form=form)
    try:
        done = services.finish_cycle(
            request.user, found, replies_until=form.cleaned_data["replies_until"]
        )
    except InvalidInput as error:
        form.add_problems(error)
        return cycle_page(request, access, found, 400, finish_form=form)
    except DomainError as error:
        messages.error(request, str(error))
        return back_to(found)
    until = f" until {replies.long_date(done.replies_until)}" if done.replies_until else ""
    messages.success(
        request, f"The cycle is finished. Peer workers can reply to the draft report{until}."
    )
    return back_to(found)
