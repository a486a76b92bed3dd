"""Data committed to the test database, for tests whose other side is a separate process
(a command run as a child, pg_dump) that cannot see a test's open transaction.

:func:`committed_personas` stores the personas for a whole test module and empties the
database afterwards, as pytest-django does after a transactional test.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from tests.personas import PASSWORD, Personas, make_personas

from peerprinciples.core.library import Library
from peerprinciples.web.library.services import load_library

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def committed_personas(blocker: Any, library: Library) -> Iterator[Personas]:
    """The personas, committed; the database is emptied when the block ends."""
    with blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        try:
            stored = next(s for s in load_library(library) if s.key == "enrich-example-index")

            def make_user(username: str) -> Any:
                return get_user_model().objects.create_user(
                    username=username, email=f"{username}@example.org", password=PASSWORD
                )

            yield Personas(**make_personas(make_user, stored))
        finally:
            call_command("flush", interactive=False, verbosity=0)


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def database_url() -> str:
    """A ``DATABASE_URL`` for a child process that names the test database (PostgreSQL)."""
    settings = connection.settings_dict
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings.get("PASSWORD") else ""
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    user = quote(settings.get("USER") or "", safe="")
    return f"postgres://{user}{password}@{settings['HOST']}{port}/{settings['NAME']}"


def copy_to_file(path: Path) -> Path:
    """Copy the SQLite test database (in memory) to a file a child process can open."""
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    return path


def child_environment(folder: Path, url: str) -> dict[str, str]:
    """The environment of a ``peerprinciples`` command run as a child on ``url``."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "PEERPRINCIPLES_DATA_DIR": str(folder),
        "DATABASE_URL": url,
    }
