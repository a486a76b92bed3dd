"""Every page has the same layout, whichever template language draws it.

The rating form is drawn with Jinja2 (``peerprinciples.web.jinja``), every other page with
Django's templates. The parts of the layout they share (the head's links, the header with
the account links and the evaluation navigation, the demo banner and messages, the footer)
exist once, as Jinja2 templates: ``jinja2/layout.html`` includes them and
``templates/base.html`` draws them with the ``{% layout %}`` tag, from a Django context.
These tests draw both skeletons with the same context, for every branch of the layout, and
compare them element by element (the masked CSRF token aside, which differs on every page
by design); they also compare the rating form's header and footer with an interview page's.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _unmask_cipher_token
from django.template import Context, Template, engines
from django.test import Client, RequestFactory
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.markup import tree

from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.jinja import draw_layout_part, static_url
from peerprinciples.web.permissions import Action

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _request(user: Any, notes: list[tuple[int, str]] = ()) -> Any:  # type: ignore[assignment]
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.session = SessionStore()
    request._messages = default_storage(request)
    for level, text in notes:
        messages.add_message(request, level, text)
    return request


def _both(context: dict[str, Any], user: Any, notes: list[tuple[int, str]] = ()) -> list[Any]:  # type: ignore[assignment]
    """The Django layout and the Jinja2 layout, drawn with the same context, as trees."""
    drawn = []
    for engine, name in (("django", "base.html"), ("jinja2", "layout.html")):
        page = engines[engine].get_template(name).render(dict(context), _request(user, notes))
        drawn.append(tree(TOKEN.sub('name="csrfmiddlewaretoken" value="masked"', page)))
    return drawn


def test_the_layouts_match_signed_out_and_signed_in_outside_an_evaluation(team: Team) -> None:
    django_page, jinja_page = _both({}, AnonymousUser())
    assert django_page == jinja_page
    assert ("text", "Sign in") in jinja_page
    django_page, jinja_page = _both({}, team.rater)
    assert django_page == jinja_page
    assert ("text", f"({team.rater.get_username()})") in jinja_page


@pytest.mark.parametrize("who", ["lead", "coordinator", "rater", "viewer"])
@pytest.mark.parametrize("nav", ["overview", "interviews", "results", "data", "audit"])
def test_the_evaluation_navigation_matches_for_every_role_and_page(
    team: Team, who: str, nav: str
) -> None:
    user = getattr(team, who)
    context = evaluation_context(_request(user), team.evaluation, nav)
    django_page, jinja_page = _both(context, user)
    assert django_page == jinja_page
    assert ("start", "a", "aria-current=page", f"href={_nav_link(team, nav)}") in jinja_page or (
        not context["may"][_needs(nav)]
    )


def _needs(nav: str) -> str:
    return {
        "overview": Action.VIEW_EVALUATION.value,
        "interviews": Action.VIEW_INTERVIEWS.value,
        "results": Action.VIEW_AGGREGATES.value,
        "data": Action.EXPORT_DATA.value,
        "audit": Action.VIEW_AUDIT.value,
    }[nav]


def _nav_link(team: Team, nav: str) -> str:
    name = {
        "overview": "evaluations:detail",
        "interviews": "interviews:list",
        "results": "results:overview",
        "data": "transfers:export",
        "audit": "audit:log",
    }[nav]
    return reverse(name, args=[team.evaluation.pk])


def test_the_demo_banner_messages_and_error_title_match(team: Team) -> None:
    team.evaluation.is_demo = True
    context = evaluation_context(_request(team.lead), team.evaluation, "overview")
    context["errors"] = ["one problem"]
    notes = [
        (messages.SUCCESS, "Draft saved."),
        (messages.ERROR, 'Nothing was saved: "<b>" & more.'),
        (messages.INFO, "For your information."),
        (messages.WARNING, "Check this."),
    ]
    django_page, jinja_page = _both(context, team.lead, notes)
    assert django_page == jinja_page
    assert ("text", "DEMO — synthetic data.") in jinja_page
    assert ("start", "div", "class=message message-error", "role=alert") in jinja_page
    assert ("start", "div", "class=message message-success", "role=status") in jinja_page
    assert ("text", 'Nothing was saved: "<b>" & more.') in jinja_page  # escaped, then read
    assert jinja_page[jinja_page.index(("start", "title")) + 1][1].startswith("Error: ")


def test_the_rating_form_has_the_chrome_of_the_interview_pages(team: Team) -> None:
    interview = team.interview()
    client = team.client_for(team.rater)
    args = [team.evaluation.pk, interview.pk]
    rating = client.get(reverse("interviews:rate", args=args)).content.decode()
    detail = client.get(reverse("interviews:detail", args=args)).content.decode()

    def chrome(page: str) -> list[Any]:
        masked = TOKEN.sub('name="csrfmiddlewaretoken" value="masked"', page)
        head_and_header = masked[: masked.index("<main")]
        footer = masked[masked.index("</main>") :]
        return tree(re.sub(r"<title>.*?</title>", "", head_and_header, flags=re.S)) + tree(footer)

    assert chrome(rating) == chrome(detail)


def test_the_page_masks_its_csrf_token_once_and_a_checked_post_accepts_it(team: Team) -> None:
    interview = team.interview()
    url = reverse("interviews:rate", args=[team.evaluation.pk, interview.pk])
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.rater)
    page = client.get(url).content.decode()
    tokens = FIELD.findall(page)
    assert len(tokens) == 2  # the sign-out form and the rating form
    assert len(set(tokens)) == 1
    again = FIELD.findall(client.get(url).content.decode())
    assert again[0] != tokens[0]  # a fresh mask on every page
    assert _unmask_cipher_token(again[0]) == _unmask_cipher_token(tokens[0])
    form = {f"item-{key}": "3" for key in team.item_keys()}
    form |= {"version": "", "action": "draft", "notes": "", "csrfmiddlewaretoken": tokens[0]}
    assert client.post(url, form).status_code == 302
    assert interview.sheets.get(rater=team.rater).status == "draft"
    del form["csrfmiddlewaretoken"]
    assert client.post(url, form).status_code == 403


def test_static_addresses_follow_the_setting_and_undefined_names_are_errors(settings: Any) -> None:
    assert static_url("peerprinciples/site.css") == "/static/peerprinciples/site.css"
    settings.STATIC_URL = "/assets/"
    assert static_url("peerprinciples/site.css") == "/assets/peerprinciples/site.css"
    with pytest.raises(jinja2.UndefinedError):
        engines["jinja2"].from_string("{{ misspelt }}").render({})


def test_a_layout_part_must_exist_and_a_page_without_a_request_is_signed_out() -> None:
    with pytest.raises(ValueError, match="no layout part 'sidebar'"):
        draw_layout_part("sidebar", Context({}))
    page = Template('{% extends "base.html" %}').render(Context({}))
    assert ("text", "Sign in") in tree(page)
    assert "csrfmiddlewaretoken" not in page
