"""The programme list, starting a programme, the home page, the grid and the CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import AREA, PRINCIPLE, Crew, crew

from peerprinciples.core.practice.matrix_files import CSV_COLUMNS
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.practice.models import Area, Cell, Programme, ProgrammeMember
from peerprinciples.web.practice.services.cells import CellText, save_cell
from peerprinciples.web.practice.services.grid import grid_of

pytestmark = pytest.mark.django_db

__all__ = ["crew"]


def _write(crew: Crew, area_key: str, principle: str, **fields: str) -> Cell:
    area = Area.objects.get(programme=crew.programme, key=area_key)
    given = {"text": "", "evidence": "", "status": "", "why": "", "holder": ""} | fields
    current = Cell.objects.filter(area=area, principle=principle).first()
    return save_cell(
        crew.lead, area, principle, CellText(**given), version=current.version if current else 0
    )


def _evaluation_led_by(user: Any, name: str, code: str) -> Evaluation:
    instrument = StoredInstrument.objects.get(key="enrich-example-index")
    evaluation = setup.create_evaluation(
        user, name=name, kind=Evaluation.Kind.SERVICE_REVIEW, instrument=instrument
    )
    setup.add_service(user, evaluation, code=code)
    return evaluation


def test_the_list_shows_role_framework_and_plain_counts(crew: Crew) -> None:
    _write(
        crew, AREA, PRINCIPLE, text="Supervisors share their own learning too.", status="in_place"
    )
    _write(crew, "recruitment", PRINCIPLE, holder="Peer support lead")
    page = crew.client_for(crew.contributor).get(reverse("practice:index")).content.decode()
    assert "Peer support in the community teams" in page
    assert "enrich@2017" in page
    assert "Contributor" in page
    row = page.split("Peer support in the community teams</a>")[1].split("</tr>")[0]
    assert "<td>2</td>" in row
    assert "<td>1</td>" in row
    assert "Peer support on the wards" not in page  # not a member of the other programme


def test_the_home_page_lists_programmes_beside_projects(crew: Crew) -> None:
    page = crew.client_for(crew.reader).get(reverse("home")).content.decode()
    assert "Into practice" in page
    assert "Peer support in the community teams" in page
    assert reverse("practice:create") in page


def test_starting_a_programme_makes_the_person_its_lead(crew: Crew) -> None:
    client = crew.client_for(crew.reader)
    response = client.post(
        reverse("practice:create"),
        {"name": "  Peer support in crisis teams ", "framework": crew.framework.pk},
    )
    programme = Programme.objects.get(name="Peer support in crisis teams")
    assert response.status_code == 302
    assert response["Location"] == reverse("practice:matrix", args=[programme.pk])
    assert programme.members.get().role == ProgrammeMember.Role.LEAD
    assert programme.areas.count() == 11
    assert AuditEvent.objects.filter(object_type="practice.Programme", action="create").exists()


def test_starting_a_programme_without_name_or_framework_says_what_is_missing(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(reverse("practice:create"), {"name": " "})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give the programme a name." in page
    assert "Choose the framework version the programme follows." in page
    assert Programme.objects.count() == 2


def test_only_services_of_evaluations_the_person_leads_can_be_linked(crew: Crew) -> None:
    _evaluation_led_by(crew.lead, "Review of the community teams", "CT1")
    theirs = _evaluation_led_by(crew.outsider, "Review of the wards", "W1")
    setup.add_member(crew.outsider, theirs, username="lena", role="viewer", services=[])
    client = crew.client_for(crew.lead)
    page = client.get(reverse("practice:create")).content.decode()
    assert "CT1" in page
    assert "Review of the community teams" in page
    assert "W1" not in page  # lena only views that evaluation
    ward = theirs.services.get()
    response = client.post(
        reverse("practice:create"),
        {"name": "Linked", "framework": crew.framework.pk, "services": [ward.pk]},
    )
    assert response.status_code == 400
    assert not Programme.objects.filter(name="Linked").exists()
    mine = Evaluation.objects.get(name="Review of the community teams").services.get()
    response = client.post(
        reverse("practice:create"),
        {"name": "Linked", "framework": crew.framework.pk, "services": [mine.pk]},
    )
    assert response.status_code == 302
    assert list(Programme.objects.get(name="Linked").services.all()) == [mine]


def test_the_grid_is_a_table_with_levels_statuses_in_words_and_links(crew: Crew) -> None:
    _write(
        crew,
        AREA,
        PRINCIPLE,
        text="Supervision is a two-way conversation where the supervisor learns too.",
        status="partly",
        why="Only one supervisor has had peer training.",
        holder="Peer support supervisor",
    )
    page = (
        crew.client_for(crew.reader)
        .get(reverse("practice:matrix", args=[crew.programme.pk]))
        .content.decode()
    )
    assert "<caption" in page
    assert 'scope="colgroup"' in page
    assert 'scope="row"' in page
    assert 'role="region"' in page
    assert 'aria-labelledby="matrix-caption"' in page
    for level in ("Individual level", "Team level", "Organisation level"):
        assert level in page
    assert "Respecting the diversity of lived experience" in page  # the theme is a row
    assert "Partly in place" in page
    assert "Not looked at yet" in page
    assert "Held by Peer support supervisor" in page
    assert "Supervision is a two-way conversation" in page
    assert reverse("practice:cell", args=[crew.programme.pk, AREA, PRINCIPLE]) in page
    # Columns go by level: every individual area before any team area.
    assert page.index("Supervision (individual)") < page.index("Team support and peer worker")


def test_the_area_by_area_view_lists_cells_as_sections(crew: Crew) -> None:
    _write(crew, AREA, PRINCIPLE, status="not_yet", why="Not started.")
    page = (
        crew.client_for(crew.reader)
        .get(reverse("practice:matrix", args=[crew.programme.pk]) + "?by=area")
        .content.decode()
    )
    assert '<table class="matrix">' not in page
    assert 'id="area-supervision"' in page
    assert "Not yet" in page
    assert "Show as a grid" in page


def test_cells_of_a_principle_the_framework_no_longer_has_are_shown_apart(crew: Crew) -> None:
    area = Area.objects.get(programme=crew.programme, key=AREA)
    Cell.objects.create(
        programme=crew.programme, area=area, principle="hope", text="Stories of recovery."
    )
    page = (
        crew.client_for(crew.reader)
        .get(reverse("practice:matrix", args=[crew.programme.pk]))
        .content.decode()
    )
    assert "From an earlier framework version" in page
    assert "Stories of recovery." in page
    cell_page = crew.client_for(crew.reader).get(
        reverse("practice:cell", args=[crew.programme.pk, AREA, "hope"])
    )
    assert cell_page.status_code == 200
    assert "comes from an earlier framework version" in cell_page.content.decode()


def test_the_grid_is_read_in_a_fixed_number_of_queries(
    crew: Crew, django_assert_max_num_queries: Any
) -> None:
    client = crew.client_for(crew.reader)
    url = reverse("practice:matrix", args=[crew.programme.pk])
    client.get(url)  # the framework document is validated once per process
    for area in Area.objects.filter(programme=crew.programme):
        for principle in ("relationships", "mutuality", "experiential-knowledge"):
            _write(crew, area.key, principle, text=f"{principle} in {area.key}", holder="Lead")
    assert Cell.objects.count() == 33
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Held by Lead") == 33


def test_the_csv_has_one_row_per_cell_with_every_column(crew: Crew) -> None:
    _write(crew, AREA, PRINCIPLE, text="=SUM(A1)", status="in_place", holder="Supervisor")
    response = crew.client_for(crew.reader).get(
        reverse("practice:matrix_csv", args=[crew.programme.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    framework = crew.framework.model()
    width = len(framework.principles) + len(framework.themes)
    assert len(rows) == 11 * width
    assert tuple(rows[0]) == CSV_COLUMNS
    found = next(r for r in rows if r["area"] == AREA and r["principle"] == PRINCIPLE)
    assert found["status"] == "in_place"
    assert found["text"] == "'=SUM(A1)"  # a spreadsheet shows it, never runs it
    assert found["level"] == "individual"
    assert found["holder"] == "Supervisor"
    titles = {p.key: p.title for p in framework.principles}
    assert found["principle_title"] == titles[PRINCIPLE]
    assert len(grid_of(crew.programme, framework).every_cell()) == len(rows)


def test_no_stray_space_after_a_status_on_the_grid_and_the_cell_pages(crew: Crew) -> None:
    _write(crew, AREA, PRINCIPLE, status="in_place", holder="Team manager")
    client = crew.client_for(crew.reader)
    matrix = reverse("practice:matrix", args=[crew.programme.pk])
    by_area = client.get(matrix + "?by=area").content.decode()
    assert "In place; held by Team manager" in by_area
    held = client.get(reverse("practice:cell", args=[crew.programme.pk, AREA, PRINCIPLE]))
    assert "In place; held by Team manager." in held.content.decode()
    empty = client.get(
        reverse("practice:cell", args=[crew.programme.pk, "induction-training", PRINCIPLE])
    )
    assert empty.status_code == 200
    assert "Not looked at yet.</p>" in empty.content.decode()
    grid = client.get(matrix).content.decode()
    assert 'Not looked at yet<span class="visually-hidden">: ' in grid
