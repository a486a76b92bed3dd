"""The API's permission table: the rows of the evaluation routes, and the check that every
route of the schema has a row somewhere (see ``api_table``)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from tests.web.api_table import ApiRow, api_row, run_row

pytestmark = pytest.mark.django_db

#                session: lead coord rater viewer facil peer outsider anon
#                token: lead coord rater viewer facil peer
#                scopes: lead-as-viewer other-evaluation revoked expired
TABLE = [
    api_row(
        "GET", "/api/v1/evaluations/",
        "ok ok ok ok ok ok ok 401", "ok ok ok ok ok ok", "ok ok 401 401",
    ),
    api_row(
        "GET", "/api/v1/evaluations/{evaluation_id}",
        "ok ok ok ok ok ok 404 401", "ok ok ok ok ok ok", "ok 404 401 401",
        objects="evaluation_id=evaluation",
    ),
]  # fmt: skip


def all_rows() -> list[ApiRow]:
    """The rows of every API table module."""
    rows = list(TABLE)
    for module in sorted(Path(__file__).parent.glob("test_api_table_*.py")):
        rows += importlib.import_module(f"tests.web.{module.stem}").TABLE
    return rows


def test_every_route_has_a_row() -> None:
    from peerprinciples.web.api.site import api

    schema = api.get_openapi_schema()
    routes = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    }
    covered = {(row.method, row.path) for row in all_rows()}
    missing = sorted(routes - covered)
    assert not missing, "add a row to an API permission table for: " + ", ".join(
        f"{method} {path}" for method, path in missing
    )


@pytest.fixture
def objects(team: Any) -> dict[str, Any]:
    return {"evaluation": team.evaluation.pk}


@pytest.mark.parametrize("row", TABLE, ids=[row.label for row in TABLE])
def test_who_may_call_each_route(team: Any, objects: dict[str, Any], row: ApiRow) -> None:
    run_row(team, objects, row)
