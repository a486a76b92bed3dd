"""Agreeing actions in a reflection cycle, changing them, and looking back at them later.

The form to add an action, and the one form that looks back at every earlier action, are drawn
inside the cycle's page by the tags in ``templatetags/reflection_actions.py``; the views here
take what they post, and show a page of their own only when something needs putting right.
``review_action`` still takes a look back at a single action, for scripts. Views are thin: they
parse a form, call a service, show the outcome and redirect after a successful POST.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import (
    Access,
    Action,
    access_for,
    cycle_for,
    reflection_action_for,
    requires,
)
from peerprinciples.web.reflection import models
from peerprinciples.web.reflection.forms.actions import (
    WHO_LIST,
    EditActionForm,
    NewActionForm,
    ReviewForm,
    look_back_rows,
    review_forms,
)
from peerprinciples.web.reflection.services import actions as services

NAV = "reflection"


def cycle_page(cycle: models.Cycle, anchor: str = "") -> str:
    """The address of the cycle's page, or of a place on it."""
    url = reverse("reflection:cycle", args=[cycle.evaluation_id, cycle.pk])
    return f"{url}#{anchor}" if anchor else url


def _context(access: Access, cycle: models.Cycle, **more: Any) -> dict[str, Any]:
    context = evaluation_context(access, NAV)
    context.update(
        {
            "cycle": cycle,
            "cycle_url": cycle_page(cycle),
            "who_list": WHO_LIST,
            "who_suggestions": services.WHO_SUGGESTIONS,
            **more,
        }
    )
    return context


@requires(Action.RUN_CYCLE)
@require_POST
def add_action(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """Agree an action about one principle (or theme) in an open cycle."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    cycle = cycle_for(access, cycle_id, Action.RUN_CYCLE)
    if cycle.status != models.Cycle.Status.OPEN:
        messages.error(request, "This cycle is finished, so no actions can be added to it.")
        return redirect(cycle_page(cycle, "actions"))
    framework = services.framework_of(cycle)
    form = NewActionForm(request.POST, principles=list(framework.titles().items()))
    if form.is_valid():
        try:
            services.add_action(request.user, cycle, **form.cleaned_data)
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(cycle_page(cycle, "actions"))
        else:
            messages.success(
                request, "The action is added. The next cycle will look back at how it went."
            )
            return redirect(cycle_page(cycle, "actions"))
    context = _context(access, cycle, form=form)
    return render(request, "reflection/add_action.html", context, status=400)


@requires(Action.RUN_CYCLE)
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, evaluation_id: int, action_id: int) -> HttpResponse:
    """One action of a cycle: change what, who, by when and where it stands."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    agreed = reflection_action_for(access, action_id, Action.RUN_CYCLE)
    cycle = agreed.cycle
    here = reverse("reflection:action", args=[evaluation_id, agreed.pk])
    if request.method == "GET":
        return _action_page(request, access, agreed, EditActionForm(initial=_fields(agreed)))
    if cycle.status != models.Cycle.Status.OPEN:
        messages.error(
            request,
            "This cycle is finished, so its actions can no longer change. The next cycle of "
            "the service looks back at them.",
        )
        return redirect(here)
    form = EditActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_action(
                request.user,
                agreed,
                what=data["what"],
                who=data["who"],
                due=data["due"],
                status=data["status"],
                expected_version=data["version"],
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = models.Action.objects.get(pk=agreed.pk)
            # Keep what this person typed, and let them save it over the current version once
            # they have read the other change.
            kept = EditActionForm(initial={**data, "version": theirs.version})
            return _action_page(request, access, agreed, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(here)
        else:
            messages.success(request, "The action is saved.")
            return redirect(cycle_page(cycle, "actions"))
    return _action_page(request, access, agreed, form, status=400)


def _fields(agreed: models.Action) -> dict[str, Any]:
    return {
        "what": agreed.what,
        "who": agreed.who,
        "due": agreed.due,
        "status": agreed.status,
        "version": agreed.version,
    }


def _action_page(
    request: HttpRequest,
    access: Access,
    agreed: models.Action,
    form: EditActionForm,
    *,
    theirs: models.Action | None = None,
    status: int = 200,
) -> HttpResponse:
    cycle = agreed.cycle
    context = _context(
        access,
        cycle,
        form=form,
        agreed=agreed,
        principle=services.principle_name(
            agreed.principle, agreed.principle_title, services.framework_of(cycle)
        ),
        theirs=theirs,
        is_open=cycle.status == models.Cycle.Status.OPEN,
    )
    return render(request, "reflection/action.html", context, status=status)


STALE_REVIEW = (
    "Someone else saved a look back at this action after you opened the page, so nothing was "
    "saved over theirs."
)


@requires(Action.RUN_CYCLE)
@require_POST
def look_back(request: HttpRequest, evaluation_id: int, cycle_id: int) -> HttpResponse:
    """An open cycle's look back at every earlier action at once, from one form: all of it is
    saved, or nothing is and the whole look back comes back with every entry kept."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    cycle = cycle_for(access, cycle_id, Action.RUN_CYCLE)
    back = cycle_page(cycle, "looking-back")
    if cycle.status != models.Cycle.Status.OPEN:
        messages.error(
            request,
            "This cycle is finished, so its look back can no longer change. The next cycle of "
            "the service looks back at the actions still open.",
        )
        return redirect(back)
    groups = services.looking_back(cycle)
    forms = review_forms(groups, request.POST)
    stale: set[int] = set()
    valid = [form.is_valid() for form in forms.values()]  # every form, so every problem shows
    if all(valid):
        entries = {pk: form.entry() for pk, form in forms.items()}
        try:
            saved = services.review_actions(request.user, cycle, entries)
        except services.LookBackRefused as refused:
            stale = refused.stale
            forms = _with_problems(groups, forms, refused, request.POST)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(back)
        else:
            count = len(saved)
            messages.success(
                request,
                f"The look back is saved: {count} action{'s' if count != 1 else ''} changed."
                if count
                else "Nothing needed saving: no action was changed.",
            )
            return redirect(back)
    rows = look_back_rows(groups, forms, stale)
    problems = [
        problem for _, items in rows for item, form, _ in items for problem in _problems(item, form)
    ]
    context = _context(access, cycle, groups=rows, problems=problems)
    return render(request, "reflection/look_back.html", context, status=409 if stale else 400)


def _with_problems(
    groups: list[services.EarlierCycle],
    forms: dict[int, ReviewForm],
    refused: services.LookBackRefused,
    data: Any,
) -> dict[int, ReviewForm]:
    """The forms with each action's problem beside it; where someone else saved meanwhile,
    the form keeps what was typed and now carries their save's stamp, so saving again
    replaces theirs."""
    reviews = {item.action.pk: item.review for group in groups for item in group.items}
    if refused.stale:
        data = data.copy()
        for pk in refused.stale:
            data[f"review-{pk}-seen"] = services.review_stamp(reviews.get(pk))
        forms = review_forms(groups, data)
        for form in forms.values():
            form.is_valid()
    for pk, problem in refused.problems.items():
        form = forms[pk]
        if isinstance(problem, InvalidInput):
            form.add_problems(problem)
        else:
            form.add_error(None, STALE_REVIEW if pk in refused.stale else str(problem))
    return forms


def _problems(
    item: services.LookBack, form: ReviewForm | None
) -> list[tuple[models.Action, str, str, str]]:
    """Each problem of one action's form, for the summary: the action, the field's label (or
    nothing), the problem, and the id to jump to."""
    if form is None:
        return []
    found = [
        (item.action, "", str(e), f"look-back-{item.action.pk}") for e in form.non_field_errors()
    ]
    for field in form:
        target = f"{field.auto_id}_0" if field.use_fieldset else field.auto_id
        found += [(item.action, str(field.label), str(e), target) for e in field.errors]
    return found


@requires(Action.RUN_CYCLE)
@require_POST
def review_action(
    request: HttpRequest, evaluation_id: int, cycle_id: int, action_id: int
) -> HttpResponse:
    """An open cycle's look back at an earlier action: what happened; kept, done or dropped."""
    access = access_for(request, evaluation_id, Action.RUN_CYCLE)
    cycle = cycle_for(access, cycle_id, Action.RUN_CYCLE)
    agreed = reflection_action_for(access, action_id, Action.RUN_CYCLE)
    back = cycle_page(cycle, f"look-back-{agreed.pk}")
    form = ReviewForm(request.POST, action_id=agreed.pk)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.review_action(
                request.user,
                cycle,
                agreed,
                outcome=data["outcome"],
                what_happened=data["what_happened"],
                seen=data["seen"],
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = models.ActionReview.objects.filter(action=agreed, cycle=cycle).first()
            kept = ReviewForm(
                initial={**data, "seen": services.review_stamp(theirs)}, action_id=agreed.pk
            )
            return _review_page(request, access, cycle, agreed, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(back)
        else:
            messages.success(request, "The look back at this action is saved.")
            return redirect(back)
    return _review_page(request, access, cycle, agreed, form, status=400)


def _review_page(
    request: HttpRequest,
    access: Access,
    cycle: models.Cycle,
    agreed: models.Action,
    form: ReviewForm,
    *,
    theirs: models.ActionReview | None = None,
    status: int,
) -> HttpResponse:
    context = _context(
        access,
        cycle,
        form=form,
        agreed=agreed,
        principle=services.principle_name(
            agreed.principle, agreed.principle_title, services.framework_of(cycle)
        ),
        history=services.history_of(cycle, agreed),
        theirs=theirs,
        review_url=reverse("reflection:review", args=[cycle.evaluation_id, cycle.pk, agreed.pk]),
    )
    return render(request, "reflection/review.html", context, status=status)
