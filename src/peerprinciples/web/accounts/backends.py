"""Signing in with a username and password, and finding the signed-in account on each request.

:class:`AccountBackend` is Django's ``ModelBackend`` in every respect but one: the account
that every request reads (after the session names it) is read with a plain ``SELECT``
written once per process from the user model's metadata (see
:mod:`peerprinciples.web.lookups`), not a statement the ORM builds again on each request.
Inactive accounts are refused exactly as ``ModelBackend`` refuses them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from peerprinciples.web.lookups import Join, Part

_ACCOUNT: Join | None = None


def _account_lookup() -> Join:
    global _ACCOUNT
    if _ACCOUNT is None:
        model = get_user_model()
        _ACCOUNT = Join([Part(model, "u")], "{u}", f"WHERE u.{model._meta.pk.column} = %s")
    return _ACCOUNT


class AccountBackend(ModelBackend):
    """``ModelBackend`` with the per-request account lookup in plain SQL."""

    def get_user(self, user_id: Any) -> Any:
        try:
            key = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:  # a session holding a key of the wrong shape: nobody signed in
            return None
        (user,) = _account_lookup().first([key])
        return user if user is not None and self.user_can_authenticate(user) else None
