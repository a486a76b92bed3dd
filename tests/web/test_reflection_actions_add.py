"""Agreeing an action in a reflection cycle: what, which role, by when, about which principle."""

from __future__ import annotations

import pytest
from tests.web.reflection_actions_fixtures import (
    Story,
    add_url,
    cycle_url,
    messages_of,
    story_fixture,  # noqa: F401 (the story fixture)
    text,
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import Action

pytestmark = pytest.mark.django_db


def _posted(**changes: str) -> dict[str, str]:
    data = {
        "action-principle": "mutuality",
        "action-what": "Ask people we support what they would like to offer back",
        "action-who": "Peer worker team",
        "action-due": "2025-10-31",
        "action-status": "planned",
    }
    data.update({f"action-{key}": value for key, value in changes.items()})
    return data


def test_a_facilitator_adds_an_action_and_returns_to_the_cycles_actions(story: Story) -> None:
    team, cycle = story.team, story.cycle()
    response = team.client_for(team.facilitator).post(add_url(team, cycle), _posted())
    assert response.status_code == 302
    assert response["Location"] == cycle_url(team, cycle) + "#actions"
    action = Action.objects.get(cycle=cycle)
    assert action.principle == "mutuality"
    assert action.principle_title == "Mutuality and reciprocity"
    assert action.who == "Peer worker team"
    assert str(action.due) == "2025-10-31"
    assert action.status == Action.Status.PLANNED
    assert action.created_by == team.facilitator


def test_adding_an_action_is_recorded_in_the_audit_trail(story: Story) -> None:
    team, cycle = story.team, story.cycle()
    team.client_for(team.lead).post(add_url(team, cycle), _posted())
    action = Action.objects.get(cycle=cycle)
    event = AuditEvent.objects.get(object_type="reflection.Action", object_id=str(action.pk))
    assert event.action == "create"
    assert event.user == team.lead
    assert "Mutuality and reciprocity" in event.summary


def test_an_action_needs_no_date_and_is_planned_unless_told(story: Story) -> None:
    team, cycle = story.team, story.cycle()
    data = _posted(due="")
    del data["action-status"]
    response = team.client_for(team.facilitator).post(add_url(team, cycle), data)
    assert response.status_code == 400
    assert "Where it stands" in text(response.content.decode())
    team.client_for(team.facilitator).post(add_url(team, cycle), _posted(due=""))
    assert Action.objects.get(cycle=cycle).due is None


def test_a_theme_can_be_the_subject_of_an_action(story: Story) -> None:
    team, cycle = story.team, story.cycle()
    team.client_for(team.facilitator).post(
        add_url(team, cycle), _posted(principle="diversity-of-lived-experience")
    )
    assert Action.objects.get(cycle=cycle).principle_title == (
        "Respecting the diversity of lived experience"
    )


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("what", "   ", "What we will do: This field is required."),
        ("who", "", "Who will do it: This field is required."),
        ("principle", "punctuality", "Principle or theme: Select a valid choice."),
        ("due", "next spring", "By when: Enter a valid date."),
        ("status", "forgotten", "Where it stands: Select a valid choice."),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(
    story: Story, field: str, value: str, problem: str
) -> None:
    team, cycle = story.team, story.cycle()
    response = team.client_for(team.facilitator).post(
        add_url(team, cycle), _posted(**{field: value})
    )
    assert response.status_code == 400
    page = text(response.content.decode())
    assert problem in page
    assert "Nothing has been saved yet" in page
    assert not Action.objects.filter(cycle=cycle).exists()


def test_the_entries_are_kept_when_something_needs_putting_right(story: Story) -> None:
    team, cycle = story.team, story.cycle()
    response = team.client_for(team.facilitator).post(
        add_url(team, cycle), _posted(what="", who="Service manager")
    )
    assert 'value="Service manager"' in response.content.decode()


def test_a_finished_cycle_takes_no_new_actions(story: Story) -> None:
    team, cycle = story.team, story.cycle(finished=True)
    response = team.client_for(team.facilitator).post(add_url(team, cycle), _posted(), follow=False)
    assert response.status_code == 302
    assert not Action.objects.filter(cycle=cycle).exists()
    assert messages_of(response) == ["This cycle is finished, so no actions can be added to it."]


def test_the_facilitator_of_service_a_cannot_add_to_service_bs_cycle(story: Story) -> None:
    team = story.team
    cycle_b = story.cycle(service=team.service_b)
    response = team.client_for(team.facilitator).post(add_url(team, cycle_b), _posted())
    assert response.status_code == 403
    assert not Action.objects.exists()


@pytest.mark.parametrize("person", ["coordinator", "peer_worker", "rater", "viewer"])
def test_people_who_do_not_run_the_cycle_cannot_add_actions(story: Story, person: str) -> None:
    team, cycle = story.team, story.cycle()
    response = team.client_for(getattr(team, person)).post(add_url(team, cycle), _posted())
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_an_outsider_is_told_the_evaluation_does_not_exist(story: Story) -> None:
    team, cycle = story.team, story.cycle()
    assert team.client_for(team.outsider).post(add_url(team, cycle), _posted()).status_code == 404


def test_a_cycle_of_another_evaluation_does_not_exist_here(story: Story) -> None:
    team, cycle = story.team, story.cycle()
    url = add_url(team, cycle).replace(f"/{cycle.pk}/", f"/{cycle.pk + 1000}/")
    assert team.client_for(team.lead).post(url, _posted()).status_code == 404


def test_adding_needs_a_post(story: Story) -> None:
    team, cycle = story.team, story.cycle()
    assert team.client_for(team.facilitator).get(add_url(team, cycle)).status_code == 405
