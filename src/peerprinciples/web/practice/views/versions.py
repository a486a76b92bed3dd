"""Numbered versions of the matrix: the list, taking one (the lead), and comparing two.

Everyone in the programme sees the versions and compares them; only the lead sees which
account took each one (others read "the programme lead"), since the version is the
programme's, not a person's. Bad or missing version numbers in a comparison's address get a
page saying what to give instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.practice.versions import Comparison
from peerprinciples.web.errors import DomainError
from peerprinciples.web.permissions import (
    ProgrammeAccess,
    ProgrammeAction,
    programme_access_for,
    requires,
)
from peerprinciples.web.practice.forms.versions import TakeVersionForm
from peerprinciples.web.practice.models import Snapshot
from peerprinciples.web.practice.services import versions as services
from peerprinciples.web.practice.views.base import programme_context

NAV = "versions"


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_http_methods(["GET", "POST"])
def versions(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The numbered versions, newest first; the lead's form to take the next one."""
    if request.method == "POST":
        access = programme_access_for(request, programme_id, ProgrammeAction.TAKE_VERSION)
        form = TakeVersionForm(request.POST)
        if form.is_valid():
            try:
                taken = services.take_version(
                    request.user, access.programme, note=form.cleaned_data["note"]
                )
            except DomainError as error:
                form.add_error("note", str(error))
            else:
                messages.success(
                    request,
                    f"Version {taken.number} of the matrix is kept, following "
                    f"{taken.framework.ref}.",
                )
                return redirect("practice:versions", programme_id)
        return _versions_page(request, access, form, status=400)
    access = programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    return _versions_page(request, access, TakeVersionForm())


def _taken_by(access: ProgrammeAccess, snapshot: Snapshot) -> str:
    if access.may(ProgrammeAction.MANAGE_PROGRAMME):
        return str(snapshot.created_by.get_username())
    return "the programme lead"


def _versions_page(
    request: HttpRequest, access: ProgrammeAccess, form: TakeVersionForm, status: int = 200
) -> HttpResponse:
    rows = [(s, _taken_by(access, s)) for s in services.versions_of(access.programme)]
    context = programme_context(access, NAV, rows=rows, form=form)
    return render(request, "practice/versions.html", context, status=status)


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_GET
def compare_versions(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Two versions (``a`` and ``b``; 0 is the working copy) compared cell by cell."""
    access = programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    programme = access.programme
    numbers = [s.number for s in services.versions_of(programme)]
    context = programme_context(
        access, NAV, numbers=numbers, a=request.GET.get("a", ""), b=request.GET.get("b", "")
    )
    try:
        first = services.version_number(request.GET.get("a"), name="a")
        second = services.version_number(request.GET.get("b"), name="b")
        comparison = services.compare_versions(programme, first, second)
    except DomainError as error:
        context["problem"] = str(error)
        return render(request, "practice/compare_versions.html", context, status=400)
    areas = _area_titles(comparison)
    principles = access.programme.framework.model().titles()
    cells = [
        (areas.get(c.area, c.area), principles.get(c.principle, c.principle), c)
        for c in comparison.cells
    ]
    context.update(first=first, second=second, comparison=comparison, cells=cells)
    return render(request, "practice/compare_versions.html", context)


def _area_titles(comparison: Comparison) -> dict[str, str]:
    """Area titles by key, from both versions (the newer title wins)."""
    found = {area.key: area.title for area in comparison.old.areas}
    found.update((area.key, area.title) for area in comparison.new.areas)
    return found
