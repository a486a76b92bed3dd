"""The API's interactive documentation: Swagger UI, served from the site's own static files,
drawing every operation under a strict Content-Security-Policy, with no request to any other
site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import Request, Route, expect
from tests.browser.conftest import Site

pytestmark = pytest.mark.browser

CSP = "csp.middleware.CSPMiddleware"
STRICT = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "connect-src": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
"""A strict policy (the site's own script and style files, nothing inline), used where the
settings have none of their own."""


@pytest.fixture
def docs_policy(settings: Any) -> str:
    """The Content-Security-Policy django-csp gives the documentation page: the site's policy
    with whatever the page's view adds to it, and nothing else."""
    if CSP not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, CSP]
    if not getattr(settings, "CONTENT_SECURITY_POLICY", None):
        settings.CONTENT_SECURITY_POLICY = STRICT
    policy: str = Client().get("/api/v1/docs")["Content-Security-Policy"]
    return policy


def test_the_documentation_page_works_under_a_strict_policy_from_our_own_files(
    site: Site, live_server: Any, docs_policy: str
) -> None:
    # The live server started before this test could add the policy's middleware: the page
    # reaches the browser with the header django-csp gave it in this process.
    def with_policy(route: Route) -> None:
        response = route.fetch()
        route.fulfill(
            response=response,
            headers={**response.headers, "content-security-policy": docs_policy},
        )

    page = site.page
    page.route("**/api/v1/docs", with_policy)
    refused: list[str] = []
    elsewhere: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    here = urlsplit(live_server.url).netloc

    def note(request: Request) -> None:
        address = urlsplit(request.url)
        if address.scheme in ("http", "https") and address.netloc != here:
            elsewhere.append(request.url)

    page.on("request", note)

    response = page.goto("/api/v1/docs")
    assert response is not None
    assert "script-src 'self'" in docs_policy
    assert "unsafe" not in docs_policy
    expect(page.get_by_text("List the rounds")).to_be_visible()
    expect(page.get_by_text("Save your ratings as a draft, or make them final")).to_be_visible()
    page.get_by_text("List the rounds").click()
    expect(page.get_by_role("button", name="Try it out")).to_be_visible()
    assert elsewhere == [], elsewhere
    assert refused == [], refused
