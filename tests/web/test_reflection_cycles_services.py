"""The domain actions of a cycle, called directly: the rules the pages rely on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import (
    cycle_a_fixture,  # noqa: F401 (the cycle_a fixture)
    open_cycle,
)

from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.evaluations.models import Round
from peerprinciples.web.reflection.models import Cycle, Reflection
from peerprinciples.web.reflection.services import cycles as services
from peerprinciples.web.reflection.services import prompts

pytestmark = pytest.mark.django_db


def test_the_topics_are_the_principles_in_framework_order_then_the_themes(
    cycle_a: Cycle,
) -> None:
    found = prompts.topics(cycle_a)
    assert [t.key for t in found] == [
        "relationships",
        "mutuality",
        "experiential-knowledge",
        "leadership-choice-control",
        "strengths-connections",
        "diversity-of-lived-experience",
    ]
    assert [t.kind for t in found][-1] == "theme"


def test_a_second_cycle_names_the_first(team: Team, cycle_a: Cycle) -> None:
    with pytest.raises(services.CycleExists) as caught:
        open_cycle(team)
    assert caught.value.cycle == cycle_a


def test_the_same_service_opens_a_cycle_in_each_round(team: Team, cycle_a: Cycle) -> None:
    later = Round.objects.create(evaluation=team.evaluation, number=2)
    assert open_cycle(team, round=later).pk != cycle_a.pk


def test_a_round_of_another_evaluation_is_refused(team: Team) -> None:
    other = Round.objects.get(evaluation=team.other_evaluation)
    with pytest.raises(InvalidInput) as caught:
        open_cycle(team, round=other)
    assert "round" in caught.value.problems


def test_an_implausible_count_is_refused(team: Team, cycle_a: Cycle) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.set_participants(
            team.lead, cycle_a, expected_version=1, met_on=None, counts={"others": 5000}
        )
    assert caught.value.problems == {"others": "Give a number up to 1000."}


def test_a_reflection_someone_else_started_meanwhile_is_not_overwritten(
    team: Team, cycle_a: Cycle
) -> None:
    services.save_reflection(
        team.lead, cycle_a, "mutuality", answers={"hard": "theirs"}, expected_version=None
    )
    with pytest.raises(StaleEdit):
        services.save_reflection(
            team.facilitator, cycle_a, "mutuality", answers={"hard": "mine"}, expected_version=None
        )
    assert Reflection.objects.get().hard == "theirs"


def test_a_reflection_keeps_its_first_title(team: Team, cycle_a: Cycle) -> None:
    services.save_reflection(
        team.lead, cycle_a, "mutuality", answers={"hard": "one"}, expected_version=None
    )
    Reflection.objects.update(principle_title="Mutuality (as it was called)")
    services.save_reflection(
        team.lead, cycle_a, "mutuality", answers={"hard": "two"}, expected_version=1
    )
    assert Reflection.objects.get().principle_title == "Mutuality (as it was called)"


def test_a_key_the_guide_has_not_got_is_refused(team: Team, cycle_a: Cycle) -> None:
    with pytest.raises(InvalidInput):
        services.save_reflection(team.lead, cycle_a, "kindness", answers={}, expected_version=None)


def test_a_self_assessment_answer_off_the_scale_is_refused(team: Team, cycle_a: Cycle) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.add_self_assessment(
            team.lead, cycle_a, taken_by="team", role="", answers={"rel-time": 9}, notes={}
        )
    assert "off the scale" in caught.value.problems["answers"]


def test_a_team_self_assessment_keeps_no_role(team: Team, cycle_a: Cycle) -> None:
    taken = services.add_self_assessment(
        team.lead, cycle_a, taken_by="team", role="Manager", answers={"rel-time": 2}, notes={}
    )
    assert taken.role == ""


def test_replies_may_run_until_today_but_not_before(team: Team, cycle_a: Cycle) -> None:
    today = timezone.localdate()
    with pytest.raises(InvalidInput):
        services.finish_cycle(team.lead, cycle_a, replies_until=today - dt.timedelta(days=1))
    assert services.finish_cycle(team.lead, cycle_a, replies_until=today).replies_until == today


def test_a_finished_cycle_refuses_every_change(team: Team, cycle_a: Cycle) -> None:
    services.finish_cycle(team.lead, cycle_a)
    changes = [
        lambda: services.set_participants(
            team.lead, cycle_a, expected_version=2, met_on=None, counts={}
        ),
        lambda: services.save_reflection(
            team.lead, cycle_a, "mutuality", answers={}, expected_version=None
        ),
        lambda: services.save_conditions(team.lead, cycle_a, {"peer-space": ("yes", "")}),
        lambda: services.add_self_assessment(
            team.lead, cycle_a, taken_by="team", role="", answers={}, notes={}
        ),
        lambda: services.finish_cycle(team.lead, cycle_a),
    ]
    for change in changes:
        with pytest.raises(services.CycleFinished):
            change()
