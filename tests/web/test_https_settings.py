"""Settings for serving behind HTTPS: off by default, each taking effect when set.

Django's deployment check with the production settings is in tests/test_security_checks.py.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from tests.web.settings_process import run_python

SHOW = (
    "import peerprinciples.web.settings as s; "
    "print(getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.SECURE_SSL_REDIRECT, "
    "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE)"
)


def _run(code: list[str], tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    secret = "a-secret-key-for-this-test-only-" + "x" * 40
    return run_python(code, tmp_path, **{"SECRET_KEY": secret, **settings})


def test_nothing_is_forced_to_https_by_default(tmp_path: Path) -> None:
    done = _run(["-c", SHOW], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["None", "False", "0", "False"]


def test_behind_an_https_proxy_every_setting_takes_effect(tmp_path: Path) -> None:
    done = _run(
        ["-c", SHOW],
        tmp_path,
        SECURE_COOKIES="true",
        TRUST_X_FORWARDED_PROTO="true",
        SECURE_SSL_REDIRECT="true",
        SECURE_HSTS_SECONDS="31536000",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "31536000",
        "True",
    ]


@pytest.mark.parametrize("value", ["-1", "a year"])
def test_a_wrong_hsts_setting_is_refused_with_its_name(value: str, tmp_path: Path) -> None:
    done = _run(["-c", SHOW], tmp_path, SECURE_HSTS_SECONDS=value)
    assert done.returncode != 0
    assert "SECURE_HSTS_SECONDS=" in done.stderr
    assert value in done.stderr


def test_plain_http_is_sent_to_https_except_the_health_check(settings: Any, db: None) -> None:
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    page = client.get("/sign-in/")
    assert page.status_code == 301
    assert page["Location"] == "https://testserver/sign-in/"
    health = client.get("/health/")
    assert health.status_code == 200
    assert client.get("/sign-in/", secure=True).status_code == 200
