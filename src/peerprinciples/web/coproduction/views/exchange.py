"""RCMap's four files in and out of a project: upload and check, preview, import; export.

Views are thin: they find the project and the upload through the guards in
``permissions`` and call ``services.exchange``, which checks the files and stores them all
or nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.coproduction.problems import ImportProblems, Problem
from peerprinciples.web.coproduction.forms.exchange import (
    GroupChoiceForm,
    RCMapArchiveForm,
    RCMapFilesForm,
)
from peerprinciples.web.coproduction.models import RCMapUpload
from peerprinciples.web.coproduction.services import exchange as services
from peerprinciples.web.coproduction.services.exchange_export import export_zip
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)

NAV = "project"


def _import_page(
    request: HttpRequest,
    access: ProjectAccess,
    form: RCMapFilesForm | RCMapArchiveForm,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.project
    context = project_context(access, NAV)
    zipped = isinstance(form, RCMapArchiveForm)
    context.update(
        {
            "form": RCMapFilesForm() if zipped else form,
            "archive_form": form if zipped else RCMapArchiveForm(),
            "problems": problems or [],
            "has_cards": project.cards.exists(),
            "pending": RCMapUpload.objects.filter(project=project).first(),
        }
    )
    return render(request, "coproduction/exchange_import.html", context, status=status)


@requires(ProjectAction.EXCHANGE_DATA)
@require_http_methods(["GET", "POST"])
def rcmap_import(request: HttpRequest, project_id: int) -> HttpResponse:
    """Upload RCMap files to check them; nothing is stored in the project until the
    preview's button says so."""
    access = project_access_for(request, project_id, ProjectAction.EXCHANGE_DATA)
    if request.method != "POST":
        return _import_page(request, access, RCMapFilesForm())
    form: RCMapFilesForm | RCMapArchiveForm
    if request.POST.get("kind") == "zip":
        form = RCMapArchiveForm(request.POST, request.FILES)
    else:
        form = RCMapFilesForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, access, form, status=400)
    files, names = form.files_read()
    try:
        kept = services.upload(request.user, access.project, files, names)
    except ImportProblems as error:
        return _import_page(request, access, form, error.problems, status=400)
    return redirect("coproduction:rcmap_preview", access.project.pk, kept.pk)


def _upload_for(access: ProjectAccess, upload_id: int) -> RCMapUpload:
    """Files uploaded into this project and not imported yet, or 404. Everyone who may
    import into the project sees them, whoever uploaded them."""
    return in_project(access, RCMapUpload.objects.all(), upload_id)


def _preview_page(
    request: HttpRequest,
    access: ProjectAccess,
    upload: RCMapUpload,
    form: GroupChoiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = project_context(access, NAV)
    try:
        preview = services.preview(upload)
    except ImportProblems as error:
        context.update({"upload": upload, "problems": error.problems})
        return render(request, "coproduction/exchange_preview.html", context, status=409)
    questions = [(name, name) for name, _ in preview.questions]
    context.update(
        {
            "upload": upload,
            "preview": preview,
            "form": form
            or GroupChoiceForm(
                questions=questions, initial={"group_question": preview.default_group}
            ),
        }
    )
    return render(request, "coproduction/exchange_preview.html", context, status=status)


@requires(ProjectAction.EXCHANGE_DATA)
@require_http_methods(["GET", "POST"])
def rcmap_preview(request: HttpRequest, project_id: int, upload_id: int) -> HttpResponse:
    """What the checked files hold; its button imports all of it, or nothing."""
    access = project_access_for(request, project_id, ProjectAction.EXCHANGE_DATA)
    upload = _upload_for(access, upload_id)
    if request.method != "POST":
        return _preview_page(request, access, upload)
    if "discard" in request.POST:
        upload.delete()
        messages.success(request, "The uploaded files were dropped; nothing was imported.")
        return redirect("coproduction:rcmap_import", access.project.pk)
    try:
        questions = [(name, name) for name, _ in services.preview(upload).questions]
    except ImportProblems:
        return _preview_page(request, access, upload)
    form = GroupChoiceForm(request.POST, questions=questions)
    if not form.is_valid():
        return _preview_page(request, access, upload, form, status=400)
    try:
        done = services.import_upload(
            request.user, upload, group_question=form.cleaned_data["group_question"]
        )
    except ImportProblems:
        return _preview_page(request, access, upload)
    except DomainError as error:
        form.add_error("group_question", str(error))
        return _preview_page(request, access, upload, form, status=400)
    messages.success(
        request,
        f"Imported {done.cards} cards, {done.sorts} sorts by {done.members} people and "
        f"{done.ratings} ratings.",
    )
    return redirect("coproduction:project", access.project.pk)


@requires(ProjectAction.EXCHANGE_DATA)
@require_GET
def rcmap_export(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's cards, finished sorts, ratings and people's answers as RCMap's files,
    in a zip."""
    access = project_access_for(request, project_id, ProjectAction.EXCHANGE_DATA)
    try:
        name, content = export_zip(request.user, access.project)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("coproduction:rcmap_import", access.project.pk)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
