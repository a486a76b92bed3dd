"""Linking reflection actions to a cell: only actions the person may read, audited, shown on
the gaps page beside the cell."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.test_practice_gaps import Setting, marked, setting

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Round
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.practice.models import Cell, ProgrammeMember
from peerprinciples.web.reflection.models import Action, Cycle
from peerprinciples.web.reflection.services import actions as reflection

pytestmark = pytest.mark.django_db

__all__ = ["setting"]

AREA, PRINCIPLE = "supervision", "mutuality"


def _url(setting: Setting, area: str = AREA, principle: str = PRINCIPLE) -> str:
    return reverse("practice:cell_actions", args=[setting.programme.pk, area, principle])


def _contributor(setting: Setting) -> Any:
    """The facilitator of service A, writing the matrix as a contributor."""
    return setting.join(setting.team.facilitator, ProgrammeMember.Role.CONTRIBUTOR)


def _linked(setting: Setting) -> set[int]:
    cell = Cell.objects.filter(area__key=AREA, principle=PRINCIPLE).first()
    return set() if cell is None else set(cell.actions.values_list("pk", flat=True))


def _events(setting: Setting) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="practice.Cell").order_by("pk"))


def test_the_page_lists_readable_actions_the_cells_principle_first(setting: Setting) -> None:
    team = setting.team
    about_relationships = setting.action(team.service_a, "Meet weekly", principle="relationships")
    about_mutuality = setting.action(team.service_a, "Share a supervision slot as peers")
    in_b = setting.action(team.service_b, "A peer-led lunch")
    user = _contributor(setting)
    page = team.client_for(user).get(_url(setting)).content.decode()
    assert page.index(f'value="{about_mutuality.pk}"') < page.index(
        f'value="{about_relationships.pk}"'
    )
    assert f'value="{in_b.pk}"' not in page, "the facilitator reads service A's reflections only"
    assert "peer-led lunch" not in page
    assert "checked" not in page


def test_linking_creates_the_cell_audits_it_and_shows_it_on_the_gaps_page(
    setting: Setting,
) -> None:
    team = setting.team
    action = setting.action(team.service_a, "Share a supervision slot as peers")
    user = _contributor(setting)
    client = team.client_for(user)
    assert not Cell.objects.exists()

    response = client.post(_url(setting), {"actions": [str(action.pk)]})
    assert response.status_code == 302
    assert _linked(setting) == {action.pk}
    [event] = _events(setting)
    assert event.user_id == user.pk
    assert event.before == {"actions": []}
    assert event.after == {"actions": [action.pk]}
    assert "Mutuality and reciprocity" in event.summary

    again = client.get(_url(setting)).content.decode()
    assert f'value="{action.pk}" id="action-{action.pk}" checked' in again

    gaps = setting.page(user)
    shown = marked(gaps, f"linked={AREA}/{PRINCIPLE}")
    assert shown is not None
    assert shown.startswith("Supervision (individual): Share a supervision slot as peers (planned)")

    # Unticking every action takes the link away, and says so in the trail.
    client.post(_url(setting), {})
    assert _linked(setting) == set()
    assert _events(setting)[-1].before == {"actions": [action.pk]}
    assert _events(setting)[-1].after == {"actions": []}


def test_saving_nothing_on_an_untouched_cell_writes_nothing(setting: Setting) -> None:
    client = setting.team.client_for(_contributor(setting))
    assert client.post(_url(setting), {}).status_code == 302
    assert not Cell.objects.exists()
    assert _events(setting) == []


def test_an_action_the_person_may_not_read_is_refused_by_its_number(setting: Setting) -> None:
    team = setting.team
    own = setting.action(team.service_a, "Share a supervision slot as peers")
    in_b = setting.action(team.service_b, "A peer-led lunch")
    client = team.client_for(_contributor(setting))
    response = client.post(_url(setting), {"actions": [str(own.pk), str(in_b.pk)]})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Action {in_b.pk} cannot be linked" in page
    assert "peer-led lunch" not in page
    assert _linked(setting) == set()
    assert _events(setting) == []


def test_an_action_of_another_evaluation_is_refused(setting: Setting) -> None:
    team = setting.team
    other = team.other_evaluation
    cycle = Cycle.objects.create(
        evaluation=other,
        service=other.services.get(),
        round=Round.objects.get(evaluation=other),
        guide=StoredGuide.objects.get(key="enrich-reflection", version="1"),
        opened_by=team.outsider,
    )
    foreign = reflection.add_action(
        team.outsider, cycle, principle="mutuality", what="Elsewhere", who="Team", due=None
    )
    response = team.client_for(team.lead).post(_url(setting), {"actions": [str(foreign.pk)]})
    assert response.status_code == 400
    assert f"Action {foreign.pk} cannot be linked" in response.content.decode()
    assert _linked(setting) == set()


def test_an_action_number_that_is_not_a_number_is_named(setting: Setting) -> None:
    response = setting.team.client_for(setting.team.lead).post(
        _url(setting), {"actions": ["seven"]}
    )
    assert response.status_code == 400
    assert "&#x27;seven&#x27; is not an action&#x27;s number" in response.content.decode()
    assert not Cell.objects.exists()


def test_links_the_person_cannot_see_are_kept_when_they_save(setting: Setting) -> None:
    team = setting.team
    in_a = setting.action(team.service_a, "Share a supervision slot as peers")
    in_b = setting.action(team.service_b, "A peer-led lunch")
    lead = team.client_for(team.lead)
    assert lead.post(_url(setting), {"actions": [str(in_a.pk), str(in_b.pk)]}).status_code == 302

    facilitator = team.client_for(_contributor(setting))
    assert facilitator.post(_url(setting), {}).status_code == 302
    assert _linked(setting) == {in_b.pk}

    # On the gaps page the facilitator learns where the other link is kept, not what it says.
    shown = marked(setting.page(team.facilitator), f"linked={AREA}/{PRINCIPLE}")
    assert shown is not None
    assert "peer-led lunch" not in shown
    assert "actions kept in the evaluation “Fidelity review 2025” (ask its lead)" in shown


def test_a_cell_that_is_not_in_the_matrix_is_not_found(setting: Setting) -> None:
    client = setting.team.client_for(setting.team.lead)
    assert client.get(_url(setting, area="no-such-area")).status_code == 404
    assert client.get(_url(setting, principle="no-such-principle")).status_code == 404
    assert client.post(_url(setting, principle="no-such-principle"), {}).status_code == 404


def test_a_new_service_of_the_evaluation_is_not_linkable_until_the_programme_covers_it(
    setting: Setting,
) -> None:
    team = setting.team
    service_c = setup.add_service(team.lead, team.evaluation, code="C", name="East team")
    in_c = setting.action(service_c, "Something in C")
    response = team.client_for(team.lead).post(_url(setting), {"actions": [str(in_c.pk)]})
    assert response.status_code == 400
    setting.programme.services.add(service_c)
    response = team.client_for(team.lead).post(_url(setting), {"actions": [str(in_c.pk)]})
    assert response.status_code == 302
    assert Action.objects.get(pk=in_c.pk).practice_cells.count() == 1


def _cell_page(setting: Setting, user: Any) -> str:
    url = reverse("practice:cell", args=[setting.programme.pk, AREA, PRINCIPLE])
    response = setting.team.client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_cell_page_lists_its_linked_actions_and_leads_to_linking_them(
    setting: Setting,
) -> None:
    team = setting.team
    in_a = setting.action(team.service_a, "Share a supervision slot as peers", status="under_way")
    in_b = setting.action(team.service_b, "A peer-led lunch")
    linking = reverse("practice:cell_actions", args=[setting.programme.pk, AREA, PRINCIPLE])
    contributor = _contributor(setting)
    before = _cell_page(setting, contributor)
    assert "No reflection action you may read is linked to this cell yet." in before
    assert f'href="{linking}">Reflection actions linked to this cell</a>' in before

    lead = team.client_for(team.lead)
    assert lead.post(_url(setting), {"actions": [str(in_a.pk), str(in_b.pk)]}).status_code == 302
    page = _cell_page(setting, contributor)
    assert "Share a supervision slot as peers" in page
    assert "Under way" in page
    assert "peer-led lunch" not in page, "the facilitator reads service A's reflections only"
    assert "A peer-led lunch" in _cell_page(setting, team.lead)


def test_a_reader_sees_the_linked_actions_but_no_link_to_change_them(setting: Setting) -> None:
    team = setting.team
    action = setting.action(team.service_a, "Share a supervision slot as peers")
    lead = team.client_for(team.lead)
    assert lead.post(_url(setting), {"actions": [str(action.pk)]}).status_code == 302
    reader = setting.join(team.facilitator)
    page = _cell_page(setting, reader)
    assert "Share a supervision slot as peers" in page
    assert "Planned" in page
    assert _url(setting) not in page
