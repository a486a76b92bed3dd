"""Changing an action: what, who, by when and where it stands, without losing anyone's change."""

from __future__ import annotations

import pytest
from tests.web.reflection_actions_fixtures import (
    Story,
    action_url,
    cycle_url,
    messages_of,
    story_fixture,  # noqa: F401 (the story fixture)
    text,
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import Action

pytestmark = pytest.mark.django_db


def _posted(action: Action, **changes: str) -> dict[str, str]:
    data = {
        "what": "Meet as peers every Tuesday morning",
        "who": "Peer worker team",
        "due": "2025-11-30",
        "status": "under_way",
        "version": str(action.version),
    }
    data.update(changes)
    return data


def test_the_page_shows_the_action_in_a_form(story: Story) -> None:
    team, action = story.team, story.agree(story.cycle())
    response = team.client_for(team.facilitator).get(action_url(team, action))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Agree a weekly time to meet as peers</textarea>" in page
    assert 'name="version" value="1"' in page
    assert "Relationships built on shared lived experience" in text(page)


def test_a_facilitator_changes_an_action(story: Story) -> None:
    team, action = story.team, story.agree(story.cycle())
    response = team.client_for(team.facilitator).post(action_url(team, action), _posted(action))
    assert response.status_code == 302
    assert response["Location"] == cycle_url(team, action.cycle) + "#actions"
    action.refresh_from_db()
    assert action.what == "Meet as peers every Tuesday morning"
    assert action.status == Action.Status.UNDER_WAY
    assert str(action.due) == "2025-11-30"
    assert action.version == 2


def test_a_change_is_recorded_with_what_it_was_before(story: Story) -> None:
    team, action = story.team, story.agree(story.cycle())
    team.client_for(team.facilitator).post(action_url(team, action), _posted(action))
    event = AuditEvent.objects.filter(
        object_type="reflection.Action", object_id=str(action.pk), action="change"
    ).get()
    assert event.user == team.facilitator
    assert event.before["what"] == "Agree a weekly time to meet as peers"
    assert event.after["what"] == "Meet as peers every Tuesday morning"


def test_a_second_save_over_someone_elses_change_is_refused_and_both_texts_are_shown(
    story: Story,
) -> None:
    team, action = story.team, story.agree(story.cycle())
    opened_at = action.version
    team.client_for(team.lead).post(
        action_url(team, action), _posted(action, what="Book the quiet room on Tuesdays")
    )
    response = team.client_for(team.facilitator).post(
        action_url(team, action),
        _posted(action, what="Meet in the community café", version=str(opened_at)),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this action after you opened it" in text(page)
    assert "Book the quiet room on Tuesdays" in text(page)  # theirs, shown
    assert "Meet in the community café</textarea>" in page  # yours, kept in the form
    assert 'name="version" value="2"' in page  # saving again replaces theirs knowingly
    action.refresh_from_db()
    assert action.what == "Book the quiet room on Tuesdays"


def test_saving_again_after_reading_the_other_change_replaces_it(story: Story) -> None:
    team, action = story.team, story.agree(story.cycle())
    team.client_for(team.lead).post(action_url(team, action), _posted(action, what="Theirs"))
    client = team.client_for(team.facilitator)
    client.post(action_url(team, action), _posted(action, what="Mine", version="1"))
    response = client.post(action_url(team, action), _posted(action, what="Mine", version="2"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.what, action.version) == ("Mine", 3)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("what", "", "What we will do: This field is required."),
        ("who", "  ", "Who will do it: This field is required."),
        ("due", "31/31/2025", "By when: Enter a valid date."),
        ("status", "finished", "Where it stands: Select a valid choice."),
    ],
)
def test_bad_input_is_shown_and_nothing_changes(
    story: Story, field: str, value: str, problem: str
) -> None:
    team, action = story.team, story.agree(story.cycle())
    response = team.client_for(team.facilitator).post(
        action_url(team, action), _posted(action, **{field: value})
    )
    assert response.status_code == 400
    assert problem in text(response.content.decode())
    action.refresh_from_db()
    assert action.version == 1


def test_an_action_of_a_finished_cycle_is_shown_but_cannot_change(story: Story) -> None:
    team = story.team
    cycle = story.cycle()
    action = story.agree(cycle)
    story.finish(cycle)
    client = team.client_for(team.facilitator)
    page = text(client.get(action_url(team, action)).content.decode())
    assert "This cycle is finished, so the action no longer changes here" in page
    response = client.post(action_url(team, action), _posted(action))
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("This cycle is finished")
    action.refresh_from_db()
    assert action.version == 1


def test_the_facilitator_of_service_a_cannot_reach_service_bs_action(story: Story) -> None:
    team = story.team
    action = story.agree(story.cycle(service=team.service_b))
    client = team.client_for(team.facilitator)
    assert client.get(action_url(team, action)).status_code == 403
    assert client.post(action_url(team, action), _posted(action)).status_code == 403
    action.refresh_from_db()
    assert action.version == 1


@pytest.mark.parametrize("person", ["coordinator", "peer_worker", "rater", "viewer"])
def test_people_who_do_not_run_the_cycle_cannot_change_actions(story: Story, person: str) -> None:
    team, action = story.team, story.agree(story.cycle())
    client = team.client_for(getattr(team, person))
    assert client.post(action_url(team, action), _posted(action)).status_code == 403


def test_an_outsider_is_told_the_evaluation_does_not_exist(story: Story) -> None:
    team, action = story.team, story.agree(story.cycle())
    assert team.client_for(team.outsider).get(action_url(team, action)).status_code == 404


def test_an_unknown_action_does_not_exist(story: Story) -> None:
    team, action = story.team, story.agree(story.cycle())
    url = action_url(team, action).replace(f"/{action.pk}/", f"/{action.pk + 1000}/")
    assert team.client_for(team.lead).get(url).status_code == 404


def test_the_page_answers_only_get_and_post(story: Story) -> None:
    team, action = story.team, story.agree(story.cycle())
    assert team.client_for(team.lead).put(action_url(team, action)).status_code == 405
