"""The secret key an installation generates for itself when SECRET_KEY is not set.

The tests that start interpreters give each an empty data folder, as a new installation has.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from peerprinciples.web.settings import write_once

PRINT_KEY = "import peerprinciples.web.settings as s; print(s.SECRET_KEY)"
# Interpreters that load what the settings module imports, wait for a start signal (a file
# appearing) and then read the settings as nearly at the same moment as they can.
READY_THEN_PRINT_KEY = """
import sys
from pathlib import Path
import dj_database_url, django.core.exceptions
signal = Path(sys.argv[1])
while not signal.exists():
    pass
import peerprinciples.web.settings as s
print(s.SECRET_KEY)
"""
STARTED_TOGETHER = 12


def _environment(folder: Path, **variables: str) -> dict[str, str]:
    """This environment without SECRET_KEY or DEBUG, on ``folder`` as the data folder."""
    kept = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    return {
        **kept,
        "PEERPRINCIPLES_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        **variables,
    }


def _key(folder: Path, **variables: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PRINT_KEY],
        env=_environment(folder, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_file_written_once_is_readable_only_by_its_owner(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    assert write_once(path, "first") == "first"
    assert path.read_text() == "first"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_file_already_written_stands_and_leaves_no_draft(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    write_once(path, "first")
    assert write_once(path, "second") == "first"
    assert path.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_key_is_generated_once_and_kept_in_the_data_folder(tmp_path: Path) -> None:
    first = _key(tmp_path)
    assert len(first) >= 50
    assert _key(tmp_path) == first
    stored = tmp_path / "secret_key"
    assert stored.read_text().strip() == first
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_a_key_from_the_environment_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    assert _key(tmp_path, SECRET_KEY="from-the-environment") == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_processes_starting_together_all_use_one_whole_key(tmp_path: Path) -> None:
    # Server workers or parallel test workers on a new installation: none may fail on the
    # file another one is creating, read it half-written, or keep a key of its own. (Whether
    # two of them meet at the same instant depends on the scheduler, so before the key was
    # linked into place this failed only now and then; the two tests above are the exact ones.)
    data = tmp_path / "data"
    signal = tmp_path / "start"
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", READY_THEN_PRINT_KEY, str(signal)],
            env=_environment(data),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(STARTED_TOGETHER)
    ]
    time.sleep(1)  # time enough for the interpreters to start and load
    signal.touch()
    outcomes = [start.communicate(timeout=120) for start in starts]
    failures = [err for start, (_, err) in zip(starts, outcomes, strict=True) if start.returncode]
    assert failures == []
    keys = {out.strip() for out, _ in outcomes}
    assert keys == {(data / "secret_key").read_text().strip()}
    assert len(keys.pop()) >= 50
    assert not list(data.glob(".secret_key-*")), "a draft key was left behind"
