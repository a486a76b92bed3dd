"""The served schema against the served API: every operation it lists, called with examples
generated from the schema itself, answers without a server error and as the schema says
(a status code it declares, the content type it declares, a body that fits).

The schema is read as a client reads it, from ``/api/v1/openapi.json`` through the WSGI
application, so a route added later is checked with no change here. The caller is a lead
with a token for an evaluation with data in it; path parameters naming an evaluation, an
interview or a rating sheet are pointed at real ones, so the examples reach past the 404s
into the routes themselves. The examples are few and the same on every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.web.conftest import Team

from peerprinciples.web.tokens.services import make_token
from peerprinciples.web.wsgi import application

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
"""What every answer must satisfy. Schemathesis's other checks judge behaviour the schema
cannot state (whether input that fits the schema is also accepted by the rules)."""

settings_for_examples = hypothesis_settings(
    max_examples=6,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
"""A few examples per operation and per kind (fitting the schema, and not), the same each run."""


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Keep the test's database connection open across requests, as Django's test client
    does: the WSGI handler closes it when a request ends, and the test's transaction with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("connection_kept")
def test_every_operation_answers_as_its_schema_says(team: Team) -> None:
    # The rate limits are raised for every web test (tests/web/conftest.py), so the many calls
    # made here are never refused for their number.
    interview = team.interview("I-0001")
    team.rate(interview, team.rater, dict.fromkeys(team.item_keys(), "3"))
    ids = {
        "evaluation_id": team.evaluation.pk,
        "interview_id": interview.pk,
        "sheet_id": interview.sheets.get().pk,
    }
    secret = make_token(team.lead, team.evaluation, name="schema", role="lead", days=1).secret
    headers = {"Authorization": f"Bearer {secret}"}
    served = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

    checked = []
    for found in served.get_all_operations():
        operation = found.ok()
        real = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real),
            operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=real),
        )

        @given(case=cases)
        @settings_for_examples
        def answers_as_declared(case: Any) -> None:
            case.validate_response(case.call(headers=headers), checks=CHECKS)

        answers_as_declared()
        checked.append(operation.label)
    assert len(checked) >= 14, checked
