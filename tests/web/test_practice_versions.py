"""Numbered versions of a matrix: taking them, listing them, and comparing two cell by cell."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import AREA, PRINCIPLE, Crew, crew
from tests.web.practice_versions_fixtures import write_cell

from peerprinciples.core.practice.matrix import Matrix
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import DomainError
from peerprinciples.web.practice.models import Snapshot
from peerprinciples.web.practice.services import versions as services

pytestmark = pytest.mark.django_db

__all__ = ["crew"]


def _versions(crew: Crew) -> str:
    return reverse("practice:versions", args=[crew.programme.pk])


def _compare(crew: Crew) -> str:
    return reverse("practice:compare_versions", args=[crew.programme.pk])


def test_the_lead_takes_numbered_versions_that_keep_the_matrix_as_it_was(crew: Crew) -> None:
    write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text="We learn from each other.")
    client = crew.client_for(crew.lead)
    response = client.post(_versions(crew), {"note": "First handbook"}, follow=True)
    assert "Version 1 of the matrix is kept, following enrich@2017." in response.content.decode()
    write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text="We learn together.")
    client.post(_versions(crew), {"note": ""})
    first, second = Snapshot.objects.filter(programme=crew.programme).order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.note == "First handbook"
    assert first.framework == crew.framework
    kept = Matrix.model_validate(first.document)
    assert kept.version == 1
    cell = kept.cell(AREA, PRINCIPLE)
    assert cell is not None
    assert cell.text == "We learn from each other."
    assert AuditEvent.objects.filter(object_type="practice.Snapshot").count() == 2


def test_a_note_too_long_is_refused_and_nothing_is_kept(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(_versions(crew), {"note": "x" * 2001})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not Snapshot.objects.exists()
    with pytest.raises(DomainError, match="keep it to 2000"):
        services.take_version(crew.lead, crew.programme, note="y" * 2001)


def test_numbers_are_never_reused_after_a_clash(crew: Crew) -> None:
    """A lead who opened the page before another version was taken gets the next number,
    not the same one (the version taken at the same moment is in the concurrency tests)."""
    services.take_version(crew.lead, crew.programme)
    services.take_version(crew.lead, crew.programme)
    assert list(
        Snapshot.objects.filter(programme=crew.programme).values_list("number", flat=True)
    ) == [2, 1]
    assert services.take_version(crew.lead, crew.other).number == 1


def test_only_the_lead_sees_who_took_a_version(crew: Crew) -> None:
    services.take_version(crew.lead, crew.programme, note="For the new team")
    as_lead = crew.client_for(crew.lead).get(_versions(crew)).content.decode()
    as_reader = crew.client_for(crew.reader).get(_versions(crew)).content.decode()
    assert "<td>lena</td>" in as_lead
    assert "the programme lead" in as_reader
    assert "lena" not in as_reader.split("<main", 1)[1]
    assert "For the new team" in as_reader
    assert "Take the next version" in as_lead
    assert "Take the next version" not in as_reader


def test_two_versions_compared_cell_by_cell_with_the_words_changed(crew: Crew) -> None:
    write_cell(crew.lead, crew.programme, AREA, PRINCIPLE, text="Peers share power.")
    services.take_version(crew.lead, crew.programme)
    write_cell(
        crew.contributor,
        crew.programme,
        AREA,
        PRINCIPLE,
        text="Peers share some power.",
        status="partly",
    )
    write_cell(crew.contributor, crew.programme, "recruitment", "relationships", text="New.")
    response = crew.client_for(crew.reader).get(_compare(crew), {"a": "1", "b": "0"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 1 compared with the matrix as it is now" in page
    assert "[put in: </span>some " in page
    assert "Partly in place" in page
    assert "Written for the first time" in page
    assert page.index("Recruitment") < page.index("Supervision")
    comparison = services.compare_versions(crew.programme, 1, 0)
    assert [(c.area, c.principle, c.kind) for c in comparison.cells] == [
        ("recruitment", "relationships", "added"),
        (AREA, PRINCIPLE, "changed"),
    ]


def test_the_same_version_twice_says_nothing_differs(crew: Crew) -> None:
    services.take_version(crew.lead, crew.programme)
    response = crew.client_for(crew.reader).get(_compare(crew), {"a": "1", "b": "1"})
    assert "Nothing differs between the two." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({}, "Choose the version to compare as &#x27;a&#x27;"),
        ({"a": "1"}, "Choose the version to compare as &#x27;b&#x27;"),
        ({"a": "one", "b": "0"}, "&#x27;one&#x27; is not a version number (a)"),
        ({"a": "0", "b": "-2"}, "Version numbers start at 0"),
        (
            {"a": "7", "b": "0"},
            "There is no version 7 of this matrix: the numbered versions are 1.",
        ),
    ],
)
def test_bad_or_missing_version_numbers_get_a_clear_message(
    crew: Crew, query: dict[str, str], says: str
) -> None:
    services.take_version(crew.lead, crew.programme)
    response = crew.client_for(crew.reader).get(_compare(crew), query)
    assert response.status_code == 400
    assert says in response.content.decode()


def test_a_version_of_another_programme_cannot_be_compared(crew: Crew) -> None:
    services.take_version(crew.outsider, crew.other)
    response = crew.client_for(crew.lead).get(_compare(crew), {"a": "1", "b": "0"})
    assert response.status_code == 400
    assert "no numbered version has been taken yet" in response.content.decode()
