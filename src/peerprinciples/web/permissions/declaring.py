"""How a view declares the right it needs, so the permission table can find every rule."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

# --- declaring what a view needs ---------------------------------------------------------------

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])


def requires(action: enum.StrEnum) -> Callable[[ViewT], ViewT]:
    """Mark a view as needing ``action`` and require sign-in.

    The view still fetches its objects through the guards above (which check the action
    against the object's service); the mark lets the permission-table test find views that
    declare no rule.
    """

    def decorate(view: ViewT) -> ViewT:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            return view(request, *args, **kwargs)

        guarded = login_required(wrapper)
        guarded.required_action = action  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


def public(view: ViewT) -> ViewT:
    """Mark a view as open to anyone (sign-in, password reset)."""
    view.required_action = None  # type: ignore[attr-defined]
    return view


def signed_in(view: ViewT) -> ViewT:
    """Mark a view as open to anyone signed in (home, own password)."""
    guarded = login_required(view)
    guarded.required_action = "signed_in"  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]
