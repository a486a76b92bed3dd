"""A person makes an access token in the browser, copies its secret from the one page that
shows it, a program uses it, and the person revokes it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import Site

from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.library.models import StoredInstrument

pytestmark = pytest.mark.browser


def _call(base: str, secret: str) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"{base}/api/v1/evaluations/", headers={"Authorization": f"Bearer {secret}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_lead_makes_a_token_sees_it_once_uses_it_and_revokes_it(
    site: Site, make_user: Callable[[str], Any], instrument: StoredInstrument
) -> None:
    lead = make_user("lead")
    setup.create_evaluation(
        lead, name="Review 2026", kind=Evaluation.Kind.SERVICE_REVIEW, instrument=instrument
    )
    page = site.page
    site.sign_in("lead")
    page.get_by_role("link", name="Access tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access tokens")
    site.check()
    page.get_by_role("link", name="Make a token").click()
    site.check()
    page.get_by_label("What the token is for").fill("nightly pull into R")
    page.get_by_label("Role the token acts with").select_option("viewer")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new access token")
    site.check()
    secret = page.get_by_label("Secret").input_value()
    assert secret.startswith("ppat_")

    base = page.url.split("/account/")[0]
    status, body = _call(base, secret)
    assert status == 200
    assert body["items"][0]["name"] == "Review 2026"
    assert body["items"][0]["role"] == "viewer"

    page.get_by_role("link", name="Back to your tokens").click()
    row = page.get_by_role("row", name="nightly pull into R")
    expect(row).to_contain_text("works")
    assert secret not in page.content()
    row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("row", name="nightly pull into R")).to_contain_text("revoked")
    site.check()
    status, body = _call(base, secret)
    assert status == 401
    assert body["status"] == 401
