"""The cycle's report in a browser: a peer worker replies, the lead releases, the timeline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, Team
from tests.web.reflection_report_fixtures import SAID, finished_cycle

pytestmark = pytest.mark.browser


def test_a_peer_worker_replies_to_the_draft_and_the_lead_releases_it(
    site: Site, team: Team
) -> None:
    cycle = finished_cycle(team)
    report = team.path(f"reflection/cycles/{cycle.pk}/report/")
    site.sign_in("peer_worker")
    site.page.get_by_role("link", name=re.compile("Your service’s reflection reports")).click()
    site.check()
    site.page.get_by_role("link", name="Reflection report: service A, Baseline").first.click()
    site.check()
    expect(site.page.get_by_text("Draft — open for peer workers’ replies until")).to_be_visible()
    site.page.get_by_label("This reply is about").select_option(label="Mutuality and reciprocity")
    site.page.get_by_label("Your reply", exact=True).fill("Support flowed both ways on the walks")
    site.page.get_by_role("button", name="Send my reply").click()
    site.check()
    mutuality = site.page.locator("#about-mutuality")
    expect(mutuality.get_by_text("A peer worker replied")).to_be_visible()
    expect(mutuality.get_by_text("Support flowed both ways on the walks")).to_be_visible()
    expect(mutuality.get_by_text("PW-A1")).to_have_count(0)
    site.sign_out()

    site.sign_in("lead")
    site.go(report)
    expect(site.page.locator("#about-mutuality").get_by_text("(PW-A1)")).to_be_visible()
    site.page.get_by_role("button", name="Release the report").click()
    expect(
        site.page.get_by_text("Tick the box to say you want to release the report now").first
    ).to_be_visible()
    site.check()
    site.page.get_by_label(re.compile("^I have read the report and the peer workers")).check()
    site.page.get_by_role("button", name="Release the report").click()
    site.check()
    expect(site.page.get_by_text("The report is released.")).to_be_visible()
    expect(site.page.get_by_text(re.compile(r"^Released on \d"))).to_be_visible()


def test_the_timeline_shows_what_was_said_to_the_service_and_not_to_a_viewer(
    site: Site, team: Team
) -> None:
    finished_cycle(team)
    timeline = team.path(f"reflection/services/{team.service_a.pk}/timeline/")
    site.sign_in("facilitator")
    site.go(timeline)
    expect(site.page.get_by_text("Warm time together", exact=False)).to_be_visible()
    site.sign_out()
    site.sign_in("viewer")
    site.go(timeline)
    expect(site.page.get_by_role("heading", name="Baseline")).to_be_visible()
    assert SAID not in site.page.content()


def test_the_lead_links_an_account_and_shares_own_results(
    site: Site, team: Team, make_user
) -> None:  # type: ignore[no-untyped-def]
    make_user("pw-b")
    site.sign_in("lead")
    site.go(team.path())
    site.page.get_by_label("Account to link to PW-B1").fill("pw-b")
    row = site.page.locator('td[data-account="PW-B1"]')
    row.get_by_role("button", name="Link an account").click()
    site.check()
    expect(site.page.get_by_text("Linked the account to PW-B1")).to_be_visible()
    site.page.get_by_role("button", name="Let peer workers see their own results").click()
    site.check()
    site.sign_out()
    site.sign_in("pw-b")
    site.page.get_by_role("link", name=re.compile("^Your own results")).click()
    site.check()
    expect(site.page.get_by_role("heading", level=1)).to_have_text("Your own results (PW-B1)")
