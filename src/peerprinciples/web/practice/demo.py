"""The demo practice matrix: a synthetic programme putting ENRICH into practice.

"Community peer support (synthetic example)" covers the demo evaluation's services and is led
by ``demo-lead``, with ``demo-peer-worker`` writing the matrix with the lead. Most cells are
filled in (the words are in :mod:`peerprinciples.web.practice.demo_texts`), a few are left for
the gaps page, two are linked to actions from the demo's reflection cycles, and the programme
has two handbook sections of its own. Version 1 of the matrix was taken, then two cells
changed, so comparing the version with the matrix shows something. A second synthetic
programme, led by ``demo-coordinator`` at a crisis house, shares its matrix, as this one does,
so the two can be seen side by side.

Everything is made once; later starts leave it as it is. Cells, members, sections and the
version go through the same services as the pages, so the audit trail holds their history
as if people had written them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from peerprinciples.web.evaluations.models import Evaluation, Service
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.practice import demo_texts as texts
from peerprinciples.web.practice.models import Area, Programme, ProgrammeMember
from peerprinciples.web.practice.services.action_links import link_actions, linked_ids, place_of
from peerprinciples.web.practice.services.cells import CellText, find_cell, save_cell
from peerprinciples.web.practice.services.handbook import SectionText, add_section
from peerprinciples.web.practice.services.members import add_member
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
    add_member(lead, programme, username=PEER_WORKER, role=ProgrammeMember.Role.CONTRIBUTOR)
    _write_cells(programme, texts.CELLS, lead=lead, peer_worker=peer_worker)
    if evaluation is not None:
        _link_actions(programme, evaluation, lead)
    _write_sections(programme, lead)
    take_version(lead, programme, note=texts.VERSION_NOTE)
    _write_cells(programme, texts.CHANGED_AFTER_VERSION, lead=lead, peer_worker=peer_worker)
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
    """Save each planned cell as the cell page does (a first save, or a change of the cell
    as it stands), so its history reads as if people had written it."""
    areas = _areas(programme)
    for (area, principle), cell in planned.items():
        current = find_cell(areas[area], principle)
        save_cell(
            peer_worker if cell.by_peer_worker else lead,
            areas[area],
            principle,
            CellText(cell.text, cell.evidence, cell.status, cell.why, cell.holder),
            version=current.version if current else 0,
        )


def _link_actions(programme: Programme, evaluation: Evaluation, lead: Any) -> None:
    """Link the planned cells to the demo's reflection actions, as the cell's actions page
    does (a cell is skipped when its action is gone)."""
    for (area, principle), what in texts.LINKED_ACTIONS.items():
        action = Action.objects.filter(
            cycle__evaluation=evaluation, principle=principle, what=what
        ).first()
        if action is not None:
            place = place_of(programme, area, principle)
            link_actions(lead, place, [action.pk, *linked_ids(place)])


def _write_sections(programme: Programme, lead: Any) -> None:
    for title, body, after in texts.SECTIONS:
        add_section(lead, programme, SectionText(title, body, after))


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
