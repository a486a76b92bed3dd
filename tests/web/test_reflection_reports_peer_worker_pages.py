"""What a peer worker's home and evaluation pages offer: their cycles and drafts to reply to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import finish, finished_cycle, open_cycle
from tests.web.results_fixtures import text

from peerprinciples.web.evaluations.models import Round
from peerprinciples.web.reflection.services import replies

pytestmark = pytest.mark.django_db


def _overview(team: Team, user: object) -> str:
    url = reverse("evaluations:detail", args=[team.evaluation.pk])
    return team.client_for(user).get(url).content.decode()


def test_the_overview_lists_the_draft_reports_a_peer_worker_can_reply_to(team: Team) -> None:
    cycle = finished_cycle(team)
    open_cycle(team, service=team.service_b)
    page = _overview(team, team.peer_worker)
    section = page[page.index('id="own-title"') : page.index('id="about-title"')]
    assert "linked to the code PW-A1 in service A" in text(section)
    assert reverse("reflection:report", args=[team.evaluation.pk, cycle.pk]) in section
    assert "service B" not in section
    assert "No report has been released yet." in section
    assert reverse("reflection:timeline", args=[team.evaluation.pk, team.service_a.pk]) in section


def test_a_released_report_moves_to_the_services_cycles(team: Team) -> None:
    cycle = finished_cycle(team)
    replies.release(team.lead, cycle)
    page = _overview(team, team.peer_worker)
    assert "No draft report is open for replies." in page
    assert "released on" in page


def test_other_roles_get_no_peer_worker_section(team: Team) -> None:
    finished_cycle(team)
    for user in (team.lead, team.facilitator, team.viewer):
        assert 'id="own-title"' not in _overview(team, user)


def test_home_links_a_peer_worker_to_their_services_reflection_reports(team: Team) -> None:
    page = team.client_for(team.peer_worker).get(reverse("home")).content.decode()
    assert reverse("evaluations:detail", args=[team.evaluation.pk]) + "#yours" in page
    lead_page = team.client_for(team.lead).get(reverse("home")).content.decode()
    assert "#yours" not in lead_page


def test_each_draft_says_whether_its_cycle_goes_on_or_until_when_replies_are_open(
    team: Team,
) -> None:
    later = Round.objects.create(evaluation=team.evaluation, number=2, label="Autumn review")
    last = Round.objects.create(evaluation=team.evaluation, number=3, label="Spring review")
    until = timezone.localdate() + dt.timedelta(days=7)
    finished_cycle(team)
    finish(open_cycle(team, round_=later), replies_until=until)
    open_cycle(team, round_=last)
    page = _overview(team, team.peer_worker)
    start, end = page.index("Draft reports you can reply to"), page.index("Your service’s cycles")
    section = text(page[start:end])
    assert "service A, Spring review (the cycle is still going on)" in section
    assert f"service A, Autumn review (replies open until {until:%-d %B %Y})" in section
    assert "service A, Baseline (replies were asked for by" in section
    assert "you can still reply until the lead releases it" in section
