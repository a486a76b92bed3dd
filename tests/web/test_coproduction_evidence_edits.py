"""Adding and changing sources, categories and codes by hand, without losing anyone's change."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web.coproduction_evidence_fixtures import CHOICE, SHARED, TRAINING, project_qdpx

from peerprinciples.core.coproduction import refiqda
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Category, Code, Source
from peerprinciples.web.coproduction.services.evidence import store_evidence
from peerprinciples.web.coproduction.services.evidence_items import edit_code, next_source_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(panel):  # type: ignore[no-untyped-def]
    store_evidence(
        panel.research, panel.project, refiqda.read_qdpx(project_qdpx()), file_name="r.qdpx"
    )
    return panel


def _url(name: str, panel, *more: int) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *more])


def _source_post(**changes: str) -> dict[str, str]:
    data = {
        "source-citation": "Example E. (2012) Peer support at night. Example Journal 4.",
        "source-kind": "peer_reviewed",
        "source-year": "2012",
        "source-doi": "https://doi.org/10.9999/example.2012.4",
        "source-key": "",
    }
    data.update(changes)
    return data


# --- sources ----------------------------------------------------------------------------------


def test_the_research_team_adds_a_source(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.research).post(_url("sources", panel), _source_post())
    assert response.status_code == 302
    source = Source.objects.get(project=panel.project)
    assert (source.key, source.year, source.doi) == ("S1", 2012, "10.9999/example.2012.4")
    event = AuditEvent.objects.get(object_type="coproduction.Source")
    assert (event.action, event.summary) == ("create", "Added source S1")


def test_a_source_key_is_the_first_free_number(panel) -> None:  # type: ignore[no-untyped-def]
    for key in ("S1", "S3"):
        Source.objects.create(project=panel.project, key=key, citation=key)
    assert next_source_key(panel.project) == "S2"
    Source.objects.create(project=panel.project, key="S2", citation="S2")
    assert next_source_key(panel.project) == "S4"


def test_a_bad_doi_and_year_are_said_beside_their_fields(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.research).post(
        _url("sources", panel), _source_post(**{"source-doi": "not a doi", "source-year": "1200"})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_source-doi_error"' in page
    assert "A DOI starts with 10." in page
    assert 'id="id_source-year_error"' in page
    assert not Source.objects.exists()


def test_a_doi_too_long_to_keep_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    doi = "10.9999/" + "x" * 200
    response = panel.client_for(panel.research).post(
        _url("sources", panel), _source_post(**{"source-doi": doi})
    )
    assert response.status_code == 400
    assert "A DOI of more than 200 characters cannot be kept." in response.content.decode()
    assert not Source.objects.exists()


def test_a_key_already_used_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    Source.objects.create(project=panel.project, key="A1", citation="Example A.")
    response = panel.client_for(panel.research).post(
        _url("sources", panel), _source_post(**{"source-key": "A1"})
    )
    assert response.status_code == 400
    assert "Another source of this project has the key" in response.content.decode()
    assert Source.objects.count() == 1


def test_the_list_shows_kind_year_doi_and_quotations(reviewed) -> None:  # type: ignore[no-untyped-def]
    page = reviewed.client_for(reviewed.panel).get(_url("sources", reviewed)).content.decode()
    assert "Grey literature" in page
    assert 'href="https://doi.org/10.9999/example.2009.1"' in page
    assert "<caption" in page
    assert 'id="add-source"' not in page  # a panel member reads, never edits


def test_a_panel_member_may_not_add_a_source(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.panel).post(_url("sources", panel), _source_post())
    assert response.status_code == 403
    assert not Source.objects.exists()


def _edit_source(panel, source: Source, **changes: str):  # type: ignore[no-untyped-def]
    data = {
        "citation": source.citation,
        "kind": source.kind,
        "year": str(source.year or ""),
        "doi": source.doi,
        "version": str(source.version),
    }
    data.update(changes)
    return panel.client_for(panel.research).post(_url("source", panel, source.pk), data)


def test_a_source_is_changed_and_audited_with_what_it_was(reviewed) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.get(project=reviewed.project, year=2014)
    response = _edit_source(reviewed, source, kind="grey", year="2015")
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.kind, source.year, source.version) == ("grey", 2015, 2)
    event = AuditEvent.objects.get(object_type="coproduction.Source", action="change")
    assert event.before["year"] == 2014
    assert event.after["year"] == 2015


def test_a_stale_source_form_is_refused_and_shows_both(reviewed) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.get(project=reviewed.project, year=2014)
    _edit_source(reviewed, source, citation="Example B. (2014) Their words.")
    response = _edit_source(reviewed, source, citation="Example B. (2014) My words.")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this source after you opened it" in page
    assert "Their words." in page
    assert "My words.</textarea>" in page
    assert 'name="version" value="2"' in page
    source.refresh_from_db()
    assert source.citation == "Example B. (2014) Their words."


def test_a_source_page_lists_its_quotations_with_their_codes(reviewed) -> None:  # type: ignore[no-untyped-def]
    source = Source.objects.get(project=reviewed.project, year=2009)
    page = reviewed.client_for(reviewed.panel).get(_url("source", reviewed, source.pk))
    text = page.content.decode()
    assert "sharing their story built trust" in text
    assert "Modelling hope" in text
    assert "<form" not in text.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_source_of_another_project_is_not_found(reviewed, make_user) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.models import Project

    other = Project.objects.create(name="Other", framing_question="?", created_by=make_user("o"))
    elsewhere = Source.objects.create(project=other, key="X", citation="Elsewhere")
    response = reviewed.client_for(reviewed.research).get(_url("source", reviewed, elsewhere.pk))
    assert response.status_code == 404


# --- the codebook -----------------------------------------------------------------------------


def test_the_codebook_shows_categories_with_codes_and_definitions(reviewed) -> None:  # type: ignore[no-untyped-def]
    page = reviewed.client_for(reviewed.panel).get(_url("codebook", reviewed)).content.decode()
    trust = page.split(">Relationships built on trust</h2>", 1)[1].split("</section>", 1)[0]
    assert "Shared experience" in trust
    assert "A worker draws on having lived through something alike." in trust
    assert "Codes without a category" in page
    assert 'id="add-code"' not in page


def test_a_category_and_a_code_in_it_are_added(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.facilitator)
    added = client.post(
        _url("codebook", panel),
        {"adding": "category", "category-label": "Belonging", "category-description": ""},
    )
    assert added.status_code == 302
    category = Category.objects.get(project=panel.project)
    assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", category.key)
    client.post(
        _url("codebook", panel),
        {
            "adding": "code",
            "code-label": "Feeling welcome",
            "code-definition": "Someone says they were made welcome.",
            "code-category": str(category.pk),
            "code-key": "welcome",
        },
    )
    code = Code.objects.get(project=panel.project)
    assert (code.key, code.category) == ("welcome", category)


def test_a_code_without_a_name_is_refused_and_the_other_form_stays_empty(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.research).post(
        _url("codebook", panel), {"adding": "code", "code-label": " "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_code-label_error"' in page
    assert 'id="id_category-label_error"' not in page
    assert not Code.objects.exists()


def test_a_code_may_not_go_in_another_projects_category(panel, make_user) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.models import Project

    other = Project.objects.create(name="Other", framing_question="?", created_by=make_user("o"))
    theirs = Category.objects.create(project=other, key="T", label="Theirs")
    response = panel.client_for(panel.research).post(
        _url("codebook", panel),
        {"adding": "code", "code-label": "Mine", "code-category": str(theirs.pk)},
    )
    assert response.status_code == 400
    assert not Code.objects.exists()


def test_a_category_is_renamed_and_a_stale_rename_refused(reviewed) -> None:  # type: ignore[no-untyped-def]
    category = Category.objects.get(project=reviewed.project, label="Sharing power")
    client = reviewed.client_for(reviewed.research)
    url = _url("category", reviewed, category.pk)
    first = client.post(url, {"label": "Power shared", "description": "", "version": "1"})
    assert first.status_code == 302
    second = client.post(url, {"label": "Power held", "description": "", "version": "1"})
    assert second.status_code == 409
    category.refresh_from_db()
    assert (category.label, category.version) == ("Power shared", 2)


def test_a_code_page_shows_its_quotations_with_their_sources(reviewed) -> None:  # type: ignore[no-untyped-def]
    code = Code.objects.get(project=reviewed.project, key=CHOICE)
    page = reviewed.client_for(reviewed.panel).get(_url("code", reviewed, code.pk))
    text = page.content.decode()
    assert "People chose what support" in text
    assert "training alongside staff" in text
    assert "Example Peer Group C. (2016)" in text
    assert "2 quotations given this code" in text


def test_moving_a_code_to_another_category(reviewed) -> None:  # type: ignore[no-untyped-def]
    code = Code.objects.get(project=reviewed.project, key=SHARED)
    power = Category.objects.get(project=reviewed.project, label="Sharing power")
    response = reviewed.client_for(reviewed.research).post(
        _url("code", reviewed, code.pk),
        {
            "label": code.label,
            "definition": code.definition,
            "category": str(power.pk),
            "version": "1",
        },
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.category, code.version) == (power, 2)


def test_a_code_moved_away_leaves_the_code_above_and_below_it(reviewed) -> None:  # type: ignore[no-untyped-def]
    training = Code.objects.get(project=reviewed.project, key=TRAINING)
    child = Code.objects.create(
        project=reviewed.project,
        key="CHILD",
        label="Peer training",
        category=training.category,
        parent=training,
    )
    edit_code(
        reviewed.research,
        training,
        label=training.label,
        definition="",
        category=None,
        expected_version=1,
    )
    child.refresh_from_db()
    assert (child.parent, child.version) == (None, 2)


def test_a_stale_code_form_keeps_what_was_typed(reviewed) -> None:  # type: ignore[no-untyped-def]
    code = Code.objects.get(project=reviewed.project, key=SHARED)
    client = reviewed.client_for(reviewed.research)
    url = _url("code", reviewed, code.pk)
    client.post(url, {"label": "Theirs", "definition": "", "category": "", "version": "1"})
    response = client.post(
        url, {"label": "Mine", "definition": "My words", "category": "", "version": "1"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="Mine"' in page
    assert "My words</textarea>" in page
    assert Code.objects.get(pk=code.pk).label == "Theirs"
