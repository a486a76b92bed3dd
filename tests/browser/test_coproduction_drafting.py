"""The facilitator drafts three principles, ticks which review categories and group-sort
piles support them, and sees the coverage flags change, the diagram and its table; every
page is checked with axe-core. The same flow works with JavaScript turned off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from tests.browser.conftest import Site

from peerprinciples.web.coproduction.models import (
    Category,
    DraftPrinciple,
    GroupSort,
    Member,
    Pile,
    Project,
)

pytestmark = pytest.mark.browser

TITLES = ("Trust from shared experience", "Side by side", "Choice stays with the person")


@pytest.fixture
def project(make_user: Callable[[str], Any]) -> Project:
    fay = make_user("fay")
    made = Project.objects.create(
        name="Our peer support principles",
        framing_question="What should peer support here never lose?",
        created_by=fay,
        stage=Project.Stage.DRAFTING,
    )
    Member.objects.create(project=made, user=fay, code="F01", role="facilitator")
    for key, label in (("C1", "Shared experience"), ("C2", "Equality"), ("C3", "Choice")):
        Category.objects.create(project=made, key=key, label=label)
    group = GroupSort.objects.create(project=made, title="Meeting 1", created_by=fay)
    for n, label in enumerate(("Been there", "No hierarchy"), start=1):
        Pile.objects.create(group_sort=group, label=label, position=n)
    return made


def _add_principles(site: Site, project: Project) -> None:
    page = site.page
    for title in TITLES:
        site.go(f"/coproduction/{project.pk}/principles/")
        page.get_by_label("Title", exact=True).first.fill(title)
        page.get_by_role("button", name="Add the principle").click()
        expect(page.get_by_role("status")).to_contain_text(f"“{title}” is added")
        page.get_by_label("New aspect").fill(f"What {title.lower()} means in practice.")
        page.get_by_role("button", name="Add the aspect").click()
        expect(page.get_by_role("status")).to_contain_text("The aspect is added.")
        site.check()


def _tick(page: Page, support: str, title: str) -> None:
    page.get_by_label(f"{support} supports {title}", exact=True).check()


def _map_and_check(site: Site, project: Project) -> None:
    page = site.page
    site.go(f"/coproduction/{project.pk}/principles/mapping/")
    flags = page.get_by_role("list").filter(has_text="have nothing linked to them yet")
    expect(flags).to_contain_text("3 draft principles have nothing linked to them yet")
    _tick(page, "Shared experience", TITLES[0])
    _tick(page, "Been there", TITLES[0])
    _tick(page, "Equality", TITLES[1])
    _tick(page, "No hierarchy", TITLES[2])
    page.get_by_role("button", name="Save the links").click()
    expect(page.get_by_role("status")).to_contain_text("The links are saved: 3 principles")
    text = page.locator("main")
    expect(text).to_contain_text(
        "1 draft principle is supported by the review but by no panel pile yet: P2. Side by side."
    )
    expect(text).to_contain_text("is supported by the panel but by no review category yet")
    expect(text).to_contain_text("1 review category supports no principle yet: Choice")
    row = page.get_by_role("row", name=f"P1. {TITLES[0]}")
    expect(row.first).to_contain_text("the review and the panel")
    site.check()
    table = page.get_by_role("table", name="What supports each draft principle")
    expect(table.get_by_role("row", name="Linked to no principle yet")).to_contain_text("Choice")
    assert {p.title: p.categories.count() for p in DraftPrinciple.objects.all()} == {
        TITLES[0]: 1,
        TITLES[1]: 1,
        TITLES[2]: 0,
    }


def test_drafting_and_mapping_the_principles(
    open_site: Callable[..., Site], project: Project
) -> None:
    site = open_site()
    site.sign_in("fay")
    site.go(f"/coproduction/{project.pk}/")
    site.page.get_by_role("link", name="Go to the draft principles").click()
    expect(site.page.get_by_role("heading", level=1)).to_have_text("Draft principles")
    _add_principles(site, project)
    _map_and_check(site, project)
    image = site.page.get_by_role("img", name="What supports each draft principle")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") > 0
    # On desktop the diagram stays inside its figure.
    figure_width = image.evaluate("img => img.closest('figure').clientWidth")
    assert image.evaluate("img => img.getBoundingClientRect().width") <= figure_width
    # On a 375 px phone it scales down: the page does not scroll sideways.
    site.page.set_viewport_size({"width": 375, "height": 800})
    expect(image).to_be_visible()
    scroll, view = site.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= view, f"the page is {scroll} px wide on a {view} px screen"


def test_the_same_without_javascript(open_site: Callable[..., Site], project: Project) -> None:
    site = open_site(javascript=False)
    site.sign_in("fay")
    _add_principles(site, project)
    _map_and_check(site, project)
