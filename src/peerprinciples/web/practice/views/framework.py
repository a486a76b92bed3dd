"""Moving the matrix to another framework version (the lead).

The lead chooses a stored version and sees, before anything changes, what happens to each
principle's row: kept, kept but reading differently (old and new wording side by side), not
in the new version (with a choice of where its cells go, or to keep them apart), and new
principles (empty rows). Moving is one form sent back with the programme's version, so a
move made meanwhile by another lead is not undone by this one.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peerprinciples.core.practice.carry_over import CarryOver
from peerprinciples.web.errors import DomainError, StaleEdit
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.permissions import (
    ProgrammeAccess,
    ProgrammeAction,
    programme_access_for,
    requires,
)
from peerprinciples.web.practice.forms.versions import (
    MOVE_PREFIX,
    ChooseFrameworkForm,
    MoveFrameworkForm,
)
from peerprinciples.web.practice.models import Area
from peerprinciples.web.practice.services import carry_over as services
from peerprinciples.web.practice.views.base import programme_context

NAV = "settings"


def _choices(access: ProgrammeAccess) -> list[tuple[str, str]]:
    return [
        (str(row.pk), f"{row.title} ({row.ref})")
        for row in services.other_versions(access.programme)
    ]


def _move_form(
    plan: CarryOver, target: StoredFramework, data: object | None = None, **kwargs: object
) -> MoveFrameworkForm:
    leaving = [(c.key, c.title) for c in plan.principles if c.fate in ("apart", "moved")]
    arriving = target.model().principles
    return MoveFrameworkForm(
        data,
        choices=[(str(target.pk), target.ref)],
        leaving=leaving,
        arriving=arriving,
        **kwargs,
    )


@requires(ProgrammeAction.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def framework(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Choose a framework version, see what moving to it does, and move."""
    access = programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    programme = access.programme
    choices = _choices(access)
    source = request.POST if request.method == "POST" else request.GET
    if "target" not in source:
        return _page(request, access, choose=ChooseFrameworkForm(choices=choices))
    current = (str(programme.framework_id), programme.framework.ref)
    choose = ChooseFrameworkForm(source, choices=choices, current=current)
    if not choose.is_valid():
        return _page(request, access, choose=choose, status=400)
    target = StoredFramework.objects.get(pk=int(choose.cleaned_data["target"]))
    try:
        plan = services.preview(programme, target)
    except DomainError as error:
        choose.add_error("target", str(error))
        return _page(request, access, choose=choose, status=400)
    if request.method == "GET":
        form = _move_form(
            plan, target, initial={"target": str(target.pk), "version": programme.version}
        )
        return _page(request, access, choose=choose, plan=plan, form=form, target=target)

    form = _move_form(plan, target, request.POST)
    if form.is_valid():
        try:
            done = services.move_framework(
                request.user,
                programme,
                target,
                moves=form.moves(),
                version=form.cleaned_data["version"],
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            # Show what moving would do now, from the version the other lead left.
            programme.refresh_from_db()
            try:
                plan = services.preview(programme, target)
            except DomainError as again:
                choose.add_error("target", str(again))
                return _page(request, access, choose=choose, status=409)
            fresh = _move_form(
                plan, target, initial={"target": str(target.pk), "version": programme.version}
            )
            return _page(
                request, access, choose=choose, plan=plan, form=fresh, target=target, status=409
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _moved_message(done))
            return redirect("practice:framework", programme_id)
    return _page(request, access, choose=choose, plan=plan, form=form, target=target, status=400)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _moved_message(done: CarryOver) -> str:
    """What the lead is told once the matrix follows the new version."""
    said = f"The matrix now follows {done.new}. Every cell is kept."
    if done.moves:
        said += f" The cells of {_plural(len(done.moves), 'principle')} moved as you chose."
    if done.apart:
        said += (
            f" {_plural(len(done.apart), 'principle')} not in the new version keep their "
            "cells apart."
        )
    return said


def _page(
    request: HttpRequest,
    access: ProgrammeAccess,
    *,
    choose: ChooseFrameworkForm,
    plan: CarryOver | None = None,
    form: MoveFrameworkForm | None = None,
    target: StoredFramework | None = None,
    status: int = 200,
) -> HttpResponse:
    areas = dict(Area.objects.filter(programme=access.programme).values_list("key", "title"))
    leaving = []
    if plan is not None and form is not None:
        for carried in plan.principles:
            if carried.fate in ("apart", "moved"):
                cells = [(areas.get(cell.area, cell.area), cell) for cell in carried.cells]
                leaving.append((carried, cells, form[MOVE_PREFIX + carried.key]))
    context = programme_context(
        access,
        NAV,
        leaving=leaving,
        choose=choose,
        plan=plan,
        form=form,
        target=target,
        current=access.programme.framework,
    )
    return render(request, "practice/framework.html", context, status=status)
