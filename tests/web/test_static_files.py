"""The site's stylesheet and script are found by collectstatic, so pages are styled."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_the_stylesheet_and_script_are_found() -> None:
    for name in ("peerprinciples/site.css", "peerprinciples/site.js"):
        assert finders.find(name), f"{name} is not found by the static file finders"


def test_collectstatic_gathers_them_for_the_server(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "peerprinciples" / "site.css").stat().st_size > 1000
