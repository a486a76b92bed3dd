"""The lead's page of a programme's areas: reword, change level, add a local area, reorder
with up and down buttons (no script needed) and remove a local area whose cells are empty.

Each form says what it does in a hidden ``action`` and carries the version of the area it
changes. The URL plan names the view in :mod:`.programmes`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProgrammeAccess,
    ProgrammeAction,
    programme_access_for,
    requires,
)
from peerprinciples.web.practice.forms.programmes import (
    AreaFields,
    AreaVersionForm,
    EditAreaForm,
)
from peerprinciples.web.practice.models import Area
from peerprinciples.web.practice.services import areas as services
from peerprinciples.web.practice.views.base import programme_context


@requires(ProgrammeAction.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def areas(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    """Every area with its level and a form to change it; a form to add one."""
    access = programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    if request.method == "GET":
        return _page(request, access)
    action = request.POST.get("action", "")
    if action == "add":
        return _add(request, access)
    if action == "edit":
        return _edit(request, access)
    if action in ("up", "down", "remove"):
        return _move_or_remove(request, access, action)
    messages.error(request, "The page was incomplete: reload it and try again.")
    return _page(request, access, status=400)


def _add(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    form = AreaFields(request.POST, prefix="new")
    if form.is_valid():
        try:
            area = services.add_area(request.user, access.programme, **form.cleaned_data)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"The area “{area.title}” is added, after the others.")
            return redirect(_here(access, area))
    return _page(request, access, add_form=form, status=400)


def _edit(request: HttpRequest, access: ProgrammeAccess) -> HttpResponse:
    form = EditAreaForm(request.POST, prefix=_prefix(request))
    if not form.is_valid():
        return _page(request, access, edited=form, status=400)
    data = form.cleaned_data
    try:
        area = services.edit_area(
            request.user,
            access.programme,
            data["area"],
            title=data["title"],
            description=data["description"],
            level=data["level"],
            version=data["version"],
        )
    except StaleEdit as error:
        messages.error(request, error.kept)
        theirs = Area.objects.filter(programme=access.programme, pk=data["area"]).first()
        kept = EditAreaForm(
            initial={**data, "version": theirs.version if theirs else data["version"]},
            prefix=_prefix(request),
        )
        return _page(request, access, edited=kept, theirs=theirs, status=409)
    except InvalidInput as error:
        form.add_problems(error)
        return _page(request, access, edited=form, status=400)
    except DomainError as error:
        messages.error(request, str(error))
        return _page(request, access, status=400)
    messages.success(request, f"The area “{area.title}” is saved.")
    return redirect(_here(access, area))


def _prefix(request: HttpRequest) -> str:
    """The prefix of an area's own form, ``area-<key>``, from the area it names."""
    given = request.POST.get("form", "")
    return given if given.startswith("area-") and given[5:].isdigit() else "area-0"


def _move_or_remove(request: HttpRequest, access: ProgrammeAccess, action: str) -> HttpResponse:
    form = AreaVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was incomplete: reload it and try again.")
        return _page(request, access, status=400)
    data = form.cleaned_data
    try:
        if action == "remove":
            title = services.remove_area(
                request.user, access.programme, data["area"], version=data["version"]
            )
            messages.success(request, f"The area “{title}” is removed.")
            return redirect("practice:areas", access.programme.pk)
        area = services.move_area(
            request.user,
            access.programme,
            data["area"],
            up=action == "up",
            version=data["version"],
        )
    except DomainError as error:
        messages.error(request, str(error))
        return _page(request, access, status=409 if isinstance(error, StaleEdit) else 400)
    messages.success(request, f"The area “{area.title}” moved {action}.")
    return redirect(_here(access, area))


def _here(access: ProgrammeAccess, area: Area) -> str:
    return reverse("practice:areas", args=[access.programme.pk]) + f"#area-{area.pk}"


def _page(
    request: HttpRequest,
    access: ProgrammeAccess,
    *,
    add_form: AreaFields | None = None,
    edited: EditAreaForm | None = None,
    theirs: Area | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = []
    for area in Area.objects.filter(programme=access.programme).order_by("position", "pk"):
        prefix = f"area-{area.pk}"
        if edited is not None and edited.prefix == prefix:
            form = edited
        else:
            form = EditAreaForm(
                initial={
                    "area": area.pk,
                    "title": area.title,
                    "description": area.description,
                    "level": area.level,
                    "version": area.version,
                },
                prefix=prefix,
            )
        rows.append((area, form))
    context = programme_context(
        access,
        "settings",
        rows=rows,
        add_form=add_form or AreaFields(prefix="new"),
        theirs=theirs,
    )
    return render(request, "practice/areas.html", context, status=status)
