"""Programmes: the list of one's programmes, starting one, the matrix grid and the lead's
settings. Members and areas are in :mod:`.members` and :mod:`.areas`.

Views are thin: they parse a form, call a service, show the outcome and redirect after a
successful POST. Every programme comes through ``programme_access_for``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.evaluations.models import Service
from peerprinciples.web.permissions import (
    ProgrammeAccess,
    ProgrammeAction,
    linkable_services,
    programme_access_for,
    requires,
    signed_in,
)
from peerprinciples.web.practice.forms.programmes import (
    SHARING_HELP,
    CreateProgrammeForm,
    SettingsForm,
)
from peerprinciples.web.practice.models import Programme
from peerprinciples.web.practice.services import programmes as services
from peerprinciples.web.practice.services.grid import STATUS_MARKS, STATUS_WORDS, grid_of
from peerprinciples.web.practice.views.areas import areas
from peerprinciples.web.practice.views.base import programme_context
from peerprinciples.web.practice.views.members import members

__all__ = ["areas", "create", "index", "matrix", "members", "settings"]

NAV = "practice"


@signed_in
@require_GET
def index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """The programmes the person belongs to, with their role and plain counts of cells."""
    memberships = services.programmes_of(request.user)
    return render(request, "practice/index.html", {"memberships": memberships, "nav": NAV})


@signed_in
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Start a programme; whoever starts it leads it."""
    form = CreateProgrammeForm(
        request.POST if request.method == "POST" else None,
        services=linkable_services(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = services.create_programme(
                request.user,
                name=services.checked_name(data["name"]),
                framework=data["framework"],
                description=data["description"].strip(),
                services=services.checked_services(request.user, data["services"]),
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request,
                f"The programme “{programme.name}” has started, with you as its lead. Its "
                "matrix has the built-in areas: reword them or add your own under Settings.",
            )
            return redirect("practice:matrix", programme.pk)
    status = 400 if form.errors else 200
    return render(request, "practice/create.html", {"form": form, "nav": NAV}, status=status)


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_GET
def matrix(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    """The grid of principles × areas, or (``?by=area``) the same cells area by area."""
    access = programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    framework = access.programme.framework.model()
    grid = grid_of(access.programme, framework)
    by_area = request.GET.get("by") == "area"
    context = programme_context(
        access,
        "matrix",
        grid=grid,
        by_area=by_area,
        framework_model=framework,
        statuses=[(STATUS_MARKS[value], words) for value, words in STATUS_WORDS.items()],
    )
    return render(request, "practice/matrix.html", context)


@requires(ProgrammeAction.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    """The lead's settings: name, description, linked services and sharing."""
    access = programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    current = access.programme
    offered = _offered_services(request, current)
    if request.method == "GET":
        form = SettingsForm(initial=SettingsForm.fields_of(current), services=offered)
        return _settings_page(request, access, form)
    form = SettingsForm(request.POST, services=offered)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_programme(
                request.user,
                current,
                name=data["name"],
                description=data["description"],
                services=data["services"],
                shares_matrix=data["shares_matrix"],
                version=data["version"],
            )
        except StaleEdit as error:
            messages.error(request, error.kept)
            theirs = Programme.objects.get(pk=current.pk)
            kept = SettingsForm(initial={**data, "version": theirs.version}, services=offered)
            return _settings_page(request, access, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, "The programme's settings are saved.")
            return redirect("practice:settings", current.pk)
    return _settings_page(request, access, form, status=400)


def _offered_services(request: HttpRequest, programme: Programme) -> QuerySet[Service]:
    """The services of evaluations the person leads, and those the programme has already
    (which another lead linked and this one may unlink)."""
    linked = programme.services.values_list("pk", flat=True)
    mine = linkable_services(request.user).values_list("pk", flat=True)
    return (
        Service.objects.filter(pk__in=list(linked) + list(mine))
        .select_related("evaluation")
        .order_by("evaluation__name", "code", "pk")
    )


def _settings_page(
    request: HttpRequest,
    access: ProgrammeAccess,
    form: SettingsForm,
    *,
    theirs: Programme | None = None,
    status: int = 200,
) -> HttpResponse:
    context = programme_context(
        access, "settings", form=form, theirs=theirs, sharing_help=SHARING_HELP
    )
    if theirs is not None:
        context["theirs_services"] = list(theirs.services.select_related("evaluation"))
    return render(request, "practice/settings.html", context, status=status)
