"""Double rating: two independent ratings of one interview, then an agreed consensus."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, Team

from peerprinciples.web.interviews.models import Interview

pytestmark = pytest.mark.browser


def test_two_raters_rate_independently_and_a_coordinator_agrees_the_consensus(
    open_site: Callable[[], Site], team: Team
) -> None:
    interview = team.interview("I-0007")
    detail = team.path(f"interviews/{interview.pk}/")

    # The lead asks for a second rating.
    lead = open_site()
    lead.sign_in("lead")
    lead.go(detail)
    lead.page.get_by_role("button", name="Mark for double rating").click()
    expect(lead.page.get_by_role("status")).to_contain_text("will now be double-rated")
    expect(lead.page.get_by_role("definition").filter(has_text="Yes: two raters")).to_be_visible()
    lead.check()

    # The first rater's ratings are final (2 and 4 on items 1 and 2, 3 elsewhere) ...
    first = {item.key: "3" for item in team.items()}
    first.update({"rel_1": "2", "rel_2": "4"})
    team.rate(interview, team.rater, first)

    # ... and stay hidden from the second rater until theirs are final too.
    second = open_site()
    page = second.page
    second.sign_in("second_rater")
    second.go(detail)
    row = page.get_by_role("row", name=re.compile(r"^rater\b"))
    expect(row).to_contain_text("Opens once every rating is final")
    expect(row.get_by_role("link")).to_have_count(0)
    first_sheet = interview.sheets.get(rater=team.rater)
    blocked = page.goto(team.path(f"interviews/{interview.pk}/sheets/{first_sheet.pk}/"))
    assert blocked is not None
    assert blocked.status == 403
    expect(page.get_by_text("Present some of the time")).to_have_count(0)

    second.go(detail)
    page.get_by_role("link", name="Rate this interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate interview I-0007")
    expect(page.get_by_text("the other rater's ratings open to you")).to_be_visible()
    for number in range(1, len(team.items()) + 1):
        second.rate_item(number, {1: "4", 2: "5"}.get(number, "3"))
    page.get_by_role("button", name="Make final").click()
    expect(page.get_by_role("status")).to_contain_text("are final")
    expect(page.get_by_role("link", name="See rater's ratings")).to_be_visible()
    second.check()

    # The coordinator compares the two and agrees a rating for each item.
    coordinator = open_site()
    page = coordinator.page
    coordinator.sign_in("coordinator")
    coordinator.go(detail)
    page.get_by_role("link", name="Agree the consensus ratings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Agree the ratings of interview I-0007"
    )
    coordinator.check()
    item_1 = page.get_by_role("group", name=re.compile(r"^Item 1\b"))
    item_2 = page.get_by_role("group", name=re.compile(r"^Item 2\b"))
    item_3 = page.get_by_role("group", name=re.compile(r"^Item 3\b"))
    expect(item_1).to_contain_text("Differs")
    expect(item_1).to_contain_text("2 — Present now and then")
    expect(item_1).to_contain_text("4 — Present most of the time")
    expect(item_2).to_contain_text("Differs")
    expect(item_3).to_contain_text("Same rating")
    expect(page.get_by_text("Differs", exact=True)).to_have_count(2)
    expect(page.get_by_label("Agreed rating for item 3", exact=True)).to_have_value("3")
    expect(page.get_by_label("Agreed rating for item 1", exact=True)).to_have_value("")

    # An agreed rating unlike either rater's needs a word on how it was reached.
    page.get_by_label("Agreed rating for item 1", exact=True).select_option("3")
    page.get_by_label("Agreed rating for item 2", exact=True).select_option("4")
    page.get_by_role("button", name="Record the consensus").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(summary.get_by_role("link")).to_contain_text("Item 1")
    expect(page.get_by_label("Agreed rating for item 2", exact=True)).to_have_value("4")
    coordinator.check()
    summary.get_by_role("link").click()
    expect(page.get_by_label("Agreed rating for item 1", exact=True)).to_be_focused()

    page.get_by_label("How you reached the agreed rating for item 1", exact=True).fill(
        "Both heard unhurried meetings, but only some of the time."
    )
    page.get_by_role("button", name="Record the consensus").click()
    expect(page.get_by_role("status")).to_contain_text("the interview is final")
    agreed = page.get_by_role("table", name="Consensus ratings")
    expect(agreed.get_by_role("row", name=re.compile(r"^Item 1\b"))).to_contain_text(
        "only some of the time"
    )
    expect(page.get_by_role("definition").first).to_have_text("Final")
    coordinator.check()

    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINAL
    assert {r.item: r.value for r in interview.consensus_ratings.all()}["rel_1"] == 3
