"""The lead's setting: whether peer workers see their own results."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url(team: Team) -> str:
    return reverse("evaluations:sharing", args=[team.evaluation.pk])


def test_the_lead_turns_own_results_on_and_off_and_each_change_is_audited(team: Team) -> None:
    client = team.client_for(team.lead)
    response = client.post(_url(team), {"own_results": "on"}, follow=True)
    assert "can now see their own results" in response.content.decode()
    team.evaluation.refresh_from_db()
    assert team.evaluation.peer_workers_see_own_results
    client.post(_url(team), {"own_results": "off"})
    team.evaluation.refresh_from_db()
    assert not team.evaluation.peer_workers_see_own_results
    summaries = list(
        AuditEvent.objects.filter(object_type="evaluations.Evaluation", action="change")
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "Peer workers may now see their own results",
        "Peer workers no longer see their own results",
    ]


def test_setting_it_to_what_it_already_is_records_nothing(team: Team) -> None:
    team.client_for(team.lead).post(_url(team), {"own_results": "off"})
    assert not AuditEvent.objects.filter(object_type="evaluations.Evaluation", action="change")


def test_the_setting_is_shown_on_the_evaluation_page(team: Team) -> None:
    page = (
        team.client_for(team.viewer)
        .get(reverse("evaluations:detail", args=[team.evaluation.pk]))
        .content.decode()
    )
    assert 'data-sharing="off"' in page
    assert "Let peer workers see their own results" not in page
    lead_page = (
        team.client_for(team.lead)
        .get(reverse("evaluations:detail", args=[team.evaluation.pk]))
        .content.decode()
    )
    assert "Let peer workers see their own results" in lead_page


def test_a_value_other_than_on_or_off_is_refused(team: Team) -> None:
    response = team.client_for(team.lead).post(_url(team), {"own_results": "maybe"}, follow=True)
    assert "Choose whether peer workers may see their own results." in response.content.decode()
    team.evaluation.refresh_from_db()
    assert not team.evaluation.peer_workers_see_own_results


def test_only_leads_change_it(team: Team) -> None:
    for user in (team.coordinator, team.facilitator, team.peer_worker):
        assert team.client_for(user).post(_url(team), {"own_results": "on"}).status_code == 403


def test_the_setting_takes_no_get(team: Team) -> None:
    assert team.client_for(team.lead).get(_url(team)).status_code == 405
