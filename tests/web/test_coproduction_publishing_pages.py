"""The publishing pages: what would be published, publishing, a publication and its files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.urls import reverse
from tests.web.coproduction_publishing_fixtures import RULE, agreed_drafts

from peerprinciples.web.coproduction.models import (
    DraftingRound,
    DraftPrinciple,
    Project,
    Publication,
)
from peerprinciples.web.coproduction.services.adaptations import base_frameworks
from peerprinciples.web.coproduction.services.projects import create_project

FORM = {"title": "Riverside principles", "summary": "Made here.", "version": "1"}


def _url(project: Project, name: str = "coproduction:publish", *args: Any) -> str:
    return reverse(name, args=[project.pk, *args])


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peerprinciples.cli.main", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_panel_member_sees_what_is_not_agreed_and_no_form(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    DraftPrinciple.objects.filter(key="choice").update(agreed_in=None)
    page = panel.client_for(panel.panel).get(_url(panel.project)).content.decode()
    assert "Not yet agreed" in page
    assert "Choice" in page
    assert "publish-form" not in page
    assert "what-matters-in-peer-support-here@1" in page


def test_the_facilitator_publishes_and_downloads_a_file_the_cli_validates(  # type: ignore[no-untyped-def]
    panel, tmp_path: Path
) -> None:
    agreed_drafts(panel)
    client = panel.client_for(panel.facilitator)
    response = client.post(_url(panel.project), {**FORM, "instrument": "starter"})
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(panel.project, "coproduction:publication", publication.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Start an evaluation with it" in page
    # A principle names the values it protects, and a theme its principles, by title.
    assert "Protects: Being heard" in page
    assert "being-heard" not in page
    assert f"?instrument={publication.instrument_id}" in page
    for name in ("framework.yaml", "instrument.yaml"):
        download = client.get(
            _url(panel.project, "coproduction:publication_file", publication.pk, name)
        )
        assert download.status_code == 200
        # Named by key and version, so that two versions downloaded keep apart.
        saved_as = f"what-matters-in-peer-support-here-1-{name}"
        assert download["Content-Disposition"] == f'attachment; filename="{saved_as}"'
        (tmp_path / name).write_bytes(download.content)
    checked = _cli("framework", "validate", str(tmp_path / "framework.yaml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    markdown = client.get(
        _url(panel.project, "coproduction:publication_file", publication.pk, "framework.md")
    )
    assert "Listening first" in markdown.content.decode()
    evaluation_form = client.get(
        reverse("evaluations:create") + f"?instrument={publication.instrument_id}"
    ).content.decode()
    assert f'value="{publication.instrument_id}" checked' in evaluation_form or (
        f'value="{publication.instrument_id}" selected' in evaluation_form
    )


def test_unknown_and_missing_files_are_not_found(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    client = panel.client_for(panel.facilitator)
    client.post(_url(panel.project), {**FORM, "instrument": "none"})
    publication = Publication.objects.get()
    for name in ("secrets.yaml", "adaptation.yaml", "instrument.yaml"):
        response = client.get(
            _url(panel.project, "coproduction:publication_file", publication.pk, name)
        )
        assert response.status_code == 404, name


def test_an_open_round_refuses_publishing_with_the_reason(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    DraftingRound.objects.create(
        project=panel.project, number=2, rule=RULE, opened_by=panel.facilitator
    )
    response = panel.client_for(panel.facilitator).post(
        _url(panel.project), {**FORM, "instrument": "none"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Round 2 is still open for votes" in page
    # The refusal is said once, beside the form (not as a message at the top as well).
    assert page.count("so that the published wording is the wording the panel agreed") == 1
    assert not Publication.objects.exists()


def test_two_facilitators_publishing_the_same_version_one_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    project = panel.project
    second = panel.client_for(panel.research)
    project.members.filter(user=panel.research).update(role="facilitator")
    first = panel.client_for(panel.facilitator)
    # Both opened the page when version 1 was suggested; the first to press publishes it.
    assert first.post(_url(project), {**FORM, "instrument": "none"}).status_code == 302
    refused = second.post(_url(project), {**FORM, "title": "Theirs", "instrument": "none"})
    assert refused.status_code == 409
    assert "already published, and a published version never changes" in refused.content.decode()
    assert Publication.objects.get().framework.model().title == "Riverside principles"


def test_a_missing_version_is_shown_on_the_form(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    response = panel.client_for(panel.facilitator).post(
        _url(panel.project), {**FORM, "version": "", "instrument": "none"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_an_adaptation_yaml_is_diffed_by_the_cli(panel, builtin_library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = base_frameworks(builtin_library).get(key="enrich", version="2017")
    project = create_project(
        panel.facilitator,
        name="ENRICH at the hub",
        framing_question="What should ENRICH say here?",
        kind=Project.Kind.ADAPTATION,
        base_framework=base,
    )
    DraftPrinciple.objects.filter(project=project, key="mutuality").update(title="Give and take")
    closed = DraftingRound.objects.create(
        project=project, number=1, status="closed", rule=RULE, opened_by=panel.facilitator
    )
    DraftPrinciple.objects.filter(project=project).update(agreed_in=closed)
    from peerprinciples.web.coproduction.models import DraftAspect, DraftTheme

    DraftAspect.objects.filter(principle__project=project).update(agreed_in=closed)
    DraftTheme.objects.filter(project=project).update(agreed_in=closed)
    client = panel.client_for(panel.facilitator)
    preview = client.get(_url(project)).content.decode()
    assert "Changes from enrich@2017" in preview
    assert client.post(_url(project), {**FORM, "instrument": "none"}).status_code == 302
    publication = Publication.objects.get(project=project)
    page = client.get(_url(project, "coproduction:publication", publication.pk)).content.decode()
    assert "Give and take" in page
    download = client.get(
        _url(project, "coproduction:publication_file", publication.pk, "adaptation.yaml")
    )
    (tmp_path / "adaptation.yaml").write_bytes(download.content)
    diff = _cli("framework", "diff", "enrich@2017", str(tmp_path / "adaptation.yaml"))
    assert diff.returncode == 0, diff.stderr
    assert "mutuality" in diff.stdout
    assert "Give and take" in diff.stdout
    full = client.get(
        _url(project, "coproduction:publication_file", publication.pk, "framework.yaml")
    )
    (tmp_path / "framework.yaml").write_bytes(full.content)
    assert _cli("framework", "validate", str(tmp_path / "framework.yaml")).returncode == 0


def test_the_create_form_offers_enrich_to_adapt(panel) -> None:  # type: ignore[no-untyped-def]
    page = panel.client_for(panel.facilitator).get(reverse("coproduction:create")).content.decode()
    assert "What will you publish?" in page
    assert "(enrich@2017)" in page
