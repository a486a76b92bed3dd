"""What the permission tables share: a row of the table, and the check of one outcome.

``ok`` means the page did its job (any answer but 403, 404, 405, a server error or a
redirect to sign in), ``403`` a member without the right, ``404`` someone who may not know
the object exists, ``login`` a redirect to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

OK, FORBIDDEN, MISSING, LOGIN = "ok", "403", "404", "login"


@dataclass(frozen=True)
class Row:
    """One URL, how to call it, and what each role gets (in the order of the table's roles)."""

    name: str
    args: tuple[str, ...]
    method: str
    expected: tuple[str, ...]
    variant: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}{'[' + self.variant + ']' if self.variant else ''} {self.method}"


def row_maker(roles: Sequence[str]) -> Callable[..., Row]:
    """A function making rows for a table of these roles, from space-separated words."""

    def make(name: str, args: str, method: str, outcomes: str, variant: str = "") -> Row:
        expected = tuple(outcomes.split())
        assert len(expected) == len(roles), name
        assert set(expected) <= {OK, FORBIDDEN, MISSING, LOGIN}, name
        return Row(name, tuple(args.split()), method, expected, variant)

    return make


def check_outcome(client: Client, url: str, method: str, expected: str, role: str) -> None:
    """Call ``url`` as ``client`` and check the answer is the ``expected`` outcome."""
    response = client.post(url) if method == "POST" else client.get(url)
    status = response.status_code
    redirect = response.get("Location", "") if status in (301, 302) else ""
    if expected == LOGIN:
        assert status == 302, f"{url}: {status}"
        assert redirect.startswith(reverse("login")), redirect
    elif expected == OK:
        assert status not in (403, 404, 405, 500, 501), f"{url} as {role}: {status}"
        assert not redirect.startswith(reverse("login")), f"{url} sent {role} to sign in"
    else:
        assert str(status) == expected, f"{url} as {role}: {status}, expected {expected}"
