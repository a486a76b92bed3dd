"""Moving a programme's matrix to another stored framework version: every cell is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import AREA, Crew, crew
from tests.web.practice_versions_fixtures import NEW, REMOVED, RENAMED, next_enrich, write_cell

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import DomainError, StaleEdit
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.practice.models import Cell, Programme
from peerprinciples.web.practice.services import carry_over as services

pytestmark = pytest.mark.django_db

__all__ = ["crew"]


@pytest.fixture
def newer(crew: Crew) -> StoredFramework:
    return next_enrich(crew.framework)


def _fill(crew: Crew) -> int:
    """A cell for every ENRICH principle in two areas; returns how many."""
    count = 0
    for area in (AREA, "recruitment"):
        for principle in crew.framework.model().principles:
            write_cell(crew.lead, crew.programme, area, principle.key, text=f"{principle.key} here")
            count += 1
    return count


def _url(crew: Crew) -> str:
    return reverse("practice:framework", args=[crew.programme.pk])


def _cells(crew: Crew) -> list[tuple[str, str, str]]:
    return sorted(
        Cell.objects.filter(programme=crew.programme).values_list("area__key", "principle", "text")
    )


def _move(crew: Crew, newer: StoredFramework, **moves: str) -> Any:
    data = {"target": str(newer.pk), "version": str(crew.programme.version)}
    data.update({f"move-{key}": value for key, value in moves.items()})
    return crew.client_for(crew.lead).post(_url(crew), data)


def test_the_preview_shows_renamed_removed_and_new_principles(
    crew: Crew, newer: StoredFramework
) -> None:
    _fill(crew)
    response = crew.client_for(crew.lead).get(_url(crew), {"target": str(newer.pk)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Moving from enrich@2017 to enrich@2026" in page
    assert "Kept, but reading differently" in page
    assert "Mutuality and reciprocity" in page
    assert "Learning from each other" in page
    assert "its name changes (2 cells kept)" in page
    assert "Where the cells of “" in page
    assert "Keep them apart, where they are" in page
    assert "New in enrich@2026" in page
    assert "Hope" in page
    assert "strengths-connections here" in page


def test_moving_with_a_renamed_principle_keeps_every_cell(
    crew: Crew, newer: StoredFramework
) -> None:
    count = _fill(crew)
    before = _cells(crew)
    response = _move(crew, newer)
    assert response.status_code == 302
    crew.programme.refresh_from_db()
    assert crew.programme.framework == newer
    assert crew.programme.version == 2
    assert _cells(crew) == before
    assert len(before) == count
    renamed = Cell.objects.filter(programme=crew.programme, principle=RENAMED)
    assert renamed.count() == 2
    event = AuditEvent.objects.filter(object_type="practice.Programme").first()
    assert event is not None
    assert event.summary == "Moved the matrix from enrich@2017 to enrich@2026"
    assert event.before is not None
    assert event.before["framework"] == crew.framework.pk


def test_a_removed_principle_kept_apart_keeps_its_cells_under_its_old_key(
    crew: Crew, newer: StoredFramework
) -> None:
    count = _fill(crew)
    _move(crew, newer, **{REMOVED: ""})
    assert Cell.objects.filter(programme=crew.programme).count() == count
    assert Cell.objects.filter(programme=crew.programme, principle=REMOVED).count() == 2
    done = crew.client_for(crew.lead).get(_url(crew), follow=True).content.decode()
    assert "The matrix follows ENRICH peer support principles (enrich@2026)" in done


def test_a_removed_principle_moved_onto_a_new_one_takes_its_cells_there(
    crew: Crew, newer: StoredFramework
) -> None:
    count = _fill(crew)
    # An empty cell already stands where one moved cell goes: it is kept, not deleted.
    blank = write_cell(crew.lead, crew.programme, AREA, NEW)
    response = _move(crew, newer, **{REMOVED: NEW})
    assert response.status_code == 302
    assert Cell.objects.filter(programme=crew.programme).count() == count + 1
    moved = Cell.objects.filter(programme=crew.programme, principle=NEW).order_by("area__key")
    assert [c.text for c in moved] == [f"{REMOVED} here", f"{REMOVED} here"]
    blank.refresh_from_db()
    assert blank.principle == REMOVED
    assert blank.text == ""
    moves = AuditEvent.objects.filter(object_type="practice.Cell", summary__startswith="Moved")
    assert moves.count() == 2


def test_a_move_onto_a_written_cell_is_refused_naming_it_and_nothing_changes(
    crew: Crew, newer: StoredFramework
) -> None:
    _fill(crew)
    before = _cells(crew)
    response = _move(crew, newer, **{REMOVED: "relationships"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was moved" in page
    assert (
        "the cell for &#x27;strengths-connections&#x27; in the area &#x27;supervision&#x27;" in page
    )
    assert _cells(crew) == before
    crew.programme.refresh_from_db()
    assert crew.programme.framework == crew.framework


def test_a_move_over_another_leads_move_is_refused(crew: Crew, newer: StoredFramework) -> None:
    _fill(crew)
    Programme.objects.filter(pk=crew.programme.pk).update(version=5)
    response = _move(crew, newer)
    assert response.status_code == 409
    assert "Someone else changed this programme" in response.content.decode()
    crew.programme.refresh_from_db()
    assert crew.programme.framework == crew.framework
    with pytest.raises(StaleEdit):
        services.move_framework(crew.lead, crew.programme, newer, moves={}, version=1)


def test_moving_to_the_version_it_already_follows_is_refused(crew: Crew) -> None:
    next_enrich(crew.framework)
    response = crew.client_for(crew.lead).get(_url(crew), {"target": str(crew.framework.pk)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The matrix already follows enrich@2017." in page
    assert "Select a valid choice" not in page
    with pytest.raises(DomainError, match="already follows enrich@2017"):
        services.preview(crew.programme, crew.framework)


@pytest.mark.parametrize(
    ("moves", "says"),
    [
        ({REMOVED: "nowhere"}, "Select a valid choice"),
        ({"move-unknown": "hope"}, None),
    ],
)
def test_a_bad_choice_is_refused_and_nothing_moves(
    crew: Crew, newer: StoredFramework, moves: dict[str, str], says: str | None
) -> None:
    _fill(crew)
    response = _move(crew, newer, **moves)
    if says is None:
        # A field the form does not have is ignored: the move goes ahead, every cell kept.
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert says in response.content.decode()
    crew.programme.refresh_from_db()
    assert crew.programme.framework == crew.framework


def test_a_move_chosen_for_a_principle_still_in_the_new_version_is_refused(
    crew: Crew, newer: StoredFramework
) -> None:
    with pytest.raises(DomainError, match="still in enrich@2026"):
        services.move_framework(crew.lead, crew.programme, newer, moves={RENAMED: NEW}, version=1)


@pytest.mark.parametrize("target", ["", "9999", "abc"])
def test_an_unknown_framework_version_is_refused(crew: Crew, target: str) -> None:
    next_enrich(crew.framework)
    response = crew.client_for(crew.lead).get(_url(crew), {"target": target})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem to put right" in page
    assert "Select a valid choice" not in page
    if target:
        assert (
            f"There is no stored framework version &#x27;{target}&#x27;: choose one from the "
            "list." in page
        )


def test_with_no_other_version_stored_the_page_says_so(crew: Crew) -> None:
    page = crew.client_for(crew.lead).get(_url(crew)).content.decode()
    assert "No other framework version is stored yet" in page
