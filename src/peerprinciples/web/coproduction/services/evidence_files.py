"""The files a review's evidence comes in and goes out as, and which reader each needs.

In: a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) from a QDA package, or the CSV
layout of ``docs/coproduction-files.md`` — its codebook file alone, or with its coded-sources
file. Out: the codebook as ``.qdc`` for a QDA package, and both CSV files. The core reads and
writes every one of them, and picks the reader from the files' names
(:mod:`peerprinciples.core.coproduction.evidence_files`, which the command line uses too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from peerprinciples.core.coproduction import evidence_csv, refiqda
from peerprinciples.core.coproduction.evidence import Evidence
from peerprinciples.core.coproduction.evidence_files import read_evidence_files
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import Project
from peerprinciples.web.coproduction.services.evidence import (
    ImportPlan,
    plan_import,
    project_evidence,
    store_evidence,
)
from peerprinciples.web.coproduction.services.evidence_uploads import KeptFile
from peerprinciples.web.errors import DomainError


def read_evidence(files: Sequence[KeptFile]) -> Evidence:
    """The evidence in the uploaded files, read by the core's reader for their layout
    (:func:`~peerprinciples.core.coproduction.evidence_files.read_evidence_files`).

    Raises :class:`ImportProblems` with every problem the reader found.
    """
    return read_evidence_files([file.path for file in files], [file.name for file in files])


@dataclass(frozen=True)
class Export:
    """One layout a review can be downloaded in."""

    layout: str
    title: str
    file_name: str
    content_type: str
    write: Callable[[Evidence], bytes]


def _utf8(write: Callable[[Evidence], str]) -> Callable[[Evidence], bytes]:
    # A byte-order mark, so spreadsheet programs open the file as UTF-8.
    return lambda evidence: write(evidence).encode("utf-8-sig")


EXPORTS = {
    export.layout: export
    for export in (
        Export(
            "qdc",
            "Codebook for a QDA package (REFI-QDA .qdc)",
            "codebook.qdc",
            "application/xml",
            refiqda.write_qdc,
        ),
        Export(
            "codebook-csv",
            "Codebook in the CSV layout",
            "codebook.csv",
            "text/csv; charset=utf-8",
            _utf8(evidence_csv.write_codebook_csv),
        ),
        Export(
            "sources-csv",
            "Coded sources in the CSV layout",
            "sources.csv",
            "text/csv; charset=utf-8",
            _utf8(evidence_csv.write_sources_csv),
        ),
    )
}
"""Every download of the review, by the layout name in its address."""


def check_upload(project: Project, files: Sequence[KeptFile]) -> ImportPlan:
    """Read the kept files and work out what importing them would do; stores nothing.

    Raises :class:`ImportProblems` with every problem of the files, or of their evidence
    against the project's.
    """
    return plan_import(project, read_evidence(files), file=files[0].name)


def import_upload(
    user: Any, project: Project, files: Sequence[KeptFile], *, expected: str
) -> ImportPlan:
    """Read the kept files again and store their evidence, all of it or nothing, if the
    project's evidence is still the one the preview (``expected``) was worked out from.

    Raises :class:`ImportProblems`, or
    :class:`~peerprinciples.web.coproduction.services.evidence.EvidenceChanged`.
    """
    evidence = read_evidence(files)
    names = " and ".join(file.name for file in files)
    return store_evidence(user, project, evidence, file_name=names, expected=expected)


class NothingToExport(DomainError):
    """The review has nothing the chosen file could hold."""


@transaction.atomic
def export_file(user: Any, project: Project, layout: str) -> tuple[Export, bytes]:
    """The project's review written in ``layout`` (a key of :data:`EXPORTS`), recorded in
    the audit trail. Raises :class:`KeyError` for an unknown layout and
    :class:`NothingToExport` when the writer refuses (a codebook with no codes)."""
    export = EXPORTS[layout]
    try:
        data = export.write(project_evidence(project))
    except ValueError as error:
        raise NothingToExport(str(error)) from None
    record(
        user,
        "export",
        project,
        evaluation_id=None,
        summary=f"Downloaded the review's {export.file_name}",
        after={"evidence_export": layout, "bytes": len(data)},
    )
    return export, data
