"""Importing a review from a file: check, preview, confirm; every problem listed; all or
nothing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from tests.web.coproduction_evidence_fixtures import (
    CODEBOOK_CSV,
    HOPE,
    SOURCES_CSV,
    Held,
    codebook_qdc,
    import_url,
    project_qde,
    project_qdpx,
    shared_data,
    upload,
    uploads_folder_fixture,  # noqa: F401 (the uploads_folder fixture)
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Code, Source
from peerprinciples.web.coproduction.views.evidence_transfer import SESSION_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_folder")]


def _check(client: Any, project: Any, *files: Any) -> Any:
    data: dict[str, Any] = {"step": "check", "file": files[0]}
    if len(files) > 1:
        data["sources_file"] = files[1]
    return client.post(import_url(project), data)


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no {name} in the page"
    return found.group(1)


def _confirm(client: Any, project: Any, page: str, **changes: str) -> Any:
    data = {
        "step": "confirm",
        "token": _hidden(page, "token"),
        "fingerprint": _hidden(page, "fingerprint"),
    }
    data.update(changes)
    return client.post(import_url(project), data)


def _cells(page: str, kind: str) -> list[str]:
    """The numbers of one kind's row in the preview's table."""
    row = re.search(rf"<th scope=\"row\">{kind}</th>(.*?)</tr>", page, re.S)
    assert row, f"no row for {kind}"
    return re.findall(r"<td>(\d+)</td>", row.group(1))


def test_the_page_offers_the_upload_and_the_downloads(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.research).get(import_url(panel.project))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    for layout in ("qdc", "codebook-csv", "sources-csv"):
        assert reverse("coproduction:evidence_export", args=[panel.project.pk, layout]) in page


def test_a_project_file_is_previewed_and_nothing_is_stored_yet(panel, uploads_folder: Path) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    response = _check(client, panel.project, upload("review.qdpx", project_qdpx()))
    assert response.status_code == 200
    page = response.content.decode()
    assert "REFI-QDA project (.qdpx)" in page
    assert _cells(page, "Sources") == ["3", "3", "0", "0", "0"]
    assert _cells(page, "Categories") == ["2", "2", "0", "0", "0"]
    assert _cells(page, "Codes") == ["5", "5", "0", "0", "0"]
    assert _cells(page, "Quotations") == ["4", "4", "0", "0", "0"]
    assert "Import: 14 items added or changed" in page
    assert Held.of(panel.project) == Held(0, 0, 0, 0)
    token = _hidden(page, "token")
    assert [p.name for p in uploads_folder.iterdir()] == [f"{token}-0.qdpx"]
    assert client.session[SESSION_KEY][token] == {
        "project": panel.project.pk,
        "names": ["review.qdpx"],
    }


def test_confirming_imports_everything_and_deletes_the_upload(panel, uploads_folder: Path) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload("review.qdpx", project_qdpx())).content.decode()
    response = _confirm(client, panel.project, page)
    assert response.status_code == 302
    assert response["Location"] == reverse("coproduction:evidence", args=[panel.project.pk])
    assert Held.of(panel.project) == Held(sources=3, categories=2, codes=5, quotations=4)
    assert list(uploads_folder.iterdir()) == []
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]
    event = AuditEvent.objects.get(object_type="coproduction.Project")
    assert event.summary.startswith("Imported evidence from review.qdpx")
    followed = client.get(response["Location"])
    assert "Added 3 sources, 2 categories, 5 codes, 4 quotations" in followed.content.decode()


def test_the_same_token_cannot_import_twice(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload("review.qdpx", project_qdpx())).content.decode()
    _confirm(client, panel.project, page)
    again = _confirm(client, panel.project, page)
    assert again.status_code == 302
    assert again["Location"] == import_url(panel.project)
    assert AuditEvent.objects.filter(object_type="coproduction.Project").count() == 1


def test_a_token_from_another_session_imports_nothing(panel) -> None:  # type: ignore[no-untyped-def]
    page = _check(
        panel.client_for(panel.research), panel.project, upload("review.qdpx", project_qdpx())
    ).content.decode()
    response = _confirm(panel.client_for(panel.facilitator), panel.project, page)
    assert response.status_code == 302
    assert Held.of(panel.project) == Held(0, 0, 0, 0)


def test_a_made_up_token_imports_nothing(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    response = client.post(
        import_url(panel.project),
        {"step": "confirm", "token": "../../etc/passwd", "fingerprint": "x"},
    )
    assert response.status_code == 302
    followed = client.get(response["Location"]).content.decode()
    assert "no longer kept" in followed


def test_cancelling_deletes_the_upload(panel, uploads_folder: Path) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload("review.qdpx", project_qdpx())).content.decode()
    response = client.post(
        import_url(panel.project), {"step": "cancel", "token": _hidden(page, "token")}
    )
    assert response.status_code == 302
    assert list(uploads_folder.iterdir()) == []
    assert Held.of(panel.project) == Held(0, 0, 0, 0)


def test_a_change_between_preview_and_import_shows_the_new_preview(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload("codebook.qdc", codebook_qdc())).content.decode()
    Code.objects.create(project=panel.project, key=HOPE, label="Hope, added meanwhile")
    response = _confirm(client, panel.project, page)
    assert response.status_code == 409
    again = response.content.decode()
    assert "The evidence changed after the file was checked" in again
    assert _cells(again, "Codes") == ["5", "4", "1", "0", "0"]
    assert Held.of(panel.project) == Held(0, 0, 1, 0)
    confirmed = _confirm(client, panel.project, again)
    assert confirmed.status_code == 302
    assert Code.objects.get(project=panel.project, key=HOPE).label == "Modelling hope"


def test_the_csv_layout_comes_in_two_files(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(
        client,
        panel.project,
        upload("codebook.csv", CODEBOOK_CSV),
        upload("sources.csv", SOURCES_CSV),
    ).content.decode()
    assert "CSV layout: codebook and coded sources" in page
    assert _cells(page, "Sources") == ["3", "3", "0", "0", "0"]
    _confirm(client, panel.project, page)
    assert Held.of(panel.project) == Held(sources=3, categories=2, codes=4, quotations=3)
    grey = Source.objects.get(project=panel.project, key="S02")
    assert (grey.kind, grey.year) == ("grey", 2016)


def test_a_csv_codebook_alone_brings_categories_and_codes(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload("codebook.csv", CODEBOOK_CSV)).content.decode()
    assert "CSV layout: codebook only" in page
    _confirm(client, panel.project, page)
    assert Held.of(panel.project) == Held(sources=0, categories=2, codes=4, quotations=0)


def test_importing_what_is_held_offers_nothing_to_confirm(panel, uploads_folder: Path) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload("codebook.qdc", codebook_qdc())).content.decode()
    _confirm(client, panel.project, page)
    again = _check(client, panel.project, upload("codebook.qdc", codebook_qdc()))
    text = again.content.decode()
    assert "Nothing to import" in text
    assert 'name="token"' not in text
    assert list(uploads_folder.iterdir()) == []


def test_keys_from_another_layout_are_pointed_out(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload("codebook.qdc", codebook_qdc())).content.decode()
    _confirm(client, panel.project, page)
    csv_page = _check(client, panel.project, upload("codebook.csv", CODEBOOK_CSV)).content.decode()
    assert "would add every item a second time" in csv_page


# --- broken files ----------------------------------------------------------------------------


def _problems(page: str) -> list[list[str]]:
    table = page.split('id="problems"', 1)[1]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table, re.S)
    return [list(row) for row in rows]


def test_a_broken_codebook_lists_its_problems(panel, uploads_folder: Path) -> None:  # type: ignore[no-untyped-def]
    broken = codebook_qdc().replace(b"</Codes>", b"</Code>")
    response = _check(panel.client_for(panel.research), panel.project, upload("broken.qdc", broken))
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Problems in the file" in page
    assert "Nothing was imported" in page
    problems = _problems(page)
    assert problems
    assert all(where.startswith("broken.qdc") for where, _, _ in problems)
    assert "line" in problems[0][0]
    assert Held.of(panel.project) == Held(0, 0, 0, 0)
    assert list(uploads_folder.iterdir()) == []


def test_a_project_with_a_coding_of_no_code_stores_nothing(panel) -> None:  # type: ignore[no-untyped-def]
    qde = project_qde().replace(
        b'targetGUID="0B7C1B2E-1111-4C1D-9E10-000000000005"',
        b'targetGUID="0B7C1B2E-1111-4C1D-9E10-0000000000FF"',
    )
    response = _check(
        panel.client_for(panel.research), panel.project, upload("bad.qdpx", project_qdpx(qde))
    )
    assert response.status_code == 400
    problems = _problems(response.content.decode())
    assert len(problems) == 2  # both codings of the missing code, each at its own place
    assert Held.of(panel.project) == Held(0, 0, 0, 0)


def test_every_problem_of_the_csv_layout_is_listed_by_row_and_column(panel) -> None:  # type: ignore[no-untyped-def]
    sources = SOURCES_CSV.replace("2016,grey", "20x6,greyish").replace(
        "Choice and control", "Choise and control"
    )
    response = _check(
        panel.client_for(panel.research),
        panel.project,
        upload("codebook.csv", CODEBOOK_CSV),
        upload("sources.csv", sources),
    )
    assert response.status_code == 400
    wheres = [where for where, _, _ in _problems(response.content.decode())]
    assert "sources.csv, row 4, column F (code)" in wheres
    assert any("column C (year)" in where for where in wheres)
    assert any("column D (kind)" in where for where in wheres)
    assert "Did you mean" in response.content.decode()
    assert Held.of(panel.project) == Held(0, 0, 0, 0)


def test_a_file_of_another_kind_is_refused_with_the_fix(panel) -> None:  # type: ignore[no-untyped-def]
    response = _check(
        panel.client_for(panel.research), panel.project, upload("review.docx", b"PK\x03\x04")
    )
    assert response.status_code == 400
    ((where, what, fix),) = _problems(response.content.decode())
    assert where == "review.docx"
    assert "not a file the review can be imported from" in what
    assert ".qdpx" in fix


def test_a_sources_file_does_not_go_with_a_qda_project(panel) -> None:  # type: ignore[no-untyped-def]
    response = _check(
        panel.client_for(panel.research),
        panel.project,
        upload("review.qdpx", project_qdpx()),
        upload("sources.csv", SOURCES_CSV),
    )
    assert response.status_code == 400
    ((where, what, _),) = _problems(response.content.decode())
    assert where == "sources.csv"
    assert "goes only with a codebook in the CSV layout" in what


def test_a_zip_that_is_not_a_project_is_named(panel) -> None:  # type: ignore[no-untyped-def]
    response = _check(panel.client_for(panel.research), panel.project, upload("x.qdpx", b"nope"))
    assert response.status_code == 400
    ((where, what, _),) = _problems(response.content.decode())
    assert where == "x.qdpx"
    assert "not a zip archive" in what


def test_no_file_chosen_is_said_beside_the_field(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.research).post(import_url(panel.project), {"step": "check"})
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()


def test_a_panel_member_may_not_import(panel) -> None:  # type: ignore[no-untyped-def]
    response = _check(
        panel.client_for(panel.panel), panel.project, upload("review.qdpx", project_qdpx())
    )
    assert response.status_code == 403
    assert Held.of(panel.project) == Held(0, 0, 0, 0)


# --- real exports of QDA packages -------------------------------------------------------------


def test_a_maxqda_literature_review_project_imports(panel) -> None:  # type: ignore[no-untyped-def]
    path = shared_data("refi-qda", "maxqda24_learning-sciences-themes-10-papers.qdpx")
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload(path.name, path.read_bytes())).content.decode()
    assert _cells(page, "Sources")[:2] == ["10", "10"]
    assert _cells(page, "Categories")[:2] == ["18", "18"]
    assert _cells(page, "Codes")[:2] == ["289", "289"]
    _confirm(client, panel.project, page)
    assert Held.of(panel.project) == Held(sources=10, categories=18, codes=289, quotations=0)
    summary = client.get(reverse("coproduction:evidence", args=[panel.project.pk]))
    assert summary.status_code == 200


def test_an_atlas_ti_project_imports(panel) -> None:  # type: ignore[no-untyped-def]
    path = shared_data("refi-qda", "atlasti_target-atlas-project.qdpx")
    client = panel.client_for(panel.research)
    page = _check(client, panel.project, upload(path.name, path.read_bytes())).content.decode()
    _confirm(client, panel.project, page)
    assert Held.of(panel.project) == Held(sources=0, categories=1, codes=2, quotations=0)
    codebook = client.get(reverse("coproduction:codebook", args=[panel.project.pk]))
    assert "Commits" in codebook.content.decode()


def test_a_source_whose_key_is_taken_by_another_reference_is_shown_before_and_after(panel) -> None:  # type: ignore[no-untyped-def]
    # A project with its own S01 gets a file whose S01 is another paper: the preview must
    # show which reference would be replaced, and say how to keep both.
    Source.objects.create(project=panel.project, key="S01", citation="Our own first source")
    client = panel.client_for(panel.research)
    response = _check(
        client,
        panel.project,
        upload("codebook.csv", CODEBOOK_CSV),
        upload("sources.csv", SOURCES_CSV),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert _cells(page, "Sources")[:3] == ["3", "2", "1"]
    assert "Importing would give 1 source this project has already another reference" in page
    assert "Our own first source →" in page
    assert "give the file’s sources keys of their own" in page
    assert "“sharing their story built trust”" in page  # a quotation by its words, not its key
    assert Source.objects.get(project=panel.project, key="S01").citation == "Our own first source"


def test_a_source_whose_details_change_under_the_same_reference_gets_no_warning(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _check(
        client,
        panel.project,
        upload("codebook.csv", CODEBOOK_CSV),
        upload("sources.csv", SOURCES_CSV),
    ).content.decode()
    _confirm(client, panel.project, page)
    Source.objects.filter(project=panel.project, key="S01").update(year=2001)
    page = _check(
        client,
        panel.project,
        upload("codebook.csv", CODEBOOK_CSV),
        upload("sources.csv", SOURCES_CSV),
    ).content.decode()
    assert _cells(page, "Sources")[:3] == ["3", "0", "1"]
    assert "another reference" not in page
