"""Signing in and out, changing a password, and reaching the content by keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import PASSWORD, Site

pytestmark = pytest.mark.browser


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_home_page(
    site: Site, make_user: Callable[[str], Any]
) -> None:
    make_user("lead")
    page = site.page
    site.go("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("enter a correct username and password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_be_focused()
    site.check()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evaluations")
    expect(page.get_by_text("You are not part of any evaluation yet")).to_be_visible()
    site.check()

    site.sign_out()
    site.go("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_a_person_changes_their_password_and_signs_in_with_the_new_one(
    site: Site, make_user: Callable[[str], Any]
) -> None:
    make_user("rater")
    page = site.page
    site.sign_in("rater")
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    site.check()

    new_password = "a-quite-different-secret-phrase"
    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("New password confirmation").fill("something else entirely")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_be_visible()
    site.check()

    page.get_by_label("Old password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("New password confirmation").fill(new_password)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password changed")
    site.check()

    site.sign_out()
    site.sign_in("rater", new_password)


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_main_content(
    site: Site, make_user: Callable[[str], Any]
) -> None:
    make_user("lead")
    site.sign_in("lead")
    page = site.page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Start a new evaluation")).to_be_focused()
