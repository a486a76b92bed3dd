"""What the database-backed suites share: their child processes and those processes' settings."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT = 1_800


def bench_env(database_url: str, folder: str) -> dict[str, str]:
    """Production settings for a suite's own processes: its database, a throwaway data folder
    and secret key, no debugging and quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PEERPRINCIPLES_DATA_DIR": folder,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def run_child(module: str, args: list[str], env: dict[str, str]) -> Any:
    """Run ``python -m module *args`` and return the JSON on the last line it prints."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
