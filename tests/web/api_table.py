"""What the API permission tables share: every route × every role × every kind of token.

Each API route has one row (in a ``test_api_table_*.py`` module per family of routes). The
columns are the personas of ``team`` signed in (``SESSION``), the same members calling with a
personal access token of their own role (``TOKEN``), and four token scopes that must open
less: a lead's token made with the viewer's role, a lead's token for another evaluation, and
the lead's own-role token once revoked and once expired. Outcomes: ``ok`` (any answer but
401, 403, 404, 405 or a server error), ``401``, ``403``, ``404``.

A route added to the API without a row fails ``test_api_table.test_every_route_has_a_row``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

SESSION = (
    "lead", "coordinator", "rater", "viewer", "facilitator", "peer_worker", "outsider",
    "anonymous",
)  # fmt: skip
TOKEN = ("lead", "coordinator", "rater", "viewer", "facilitator", "peer_worker")
SCOPES = ("lead-as-viewer", "other-evaluation", "revoked", "expired")
OK, UNAUTHENTICATED, FORBIDDEN, MISSING = "ok", "401", "403", "404"


@dataclass(frozen=True)
class ApiRow:
    """One route (as in the schema: ``/api/v1/evaluations/{evaluation_id}``), its method,
    the objects filling its path, a body to send, and the outcomes per column."""

    method: str
    path: str
    session: tuple[str, ...]
    token: tuple[str, ...]
    scopes: tuple[str, ...]
    body: dict[str, Any] | None = None
    variant: str = ""
    objects: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}{'[' + self.variant + ']' if self.variant else ''}"


def api_row(
    method: str,
    path: str,
    session: str,
    token: str,
    scopes: str,
    *,
    body: dict[str, Any] | None = None,
    variant: str = "",
    objects: str = "",
) -> ApiRow:
    """A row from space-separated outcomes; ``objects`` maps path parameters to the names
    of objects (``evaluation_id=evaluation interview_id=interview_a``)."""
    row = ApiRow(
        method,
        path,
        tuple(session.split()),
        tuple(token.split()),
        tuple(scopes.split()),
        body,
        variant,
        dict(pair.split("=") for pair in objects.split()),
    )
    for name, columns, outcomes in (
        ("session", SESSION, row.session),
        ("token", TOKEN, row.token),
        ("scopes", SCOPES, row.scopes),
    ):
        assert len(outcomes) == len(columns), f"{row.label}: {name} needs {len(columns)}"
        assert set(outcomes) <= {OK, UNAUTHENTICATED, FORBIDDEN, MISSING}, row.label
    return row


def make_tokens(team: Any) -> dict[str, str]:
    """A token of each member's own role, and the four scopes, by column name."""
    from peerprinciples.web.tokens.models import AccessToken
    from peerprinciples.web.tokens.services import make_token

    secrets = {
        role: make_token(
            getattr(team, role), team.evaluation, name=f"{role} pull", role=role, days=30
        ).secret
        for role in TOKEN
    }
    secrets["lead-as-viewer"] = make_token(
        team.lead, team.evaluation, name="read only", role="viewer", days=30
    ).secret
    secrets["other-evaluation"] = make_token(
        team.outsider, team.other_evaluation, name="elsewhere", role="lead", days=30
    ).secret
    # The outsider leads the other evaluation; calling this evaluation with that token must
    # open nothing here, though its maker is a lead somewhere.
    for scope in ("revoked", "expired"):
        made = make_token(team.lead, team.evaluation, name=scope, role="lead", days=30)
        secrets[scope] = made.secret
        if scope == "revoked":
            AccessToken.objects.filter(pk=made.token.pk).update(revoked_at=timezone.now())
        else:
            AccessToken.objects.filter(pk=made.token.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
    return secrets


def call(client: Client, method: str, url: str, body: dict[str, Any] | None, **headers: str) -> Any:
    """Call ``url`` with ``method`` and a JSON body."""
    send: Callable[..., Any] = getattr(client, method.lower())
    if method in ("GET", "DELETE"):
        return send(url, headers=headers)
    return send(url, data=body or {}, content_type="application/json", headers=headers)


def check(status: int, expected: str, where: str) -> str | None:
    """``None`` when the answer is the expected outcome, else what went wrong."""
    if expected == OK:
        if status in (401, 403, 404, 405) or status >= 500:
            return f"{where}: {status}, expected ok"
        return None
    return None if str(status) == expected else f"{where}: {status}, expected {expected}"


def run_row(team: Any, objects: dict[str, Any], row: ApiRow, make_objects: bool = True) -> None:
    """Call the row's route in every column and assert every outcome at once."""
    tokens = make_tokens(team)
    path = row.path
    for parameter, name in row.objects.items():
        path = path.replace("{" + parameter + "}", str(objects[name]))
    problems = []
    for role, expected in zip(SESSION, row.session, strict=True):
        client = Client() if role == "anonymous" else team.client_for(getattr(team, role))
        response = call(client, row.method, path, row.body)
        problems.append(check(response.status_code, expected, f"session {role}"))
    for column, expected in zip(TOKEN + SCOPES, row.token + row.scopes, strict=True):
        response = call(
            Client(), row.method, path, row.body, Authorization=f"Bearer {tokens[column]}"
        )
        problems.append(check(response.status_code, expected, f"token {column}"))
    wrong = [problem for problem in problems if problem]
    assert not wrong, f"{row.label} ({path}): " + "; ".join(wrong)
