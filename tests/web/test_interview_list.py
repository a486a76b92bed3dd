"""The interview list shows only what the user's services cover, and filters it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db


def _list(team: Team, user: object, query: dict[str, object] | None = None) -> tuple[int, str]:
    response = team.client_for(user).get(
        reverse("interviews:list", args=[team.evaluation.pk]), query or {}
    )
    return response.status_code, response.content.decode()


def test_a_rater_sees_only_interviews_in_their_services(team: Team) -> None:
    team.interview("I-A")
    team.interview("I-B", service=team.service_b, worker=team.worker_b)
    status, page = _list(team, team.rater)
    assert status == 200
    assert "I-A" in page
    assert "I-B" not in page


def test_the_lead_filters_by_service_and_status(team: Team) -> None:
    team.interview("I-A")
    team.interview("I-B", service=team.service_b, worker=team.worker_b)
    _, page = _list(team, team.lead, {"service": team.service_b.pk})
    assert "I-B" in page
    assert "I-A" not in page
    _, page = _list(team, team.lead, {"status": "final"})
    assert "No interviews match your choice" in page


def test_a_viewer_cannot_list_interviews(team: Team) -> None:
    status, _ = _list(team, team.viewer)
    assert status == 403


def test_an_outsider_is_told_the_evaluation_does_not_exist(team: Team) -> None:
    status, _ = _list(team, team.outsider)
    assert status == 404
