"""The self-assessment of a cycle: statements on the guide's scale, per principle, never a
total; shown beside what the interviews say."""

from __future__ import annotations

import pytest
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import (
    SECRET,
    as_,
    cycle_a_fixture,  # noqa: F401 (the cycle_a fixture)
    cycle_b_fixture,  # noqa: F401 (the cycle_b fixture)
    open_cycle,
    url,
)
from tests.web.results_fixtures import Scored, scored_fixture  # noqa: F401 (the scored fixture)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import Cycle, SelfAssessment
from peerprinciples.web.reflection.services import cycles as services

pytestmark = pytest.mark.django_db


def test_the_statements_come_per_principle_with_the_anchors_as_labels(
    team: Team, cycle_a: Cycle
) -> None:
    page = as_(team, "facilitator").get(url("self_assess", cycle_a)).content.decode()
    assert "Relationships built on shared lived experience</h2>" in page
    assert 'name="answer_rel-time"' in page
    for label in ("Not yet", "Starting", "Mostly", "Fully", "Skip"):
        assert f"{label}</label>" in page, label
    assert 'name="note_relationships"' in page
    assert "The team together" in page


def test_the_team_together_saves_answers_and_notes_and_it_is_audited_without_them(
    team: Team, cycle_a: Cycle
) -> None:
    response = as_(team, "peer_worker").post(
        url("self_assess", cycle_a),
        {
            "taken_by": "team",
            "answer_rel-time": "4",
            "answer_rel-common-ground": "3",
            "note_relationships": SECRET,
        },
    )
    assert response.status_code == 302
    taken = SelfAssessment.objects.get()
    assert taken.answers == {"rel-time": 4, "rel-common-ground": 3}
    assert taken.notes == {"relationships": SECRET}
    assert taken.role == ""
    event = AuditEvent.objects.get(object_type="reflection.SelfAssessment")
    assert "2 statements answered" in event.summary
    assert SECRET not in str(event.after)


def test_one_member_gives_a_role_never_a_name(team: Team, cycle_a: Cycle) -> None:
    response = as_(team, "coordinator").post(
        url("self_assess", cycle_a), {"taken_by": "member", "answer_rel-time": "2"}
    )
    assert response.status_code == 400
    assert "Give the member&#x27;s role" in response.content.decode()
    assert not SelfAssessment.objects.exists()
    as_(team, "coordinator").post(
        url("self_assess", cycle_a),
        {"taken_by": "member", "role": "Supervisor", "answer_rel-time": "2"},
    )
    assert SelfAssessment.objects.get().role == "Supervisor"


def test_an_answer_off_the_scale_is_refused(team: Team, cycle_a: Cycle) -> None:
    response = as_(team, "facilitator").post(
        url("self_assess", cycle_a), {"taken_by": "team", "answer_rel-time": "7"}
    )
    assert response.status_code == 400
    assert not SelfAssessment.objects.exists()


def test_how_we_see_it_sits_beside_what_the_interviews_say_per_principle(scored: Scored) -> None:
    team = scored.team
    cycle = open_cycle(team)
    as_(team, "facilitator").post(
        url("self_assess", cycle),
        {"taken_by": "team", "answer_rel-time": "4", "answer_rel-common-ground": "3"},
    )
    page = as_(team, "facilitator").get(url("cycle", cycle)).content.decode()
    section = page[page.index('id="self-assessment"') :]
    relationships = section[section.index("<h3>Relationships") : section.index("<h3>Mutuality")]
    assert "How we see it" in relationships
    assert "The team together: 3.5 (2 of " in relationships
    assert "What the interviews say" in relationships
    assert "(9 interviews)" in relationships  # round 1 of service A, all informants
    assert "total" not in section.lower().split("never added up")[0]


def test_a_finished_cycle_takes_no_more_self_assessments(team: Team, cycle_a: Cycle) -> None:
    services.finish_cycle(team.lead, cycle_a)
    page = as_(team, "peer_worker").get(url("self_assess", cycle_a)).content.decode()
    assert "This cycle is finished" in page
    response = as_(team, "peer_worker").post(
        url("self_assess", cycle_a), {"taken_by": "team", "answer_rel-time": "4"}
    )
    assert response.status_code == 409
    assert not SelfAssessment.objects.exists()


@pytest.mark.parametrize("persona", ["rater", "viewer"])
def test_raters_and_viewers_do_not_self_assess(team: Team, cycle_a: Cycle, persona: str) -> None:
    assert as_(team, persona).get(url("self_assess", cycle_a)).status_code == 403


@pytest.mark.parametrize("persona", ["facilitator", "peer_worker", "coordinator"])
def test_the_people_of_a_reaching_for_b_are_refused(
    team: Team, cycle_b: Cycle, persona: str
) -> None:
    response = as_(team, persona).post(
        url("self_assess", cycle_b), {"taken_by": "team", "answer_rel-time": "4"}
    )
    assert response.status_code == 403
    assert not SelfAssessment.objects.exists()


def test_the_page_refuses_other_methods(team: Team, cycle_a: Cycle) -> None:
    assert as_(team, "facilitator").put(url("self_assess", cycle_a)).status_code == 405
