"""Finishing a cycle: what was said is kept as it is, and the reply window opens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import (
    as_,
    cycle_a_fixture,  # noqa: F401 (the cycle_a fixture)
    cycle_b_fixture,  # noqa: F401 (the cycle_b fixture)
    url,
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import Cycle

pytestmark = pytest.mark.django_db


def test_finishing_opens_two_weeks_for_replies_by_default_and_is_audited(
    team: Team, cycle_a: Cycle
) -> None:
    response = as_(team, "facilitator").post(url("finish", cycle_a), follow=True)
    cycle_a.refresh_from_db()
    assert cycle_a.status == Cycle.Status.FINISHED
    assert cycle_a.finished_at is not None
    assert cycle_a.replies_until == timezone.localdate() + dt.timedelta(days=14)
    assert "The cycle is finished." in response.content.decode()
    event = AuditEvent.objects.get(object_type="reflection.Cycle", action="change")
    assert event.user == team.facilitator
    assert "Finished the reflection cycle of A" in event.summary


def test_the_facilitator_chooses_the_reply_window(team: Team, cycle_a: Cycle) -> None:
    until = timezone.localdate() + dt.timedelta(days=30)
    as_(team, "facilitator").post(url("finish", cycle_a), {"finish-replies_until": until})
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
        url("finish", cycle_a), {"finish-replies_until": value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    cycle_a.refresh_from_db()
    assert cycle_a.status == Cycle.Status.OPEN


def test_finishing_twice_is_explained(team: Team, cycle_a: Cycle) -> None:
    as_(team, "facilitator").post(url("finish", cycle_a))
    response = as_(team, "lead").post(url("finish", cycle_a), follow=True)
    assert "This cycle is finished" in response.content.decode()
    assert AuditEvent.objects.filter(object_type="reflection.Cycle", action="change").count() == 1


def test_a_finished_cycles_page_offers_no_more_forms(team: Team, cycle_a: Cycle) -> None:
    as_(team, "facilitator").post(url("finish", cycle_a))
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
