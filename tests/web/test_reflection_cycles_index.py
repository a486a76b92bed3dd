"""The evaluation's reflection cycles: that they happened, for everyone; the text for few."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import as_, open_cycle

pytestmark = pytest.mark.django_db


def _index(team: Team) -> str:
    return reverse("reflection:index", args=[team.evaluation.pk])


def test_a_viewer_sees_that_every_services_cycle_happened_without_links_to_the_text(
    team: Team,
) -> None:
    a, b = open_cycle(team), open_cycle(team, team.service_b)
    page = as_(team, "viewer").get(_index(team)).content.decode()
    assert "North team" in page
    assert "South team" in page
    assert reverse("reflection:cycle", args=[team.evaluation.pk, a.pk]) not in page
    assert reverse("reflection:cycle", args=[team.evaluation.pk, b.pk]) not in page
    assert "stays with the service’s own people" in page


def test_a_rater_sees_only_their_own_services_cycle(team: Team) -> None:
    open_cycle(team), open_cycle(team, team.service_b)
    page = as_(team, "rater").get(_index(team)).content.decode()
    assert "North team" in page
    assert "South team" not in page


def test_a_facilitator_gets_a_link_to_their_services_cycle_and_a_button_to_open_one(
    team: Team,
) -> None:
    a = open_cycle(team)
    page = as_(team, "facilitator").get(_index(team)).content.decode()
    assert reverse("reflection:cycle", args=[team.evaluation.pk, a.pk]) in page
    assert reverse("reflection:open", args=[team.evaluation.pk]) in page


def test_a_coordinator_reads_the_cycle_but_is_not_offered_to_open_one(team: Team) -> None:
    a = open_cycle(team)
    page = as_(team, "coordinator").get(_index(team)).content.decode()
    assert reverse("reflection:cycle", args=[team.evaluation.pk, a.pk]) in page
    assert reverse("reflection:open", args=[team.evaluation.pk]) not in page


def test_the_list_shows_status_who_took_part_and_the_report(team: Team) -> None:
    cycle = open_cycle(team)
    cycle.peer_workers, cycle.supervisors = 3, 1
    cycle.save()
    page = as_(team, "viewer").get(_index(team)).content.decode()
    assert "4 in all (peer workers 3, supervisors 1)" in page
    assert "Open" in page
    assert "Draft" in page


def test_with_no_cycle_the_page_says_so(team: Team) -> None:
    page = as_(team, "lead").get(_index(team)).content.decode()
    assert "No reflection cycle has been opened yet." in page


def test_every_member_finds_reflection_in_the_navigation_and_on_the_overview(team: Team) -> None:
    for persona in ("lead", "viewer", "rater", "peer_worker"):
        page = as_(team, persona).get(reverse("evaluations:detail", args=[team.evaluation.pk]))
        html = page.content.decode()
        nav = html[html.index('<nav class="evaluation-nav"') :]
        assert f'href="{_index(team)}"' in nav[: nav.index("</nav>")], persona
        assert "See the reflection cycles" in html


def test_the_list_refuses_a_post(team: Team) -> None:
    assert as_(team, "lead").post(_index(team)).status_code == 405


def test_an_outsider_is_told_there_is_no_such_evaluation(team: Team) -> None:
    assert as_(team, "outsider").get(_index(team)).status_code == 404
