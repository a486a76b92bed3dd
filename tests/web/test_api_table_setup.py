"""The API permission table for an evaluation's set-up: services, peer worker codes and
rounds (see ``api_table`` for the columns)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.api_table import ApiRow, api_row, run_row

pytestmark = pytest.mark.django_db

#                session: lead coord rater viewer facil peer outsider anon
#                token: lead coord rater viewer facil peer
#                scopes: lead-as-viewer other-evaluation revoked expired
TABLE = [
    api_row(
        "GET", "/api/v1/evaluations/{evaluation_id}/services",
        "ok ok ok ok 403 403 404 401", "ok ok ok ok 403 403", "ok 404 401 401",
        objects="evaluation_id=evaluation",
    ),
    api_row(
        "POST", "/api/v1/evaluations/{evaluation_id}/services",
        "ok 403 403 403 403 403 404 401", "ok 403 403 403 403 403", "403 404 401 401",
        body={"code": "TABLE", "name": "Added by the table"},
        objects="evaluation_id=evaluation",
    ),
    api_row(
        "GET", "/api/v1/evaluations/{evaluation_id}/peer-workers",
        "ok ok ok 403 403 403 404 401", "ok ok ok 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation",
    ),
    api_row(
        "POST", "/api/v1/evaluations/{evaluation_id}/peer-workers",
        "ok 403 403 403 403 403 404 401", "ok 403 403 403 403 403", "403 404 401 401",
        body={"code": "PW-TABLE", "service_id": 1},
        objects="evaluation_id=evaluation",
    ),
    api_row(
        "GET", "/api/v1/evaluations/{evaluation_id}/rounds",
        "ok ok ok ok 403 403 404 401", "ok ok ok ok 403 403", "ok 404 401 401",
        objects="evaluation_id=evaluation",
    ),
    api_row(
        "POST", "/api/v1/evaluations/{evaluation_id}/rounds",
        "ok 403 403 403 403 403 404 401", "ok 403 403 403 403 403", "403 404 401 401",
        body={"number": 9, "label": "Added by the table"},
        objects="evaluation_id=evaluation",
    ),
]  # fmt: skip


@pytest.fixture
def objects(team: Any) -> dict[str, Any]:
    return {"evaluation": team.evaluation.pk}


@pytest.mark.parametrize("row", TABLE, ids=[row.label for row in TABLE])
def test_who_may_call_each_route(team: Any, objects: dict[str, Any], row: ApiRow) -> None:
    run_row(team, objects, row)
