"""The facilitator publishes the agreed wording with a starter index, downloads the YAML
and starts an evaluation pinned to it; a panel member reads the publication without
JavaScript. Every page with JavaScript on is checked with axe-core."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from tests.browser.conftest import Site
from tests.web.coproduction_publishing_fixtures import agreed_drafts

from peerprinciples.web.coproduction.models import DraftPrinciple, Member, Project, Publication
from peerprinciples.web.coproduction.services import rounds
from peerprinciples.web.coproduction.services.publishing_store import publish
from peerprinciples.web.evaluations.models import Evaluation

pytestmark = pytest.mark.browser


@pytest.fixture
def project(make_user: Callable[[str], Any]) -> Project:
    people = {name: make_user(name) for name in ("fay", "pam")}
    made = Project.objects.create(
        name="Riverside principles",
        framing_question="What should peer support here never lose?",
        created_by=people["fay"],
        stage=Project.Stage.MAPPING,
    )
    Member.objects.create(project=made, user=people["fay"], code="F01", role="facilitator")
    Member.objects.create(project=made, user=people["pam"], code="P01", role="panel")
    agreed_drafts(SimpleNamespace(facilitator=people["fay"]), made)
    return made


def test_publishing_and_pinning_the_new_framework(
    open_site: Callable[..., Site], project: Project, tmp_path: Path
) -> None:
    site = open_site()
    page = site.page
    site.sign_in("fay")
    site.go(f"/coproduction/{project.pk}/framework/")
    expect(page.locator("#ready")).to_contain_text("every statement is agreed")
    page.get_by_role("textbox", name="Version").fill("1")
    page.get_by_role("radio", name="A starter index drafted from the aspects").check()
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("status")).to_contain_text("Published riverside-principles@1")
    site.check()
    with page.expect_download() as waiting:
        page.get_by_role("link", name="framework.yaml").click()
    saved = tmp_path / "framework.yaml"
    waiting.value.save_as(saved)
    checked = subprocess.run(
        [sys.executable, "-m", "peerprinciples.cli.main", "framework", "validate", str(saved)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    page.get_by_role("link", name="Start an evaluation with it").click()
    site.check()
    page.get_by_label("Name of the evaluation").fill("Hub review")
    page.get_by_role("button", name="Start the evaluation").click()
    expect(page.get_by_role("status")).to_contain_text("has started")
    site.check()
    evaluation = Evaluation.objects.get(name="Hub review")
    publication = Publication.objects.get(project=project)
    assert evaluation.framework == publication.framework
    assert evaluation.instrument == publication.instrument

    reader = open_site(javascript=False)
    reader.sign_in("pam")
    reader.go(f"/coproduction/{project.pk}/framework/")
    expect(reader.page.get_by_role("button", name="Publish this version")).to_have_count(0)
    reader.page.get_by_role("link", name="Riverside principles (riverside-principles@1)").click()
    expect(reader.page.get_by_role("heading", level=1)).to_contain_text("riverside-principles@1")
    expect(reader.page.get_by_label("The paragraph for a paper's methods section")).to_contain_text(
        "Agreement was sought in 1 round"
    )


def test_the_facilitator_publishes_without_javascript(
    open_site: Callable[..., Site], project: Project
) -> None:
    site = open_site(javascript=False)
    page = site.page
    site.sign_in("fay")
    site.go(f"/coproduction/{project.pk}/framework/")
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("status")).to_contain_text("Published riverside-principles@1")
    page.get_by_role("link", name="Publish the framework").first.click()
    expect(page.get_by_role("textbox", name="Version")).to_have_value(
        "2"
    )  # the next one is suggested
    page.get_by_role("textbox", name="Version").fill("1")
    page.get_by_role("button", name="Publish this version").click()
    expect(
        page.get_by_text("already published, and a published version never changes").first
    ).to_be_visible()
    assert Publication.objects.filter(project=project).count() == 1


def test_a_correction_is_reopened_agreed_in_a_round_and_published_as_version_2(
    open_site: Callable[..., Site], project: Project
) -> None:
    fay = get_user_model().objects.get(username="fay")
    pam = get_user_model().objects.get(username="pam")
    publish(fay, project, title="Riverside principles", summary="", version="1", guide="starter")
    site = open_site()
    page = site.page
    site.sign_in("fay")
    site.go(f"/coproduction/{project.pk}/framework/")
    page.get_by_role("link", name="Reopen agreed wording for a new version").click()
    site.check()
    page.get_by_role("checkbox", name="Principle: Choice").check()
    page.get_by_label("Why does it need correcting?").fill("The definition leaves out family.")
    page.get_by_role("button", name="Reopen for a new version").click()
    expect(page.get_by_role("status")).to_contain_text("Reopened the principle “Choice”")
    site.check()
    # The team rewords it; the panel agrees it in round 2 (the rounds pages' own services).
    DraftPrinciple.objects.filter(project=project, key="choice").update(
        definition="The person, and the family they choose, decide what happens next."
    )
    opened = rounds.open_round(fay, project)
    entries = {s.pk: rounds.Entry(9) for s in opened.statements.filter(locked=False)}
    rounds.submit_ballot(pam, Member.objects.get(user=pam, project=project), opened, entries)
    rounds.close_round(fay, opened)
    site.go(f"/coproduction/{project.pk}/framework/")
    expect(page.locator("#changes-since")).to_contain_text("principle 'choice'")
    expect(page.get_by_role("textbox", name="Version")).to_have_value("2")
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("status")).to_contain_text("Published riverside-principles@2")
    site.check()

    reader = open_site(javascript=False)
    reader.sign_in("pam")
    first = Publication.objects.get(project=project, framework__version="1")
    reader.go(f"/coproduction/{project.pk}/framework/{first.pk}/")
    expect(reader.page.locator("#superseded")).to_contain_text("riverside-principles@2")
    expect(reader.page.locator("#guide")).to_contain_text("Where has “Choice” shown")
    assert "family" not in first.framework.model().principle("choice").definition
