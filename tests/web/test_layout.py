"""Every page's layout: the head, the header with the account links and the evaluation
navigation, the demo banner and messages, and the footer.

``base.html`` includes the parts in ``templates/layout/``, and every page, the rating form
included, extends it. These tests read whole pages as a browser would.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.middleware.csrf import _unmask_cipher_token
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.markup import tree

from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import Action, access_for

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

PAGES = {
    "overview": ("evaluations:detail", Action.VIEW_EVALUATION),
    "interviews": ("interviews:list", Action.VIEW_INTERVIEWS),
    "results": ("results:overview", Action.VIEW_AGGREGATES),
    "data": ("transfers:export", Action.EXPORT_DATA),
    "audit": ("audit:log", Action.VIEW_AUDIT),
}


def _request(user: Any, notes: tuple[tuple[int, str], ...] = ()) -> Any:
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.session = SessionStore()
    request._messages = default_storage(request)
    for level, text in notes:
        messages.add_message(request, level, text)
    return request


def test_signed_out_the_header_offers_signing_in_and_no_evaluation() -> None:
    page = Client().get(reverse("login")).content.decode()
    found = tree(page)
    assert ("text", "Sign in") in found
    assert "Sign out" not in page
    assert 'class="evaluation-nav"' not in page
    assert '<link rel="stylesheet" href="/static/peerprinciples/site.css">' in page
    assert ("text", "Skip to main content") in found
    assert '<footer class="site-footer">' in page


def test_signed_in_the_header_names_the_person_in_the_sign_out_button(team: Team) -> None:
    page = team.client_for(team.rater).get(reverse("home")).content.decode()
    assert ("text", f"({team.rater.get_username()})") in tree(page)
    assert f'<form method="post" action="{reverse("logout")}" class="inline-form">' in page


@pytest.mark.parametrize("who", ["lead", "coordinator", "rater", "viewer"])
@pytest.mark.parametrize("nav", list(PAGES))
def test_the_evaluation_navigation_shows_what_the_role_may_open(
    team: Team, who: str, nav: str
) -> None:
    user = getattr(team, who)
    name, action = PAGES[nav]
    url = reverse(name, args=[team.evaluation.pk])
    response = team.client_for(user).get(url)
    access = access_for(_request(user), team.evaluation.pk, Action.VIEW_EVALUATION)
    if not access.may(action):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    found = tree(response.content.decode())
    assert ("start", "a", "aria-current=page", f"href={url}") in found
    current = [event for event in found if "aria-current=page" in event]
    assert len(current) == 1
    shown = {event[-1] for event in found if event[:2] == ("start", "a")}
    audit = reverse("audit:log", args=[team.evaluation.pk])
    assert (f"href={audit}" in shown) == access.may(Action.VIEW_AUDIT)
    interviews = reverse("interviews:list", args=[team.evaluation.pk])
    assert (f"href={interviews}" in shown) == access.may(Action.VIEW_INTERVIEWS)


def test_the_demo_banner_messages_and_the_error_title(team: Team) -> None:
    team.evaluation.is_demo = True
    team.evaluation.save(update_fields=["is_demo"])
    request = _request(
        team.lead,
        (
            (messages.SUCCESS, "Draft saved."),
            (messages.ERROR, 'Nothing was saved: "<b>" & more.'),
        ),
    )
    access = access_for(request, team.evaluation.pk, Action.VIEW_EVALUATION)
    context = evaluation_context(access, "overview") | {"errors": ["one problem"]}
    page = render_to_string("base.html", context, request)
    found = tree(page)
    assert ("text", "DEMO — synthetic data.") in found
    assert ("start", "div", "class=message message-error", "role=alert") in found
    assert ("start", "div", "class=message message-success", "role=status") in found
    assert ("text", 'Nothing was saved: "<b>" & more.') in found  # escaped, then read
    assert "&lt;b&gt;" in page
    assert found[found.index(("start", "title")) + 1][1].startswith("Error: ")


def test_the_rating_form_has_the_layout_of_the_interview_pages(team: Team) -> None:
    interview = team.interview()
    client = team.client_for(team.rater)
    args = [team.evaluation.pk, interview.pk]
    rating = client.get(reverse("interviews:rate", args=args)).content.decode()
    detail = client.get(reverse("interviews:detail", args=args)).content.decode()

    def layout(page: str) -> list[Any]:
        masked = FIELD.sub('name="csrfmiddlewaretoken" value="masked"', page)
        head_and_header = masked[: masked.index("<main")]
        footer = masked[masked.index("</main>") :]
        return tree(re.sub(r"<title>.*?</title>", "", head_and_header, flags=re.S)) + tree(footer)

    assert layout(rating) == layout(detail)


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


def test_there_is_one_template_engine_with_the_cached_loader() -> None:
    from django.conf import settings

    assert len(settings.TEMPLATES) == 1
    engine = settings.TEMPLATES[0]
    assert engine["BACKEND"] == "django.template.backends.django.DjangoTemplates"
    (loader,) = engine["OPTIONS"]["loaders"]
    assert loader[0] == "django.template.loaders.cached.Loader"
