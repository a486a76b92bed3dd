"""Signed-in sessions end after a spell of inactivity, without a write on every request.

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

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

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
