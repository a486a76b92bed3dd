"""The Jinja2 environment, and the layout every page shares (see ``docs/scale.md``).

Every page uses Django's template language except the rating form, which raters open and
save over and over during a round: it uses Jinja2, which compiles a template to Python once
and draws it in a fraction of the time Django's engine takes to walk its nodes.

The parts of the layout every page shares (the head's links, the header with the account
links and the evaluation navigation, the demo banner and messages, the footer) are Jinja2
templates in ``jinja2/layout/``, and there is only that one copy of them. A page drawn with
Jinja2 includes them from ``jinja2/layout.html``; Django's ``templates/base.html`` draws them
with the ``{% layout %}`` tag, which calls :func:`draw_layout_part`. So every page gets the
same markup, and the shared parts cost every page what they cost the rating form.

What Django's templates get from tags and context processors comes here as globals and
context: ``static`` (the address of a static file, see :func:`static_url`),
``evaluation_links`` (an evaluation's navigation addresses, kept once per process) and
``csrf_input`` (masked once per page, see :func:`csrf_once`). Undefined names are errors,
so a misspelt variable fails a test instead of drawing nothing (the layout asks whether
``evaluation`` and ``errors`` are defined, since only some pages have them).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.template import engines
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from peerprinciples.web.links import evaluation_links, site_links

LAYOUT_PARTS = ("head", "header", "notices", "footer")
"""The parts of the layout in ``jinja2/layout/``, in the order a page draws them."""


def environment(**options: Any) -> jinja2.Environment:
    """Django's ``OPTIONS["environment"]`` for the Jinja2 backend."""
    options["undefined"] = jinja2.StrictUndefined
    env = jinja2.Environment(**options)
    env.globals.update({"static": static_url, "evaluation_links": evaluation_links})
    return env


def static_url(path: str) -> str:
    """The address of a static file, worked out once per process and ``STATIC_URL``.

    Django's ``static`` asks the app registry and the storage on every call; the answer
    only changes when the settings do (the storage adds no hash to names here).
    """
    return _static(path, settings.STATIC_URL)


@lru_cache(maxsize=64)
def _static(path: str, static_root_url: str) -> str:
    return static(path)


def csrf_once(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``csrf_input``, the hidden CSRF field, masked once per page.

    Django's Jinja2 backend hands templates a ``csrf_input`` that masks the token afresh each
    time it is drawn (the sign-out form in the header and the page's own form would cost two
    masks); Django's own templates mask it once per page, which is all protection against
    reading the token from compressed responses (BREACH) needs. This one does the same.
    """
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def draw_layout_part(part: str, context: Any) -> SafeString:
    """One part of the shared layout, drawn from a Django template's context.

    The context of a Django template has what its context processors gave (the user, the
    CSRF token, the messages, the site's links) and, inside an evaluation, what
    ``evaluation_context`` gave (``evaluation``, ``nav``, ``may``). A page drawn without a
    request (none is, but a template may be) gets the signed-out header.
    """
    if part not in LAYOUT_PARTS:
        raise ValueError(f"no layout part {part!r}: use one of {', '.join(LAYOUT_PARTS)}")
    token = context.get("csrf_token")
    request = context.get("request")
    links = context.get("site_links") or site_links(request)["site_links"]
    values = {
        "user": context.get("user") or AnonymousUser(),
        "site_links": links,
        # What Django's {% csrf_token %} draws, from the token its context masked once.
        "csrf_input": (
            format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
            if token and token != "NOTPROVIDED"
            else ""
        ),
        "evaluation": context.get("evaluation"),
        "nav": context.get("nav"),
        "may": context.get("may") or {},
        "messages": context.get("messages") or (),
    }
    environment_: jinja2.Environment = engines["jinja2"].env  # type: ignore[attr-defined]
    # The part is markup from a template whose values were escaped as they were drawn.
    return mark_safe(environment_.get_template(f"layout/{part}.html").render(values))
