"""The two tags that draw a cycle's actions inside its page, for each kind of reader."""

from __future__ import annotations

import re

import pytest
from tests.web.reflection_actions_fixtures import (
    Story,
    story_fixture,  # noqa: F401 (the story fixture)
    text,
)

from peerprinciples.web.reflection.models import Cycle

pytestmark = pytest.mark.django_db

NOTHING = "<hr id='between'>"


def _second_cycle(story: Story) -> Cycle:
    """Round 2's cycle of service A, looking back at round 1's action (and agreeing one)."""
    action = story.earlier_action()
    second = story.cycle(2)
    story.review(second, action, "kept", "Met twice")
    story.agree(second, "Invite a peer lead to supervision")
    return second


@pytest.mark.parametrize("person", ["rater", "viewer"])
def test_readers_without_the_right_to_read_reflections_see_nothing(
    story: Story, person: str
) -> None:
    second = _second_cycle(story)
    assert story.tags(second, getattr(story.team, person)).strip() == NOTHING


def test_the_facilitator_of_another_service_sees_nothing(story: Story) -> None:
    team = story.team
    cycle_b = story.cycle(1, service=team.service_b)
    story.agree(cycle_b, "Something only service B agreed")
    assert story.tags(cycle_b, team.facilitator).strip() == NOTHING


def test_the_facilitator_sees_both_lists_with_their_forms(story: Story) -> None:
    second = _second_cycle(story)
    page = story.tags(second, story.team.facilitator)
    words = text(page)
    assert "Looking back at earlier actions" in words
    assert "Agreed in Baseline" in words
    assert "Agree a weekly time to meet as peers" in words
    assert "Met twice</textarea>" in page
    assert re.search(r'<input type="radio"[^>]*value="kept"[^>]*checked', page)
    assert "Invite a peer lead to supervision" in words
    assert "Add the action" in words
    assert f'action="/evaluations/{story.team.evaluation.pk}/reflection/cycles/{second.pk}/' in page


@pytest.mark.parametrize("person", ["coordinator", "peer_worker"])
def test_the_services_readers_see_the_actions_and_reviews_without_forms(
    story: Story, person: str
) -> None:
    second = _second_cycle(story)
    page = story.tags(second, getattr(story.team, person))
    words = text(page)
    assert "Invite a peer lead to supervision" in words
    assert "This cycle: Kept: carry on . Met twice" in words
    assert "<form" not in page
    assert "Change" not in words


def test_a_finished_cycle_shows_its_reviews_read_only(story: Story) -> None:
    second = _second_cycle(story)
    story.finish(second)
    page = story.tags(second, story.team.facilitator)
    assert "<form" not in page
    words = text(page)
    assert "This cycle: Kept: carry on . Met twice" in words
    assert "This cycle is finished: its actions no longer change here" in words


def test_a_first_cycle_has_nothing_to_look_back_at(story: Story) -> None:
    cycle = story.cycle(1)
    words = text(story.tags(cycle, story.team.facilitator))
    assert "There are no earlier actions to look back at." in words
    assert "No actions agreed in this cycle yet." in words


def test_every_field_has_a_label_and_ids_are_unique(story: Story) -> None:
    second = _second_cycle(story)
    page = story.tags(second, story.team.facilitator)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    fields = re.findall(r'<(?:input(?! type="hidden")|textarea|select)[^>]*\sid="([^"]+)"', page)
    assert len(fields) == 9  # 3 outcomes and a text box; principle, what, who, due, status
    for field in fields:
        assert f'for="{field}"' in page or re.search(
            rf'<fieldset[^>]*>\s*<legend>.*?</legend>.*?id="{field}"', page, re.S
        ), field


def test_the_look_back_is_one_form_with_one_button(story: Story) -> None:
    first = story.cycle(1)
    for what in ("Meet as peers weekly", "Ask for supervision", "Write notes together"):
        story.agree(first, what)
    story.finish(first)
    second = story.cycle(2)
    looking_back = story.tags(second, story.team.facilitator).split(NOTHING)[0]
    assert looking_back.count("<form") == 1
    assert (
        f'action="/evaluations/{story.team.evaluation.pk}/reflection/cycles/{second.pk}/look-back/"'
        in looking_back
    )
    assert looking_back.count("<button") == 1
    assert "Save what we said about earlier actions" in text(looking_back)
    assert len(re.findall(r'value=""[^>]*checked', looking_back)) == 3  # not decided yet
