"""Two leads taking a numbered version at the same moment, on PostgreSQL: the second waits
for the first, then takes the next number."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from tests.web.practice_fixtures import Crew, crew

from peerprinciples.web.practice.models import ProgrammeMember, Snapshot
from peerprinciples.web.practice.services import versions as services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks that wait are PostgreSQL's"
    ),
]

__all__ = ["crew"]


def test_two_leads_taking_a_version_at_once_get_two_numbers(crew: Crew) -> None:
    ProgrammeMember.objects.filter(programme=crew.programme, user=crew.contributor).update(
        role=ProgrammeMember.Role.LEAD
    )
    outcome: dict[str, Any] = {}

    def second_lead() -> None:
        try:
            outcome["number"] = services.take_version(
                crew.contributor, crew.programme, note="second"
            ).number
        finally:
            connections.close_all()

    with transaction.atomic():
        first = services.take_version(crew.lead, crew.programme, note="first")
        other = threading.Thread(target=second_lead)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive(), "the second lead did not wait for the first"
    other.join(timeout=10)
    assert first.number == 1
    assert outcome["number"] == 2
    assert list(
        Snapshot.objects.filter(programme=crew.programme)
        .order_by("number")
        .values_list("number", "note")
    ) == [(1, "first"), (2, "second")]
