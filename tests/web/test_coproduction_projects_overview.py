"""A project's overview: what it published, where to vote, and what each stage came to."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Panel
from tests.web.coproduction_publishing_fixtures import agreed_drafts

from peerprinciples.web.coproduction.models import Project, Publication

pytestmark = pytest.mark.django_db

FORM = {"title": "Riverside principles", "summary": "Made here.", "instrument": "none"}


def _url(panel: Panel, name: str, *args: Any) -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *args])


def _overview(panel: Panel, user: Any) -> str:
    return panel.client_for(user).get(_url(panel, "project")).content.decode()


def test_before_publishing_the_overview_says_the_key_and_what_would_be_published(
    panel: Panel,
) -> None:
    page = _overview(panel, panel.panel)
    assert "The framework will be published under the key" in page
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
