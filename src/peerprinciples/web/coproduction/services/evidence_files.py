"""The files a review's evidence comes in and goes out as, and which reader each needs.

In: a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) from a QDA package, or the CSV
layout of ``docs/coproduction-files.md`` — its codebook file alone, or with its coded-sources
file. Out: the codebook as ``.qdc`` for a QDA package, and both CSV files. The core reads and
writes every one of them; this module only picks the reader from the files' names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from peerprinciples.core.coproduction import evidence_csv, refiqda
from peerprinciples.core.coproduction.evidence import Evidence
from peerprinciples.core.coproduction.problems import ImportProblems, Problem
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

READABLE = (".qdpx", ".qdc", ".csv")
"""What the first file of an import may end in."""


def _problem(where: str, what: str, fix: str) -> ImportProblems:
    return ImportProblems([Problem(where, what, fix)])


def layout_of(names: Sequence[str]) -> str:
    """Which layout files of these names are in: ``qdpx``, ``qdc``, ``csv-codebook`` (a CSV
    codebook alone) or ``csv`` (a CSV codebook, then its coded-sources file).

    Raises :class:`ImportProblems` for a file of another kind, or a second file that does not
    go with the first.
    """
    if not names:
        raise _problem("the upload", "No file was chosen.", "Choose the file to import.")
    suffix = Path(names[0]).suffix.lower()
    if suffix not in READABLE:
        raise _problem(
            names[0],
            "This is not a file the review can be imported from.",
            "Export the project from the QDA package as a REFI-QDA project (.qdpx) or "
            "codebook (.qdc), or save the codebook of the CSV layout as a .csv file.",
        )
    if len(names) == 1:
        return {".qdpx": "qdpx", ".qdc": "qdc", ".csv": "csv-codebook"}[suffix]
    if suffix != ".csv":
        raise _problem(
            names[1],
            "A second file goes only with a codebook in the CSV layout: a REFI-QDA file "
            "holds everything on its own.",
            "Import the REFI-QDA file alone, with no coded-sources file.",
        )
    if Path(names[1]).suffix.lower() != ".csv":
        raise _problem(
            names[1],
            "The coded-sources file of the CSV layout must be a .csv file.",
            "Save the sources sheet from the spreadsheet as 'CSV UTF-8'.",
        )
    return "csv"


LAYOUT_NAMES = {
    "qdpx": "REFI-QDA project (.qdpx)",
    "qdc": "REFI-QDA codebook (.qdc)",
    "csv-codebook": "CSV layout: codebook only",
    "csv": "CSV layout: codebook and coded sources",
}


def read_evidence(files: Sequence[KeptFile]) -> Evidence:
    """The evidence in the uploaded files, read by the core's reader for their layout.

    Raises :class:`ImportProblems` with every problem the reader found.
    """
    layout = layout_of([file.name for file in files])
    first = files[0]
    if layout == "qdpx":
        return refiqda.read_qdpx(first.path, name=first.name)
    if layout == "qdc":
        return refiqda.read_qdc(first.path, name=first.name)
    if layout == "csv-codebook":
        return evidence_csv.read_codebook_csv(first.path, name=first.name)
    second = files[1]
    return evidence_csv.read_evidence_csv(
        first.path, second.path, codebook_name=first.name, sources_name=second.name
    )


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
