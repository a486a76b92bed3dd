"""The matrix's history and one cell's history, read from the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import AREA, PRINCIPLE, Crew, crew
from tests.web.practice_versions_fixtures import write_cell

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.practice.models import Area, Section
from peerprinciples.web.practice.services.cells import CellText, save_cell
from peerprinciples.web.practice.services.handbook import export_handbook
from peerprinciples.web.practice.services.history import programme_history
from peerprinciples.web.practice.views.history import PAGE_SIZE

pytestmark = pytest.mark.django_db

__all__ = ["crew"]


def test_the_history_lists_each_change_newest_first_with_who_and_before_and_after(
    crew: Crew,
) -> None:
    write_cell(crew.contributor, crew.programme, AREA, PRINCIPLE, text="Both learn.")
    write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text="Both learn.", status="partly")
    section = Section.objects.create(programme=crew.programme, key="contacts", title="Contacts")
    record(crew.contributor, "create", section, evaluation_id=None, summary="Added Contacts")
    write_cell(crew.outsider, crew.other, AREA, PRINCIPLE, text="Not this programme's.")
    response = crew.client_for(crew.reader).get(
        reverse("practice:history", args=[crew.programme.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Not this programme" not in page
    assert (
        page.index("Added Contacts") < page.index("Partly in place") < page.rindex("<td>cora</td>")
    )
    assert "<dt>Status</dt>" in page
    assert "<dt>Area</dt>" in page  # the area by its title, not its number
    assert "Supervision" in page
    events = list(programme_history(crew.programme))
    assert [e.object_type for e in events[:3]] == [
        "practice.Section",
        "practice.Cell",
        "practice.Cell",
    ]


def test_a_change_to_a_row_since_removed_is_still_in_the_history(crew: Crew) -> None:
    area = Area.objects.create(programme=crew.programme, key="meals", title="Meals", level="team")
    before = snapshot(area)
    area.delete()
    area.pk = before["id"]
    record(crew.lead, "delete", area, evaluation_id=None, summary="Removed Meals", before=before)
    page = crew.client_for(crew.lead).get(reverse("practice:history", args=[crew.programme.pk]))
    assert "Removed Meals" in page.content.decode()


def test_the_history_is_paginated(crew: Crew) -> None:
    for number in range(PAGE_SIZE + 1):
        write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text=f"Draft {number}")
    url = reverse("practice:history", args=[crew.programme.pk])
    first = crew.client_for(crew.lead).get(url).content.decode()
    assert "Page 1 of 2" in first
    assert f"Draft {PAGE_SIZE}" in first
    older = crew.client_for(crew.lead).get(url, {"page": "2"}).content.decode()
    assert "Draft 0" in older
    assert f"Draft {PAGE_SIZE}<" not in older
    assert crew.client_for(crew.lead).get(url, {"page": "many"}).status_code == 200


def test_one_cell_history_shows_only_that_cell(crew: Crew) -> None:
    write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text="First words")
    write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text="Second words")
    write_cell(crew.lead, crew.programme, AREA, "relationships", text="Another cell")
    url = reverse("practice:cell_history", args=[crew.programme.pk, AREA, PRINCIPLE])
    page = crew.client_for(crew.reader).get(url).content.decode()
    assert "Before: First words<br>After: Second words" in page
    assert "Another cell" not in page
    assert "History of “Mutuality and reciprocity” in Supervision" in page


def test_a_cell_not_written_yet_has_no_changes(crew: Crew) -> None:
    url = reverse("practice:cell_history", args=[crew.programme.pk, AREA, PRINCIPLE])
    page = crew.client_for(crew.reader).get(url).content.decode()
    assert "Nothing has been written in this cell yet" in page


@pytest.mark.parametrize(("area", "principle"), [("nowhere", PRINCIPLE), (AREA, "nobody")])
def test_an_unknown_area_or_principle_is_not_found(crew: Crew, area: str, principle: str) -> None:
    url = reverse("practice:cell_history", args=[crew.programme.pk, area, principle])
    assert crew.client_for(crew.reader).get(url).status_code == 404


def test_an_area_of_another_programme_is_not_found(crew: Crew) -> None:
    Area.objects.filter(programme=crew.programme, key=AREA).update(key="supervising")
    url = reverse("practice:cell_history", args=[crew.programme.pk, AREA, PRINCIPLE])
    assert crew.client_for(crew.lead).get(url).status_code == 404


def test_a_download_of_the_handbook_is_kept_in_the_audit_trail_but_not_in_the_history(
    crew: Crew,
) -> None:
    write_cell(crew.contributor, crew.programme, AREA, PRINCIPLE, text="Both learn.")
    changes = list(programme_history(crew.programme))
    export_handbook(crew.reader, crew.programme, "html")
    assert AuditEvent.objects.filter(
        action="export", object_type="practice.Programme", object_id=str(crew.programme.pk)
    ).exists()
    assert list(programme_history(crew.programme)) == changes
    page = crew.client_for(crew.contributor).get(
        reverse("practice:history", args=[crew.programme.pk])
    )
    text = page.content.decode()
    assert "Downloaded the handbook" not in text
    assert f"{len(changes)} change{'s' if len(changes) != 1 else ''}, newest first" in text


def test_the_history_names_a_cell_by_its_principle_and_area_titles(crew: Crew) -> None:
    area = Area.objects.get(programme=crew.programme, key=AREA)
    given = CellText(text="Both learn.", evidence="", status="", why="", holder="")
    save_cell(crew.lead, area, PRINCIPLE, given, version=0)
    save_cell(crew.lead, area, "since-renamed", given, version=0)
    for url in (
        reverse("practice:history", args=[crew.programme.pk]),
        reverse("practice:cell_history", args=[crew.programme.pk, AREA, PRINCIPLE]),
    ):
        page = crew.client_for(crew.reader).get(url).content.decode()
        assert "Wrote the cell “Mutuality and reciprocity” × “Supervision (individual)”" in page
        assert "mutuality × supervision" not in page
        assert "After: Mutuality and reciprocity" in page
        assert "After: Supervision (individual)" in page
        assert "After: supervision" not in page
    page = crew.client_for(crew.reader).get(reverse("practice:history", args=[crew.programme.pk]))
    # A principle no longer in the framework keeps its key.
    assert "Wrote the cell “since-renamed” × “Supervision (individual)”" in page.content.decode()
