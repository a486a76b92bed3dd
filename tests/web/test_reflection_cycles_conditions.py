"""The organisational conditions of a cycle: by level, a state and a note each."""

from __future__ import annotations

import html
import re

import pytest
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import (
    SECRET,
    as_,
    cycle_a_fixture,  # noqa: F401 (the cycle_a fixture)
    cycle_b_fixture,  # noqa: F401 (the cycle_b fixture)
    url,
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import ConditionCheck, Cycle
from peerprinciples.web.reflection.services import cycles as services

pytestmark = pytest.mark.django_db


def test_the_conditions_come_by_level_with_why_they_matter(team: Team, cycle_a: Cycle) -> None:
    page = as_(team, "facilitator").get(url("conditions", cycle_a)).content.decode()
    individual = page.index("For each peer worker")
    assert individual < page.index("In the team") < page.index("In the organisation")
    assert "Peer workers have supervision from someone who understands peer support." in page
    assert "Why it matters: Supervision from someone who only knows clinical roles" in page
    assert 'name="state_peer-space"' in page
    assert 'name="note_peer-space"' in page
    assert "Not discussed" in page


def test_states_and_notes_are_saved_and_audited_without_the_notes(
    team: Team, cycle_a: Cycle
) -> None:
    response = as_(team, "facilitator").post(
        url("conditions", cycle_a),
        {
            "state_peer-space": "partly",
            "note_peer-space": SECRET,
            "state_supervision-by-someone-who-understands": "yes",
            "state_choice-over-sharing": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#conditions")
    checks = {c.condition: (c.state, c.note) for c in ConditionCheck.objects.all()}
    assert checks == {
        "peer-space": ("partly", SECRET),
        "supervision-by-someone-who-understands": ("yes", ""),
    }
    event = AuditEvent.objects.get(object_type="reflection.Cycle", action="change")
    assert "2 added, 0 changed, 0 cleared" in event.summary
    assert SECRET not in str(event.after)


def test_a_condition_set_back_to_not_discussed_is_cleared(team: Team, cycle_a: Cycle) -> None:
    services.save_conditions(team.lead, cycle_a, {"peer-space": ("no", "")})
    response = as_(team, "facilitator").post(url("conditions", cycle_a), {"state_peer-space": ""})
    assert response.status_code == 302
    assert not ConditionCheck.objects.exists()


def test_the_form_opens_with_what_was_recorded(team: Team, cycle_a: Cycle) -> None:
    services.save_conditions(team.lead, cycle_a, {"peer-space": ("no", "Meet in the cafe")})
    page = as_(team, "facilitator").get(url("conditions", cycle_a)).content.decode()
    assert 'name="state_peer-space" value="no" id="id_state_peer-space_2" checked' in page
    assert "Meet in the cafe</textarea>" in page


def test_a_state_that_is_not_offered_is_explained(team: Team, cycle_a: Cycle) -> None:
    response = as_(team, "facilitator").post(
        url("conditions", cycle_a), {"state_peer-space": "maybe"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ConditionCheck.objects.exists()


def test_a_condition_the_guide_has_not_got_is_refused(team: Team, cycle_a: Cycle) -> None:
    from peerprinciples.web.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.save_conditions(team.lead, cycle_a, {"free-parking": ("yes", "")})


def test_a_finished_cycles_conditions_do_not_change(team: Team, cycle_a: Cycle) -> None:
    services.finish_cycle(team.lead, cycle_a)
    response = as_(team, "facilitator").post(
        url("conditions", cycle_a), {"state_peer-space": "yes"}, follow=True
    )
    assert "This cycle is finished" in response.content.decode()
    assert not ConditionCheck.objects.exists()


@pytest.mark.parametrize("persona", ["coordinator", "peer_worker", "rater", "viewer"])
def test_only_the_people_running_it_record_conditions(
    team: Team, cycle_a: Cycle, persona: str
) -> None:
    assert as_(team, persona).get(url("conditions", cycle_a)).status_code == 403


def test_a_facilitator_of_a_reaching_for_b_is_refused(team: Team, cycle_b: Cycle) -> None:
    response = as_(team, "facilitator").post(
        url("conditions", cycle_b), {"state_peer-space": "yes"}
    )
    assert response.status_code == 403
    assert not ConditionCheck.objects.exists()


def test_the_page_refuses_other_methods(team: Team, cycle_a: Cycle) -> None:
    assert as_(team, "facilitator").delete(url("conditions", cycle_a)).status_code == 405


def test_two_people_going_through_different_conditions_keep_each_others(
    team: Team, cycle_a: Cycle
) -> None:
    def opened_form(persona: str) -> dict[str, str]:
        page = as_(team, persona).get(url("conditions", cycle_a)).content.decode()
        found = re.search(r'name="opened" value="([^"]*)"', page)
        assert found
        return {"opened": html.unescape(found.group(1))}

    lead, facilitator = opened_form("lead"), opened_form("facilitator")
    as_(team, "lead").post(url("conditions", cycle_a), {**lead, "state_peer-space": "yes"})
    as_(team, "facilitator").post(
        url("conditions", cycle_a), {**facilitator, "state_choice-over-sharing": "partly"}
    )
    checks = {c.condition: c.state for c in ConditionCheck.objects.all()}
    assert checks == {"peer-space": "yes", "choice-over-sharing": "partly"}
