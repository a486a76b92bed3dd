"""Reading the settings in a fresh interpreter, with chosen environment variables.

Settings are read from the environment once, when Django starts, so a test of what a
variable does runs Python anew with it set (and its own data folder and SQLite database).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_python(args: list[str], folder: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """``python *args`` with ``variables`` set in the environment; what it printed."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "PEERPRINCIPLES_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        **variables,
    }
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120
    )


def read_settings(
    expression: str, folder: Path, **variables: str
) -> subprocess.CompletedProcess[str]:
    """Import the settings as ``s`` and print ``expression`` (or, with ``""``, print nothing)."""
    code = "import peerprinciples.web.settings as s"
    if expression:
        code += f"; print({expression})"
    return run_python(["-c", code], folder, **variables)
