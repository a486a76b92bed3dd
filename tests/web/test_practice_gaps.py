"""Gaps at a glance: questions of the matrix, beside the services' results and actions.

The programme covers the team's services A and B. Its lead leads the evaluation too; its other
members have other roles there, or none: each sees a service's results and actions only as
their role in the evaluation lets them see them on the evaluation's own pages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.results_fixtures import (
    Scored,
    expected_cells,
    mean_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
    text,
)

from peerprinciples.web.evaluations.models import Service
from peerprinciples.web.library.models import StoredFramework, StoredGuide
from peerprinciples.web.practice.models import Area, Cell, Programme, ProgrammeMember, Prompt
from peerprinciples.web.practice.services.programmes import create_programme
from peerprinciples.web.reflection.models import Action, Cycle
from peerprinciples.web.reflection.services import actions as reflection

pytestmark = pytest.mark.django_db

Role = ProgrammeMember.Role


@dataclass
class Setting:
    """The team's evaluation and a programme over its two services."""

    team: Team
    programme: Programme

    def join(self, user: Any, role: str = Role.READER) -> Any:
        ProgrammeMember.objects.create(programme=self.programme, user=user, role=role)
        return user

    def page(self, user: Any) -> str:
        url = reverse("practice:gaps", args=[self.programme.pk])
        response = self.team.client_for(user).get(url)
        assert response.status_code == 200
        return response.content.decode()

    def write(self, area: str, principle: str, status: str, text: str = "Something.") -> Cell:
        return Cell.objects.create(
            programme=self.programme,
            area=Area.objects.get(programme=self.programme, key=area),
            principle=principle,
            text=text,
            status=status,
        )

    def action(
        self, service: Service, what: str, principle: str = "mutuality", status: str = "planned"
    ) -> Action:
        """An action agreed by the service's round 1 cycle (opened when missing)."""
        cycle, _ = Cycle.objects.get_or_create(
            evaluation=self.team.evaluation,
            service=service,
            round=self.team.round,
            defaults={
                "guide": StoredGuide.objects.get(key="enrich-reflection", version="1"),
                "opened_by": self.team.lead,
            },
        )
        return reflection.add_action(
            self.team.lead,
            cycle,
            principle=principle,
            what=what,
            who="Peer worker team",
            due=dt.date(2025, 9, 30),
            status=status,
        )


def _setting(team: Team) -> Setting:
    programme = create_programme(
        team.lead,
        name="Peer support across the teams",
        framework=StoredFramework.objects.get(key="enrich"),
        services=[team.service_a, team.service_b],
    )
    return Setting(team, programme)


@pytest.fixture
def setting(team: Team) -> Setting:
    return _setting(team)


def marked(page: str, mark: str) -> str | None:
    """The text of the element carrying ``data-<mark>`` (its first closing tag ends it)."""
    name, _, value = mark.partition("=")
    found = re.search(rf'data-{name}="{re.escape(value)}"[^>]*>(.*?)</(td|li|p)>', page, re.S)
    if found is None:
        return None
    return " ".join(unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


# --- the matrix's gaps, as questions -----------------------------------------------------------


def test_gaps_are_asked_as_questions(setting: Setting) -> None:
    setting.write("supervision", "relationships", "in_place")
    setting.write("supervision", "mutuality", "not_yet")
    setting.write("recruitment", "mutuality", "not_relevant")
    Prompt.objects.create(
        programme=setting.programme,
        area=Area.objects.get(programme=setting.programme, key="team-support"),
        principle="mutuality",
        text="Do peer workers and other staff learn from each other in team meetings?",
    )
    html = setting.page(setting.team.lead)
    said = text(html)

    assert marked(html, "open=supervision/mutuality") == (
        "Supervision (individual): not yet. What would it take for mutuality and reciprocity to "
        "be in place in supervision (individual)? Link reflection actions to Mutuality and "
        "reciprocity in Supervision (individual)"
    )
    assert marked(html, "empty=team-support/mutuality") == (
        "Team support and peer worker meetings has nothing written for mutuality and "
        "reciprocity yet: what does mutuality and reciprocity look like in team support and "
        "peer worker meetings here? To start: Do peer workers and other staff learn from each "
        "other in team meetings? Write how Mutuality and reciprocity shows in Team support and "
        "peer worker meetings · Link reflection actions to Mutuality and reciprocity in Team "
        "support and peer worker meetings"
    )
    # A cell in place, or decided not relevant, is no gap.
    assert marked(html, "open=supervision/relationships") is None
    assert marked(html, "empty=supervision/relationships") is None
    assert marked(html, "empty=recruitment/mutuality") is None
    assert marked(html, "open=recruitment/mutuality") is None
    # Supervision is reached by relationships; recruitment by nothing.
    assert marked(html, "unreached=supervision") is None
    assert marked(html, "unreached=recruitment") == (
        "No principle shows in “Recruitment and interview questions” yet: which one could shape "
        "it first?"
    )
    # Not relevant, but nobody said why: that is asked about.
    assert marked(html, "no-reason=recruitment/mutuality") == (
        "Recruitment and interview questions is marked not relevant here without a reason: why "
        "does mutuality and reciprocity not apply there?"
    )
    assert marked(html, "nowhere=mutuality") is not None
    assert marked(html, "nowhere=relationships") is None
    # Never a score of the matrix: no share of cells filled, no count of gaps.
    assert "%" not in said
    assert not re.search(r"\b\d+ (gaps|cells|areas)\b", said)


def test_a_programme_without_services_says_so(team: Team) -> None:
    programme = create_programme(
        team.lead, name="On its own", framework=StoredFramework.objects.get(key="enrich")
    )
    html = Setting(team, programme).page(team.lead)
    assert "No services are linked to this programme yet" in html
    assert "data-fidelity" not in html
    assert "data-kept" not in html


# --- fidelity results beside each principle ----------------------------------------------------


def _expected(scored: Scored, service: str, measure: str) -> dict[str, tuple[float, int]]:
    frame = scored.scores()
    return expected_cells(frame[frame["service"] == service], [measure])


def test_the_evaluations_lead_sees_each_services_results_for_the_principle(
    scored: Scored,
) -> None:
    team = scored.team
    setting = _setting(team)
    html = setting.page(team.lead)
    for service, code in ((team.service_a, "A"), (team.service_b, "B")):
        expected = _expected(scored, code, "mutuality")
        for round_ in ("1", "2", "all"):
            mean, n = expected[f"cell:mutuality/{round_}/all"]
            shown = marked(html, f"fidelity={service.pk}/mutuality/{round_}")
            assert shown is not None
            assert mean_of(shown) == pytest.approx(mean, abs=0.005)
            assert f"({n} interviews)" in shown
    assert "data-kept" not in html


def test_each_principle_has_one_results_table_with_its_scale(scored: Scored) -> None:
    team = scored.team
    html = _setting(team).page(team.lead)
    instrument = team.evaluation.instrument.model()
    low = min(scale.min for scale in instrument.scales)
    high = max(scale.max for scale in instrument.scales)
    section = html[html.index('data-principle="mutuality"') :]
    section = section[: section.index("</section>")]
    assert section.count("<table") == 1
    caption = re.search(r"<caption[^>]*>(.*?)</caption>", section, re.S)
    assert caption is not None
    assert caption.group(1) == (
        "Mutuality and reciprocity: mean score of everyone interviewed, "
        f"on a scale from {low} to {high}"
    )
    # One group of rows per service, named as the results pages name it.
    assert section.count('scope="rowgroup"') == 2
    assert "North team (A)" in section
    assert "South team (B)" in section
    assert section.index("North team (A)") < section.index(
        f'data-fidelity="{team.service_a.pk}/mutuality/1"'
    )


def test_a_member_with_no_role_in_the_evaluation_is_told_where_results_are_kept(
    scored: Scored,
) -> None:
    team = scored.team
    setting = _setting(team)
    stranger = setting.join(team.outsider)
    html = setting.page(stranger)
    assert "data-fidelity" not in html
    assert "data-action=" not in html
    kept = marked(html, f"kept=results/{team.evaluation.pk}")
    assert kept == (
        "Results for North team (A), South team (B) are kept in the evaluation "
        "“Fidelity review 2025”: ask its lead."
    )
    assert not re.search(r"\d\.\d\d", text(html)), "no mean may show"


def test_small_numbers_are_hidden_as_on_the_results_pages(scored: Scored, settings: Any) -> None:
    team = scored.team
    settings.SMALL_NUMBER_THRESHOLD = 10  # a service's round holds 9 interviews, all rounds 18
    setting = _setting(team)
    setting.join(team.viewer)
    seen = setting.page(team.viewer)
    led = setting.page(team.lead)
    a = team.service_a.pk
    for round_ in ("1", "2"):
        assert (
            marked(seen, f"fidelity={a}/mutuality/{round_}") == "Hidden: fewer than 10 interviews"
        )
        assert "(9 interviews)" in (marked(led, f"fidelity={a}/mutuality/{round_}") or "")
    mean, n = _expected(scored, "A", "mutuality")["cell:mutuality/all/all"]
    everyone = marked(seen, f"fidelity={a}/mutuality/all")
    assert everyone is not None
    assert mean_of(everyone) == pytest.approx(mean, abs=0.005)
    assert n == 18


def test_a_coordinator_sees_results_of_their_own_service_only(scored: Scored) -> None:
    team = scored.team
    setting = _setting(team)
    setting.join(team.coordinator)
    html = setting.page(team.coordinator)
    assert marked(html, f"fidelity={team.service_a.pk}/mutuality/all") is not None
    assert marked(html, f"fidelity={team.service_b.pk}/mutuality/all") is None
    assert marked(html, f"kept=results/{team.evaluation.pk}") == (
        "Results for South team (B) are kept in the evaluation “Fidelity review 2025”: ask its "
        "lead."
    )


# --- open reflection actions beside each principle ----------------------------------------------


def test_open_actions_show_only_to_those_who_read_the_services_reflections(
    setting: Setting,
) -> None:
    team = setting.team
    in_a = setting.action(team.service_a, "Share a supervision slot as peers")
    in_b = setting.action(team.service_b, "Invite the team to a peer-led lunch")
    done = setting.action(team.service_a, "Write a page about mutuality", status="done")
    about_a_theme = setting.action(
        team.service_a,
        "Ask who is missing from the team",
        principle="diversity-of-lived-experience",
    )

    lead = setting.page(team.lead)
    assert "Share a supervision slot as peers" in (marked(lead, f"action={in_a.pk}") or "")
    assert marked(lead, f"action={in_b.pk}") is not None
    assert marked(lead, f"action={done.pk}") is None, "done actions are not open"
    assert "Ask who is missing" in (marked(lead, f"action={about_a_theme.pk}") or "")

    # The facilitator reads service A's reflections, not service B's.
    setting.join(team.facilitator)
    facilitated = setting.page(team.facilitator)
    assert marked(facilitated, f"action={in_a.pk}") is not None
    assert marked(facilitated, f"action={in_b.pk}") is None
    assert "peer-led lunch" not in facilitated
    assert marked(facilitated, f"kept=actions/{team.evaluation.pk}") == (
        "Reflection actions of South team (B) are kept in the evaluation “Fidelity review "
        "2025”: ask its lead."
    )

    # A viewer sees aggregates but reads no reflection.
    setting.join(team.viewer)
    viewed = setting.page(team.viewer)
    assert "data-action=" not in viewed
    assert "supervision slot" not in viewed
    assert marked(viewed, f"kept=actions/{team.evaluation.pk}") is not None
