"""The drafting pages offer changes only to those who may make them (EDIT_DRAFTS)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Panel

from peerprinciples.web.coproduction.models import DraftPrinciple

pytestmark = pytest.mark.django_db


def _principle_page(panel: Panel, user: object) -> str:
    principle = DraftPrinciple.objects.create(
        project=panel.project, key="listening", title="Listening first"
    )
    url = reverse("coproduction:principle", args=[panel.project.pk, principle.pk])
    return panel.client_for(user).get(url).content.decode()


def test_a_panel_member_is_not_offered_to_change_what_supports_a_principle(
    panel: Panel,
) -> None:
    page = _principle_page(panel, panel.panel)
    assert "Change what supports the principles" not in page
    assert "What supports each principle" in page
    assert reverse("coproduction:mapping", args=[panel.project.pk]) in page


def test_the_research_team_is_offered_to_change_what_supports_a_principle(
    panel: Panel,
) -> None:
    assert "Change what supports the principles" in _principle_page(panel, panel.research)


def test_with_no_principle_a_panel_member_is_not_told_to_add_them(panel: Panel) -> None:
    url = reverse("coproduction:mapping", args=[panel.project.pk])
    page = panel.client_for(panel.panel).get(url).content.decode()
    assert "Add the draft principles" not in page
    assert "The research team drafts them" in page
    research = panel.client_for(panel.research).get(url).content.decode()
    assert "Add the draft principles" in research
