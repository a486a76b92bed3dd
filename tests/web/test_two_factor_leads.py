"""Two-factor sign-in required of leads: ``PEERPRINCIPLES_REQUIRE_TWO_FACTOR_FOR_LEADS``.

With the setting on, the lead of an evaluation, the facilitator of a co-production project
and the lead of a programme are sent to set up two-factor sign-in before any other page,
once signed in without a code; everyone else is not. With it off (the default), nobody is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from tests.web.conftest import Panel, Team
from tests.web.settings_process import read_settings
from tests.web.two_factor_support import app_code, give_code, give_password, switch_on

from peerprinciples.web.accounts import two_factor
from peerprinciples.web.practice.models import Programme, ProgrammeMember

pytestmark = pytest.mark.django_db

SET_UP = reverse("two_factor_set_up")


@pytest.fixture
def required(settings: Any) -> None:
    settings.REQUIRE_TWO_FACTOR_FOR_LEADS = True


def _home(client: Client) -> Any:
    return client.get(reverse("home"))


def test_an_evaluation_s_lead_is_sent_to_set_it_up_before_any_page(
    team: Team, required: None
) -> None:
    client = team.client_for(team.lead)
    for path in (reverse("home"), reverse("evaluations:detail", args=[team.evaluation.pk])):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == SET_UP
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert "As a lead, you sign in with a code" in page.content.decode()
    # The pages about two-factor and signing out stay open.
    assert client.get(reverse("two_factor")).status_code == 200
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_once_set_up_in_this_session_the_lead_goes_on(team: Team, required: None) -> None:
    client = team.client_for(team.lead)
    client.get(SET_UP)
    device = two_factor.app_of(team.lead, confirmed=False)
    assert device is not None
    client.post(SET_UP, {"code": app_code(device)})
    assert _home(client).status_code == 200


def test_a_lead_signing_in_with_a_code_goes_straight_on(team: Team, required: None) -> None:
    device, _ = switch_on(team.lead)
    client = Client()
    give_password(client, "lead")
    give_code(client, app_code(device, 1))
    assert _home(client).status_code == 200


def test_a_lead_with_two_factor_on_but_a_session_without_a_code_signs_in_again(
    team: Team, required: None
) -> None:
    switch_on(team.lead)
    client = team.client_for(team.lead)  # signed in before switching it on elsewhere
    response = _home(client)
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    page = client.get(reverse("login")).content.decode()
    assert "Sign in again, with a code from your authenticator app." in page


def test_a_project_s_facilitator_and_a_programme_s_lead_are_sent_too(
    panel: Panel, team: Team, required: None
) -> None:
    assert _home(panel.client_for(panel.facilitator))["Location"] == SET_UP
    programme = Programme.objects.create(
        name="Peer support north", framework=team.evaluation.framework, created_by=team.viewer
    )
    ProgrammeMember.objects.create(
        programme=programme, user=team.viewer, role=ProgrammeMember.Role.LEAD
    )
    assert _home(team.client_for(team.viewer))["Location"] == SET_UP


def test_no_one_else_is_sent(panel: Panel, team: Team, required: None) -> None:
    others = [team.coordinator, team.rater, team.viewer, team.facilitator, team.peer_worker]
    for user in others:
        assert _home(team.client_for(user)).status_code == 200, user.username
    for user in (panel.research, panel.panel, panel.outsider):
        assert _home(panel.client_for(user)).status_code == 200, user.username
    programme = Programme.objects.create(
        name="Peer support south", framework=team.evaluation.framework, created_by=team.rater
    )
    ProgrammeMember.objects.create(
        programme=programme, user=team.rater, role=ProgrammeMember.Role.CONTRIBUTOR
    )
    assert _home(team.client_for(team.rater)).status_code == 200


def test_with_the_setting_off_leads_are_not_sent(team: Team) -> None:
    assert _home(team.client_for(team.lead)).status_code == 200


def test_the_setting_reads_yes_or_no_and_refuses_anything_else(tmp_path: Path) -> None:
    name = "PEERPRINCIPLES_REQUIRE_TWO_FACTOR_FOR_LEADS"
    on = read_settings("s.REQUIRE_TWO_FACTOR_FOR_LEADS", tmp_path, **{name: "true"})
    assert on.stdout.strip() == "True"
    off = read_settings("s.REQUIRE_TWO_FACTOR_FOR_LEADS", tmp_path)
    assert off.stdout.strip() == "False"
    wrong = read_settings("", tmp_path, **{name: "sometimes"})
    assert wrong.returncode != 0
    assert f"{name}='sometimes' is not a yes/no value" in wrong.stderr


def test_whether_someone_leads_anything_is_one_query(
    team: Team, panel: Panel, django_assert_num_queries: Any
) -> None:
    from peerprinciples.web.permissions import leads_anything

    with django_assert_num_queries(1):
        assert leads_anything(team.lead)
    with django_assert_num_queries(1):
        assert leads_anything(panel.facilitator)
    with django_assert_num_queries(1):
        assert not leads_anything(team.rater)
