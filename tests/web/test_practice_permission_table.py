"""Every practice URL × every role in a programme, in one table.

The same outcomes as the other tables (``permission_rows``): ``ok`` the page did its job,
``403`` a member without the right, ``404`` someone who may not know the programme exists,
``login`` a redirect to sign in. The evaluation table counts the rows here as covered.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.permission_rows import Row, check_outcome, row_maker
from tests.web.practice_fixtures import Crew, crew, practice_objects

pytestmark = pytest.mark.django_db

__all__ = ["crew"]

ROLES = ("lead", "contributor", "reader", "outsider", "anonymous")

_row = row_maker(ROLES)

CELL = "programme area principle"

#        url name                   objects            method  lead contributor reader outsider anonymous  # noqa: E501
TABLE = [
    # Programmes: anyone signed in may list theirs and start one.
    _row("practice:index", "", "GET", "ok ok ok ok login"),
    _row("practice:create", "", "GET", "ok ok ok ok login"),
    _row("practice:create", "", "POST", "ok ok ok ok login"),
    _row("practice:matrix", "programme", "GET", "ok ok ok 404 login"),
    _row("practice:settings", "programme", "GET", "ok 403 403 404 login"),
    _row("practice:settings", "programme", "POST", "ok 403 403 404 login"),
    _row("practice:members", "programme", "GET", "ok ok ok 404 login"),
    _row("practice:members", "programme", "POST", "ok 403 403 404 login"),
    _row("practice:areas", "programme", "GET", "ok 403 403 404 login"),
    _row("practice:areas", "programme", "POST", "ok 403 403 404 login"),
    _row("practice:framework", "programme", "GET", "ok 403 403 404 login"),
    _row("practice:framework", "programme", "POST", "ok 403 403 404 login"),
    # Cells: everyone reads; the lead and contributors write; the lead words prompts.
    _row("practice:cell", CELL, "GET", "ok ok ok 404 login"),
    _row("practice:cell", CELL, "POST", "ok ok 403 404 login"),
    _row("practice:prompt", CELL, "GET", "ok 403 403 404 login"),
    _row("practice:prompt", CELL, "POST", "ok 403 403 404 login"),
    _row("practice:cell_history", CELL, "GET", "ok ok ok 404 login"),
    _row("practice:history", "programme", "GET", "ok ok ok 404 login"),
    _row("practice:matrix_csv", "programme", "GET", "ok ok ok 404 login"),
    # Numbered versions: everyone reads and compares; the lead takes one.
    _row("practice:versions", "programme", "GET", "ok ok ok 404 login"),
    _row("practice:versions", "programme", "POST", "ok 403 403 404 login"),
    _row("practice:compare_versions", "programme", "GET", "ok ok ok 404 login"),
    # Gaps, and reflection actions linked to cells.
    _row("practice:gaps", "programme", "GET", "ok ok ok 404 login"),
    _row("practice:cell_actions", CELL, "GET", "ok ok 403 404 login"),
    _row("practice:cell_actions", CELL, "POST", "ok ok 403 404 login"),
    # The handbook: everyone reads and downloads it; writers add the programme's sections.
    _row("practice:handbook", "programme", "GET", "ok ok ok 404 login"),
    _row("practice:handbook_download", "programme fmt", "GET", "ok ok ok 404 login"),
    _row("practice:sections", "programme", "GET", "ok ok ok 404 login"),
    _row("practice:sections", "programme", "POST", "ok ok 403 404 login"),
    _row("practice:section", "programme section", "GET", "ok ok 403 404 login"),
    _row("practice:section", "programme section", "POST", "ok ok 403 404 login"),
    # Side by side with another programme that shares its matrix.
    _row("practice:compare", "programme", "GET", "ok ok ok 404 login"),
    _row("practice:side_by_side", "programme other", "GET", "ok ok ok 404 login"),
]


@pytest.fixture
def objects(crew: Crew) -> dict[str, Any]:
    return practice_objects(crew)


@pytest.mark.parametrize(
    ("row", "role"),
    [(row, role) for row in TABLE for role in ROLES],
    ids=[f"{row.label}-{role}" for row in TABLE for role in ROLES],
)
def test_who_may_use_each_url(crew: Crew, objects: dict[str, Any], row: Row, role: str) -> None:
    client = Client() if role == "anonymous" else crew.client_for(getattr(crew, role))
    url = reverse(row.name, args=[objects[a] for a in row.args])
    check_outcome(client, url, row.method, row.expected[ROLES.index(role)], role)
