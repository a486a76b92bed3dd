"""Actions on accounts that the command line, the demo and the national seed share."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model


def reset_password(username: str, *, create: bool) -> str:
    """Give ``username`` a new random password (creating the account if asked); returns it.

    Raises ``SystemExit`` naming the account when it does not exist and ``create`` is not
    set, so the command line stops with that message.
    """
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        if not create:
            raise SystemExit(f"error: there is no account '{username}'.")
        user = model(username=username)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()
    return password
