"""Before gunicorn forks its workers, the server loads every view and closes its connections."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from peerprinciples.web.serve import before_fork, setup_django
setup_django()
from django.db import connection
connection.ensure_connection()
loaded_before = "peerprinciples.web.results.views" in sys.modules
before_fork()
print(loaded_before, "peerprinciples.web.results.views" in sys.modules, connection.connection)
"""


def test_the_views_are_imported_and_no_connection_is_left_open(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PEERPRINCIPLES_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "peerprinciples.web.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "None"]
