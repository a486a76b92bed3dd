"""A person's projects, starting one, a project's overview, and its settings and stage."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Panel

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import (
    Card,
    IndividualSort,
    Member,
    Project,
    RatingScale,
    StatementRating,
)

pytestmark = pytest.mark.django_db


def _url(panel: Panel, name: str, *args: Any) -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *args])


def _settings(panel: Panel, **changes: Any) -> dict[str, Any]:
    project = Project.objects.get(pk=panel.project.pk)
    return {
        "name": project.name,
        "framing_question": project.framing_question,
        "description": project.description,
        "cards_per_member": project.cards_per_member,
        "stage": project.stage,
        "version": project.version,
        **changes,
    }


# --- the list of one's projects -----------------------------------------------------------------


def test_a_member_sees_their_projects_with_code_role_and_stage(panel: Panel) -> None:
    page = panel.client_for(panel.panel).get(reverse("coproduction:index")).content.decode()
    assert panel.project.name in page
    assert "P01" in page
    assert "Panel member" in page
    assert "Setting up" in page
    assert reverse("coproduction:create") in page


def test_someone_in_no_project_is_told_how_to_join_or_start_one(panel: Panel) -> None:
    page = panel.client_for(panel.outsider).get(reverse("coproduction:index")).content.decode()
    assert panel.project.name not in page
    assert "You are not in any co-production project yet" in page
    assert "<strong>otto</strong>" in page


def test_the_home_page_links_to_co_production(panel: Panel) -> None:
    page = panel.client_for(panel.outsider).get(reverse("home")).content.decode()
    assert f'href="{reverse("coproduction:index")}"' in page
    assert "Your co-production projects" in page


# --- starting a project -------------------------------------------------------------------------


def test_whoever_starts_a_project_facilitates_it_as_f01(panel: Panel) -> None:
    client = panel.client_for(panel.outsider)
    assert 'value="F01"' in client.get(reverse("coproduction:create")).content.decode()
    response = client.post(
        reverse("coproduction:create"),
        {
            "name": "Principles for our crisis house",
            "framing_question": "What should peer support in the crisis house never lose?",
            "description": "",
            "cards_per_member": "4",
            "code": "F01",
        },
    )
    project = Project.objects.get(name="Principles for our crisis house")
    assert response.status_code == 302
    assert response["Location"] == reverse("coproduction:members", args=[project.pk])
    member = project.members.get()
    assert (member.user, member.code, member.role, member.decides) == (
        panel.outsider,
        "F01",
        Member.Role.FACILITATOR,
        True,
    )
    assert project.cards_per_member == 4
    assert project.stage == Project.Stage.SETTING_UP
    assert AuditEvent.objects.filter(object_type="coproduction.Project", object_id=str(project.pk))


def test_a_project_without_a_question_or_with_a_name_for_a_code_is_refused(panel: Panel) -> None:
    response = panel.client_for(panel.outsider).post(
        reverse("coproduction:create"),
        {"name": "Kept", "framing_question": "  ", "cards_per_member": "5", "code": "otto"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Framing question" in page
    assert 'href="#id_framing_question"' in page
    assert not Project.objects.filter(name="Kept").exists()


def test_a_code_holding_the_account_name_is_refused_when_starting(panel: Panel) -> None:
    response = panel.client_for(panel.outsider).post(
        reverse("coproduction:create"),
        {"name": "Kept", "framing_question": "Why?", "cards_per_member": "5", "code": "otto1"},
    )
    assert response.status_code == 400
    assert "contains part of the account" in response.content.decode()
    assert not Project.objects.filter(name="Kept").exists()


@pytest.mark.parametrize("count", ["0", "21", "many"])
def test_cards_per_member_out_of_range_is_refused(panel: Panel, count: str) -> None:
    response = panel.client_for(panel.outsider).post(
        reverse("coproduction:create"),
        {"name": "Kept", "framing_question": "Why?", "cards_per_member": count, "code": "F01"},
    )
    assert response.status_code == 400
    assert 'href="#id_cards_per_member"' in response.content.decode()


def test_starting_a_project_needs_sign_in(panel: Panel) -> None:
    from django.test import Client

    response = Client().post(reverse("coproduction:create"), {"name": "X"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Project.objects.filter(name="X").exists()


# --- the overview -------------------------------------------------------------------------------


def test_the_overview_shows_the_question_the_stage_and_what_comes_next(panel: Panel) -> None:
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.CARDS)
    page = panel.client_for(panel.research).get(_url(panel, "project")).content.decode()
    assert "What makes peer support work well in our community?" in page
    assert "Where the project is now: Writing cards" in page
    assert "Next, the panel sorts the cards into piles" in page
    assert '<strong aria-current="step">Writing cards (now)</strong>' in page
    assert 'Reviewing the evidence <span class="muted">(done)</span>' in page


def test_the_overview_points_to_the_rounds_and_the_framework_at_their_stages(
    panel: Panel,
) -> None:
    client = panel.client_for(panel.panel)
    links = {
        Project.Stage.ROUNDS: f'<a href="{_url(panel, "rounds")}">Go to the drafting rounds</a>',
        Project.Stage.PUBLISHED: (
            f'<a href="{_url(panel, "publish")}">Go to the publishing page</a>'
        ),
    }
    for stage, link in links.items():
        Project.objects.filter(pk=panel.project.pk).update(stage=stage)
        page = client.get(_url(panel, "project")).content.decode()
        assert f"Where the project is now: {stage.label}" in page
        assert link in page
        assert all(other not in page for other in links.values() if other != link)


def test_the_overview_shows_who_leads_and_their_own_words(panel: Panel) -> None:
    Member.objects.filter(code="F01").update(
        lived_experience=True, perspective="I have used crisis services myself."
    )
    Member.objects.filter(code="P02").update(decides=True, lived_experience=None)
    Member.objects.filter(code="P01").update(perspective="Not a leader, not shown here.")
    page = panel.client_for(panel.panel).get(_url(panel, "project")).content.decode()
    leaders = page[page.index('id="leadership"') : page.index('id="progress"')]
    assert "F01" in leaders
    assert "Brings lived experience" in leaders
    assert "I have used crisis services myself." in leaders
    assert "P02" in leaders
    assert "Not said" in leaders
    assert "P01" not in leaders
    assert "1 of the 2 says they bring lived experience" in " ".join(leaders.split())


def test_the_overview_counts_what_the_project_holds(panel: Panel) -> None:
    project = panel.project
    pam, pat = panel.member(panel.panel), panel.member(panel.panel_b)
    kept = Card.objects.create(project=project, number=1, text="One", author=pam)
    Card.objects.create(project=project, number=2, text="Two", author=pat, merged_into=kept)
    IndividualSort.objects.create(project=project, member=pam, status=IndividualSort.Status.DONE)
    IndividualSort.objects.create(project=project, member=pat)
    scale = RatingScale.objects.create(project=project, key="importance", label="Importance")
    StatementRating.objects.create(member=pam, card=kept, scale=scale, value=4)
    page = panel.client_for(panel.panel).get(_url(panel, "project")).content.decode()
    counts = " ".join(page[page.index('id="progress"') :].split())
    assert "Panel members</th><td>2</td>" in counts
    assert "Facilitators</th><td>1</td>" in counts
    assert 'Cards written</th><td>1 <span class="muted">(and 1 merged into others)' in counts
    assert 'Individual sorts finished</th><td>1 <span class="muted">(2 started)' in counts
    assert 'Ratings given</th><td>1 <span class="muted">by 1 member</span>' in counts
    assert "Concept maps worked out</th><td>0</td>" in counts


def test_only_the_facilitator_is_offered_the_settings(panel: Panel) -> None:
    settings_url = _url(panel, "settings")
    assert (
        settings_url
        in panel.client_for(panel.facilitator).get(_url(panel, "project")).content.decode()
    )
    page = panel.client_for(panel.panel).get(_url(panel, "project")).content.decode()
    assert settings_url not in page
    assert "The facilitator moves the project on" in page


def test_the_overview_leads_those_who_may_to_the_rcmap_files(panel: Panel) -> None:
    rcmap_url = _url(panel, "rcmap_import")
    for person in (panel.facilitator, panel.research):
        page = panel.client_for(person).get(_url(panel, "project")).content.decode()
        assert f'<a href="{rcmap_url}">RCMap files in and out</a>' in page
    page = panel.client_for(panel.panel).get(_url(panel, "project")).content.decode()
    assert rcmap_url not in page


# --- settings and stage -------------------------------------------------------------------------


def test_the_facilitator_moves_the_project_on_and_the_trail_records_it(panel: Panel) -> None:
    client = panel.client_for(panel.facilitator)
    response = client.post(_url(panel, "settings"), _settings(panel, stage="cards"))
    assert response.status_code == 302
    project = Project.objects.get(pk=panel.project.pk)
    assert (project.stage, project.version) == (Project.Stage.CARDS, 2)
    event = AuditEvent.objects.filter(object_type="coproduction.Project").latest("at")
    assert event.summary == "Moved the project from “Setting up” to “Writing cards”"
    assert (event.before["stage"], event.after["stage"]) == ("setting_up", "cards")
    assert "now at the stage “Writing cards”" in client.get(response["Location"]).content.decode()


def test_the_facilitator_moves_the_project_back(panel: Panel) -> None:
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.SORTING)
    client = panel.client_for(panel.facilitator)
    client.post(_url(panel, "settings"), _settings(panel, stage="cards"))
    assert Project.objects.get(pk=panel.project.pk).stage == Project.Stage.CARDS


def test_the_settings_page_says_what_happens_in_each_stage(panel: Panel) -> None:
    page = panel.client_for(panel.facilitator).get(_url(panel, "settings")).content.decode()
    assert "Each panel member rates every statement" in page
    assert 'value="setting_up"' in page
    assert "checked" in page.split('value="setting_up"')[1].split(">")[0]


def test_a_second_save_over_someone_elses_settings_is_refused(panel: Panel) -> None:
    client = panel.client_for(panel.facilitator)
    opened = _settings(panel)
    client.post(_url(panel, "settings"), {**opened, "name": "Theirs"})
    response = client.post(_url(panel, "settings"), {**opened, "name": "Mine"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved the settings" in page
    assert 'value="Mine"' in page
    assert Project.objects.get(pk=panel.project.pk).name == "Theirs"


def test_an_unknown_stage_is_refused(panel: Panel) -> None:
    response = panel.client_for(panel.facilitator).post(
        _url(panel, "settings"), _settings(panel, stage="finished")
    )
    assert response.status_code == 400
    assert Project.objects.get(pk=panel.project.pk).stage == Project.Stage.SETTING_UP


def test_only_the_facilitator_changes_the_settings(panel: Panel) -> None:
    for user in (panel.research, panel.panel):
        response = panel.client_for(user).post(
            _url(panel, "settings"), _settings(panel, stage="cards")
        )
        assert response.status_code == 403
    assert Project.objects.get(pk=panel.project.pk).stage == Project.Stage.SETTING_UP


def test_the_home_page_lists_a_members_projects_with_their_stage_and_code(panel: Panel) -> None:
    page = panel.client_for(panel.panel).get(reverse("home")).content.decode()
    project_url = reverse("coproduction:project", args=[panel.project.pk])
    assert f'<a href="{project_url}">{panel.project.name}</a>' in page
    assert "setting up; you take part as P01, panel member." in page
    # Someone in no project sees none listed.
    outsider = panel.client_for(panel.outsider).get(reverse("home")).content.decode()
    assert project_url not in outsider
