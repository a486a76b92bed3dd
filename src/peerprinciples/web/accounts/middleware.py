"""Signed-in sessions: they end after a spell of inactivity, without a write on every
request; and leads are sent to set up two-factor sign-in when the setting requires it.

A session's expiry is set when it is saved: ``SESSION_COOKIE_AGE`` from then. Saving it on
every request (Django's ``SESSION_SAVE_EVERY_REQUEST``) makes the age count from the last
request, so nobody part-way through a rating form is signed out while working, but it costs
each page view a write transaction. Instead, :class:`RefreshSessionMiddleware` marks a
signed-in session changed only when its expiry was last pushed back more than
``SESSION_REFRESH_SECONDS`` ago (15 minutes by default), and Django's session middleware
then saves it as usual. A session therefore ends between
``SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS`` and ``SESSION_COOKIE_AGE`` after its last
request, and a busy person's session is written at most once in each refresh interval.
Storing, expiring and clearing sessions are Django's own (the database session engine).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from peerprinciples.web.accounts import two_factor
from peerprinciples.web.permissions import must_set_up_two_factor

REFRESHED = "_pp_refreshed"
"""The session key holding when (seconds since the epoch) its expiry was last pushed back."""


class RefreshSessionMiddleware:
    """Push a signed-in session's expiry back once per refresh interval.

    It must come after Django's ``SessionMiddleware`` (so that, on the way out, it runs
    before the session is saved) and after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.interval = int(getattr(settings, "SESSION_REFRESH_SECONDS", 15 * 60))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only when the request read the session (a page that never asked who is signed in,
        # such as /health/, is not activity and costs no query for it), and only for
        # someone signed in: an anonymous visitor is given no session by this.
        if session is None or not session.accessed or session.get(SESSION_KEY) is None:
            return response
        now = int(time.time())
        last = session.get(REFRESHED)
        if not isinstance(last, int) or now - last >= self.interval or last > now:
            # Setting a key marks the session modified: SessionMiddleware then saves it
            # with a new expiry and sends the cookie again.
            session[REFRESHED] = now
        return response


OPEN_BEFORE_TWO_FACTOR = frozenset(
    {
        "two_factor",
        "two_factor_set_up",
        "login",
        "sign_in_code",
        "logout",
        "health",
        "password_reset_confirm",
    }
)
"""The pages a lead who must use two-factor sign-in may open before setting it up."""


class TwoFactorRequiredMiddleware:
    """Send a lead whose session is not confirmed by a code to set up two-factor sign-in.

    Who must is decided in the permissions layer
    (:func:`~peerprinciples.web.permissions.two_factor.must_set_up_two_factor`); this only
    acts on it, for every page at once. A lead who has switched two-factor on already (in
    another session) is signed out here and signs in again with a code. It must come after
    django-otp's ``OTPMiddleware`` and Django's message middleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.url_name in OPEN_BEFORE_TWO_FACTOR:
            return None
        if not settings.REQUIRE_TWO_FACTOR_FOR_LEADS or not must_set_up_two_factor(request.user):
            return None
        if two_factor.is_on(request.user):
            logout(request)
            messages.info(request, "Sign in again, with a code from your authenticator app.")
            return redirect("login")
        messages.info(
            request,
            "As a lead, you sign in with a code from an authenticator app as well as your "
            "password. Set it up now to go on.",
        )
        return redirect("two_factor_set_up")
