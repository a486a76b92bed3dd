"""Two-factor sign-in in the browser: set up an app from the key the page shows, keep the
recovery codes, then sign out and sign in again with a code and with a recovery code.

The codes are worked out from the key read off the page with django-otp's ``totp``, as an
authenticator app would work them out.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect
from tests.browser.conftest import PASSWORD, Site
from tests.web.two_factor_support import app_code, switch_on

pytestmark = pytest.mark.browser

WAIT_MS = 1_100
"""A little longer than django-otp's wait after one wrong code."""


def _code(key: bytes, steps: int = 0) -> str:
    return f"{totp(key, drift=steps):06d}"


def _password_then_code(site: Site, username: str, code: str) -> None:
    page = site.page
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter a code")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()


def test_a_person_sets_up_an_app_and_signs_in_with_its_code_and_a_recovery_code(
    site: Site, make_user: Callable[[str], Any]
) -> None:
    make_user("rosa")
    page = site.page
    site.sign_in("rosa")
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in")
    site.check()
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("img", name="QR code of the key, for an authenticator app to scan"))
    site.check()

    # Typed as a person would from the page: the key in groups of four.
    key = base64.b32decode(page.locator("#two-factor-key").inner_text().replace(" ", ""))
    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Switch two-factor sign-in on").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    site.check()

    # After a wrong code the next is checked only after a wait (a second, after one).
    page.wait_for_timeout(WAIT_MS)
    page.get_by_label("Code from your app").fill(_code(key))
    page.get_by_role("button", name="Switch two-factor sign-in on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    site.check()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text().strip()
    page.get_by_role("link", name="I have kept them safe").click()
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()

    site.sign_out()
    _password_then_code(site, "rosa", _code(key, 1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evaluations")

    site.sign_out()
    _password_then_code(site, "rosa", recovery.upper())
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evaluations")
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_text("9 unused recovery codes left")).to_be_visible()


def test_the_code_page_works_without_javascript(
    open_site: Callable[..., Site], make_user: Callable[[str], Any]
) -> None:
    device, _ = switch_on(make_user("sam"))
    site = open_site(javascript=False)
    _password_then_code(site, "sam", "123456")
    expect(site.page.locator("#id_code_error")).to_contain_text("That code is not right")
    site.page.wait_for_timeout(WAIT_MS)
    site.page.get_by_label("Code").fill(app_code(device, 1))
    site.page.get_by_role("button", name="Sign in").click()
    expect(site.page.get_by_role("heading", level=1)).to_have_text("Your evaluations")
