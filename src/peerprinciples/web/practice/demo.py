"""The demo practice matrix: a synthetic programme putting ENRICH into practice.

"Community peer support (synthetic example)" covers the demo evaluation's services and is led
by ``demo-lead``, with ``demo-peer-worker`` writing the matrix with the lead. Most cells are
filled in (the words are in :mod:`peerprinciples.web.practice.demo_texts`), a few are left for
the gaps page, two are linked to actions from the demo's reflection cycles, and the programme
has two handbook sections of its own. Version 1 of the matrix was taken, then two cells
changed, so comparing the version with the matrix shows something. A second synthetic
programme, led by ``demo-coordinator`` at a crisis house, shares its matrix, as this one does,
so the two can be seen side by side.

Everything is made once; later starts leave it as it is. Each change is written to the audit
trail as it would be from the pages, so the history pages have something to show.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.evaluations.models import Evaluation, Service
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.practice import demo_texts as texts
from peerprinciples.web.practice.models import (
    Area,
    Cell,
    Programme,
    ProgrammeMember,
    Section,
)
from peerprinciples.web.practice.services.programmes import create_programme
from peerprinciples.web.practice.services.versions import take_version
from peerprinciples.web.reflection.models import Action

PROGRAMME = "Community peer support (synthetic example)"
OTHER_PROGRAMME = "Peer support at the crisis house (synthetic example)"
FRAMEWORK = "enrich"
LEAD = "demo-lead"
PEER_WORKER = "demo-peer-worker"
OTHER_LEAD = "demo-coordinator"
ACCOUNTS = (LEAD, PEER_WORKER, OTHER_LEAD)
"""The demo accounts the programmes use; the demo evaluation gives them their passwords."""


def ensure_practice_demo(evaluation: Evaluation | None = None) -> tuple[Programme, Programme]:
    """Create the two demo programmes once; return them, the demo lead's first.

    ``evaluation`` is the demo evaluation whose services the programme covers and whose
    reflection actions two of its cells are linked to; without it the programme covers no
    service and no cell is linked.
    """
    for name in ACCOUNTS:
        get_user_model().objects.get_or_create(username=name)
    programme = Programme.objects.filter(synthetic=True, name=PROGRAMME).first()
    if programme is None:
        programme = _create_programme(evaluation)
    other = Programme.objects.filter(synthetic=True, name=OTHER_PROGRAMME).first()
    if other is None:
        other = _create_other(programme.framework)
    return programme, other


def _framework(evaluation: Evaluation | None) -> StoredFramework:
    """The demo evaluation's ENRICH version, or the newest stored one."""
    if evaluation is not None and evaluation.framework.key == FRAMEWORK:
        return evaluation.framework
    stored = StoredFramework.objects.filter(key=FRAMEWORK).order_by("-stored_at").first()
    if stored is None:
        raise RuntimeError("The built-in ENRICH framework is not stored; run prepare() first.")
    return stored


def _users() -> dict[str, Any]:
    return {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}


@transaction.atomic
def _create_programme(evaluation: Evaluation | None) -> Programme:
    users = _users()
    lead, peer_worker = users[LEAD], users[PEER_WORKER]
    services = (
        list(Service.objects.filter(evaluation=evaluation).order_by("code"))
        if evaluation is not None
        else []
    )
    programme = create_programme(
        lead,
        name=PROGRAMME,
        framework=_framework(evaluation),
        description=(
            "A made-up programme for trying the application out: peer workers in four "
            "community teams. Every cell of its matrix is synthetic."
        ),
        services=services,
        synthetic=True,
    )
    member = ProgrammeMember.objects.create(
        programme=programme, user=peer_worker, role=ProgrammeMember.Role.CONTRIBUTOR
    )
    record(
        lead,
        "create",
        member,
        evaluation_id=None,
        summary=f"Added {PEER_WORKER} to {PROGRAMME} as a contributor",
    )
    _write_cells(programme, texts.CELLS, lead=lead, peer_worker=peer_worker)
    if evaluation is not None:
        _link_actions(programme, evaluation, lead)
    _write_sections(programme, lead)
    take_version(lead, programme, note=texts.VERSION_NOTE)
    _change_cells(programme, texts.CHANGED_AFTER_VERSION, lead=lead, peer_worker=peer_worker)
    Programme.objects.filter(pk=programme.pk).update(shares_matrix=True)
    programme.refresh_from_db()
    return programme


@transaction.atomic
def _create_other(framework: StoredFramework) -> Programme:
    lead = _users()[OTHER_LEAD]
    other = create_programme(
        lead,
        name=OTHER_PROGRAMME,
        framework=framework,
        description="A made-up crisis house programme, shown side by side with the demo one.",
        synthetic=True,
    )
    _write_cells(other, texts.OTHER_CELLS, lead=lead, peer_worker=lead)
    Programme.objects.filter(pk=other.pk).update(shares_matrix=True)
    other.refresh_from_db()
    return other


def _areas(programme: Programme) -> dict[str, Area]:
    return {area.key: area for area in Area.objects.filter(programme=programme)}


def _write_cells(
    programme: Programme,
    planned: dict[tuple[str, str], texts.Planned],
    *,
    lead: Any,
    peer_worker: Any,
) -> None:
    """Write each planned cell, audited one by one as a cell's history reads them."""
    areas = _areas(programme)
    for (area, principle), cell in planned.items():
        author = peer_worker if cell.by_peer_worker else lead
        written = Cell.objects.create(
            programme=programme,
            area=areas[area],
            principle=principle,
            text=cell.text,
            evidence=cell.evidence,
            status=cell.status,
            why=cell.why,
            holder=cell.holder,
            updated_by=author,
        )
        record(
            author,
            "create",
            written,
            evaluation_id=None,
            summary=f"Filled in {principle} × {area} (synthetic example)",
        )


def _change_cells(
    programme: Programme,
    planned: dict[tuple[str, str], texts.Planned],
    *,
    lead: Any,
    peer_worker: Any,
) -> None:
    """Change cells already written: a new version of each, with before and after audited."""
    for (area, principle), cell in planned.items():
        found = Cell.objects.get(programme=programme, area__key=area, principle=principle)
        before = snapshot(found)
        author = peer_worker if cell.by_peer_worker else lead
        found.text, found.evidence, found.status = cell.text, cell.evidence, cell.status
        found.why, found.holder, found.updated_by = cell.why, cell.holder, author
        found.version += 1
        found.save()
        record(
            author,
            "change",
            found,
            evaluation_id=None,
            summary=f"Changed {principle} × {area} (synthetic example)",
            before=before,
        )


def _link_actions(programme: Programme, evaluation: Evaluation, lead: Any) -> None:
    """Link the planned cells to the demo's reflection actions (skipped when one is gone)."""
    for (area, principle), what in texts.LINKED_ACTIONS.items():
        action = Action.objects.filter(
            cycle__evaluation=evaluation, principle=principle, what=what
        ).first()
        if action is None:
            continue
        cell = Cell.objects.get(programme=programme, area__key=area, principle=principle)
        before = snapshot(cell)
        cell.actions.add(action)
        record(
            lead,
            "change",
            cell,
            evaluation_id=None,
            summary=f"Linked the reflection action '{what}' to {principle} × {area}",
            before=before,
        )


def _write_sections(programme: Programme, lead: Any) -> None:
    for position, (key, title, body) in enumerate(texts.SECTIONS, start=1):
        section = Section.objects.create(
            programme=programme, key=key, title=title, body=body, position=position
        )
        record(
            lead,
            "create",
            section,
            evaluation_id=None,
            summary=f"Added the handbook section {title!r}",
        )


def practice_story(programme: Programme, other: Programme) -> list[str]:
    """What ``make run`` prints about the demo programmes: where to look, and as whom."""
    matrix = reverse("practice:matrix", args=[programme.pk])
    versions = reverse("practice:versions", args=[programme.pk])
    gaps = reverse("practice:gaps", args=[programme.pk])
    handbook = reverse("practice:handbook", args=[programme.pk])
    side_by_side = reverse("practice:side_by_side", args=[programme.pk, other.pk])
    taken = programme.snapshots.order_by("-number").first()
    lines = [
        f"Into practice: {programme.name}, following {programme.framework.ref}",
        f"  sign in as {LEAD!r} at {matrix} for the practice matrix, {gaps} for its gaps and "
        f"{handbook} for its handbook; {PEER_WORKER!r} fills in cells with the lead",
    ]
    if taken is not None:
        lines.append(
            f"  version {taken.number} of the matrix was taken and two cells changed since: "
            f"compare them at {versions}"
        )
    lines.append(f"  side by side with {other.name} (led by {OTHER_LEAD!r}) at {side_by_side}")
    return lines
