"""Calling the API in tests as a client program would: a personal access token, JSON in and
out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from peerprinciples.web.tokens.services import make_token


@dataclass
class Caller:
    """A client program holding one person's token for one evaluation."""

    secret: str
    evaluation_id: int

    def _send(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        url = f"/api/v1/evaluations/{self.evaluation_id}{path}"
        headers = {"Authorization": f"Bearer {self.secret}"}
        client = Client()
        if method == "GET":
            return client.get(url, query, headers=headers)
        send = getattr(client, method.lower())
        return send(url, data=body, content_type="application/json", headers=headers)

    def get(self, path: str, **query: Any) -> Any:
        return self._send("GET", path, **query)

    def post(self, path: str, body: Any) -> Any:
        return self._send("POST", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self._send("PUT", path, body)


def caller(user: Any, evaluation: Any, role: str | None = None) -> Caller:
    """A caller with a token of ``user``'s own role (or ``role``) in ``evaluation``."""
    if role is None:
        role = evaluation.memberships.get(user=user).role
    made = make_token(user, evaluation, name=f"{role} test", role=role, days=1)
    return Caller(made.secret, evaluation.pk)


def fields(response: Any) -> dict[str, str]:
    """A problem's errors, by field."""
    body = response.json()
    assert response["Content-Type"] == "application/problem+json", body
    return {error["field"]: error["message"] for error in body["errors"]}
