"""The Jinja2 environment of the pages drawn with Jinja2 (see ``docs/scale.md``).

Every page uses Django's template language except the rating form, which raters open and
save over and over during a round: it uses Jinja2, which compiles a template to Python once,
so drawing the site's header, navigation and footer costs about half of what Django's engine
takes to walk its nodes. ``jinja2/layout.html`` and its includes draw the same header,
navigation, demo banner, messages and footer as ``templates/base.html``;
``tests/web/test_jinja_layout.py`` draws both with the same contexts, for every branch, and
compares them element by element.

What the Django templates get from tags and filters comes here as globals: ``static`` (the
address of a static file, see :func:`static_url`) and ``evaluation_links`` (an evaluation's
navigation addresses, kept once per process). Undefined names are errors, so a misspelt
variable fails a test instead of drawing nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from django.conf import settings
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject

from peerprinciples.web.links import evaluation_links


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
