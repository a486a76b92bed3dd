"""Looking back at earlier actions: what happened, and kept, done or dropped."""

from __future__ import annotations

import pytest
from tests.web.reflection_actions_fixtures import (
    Story,
    cycle_url,
    messages_of,
    review_url,
    story_fixture,  # noqa: F401 (the story fixture)
    text,
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import Action, ActionReview
from peerprinciples.web.reflection.services import actions as services

pytestmark = pytest.mark.django_db


def _looked_back_at(story: Story, cycle_number: int) -> list[str]:
    cycle = story.team.evaluation.cycles.get(round__number=cycle_number)
    return [item.action.what for group in services.looking_back(cycle) for item in group.items]


def test_the_next_cycle_looks_back_at_the_last_cycles_actions(story: Story) -> None:
    first = story.cycle(1)
    story.agree(first, "Meet as peers weekly")
    story.agree(first, "Ask for supervision from a peer lead")
    story.finish(first)
    story.cycle(2)
    assert _looked_back_at(story, 2) == [
        "Meet as peers weekly",
        "Ask for supervision from a peer lead",
    ]


@pytest.mark.parametrize("outcome", ["kept", "done", "dropped"])
def test_a_facilitator_records_what_happened_and_the_outcome(story: Story, outcome: str) -> None:
    first = story.cycle(1)
    action = story.agree(first)
    story.finish(first)
    second = story.cycle(2)
    response = story.review(second, action, outcome, "We met most weeks, then the room went")
    assert response.status_code == 302
    assert response["Location"] == cycle_url(story.team, second) + f"#look-back-{action.pk}"
    review = ActionReview.objects.get(action=action, cycle=second)
    assert review.outcome == outcome
    assert review.what_happened == "We met most weeks, then the room went"
    assert review.reviewed_by == story.team.facilitator


def test_done_and_dropped_close_the_action_and_set_its_status(story: Story) -> None:
    first = story.cycle(1)
    done, dropped, kept = (story.agree(first, w) for w in ("Done", "Dropped", "Kept"))
    story.finish(first)
    second = story.cycle(2)
    story.review(second, done, "done")
    story.review(second, dropped, "dropped")
    story.review(second, kept, "kept")
    statuses = {a.what: a.status for a in Action.objects.filter(cycle=first)}
    assert statuses == {"Done": "done", "Dropped": "dropped", "Kept": "planned"}
    story.finish(second)
    story.cycle(3)
    assert _looked_back_at(story, 3) == ["Kept"]


def test_a_kept_action_comes_back_in_the_third_cycle_with_its_review_history(
    story: Story,
) -> None:
    first = story.cycle(1)
    action = story.agree(first, "Meet as peers weekly")
    story.finish(first)
    second = story.cycle(2)
    story.review(second, action, "kept", "Room booked only twice")
    story.finish(second)
    third = story.cycle(3)
    groups = services.looking_back(third)
    assert [group.cycle.pk for group in groups] == [first.pk]
    (item,) = groups[0].items
    assert [(r.cycle.pk, r.outcome) for r in item.history] == [(second.pk, "kept")]
    assert item.review is None
    page = text(story.tags(third, story.team.facilitator))
    assert "Looked back at before: Round 2: Kept: carry on . Room booked only twice" in page


def test_newer_cycles_actions_come_first(story: Story) -> None:
    first = story.cycle(1)
    story.agree(first, "From the first cycle")
    story.finish(first)
    second = story.cycle(2)
    story.agree(second, "From the second cycle")
    story.finish(second)
    story.cycle(3)
    assert _looked_back_at(story, 3) == ["From the second cycle", "From the first cycle"]


def test_a_review_can_be_changed_while_the_reviewing_cycle_is_open(story: Story) -> None:
    first = story.cycle(1)
    action = story.agree(first)
    story.finish(first)
    second = story.cycle(2)
    story.review(second, action, "done", "Happened")
    response = story.review(second, action, "kept", "Not quite: carry on")
    assert response.status_code == 302
    review = ActionReview.objects.get(action=action, cycle=second)
    assert (review.outcome, review.what_happened) == ("kept", "Not quite: carry on")
    action.refresh_from_db()
    assert action.status == Action.Status.UNDER_WAY
    events = AuditEvent.objects.filter(object_type="reflection.ActionReview")
    assert [e.action for e in events.order_by("pk")] == ["create", "change"]
    assert events.order_by("pk").last().before["outcome"] == "done"  # type: ignore[union-attr]


def test_a_review_saved_meanwhile_by_someone_else_is_not_overwritten(story: Story) -> None:
    first = story.cycle(1)
    action = story.agree(first)
    story.finish(first)
    second = story.cycle(2)
    story.review(second, action, "done", "Their account of it")
    prefix = f"review-{action.pk}"
    response = story.team.client_for(story.team.lead).post(
        review_url(story.team, second, action),
        {
            f"{prefix}-outcome": "dropped",
            f"{prefix}-what_happened": "My account",
            f"{prefix}-seen": "",
        },
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Their account of it" in text(page)
    assert "My account</textarea>" in page
    review = ActionReview.objects.get(action=action, cycle=second)
    assert (review.outcome, review.what_happened) == ("done", "Their account of it")


def test_a_finished_cycles_reviews_cannot_change(story: Story) -> None:
    first = story.cycle(1)
    action = story.agree(first)
    story.finish(first)
    second = story.cycle(2)
    story.review(second, action, "kept", "Going slowly")
    story.finish(second)
    response = story.review(second, action, "done")
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("This cycle is finished")
    assert ActionReview.objects.get(action=action, cycle=second).outcome == "kept"


def test_a_cycle_cannot_look_back_at_its_own_actions(story: Story) -> None:
    cycle = story.cycle(1)
    action = story.agree(cycle)
    response = story.review(cycle, action, "done")
    assert response.status_code == 302
    assert (
        "only at the actions agreed in the same service's earlier cycles"
        in (messages_of(response)[0])
    )
    assert not ActionReview.objects.exists()


def test_a_cycle_cannot_look_back_at_another_services_actions(story: Story) -> None:
    team = story.team
    action_b = story.earlier_action(service=team.service_b)
    cycle_a = story.cycle(2)
    prefix = f"review-{action_b.pk}"
    response = team.client_for(team.lead).post(
        review_url(team, cycle_a, action_b), {f"{prefix}-outcome": "done"}
    )
    assert response.status_code == 302
    assert not ActionReview.objects.exists()


def test_an_action_closed_earlier_cannot_be_reviewed_again(story: Story) -> None:
    first = story.cycle(1)
    action = story.agree(first)
    story.finish(first)
    second = story.cycle(2)
    story.review(second, action, "done")
    story.finish(second)
    third = story.cycle(3)
    response = story.review(third, action, "kept")
    assert "already looked back at as done in Round 2" in messages_of(response)[0]
    assert not ActionReview.objects.filter(cycle=third).exists()


def test_an_outcome_must_be_chosen(story: Story) -> None:
    first = story.cycle(1)
    action = story.agree(first)
    story.finish(first)
    second = story.cycle(2)
    response = story.review(second, action, "finished")
    assert response.status_code == 400
    assert "Where it is now: Select a valid choice." in text(response.content.decode())
    assert not ActionReview.objects.exists()


def test_the_facilitator_of_service_a_cannot_review_service_bs_action(story: Story) -> None:
    team = story.team
    action_b = story.earlier_action(service=team.service_b)
    cycle_b = story.cycle(2, service=team.service_b)
    assert story.review(cycle_b, action_b, "done").status_code == 403


@pytest.mark.parametrize("person", ["coordinator", "peer_worker", "rater", "viewer"])
def test_people_who_do_not_run_the_cycle_cannot_look_back(story: Story, person: str) -> None:
    team = story.team
    action = story.earlier_action()
    second = story.cycle(2)
    prefix = f"review-{action.pk}"
    response = team.client_for(getattr(team, person)).post(
        review_url(team, second, action), {f"{prefix}-outcome": "done"}
    )
    assert response.status_code == 403


def test_looking_back_needs_a_post(story: Story) -> None:
    team = story.team
    action = story.earlier_action()
    second = story.cycle(2)
    assert team.client_for(team.lead).get(review_url(team, second, action)).status_code == 405
