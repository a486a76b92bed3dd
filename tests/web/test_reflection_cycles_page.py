"""A cycle's page: who took part for everyone; what was said only for those who may read it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import (
    SECRET,
    as_,
    cycle_a_fixture,  # noqa: F401 (the cycle_a fixture)
    cycle_b_fixture,  # noqa: F401 (the cycle_b fixture)
    url,
)

from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import cycles as services

pytestmark = pytest.mark.django_db


def _write_everything(team: Team, cycle: Cycle) -> None:
    services.save_reflection(
        team.facilitator,
        cycle,
        "relationships",
        answers={"going_well": SECRET, "hard": "", "try_next": ""},
        expected_version=None,
    )
    services.save_conditions(team.facilitator, cycle, {"peer-space": ("partly", SECRET)})
    services.add_self_assessment(
        team.facilitator,
        cycle,
        taken_by="team",
        role="",
        answers={"rel-time": 3},
        notes={"relationships": SECRET},
    )
    services.set_participants(
        team.facilitator,
        cycle,
        expected_version=cycle.version,
        met_on=None,
        counts={"peer_workers": 4, "people_supported": 2},
    )


@pytest.mark.parametrize("persona", ["lead", "coordinator", "facilitator", "peer_worker"])
def test_readers_see_what_was_said_about_every_principle_and_theme(
    team: Team, cycle_a: Cycle, persona: str
) -> None:
    _write_everything(team, cycle_a)
    page = as_(team, persona).get(url("cycle", cycle_a)).content.decode()
    assert page.count(SECRET) == 3  # the reflection, the condition's note, the self-assessment
    for title in ("Relationships", "Mutuality", "Respecting the diversity of lived experience"):
        assert title in page, title
    assert "Where have trusting relationships between peers grown well lately?" in page
    assert "theme across every principle" in page


@pytest.mark.parametrize("persona", ["rater", "viewer"])
def test_raters_and_viewers_see_that_it_happened_but_never_what_was_said(
    team: Team, cycle_a: Cycle, persona: str
) -> None:
    _write_everything(team, cycle_a)
    response = as_(team, persona).get(url("cycle", cycle_a))
    page = response.content.decode()
    assert response.status_code == 200
    assert SECRET not in page
    assert "Where have trusting relationships" not in page
    assert "6 people in all" in page
    assert "Peer workers: 4" in page
    assert "Open" in page
    assert url("report", cycle_a) not in page


def test_the_people_running_it_get_every_form_and_link(team: Team, cycle_a: Cycle) -> None:
    page = as_(team, "facilitator").get(url("cycle", cycle_a)).content.decode()
    for target in (
        url("participants", cycle_a),
        url("reflect", cycle_a, "relationships"),
        url("reflect", cycle_a, "diversity-of-lived-experience"),
        url("conditions", cycle_a),
        url("self_assess", cycle_a),
        url("finish", cycle_a),
        url("report", cycle_a),
        reverse("reflection:timeline", args=[team.evaluation.pk, team.service_a.pk]),
    ):
        assert target in page, target


def test_a_peer_worker_may_self_assess_but_not_write_the_reflections(
    team: Team, cycle_a: Cycle
) -> None:
    page = as_(team, "peer_worker").get(url("cycle", cycle_a)).content.decode()
    assert url("self_assess", cycle_a) in page
    assert url("reflect", cycle_a, "relationships") not in page
    assert url("finish", cycle_a) not in page


def test_a_facilitator_of_a_reaching_for_b_is_refused(team: Team, cycle_b: Cycle) -> None:
    assert as_(team, "facilitator").get(url("cycle", cycle_b)).status_code == 403


def test_a_cycle_that_does_not_exist_is_not_found(team: Team) -> None:
    missing = reverse("reflection:cycle", args=[team.evaluation.pk, 9999])
    assert as_(team, "lead").get(missing).status_code == 404


def test_the_page_refuses_a_post(team: Team, cycle_a: Cycle) -> None:
    assert as_(team, "lead").post(url("cycle", cycle_a)).status_code == 405
