"""The handbook of a programme: drafted from its working matrix or a numbered version,
downloaded in any format, and the sections the programme writes itself.

A download is drawn whole in memory before anything is sent, so a failure sends an error
page rather than half a file, and it is written to the audit trail (action ``export``).
Sections are changed at the version the form was opened at: a save over someone else's newer
change is refused (:class:`~peerprinciples.web.errors.StaleEdit`) rather than lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from peerprinciples.core.practice.handbook import (
    GLANCE,
    Handbook,
    build_handbook,
    handbook_layout,
)
from peerprinciples.core.practice.handbook_files import format_of
from peerprinciples.core.practice.matrix import Matrix
from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.practice.models import Programme, Section, Snapshot
from peerprinciples.web.practice.services.matrix import matrix_of

KEY_LENGTH = 80


class NoSuchVersion(LookupError):
    """The programme has no numbered version with that number."""


def handbook_of(programme: Programme, version: int | None = None) -> Handbook:
    """The handbook from the working matrix, or from numbered ``version`` of it with the
    framework version that one followed; :class:`NoSuchVersion` when there is none."""
    if version is None:
        return build_handbook(
            matrix_of(programme),
            programme.framework.model(),
            issued=timezone.localdate(),
            synthetic=programme.synthetic,
        )
    snapshot = (
        Snapshot.objects.filter(programme=programme, number=version)
        .select_related("framework")
        .first()
    )
    if snapshot is None:
        raise NoSuchVersion(f"{programme.name} has no version {version} of its matrix.")
    return build_handbook(
        Matrix.model_validate(snapshot.document),
        snapshot.framework.model(),
        issued=timezone.localtime(snapshot.created_at).date(),
        synthetic=programme.synthetic,
    )


@dataclass(frozen=True)
class Download:
    """A handbook file, whole, with what the browser needs to save it."""

    content: bytes
    filename: str
    content_type: str


def filename_for(handbook: Handbook, fmt: str, today: date) -> str:
    """``handbook-<programme>-<version>-<date>.<fmt>``: plain letters a file system keeps."""
    name = slugify(handbook.programme)[:60].strip("-") or "programme"
    version = f"v{handbook.version}" if handbook.version else "working-copy"
    return f"handbook-{name}-{version}-{today.isoformat()}.{fmt}"


def export_handbook(
    user: Any, programme: Programme, fmt: str, version: int | None = None
) -> Download:
    """The handbook in format ``fmt``, drawn in memory, its export written to the audit
    trail. An unknown format raises
    :class:`~peerprinciples.core.practice.handbook.HandbookError`."""
    form = format_of(fmt)
    handbook = handbook_of(programme, version)
    content = form.draw(handbook)
    record(
        user,
        "export",
        programme,
        evaluation_id=None,
        summary=f"Downloaded the handbook ({handbook.version_label}) as {fmt.upper()}",
        after={"format": fmt, "version": handbook.version, "framework": handbook.framework},
    )
    return Download(content, filename_for(handbook, fmt, timezone.localdate()), form.content_type)


# --- the programme's own sections ------------------------------------------------------


def after_choices() -> list[tuple[str, str]]:
    """Where a section can go: after one of the handbook's fixed sections, or at the end.
    The appendix (the matrix at a glance) is not offered: "at the end, before the appendix"
    is where a section after the others belongs, and two choices for nearly one place
    confuse."""
    return [("", "At the end, before the appendix")] + [
        (entry.key, f"After “{entry.title}”")
        for entry in handbook_layout().sections
        if entry.key != GLANCE
    ]


@dataclass(frozen=True)
class SectionText:
    """What a person typed for a section."""

    title: str
    body: str
    after: str


def _checked(text: SectionText) -> SectionText:
    title = text.title.strip()
    problems = {}
    if not title:
        problems["title"] = "Give the section a title, such as “Who to contact”."
    if text.after and text.after not in {key for key, _ in after_choices()}:
        problems["after"] = "Choose where the section goes from the list shown."
    if problems:
        raise InvalidInput(problems)
    return SectionText(title, text.body.strip(), text.after)


def section_snapshot(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "body": section.body,
        "after": section.after,
        "version": section.version,
    }


def _free_key(programme: Programme, title: str) -> str:
    taken = set(Section.objects.filter(programme=programme).values_list("key", flat=True))
    taken |= {entry.key for entry in handbook_layout().sections}
    base = slugify(title)[: KEY_LENGTH - 4].strip("-") or "section"
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


@transaction.atomic
def add_section(user: Any, programme: Programme, text: SectionText) -> Section:
    """A new section of the programme's own, after its others."""
    text = _checked(text)
    top = Section.objects.filter(programme=programme).aggregate(top=Max("position"))["top"]
    section = Section.objects.create(
        programme=programme,
        key=_free_key(programme, text.title),
        title=text.title,
        body=text.body,
        after=text.after,
        position=(top or 0) + 1,
    )
    record(
        user,
        "create",
        section,
        evaluation_id=None,
        summary=f"Added the handbook section “{section.title}”",
        after=section_snapshot(section),
    )
    return section


def _locked(section: Section, version: int) -> Section:
    row = Section.objects.select_for_update().get(pk=section.pk)
    if row.version != version:
        raise StaleEdit("section")
    return row


@transaction.atomic
def edit_section(user: Any, section: Section, text: SectionText, *, version: int) -> Section:
    """Save the section's new wording, unless someone saved theirs since ``version``."""
    text = _checked(text)
    row = _locked(section, version)
    before = section_snapshot(row)
    row.title, row.body, row.after = text.title, text.body, text.after
    row.version += 1
    row.save(update_fields=["title", "body", "after", "version"])
    record(
        user,
        "change",
        row,
        evaluation_id=None,
        summary=f"Changed the handbook section “{row.title}”",
        before=before,
        after=section_snapshot(row),
    )
    return row


@transaction.atomic
def delete_section(user: Any, section: Section, *, version: int) -> str:
    """Delete the section, unless someone changed it since ``version``; gives its title."""
    row = _locked(section, version)
    before = section_snapshot(row)
    record(
        user,
        "delete",
        row,
        evaluation_id=None,
        summary=f"Deleted the handbook section “{row.title}”",
        before=before,
    )
    row.delete()
    return before["title"]
