"""Importing REDCap records, FHIR QuestionnaireResponses and ODK / Kobo exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.core.interchange.fhir import FhirNames
from peerprinciples.core.interchange.redcap import record_layout
from peerprinciples.web.interviews.models import Interview, Rating
from peerprinciples.web.transfers.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _import_folder(settings: Any, tmp_path: Any) -> None:
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "imports"


def _import(team: Team, content: bytes, name: str, fmt: str) -> ImportBatch:
    client = team.client_for(team.lead)
    client.post(
        reverse("transfers:import", args=[team.evaluation.pk]),
        {"file": SimpleUploadedFile(name, content), "format": fmt},
    )
    batch = ImportBatch.objects.get()
    assert batch.status == "ready", batch.summary
    client.post(reverse("transfers:save", args=[team.evaluation.pk, batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "saved"
    return batch


def test_redcap_records_map_group_and_event_onto_service_and_round(team: Team) -> None:
    form = record_layout(team.instrument).form("peer_worker")
    header = ["record_id", "redcap_event_name", "redcap_data_access_group"]
    header += [str(form.interview), str(form.rater), str(form.date), *form.items]
    row = {
        "record_id": "PW-A1",
        "redcap_event_name": "baseline_arm_1",  # the round labelled Baseline
        "redcap_data_access_group": "a",  # REDCap writes groups in lower case
        str(form.interview): "R-1",
        str(form.rater): "rater",
        str(form.date): "2025-02-03",
        **dict.fromkeys(form.items, "3"),
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, header)
    writer.writeheader()
    writer.writerow(row)
    _import(team, out.getvalue().encode(), "records.csv", "redcap")
    interview = Interview.objects.get(code="R-1")
    assert (interview.service, interview.round) == (team.service_a, team.round)
    assert interview.peer_worker == team.worker_a
    assert interview.sheets.get().rater == team.rater
    assert Rating.objects.filter(sheet__interview=interview).count() == len(form.items)


def test_fhir_questionnaire_responses_are_imported(team: Team) -> None:
    names = FhirNames(team.instrument.key)
    scale = team.instrument.items[0].scale

    def answer(code: str) -> dict[str, Any]:
        system = names.codes_system if code.isalpha() else names.scale_system(scale)
        return {"valueCoding": {"system": system, "code": code}}

    meta = [
        {"linkId": "_meta.interview", "answer": [{"valueString": "F-1"}]},
        {
            "linkId": "_meta.informant",
            "answer": [{"valueCoding": {"system": names.informants_system, "code": "peer_worker"}}],
        },
        {"linkId": "_meta.rater", "answer": [{"valueString": "second_rater"}]},
        {"linkId": "_meta.service", "answer": [{"valueString": "A"}]},
        {"linkId": "_meta.round", "answer": [{"valueString": "1"}]},
    ]
    items = [
        {"linkId": f"peer_worker.{key}", "answer": [answer("NA" if key == "rel_4" else "4")]}
        for key in team.item_keys()
    ]
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{names.questionnaire}|{team.instrument.version}",
        "status": "completed",
        "item": [{"linkId": "_meta", "item": meta}, {"linkId": "peer_worker", "item": items}],
    }
    _import(team, json.dumps(resource).encode(), "responses.json", "fhir")
    interview = Interview.objects.get(code="F-1")
    assert interview.peer_worker is None
    assert interview.sheets.get().rater == team.second_rater
    assert Rating.objects.get(sheet__interview=interview, item="rel_4").code == "NA"


def test_an_odk_central_export_is_imported(team: Team) -> None:
    keys = team.item_keys()
    header = ["SubmissionDate", "interview", "informant", "rater", "service", "peer_worker"]
    header += ["round", "date", *[f"peer_worker_items-{key}" for key in keys], "KEY"]
    row = ["2025-03-02T10:00:00Z", "O-1", "peer_worker", "rater", "A", "PW-A1", "1"]
    row += ["2025-03-02", *["5"] * len(keys), "uuid:1"]
    content = ",".join(header) + "\n" + ",".join(row) + "\n"
    _import(team, content.encode(), "odk.csv", "xlsform")
    assert Interview.objects.get(code="O-1").status == "final"
