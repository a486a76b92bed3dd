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
    # Projects, members and stages; the panel's cards (views/projects.py, views/members.py,
    # views/cards.py). The card is one P01 (the panel persona) wrote on paper, so both its
    # author and the facilitator who typed it up may change it.
    _row("coproduction:index", "", "GET", "ok ok ok ok login"),
    _row("coproduction:create", "", "GET", "ok ok ok ok login"),
    _row("coproduction:create", "", "POST", "ok ok ok ok login"),
    _row("coproduction:project", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:settings", "project", "GET", "ok 403 403 404 login"),
    _row("coproduction:settings", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:members", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:members", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:member", "project panel_member", "GET", "ok 403 403 404 login"),
    _row("coproduction:member", "project panel_member", "POST", "ok 403 403 404 login"),
    _row("coproduction:me", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:me", "project", "POST", "ok ok ok 404 login"),
    _row("coproduction:cards", "project", "GET", "ok ok ok 404 login"),
    _row("coproduction:cards", "project", "POST", "ok 403 ok 404 login"),
    _row("coproduction:card", "project card", "GET", "ok ok ok 404 login"),
    _row("coproduction:card", "project card", "POST", "ok 403 ok 404 login"),
    _row("coproduction:paper_cards", "project", "GET", "ok 403 403 404 login"),
    _row("coproduction:paper_cards", "project", "POST", "ok 403 403 404 login"),
    _row("coproduction:merge_cards", "project", "GET", "ok 403 403 404 login"),
    _row("coproduction:merge_cards", "project", "POST", "ok 403 403 404 login"),
]


@pytest.fixture
def objects(panel) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The objects named in the table's addresses."""
    from peerprinciples.web.coproduction.models import Card

    author = panel.member(panel.panel)
    card = Card.objects.create(
        project=panel.project, number=1, text="Being believed.", author=author, from_paper=True
    )
    return {"project": panel.project.pk, "panel_member": author.pk, "card": card.pk}


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
