"""Finishing a cycle: what was said is kept as it is, and the reply window opens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.web.conftest import Team
from tests.web.reflection_actions_fixtures import (
    Story,
    cycle_url,
    story_fixture,  # noqa: F401 (the story fixture)
    text,
)
from tests.web.reflection_cycle_fixtures import (
    as_,
    cycle_a_fixture,  # noqa: F401 (the cycle_a fixture)
    cycle_b_fixture,  # noqa: F401 (the cycle_b fixture)
    url,
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import Cycle

pytestmark = pytest.mark.django_db

SURE = {"finish-confirm": "on"}


def test_finishing_opens_two_weeks_for_replies_by_default_and_is_audited(
    team: Team, cycle_a: Cycle
) -> None:
    response = as_(team, "facilitator").post(url("finish", cycle_a), SURE, follow=True)
    cycle_a.refresh_from_db()
    assert cycle_a.status == Cycle.Status.FINISHED
    assert cycle_a.finished_at is not None
    assert cycle_a.replies_until == timezone.localdate() + dt.timedelta(days=14)
    day = timezone.localdate() + dt.timedelta(days=14)
    assert f"can reply to the draft report until {day.day} {day:%B %Y}." in (
        response.content.decode()
    )
    event = AuditEvent.objects.get(object_type="reflection.Cycle", action="change")
    assert event.user == team.facilitator
    assert "Finished the reflection cycle of A" in event.summary


def test_the_facilitator_chooses_the_reply_window(team: Team, cycle_a: Cycle) -> None:
    until = timezone.localdate() + dt.timedelta(days=30)
    as_(team, "facilitator").post(url("finish", cycle_a), {**SURE, "finish-replies_until": until})
    cycle_a.refresh_from_db()
    assert cycle_a.replies_until == until


@pytest.mark.parametrize(
    ("value", "message"),
    [("2000-01-01", "Choose a day from today on."), ("soon", "Give a date such as")],
)
def test_a_reply_window_in_the_past_or_not_a_date_is_explained(
    team: Team, cycle_a: Cycle, value: str, message: str
) -> None:
    response = as_(team, "facilitator").post(
        url("finish", cycle_a), {**SURE, "finish-replies_until": value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    cycle_a.refresh_from_db()
    assert cycle_a.status == Cycle.Status.OPEN


def test_finishing_without_ticking_the_box_is_explained_and_changes_nothing(
    team: Team, cycle_a: Cycle
) -> None:
    response = as_(team, "facilitator").post(url("finish", cycle_a))
    assert response.status_code == 400
    assert "Tick the box to say you want to finish the cycle now" in response.content.decode()
    cycle_a.refresh_from_db()
    assert cycle_a.status == Cycle.Status.OPEN
    assert not AuditEvent.objects.filter(object_type="reflection.Cycle", action="change").exists()


def test_the_finish_form_asks_for_the_tick_box(team: Team, cycle_a: Cycle) -> None:
    page = as_(team, "facilitator").get(url("cycle", cycle_a)).content.decode()
    assert 'name="finish-confirm"' in page
    assert "I have read what this cycle recorded and want to finish it now" in page


def test_earlier_actions_not_looked_back_at_are_pointed_out_beside_the_finish_form(
    team: Team, story: Story
) -> None:
    first = story.cycle(1)
    story.agree(first)
    story.agree(first, "Ask for a quiet room")
    story.finish(first)
    later = story.cycle(2)
    client = team.client_for(team.facilitator)
    words = text(client.get(cycle_url(team, later)).content.decode())
    assert (
        "2 earlier actions have not been looked back at in this cycle: they will come back "
        "next time." in words
    )
    response = client.post(url("finish", later), SURE)
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == Cycle.Status.FINISHED


def test_the_warning_counts_only_actions_not_yet_looked_back_at(team: Team, story: Story) -> None:
    first = story.cycle(1)
    looked_at = story.agree(first)
    story.agree(first, "Ask for a quiet room")
    story.finish(first)
    later = story.cycle(2)
    assert story.review(later, looked_at, "kept").status_code == 302
    words = text(team.client_for(team.facilitator).get(cycle_url(team, later)).content.decode())
    assert "1 earlier action has not been looked back at in this cycle: it will come back" in words


def test_no_warning_when_every_earlier_action_was_looked_back_at(
    team: Team, cycle_a: Cycle
) -> None:
    page = as_(team, "facilitator").get(url("cycle", cycle_a)).content.decode()
    assert "not been looked back at" not in page


def test_finishing_twice_is_explained(team: Team, cycle_a: Cycle) -> None:
    as_(team, "facilitator").post(url("finish", cycle_a), SURE)
    response = as_(team, "lead").post(url("finish", cycle_a), SURE, follow=True)
    assert "This cycle is finished" in response.content.decode()
    assert AuditEvent.objects.filter(object_type="reflection.Cycle", action="change").count() == 1


def test_a_finished_cycles_page_offers_no_more_forms(team: Team, cycle_a: Cycle) -> None:
    as_(team, "facilitator").post(url("finish", cycle_a), SURE)
    page = as_(team, "facilitator").get(url("cycle", cycle_a)).content.decode()
    assert url("finish", cycle_a) not in page
    assert url("participants", cycle_a) not in page
    assert url("reflect", cycle_a, "mutuality") not in page
    assert "peer workers can reply until" in page


@pytest.mark.parametrize("persona", ["coordinator", "peer_worker", "rater", "viewer"])
def test_only_the_people_running_it_finish_it(team: Team, cycle_a: Cycle, persona: str) -> None:
    assert as_(team, persona).post(url("finish", cycle_a)).status_code == 403


def test_a_facilitator_of_a_reaching_for_b_is_refused(team: Team, cycle_b: Cycle) -> None:
    assert as_(team, "facilitator").post(url("finish", cycle_b)).status_code == 403
    cycle_b.refresh_from_db()
    assert cycle_b.status == Cycle.Status.OPEN


def test_finishing_is_only_ever_posted(team: Team, cycle_a: Cycle) -> None:
    assert as_(team, "facilitator").get(url("finish", cycle_a)).status_code == 405
