"""A facilitator starts a co-production project, adds the panel and opens the cards stage;
a panel member writes and changes their cards; the facilitator types up paper cards and
merges two that say the same thing. Every page is checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site

from peerprinciples.web.coproduction.models import Card, Member, Project

pytestmark = pytest.mark.browser


@pytest.fixture
def people(make_user: Callable[[str], Any]) -> dict[str, Any]:
    return {name: make_user(name) for name in ("fay", "pam")}


def test_a_project_from_its_start_to_the_panels_cards(
    open_site: Callable[..., Site], people: dict[str, Any]
) -> None:
    site = open_site()
    page = site.page
    site.sign_in("fay")
    page.get_by_role("link", name="Your co-production projects").click()
    site.check()
    page.get_by_role("link", name="Start a co-production project").click()
    site.check()
    page.get_by_label("Name of the project").fill("Values of our peer support")
    page.get_by_label("Framing question").fill("What should peer support here never lose?")
    page.get_by_role("button", name="Start the project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    site.check()
    project = Project.objects.get(name="Values of our peer support")

    page.get_by_label("Code", exact=True).fill("pam")
    page.get_by_role("button", name="Add the member").click()
    expect(page.get_by_role("alert").first).to_contain_text("Code")
    site.check()
    page.get_by_label("Code", exact=True).fill("P01")
    page.get_by_label("User name of their account").fill("pam")
    page.get_by_role("button", name="Add the member").click()
    expect(page.get_by_role("status")).to_contain_text("P01 is now a member")
    page.get_by_label("Code", exact=True).fill("P02")
    page.get_by_role("button", name="Add the member").click()
    expect(page.get_by_role("cell", name="On paper")).to_be_visible()

    page.get_by_role("navigation", name="This project").get_by_role("link", name="Overview").click()
    site.check()
    page.get_by_role("link", name=re.compile("Move the project to another stage")).click()
    site.check()
    page.get_by_label("Writing cards").check()
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Writing cards"))).to_be_visible()

    page.get_by_role("navigation", name="This project").get_by_role("link", name="Cards").click()
    page.get_by_role("link", name="Type up cards written on paper").click()
    site.check()
    page.get_by_label("Written by").select_option(label="P02 — 0 of 5 cards so far")
    page.get_by_label("The cards, one on each line").fill("Being believed.\nTime to talk.")
    page.get_by_role("button", name="Add the cards").click()
    expect(page.get_by_role("status")).to_contain_text("Added cards 1 to 2 for P02.")
    site.sign_out()

    member = open_site()
    member.sign_in("pam")
    member.go(f"/coproduction/{project.pk}/cards/")
    mine = member.page
    expect(mine.get_by_text("What should peer support here never lose?")).to_be_visible()
    mine.get_by_role("textbox", name="Your card").fill(
        "Being believed by the person supporting me."
    )
    mine.get_by_role("button", name="Save the card").click()
    expect(mine.get_by_role("status")).to_contain_text("You have written 1 of 5 cards.")
    member.check()
    expect(mine.get_by_role("table")).not_to_contain_text("P02")
    mine.get_by_role("link", name="Card 3", exact=True).click()
    member.check()
    mine.get_by_role("textbox", name="Your card").fill("Being believed by my peer worker.")
    mine.get_by_role("button", name="Save the card").click()
    expect(mine.get_by_role("status")).to_contain_text("Card 3 is saved.")
    mine.goto(f"/coproduction/{project.pk}/me/")
    member.check()
    mine.get_by_label("The perspective you bring").fill("I have used community services.")
    mine.get_by_label("Yes").check()
    mine.get_by_role("button", name="Save").click()
    expect(mine.get_by_role("cell", name="I have used community services.")).to_be_visible()

    site.sign_in("fay")
    site.go(f"/coproduction/{project.pk}/cards/merge/")
    page.get_by_label("Merge card 1").check()
    page.get_by_label("Merge card 3").check()
    page.get_by_label("Card 3 stays").check()
    page.get_by_role("button", name="Merge the cards").click()
    expect(page.get_by_role("alert").first).to_contain_text("Record how the authors agreed")
    site.check()
    page.get_by_label("How the authors agreed").fill("Asked P01 and P02 by phone; both agreed.")
    page.get_by_role("button", name="Merge the cards").click()
    expect(page.get_by_role("status")).to_contain_text("Merged into card 3.")
    site.check()
    merged = Card.objects.get(project=project, number=1)
    assert merged.merged_into == Card.objects.get(project=project, number=3)


def test_writing_and_deleting_a_card_works_without_javascript(
    open_site: Callable[..., Site], people: dict[str, Any]
) -> None:
    project = Project.objects.create(
        name="Without scripts",
        framing_question="What matters most in peer support?",
        created_by=people["fay"],
        stage=Project.Stage.CARDS,
    )
    Member.objects.create(project=project, user=people["fay"], code="F01", role="facilitator")
    Member.objects.create(project=project, user=people["pam"], code="P01", role="panel")
    site = open_site(javascript=False)
    page = site.page
    site.sign_in("pam")
    site.go(f"/coproduction/{project.pk}/cards/")
    page.get_by_role("textbox", name="Your card").fill("Hope.")
    page.get_by_role("button", name="Save the card").click()
    expect(page.get_by_role("status")).to_contain_text("Card 1 is saved.")
    page.get_by_role("link", name="Card 1", exact=True).click()
    page.get_by_role("button", name="Delete card 1").click()
    expect(page.get_by_role("status")).to_contain_text("Card 1 is deleted.")
    page.get_by_role("textbox", name="Your card").fill("Hope, again.")
    page.get_by_role("button", name="Save the card").click()
    expect(page.get_by_role("status")).to_contain_text("Card 2 is saved.")
    assert list(Card.objects.values_list("number", flat=True)) == [2]
