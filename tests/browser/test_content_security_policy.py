"""The Content-Security-Policy in a real browser: the main pages load with nothing refused
and the site's own script still runs, while script or style put into a page is refused.

Every window of the browser tests watches for refusals (see ``conftest``), so each story
already fails on one; this story walks the main pages of an evaluation as its lead, and shows
that the watch would notice one.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site, Team

pytestmark = pytest.mark.browser

# The evaluation's pages a lead uses most, each with the start of its main heading.
PAGES = (
    ("interviews/", "Interviews"),
    ("interviews/new/", "Record an interview"),
    ("results/", "Results"),
    ("reflection/", "Reflection"),
    ("data/import/", "Import ratings"),
    ("data/export/", "Download data"),
    ("audit/", "Audit trail"),
)


def test_the_main_pages_load_with_nothing_refused_and_the_site_script_runs(
    site: Site, team: Team
) -> None:
    page = site.page
    # site.js moves focus to a form's error summary: a wrong password shows one.
    site.go("/sign-in/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_focused()
    site.check()
    site.sign_in("lead")
    interview = team.interview("I-A1")
    rating = (f"interviews/{interview.pk}/rating/", "Rate interview")
    for suffix, heading in (("", team.evaluation.name), *PAGES, rating):
        response = site.go(team.path(suffix))
        assert response.ok, f"{suffix}: {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy, f"{suffix}: {policy or 'no policy'}"
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)


def test_script_and_style_put_into_a_page_are_refused_and_noticed(
    open_site: Callable[..., Site], team: Team
) -> None:
    site = open_site()
    site.go("/sign-in/")
    ran = site.page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            document.body.setAttribute("style", "background: red");
            const image = '<img src="x" alt="" onerror="window.injected = true">';
            document.body.insertAdjacentHTML("beforeend", image);
            return new Promise((done) => setTimeout(() => done(window.injected === true), 300));
        }"""
    )
    assert not ran
    background = site.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 0, 0)"
    refused = "\n".join(site.refused)
    site.refused.clear()  # seen here; the window's closing check would fail on them otherwise
    assert "script-src-elem refused inline" in refused, refused
    assert "style-src-attr refused inline" in refused, refused
    assert "script-src-attr refused inline" in refused, refused
