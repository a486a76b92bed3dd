"""Rate limits: each token (and each signed-in person, and each address without either) may
make so many API calls in a period, from ``PEERPRINCIPLES_API_RATE_PER_TOKEN`` and
``PEERPRINCIPLES_API_RATE_ANONYMOUS``.

django-ninja's throttle keeps the times of recent calls in Django's default cache, which is
each server process's own memory here (see ``CACHES`` in the settings): with four server
processes, a token may make up to four times the rate in all. That bounds a runaway script,
which is what the limit is for; a shared cache (``CACHES`` pointing at Redis or the
database) makes it one limit across processes with no change here.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


class CallRate(SimpleRateThrottle):
    """One limit per token, per signed-in person, or per address; the rate is read from the
    settings on each call, so a changed setting takes effect without a restart."""

    scope = "api"

    def __init__(self) -> None:
        super().__init__(rate=settings.PEERPRINCIPLES_API_RATE_PER_TOKEN)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        token = getattr(request, "access_token", None)
        if token is not None:
            ident, rate = f"token-{token.prefix}", settings.PEERPRINCIPLES_API_RATE_PER_TOKEN
        elif request.user.is_authenticated:
            ident, rate = f"user-{request.user.pk}", settings.PEERPRINCIPLES_API_RATE_PER_TOKEN
        else:
            ident, rate = (
                f"address-{self.get_ident(request)}",
                (settings.PEERPRINCIPLES_API_RATE_ANONYMOUS),
            )
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def wait(self) -> float | None:
        """Seconds until the oldest call in the period leaves it, making room for one more."""
        if not self.history or self.duration is None:
            return None
        return max(1.0, self.duration - (self.now - self.history[-1]))
