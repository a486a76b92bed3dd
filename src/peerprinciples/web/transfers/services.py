"""Domain actions for moving ratings in and out of an evaluation.

Importing is two steps. :func:`upload` keeps the file (and its SHA-256 digest) in the import
folder and checks it in full, recording what it found on an :class:`ImportBatch`, so the
preview page can list every problem by row and column. :func:`save` checks the file again
and, only if nothing is wrong, writes all of it in one transaction: interviews, final rating
sheets, agreed ratings, cached scores, one audit event, and the batch marked saved. Anything
that fails on the way, up to the last row, rolls everything back. The same file (by digest)
is saved at most once per evaluation; a second try names the earlier import.

Exporting (:func:`export`) writes one download from the final interviews of the services the
person's role covers, and records who exported what, with or without raters' notes.
"""

from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.ratings_files import FORMATS, SUFFIXES, read_ratings_file
from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations.models import Evaluation, Service
from peerprinciples.web.permissions import access_of
from peerprinciples.web.transfers.exports import (
    KINDS,
    ExportKind,
    NothingToExport,
    evaluation_ratings,
    write_export,
)
from peerprinciples.web.transfers.imports import Checked, ImportProblem, plan_import, write_import
from peerprinciples.web.transfers.models import ImportBatch

KEEP_UPLOADS = timedelta(days=2)
"""Uploads never saved are deleted after this long."""


class Chunked(Protocol):
    """An uploaded file: Django's ``UploadedFile`` or anything with ``chunks()``."""

    def chunks(self) -> Iterator[bytes]: ...


class AlreadyImported(DomainError):
    """The same file was saved into this evaluation before."""

    def __init__(self, earlier: ImportBatch) -> None:
        self.earlier = earlier
        when = timezone.localtime(earlier.saved_at or earlier.created_at)
        super().__init__(
            f"This file was already imported into this evaluation on {when:%d %B %Y at %H:%M} "
            f"by {earlier.user.get_username()} ({earlier.file_name}, {earlier.rows:,} ratings "
            f"of {earlier.interviews_created:,} interviews), so it was not imported again."
        )


class ImportRefused(DomainError):
    """The file has problems; nothing was saved."""

    def __init__(self, checked: Checked) -> None:
        self.checked = checked
        count = checked.total
        super().__init__(
            f"Nothing was saved: the file has {count:,} problem{'s' if count != 1 else ''} to "
            "put right first."
        )


class ImportFailed(DomainError):
    """Saving stopped part-way (the database refused a row); nothing was saved."""


def import_folder() -> Path:
    """Where uploads wait between their check and their saving."""
    configured = getattr(settings, "PEERPRINCIPLES_IMPORT_DIR", None)
    folder = Path(configured) if configured else Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def earlier_import(evaluation: Evaluation, sha256: str) -> ImportBatch | None:
    """The saved import of the file with this digest into the evaluation, if any."""
    return (
        ImportBatch.objects.filter(
            evaluation=evaluation, sha256=sha256, status=ImportBatch.Status.SAVED
        )
        .select_related("user")
        .first()
    )


def file_digest(path: Path) -> str:
    """The SHA-256 digest of a file, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _problem(problem: Problem) -> ImportProblem:
    """A core problem as the import pages show it: row and column (or the nearest thing)."""
    column = ", ".join(str(part) for part in problem.path if str(part))
    return ImportProblem(problem.line, column, problem.message, problem.fix)


def check_file(
    path: Path,
    evaluation: Evaluation,
    user: Any,
    *,
    fmt: str,
    as_importer: bool,
    name: str,
) -> Checked:
    """Read a ratings file with the core's checks, then check it against the evaluation."""
    instrument = evaluation.instrument.model()
    try:
        table = read_ratings_file(path, instrument, fmt, name=name)
    except DocumentError as error:
        total = max(getattr(error, "total", 0), len(error.problems))
        return Checked(None, [_problem(p) for p in error.problems], total, {})
    return plan_import(table, evaluation, user, as_importer=as_importer)


def _summary(checked: Checked) -> dict[str, Any]:
    return {
        "counts": checked.counts,
        "problems": [p.as_json() for p in checked.problems],
        "total": checked.total,
        "stage": "evaluation" if checked.counts else "file",
    }


def _note_check(batch: ImportBatch, checked: Checked) -> None:
    batch.summary = _summary(checked)
    batch.problem_count = checked.total
    batch.rows = checked.counts.get("ratings", 0)
    batch.status = ImportBatch.Status.READY if checked.ok else ImportBatch.Status.PROBLEMS


def _prune_uploads(folder: Path) -> None:
    """Delete uploads that were checked but never saved, once they are old enough."""
    old = ImportBatch.objects.filter(created_at__lt=timezone.now() - KEEP_UPLOADS).exclude(
        stored_name=""
    )
    for batch in old:
        (folder / batch.stored_name).unlink(missing_ok=True)
        ImportBatch.objects.filter(pk=batch.pk).update(stored_name="")


def upload(
    user: Any,
    evaluation: Evaluation,
    file: Chunked,
    *,
    name: str,
    fmt: str = "auto",
    as_importer: bool = False,
) -> ImportBatch:
    """Keep an uploaded file, check it in full, and record what was found on a new batch.

    Raises :class:`InvalidInput` for a format or file type that cannot be read, and
    :class:`AlreadyImported` when the same file was saved into the evaluation before.
    """
    if fmt not in FORMATS:
        raise InvalidInput({"format": "Choose one of the formats listed."})
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES[fmt]:
        raise InvalidInput(
            {
                "file": f"A file of this format ends in {' or '.join(SUFFIXES[fmt])}; "
                f"this one is called {name!r}. Choose the format of the file, or export it "
                "again from its program in that format."
            }
        )
    folder = import_folder()
    _prune_uploads(folder)
    stored_name = f"{secrets.token_hex(16)}{suffix}"
    path = folder / stored_name
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as handle:
        for block in file.chunks():
            digest.update(block)
            size += len(block)
            handle.write(block)
    sha256 = digest.hexdigest()
    earlier = earlier_import(evaluation, sha256)
    if earlier is not None:
        path.unlink(missing_ok=True)
        raise AlreadyImported(earlier)
    checked = check_file(
        path, evaluation, user, fmt=fmt, as_importer=as_importer, name=Path(name).name
    )
    batch = ImportBatch(
        evaluation=evaluation,
        user=user,
        file_name=Path(name).name[:255],
        sha256=sha256,
        size=size,
        format=fmt,
        as_importer=as_importer,
        stored_name=stored_name,
    )
    _note_check(batch, checked)
    batch.save()
    return batch


def stored_path(batch: ImportBatch) -> Path | None:
    """The batch's uploaded file, while it is kept."""
    if not batch.stored_name:
        return None
    path = import_folder() / batch.stored_name
    return path if path.exists() else None


def recheck(user: Any, batch: ImportBatch) -> ImportBatch:
    """Check a batch's kept file again (after the evaluation or its people changed)."""
    if batch.status == ImportBatch.Status.SAVED:
        raise DomainError("This file has been saved already.")
    path = stored_path(batch)
    if path is None:
        raise DomainError(
            "The uploaded file is no longer kept (uploads not saved within two days are "
            "deleted). Upload it again."
        )
    checked = check_file(
        path,
        batch.evaluation,
        user,
        fmt=batch.format,
        as_importer=batch.as_importer,
        name=batch.file_name,
    )
    _note_check(batch, checked)
    batch.save(update_fields=["summary", "problem_count", "rows", "status"])
    return batch


def save(
    user: Any, batch: ImportBatch, *, path: Path | None = None, progress: bool = False
) -> ImportBatch:
    """Check the batch's file again and save all of it in one transaction, or nothing.

    Parameters
    ----------
    user
        The person saving (who must be the one who uploaded, or a lead; views check).
    batch
        The batch to save.
    path
        The file, when it is not kept in the import folder (the command line reads it
        where it is).
    progress
        Show a progress bar on standard error while writing.

    Raises
    ------
    ImportRefused
        The file has problems now (perhaps because someone added an interview with the
        same reference since the preview); the batch records them.
    AlreadyImported
        The same file was saved into the evaluation meanwhile.
    ImportFailed
        The database refused a row part-way; nothing was saved.
    DomainError
        The batch was saved already, or its file is no longer kept.
    """
    if batch.status == ImportBatch.Status.SAVED:
        raise DomainError("This file has been saved already.")
    kept = path is None
    path = path or stored_path(batch)
    if path is None:
        raise DomainError(
            "The uploaded file is no longer kept (uploads not saved within two days are "
            "deleted). Upload it again."
        )
    evaluation = batch.evaluation
    try:
        with transaction.atomic():
            Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status == ImportBatch.Status.SAVED:
                raise DomainError("This file has been saved already.")
            earlier = earlier_import(evaluation, batch.sha256)
            if earlier is not None:
                raise AlreadyImported(earlier)
            checked = check_file(
                path,
                evaluation,
                user,
                fmt=batch.format,
                as_importer=batch.as_importer,
                name=batch.file_name,
            )
            if not checked.ok or checked.plan is None:
                raise ImportRefused(checked)
            written = write_import(checked.plan, evaluation, user, progress=progress)
            _note_check(locked, checked)
            locked.status = ImportBatch.Status.SAVED
            locked.interviews_created = written["interviews"]
            locked.saved_at = timezone.now()
            locked.stored_name = ""
            locked.save()
            record(
                user,
                "create",
                locked,
                evaluation_id=evaluation.pk,
                summary=f"Imported {written['ratings'] + written['agreed_ratings']:,} ratings "
                f"of {written['interviews']:,} interviews from {batch.file_name[:80]} "
                f"(SHA-256 {batch.sha256[:16]}…)",
                after={
                    "file_name": batch.file_name,
                    "sha256": batch.sha256,
                    "format": batch.format,
                    "as_importer": batch.as_importer,
                    **written,
                },
            )
    except ImportRefused as refused:
        _note_check(batch, refused.checked)
        batch.save(update_fields=["summary", "problem_count", "rows", "status"])
        raise
    except (DatabaseError, connection.Database.Error) as error:
        # COPY reports the driver's own errors, which Django does not translate.
        earlier = earlier_import(evaluation, batch.sha256)
        if earlier is not None:
            raise AlreadyImported(earlier) from error
        raise ImportFailed(_refusal(error)) from error
    if kept:
        path.unlink(missing_ok=True)
    batch.refresh_from_db()
    return batch


def _refusal(error: Exception) -> str:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return (
        f"Nothing was saved: the database refused a row part-way ({reason[:200]}). Someone "
        "may have added an interview with one of the file's references meanwhile; check the "
        "file again."
    )


def import_file(
    user: Any,
    evaluation: Evaluation,
    path: Path,
    *,
    fmt: str = "auto",
    as_importer: bool = False,
    dry_run: bool = False,
    progress: bool = False,
) -> tuple[ImportBatch | None, Checked]:
    """Check a file on disk and, unless ``dry_run``, save it (the command line's import).

    Returns the saved batch (``None`` for a dry run) and the check's outcome. Raises as
    :func:`save` does, and :class:`AlreadyImported` before reading a file saved before.

    The batch is recorded in the same transaction as the data it saves: an import stopped
    at any point (even by SIGKILL or a power cut) leaves the database exactly as it was,
    with no half-recorded batch, so the same file imports cleanly when run again.
    """
    if fmt not in FORMATS:
        raise InvalidInput({"format": f"use one of {', '.join(FORMATS)}"})
    sha256 = file_digest(path)
    earlier = earlier_import(evaluation, sha256)
    if earlier is not None:
        raise AlreadyImported(earlier)
    checked = check_file(path, evaluation, user, fmt=fmt, as_importer=as_importer, name=path.name)
    if dry_run or not checked.ok:
        return None, checked
    batch = ImportBatch(
        evaluation=evaluation,
        user=user,
        file_name=path.name[:255],
        sha256=sha256,
        size=path.stat().st_size,
        format=fmt,
        as_importer=as_importer,
    )
    _note_check(batch, checked)
    with transaction.atomic():
        batch.save()
        return save(user, batch, path=path, progress=progress), checked


# --- exports -------------------------------------------------------------------------------


@dataclass
class Download:
    """A written export: the file, the name to give it, its type, and its folder to remove."""

    path: Path
    file_name: str
    content_type: str
    folder: Path

    def cleanup(self) -> None:
        """Remove the temporary folder (an open file stays readable until closed)."""
        shutil.rmtree(self.folder, ignore_errors=True)


def scope(user: Any, evaluation: Evaluation) -> list[Service] | None:
    """The services the user's role is limited to, or ``None`` when it covers them all."""
    found = access_of(user, evaluation)
    allowed = found.services if found is not None else frozenset()
    if allowed is None:
        return None
    return list(Service.objects.filter(evaluation=evaluation, pk__in=allowed).order_by("code"))


def export_files(
    user: Any,
    evaluation: Evaluation,
    *,
    kinds: Sequence[str],
    services: Iterable[Service] | None,
    include_notes: bool,
    folder: Path,
) -> list[Path]:
    """Write exports of the final interviews of ``services`` (``None``: all) into ``folder``.

    One audit event records who exported which files, of how many ratings, from which
    services, and whether raters' notes were included. ``include_notes`` adds raters'
    free-text notes; the caller decides who may ask (leads). Raises :class:`DomainError`
    when a file needs data and there is none to export.
    """
    chosen = [KINDS[kind] for kind in kinds]
    scope = list(services) if services is not None else None
    table = None
    notes: dict[tuple[str, str], str] = {}
    if any(kind.needs_data for kind in chosen):
        try:
            table, notes = evaluation_ratings(evaluation, scope)
        except NothingToExport as error:
            raise DomainError(
                "There are no final interviews to export yet"
                + (" in your services." if scope is not None else ".")
            ) from error
    instrument = evaluation.instrument.model()
    framework = evaluation.framework.model()
    written = [
        write_export(
            kind,
            folder,
            table=table,
            instrument=instrument,
            framework=framework,
            notes=notes if include_notes else None,
            include_notes=include_notes,
        )
        for kind in chosen
    ]
    with_notes = include_notes and any(kind.needs_data for kind in chosen)
    where = ", ".join(s.code for s in scope) if scope is not None else "all services"
    size = f"{table.n_ratings:,} ratings of {table.n_interviews:,} interviews; " if table else ""
    record(
        user,
        "export",
        evaluation,
        evaluation_id=evaluation.pk,
        summary=f"Exported {', '.join(k.file_name for k in chosen)} ({size}{where})"
        + (", with raters' notes" if with_notes else ", without notes"),
        after={
            "files": [k.file_name for k in chosen],
            "services": [s.code for s in scope] if scope is not None else "all",
            "ratings": table.n_ratings if table else 0,
            "interviews": table.n_interviews if table else 0,
            "notes": with_notes,
        },
    )
    return written


def export(
    user: Any,
    evaluation: Evaluation,
    *,
    kind: str,
    services: Iterable[Service] | None,
    include_notes: bool = False,
) -> Download:
    """Write one download (see :func:`export_files`) into a temporary folder."""
    chosen: ExportKind = KINDS[kind]
    folder = Path(tempfile.mkdtemp(prefix="peerprinciples-export-"))
    try:
        (path,) = export_files(
            user,
            evaluation,
            kinds=[kind],
            services=services,
            include_notes=include_notes,
            folder=folder,
        )
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    stamp = timezone.localdate().isoformat()
    name = f"{slugify(evaluation.name)[:60] or 'evaluation'}-{stamp}-{chosen.file_name}"
    return Download(path, name, chosen.content_type, folder)
