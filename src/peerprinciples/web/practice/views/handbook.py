"""The handbook page, its downloads, and the sections a programme writes itself.

Everyone in the programme reads and downloads the handbook (the working copy, or a numbered
version with ``?version=N``); the lead and contributors write the programme's own sections.
Views are thin: the guards in ``permissions`` decide who may, ``services.handbook`` drafts
the handbook, draws the files and changes the sections.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.practice.handbook_files import FORMATS
from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProgrammeAccess,
    ProgrammeAction,
    programme_access_for,
    requires,
)
from peerprinciples.web.practice.forms.handbook import EditSectionForm, SectionForm, VersionForm
from peerprinciples.web.practice.models import Section, Snapshot
from peerprinciples.web.practice.services import handbook as services
from peerprinciples.web.practice.views.base import programme_context

NAV = "handbook"


def _version(request: HttpRequest) -> int | None:
    """The numbered version asked for with ``?version=N`` (none: the working copy)."""
    given = request.GET.get("version", "").strip()
    if not given:
        return None
    if not given.isdigit() or int(given) < 1:
        raise Http404("There is no such version of the matrix.")
    return int(given)


@requires(ProgrammeAction.EXPORT_HANDBOOK)
@require_GET
def handbook(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The handbook in the page, with its downloads and the versions it can be issued from."""
    access = programme_access_for(request, programme_id, ProgrammeAction.EXPORT_HANDBOOK)
    version = _version(request)
    try:
        drafted = services.handbook_of(access.programme, version)
    except services.NoSuchVersion as error:
        raise Http404(str(error)) from None
    query = f"?version={version}" if version else ""
    base = reverse("practice:handbook_download", args=[programme_id, "html"])[: -len("html")]
    context = programme_context(
        access,
        NAV,
        handbook=drafted,
        version=version,
        versions=Snapshot.objects.filter(programme=access.programme).values_list(
            "number", flat=True
        ),
        downloads=[(f.title, f"{base}{f.key}{query}") for f in FORMATS.values()],
        sections_url=reverse("practice:sections", args=[programme_id]),
    )
    return render(request, "practice/handbook.html", context)


@requires(ProgrammeAction.EXPORT_HANDBOOK)
@require_GET
def download(request: HttpRequest, programme_id: int, fmt: str) -> HttpResponse:
    """The handbook as a file: drawn whole in memory, then sent; the export is audited."""
    access = programme_access_for(request, programme_id, ProgrammeAction.EXPORT_HANDBOOK)
    if fmt not in FORMATS:
        raise Http404("There is no such handbook format.")
    try:
        file = services.export_handbook(request.user, access.programme, fmt, _version(request))
    except services.NoSuchVersion as error:
        raise Http404(str(error)) from None
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


def _section_rows(access: ProgrammeAccess) -> list[tuple[Section, str]]:
    places = dict(services.after_choices())
    return [
        (section, places.get(section.after, "At the end, before the appendix"))
        for section in Section.objects.filter(programme=access.programme)
    ]


def _text(data: dict[str, Any]) -> services.SectionText:
    return services.SectionText(data["title"], data["body"], data["after"] or "")


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_http_methods(["GET", "POST"])
def sections(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The programme's own sections, and the form to add one."""
    action = (
        ProgrammeAction.EDIT_SECTIONS
        if request.method == "POST"
        else ProgrammeAction.VIEW_PROGRAMME
    )
    access = programme_access_for(request, programme_id, action)
    form = SectionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                added = services.add_section(
                    request.user, access.programme, _text(form.cleaned_data)
                )
            except InvalidInput as error:
                form.add_problems(error)
            else:
                messages.success(request, f"The section “{added.title}” is added to the handbook.")
                return redirect("practice:sections", programme_id)
        status = 400
    context = programme_context(access, NAV, form=form, rows=_section_rows(access))
    return render(request, "practice/handbook_sections.html", context, status=status)


@requires(ProgrammeAction.EDIT_SECTIONS)
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, programme_id: int, section_id: int) -> HttpResponse:
    """One of the programme's sections: changing or deleting it."""
    access = programme_access_for(request, programme_id, ProgrammeAction.EDIT_SECTIONS)
    found = Section.objects.filter(programme=access.programme, pk=section_id).first()
    if found is None:
        raise Http404("No such section in this programme.")
    if request.method == "GET":
        initial = {
            "title": found.title,
            "body": found.body,
            "after": found.after,
            "version": found.version,
        }
        return _section_page(request, access, found, EditSectionForm(initial=initial))
    if "delete" in request.POST:
        return _delete(request, access, found)
    form = EditSectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_section(request.user, found, _text(data), version=data["version"])
        except StaleEdit as error:
            messages.error(request, error.kept)
            theirs = Section.objects.get(pk=found.pk)
            kept = EditSectionForm(initial={**data, "version": theirs.version})
            return _section_page(request, access, theirs, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"The section “{data['title'].strip()}” is saved.")
            return redirect("practice:sections", programme_id)
    return _section_page(request, access, found, form, status=400)


def _delete(request: HttpRequest, access: ProgrammeAccess, found: Section) -> HttpResponse:
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was incomplete: reload it and try again.")
        return redirect(request.path)
    try:
        title = services.delete_section(request.user, found, version=form.cleaned_data["version"])
    except StaleEdit as error:
        messages.error(request, str(error))
        return redirect(request.path)
    messages.success(request, f"The section “{title}” is deleted from the handbook.")
    return redirect("practice:sections", access.programme.pk)


def _section_page(
    request: HttpRequest,
    access: ProgrammeAccess,
    found: Section,
    form: EditSectionForm,
    *,
    theirs: Section | None = None,
    status: int = 200,
) -> HttpResponse:
    places = dict(services.after_choices())
    context = programme_context(
        access,
        NAV,
        section=found,
        form=form,
        theirs=theirs,
        theirs_place=places.get(theirs.after, "") if theirs else "",
        sections_url=reverse("practice:sections", args=[access.programme.pk]),
    )
    return render(request, "practice/handbook_section.html", context, status=status)
