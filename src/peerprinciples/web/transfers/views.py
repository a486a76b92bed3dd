"""Importing ratings (upload, preview, save) and downloading an evaluation's data.

Views are thin: they get the evaluation through the guards in ``permissions``, call
``transfers.services`` and show the outcome. Leads import for every service and coordinators
for their own; leads see every import of the evaluation, coordinators their own imports.
Exports cover the services the role covers, and raters' notes only for leads who ask.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.permissions import (
    Access,
    Action,
    access_for,
    batch_for,
    requires,
    visible_batches,
)
from peerprinciples.web.transfers import services
from peerprinciples.web.transfers.forms import ExportForm, ImportForm
from peerprinciples.web.transfers.imports import MAX_LISTED, ImportProblem
from peerprinciples.web.transfers.models import ImportBatch

RECENT = 20
"""Imports listed on the import page."""


def file_response(download: services.Download) -> FileResponse:
    """An export as a file to save, for the data page and the API alike; its temporary
    folder goes at once (the open file stays readable until the response closes it)."""
    handle = download.path.open("rb")
    download.cleanup()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download.file_name,
        content_type=download.content_type,
    )


def _import_page(
    request: HttpRequest, access: Access, form: ImportForm, status: int = 200
) -> HttpResponse:
    evaluation = access.evaluation
    context = evaluation_context(access, "data")
    scope = services.scope(request.user, evaluation)
    context.update(
        {
            "form": form,
            "batches": visible_batches(access)[:RECENT],
            "scope": scope,
            "services": evaluation.services.all(),
            "rounds": evaluation.rounds.all(),
        }
    )
    return render(request, "transfers/import.html", context, status=status)


@requires(Action.IMPORT_DATA)
@require_http_methods(["GET", "POST"])
def import_ratings(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Upload a ratings file to check it; nothing is saved until the preview says so."""
    access = access_for(request, evaluation_id, Action.IMPORT_DATA)
    evaluation = access.evaluation
    if request.method != "POST":
        return _import_page(request, access, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.upload(
                request.user,
                evaluation,
                upload,
                name=upload.name or "ratings",
                fmt=form.cleaned_data["format"],
                as_importer=form.cleaned_data["as_importer"],
            )
        except InvalidInput as error:
            form.add_problems(error)
        except services.AlreadyImported as error:
            form.add_error("file", str(error))
        else:
            return redirect("transfers:preview", evaluation.pk, batch.pk)
    return _import_page(request, access, form, status=400)


def _preview(
    request: HttpRequest, access: Access, batch: ImportBatch, status: int = 200
) -> HttpResponse:
    summary = batch.summary or {}
    context = evaluation_context(access, "data")
    context.update(
        {
            "batch": batch,
            "counts": summary.get("counts", {}),
            "problems": [ImportProblem.from_json(p) for p in summary.get("problems", [])],
            "total": summary.get("total", 0),
            "stage": summary.get("stage", "file"),
            "limit": MAX_LISTED,
            "kept": services.stored_path(batch) is not None,
            "errors": batch.status == ImportBatch.Status.PROBLEMS,
        }
    )
    return render(request, "transfers/preview.html", context, status=status)


@requires(Action.IMPORT_DATA)
@require_GET
def preview(request: HttpRequest, evaluation_id: int, batch_id: int) -> HttpResponse:
    """What the file holds and every problem by row and column; the button to save it."""
    access = access_for(request, evaluation_id, Action.IMPORT_DATA)
    return _preview(request, access, batch_for(access, batch_id))


@requires(Action.IMPORT_DATA)
@require_POST
def save(request: HttpRequest, evaluation_id: int, batch_id: int) -> HttpResponse:
    """Check the file again and save all of it in one transaction, or nothing at all.

    A file whose last check found problems is only checked again, never saved at once: the
    person sees the new outcome before anything is saved.
    """
    access = access_for(request, evaluation_id, Action.IMPORT_DATA)
    evaluation = access.evaluation
    batch = batch_for(access, batch_id)
    if batch.status == ImportBatch.Status.PROBLEMS:
        try:
            batch = services.recheck(request.user, batch)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("transfers:preview", evaluation.pk, batch.pk)
        if batch.status == ImportBatch.Status.READY:
            messages.success(
                request, "The file has no problems now. Check what it holds, then save it."
            )
            return redirect("transfers:preview", evaluation.pk, batch.pk)
        messages.error(request, "Nothing was saved: the file still has problems.")
        return _preview(request, access, batch, status=400)
    try:
        batch = services.save(request.user, batch)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
        batch.refresh_from_db()
        return _preview(request, access, batch, status=400)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("transfers:preview", evaluation.pk, batch.pk)
    ratings = batch.summary.get("counts", {}).get("ratings", batch.rows)
    messages.success(
        request,
        f"Saved {ratings:,} ratings of {batch.interviews_created:,} interviews from "
        f"{batch.file_name}.",
    )
    return redirect("transfers:preview", evaluation.pk, batch.pk)


@requires(Action.EXPORT_DATA)
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Download the evaluation's final ratings, scores or codebook in a chosen format."""
    access = access_for(request, evaluation_id, Action.EXPORT_DATA)
    evaluation = access.evaluation
    notes_allowed = access.may(Action.EXPORT_NOTES)
    form = ExportForm(
        request.POST if request.method == "POST" else None, notes_allowed=notes_allowed
    )
    scope = services.scope(request.user, evaluation)
    if request.method == "POST":
        if "include_notes" in request.POST and not notes_allowed:
            raise PermissionDenied("Only the evaluation's leads may export raters' notes.")
        if form.is_valid():
            try:
                download = services.export(
                    request.user,
                    evaluation,
                    kind=form.cleaned_data["kind"],
                    services=scope,
                    include_notes=bool(form.cleaned_data.get("include_notes")),
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                return file_response(download)
    final = Interview.objects.filter(
        evaluation=evaluation, status=Interview.Status.FINAL, anonymised=False
    )
    if scope is not None:
        final = final.filter(service__in=scope)
    context = evaluation_context(access, "data")
    context.update(
        {
            "form": form,
            "scope": scope,
            "final_interviews": final.count(),
            "notes_allowed": notes_allowed,
        }
    )
    return render(request, "transfers/export.html", context, status=400 if form.errors else 200)
