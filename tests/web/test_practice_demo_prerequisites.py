"""The demo practice matrix without what it builds on: with no demo evaluation it covers no
service, and with no stored framework it says what to do. (The demo itself, made once for
its tests, is in test_practice_demo.py.)"""

from __future__ import annotations

import pytest

from peerprinciples.core.library import Library
from peerprinciples.web.library.services import load_library
from peerprinciples.web.practice import demo_texts as texts
from peerprinciples.web.practice.demo import ensure_practice_demo
from peerprinciples.web.practice.models import Cell, Programme

pytestmark = pytest.mark.django_db


def test_without_the_demo_evaluation_the_programme_covers_no_service(
    builtin_library: Library,
) -> None:
    load_library(builtin_library)
    programme, _ = ensure_practice_demo()
    assert not programme.services.exists()
    assert not Cell.objects.filter(programme=programme, actions__isnull=False).exists()
    assert Cell.objects.filter(programme=programme).count() == len(texts.CELLS)


def test_without_the_stored_framework_the_demo_says_what_to_do() -> None:
    with pytest.raises(RuntimeError, match="ENRICH framework is not stored; run prepare"):
        ensure_practice_demo()
    assert not Programme.objects.exists()
