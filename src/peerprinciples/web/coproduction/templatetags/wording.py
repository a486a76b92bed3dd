"""Filters for showing a framework's wording: the titles behind the keys it refers to."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def _titles(keys: Any, entries: Any) -> str:
    known = {entry.key: entry.title for entry in entries or ()}
    return "; ".join(known.get(key, key) for key in keys or ())


@register.filter
def value_titles(keys: Any, doc: Any) -> str:
    """The titles of the values with these keys in ``doc`` (a framework or a draft)."""
    return _titles(keys, getattr(doc, "values", ()))


@register.filter
def principle_titles(keys: Any, doc: Any) -> str:
    """The titles of the principles with these keys in ``doc``."""
    return _titles(keys, getattr(doc, "principles", ()))
