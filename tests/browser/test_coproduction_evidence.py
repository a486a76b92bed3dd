"""A research team member imports a review from a QDA package and reads Figure 1; a panel
member reads the codebook; the same import works with JavaScript turned off."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site
from tests.web.coproduction_evidence_fixtures import codebook_qdc, project_qdpx

from peerprinciples.web.coproduction.demo.evidence import seed_evidence
from peerprinciples.web.coproduction.models import Code, Member, Project, Quotation, Source

pytestmark = pytest.mark.browser


@pytest.fixture
def project(make_user: Callable[[str], Any], settings: Any, tmp_path: Path) -> Project:
    """A project with ``rex`` from the research team and ``pam`` on the panel."""
    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path / "uploads"
    rex, pam = make_user("rex"), make_user("pam")
    found = Project.objects.create(
        name="What matters in peer support here",
        framing_question="What makes peer support work well in our community?",
        created_by=rex,
    )
    Member.objects.create(project=found, user=rex, role=Member.Role.RESEARCH, code="R01")
    Member.objects.create(project=found, user=pam, role=Member.Role.PANEL, code="P01")
    return found


def test_a_review_is_imported_after_its_preview(
    site: Site, project: Project, tmp_path: Path
) -> None:
    page = site.page
    site.sign_in("rex")
    site.go(f"/coproduction/{project.pk}/evidence/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence from the literature")
    page.get_by_role("navigation", name="The evidence").get_by_role(
        "link", name="Files in and out"
    ).click()
    site.check()

    broken = tmp_path / "broken.qdc"
    broken.write_bytes(codebook_qdc().replace(b"</Codes>", b"</Code>"))
    page.get_by_label("File to import").set_input_files(str(broken))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported")
    expect(page.get_by_role("table").first).to_contain_text("broken.qdc")
    site.check()

    site.go(f"/coproduction/{project.pk}/evidence/import/")
    review = tmp_path / "review.qdpx"
    review.write_bytes(project_qdpx())
    page.get_by_label("File to import").set_input_files(str(review))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before importing")
    site.check()
    assert not Source.objects.filter(project=project).exists()
    page.get_by_role("button", name="Import: 14 items added or changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence from the literature")
    expect(page.get_by_role("img")).to_be_visible()
    site.check()
    assert Quotation.objects.filter(project=project).count() == 4


def test_a_panel_member_reads_the_demo_review(site: Site, project: Project) -> None:
    seed_evidence(project, random.Random(2017))
    page = site.page
    site.sign_in("pam")
    site.go(f"/coproduction/{project.pk}/evidence/")
    expect(page.get_by_role("table").first).to_be_visible()
    site.go(f"/coproduction/{project.pk}/evidence/sources/")
    expect(page.get_by_role("button", name="Add the source")).to_have_count(0)
    site.go(f"/coproduction/{project.pk}/evidence/codebook/")
    code = Code.objects.filter(project=project).order_by("key").first()
    assert code is not None
    page.get_by_role("link", name=code.label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Code: {code.label}")
    site.check()


def test_a_source_is_added_and_changed(site: Site, project: Project) -> None:
    page = site.page
    site.sign_in("rex")
    site.go(f"/coproduction/{project.pk}/evidence/sources/")
    page.get_by_label("Reference").fill("Example E. (2012) Peer support at night.")
    page.get_by_label("Grey literature").check()
    page.get_by_label("Year published").fill("2012")
    page.get_by_role("button", name="Add the source").click()
    expect(page.get_by_role("status")).to_contain_text("Source S1 is added.")
    site.check()
    page.get_by_role("link", name="S1").click()
    site.check()
    page.get_by_label("Year published").fill("2013")
    page.get_by_role("button", name="Save the source").click()
    assert Source.objects.get(project=project, key="S1").year == 2013


def test_the_import_works_without_javascript(
    open_site: Callable[..., Site], project: Project, tmp_path: Path
) -> None:
    site = open_site(javascript=False)
    page = site.page
    site.sign_in("rex")
    site.go(f"/coproduction/{project.pk}/evidence/import/")
    review = tmp_path / "codebook.qdc"
    review.write_bytes(codebook_qdc())
    page.get_by_label("File to import").set_input_files(str(review))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import: 7 items added or changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence from the literature")
    assert Code.objects.filter(project=project).count() == 5
