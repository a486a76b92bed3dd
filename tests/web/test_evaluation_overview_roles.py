"""A facilitator's and a peer worker's evaluation page: their service's reflection first, in
plain words, without the evaluation's set-up or anyone else's user name."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_report_fixtures import open_cycle
from tests.web.results_fixtures import text

pytestmark = pytest.mark.django_db

SET_UP = (
    'id="members-title"',
    "second_rater",  # another member's user name
    "Withdrawing an interview",
    "erased",
    "What it is pinned to",
    "Fidelity index",
    "enrich-example-index",
    "peer workers taking part",
    "PW-B1",
    "South team",
    'id="rounds-title"',
)


def _overview(team: Team, user: object) -> str:
    response = team.client_for(user).get(reverse("evaluations:detail", args=[team.evaluation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _url(team: Team, name: str, *args: int) -> str:
    return reverse(f"reflection:{name}", args=[team.evaluation.pk, *args])


def test_a_peer_worker_sees_their_part_first_then_one_plain_line_about_the_evaluation(
    team: Team,
) -> None:
    page = _overview(team, team.peer_worker)
    assert page.index('id="own-title"') < page.index('id="about-title"')
    about = text(page[page.index('id="about-title"') :])
    assert "It looks at peer support through the ENRICH peer support principles." in about
    assert _url(team, "index") in page[page.index('id="about-title"') :]


def test_a_peer_worker_sees_no_member_no_other_service_and_nothing_of_the_set_up(
    team: Team,
) -> None:
    page = _overview(team, team.peer_worker)
    for shown in SET_UP:
        assert shown not in page, shown


def test_a_facilitator_sees_their_services_cycles_first(team: Team) -> None:
    cycle_a = open_cycle(team)
    cycle_b = open_cycle(team, service=team.service_b)
    page = _overview(team, team.facilitator)
    assert page.index('id="facilitated-title"') < page.index('id="about-title"')
    section = page[page.index('id="facilitated-title"') : page.index('id="about-title"')]
    assert _url(team, "index") in section
    assert _url(team, "open") in section
    assert _url(team, "timeline", team.service_a.pk) in section
    assert _url(team, "cycle", cycle_a.pk) in section
    assert "Reflection for A in Baseline" in text(section)
    assert _url(team, "timeline", team.service_b.pk) not in page
    assert _url(team, "cycle", cycle_b.pk) not in page


def test_a_facilitator_with_no_cycle_yet_is_told_so(team: Team) -> None:
    page = _overview(team, team.facilitator)
    assert "No cycle has been opened yet." in page
    assert _url(team, "open") in page


def test_a_facilitator_sees_the_framework_in_one_line_and_nothing_of_the_set_up(
    team: Team,
) -> None:
    page = _overview(team, team.facilitator)
    assert "It looks at peer support through the ENRICH peer support principles." in text(page)
    for shown in SET_UP:
        assert shown not in page, shown


def test_the_other_roles_still_see_the_set_up_and_the_members(team: Team) -> None:
    for user in (team.lead, team.coordinator, team.rater, team.viewer):
        page = _overview(team, user)
        assert 'id="members-title"' in page
        assert "second_rater" in page
        assert "Withdrawing an interview" in page
        assert "What it is pinned to" in page
        assert 'id="about-title"' not in page
        assert 'id="facilitated-title"' not in page


def test_the_page_refuses_a_post(team: Team) -> None:
    url = reverse("evaluations:detail", args=[team.evaluation.pk])
    for user in (team.facilitator, team.peer_worker):
        assert team.client_for(user).post(url).status_code == 405
