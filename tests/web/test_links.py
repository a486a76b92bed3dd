"""The header and evaluation links, reversed once per process, lead where reverse() says."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse, set_script_prefix
from tests.web.conftest import Team

from peerprinciples.web import links

pytestmark = pytest.mark.django_db


def _hrefs(page: str, start: str, end: str) -> list[str]:
    block = page[page.index(start) : page.index(end, page.index(start))]
    return re.findall(r'(?:href|action)="([^"]+)"', block)


def test_the_evaluation_navigation_leads_to_each_page(team: Team) -> None:
    pk = team.evaluation.pk
    page = team.client_for(team.lead).get(reverse("evaluations:detail", args=[pk]))
    assert page.status_code == 200
    found = _hrefs(page.content.decode(), '<nav class="evaluation-nav"', "</nav>")
    assert found == [
        reverse(name, args=[pk])
        for name in (
            "evaluations:detail",
            "interviews:list",
            "results:overview",
            "results:psychometrics",
            "reflection:index",
            "transfers:export",
            "audit:log",
        )
    ]


def test_the_account_links_lead_to_each_page(team: Team) -> None:
    page = team.client_for(team.lead).get(reverse("home")).content.decode()
    found = _hrefs(page, '<header class="site-header">', '<nav aria-label="Account">')
    found += _hrefs(page, '<nav aria-label="Account">', "</nav>")
    names = [
        "home",
        "home",
        "coproduction:index",
        "practice:index",
        "tokens:index",
        "password_change",
        "two_factor",
        "logout",
    ]
    assert found == [reverse(name) for name in names]


def test_someone_signed_out_is_offered_the_sign_in_page() -> None:
    page = Client().get(reverse("login")).content.decode()
    found = _hrefs(page, '<header class="site-header">', "</header>")
    assert found == [reverse("login"), reverse("login")]


def test_a_server_mounted_under_a_path_gets_links_under_it() -> None:
    try:
        set_script_prefix("/peer-support/")
        mounted = links.evaluation_links(7)
        assert mounted["results"] == "/peer-support/evaluations/7/results/"
        assert links.site_links(HttpRequest())["site_links"]["home"] == "/peer-support/"
    finally:
        set_script_prefix("/")
    assert links.evaluation_links(7)["results"] == reverse("results:overview", args=[7])
    assert links.evaluation_links(7)["results"] != mounted["results"]
