"""What every page of a programme shares: its navigation and the person's rights."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from peerprinciples.web.permissions import ProgrammeAccess

PROGRAMME_NAV = {
    "matrix": "practice:matrix",
    "gaps": "practice:gaps",
    "handbook": "practice:handbook",
    "versions": "practice:versions",
    "history": "practice:history",
    "compare": "practice:compare",
    "settings": "practice:settings",
    "members": "practice:members",
}
"""The programme navigation: its entries and the URL names they lead to."""


def programme_context(access: ProgrammeAccess, nav: str, **extra: Any) -> dict[str, Any]:
    """The context every programme page starts from: the programme (for the header's
    navigation), its links, the person's rights as ``may`` and which entry is current."""
    programme = access.programme
    links = {entry: reverse(name, args=[programme.pk]) for entry, name in PROGRAMME_NAV.items()}
    return {
        "programme": programme,
        "programme_links": links,
        "access": access,
        "may": access.rights,
        "nav": nav,
        **extra,
    }
