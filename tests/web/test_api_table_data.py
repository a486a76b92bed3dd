"""The API's permission table for the data routes: imports, results, exports and the audit
trail (see ``api_table`` for the columns)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.api_table import ApiRow, api_row, run_row

from peerprinciples.web.transfers import services as transfers

pytestmark = pytest.mark.django_db

E = "/api/v1/evaluations/{evaluation_id}"

#                session: lead coord rater viewer facil peer outsider anon
#                token: lead coord rater viewer facil peer
#                scopes: lead-as-viewer other-evaluation revoked expired
TABLE = [
    api_row(
        "GET", f"{E}/imports/",
        "ok ok 403 403 403 403 404 401", "ok ok 403 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation",
    ),
    # Sent without a file: those who may import are told what is missing (422), after the
    # check of who they are, so everyone else learns nothing of the route's rules.
    api_row(
        "POST", f"{E}/imports/",
        "ok ok 403 403 403 403 404 401", "ok ok 403 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation",
    ),
    # The coordinator's import: leads see every import, the coordinator their own.
    api_row(
        "GET", f"{E}/imports/{{batch_id}}",
        "ok ok 403 403 403 403 404 401", "ok ok 403 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation batch_id=batch",
    ),
    api_row(
        "GET", f"{E}/imports/{{batch_id}}/problems",
        "ok ok 403 403 403 403 404 401", "ok ok 403 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation batch_id=batch",
    ),
    api_row(
        "POST", f"{E}/imports/{{batch_id}}/commit",
        "ok ok 403 403 403 403 404 401", "ok ok 403 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation batch_id=batch",
    ),
    api_row(
        "GET", f"{E}/results/",
        "ok ok ok ok ok ok 404 401", "ok ok ok ok ok ok", "ok 404 401 401",
        objects="evaluation_id=evaluation",
    ),
    api_row(
        "GET", f"{E}/results/services/{{service_id}}",
        "ok ok ok ok ok ok 404 401", "ok ok ok ok ok ok", "ok 404 401 401",
        objects="evaluation_id=evaluation service_id=service_a", variant="service A",
    ),
    # Service B is not among the service-scoped members' services.
    api_row(
        "GET", f"{E}/results/services/{{service_id}}",
        "ok 403 403 ok 403 403 404 401", "ok 403 403 ok 403 403", "ok 404 401 401",
        objects="evaluation_id=evaluation service_id=service_b", variant="service B",
    ),
    api_row(
        "GET", f"{E}/results/peer-workers/{{peer_worker_id}}",
        "ok ok ok 403 403 403 404 401", "ok ok ok 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation peer_worker_id=worker_a",
    ),
    api_row(
        "GET", f"{E}/exports/{{kind}}",
        "ok ok ok 403 403 403 404 401", "ok ok ok 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation kind=codebook",
    ),
    api_row(
        "GET", f"{E}/exports/{{kind}}?include_notes=true",
        "ok 403 403 403 403 403 404 401", "ok 403 403 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation kind=codebook", variant="with notes",
    ),
    api_row(
        "GET", f"{E}/audit/",
        "ok 403 403 403 403 403 404 401", "ok 403 403 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation",
    ),
]  # fmt: skip


@pytest.fixture
def objects(team: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "imports"
    batch = transfers.upload(
        team.coordinator,
        team.evaluation,
        SimpleUploadedFile("ratings.csv", b"interview,item\nI-1,nothing\n"),
        name="ratings.csv",
    )
    return {
        "evaluation": team.evaluation.pk,
        "service_a": team.service_a.pk,
        "service_b": team.service_b.pk,
        "worker_a": team.worker_a.pk,
        "batch": batch.pk,
        "codebook": "codebook-csv",
    }


@pytest.mark.parametrize("row", TABLE, ids=[row.label for row in TABLE])
def test_who_may_call_each_route(team: Any, objects: dict[str, Any], row: ApiRow) -> None:
    run_row(team, objects, row)
