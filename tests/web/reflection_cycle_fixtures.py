"""Reflection cycles for the tests of running one: service A's and service B's, in round 1.

Cycles are opened through the service, as the lead would; ``page`` and ``post`` read a
cycle page as one persona.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test.client import Client
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.evaluations.models import Round, Service
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import cycles as services

SECRET = "the kettle is always broken"
"""A phrase written in a cycle, to look for on pages that must not show what was said."""


def open_cycle(team: Team, service: Service | None = None, round: Round | None = None) -> Cycle:
    """Open a cycle as the lead (service A in round 1 unless told)."""
    return services.open_cycle(
        team.lead,
        team.evaluation,
        service=service or team.service_a,
        round=round or team.round,
        guide=StoredGuide.objects.get(key="enrich-reflection"),
    )


@pytest.fixture(name="cycle_a")
def cycle_a_fixture(team: Team) -> Cycle:
    """Service A's cycle in round 1."""
    return open_cycle(team)


@pytest.fixture(name="cycle_b")
def cycle_b_fixture(team: Team) -> Cycle:
    """Service B's cycle in round 1."""
    return open_cycle(team, team.service_b)


def url(name: str, cycle: Cycle, *more: Any) -> str:
    """The address of one of a cycle's pages."""
    return reverse(f"reflection:{name}", args=[cycle.evaluation_id, cycle.pk, *more])


def as_(team: Team, persona: str) -> Client:
    """A browser signed in as one of the team's personas."""
    return team.client_for(getattr(team, persona))
