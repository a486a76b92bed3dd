"""The handbook pages: the handbook in the page from the working copy or a numbered version,
its four downloads (audited), and the programme's own sections with stale saves refused."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.urls import reverse
from pypdf import PdfReader
from tests.web.practice_fixtures import AREA, PRINCIPLE, Crew, assert_kept_message, crew

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.practice.models import Area, Cell, Section, Snapshot
from peerprinciples.web.practice.services.matrix import matrix_of

pytestmark = pytest.mark.django_db

__all__ = ["crew"]


def url(name: str, crew: Crew, *args: object) -> str:
    return reverse(f"practice:{name}", args=[crew.programme.pk, *args])


def write_cell(crew: Crew, text: str) -> None:
    area = Area.objects.get(programme=crew.programme, key=AREA)
    Cell.objects.create(
        programme=crew.programme, area=area, principle=PRINCIPLE, text=text, status="partly"
    )


def test_the_page_shows_the_working_copy_with_every_principle_and_the_downloads(
    crew: Crew,
) -> None:
    write_cell(crew, "We take turns to bring something to supervision.")
    response = crew.client_for(crew.reader).get(url("handbook", crew))
    assert response.status_code == 200
    page = response.content.decode()
    assert "We take turns to bring something to supervision." in page
    assert "matrix working copy" in page
    for principle in crew.framework.model().principles:
        assert principle.title in page
    for fmt in ("html", "pdf", "docx", "odt"):
        assert url("handbook_download", crew, fmt) in page
    assert "Not written yet." in page


def test_a_numbered_version_is_drafted_as_it_was_kept(crew: Crew) -> None:
    write_cell(crew, "As it was at version one.")
    Snapshot.objects.create(
        programme=crew.programme,
        number=1,
        framework=crew.framework,
        document=matrix_of(crew.programme)
        .model_copy(update={"version": 1})
        .model_dump(mode="json"),
        created_by=crew.lead,
    )
    Cell.objects.filter(programme=crew.programme).update(text="Changed since.")
    client = crew.client_for(crew.contributor)
    kept = client.get(url("handbook", crew) + "?version=1").content.decode()
    assert "As it was at version one." in kept
    assert "matrix version 1" in kept
    assert "Changed since." in client.get(url("handbook", crew)).content.decode()
    pdf = client.get(url("handbook_download", crew, "pdf") + "?version=1")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "As it was at version one." in " ".join(text.split())
    assert "-v1-" in pdf["Content-Disposition"]


@pytest.mark.parametrize("asked", ["?version=7", "?version=nope", "?version=0"])
def test_a_version_that_does_not_exist_is_not_found(crew: Crew, asked: str) -> None:
    client = crew.client_for(crew.lead)
    assert client.get(url("handbook", crew) + asked).status_code == 404
    assert client.get(url("handbook_download", crew, "pdf") + asked).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("html", "text/html; charset=utf-8"),
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("odt", "application/vnd.oasis.opendocument.text"),
    ],
)
def test_each_download_is_a_whole_named_file_and_audited(
    crew: Crew, fmt: str, content_type: str
) -> None:
    response = crew.client_for(crew.reader).get(url("handbook_download", crew, fmt))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert re.fullmatch(
        r'attachment; filename="handbook-peer-support-in-the-community-teams-working-copy-'
        rf'\d{{4}}-\d{{2}}-\d{{2}}\.{fmt}"',
        response["Content-Disposition"],
    )
    assert len(response.content) > 1000
    (event,) = AuditEvent.objects.filter(action="export")
    assert event.user == crew.reader
    assert event.object_type == "practice.Programme"
    assert event.object_id == str(crew.programme.pk)
    assert fmt.upper() in event.summary


def test_the_word_file_holds_every_principle_and_area(crew: Crew) -> None:
    response = crew.client_for(crew.lead).get(url("handbook_download", crew, "docx"))
    document = docx.Document(io.BytesIO(response.content))
    words = " ".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    for principle in crew.framework.model().principles:
        assert principle.title in words
    for area in Area.objects.filter(programme=crew.programme):
        assert area.title in words


def test_an_unknown_format_is_not_found_and_not_audited(crew: Crew) -> None:
    response = crew.client_for(crew.lead).get(url("handbook_download", crew, "rtf"))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_contributor_adds_a_section_that_the_handbook_places(crew: Crew) -> None:
    client = crew.client_for(crew.contributor)
    response = client.post(
        url("sections", crew),
        {"title": "Who to contact", "body": "The team office.\n\n- Mondays", "after": "about"},
    )
    assert response.status_code == 302
    section = Section.objects.get(programme=crew.programme)
    assert (section.key, section.after, section.version) == ("who-to-contact", "about", 1)
    event = AuditEvent.objects.get(action="create", object_type="practice.Section")
    assert event.after["title"] == "Who to contact"
    page = client.get(url("handbook", crew)).content.decode()
    about, contact, role = (
        page.index('id="hb-about"'),
        page.index('id="hb-who-to-contact"'),
        page.index('id="hb-role-description"'),
    )
    assert about < contact < role
    assert "Written by the programme" in page
    listing = client.get(url("sections", crew)).content.decode()
    assert "Who to contact" in listing
    assert "After “About this handbook”" in listing


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "  ", "body": "", "after": ""}, "title", "Give the section a title"),
        ({"title": "Contacts", "body": "", "after": "nowhere"}, "after", "Select a valid choice"),
    ],
)
def test_a_section_with_bad_input_is_refused_with_the_reason(
    crew: Crew, data: dict[str, str], field: str, message: str
) -> None:
    response = crew.client_for(crew.lead).post(url("sections", crew), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not Section.objects.filter(programme=crew.programme).exists()


def test_a_stale_save_of_a_section_is_refused_showing_both_texts(crew: Crew) -> None:
    section = Section.objects.create(
        programme=crew.programme, key="contacts", title="Contacts", body="The office."
    )
    here = url("section", crew, section.pk)
    lead, contributor = crew.client_for(crew.lead), crew.client_for(crew.contributor)
    first = lead.post(here, {"title": "Contacts", "body": "Ring the office.", "version": 1})
    assert first.status_code == 302
    late = contributor.post(
        here, {"title": "Contacts", "body": "Email the team.", "after": "", "version": 1}
    )
    assert late.status_code == 409
    page = late.content.decode()
    assert "Ring the office." in page
    assert "Email the team." in page
    assert "Someone else saved this section" in page
    assert_kept_message(page, "section")
    section.refresh_from_db()
    assert (section.body, section.version) == ("Ring the office.", 2)
    assert AuditEvent.objects.filter(action="change", object_type="practice.Section").count() == 1


def test_a_section_is_deleted_at_its_version_only(crew: Crew) -> None:
    section = Section.objects.create(programme=crew.programme, key="contacts", title="Contacts")
    here = url("section", crew, section.pk)
    client = crew.client_for(crew.contributor)
    Section.objects.filter(pk=section.pk).update(version=2)
    stale = client.post(here, {"delete": "1", "version": 1}, follow=True)
    assert "Someone else changed this section" in stale.content.decode()
    assert Section.objects.filter(pk=section.pk).exists()
    done = client.post(here, {"delete": "1", "version": 2})
    assert done.status_code == 302
    assert not Section.objects.filter(pk=section.pk).exists()
    event = AuditEvent.objects.get(action="delete", object_type="practice.Section")
    assert event.before["title"] == "Contacts"


def test_a_section_of_another_programme_is_not_found(crew: Crew) -> None:
    theirs = Section.objects.create(programme=crew.other, key="theirs", title="Theirs")
    response = crew.client_for(crew.lead).get(url("section", crew, theirs.pk))
    assert response.status_code == 404


def test_a_section_is_not_offered_a_place_after_the_appendix(crew: Crew) -> None:
    page = crew.client_for(crew.contributor).get(url("sections", crew)).content.decode()
    assert "At the end, before the appendix" in page
    assert 'value="matrix-at-a-glance"' not in page
    assert 'value="about"' in page
    response = crew.client_for(crew.contributor).post(
        url("sections", crew),
        {"title": "Last of all", "body": "After the grid.", "after": "matrix-at-a-glance"},
    )
    assert response.status_code == 400
    assert not Section.objects.filter(programme=crew.programme).exists()
