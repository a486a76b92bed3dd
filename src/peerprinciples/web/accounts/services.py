"""Actions on accounts that the command line, the demo and the national seed share."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model

from peerprinciples.web.accounts.two_factor import remove_devices


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


def demo_password(username: str) -> str:
    """A demo account's fresh password (creating the account when it is new), with two-factor
    sign-in switched off, so the password printed at start-up signs in on its own whatever
    someone trying the demo switched on last time."""
    password = reset_password(username, create=True)
    remove_devices(get_user_model().objects.get(username=username))
    return password
