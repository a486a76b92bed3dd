"""Every co-production URL × every role in a project, in one table.

The same outcomes as the evaluation table (``test_permission_table``): ``ok`` the page did
its job, ``403`` a member without the right, ``404`` someone who may not know the project
exists, ``login`` a redirect to sign in. The evaluation table counts the rows here as
covered, so a co-production URL without a row fails there.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.web.test_permission_table import FORBIDDEN, LOGIN, MISSING, OK, Row

pytestmark = pytest.mark.django_db

ROLES = ("facilitator", "research", "panel", "outsider", "anonymous")
assert {OK, FORBIDDEN, MISSING, LOGIN}


def _row(name: str, args: str, method: str, outcomes: str, variant: str = "") -> Row:
    expected = tuple(outcomes.split())
    assert len(expected) == len(ROLES), name
    return Row(name, tuple(args.split()), method, expected, variant)


#        url name                              objects     method  facilitator research panel outsider anonymous  # noqa: E501
TABLE = [
    _row("coproduction:index", "", "GET", "ok ok ok ok login"),
    _row("coproduction:create", "", "GET", "ok ok ok ok login"),
    _row("coproduction:project", "project", "GET", "ok ok ok 404 login"),
    # Sorting the cards: group sorts everyone reads and the facilitator records; one's own
    # sort for those who sort; progress for the facilitator and the research team.
    _row("coproduction:group_sorts", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:group_sorts", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:group_sort", "project group_sort", "GET", "ok ok ok 404 login"),
    _row("coproduction:group_piles", "project group_sort", "GET", "ok 403 403 404 login"),
    _row("coproduction:group_piles", "project group_sort", "POST", "ok 403 403 404 login"),
    _row("coproduction:group_place", "project group_sort", "POST", "ok 403 403 404 login"),
    _row("coproduction:my_sort", "project", "GET", "ok 403 ok 404 login"),
    _row("coproduction:my_sort", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:my_sort_piles", "project", "GET", "ok 403 ok 404 login"),
    _row("coproduction:my_sort_piles", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:my_sort_place", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:sort_progress", "project", "GET", "ok ok 403 404 login"),
]


@pytest.fixture
def objects(panel) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The objects named in the table's addresses."""
    from peerprinciples.web.coproduction.models import GroupSort

    group_sort = GroupSort.objects.create(project=panel.project, created_by=panel.facilitator)
    return {"project": panel.project.pk, "group_sort": group_sort.pk}


@pytest.mark.parametrize(
    ("row", "role"),
    [(row, role) for row in TABLE for role in ROLES],
    ids=[f"{row.label}-{role}" for row in TABLE for role in ROLES],
)
def test_who_may_use_each_url(panel, objects: dict[str, Any], row: Row, role: str) -> None:  # type: ignore[no-untyped-def]
    client = Client() if role == "anonymous" else panel.client_for(getattr(panel, role))
    url = reverse(row.name, args=[objects[a] for a in row.args])
    response = client.post(url) if row.method == "POST" else client.get(url)
    expected = row.expected[ROLES.index(role)]
    status = response.status_code
    redirect = response.get("Location", "") if status in (301, 302) else ""
    if expected == LOGIN:
        assert status == 302, f"{url}: {status}"
        assert redirect.startswith(reverse("login")), redirect
    elif expected == OK:
        assert status not in (403, 404, 405, 500, 501), f"{url}: {status}"
        assert not redirect.startswith(reverse("login")), f"{url} sent {role} to sign in"
    else:
        assert str(status) == expected, f"{url} as {role}: {status}, expected {expected}"
