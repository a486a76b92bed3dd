"""A rater records an interview, rates it in a draft, and makes the ratings final."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, Team

from peerprinciples.web.interviews.models import Interview, RatingSheet

pytestmark = pytest.mark.browser

ITEMS = 19  # the example index asks a peer worker 19 items; items 4 and 15 are optional
OPTIONAL = (4, 15)


def test_a_rater_records_an_interview_saves_a_draft_and_makes_it_final(
    site: Site, team: Team
) -> None:
    page = site.page
    site.sign_in("rater")
    page.get_by_role("link", name="Fidelity review 2025").click()
    site.check()
    page.get_by_role("navigation", name="This evaluation").get_by_role(
        "link", name="Interviews"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interviews")
    expect(page.get_by_text("No interviews yet.")).to_be_visible()
    site.check()

    page.get_by_role("link", name="Record an interview").click()
    site.check()
    page.get_by_role("combobox", name="Service").select_option(label="A — North team")
    page.get_by_role("combobox", name="Peer worker (optional)").select_option(label="PW-A1")
    page.get_by_role("combobox", name="Round").select_option(label=str(team.round))
    page.get_by_role("radio", name="Peer worker").check()
    page.get_by_label("Date of the interview").fill("2025-03-27")
    page.get_by_label("Interview reference").fill("I-0042")
    page.get_by_role("button", name="Record the interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview I-0042")
    expect(page.get_by_role("status")).to_contain_text("ready to be rated")
    expect(page.get_by_text("Nobody has started rating this interview yet.")).to_be_visible()
    site.check()

    # A draft: a few items now, the rest later.
    page.get_by_role("link", name="Rate this interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate interview I-0042")
    site.check()
    site.rate_item(1, "4")
    site.rate_item(2, "3")
    site.rate_item(3, "NA")
    page.get_by_label("Notes").fill("Talked in the garden; PW described the first meetings.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("status")).to_contain_text("Draft saved")

    page.reload()
    expect(site.option(1, "4")).to_be_checked()
    expect(site.option(2, "3")).to_be_checked()
    expect(site.option(3, "NA")).to_be_checked()
    expect(
        page.get_by_role("group", name=re.compile(r"^Item 5\b")).get_by_role(
            "radio", name="Not rated yet"
        )
    ).to_be_checked()
    expect(page.get_by_label("Notes")).to_have_value(
        "Talked in the garden; PW described the first meetings."
    )

    # Making it final with a required item still unrated lists that item, linked to it.
    for number in range(4, ITEMS + 1):
        if number not in (*OPTIONAL, 9):
            site.rate_item(number, "3")
    page.get_by_role("button", name="Make final").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    link = summary.get_by_role("link", name=re.compile(r"^Item 9: "))
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(site.option(8, "3")).to_be_checked()
    site.check()
    link.click()
    expect(site.option(9, "1")).to_be_focused()
    assert Interview.objects.get(code="I-0042").sheets.get().status == RatingSheet.Status.DRAFT

    site.rate_item(9, "5")
    page.get_by_role("button", name="Make final").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview I-0042")
    expect(page.get_by_role("status")).to_contain_text("are final")
    site.check()

    page.get_by_role("link", name="See your ratings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your ratings")
    expect(page.get_by_role("main")).to_contain_text("NA — Not applicable")
    site.check()
    sheet = Interview.objects.get(code="I-0042").sheets.get()
    assert sheet.status == RatingSheet.Status.FINAL
    assert {r.item: (r.value, r.code) for r in sheet.ratings.all()}["rel_3"] == (None, "NA")
