"""The evaluation overview shows each role what it may see."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team

pytestmark = pytest.mark.django_db


def _overview(team: Team, user: object) -> tuple[int, str]:
    response = team.client_for(user).get(reverse("evaluations:detail", args=[team.evaluation.pk]))
    return response.status_code, response.content.decode()


def test_the_lead_sees_the_pinned_versions_and_the_set_up_forms(team: Team) -> None:
    status, page = _overview(team, team.lead)
    assert status == 200
    assert "enrich@2017" in page
    assert "enrich-example-index@0.1" in page
    assert "Later versions of the framework or the index never change" in page
    for name in ("add_service", "add_peer_worker", "add_round", "add_member"):
        assert reverse(f"evaluations:{name}", args=[team.evaluation.pk]) in page
    assert "PW-A1" in page
    assert "PW-B1" in page


def test_a_rater_sees_only_their_services_peer_workers_and_no_forms(team: Team) -> None:
    status, page = _overview(team, team.rater)
    assert status == 200
    assert "PW-A1" in page
    assert "PW-B1" not in page
    assert reverse("evaluations:add_service", args=[team.evaluation.pk]) not in page
    assert "withdrawal" not in page


def test_a_viewer_sees_how_many_peer_workers_but_not_their_codes(team: Team) -> None:
    status, page = _overview(team, team.viewer)
    assert status == 200
    assert "2 peer workers taking part" in page
    assert "PW-A1" not in page


def test_an_outsider_is_told_the_evaluation_does_not_exist(team: Team) -> None:
    status, _ = _overview(team, team.outsider)
    assert status == 404


def test_a_demo_evaluation_carries_a_banner(team: Team) -> None:
    _, page = _overview(team, team.lead)
    assert "DEMO — synthetic data" not in page
    team.evaluation.is_demo = True
    team.evaluation.save()
    _, page = _overview(team, team.lead)
    assert "DEMO — synthetic data" in page
