"""Every page names the site's icon, and /favicon.ico leads to it rather than a 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import peerprinciples.web

pytestmark = pytest.mark.django_db

ICON = "/static/peerprinciples/favicon.svg"


def test_pages_name_the_icon_and_the_icon_is_there() -> None:
    page = Client().get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{ICON}" type="image/svg+xml">' in page
    icon = Path(peerprinciples.web.__file__).parent / "static/peerprinciples/favicon.svg"
    assert icon.read_text().startswith("<svg")


def test_favicon_ico_leads_to_the_icon() -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == ICON
