"""A programme putting ENRICH into practice, with one person in each programme role.

``crew`` holds a lead (``lena``), a contributor (``cora``, a peer worker writing the matrix
with the lead), a reader (``rita``) and ``otis``, who leads another programme and is in no
role here. Both programmes follow the built-in ENRICH framework, stored first as a real
installation does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from peerprinciples.core.library import Library
from peerprinciples.web.library.models import StoredFramework
from peerprinciples.web.library.services import load_library
from peerprinciples.web.practice.models import Programme, ProgrammeMember, Section
from peerprinciples.web.practice.services.programmes import create_programme

AREA = "supervision"
PRINCIPLE = "mutuality"


@dataclass
class Crew:
    """A programme, its people, and a second programme led by an outsider."""

    programme: Programme
    other: Programme
    framework: StoredFramework
    lead: Any
    contributor: Any
    reader: Any
    outsider: Any

    def client_for(self, user: Any) -> Client:
        """A browser signed in as ``user``."""
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture
def crew(make_user: Callable[[str], Any], builtin_library: Library) -> Crew:
    load_library(builtin_library)
    enrich = StoredFramework.objects.get(key="enrich")
    people = {name: make_user(name) for name in ("lena", "cora", "rita", "otis")}
    programme = create_programme(
        people["lena"], name="Peer support in the community teams", framework=enrich
    )
    ProgrammeMember.objects.create(
        programme=programme, user=people["cora"], role=ProgrammeMember.Role.CONTRIBUTOR
    )
    ProgrammeMember.objects.create(
        programme=programme, user=people["rita"], role=ProgrammeMember.Role.READER
    )
    other = create_programme(people["otis"], name="Peer support on the wards", framework=enrich)
    return Crew(
        programme,
        other,
        enrich,
        people["lena"],
        people["cora"],
        people["rita"],
        people["otis"],
    )


def practice_objects(crew: Crew) -> dict[str, Any]:
    """What the permission table's URLs name: the programme, a cell, a section, the other
    programme (both share their matrices, so only the role decides)."""
    Programme.objects.filter(pk__in=[crew.programme.pk, crew.other.pk]).update(shares_matrix=True)
    section = Section.objects.create(
        programme=crew.programme, key="contacts", title="Who to contact", body="The team office."
    )
    return {
        "programme": crew.programme.pk,
        "area": AREA,
        "principle": PRINCIPLE,
        "section": section.pk,
        "other": crew.other.pk,
        "fmt": "html",
    }


def assert_kept_message(page: str, what: str) -> None:
    """A refused stale save says, at the top as in the panel, that what was typed is kept,
    and never asks to reload and type it all again."""
    assert f"Someone else changed this {what} after you opened it" in page
    assert "Your entries are kept in the form below" in page
    assert "then make your changes again" not in page
    assert "Reload the page" not in page
