"""The demo practice matrix: made once, synthetic and marked so, filled in with a mix of
statuses and a few gaps, with a version taken before two cells changed, two cells linked to
the demo's reflection actions, and a second programme to see side by side.

The demo is built once for the module (see ``module_db``); each test starts from it as built.
Without the demo evaluation or the framework: test_practice_demo_prerequisites.py.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from peerprinciples.core.library import Library
from peerprinciples.core.practice.gaps import find_gaps
from peerprinciples.core.practice.matrix import Matrix, Status, builtin_areas
from peerprinciples.core.practice.side_by_side import side_by_side
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.demo import ensure_demo
from peerprinciples.web.evaluations.models import Evaluation, Service
from peerprinciples.web.library.services import load_library
from peerprinciples.web.permissions import ProgrammeAction, programme_access_of
from peerprinciples.web.practice import demo_texts as texts
from peerprinciples.web.practice.demo import (
    LEAD,
    OTHER_LEAD,
    OTHER_PROGRAMME,
    PEER_WORKER,
    PROGRAMME,
    ensure_practice_demo,
    practice_story,
)
from peerprinciples.web.practice.models import (
    Cell,
    Programme,
    ProgrammeMember,
    Section,
    Snapshot,
)
from peerprinciples.web.practice.services.matrix import matrix_of

pytestmark = pytest.mark.django_db

PRINCIPLES = {
    "relationships",
    "mutuality",
    "experiential-knowledge",
    "leadership-choice-control",
    "strengths-connections",
}


@pytest.fixture(scope="module")
def built(module_db: None, builtin_library: Library) -> tuple[Evaluation, Programme, Programme]:
    """The demo evaluation and its two programmes, made once for the module's tests."""
    load_library(builtin_library)
    evaluation, _ = ensure_demo()
    return evaluation, *ensure_practice_demo(evaluation)


@pytest.fixture
def demo(built: tuple[Evaluation, Programme, Programme]) -> Evaluation:
    """The demo evaluation, read afresh for each test."""
    return Evaluation.objects.get(pk=built[0].pk)


@pytest.fixture
def programmes(built: tuple[Evaluation, Programme, Programme]) -> tuple[Programme, Programme]:
    """The two demo programmes, read afresh for each test."""
    return Programme.objects.get(pk=built[1].pk), Programme.objects.get(pk=built[2].pk)


def _counts() -> dict[str, int]:
    return {
        "programmes": Programme.objects.count(),
        "members": ProgrammeMember.objects.count(),
        "cells": Cell.objects.count(),
        "linked": Cell.actions.through.objects.count(),
        "sections": Section.objects.count(),
        "versions": Snapshot.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_seeding_twice_changes_nothing(demo: Evaluation) -> None:
    programme, other = ensure_practice_demo(demo)
    before = _counts()
    cells = list(Cell.objects.order_by("pk").values())
    again, other_again = ensure_practice_demo(demo)
    assert (again.pk, other_again.pk) == (programme.pk, other.pk)
    assert _counts() == before
    assert list(Cell.objects.order_by("pk").values()) == cells
    assert Programme.objects.filter(name=PROGRAMME).count() == 1
    assert Programme.objects.filter(name=OTHER_PROGRAMME).count() == 1


def test_both_programmes_are_synthetic_follow_enrich_and_share(
    programmes: tuple[Programme, Programme], demo: Evaluation
) -> None:
    programme, other = programmes
    for made in programmes:
        assert made.synthetic
        assert made.shares_matrix
        assert made.framework.key == "enrich"
    assert programme.framework == demo.framework
    assert set(programme.services.all()) == set(Service.objects.filter(evaluation=demo))
    roles = {m.user.username: m.role for m in programme.members.select_related("user")}
    assert roles == {LEAD: "lead", PEER_WORKER: "contributor"}
    assert other.members.get().user.username == OTHER_LEAD


def test_the_matrix_is_mostly_filled_with_a_mix_of_statuses_and_a_few_gaps(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, _ = programmes
    cells = Cell.objects.filter(programme=programme).select_related("area")
    every = {(area.key, principle) for area in builtin_areas() for principle in PRINCIPLES}
    written = {(cell.area.key, cell.principle) for cell in cells}
    assert written == set(texts.CELLS)
    assert written | set(texts.EMPTY) == every
    assert not written & set(texts.EMPTY)
    assert 0 < len(texts.EMPTY) < len(every) // 5
    statuses = Counter(cell.status for cell in cells)
    assert set(statuses) == {"in_place", "partly", "not_yet", "not_relevant"}
    for cell in cells:
        if cell.status != "in_place":
            assert cell.why, f"{cell} says why it is {cell.status}"
        assert cell.holder, f"{cell} has a holder"
        assert not any(name in cell.holder for name in (LEAD, PEER_WORKER, OTHER_LEAD))
    authors = {cell.updated_by.username for cell in cells}
    assert authors == {LEAD, PEER_WORKER}


def test_two_cells_are_linked_to_the_demos_reflection_actions(
    programmes: tuple[Programme, Programme], demo: Evaluation
) -> None:
    programme, _ = programmes
    linked = Cell.objects.filter(programme=programme, actions__isnull=False).distinct()
    assert {(c.area.key, c.principle) for c in linked} == set(texts.LINKED_ACTIONS)
    for cell in linked:
        action = cell.actions.get()
        assert action.cycle.evaluation_id == demo.pk
        assert action.principle == cell.principle
        assert action.what == texts.LINKED_ACTIONS[(cell.area.key, cell.principle)]
        linking = AuditEvent.objects.get(
            object_type="practice.Cell", object_id=str(cell.pk), action="change"
        )
        assert (linking.before["actions"], linking.after["actions"]) == ([], [action.pk])


def test_version_one_was_taken_and_two_cells_changed_after_it(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, _ = programmes
    taken = Snapshot.objects.get(programme=programme)
    assert taken.number == 1
    assert taken.framework == programme.framework
    kept = Matrix.model_validate(taken.document)
    assert kept.version == 1
    now = matrix_of(programme)
    differ = {
        (cell.area, cell.principle)
        for cell in now.cells
        if kept.cell(cell.area, cell.principle) != cell
    }
    assert differ == set(texts.CHANGED_AFTER_VERSION)
    for area, principle in differ:
        changed = Cell.objects.get(programme=programme, area__key=area, principle=principle)
        assert changed.version == 2
        events = AuditEvent.objects.filter(
            object_type="practice.Cell", object_id=str(changed.pk)
        ).order_by("at", "pk")
        assert [e.action for e in events] == ["create", "change"]
        assert events[1].before["status"] == kept.cell(area, principle).status
        assert events[1].after["status"] == changed.status


def test_the_programme_has_two_handbook_sections_of_its_own(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, _ = programmes
    sections = list(Section.objects.filter(programme=programme).order_by("position"))
    assert [(s.title, s.body, s.after) for s in sections] == texts.SECTIONS


def test_every_cell_and_section_is_in_the_audit_trail(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, _ = programmes
    for made in programmes:
        for cell in Cell.objects.filter(programme=made):
            assert AuditEvent.objects.filter(
                object_type="practice.Cell", object_id=str(cell.pk), action="create"
            ).exists()
    for section in Section.objects.filter(programme=programme):
        assert AuditEvent.objects.filter(
            object_type="practice.Section", object_id=str(section.pk)
        ).exists()
    assert AuditEvent.objects.filter(object_type="practice.Snapshot").count() == 1


def test_the_demo_lead_sees_the_programme_from_the_home_page(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, other = programmes
    client = _signed_in(LEAD)
    home = client.get(reverse("home")).content.decode()
    matrix_url = reverse("practice:matrix", args=[programme.pk])
    assert f'href="{matrix_url}">{PROGRAMME}</a>' in home
    assert "<td>Programme lead</td>" in home
    assert reverse("practice:matrix", args=[other.pk]) not in home
    assert client.get(matrix_url).status_code == 200
    access = programme_access_of(get_user_model().objects.get(username=LEAD), programme.pk)
    assert access is not None
    assert access.may(ProgrammeAction.TAKE_VERSION)


def test_the_peer_worker_writes_cells_but_does_not_take_versions(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, _ = programmes
    user = get_user_model().objects.get(username=PEER_WORKER)
    access = programme_access_of(user, programme.pk)
    assert access is not None
    assert access.may(ProgrammeAction.EDIT_CELLS)
    assert not access.may(ProgrammeAction.TAKE_VERSION)
    home = _signed_in(PEER_WORKER).get(reverse("home")).content.decode()
    assert "<td>Contributor</td>" in home


def test_the_other_programme_shares_cells_with_the_first_for_side_by_side(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, other = programmes
    mine = {(c.area.key, c.principle) for c in Cell.objects.filter(programme=programme)}
    theirs = {(c.area.key, c.principle) for c in Cell.objects.filter(programme=other)}
    assert theirs == set(texts.OTHER_CELLS)
    assert len(mine & theirs) >= 5
    assert (
        _signed_in(OTHER_LEAD).get(reverse("practice:matrix", args=[programme.pk])).status_code
        == 404
    )


def test_the_story_says_where_to_look_and_as_whom(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, other = programmes
    said = "\n".join(practice_story(programme, other))
    assert said.startswith(f"Into practice: {PROGRAMME}, following enrich@")
    assert f"sign in as 'demo-lead' at /practice/{programme.pk}/ for the practice matrix" in said
    assert f"/practice/{programme.pk}/versions/" in said
    assert f"/practice/{programme.pk}/compare/{other.pk}/" in said
    assert OTHER_PROGRAMME in said


def test_serving_the_demo_prints_the_practice_story(
    demo: Evaluation, capsys: pytest.CaptureFixture[str]
) -> None:
    from peerprinciples.web.serve import _print_practice_story

    _print_practice_story(demo)
    said = capsys.readouterr().out
    assert f"Into practice: {PROGRAMME}" in said
    assert Programme.objects.filter(name=PROGRAMME).exists()


def test_comparing_version_one_with_the_matrix_shows_the_two_changed_cells(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, _ = programmes
    client = _signed_in(LEAD)
    versions = client.get(reverse("practice:versions", args=[programme.pk]))
    assert versions.status_code == 200
    assert texts.VERSION_NOTE in versions.content.decode()
    compared = client.get(
        reverse("practice:compare_versions", args=[programme.pk]), {"a": "1", "b": "0"}
    )
    assert compared.status_code == 200
    page = compared.content.decode()
    for area, principle in texts.CHANGED_AFTER_VERSION:
        changed = texts.CHANGED_AFTER_VERSION[(area, principle)]
        assert changed.why in page, f"{principle} × {area} is shown as changed"


def test_the_history_shows_who_wrote_the_cells(programmes: tuple[Programme, Programme]) -> None:
    programme, _ = programmes
    response = _signed_in(PEER_WORKER).get(reverse("practice:history", args=[programme.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert PEER_WORKER in page
    assert LEAD in page


def test_the_gaps_page_has_each_kind_of_gap_to_show_and_no_missing_reason(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, _ = programmes
    gaps = find_gaps(matrix_of(programme), programme.framework.model())
    assert {cell.status for cell in gaps.not_in_place} == {Status.PARTLY, Status.NOT_YET}
    assert [row.key for row in gaps.principles_reaching_no_area] == [
        "diversity-of-lived-experience"
    ]
    assert not gaps.without_reason
    assert not gaps.unreached_areas
    assert not gaps.set_apart
    empty = {(c.area, c.principle) for row in gaps.rows for c in row.nothing_written}
    assert set(texts.EMPTY) <= empty


def test_side_by_side_the_two_programmes_share_cells_written_in_both(
    programmes: tuple[Programme, Programme],
) -> None:
    programme, other = programmes
    framework = programme.framework.model()
    compared = side_by_side(matrix_of(programme), framework, matrix_of(other), framework)
    assert compared.shares_anything
    both = [
        (row.key, cell.area)
        for row in compared.rows
        for cell in row.cells
        if cell.a.status and cell.b.status
    ]
    assert len(both) == len(texts.OTHER_CELLS)
