"""``{{ evaluation.pk|evaluation_links }}``: the evaluation navigation's addresses."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from peerprinciples.web import links

register = template.Library()


@register.filter
def evaluation_links(evaluation_id: int) -> Mapping[str, str]:
    """The addresses of an evaluation's navigation entries (kept once per process)."""
    return links.evaluation_links(evaluation_id)
