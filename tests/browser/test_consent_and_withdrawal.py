"""Consent and withdrawal in the browser: recorded, shown, withdrawn as the protocol allows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, Team

from peerprinciples.web.interviews.models import Interview

pytestmark = pytest.mark.browser


def test_a_coordinator_records_consent_and_the_person_later_keeps_anonymised_ratings(
    open_site: Callable[[], Site], team: Team
) -> None:
    interview = team.interview("I-0031")
    team.finish(interview, [3, 4])
    detail = team.path(f"interviews/{interview.pk}/")

    # The lead lets people keep their ratings anonymised, as the protocol allows.
    lead = open_site()
    lead.sign_in("lead")
    lead.go(team.path())
    lead.page.get_by_label("Let the person choose").check()
    lead.page.get_by_role("button", name="Save what the protocol allows").click()
    expect(lead.page.get_by_role("status")).to_contain_text("may now choose")
    lead.check()

    # The coordinator records consent on the interview's page.
    coordinator = open_site()
    page = coordinator.page
    coordinator.sign_in("coordinator")
    coordinator.go(detail)
    expect(page.get_by_text("Not recorded yet.")).to_be_visible()
    page.get_by_role("link", name="Record the consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent for interview I-0031")
    coordinator.check()
    page.get_by_label("Day consent was given").fill("2025-02-20")
    page.get_by_label("Evaluation: the ratings count in the results").check()
    page.get_by_role("button", name="Save the consent").click()
    expect(page.get_by_role("status")).to_contain_text("Consent for interview I-0031")
    expect(page.get_by_text("Given on 20 February 2025")).to_be_visible()
    coordinator.check()

    # Later the person withdraws and keeps their ratings, anonymised, in the group results.
    page.get_by_role("link", name="Withdraw this interview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw interview I-0031")
    coordinator.check()
    page.get_by_label("Keep its ratings in the group results only").check()
    page.get_by_role("button", name="Withdraw the interview").click()
    expect(page.get_by_role("status")).to_contain_text("count in the group results only")
    expect(page.get_by_text("I-0031")).to_have_count(0)
    coordinator.check()

    # Its own page is gone; its withdrawal page says it was withdrawn already.
    missing = page.goto(detail)
    assert missing is not None
    assert missing.status == 404
    coordinator.go(team.path(f"interviews/{interview.pk}/withdrawal/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This interview has already been withdrawn"
    )
    assert Interview.objects.get(pk=interview.pk).anonymised


def test_by_default_a_lead_erases_a_withdrawn_interview(
    open_site: Callable[[], Site], team: Team
) -> None:
    interview = team.interview("I-0032")
    lead = open_site()
    page = lead.page
    lead.sign_in("lead")
    lead.go(team.path(f"interviews/{interview.pk}/withdrawal/"))
    expect(page.get_by_label("Erase the interview and all its ratings")).to_be_checked()
    expect(page.get_by_role("link", name="evaluation's overview").first).to_be_visible()
    page.get_by_role("button", name="Withdraw the interview").click()
    expect(page.get_by_role("status")).to_contain_text("erased")
    lead.check()
    assert not Interview.objects.filter(pk=interview.pk).exists()
