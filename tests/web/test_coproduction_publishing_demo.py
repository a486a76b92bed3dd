"""The demo's publishing: the demo project's agreed drafts published as a synthetic
framework, and the synthetic adaptation project, both made once."""

from __future__ import annotations

from tests.web.coproduction_publishing_fixtures import agreed_drafts

from peerprinciples.core.library import Library
from peerprinciples.web.coproduction.demo.publishing import (
    ADAPTATION_KEY,
    ensure_adaptation_demo,
    publish_demo,
)
from peerprinciples.web.coproduction.models import DraftPrinciple, Project, Publication
from peerprinciples.web.coproduction.services import publishing as previews
from peerprinciples.web.coproduction.services.publishing_guides import guide_of
from peerprinciples.web.coproduction.services.publishing_store import publish
from peerprinciples.web.library.models import StoredGuide


def test_publish_demo_publishes_a_synthetic_framework_once(panel) -> None:  # type: ignore[no-untyped-def]
    assert publish_demo(panel.project) is None  # nothing drafted yet
    agreed_drafts(panel)
    Project.objects.filter(pk=panel.project.pk).update(synthetic=True)
    panel.project.refresh_from_db()
    publication = publish_demo(panel.project)
    assert publication is not None
    framework = publication.framework.model()
    assert framework.ref == "demo-principles@1"
    assert framework.provenance.synthetic
    assert "synthetic" in framework.title
    assert framework.notice == previews.SYNTHETIC_NOTICE
    assert publication.methods.startswith("These data are synthetic")
    assert publication.instrument.framework == publication.framework
    guide = guide_of(publication)
    assert guide is not None
    assert guide.model().framework == "demo-principles@1"
    assert publish_demo(panel.project) == publication
    assert Publication.objects.count() == 1
    assert StoredGuide.objects.count() == 1


def test_a_demo_published_before_guides_gets_its_starter_guide_once(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    publication = publish(panel.facilitator, panel.project, title="Demo", summary="", version="1")
    assert guide_of(publication) is None
    assert publish_demo(panel.project) == publication
    guide = guide_of(publication)
    assert guide is not None
    assert guide.version == "1"
    assert publish_demo(panel.project) == publication
    assert StoredGuide.objects.count() == 1


def test_the_adaptation_demo_is_made_once(panel, builtin_library: Library) -> None:  # type: ignore[no-untyped-def]
    users = {
        "demo-facilitator": panel.facilitator,
        "demo-lead": panel.research,
        "demo-panel-member": panel.panel,
    }
    project = ensure_adaptation_demo(users)
    assert project.synthetic
    assert project.base_framework.ref == "enrich@2017"
    assert project.framework_key == ADAPTATION_KEY
    assert sorted(project.members.values_list("code", flat=True)) == ["F01", "P01", "R01"]
    local = DraftPrinciple.objects.get(project=project, key="meeting-in-community")
    assert local.base_key == ""
    assert local.scope == "local"
    shown = previews.preview(project)
    kinds = {(c.kind, c.target) for c in shown.changes}
    assert ("added", "principle 'meeting-in-community'") in kinds
    assert ensure_adaptation_demo(users) == project
