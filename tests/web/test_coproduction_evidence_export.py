"""Downloading the review: the codebook for a QDA package, and both files of the CSV layout,
each read back by the core to what the project holds."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.coproduction_evidence_fixtures import project_qdpx

from peerprinciples.core.coproduction import evidence_csv, refiqda
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.services.evidence import project_evidence, store_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(panel):  # type: ignore[no-untyped-def]
    store_evidence(
        panel.research, panel.project, refiqda.read_qdpx(project_qdpx()), file_name="r.qdpx"
    )
    return panel


def _download(panel, layout: str, user=None):  # type: ignore[no-untyped-def]
    url = reverse("coproduction:evidence_export", args=[panel.project.pk, layout])
    return panel.client_for(user or panel.research).get(url)


def test_the_codebook_goes_back_to_a_qda_package(reviewed) -> None:  # type: ignore[no-untyped-def]
    response = _download(reviewed, "qdc")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert response["Content-Disposition"] == 'attachment; filename="codebook.qdc"'
    back = refiqda.read_qdc(response.content)
    held = project_evidence(reviewed.project)
    assert sorted(back.codes, key=lambda c: c.key) == list(held.codes)
    assert sorted(back.categories, key=lambda c: c.key) == list(held.categories)


def test_the_csv_layout_reads_back_to_the_same_numbers(reviewed) -> None:  # type: ignore[no-untyped-def]
    codebook = _download(reviewed, "codebook-csv")
    sources = _download(reviewed, "sources-csv")
    assert codebook["Content-Type"] == "text/csv; charset=utf-8"
    assert codebook.content.startswith(b"\xef\xbb\xbf")
    back = evidence_csv.read_evidence_csv(codebook.content, sources.content)
    held = project_evidence(reviewed.project)
    assert sorted(s.citation for s in back.sources) == sorted(s.citation for s in held.sources)
    assert sorted(c.label for c in back.codes) == sorted(c.label for c in held.codes)
    assert sum(len(q.codes) for q in back.quotations) == sum(len(q.codes) for q in held.quotations)


def test_a_download_is_recorded(reviewed) -> None:  # type: ignore[no-untyped-def]
    _download(reviewed, "sources-csv")
    event = AuditEvent.objects.get(action="export")
    assert event.summary == "Downloaded the review's sources.csv"
    assert event.user == reviewed.research


def test_an_unknown_layout_is_not_found(reviewed) -> None:  # type: ignore[no-untyped-def]
    assert _download(reviewed, "xlsx").status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_codebook_without_codes_says_why_there_is_nothing(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    response = client.get(reverse("coproduction:evidence_export", args=[panel.project.pk, "qdc"]))
    assert response.status_code == 302
    followed = client.get(response["Location"]).content.decode()
    assert "add codes before exporting the codebook" in followed
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_panel_member_may_not_download_the_files(reviewed) -> None:  # type: ignore[no-untyped-def]
    assert _download(reviewed, "qdc", reviewed.panel).status_code == 403
