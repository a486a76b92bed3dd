"""A project's overview: what it published, where to vote, and what each stage came to."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Panel
from tests.web.coproduction_publishing_fixtures import RULE, agreed_drafts

from peerprinciples.web.coproduction.models import (
    Ballot,
    Card,
    DraftingRound,
    Member,
    Project,
    Publication,
)

pytestmark = pytest.mark.django_db

FORM = {"title": "Riverside principles", "summary": "Made here.", "instrument": "none"}


def _url(panel: Panel, name: str, *args: Any) -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *args])


def _overview(panel: Panel, user: Any) -> str:
    return panel.client_for(user).get(_url(panel, "project")).content.decode()


def test_before_publishing_the_overview_says_the_key_and_what_would_be_published(
    panel: Panel,
) -> None:
    Project.objects.filter(pk=panel.project.pk).update(framework_key="our-principles")
    page = _overview(panel, panel.panel)
    assert "The framework will be published under the key <code>our-principles</code>" in page
    assert "See what would be published" in page
    assert "Published so far" not in page


def test_a_published_project_links_each_version_and_offers_the_next(panel: Panel) -> None:
    agreed_drafts(panel)
    client = panel.client_for(panel.facilitator)
    for version in ("1", "2"):
        assert client.post(_url(panel, "publish"), {**FORM, "version": version}).status_code == 302
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.PUBLISHED)
    page = _overview(panel, panel.panel)
    assert "The framework will be published under the key" not in page
    assert "Published so far, newest first" in page
    first, second = Publication.objects.order_by("pk")
    # Newest first: version 2's link comes before version 1's.
    assert page.index(_url(panel, "publication", second.pk)) < page.index(
        _url(panel, "publication", first.pk)
    )
    assert "Riverside principles, version 1" in page
    assert "See what the next version would publish" in page


def _open_round(panel: Panel) -> DraftingRound:
    opened = DraftingRound.objects.create(
        project=panel.project, number=1, rule=RULE, opened_by=panel.facilitator
    )
    opened.invited.set(panel.project.members.filter(role=Member.Role.PANEL))
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.ROUNDS)
    return opened


def test_a_panel_member_who_has_not_voted_gets_a_link_to_vote(panel: Panel) -> None:
    _open_round(panel)
    page = _overview(panel, panel.panel)
    assert "Vote in round 1" in page
    assert f'href="{_url(panel, "round_vote", 1)}"' in page


def test_no_vote_link_once_the_ballot_is_in_or_for_those_who_do_not_vote(panel: Panel) -> None:
    opened = _open_round(panel)
    pam = panel.project.members.get(user=panel.panel)
    Ballot.objects.create(round=opened, member=pam)
    assert "Vote in round 1" not in _overview(panel, panel.panel)
    for user in (panel.facilitator, panel.research):
        page = _overview(panel, user)
        assert "Vote in round 1" not in page
        assert "Go to the drafting rounds" in page


def test_no_vote_link_for_a_closed_round(panel: Panel) -> None:
    opened = _open_round(panel)
    DraftingRound.objects.filter(pk=opened.pk).update(status=DraftingRound.Status.CLOSED)
    assert "Vote in round 1" not in _overview(panel, panel.panel)


def test_the_parts_list_and_the_navigation_name_rounds_and_publishing_alike(
    panel: Panel,
) -> None:
    page = _overview(panel, panel.panel)
    parts = page[page.index('id="parts-title"') :]
    assert f'<a href="{_url(panel, "rounds")}">Drafting rounds</a>' in parts
    assert f'<a href="{_url(panel, "publish")}">Publishing</a>' in parts
    navigation = page[: page.index('id="main"')]
    assert ">Drafting rounds</a>" in navigation
    assert ">Publishing</a>" in navigation
    assert ">Rounds</a>" not in navigation
    assert ">Framework</a>" not in navigation


# --- a local adaptation's stages ----------------------------------------------------------------


def _adaptation(panel: Panel, stage: str) -> None:
    Project.objects.filter(pk=panel.project.pk).update(kind=Project.Kind.ADAPTATION, stage=stage)


def _stage_item(page: str, label: str) -> str:
    found = re.search(rf"<li>{re.escape(label)}(.*?)</li>", page)
    assert found is not None, label
    return found.group(1)


def test_an_adaptation_s_stages_with_nothing_in_them_were_skipped_not_done(
    panel: Panel,
) -> None:
    _adaptation(panel, Project.Stage.DRAFTING)
    Card.objects.create(project=panel.project, number=1, text="Someone who has been there.")
    page = _overview(panel, panel.panel)
    assert "(skipped" in _stage_item(page, "Reviewing the evidence")
    assert "(skipped" in _stage_item(page, "Reading the concept map")
    # It wrote cards, so that stage was done; setting up and the values always are.
    assert "(done)" in _stage_item(page, "Writing cards")
    assert "(done)" in _stage_item(page, "Setting up")
    assert "(done)" in _stage_item(page, "Agreeing the values")
    assert "(skipped" not in _stage_item(page, "Published")


def test_a_new_framework_s_earlier_stages_are_done_even_when_empty(panel: Panel) -> None:
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.DRAFTING)
    page = _overview(panel, panel.panel)
    assert "(skipped" not in page
    assert "(done)" in _stage_item(page, "Reviewing the evidence")


def test_an_adaptation_setting_up_is_not_told_the_evidence_comes_next(panel: Panel) -> None:
    _adaptation(panel, Project.Stage.SETTING_UP)
    page = _overview(panel, panel.panel)
    assert "brings in the evidence from the literature review" not in page
    assert "copied from the base framework" in page
    new = Project.objects.filter(pk=panel.project.pk)
    new.update(kind=Project.Kind.NEW)
    assert "brings in the evidence from the literature review" in _overview(panel, panel.panel)
