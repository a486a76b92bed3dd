"""Writing in a cycle: one principle's three questions with the results beside them, the
organisational conditions, and the self-assessment.

Each page is one plain form that works without JavaScript. When a cycle is finished, or
someone else saved a reflection first, nothing typed is thrown away: the page comes back
with the person's own text in the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.permissions import Access, Action, access_for, cycle_for, requires
from peerprinciples.web.reflection.forms.cycles import (
    ConditionsForm,
    ReflectionForm,
    SelfAssessmentForm,
)
from peerprinciples.web.reflection.models import Cycle, Reflection
from peerprinciples.web.reflection.services import cycles as services
from peerprinciples.web.reflection.services import prompts
from peerprinciples.web.reflection.services.prompts import Topic
from peerprinciples.web.reflection.views.cycle_base import back_to, cycle_context
from peerprinciples.web.results import services as results_services


@requires(Action.RUN_CYCLE)
@require_http_methods(["GET", "POST"])
def reflect(
    request: HttpRequest, evaluation_id: int, cycle_id: int, principle: str
) -> HttpResponse:
    """The three questions about one principle or theme, with the results as prompts."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    cycle = cycle_for(access, cycle_id, Action.RUN_CYCLE)
    topic = prompts.topic(cycle, principle)
    if topic is None:
        raise Http404("The cycle's guide has no principle or theme by that name.")
    saved = Reflection.objects.filter(cycle=cycle, principle=topic.key).first()
    if request.method == "GET":
        form = ReflectionForm(
            topic=topic,
            initial={
                "going_well": saved.going_well if saved else "",
                "hard": saved.hard if saved else "",
                "try_next": saved.try_next if saved else "",
                "version": saved.version if saved else None,
            },
        )
        return _reflect_page(request, access, cycle, topic, form)
    form = ReflectionForm(request.POST, topic=topic)
    if not form.is_valid():
        return _reflect_page(request, access, cycle, topic, form, status=400)
    try:
        services.save_reflection(
            request.user,
            cycle,
            topic.key,
            answers=form.cleaned_data,
            expected_version=form.cleaned_data["version"],
        )
    except StaleEdit:
        theirs = Reflection.objects.get(cycle=cycle, principle=topic.key)
        kept = request.POST.copy()
        kept["version"] = str(theirs.version)
        messages.error(
            request,
            "Someone else saved this reflection after you opened it, so yours was not saved "
            "over theirs. Their text is shown beside yours, and yours is still in the form: "
            "bring the two together, then save again.",
        )
        return _reflect_page(
            request, access, cycle, topic, ReflectionForm(kept, topic=topic), 409, theirs
        )
    except DomainError as error:
        messages.error(request, str(error))
        return _reflect_page(request, access, cycle, topic, form, status=409)
    messages.success(request, f"Saved the reflection on {topic.title}.")
    return back_to(cycle, f"topic-{topic.key}")


def _reflect_page(
    request: HttpRequest,
    access: Access,
    cycle: Cycle,
    topic: Topic,
    form: ReflectionForm,
    status: int = 200,
    theirs: Reflection | None = None,
) -> HttpResponse:
    context = cycle_context(access, cycle)
    with_results = prompts.has_results(cycle)
    results = prompts.service_results(cycle) if with_results else None
    found = prompts.prompts_for(cycle, results, topic.key) if results else []
    context.update(
        {
            "topic": topic,
            "form": form,
            "theirs": theirs,
            "with_results": with_results,
            "prompts": found,
            "results": results,
            "threshold": results_services.threshold(),
            "worker_threshold": results_services.worker_threshold(),
        }
    )
    return render(request, "reflection/reflect.html", context, status=status)


@requires(Action.RUN_CYCLE)
@require_http_methods(["GET", "POST"])
def conditions(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """The guide's organisational conditions by level, each with a state and a note."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    cycle = cycle_for(access, cycle_id, Action.RUN_CYCLE)
    guide = cycle.guide.model()
    status = 200
    if request.method == "POST":
        form = ConditionsForm(request.POST, guide=guide)
        if form.is_valid():
            try:
                done = services.save_conditions(request.user, cycle, form.checks())
            except InvalidInput as error:
                for key, problem in error.problems.items():
                    name = f"state_{key}"
                    form.add_error(name if name in form.fields else None, problem)
            except DomainError as error:
                messages.error(request, str(error))
                return back_to(cycle, "conditions")
            else:
                changed = sum(done.values())
                messages.success(
                    request,
                    f"Saved the conditions ({changed} changed)." if changed else "Nothing changed.",
                )
                return back_to(cycle, "conditions")
        status = 400
    else:
        initial = {}
        as_they_stand = {}
        for _level, _heading, rows in prompts.conditions(cycle):
            for row in rows:
                key = row.condition.key
                check = row.check
                as_they_stand[key] = (check.state, check.note) if check else ("", "")
                initial[f"state_{key}"] = as_they_stand[key][0]
                initial[f"note_{key}"] = as_they_stand[key][1]
        initial["opened"] = ConditionsForm.as_opened(as_they_stand)
        form = ConditionsForm(guide=guide, initial=initial)
    context = cycle_context(access, cycle)
    context.update(
        {
            "form": form,
            "levels": [
                (level, heading, [(row, *form.pair(row.condition.key)) for row in rows])
                for level, heading, rows in prompts.conditions(cycle)
            ],
        }
    )
    return render(request, "reflection/conditions.html", context, status=status)


@requires(Action.SELF_ASSESS)
@require_http_methods(["GET", "POST"])
def self_assess(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """The guide's self-assessment, by the team together or by one member."""
    access = access_for(request, evaluation_id, Action.SELF_ASSESS)
    cycle = cycle_for(access, cycle_id, Action.SELF_ASSESS)
    guide = cycle.guide.model()
    topics = prompts.topics(cycle)
    data = request.POST if request.method == "POST" else None
    form = SelfAssessmentForm(data, guide=guide, topics=topics)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_self_assessment(
                    request.user,
                    cycle,
                    taken_by=form.cleaned_data["taken_by"],
                    role=form.cleaned_data["role"],
                    answers=form.answers(),
                    notes=form.notes(),
                )
            except InvalidInput as error:
                form.add_problems(error)
            except DomainError as error:
                messages.error(request, str(error))
                status = 409
            else:
                messages.success(request, "Saved the self-assessment.")
                return back_to(cycle, "self-assessment")
        status = 400 if form.errors else status
    context = cycle_context(access, cycle)
    context.update({"form": form, "guide": guide, "scale": guide.self_assessment.scale})
    return render(request, "reflection/self_assess.html", context, status=status)
