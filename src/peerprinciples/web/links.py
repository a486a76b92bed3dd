"""The addresses of the links on every page, worked out once per process.

Every signed-in page shows the account links, and every page inside an evaluation shows
that evaluation's navigation. Reversing their twelve URL patterns costs about 0.75 ms a page,
a tenth of a results page's processor time, yet the answers never change while the server
runs. They are kept here, under the script prefix and URL configuration in force (both are
part of the key; ``reverse`` reads the prefix itself), so a server mounted under a sub-path
or a test with its own URL configuration gets its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

SITE = {
    "home": "home",
    "login": "login",
    "logout": "logout",
    "password_change": "password_change",
    "two_factor": "two_factor",
    "coproduction": "coproduction:index",
    "practice": "practice:index",
    "tokens": "tokens:index",
}
"""The links in every page's header: their entries and the URL names they lead to."""

EVALUATION = {
    "overview": "evaluations:detail",
    "interviews": "interviews:list",
    "results": "results:overview",
    "psychometrics": "results:psychometrics",
    "reflection": "reflection:index",
    "data": "transfers:export",
    "audit": "audit:log",
}
"""The evaluation navigation: its entries and the URL names they lead to."""

EVALUATIONS_KEPT = 4096


@lru_cache(maxsize=16)
def _site(prefix: str, urlconf: Any) -> Mapping[str, str]:
    return MappingProxyType({entry: reverse(name, urlconf=urlconf) for entry, name in SITE.items()})


@lru_cache(maxsize=EVALUATIONS_KEPT)
def _evaluation(prefix: str, urlconf: Any, evaluation_id: int) -> Mapping[str, str]:
    return MappingProxyType(
        {
            entry: reverse(name, args=[evaluation_id], urlconf=urlconf)
            for entry, name in EVALUATION.items()
        }
    )


def _urlconf() -> Any:
    """The URL configuration this thread resolves with (a request's own, or the setting)."""
    return get_urlconf() or settings.ROOT_URLCONF


def site_links(request: HttpRequest) -> dict[str, Mapping[str, str]]:
    """Context processor: ``site_links.home``, ``.login``, ``.logout``, ``.password_change``,
    ``.two_factor``, ``.coproduction``, ``.practice``."""
    return {"site_links": _site(get_script_prefix(), _urlconf())}


def evaluation_links(evaluation_id: int) -> Mapping[str, str]:
    """The evaluation navigation's addresses, by entry (``overview``, ``results``...)."""
    return _evaluation(get_script_prefix(), _urlconf(), int(evaluation_id))
