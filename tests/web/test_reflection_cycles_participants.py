"""Who took part in a cycle, by role and number, and when: versioned and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import (
    as_,
    cycle_a_fixture,  # noqa: F401 (the cycle_a fixture)
    cycle_b_fixture,  # noqa: F401 (the cycle_b fixture)
    url,
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import cycles as services

pytestmark = pytest.mark.django_db


def _form(cycle: Cycle, **values: object) -> dict[str, object]:
    data: dict[str, object] = {"taking_part-version": cycle.version}
    data.update({f"taking_part-{k}": v for k, v in values.items()})
    return data


def test_the_facilitator_records_who_took_part_by_role(team: Team, cycle_a: Cycle) -> None:
    response = as_(team, "facilitator").post(
        url("participants", cycle_a),
        _form(cycle_a, met_on="2025-05-14", peer_workers="3", people_supported="2", others=""),
    )
    assert response.status_code == 302
    cycle_a.refresh_from_db()
    assert (cycle_a.peer_workers, cycle_a.people_supported, cycle_a.others) == (3, 2, 0)
    assert cycle_a.met_on == dt.date(2025, 5, 14)
    assert cycle_a.version == 2
    event = AuditEvent.objects.filter(object_type="reflection.Cycle", action="change").get()
    assert "5 in all" in event.summary


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("peer_workers", "-1", "Give a whole number: 0 or more."),
        ("managers", "two", "Give a whole number, such as 3."),
        ("supervisors", "1.5", "Give a whole number, such as 3."),
        ("met_on", "next tuesday", "Give a date such as "),
    ],
)
def test_a_count_that_is_not_a_whole_number_is_explained(
    team: Team, cycle_a: Cycle, field: str, value: str, message: str
) -> None:
    response = as_(team, "facilitator").post(
        url("participants", cycle_a), _form(cycle_a, **{field: value})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    cycle_a.refresh_from_db()
    assert cycle_a.version == 1


def test_a_day_still_to_come_is_refused(team: Team, cycle_a: Cycle) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = as_(team, "facilitator").post(
        url("participants", cycle_a), _form(cycle_a, met_on=tomorrow.isoformat())
    )
    assert response.status_code == 400
    assert "today or earlier" in response.content.decode()


def test_a_save_over_someone_elses_change_is_refused(team: Team, cycle_a: Cycle) -> None:
    stale = _form(cycle_a, peer_workers="9")
    services.set_participants(
        team.lead, cycle_a, expected_version=1, met_on=None, counts={"peer_workers": 2}
    )
    response = as_(team, "facilitator").post(url("participants", cycle_a), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this record of who took part" in page
    assert 'name="taking_part-version" value="2"' in page
    assert 'name="taking_part-peer_workers" value="9"' in page
    cycle_a.refresh_from_db()
    assert cycle_a.peer_workers == 2


def test_a_finished_cycles_counts_do_not_change(team: Team, cycle_a: Cycle) -> None:
    services.finish_cycle(team.lead, cycle_a)
    cycle_a.refresh_from_db()
    client = as_(team, "facilitator")
    response = client.post(
        url("participants", cycle_a), _form(cycle_a, peer_workers="4"), follow=True
    )
    assert "This cycle is finished" in response.content.decode()
    cycle_a.refresh_from_db()
    assert cycle_a.peer_workers == 0


@pytest.mark.parametrize("persona", ["coordinator", "peer_worker", "viewer"])
def test_only_the_people_running_it_record_who_took_part(
    team: Team, cycle_a: Cycle, persona: str
) -> None:
    response = as_(team, persona).post(url("participants", cycle_a), _form(cycle_a))
    assert response.status_code == 403


def test_a_facilitator_of_a_reaching_for_b_is_refused(team: Team, cycle_b: Cycle) -> None:
    response = as_(team, "facilitator").post(url("participants", cycle_b), _form(cycle_b))
    assert response.status_code == 403


def test_counts_are_only_ever_posted(team: Team, cycle_a: Cycle) -> None:
    assert as_(team, "facilitator").get(url("participants", cycle_a)).status_code == 405
