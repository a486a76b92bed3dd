"""The API permission table for interviews and rating sheets (see ``api_table`` for the
columns). The interviews are in service A, which the coordinator and the raters cover; the
sheet is the rater's, final, so that everyone who may list interviews may open it."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.api_table import ApiRow, api_row, run_row

pytestmark = pytest.mark.django_db

INTERVIEW = "evaluation_id=evaluation interview_id=interview"
SHEET = "evaluation_id=evaluation interview_id=rated sheet_id=sheet"

#                session: lead coord rater viewer facil peer outsider anon
#                token: lead coord rater viewer facil peer
#                scopes: lead-as-viewer other-evaluation revoked expired
TABLE = [
    api_row(
        "GET", "/api/v1/evaluations/{evaluation_id}/interviews/",
        "ok ok ok 403 403 403 404 401", "ok ok ok 403 403 403", "403 404 401 401",
        objects="evaluation_id=evaluation",
    ),
    api_row(
        "POST", "/api/v1/evaluations/{evaluation_id}/interviews/",
        "ok ok ok 403 403 403 404 401", "ok ok ok 403 403 403", "403 404 401 401",
        body={"service_id": 1, "round_id": 1, "informant": "peer_worker", "code": "I-TABLE"},
        objects="evaluation_id=evaluation",
    ),
    api_row(
        "GET", "/api/v1/evaluations/{evaluation_id}/interviews/{interview_id}",
        "ok ok ok 403 403 403 404 401", "ok ok ok 403 403 403", "403 404 401 401",
        objects=INTERVIEW,
    ),
    api_row(
        "GET", "/api/v1/evaluations/{evaluation_id}/interviews/{interview_id}/sheet",
        "ok 403 ok 403 403 403 404 401", "ok 403 ok 403 403 403", "403 404 401 401",
        objects=INTERVIEW,
    ),
    api_row(
        "PUT", "/api/v1/evaluations/{evaluation_id}/interviews/{interview_id}/sheet",
        "ok 403 ok 403 403 403 404 401", "ok 403 ok 403 403 403", "403 404 401 401",
        body={"version": None, "answers": {"rel_1": 3}},
        objects=INTERVIEW,
    ),
    api_row(
        "GET", "/api/v1/evaluations/{evaluation_id}/interviews/{interview_id}/sheets/{sheet_id}",
        "ok ok ok 403 403 403 404 401", "ok ok ok 403 403 403", "403 404 401 401",
        objects=SHEET,
    ),
]  # fmt: skip


@pytest.fixture
def objects(team: Any) -> dict[str, Any]:
    interview = team.interview("I-0001")
    rated = team.interview("I-0002")
    team.rate(rated, team.rater, dict.fromkeys(team.item_keys(), "3"))
    return {
        "evaluation": team.evaluation.pk,
        "interview": interview.pk,
        "rated": rated.pk,
        "sheet": rated.sheets.get().pk,
    }


@pytest.mark.parametrize("row", TABLE, ids=[row.label for row in TABLE])
def test_who_may_call_each_route(team: Any, objects: dict[str, Any], row: ApiRow) -> None:
    run_row(team, objects, row)
