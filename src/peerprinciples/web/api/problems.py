"""Error bodies as RFC 9457 problem details (``application/problem+json``).

Every error the API returns has the same shape: ``type`` (a stable URN naming the kind of
problem, or ``about:blank`` where the HTTP status says it all), ``title`` (the same for every
problem of that type), ``status``, ``detail`` (what happened this time and what to do) and,
for input that breaks a rule, ``errors``: one entry per field with where and what.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja import Schema

MEDIA_TYPE = "application/problem+json"


class FieldProblem(Schema):
    """One thing wrong with the input."""

    field: str
    """Where: the field (with its place, e.g. ``body.answers.P1``)."""
    message: str


class Problem(Schema):
    """An RFC 9457 problem details object."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldProblem] = []


TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Input breaks a rule",
    429: "Too many requests",
}


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    title: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem details response; ``kind`` names a problem of our own (``stale-edit``)."""
    body: dict[str, Any] = {
        "type": f"urn:peerprinciples:problem:{kind}" if kind else "about:blank",
        "title": title or TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


ERRORS: dict[int | str, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    409: Problem,
    422: Problem,
    429: Problem,
}
"""Declare with ``response={200: ..., **ERRORS}`` so the schema describes every error body."""


def declare_media_type(schema: dict[str, Any]) -> dict[str, Any]:
    """Say in the OpenAPI schema that error bodies come as ``application/problem+json``.

    ninja declares every body it describes as ``application/json``; a client (or a tester)
    reading the schema would then expect that type for errors too, and a client choosing a
    parser by type would be misled.
    """
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                body = content.get("application/json")
                if (
                    str(status)[0] in "45"
                    and body
                    and body["schema"].get("$ref", "").endswith("/Problem")
                ):
                    content[MEDIA_TYPE] = content.pop("application/json")
    return schema
