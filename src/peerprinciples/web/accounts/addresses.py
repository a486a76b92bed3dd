"""The address a sign-in came from, as the pause after wrong passwords counts it.

Each proxy in front of the server adds the address it was reached from to the end of the
``X-Forwarded-For`` header (nginx's ``$proxy_add_x_forwarded_for``, HAProxy's ``option
forwardfor``, cloud load balancers). With ``TRUSTED_PROXY_COUNT`` = N such proxies, the
N-th address from the end was written by the outermost proxy and is the client's; anything
to its left came from the client and is not believed. With N = 0, or when the header holds
fewer than N addresses (a request that did not come through every proxy), the address of
the connection itself is used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address (for django-axes' ``AXES_CLIENT_IP_CALLABLE``)."""
    connection = request.META.get("REMOTE_ADDR")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return connection
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if len(hops) < proxies:
        return connection
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        # Not an address a proxy of ours writes (a port, "unknown"): the connection's.
        return connection
