"""Importing ratings files: upload and check, read the check, save all of it or nothing.

The same two steps as the import pages, through the same services: an upload is kept and
checked in full (:func:`~peerprinciples.web.transfers.services.upload`), and saving checks
it again and writes every row in one transaction, or none
(:func:`~peerprinciples.web.transfers.services.save`). Leads see every import of the
evaluation, coordinators their own.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Path, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from peerprinciples.web.api.paging import Pages
from peerprinciples.web.api.problems import ERRORS, Problem, problem_response
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.permissions import Action, access_for, batch_for, visible_batches
from peerprinciples.web.transfers import services
from peerprinciples.web.transfers.models import ImportBatch

router = Router(tags=["imports"])

Format = Literal["auto", "long", "wide", "redcap", "fhir", "xlsform"]
"""The formats the import page offers (:class:`ImportBatch.Format`)."""


class BatchOut(Schema):
    """One uploaded file and what its last check found."""

    id: int
    file_name: str
    sha256: str
    size: int
    format: str
    as_importer: bool
    status: Literal["problems", "ready", "saved"]
    """``problems``: put them right and upload again; ``ready``: commit it; ``saved``."""
    uploaded_by: str
    created_at: datetime
    saved_at: datetime | None
    ratings: int
    """Ratings in the file."""
    interviews_created: int
    problem_count: int
    """Every problem found; the first 200 by row are listed under ``/problems``."""
    counts: dict[str, int]
    """What the file holds (interviews, ratings, agreed ratings…), once it reads."""
    stage: Literal["file", "evaluation"]
    """Where the check stopped: reading the file, or checking it against the evaluation."""


class ProblemOut(Schema):
    """One problem of a file, placed by its row (the header is row 1) and column."""

    row: int | None
    column: str
    message: str
    fix: str


def _out(batch: ImportBatch) -> BatchOut:
    summary = batch.summary or {}
    return BatchOut(
        id=batch.pk,
        file_name=batch.file_name,
        sha256=batch.sha256,
        size=batch.size,
        format=batch.format,
        as_importer=batch.as_importer,
        status=batch.status,  # type: ignore[arg-type]
        uploaded_by=batch.user.get_username(),
        created_at=batch.created_at,
        saved_at=batch.saved_at,
        ratings=batch.rows,
        interviews_created=batch.interviews_created,
        problem_count=batch.problem_count,
        counts={str(k): int(v) for k, v in summary.get("counts", {}).items()},
        stage="evaluation" if summary.get("stage") == "evaluation" else "file",
    )


def _listed(batch: ImportBatch) -> list[dict[str, object]]:
    return list((batch.summary or {}).get("problems", []))


@router.get("/", response={200: list[BatchOut], **ERRORS}, summary="List imports")
@paginate(Pages)
def list_imports(
    request: HttpRequest,
    evaluation_id: Path[int],
    status: Literal["problems", "ready", "saved"] | None = None,
) -> list[BatchOut]:
    """Newest first: every import of the evaluation for leads, your own for coordinators."""
    access = access_for(request, evaluation_id, Action.IMPORT_DATA)
    batches = visible_batches(access)
    if status:
        batches = batches.filter(status=status)
    return [_out(batch) for batch in batches.order_by("-created_at", "-id")]


@router.post(
    "/",
    response={201: BatchOut, **ERRORS},
    summary="Upload a ratings file to check",
)
def upload(
    request: HttpRequest,
    evaluation_id: Path[int],
    file: UploadedFile | None = File(None),  # noqa: B008
    format: Form[Format] = "auto",
    as_importer: Form[bool] = False,
) -> Status | HttpResponse:
    """Send the file as ``multipart/form-data``; it is checked in full and nothing is saved.

    The answer lists what the file holds and how many problems it has; commit it when its
    status is ``ready``. The same file saved into this evaluation before is refused (409).
    """
    access = access_for(request, evaluation_id, Action.IMPORT_DATA)
    if file is None:
        raise InvalidInput({"body.file": "Send the ratings file as the form field `file`."})
    try:
        batch = services.upload(
            request.user,
            access.evaluation,
            file,
            name=file.name or "ratings",
            fmt=format,
            as_importer=as_importer,
        )
    except services.AlreadyImported as error:
        return _conflict(str(error), "already-imported")
    return Status(201, _out(batch))


@router.get(
    "/{batch_id}",
    response={200: BatchOut, **ERRORS},
    summary="One import and its check",
)
def get_import(request: HttpRequest, evaluation_id: Path[int], batch_id: int) -> BatchOut:
    access = access_for(request, evaluation_id, Action.IMPORT_DATA)
    return _out(batch_for(access, batch_id))


@router.get(
    "/{batch_id}/problems",
    response={200: list[ProblemOut], **ERRORS},
    summary="The problems an import's check found",
)
@paginate(Pages)
def list_problems(
    request: HttpRequest, evaluation_id: Path[int], batch_id: int
) -> list[ProblemOut]:
    """By row: the first 200 of them (``problem_count`` on the import counts them all)."""
    access = access_for(request, evaluation_id, Action.IMPORT_DATA)
    return [
        ProblemOut(
            row=p.get("row"),  # type: ignore[arg-type]
            column=str(p.get("column", "")),
            message=str(p.get("message", "")),
            fix=str(p.get("fix", "")),
        )
        for p in _listed(batch_for(access, batch_id))
    ]


@router.post(
    "/{batch_id}/commit",
    response={200: BatchOut, 410: Problem, **ERRORS},
    summary="Save an import: all of it or nothing",
)
def commit(
    request: HttpRequest, evaluation_id: Path[int], batch_id: int
) -> BatchOut | HttpResponse:
    """Check the file again and save every row in one transaction, or none.

    As on the preview page, a file whose last check found problems is only checked again,
    never saved at once: 422 with its problems when it still has some, 409 when it has none
    now (read it again, then commit). A file saved already answers 409; one no longer kept
    (not saved within two days) 410.
    """
    access = access_for(request, evaluation_id, Action.IMPORT_DATA)
    batch = batch_for(access, batch_id)
    if batch.status == ImportBatch.Status.SAVED:
        return _conflict("This file has been saved already.", "already-imported")
    if services.stored_path(batch) is None:
        return problem_response(
            410,
            "The uploaded file is no longer kept (uploads not saved within two days are "
            "deleted). Upload it again.",
            kind="upload-gone",
            title="Upload no longer kept",
        )
    if batch.status == ImportBatch.Status.PROBLEMS:
        batch = services.recheck(request.user, batch)
        if batch.status == ImportBatch.Status.READY:
            return _conflict(
                "The file has no problems now. Read the import again to see what it holds, "
                "then commit it.",
                "checked-again",
            )
        return _refused(batch, "Nothing was saved: the file still has problems.")
    try:
        saved = services.save(request.user, batch)
    except services.ImportRefused as refused:
        batch.refresh_from_db()
        return _refused(batch, str(refused))
    except services.AlreadyImported as error:
        return _conflict(str(error), "already-imported")
    except services.ImportFailed as error:
        return _conflict(str(error), "import-failed")
    return _out(saved)


def _conflict(detail: str, kind: str) -> HttpResponse:
    return problem_response(409, detail, kind=kind)


def _refused(batch: ImportBatch, detail: str) -> HttpResponse:
    """422 with the problems listed first by row, each placed as ``row 3, column item``."""
    errors = []
    for found in _listed(batch)[:50]:
        place = ", ".join(
            part
            for part in (
                f"row {found['row']}" if found.get("row") else "",
                f"column {found['column']}" if found.get("column") else "",
            )
            if part
        )
        fix = f" Fix: {found['fix']}" if found.get("fix") else ""
        errors.append({"field": place or "file", "message": f"{found['message']}{fix}"})
    return problem_response(422, detail, kind="import-refused", errors=errors)
