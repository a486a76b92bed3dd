"""Importing a review's evidence from files (check, preview, confirm) and downloading it.

An upload is checked in full first. A file with problems is not kept: the page lists every
problem with its place and fix, and nothing is stored. A good file is kept under a random
token that only this person's session knows, and the preview shows what it would add and
change; only the confirm button imports it, reading the kept file again, all or nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.coproduction.evidence_files import LAYOUT_NAMES, layout_of
from peerprinciples.core.coproduction.problems import ImportProblems, Problem
from peerprinciples.web.coproduction.forms.evidence import ImportForm
from peerprinciples.web.coproduction.services import evidence_files as files
from peerprinciples.web.coproduction.services import evidence_uploads as uploads
from peerprinciples.web.coproduction.services.evidence import LISTED, EvidenceChanged, ImportPlan
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    project_access_for,
    requires,
)

SESSION_KEY = "coproduction_evidence_uploads"
"""Where a session remembers its checked uploads: token → project and file names."""

PENDING = 5
"""Checked uploads a session remembers at once; older ones are forgotten and deleted."""

TEMPLATE = "coproduction/evidence_import.html"


def _pending(request: HttpRequest) -> dict[str, dict[str, Any]]:
    found = request.session.get(SESSION_KEY)
    return found if isinstance(found, dict) else {}


def _remember(request: HttpRequest, token: str, project_id: int, names: list[str]) -> None:
    pending = _pending(request)
    pending[token] = {"project": project_id, "names": names}
    while len(pending) > PENDING:
        uploads.discard(next(iter(pending)))
        pending.pop(next(iter(pending)))
    request.session[SESSION_KEY] = pending


def _forget(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    if token in pending:
        del pending[token]
        request.session[SESSION_KEY] = pending
    uploads.discard(token)


def _page(
    request: HttpRequest, access: ProjectAccess, status: int = 200, **more: Any
) -> HttpResponse:
    context = project_context(access, "evidence")
    context.update(
        {
            "form": more.pop("form", None) or ImportForm(),
            "exports": files.EXPORTS.values(),
            "listed": LISTED,
            "held": {
                "sources": access.project.sources.count(),
                "codes": access.project.codes.count(),
            },
            **more,
        }
    )
    return render(request, TEMPLATE, context, status=status)


def _preview(
    request: HttpRequest,
    access: ProjectAccess,
    plan: ImportPlan,
    token: str,
    names: list[str],
    *,
    status: int = 200,
    changed_meanwhile: bool = False,
) -> HttpResponse:
    unmatched = [
        kind.kind
        for kind in plan.kinds
        if kind.in_file and kind.kept and len(kind.new) == kind.in_file
    ]
    return _page(
        request,
        access,
        status,
        plan=plan,
        token=token,
        names=names,
        layout=LAYOUT_NAMES[layout_of(names)],
        unmatched=unmatched,
        changed_meanwhile=changed_meanwhile,
    )


def _problems(
    request: HttpRequest, access: ProjectAccess, problems: list[Problem], names: list[str]
) -> HttpResponse:
    return _page(request, access, 400, problems=problems, names=names, failed=True)


@requires(ProjectAction.EXCHANGE_DATA)
@require_http_methods(["GET", "POST"])
def import_evidence(request: HttpRequest, project_id: int) -> HttpResponse:
    """Upload the review's file(s) to check them; a second step confirms the import."""
    access = project_access_for(request, project_id, ProjectAction.EXCHANGE_DATA)
    if request.method == "GET":
        return _page(request, access)
    step = request.POST.get("step", "check")
    if step == "confirm":
        return _confirm(request, access)
    if step == "cancel":
        _forget(request, request.POST.get("token", ""))
        messages.info(request, "Nothing was imported, and the uploaded file is deleted.")
        return redirect("coproduction:evidence_import", project_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, access, 400, form=form)
    chosen = [form.cleaned_data["file"]]
    if form.cleaned_data.get("sources_file"):
        chosen.append(form.cleaned_data["sources_file"])
    try:
        token, kept = uploads.keep(chosen)
    except uploads.UploadTooLarge as error:
        form.add_error("file", str(error))
        return _page(request, access, 400, form=form)
    names = [file.name for file in kept]
    try:
        plan = files.check_upload(access.project, kept)
    except ImportProblems as error:
        uploads.discard(token)
        return _problems(request, access, error.problems, names)
    if not plan.changes:
        uploads.discard(token)
        return _preview(request, access, plan, "", names)
    _remember(request, token, access.project.pk, names)
    return _preview(request, access, plan, token, names)


def _confirm(request: HttpRequest, access: ProjectAccess) -> HttpResponse:
    project = access.project
    token = request.POST.get("token", "")
    pending = _pending(request).get(token)
    try:
        if pending is None or pending.get("project") != project.pk:
            raise uploads.UploadGone
        names = list(pending["names"])
        kept = uploads.kept_files(token, names)
    except uploads.UploadGone as error:
        _forget(request, token)
        messages.error(request, str(error))
        return redirect("coproduction:evidence_import", project.pk)
    try:
        plan = files.import_upload(
            request.user, project, kept, expected=request.POST.get("fingerprint", "")
        )
    except EvidenceChanged as changed:
        return _preview(
            request, access, changed.plan, token, names, status=409, changed_meanwhile=True
        )
    except ImportProblems as error:
        _forget(request, token)
        return _problems(request, access, error.problems, names)
    _forget(request, token)
    added = ", ".join(f"{len(kind.new)} {kind.kind}" for kind in plan.kinds)
    changed = sum(len(kind.changed) for kind in plan.kinds)
    messages.success(
        request,
        f"Imported from {' and '.join(names)}. Added {added}; changed {changed} "
        f"item{'s' if changed != 1 else ''}.",
    )
    return redirect("coproduction:evidence", project.pk)


@requires(ProjectAction.EXCHANGE_DATA)
@require_GET
def export_evidence(request: HttpRequest, project_id: int, layout: str) -> HttpResponse:
    """Download the codebook as ``.qdc``, or the codebook or coded sources as CSV."""
    access = project_access_for(request, project_id, ProjectAction.EXCHANGE_DATA)
    if layout not in files.EXPORTS:
        raise Http404("No such download of the evidence.")
    try:
        export, data = files.export_file(request.user, access.project, layout)
    except files.NothingToExport as error:
        messages.error(request, str(error))
        return redirect("coproduction:evidence_import", project_id)
    response = HttpResponse(data, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response
