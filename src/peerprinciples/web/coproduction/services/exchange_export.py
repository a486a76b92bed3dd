"""A project written out as RCMap's four files, in a zip.

The cards still in use, every finished individual sort (``services.sorting.card_sort``), every
rating of those cards, and the answers of everyone who sorted or rated, with their group under
the question ``group``. RCMap opens the files, and :mod:`.exchange` imports them again.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.text import slugify

from peerprinciples.core.coproduction.cardsort import CardSort, StatementRating
from peerprinciples.core.coproduction.rcmap import (
    DEMOGRAPHICS,
    RATINGS,
    SORTED_CARDS,
    STATEMENTS,
    RCMapProject,
    write_rcmap,
)
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services.cards import live_cards
from peerprinciples.web.coproduction.services.sorting import card_sort, member_groups
from peerprinciples.web.errors import DomainError


def project_as_rcmap(project: models.Project) -> RCMapProject:
    """The project as RCMap data: its live cards, its finished individual sorts
    (``services.sorting.card_sort``), every rating of a live card, and the answers of
    everyone who sorted or rated (their group under the question ``group``)."""
    cardsort = card_sort(project)
    numbers = {card.pk: str(card.number) for card in live_cards(project).only("pk", "number")}
    scales = list(project.scales.order_by("position", "pk"))
    ratings = tuple(
        StatementRating(code, numbers[card], key, float(value))
        for code, card, key, value in models.StatementRating.objects.filter(
            card_id__in=numbers, scale__project=project
        )
        .order_by("member__code", "card__number", "scale__position")
        .values_list("member__code", "card_id", "scale__key", "value")
    )
    groups = dict(cardsort.groups)
    raters = {r.rater for r in ratings} - set(groups)
    for member in models.Member.objects.filter(project=project, code__in=raters).order_by("code"):
        answers = member_groups(member)
        if answers:
            groups[member.code] = answers
    written = CardSort(cardsort.statements, cardsort.sorts, groups)
    return RCMapProject(written, ratings, tuple(scale.key for scale in scales if ratings))


def export_zip(user: Any, project: models.Project) -> tuple[str, bytes]:
    """The project's RCMap files in a zip, and the zip's file name; the export is recorded
    in the audit trail."""
    rcmap = project_as_rcmap(project)
    if not rcmap.cardsort.statements:
        raise DomainError("The project has no cards yet, so there is nothing to export.")
    files = write_rcmap(rcmap)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in (STATEMENTS, SORTED_CARDS, RATINGS, DEMOGRAPHICS):
            if name in files:
                archive.writestr(name, files[name])
    record(
        user,
        "export",
        project,
        evaluation_id=None,
        summary=f"Exported RCMap files: {len(rcmap.cardsort.statements)} cards, "
        f"{len(rcmap.cardsort.sorts)} sorts, {len(rcmap.ratings)} ratings",
        after={"files": sorted(files)},
    )
    name = f"{slugify(project.name) or 'project'}-rcmap.zip"
    return name, buffer.getvalue()
