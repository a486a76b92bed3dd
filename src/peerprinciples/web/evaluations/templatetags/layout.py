"""``{% layout "header" %}``: a part of the layout every page shares, in Django's templates.

The parts (``head``, ``header``, ``notices``, ``footer``) are Jinja2 templates in
``jinja2/layout/``, the one copy of them: ``templates/base.html`` draws them with this tag
and ``jinja2/layout.html`` includes them (see :mod:`peerprinciples.web.jinja`).
"""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from peerprinciples.web.jinja import draw_layout_part

register = template.Library()


@register.simple_tag(takes_context=True)
def layout(context: Context, part: str) -> SafeString:
    """The part of the layout named ``part``, drawn for this page's context."""
    return draw_layout_part(part, context)
