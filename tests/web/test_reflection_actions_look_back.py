"""The cycle's one look-back form: every earlier action at once, saved all or nothing."""

from __future__ import annotations

import re

import pytest
from tests.web.reflection_actions_fixtures import (
    Story,
    cycle_url,
    look_back_url,
    messages_of,
    story_fixture,  # noqa: F401 (the story fixture)
    text,
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.reflection.models import Action, ActionReview, Cycle
from peerprinciples.web.reflection.services import actions as services

pytestmark = pytest.mark.django_db

WHATS = ("Meet as peers weekly", "Ask for supervision from a peer lead", "Write notes together")


def _three_earlier_actions(story: Story) -> tuple[Cycle, list[Action]]:
    """Round 2's open cycle, looking back at round 1's three actions."""
    first = story.cycle(1)
    actions = [story.agree(first, what) for what in WHATS]
    story.finish(first)
    return story.cycle(2), actions


def _saved(cycle: Cycle) -> dict[str, tuple[str, str]]:
    return {
        review.action.what: (review.outcome, review.what_happened)
        for review in ActionReview.objects.filter(cycle=cycle).select_related("action")
    }


def test_one_save_keeps_what_was_said_about_every_action(story: Story) -> None:
    second, (weekly, supervision, notes) = _three_earlier_actions(story)
    response = story.look_back(
        second,
        {
            weekly: ("done", "Every Tuesday since June"),
            supervision: ("kept", "Asked, no answer yet"),
            notes: ("dropped", "The team chose another way"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == cycle_url(story.team, second) + "#looking-back"
    assert messages_of(response) == ["The look back is saved: 3 actions changed."]
    assert _saved(second) == {
        "Meet as peers weekly": ("done", "Every Tuesday since June"),
        "Ask for supervision from a peer lead": ("kept", "Asked, no answer yet"),
        "Write notes together": ("dropped", "The team chose another way"),
    }
    statuses = dict(Action.objects.values_list("what", "status"))
    assert statuses == {WHATS[0]: "done", WHATS[1]: "planned", WHATS[2]: "dropped"}


def test_an_action_not_decided_yet_is_left_for_later(story: Story) -> None:
    second, (weekly, supervision, _) = _three_earlier_actions(story)
    response = story.look_back(second, {weekly: ("done", ""), supervision: ("", "")})
    assert response.status_code == 302
    assert _saved(second) == {"Meet as peers weekly": ("done", "")}
    page = story.tags(second, story.team.facilitator)
    assert len(re.findall(r'value=""[^>]*checked', page)) == 2  # the two left for later
    assert page.count("Not decided yet") == 2  # a saved look back is changed, not taken back


def test_a_problem_with_one_action_saves_nothing_and_keeps_everything_typed(
    story: Story,
) -> None:
    second, (weekly, supervision, notes) = _three_earlier_actions(story)
    response = story.look_back(
        second,
        {
            weekly: ("done", "Every Tuesday since June"),
            supervision: ("finished", "Asked, no answer yet"),
            notes: ("dropped", "The team chose another way"),
        },
    )
    assert response.status_code == 400
    assert not ActionReview.objects.exists()
    page = response.content.decode()
    for typed in ("Every Tuesday since June", "Asked, no answer yet", "The team chose another way"):
        assert f"{typed}</textarea>" in page
    assert re.search(rf'name="review-{weekly.pk}-outcome" value="done"[^>]*checked', page)
    assert re.search(rf'name="review-{notes.pk}-outcome" value="dropped"[^>]*checked', page)
    words = text(page)
    assert "Nothing was saved yet" in words
    assert "Ask for supervision from a peer lead: Where it is now: Select a valid choice." in words
    assert page.count("<form") == page.count("</form>") == 2  # the look back, and signing out


def test_what_happened_without_an_outcome_is_not_lost(story: Story) -> None:
    second, (weekly, supervision, _) = _three_earlier_actions(story)
    response = story.look_back(
        second, {weekly: ("done", "Every Tuesday"), supervision: ("", "We asked twice")}
    )
    assert response.status_code == 400
    assert not ActionReview.objects.exists()
    page = response.content.decode()
    assert "We asked twice</textarea>" in page
    assert (
        "Ask for supervision from a peer lead: Where it is now: Choose kept, done or dropped, so "
        "what you wrote is saved." in text(page)
    )


def test_a_look_back_saved_meanwhile_is_not_overwritten_and_nothing_else_is_saved(
    story: Story,
) -> None:
    second, (weekly, supervision, _) = _three_earlier_actions(story)
    opened = {f"review-{a.pk}-seen": "" for a in (weekly, supervision)}
    story.review(second, supervision, "done", "Their account of it")
    response = story.team.client_for(story.team.lead).post(
        look_back_url(story.team, second),
        {
            **opened,
            f"review-{weekly.pk}-outcome": "done",
            f"review-{weekly.pk}-what_happened": "Every Tuesday",
            f"review-{supervision.pk}-outcome": "kept",
            f"review-{supervision.pk}-what_happened": "My account",
        },
    )
    assert response.status_code == 409
    assert _saved(second) == {
        "Ask for supervision from a peer lead": ("done", "Their account of it")
    }
    page = response.content.decode()
    assert "Their account of it" in text(page)
    assert "My account</textarea>" in page
    assert "Every Tuesday</textarea>" in page
    assert "Someone else saved a look back at this action after you opened the page" in text(page)
    stamp = services.review_stamp(ActionReview.objects.get(action=supervision))
    assert f'name="review-{supervision.pk}-seen" value="{stamp}"' in page

    again = story.team.client_for(story.team.lead).post(
        look_back_url(story.team, second),
        {
            f"review-{weekly.pk}-outcome": "done",
            f"review-{weekly.pk}-what_happened": "Every Tuesday",
            f"review-{weekly.pk}-seen": "",
            f"review-{supervision.pk}-outcome": "kept",
            f"review-{supervision.pk}-what_happened": "My account",
            f"review-{supervision.pk}-seen": stamp,
        },
    )
    assert again.status_code == 302
    assert _saved(second) == {
        "Meet as peers weekly": ("done", "Every Tuesday"),
        "Ask for supervision from a peer lead": ("kept", "My account"),
    }


def test_a_saved_look_back_is_shown_and_changed_and_an_unchanged_one_is_left_alone(
    story: Story,
) -> None:
    second, (weekly, supervision, _) = _three_earlier_actions(story)
    story.look_back(second, {weekly: ("done", "Happened"), supervision: ("kept", "Slowly")})
    page = story.tags(second, story.team.facilitator)
    assert "Happened</textarea>" in page
    assert "Slowly</textarea>" in page
    response = story.look_back(
        second, {weekly: ("kept", "Not quite: carry on"), supervision: ("kept", "Slowly")}
    )
    assert messages_of(response) == ["The look back is saved: 1 action changed."]
    assert _saved(second)["Meet as peers weekly"] == ("kept", "Not quite: carry on")
    events = AuditEvent.objects.filter(object_type="reflection.ActionReview").order_by("pk")
    assert [e.action for e in events] == ["create", "create", "change"]


def test_saving_with_nothing_decided_saves_nothing(story: Story) -> None:
    second, _ = _three_earlier_actions(story)
    response = story.look_back(second, {})
    assert response.status_code == 302
    assert messages_of(response) == ["Nothing needed saving: no action was changed."]
    assert not ActionReview.objects.exists()


def test_a_finished_cycles_look_back_cannot_change(story: Story) -> None:
    second, (weekly, *_) = _three_earlier_actions(story)
    story.finish(second)
    response = story.look_back(second, {weekly: ("done", "")})
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("This cycle is finished")
    assert not ActionReview.objects.exists()


def test_an_action_that_cannot_be_looked_back_at_is_named_and_nothing_is_saved(
    story: Story,
) -> None:
    second, (weekly, *_) = _three_earlier_actions(story)
    own = story.agree(second, "Agreed in this cycle")
    said = services.ReviewEntry("done", "", "")
    with pytest.raises(services.LookBackRefused) as refused:
        services.review_actions(story.team.lead, second, {weekly.pk: said, own.pk: said})
    assert list(refused.value.problems) == [own.pk]
    assert "only at the actions agreed in the same service's earlier cycles" in str(
        refused.value.problems[own.pk]
    )
    assert not ActionReview.objects.exists()
    assert not AuditEvent.objects.filter(object_type="reflection.ActionReview").exists()


def test_the_facilitator_of_service_a_cannot_look_back_in_service_bs_cycle(story: Story) -> None:
    team = story.team
    story.earlier_action(service=team.service_b)
    cycle_b = story.cycle(2, service=team.service_b)
    assert story.look_back(cycle_b, {}).status_code == 403


@pytest.mark.parametrize("person", ["coordinator", "peer_worker", "rater", "viewer"])
def test_people_who_do_not_run_the_cycle_cannot_look_back(story: Story, person: str) -> None:
    action = story.earlier_action()
    second = story.cycle(2)
    response = story.look_back(second, {action: ("done", "")}, getattr(story.team, person))
    assert response.status_code == 403
    assert not ActionReview.objects.exists()


def test_the_look_back_needs_a_post(story: Story) -> None:
    team = story.team
    story.earlier_action()
    second = story.cycle(2)
    assert team.client_for(team.lead).get(look_back_url(team, second)).status_code == 405


def test_the_service_refuses_words_without_an_outcome_and_saves_nothing(story: Story) -> None:
    second, (weekly, supervision, _) = _three_earlier_actions(story)
    entries = {
        weekly.pk: services.ReviewEntry("done", "", ""),
        supervision.pk: services.ReviewEntry("", "We asked twice", ""),
    }
    with pytest.raises(services.LookBackRefused) as refused:
        services.review_actions(story.team.lead, second, entries)
    problem = refused.value.problems[supervision.pk]
    assert isinstance(problem, InvalidInput)
    assert problem.problems == {"outcome": services.UNDECIDED_WITH_TEXT}
    assert not ActionReview.objects.exists()
