"""Downloading an evaluation's data: every format reads back, with labels and within rights."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest
from django.test import Client
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.core.ratings import read_ratings
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.interviews.models import InterviewScore, RatingSheet

pytestmark = pytest.mark.django_db

NOTE = "Spoke warmly of the team's lived experience."


@pytest.fixture
def rated(team: Team) -> Team:
    """A final interview in each service; the one in service A has a note."""
    keys = team.item_keys()
    in_a = team.interview("I-A1")
    team.rate(in_a, team.rater, {**dict.fromkeys(keys, "4"), keys[1]: "NA"})
    RatingSheet.objects.filter(interview=in_a).update(notes=NOTE)
    in_b = team.interview("I-B1", service=team.service_b, worker=team.worker_b)
    team.rate(in_b, team.lead, dict.fromkeys(keys, "2"))
    team.interview("I-A2")  # not rated: not exported
    return team


def download(client: Client, team: Team, kind: str, **extra: str) -> Any:
    return client.post(
        reverse("transfers:export", args=[team.evaluation.pk]), {"kind": kind, **extra}
    )


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def saved(response: Any, folder: Path) -> Path:
    name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
    path = folder / name
    path.write_bytes(body(response))
    return path


def test_the_long_and_wide_ratings_read_back_as_ratings_tables(rated: Team, tmp_path: Path) -> None:
    client = rated.client_for(rated.lead)
    for kind in ("long", "wide"):
        response = download(client, rated, kind)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv"
        name = response["Content-Disposition"]
        assert "attachment" in name
        assert "fidelity-review-2025-" in name
        assert f"-ratings-{kind}.csv" in name
        table = read_ratings(saved(response, tmp_path), rated.instrument)
        assert table.layout == kind
        assert table.n_interviews == 2
        assert set(table.data["service"].astype(str)) == {"A", "B"}
        assert set(table.data["rater"].astype(str)) == {"rater", "lead"}
        assert "notes" not in pd.read_csv(tmp_path / name.split('filename="')[1][:-1]).columns


def test_the_scores_and_the_workbook_download(rated: Team, tmp_path: Path) -> None:
    client = rated.client_for(rated.lead)
    scores = pd.read_csv(saved(download(client, rated, "scores"), tmp_path))
    assert sorted(scores["interview"]) == ["I-A1", "I-B1"]
    cached = InterviewScore.objects.get(interview__code="I-B1").total
    assert scores.set_index("interview").loc["I-B1", "total"] == pytest.approx(cached)

    from openpyxl import load_workbook

    book = load_workbook(saved(download(client, rated, "xlsx"), tmp_path), read_only=True)
    assert book.sheetnames == ["ratings long", "ratings wide", "scores", "codebook"]


@pytest.mark.parametrize(("kind", "reader"), [("sav", "read_sav"), ("dta", "read_dta")])
def test_spss_and_stata_files_carry_variable_and_value_labels(
    rated: Team, tmp_path: Path, kind: str, reader: str
) -> None:
    response = download(rated.client_for(rated.lead), rated, kind)
    assert response.status_code == 200
    frame, meta = getattr(pyreadstat, reader)(str(saved(response, tmp_path)))
    assert sorted(frame["interview"]) == ["I-A1", "I-B1"]
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    first = rated.item_keys()[0]
    assert labels[first]  # the item's question
    value_labels = meta.value_labels[meta.variable_to_label[first]]
    assert value_labels[1.0]
    assert value_labels[5.0]
    assert "notes" not in frame.columns


def test_the_codebook_and_the_zip_of_everything(rated: Team) -> None:
    client = rated.client_for(rated.lead)
    html = body(download(client, rated, "codebook-html")).decode()
    assert rated.item_keys()[0] in html
    archive = zipfile.ZipFile(io.BytesIO(body(download(client, rated, "zip"))))
    assert {"ratings-long.csv", "evaluation.sav", "evaluation.dta", "codebook.csv"} <= set(
        archive.namelist()
    )


def test_notes_are_exported_only_for_a_lead_who_asks(rated: Team, tmp_path: Path) -> None:
    client = rated.client_for(rated.lead)
    frame = pd.read_csv(saved(download(client, rated, "long", include_notes="on"), tmp_path))
    assert set(frame.loc[frame["interview"] == "I-A1", "notes"]) == {NOTE}
    event = AuditEvent.objects.filter(evaluation_id=rated.evaluation.pk, action="export").first()
    assert event is not None
    assert event.user == rated.lead
    assert "with raters' notes" in event.summary
    assert event.after["notes"] is True

    frame, _ = pyreadstat.read_sav(
        str(saved(download(client, rated, "sav", include_notes="on"), tmp_path))
    )
    assert NOTE in set(frame["notes"])


def test_a_coordinator_exports_their_services_without_notes(rated: Team, tmp_path: Path) -> None:
    client = rated.client_for(rated.coordinator)
    page = client.get(reverse("transfers:export", args=[rated.evaluation.pk])).content.decode()
    assert "include_notes" not in page
    assert "only the evaluation's leads" in page
    table = read_ratings(saved(download(client, rated, "long"), tmp_path), rated.instrument)
    assert set(table.data["service"].astype(str)) == {"A"}
    event = AuditEvent.objects.get(evaluation_id=rated.evaluation.pk, action="export")
    assert "without notes" in event.summary
    assert event.after["services"] == ["A"]

    response = download(client, rated, "long", include_notes="on")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_a_rater_may_export_their_services(rated: Team, tmp_path: Path) -> None:
    response = download(rated.client_for(rated.rater), rated, "wide")
    table = read_ratings(saved(response, tmp_path), rated.instrument)
    assert set(table.data["interview"].astype(str)) == {"I-A1"}


def test_viewers_get_no_row_level_export_and_outsiders_no_evaluation(rated: Team) -> None:
    url = reverse("transfers:export", args=[rated.evaluation.pk])
    viewer = rated.client_for(rated.viewer)
    assert viewer.get(url).status_code == 403
    assert download(viewer, rated, "long").status_code == 403
    outsider = rated.client_for(rated.outsider)
    assert outsider.get(url).status_code == 404
    assert download(outsider, rated, "long").status_code == 404
    assert Client().get(url).status_code == 302
    assert not AuditEvent.objects.filter(action="export").exists()


def test_with_nothing_final_the_page_says_so(team: Team) -> None:
    response = download(team.client_for(team.lead), team, "long")
    assert response.status_code == 400
    assert "no final interviews to export yet" in response.content.decode()
    assert download(team.client_for(team.lead), team, "codebook-csv").status_code == 200
