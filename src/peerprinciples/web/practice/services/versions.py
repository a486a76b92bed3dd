"""Numbered versions of a programme's matrix, and comparing any two of them.

A numbered version is the matrix as it stood when the lead took it, with the framework
version it followed: what a handbook is issued from. Numbers count up from 1 and are never
reused: taking one locks the programme's row, so two leads taking one at the same moment get
the next two numbers, one after the other. Version 0 stands for the working copy.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from peerprinciples.core.practice.matrix import Matrix
from peerprinciples.core.practice.versions import Comparison, compare
from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import DomainError
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.practice.models import Programme, Snapshot
from peerprinciples.web.practice.services.matrix import matrix_of

WORKING_COPY = 0
"""The number that stands for the matrix as it is now, in a comparison."""

NOTE_LENGTH = 2000


def take_version(user: Any, programme: Programme, *, note: str = "") -> Snapshot:
    """Keep the matrix as it is now as the programme's next numbered version."""
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise DomainError(
            f"The note is {len(note)} characters long; keep it to {NOTE_LENGTH} (say what "
            "changed since the last version, and put longer text in a handbook section)."
        )
    with transaction.atomic():
        # The lock makes a second lead wait here until the first version is written, so the
        # second reads the first's number and takes the one after it.
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        last = Snapshot.objects.filter(programme=locked).aggregate(last=Max("number"))["last"]
        number = (last or 0) + 1
        matrix = matrix_of(locked).model_copy(update={"version": number})
        snapshot = Snapshot.objects.create(
            programme=locked,
            number=number,
            framework=locked.framework,
            note=note,
            document=matrix.model_dump(mode="json"),
            created_by=user,
        )
        record(
            user,
            "create",
            snapshot,
            evaluation_id=None,
            summary=f"Took version {number} of the matrix of {locked.name}",
            after={
                "programme": locked.pk,
                "number": number,
                "framework": locked.framework.ref,
                "note": note,
            },
        )
    return snapshot


def versions_of(programme: Programme) -> list[Snapshot]:
    """The programme's numbered versions, newest first, without their documents."""
    return list(
        Snapshot.objects.filter(programme=programme)
        .select_related("framework", "created_by")
        .defer("document", "framework__document")
        .order_by("-number")
    )


def version_number(value: str | None, *, name: str) -> int:
    """A version number from a page's address, or a message saying what to give instead."""
    if value is None or not value.strip():
        raise DomainError(
            f"Choose the version to compare as '{name}' (a version number, or 0 for the "
            "matrix as it is now)."
        )
    try:
        number = int(value)
    except ValueError:
        raise DomainError(
            f"'{value}' is not a version number ({name}). Give a whole number: 0 for the "
            "matrix as it is now, or one of the numbered versions."
        ) from None
    if number < 0:
        raise DomainError(
            f"Version numbers start at 0 (the matrix as it is now); '{name}' was {number}."
        )
    return number


def matrix_at(programme: Programme, number: int) -> tuple[Matrix, StoredFramework]:
    """The matrix as it was in version ``number`` (0: as it is now) and the framework
    version it followed."""
    if number == WORKING_COPY:
        return matrix_of(programme), programme.framework
    found = Snapshot.objects.filter(programme=programme, number=number).select_related("framework")
    snapshot = found.first()
    if snapshot is None:
        taken = list(
            Snapshot.objects.filter(programme=programme)
            .order_by("number")
            .values_list("number", flat=True)
        )
        have = (
            f"the numbered versions are {', '.join(map(str, taken))}"
            if taken
            else "no numbered version has been taken yet"
        )
        raise DomainError(
            f"There is no version {number} of this matrix: {have}. Use 0 for the matrix as "
            "it is now."
        )
    return Matrix.model_validate(snapshot.document), snapshot.framework


def compare_versions(programme: Programme, first: int, second: int) -> Comparison:
    """Version ``first`` compared with version ``second``, cell by cell, principles in the
    order of the later version's framework."""
    old, _ = matrix_at(programme, first)
    new, framework = matrix_at(programme, second)
    order = [p.key for p in framework.model().principles]
    return compare(old, new, principles=order)
