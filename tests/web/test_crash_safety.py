"""An import killed part-way leaves the database exactly as it was.

A ratings file of a few thousand rows is imported by ``peerprinciples import-ratings`` in a
child process, which is sent SIGKILL (no clean-up of any kind can run) at seeded random
moments while its transaction is open: once early and once late in the time a full import of
a file of the same size took to write. After each kill the tables hold the same rows as
before, the ratings the same digest, and in the end the same file imports cleanly. On SQLite
the kill leaves the rollback journal behind, and the next connection rolls it back (SQLite's
own recovery, which the test shows happening); on PostgreSQL the server aborts the
transaction of the connection that died.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from tests.personas import Personas
from tests.web.committed import (
    child_environment,
    committed_personas,
    copy_to_file,
    database_url,
    on_postgresql,
)

from peerprinciples.core.library import Library

INTERVIEWS = 300
"""Interviews per file: 19 items each make 5,700 rows, which take long enough to write that
the kill lands inside the transaction, and short enough that the test takes seconds."""
KILL_AT = ((0.05, 0.2), (0.3, 0.5))
"""Where the kills land, each at a random part of the time a full import keeps its
transaction open, drawn from these ranges: one early, when few rows are written, and one
late, when many are. A transaction is all or nothing at every moment inside it, so a kill
near each end is enough to show that neither what is written first nor what is written
later survives; each further kill costs a child process of a few seconds and would show
nothing new. The late range stops at half the measured time because a later import can be
quicker than the measured one (on a busy machine by a third or more), and a kill after its
commit would test nothing: with kills up to 0.7 of the time this test failed now and then
on PostgreSQL."""
SEED = 20170601

# The data are committed once for the module (see committed.py); the mark has the test
# database created.
pytestmark = pytest.mark.django_db


@dataclass
class Database:
    """The database the children import into, seen from the test."""

    url: str
    journal: Path | None  # SQLite's rollback journal: present while a transaction writes
    cursor: Callable[[], Any]

    def writing(self) -> bool:
        """Whether an import's transaction is open now."""
        if self.journal is not None:
            return self.journal.exists()
        with self.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = 'evaluations_evaluation' AND l.mode = 'RowShareLock' "
                "AND l.pid <> pg_backend_pid()"
            )
            return bool(cursor.fetchone()[0])

    def state(self) -> tuple[dict[str, int], str]:
        """Rows per table, and a digest of every rating row."""
        with self.cursor() as cursor:
            if self.journal is not None:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            else:
                cursor.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                )
            counts = {}
            for (name,) in sorted(cursor.fetchall()):
                cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
                counts[name] = cursor.fetchone()[0]
            cursor.execute("SELECT * FROM interviews_rating ORDER BY id")
            digest = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
        return counts, digest


def ratings_file(team: Personas, folder: Path, prefix: str) -> Path:
    """A long ratings file: INTERVIEWS interviews of service A, all rated 3 by one rater."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["interview", "informant", "service", "peer_worker", "round", "date",
                     "rater", "item", "rating"])  # fmt: skip
    keys = [item.key for item in team.instrument.items_for("peer_worker")]
    for number in range(INTERVIEWS):
        for key in keys:
            writer.writerow([f"{prefix}-{number:04d}", "peer_worker", "A", "PW-A1", "1",
                             "2025-03-01", "rater", key, "3"])  # fmt: skip
    path = folder / f"{prefix}.csv"
    path.write_text(out.getvalue())
    return path


@pytest.fixture(scope="module")
def team(django_db_setup: None, django_db_blocker: Any) -> Iterator[Personas]:
    with committed_personas(django_db_blocker, Library()) as personas:
        yield personas


@pytest.fixture(scope="module")
def database(team: Personas, tmp_path_factory: pytest.TempPathFactory) -> Database:
    if on_postgresql():
        return Database(database_url(), None, connection.cursor)
    path = copy_to_file(tmp_path_factory.mktemp("crash") / "db.sqlite3")

    def cursor() -> Any:
        return closing(sqlite3.connect(path).cursor())

    return Database(f"sqlite:///{path}", path.with_name(path.name + "-journal"), cursor)


def start_import(team: Personas, database: Database, path: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "peerprinciples.cli.main", "import-ratings", str(path),
            "--evaluation", str(team.evaluation.pk), "--user", "lead", "--quiet"]  # fmt: skip
    return subprocess.Popen(
        argv,
        env=child_environment(path.parent, database.url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 120) -> float:
    """Poll until ``condition`` holds; the time it held from."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.002)
    return time.monotonic()


def test_an_import_killed_inside_its_transaction_leaves_the_database_as_it_was(
    team: Personas, database: Database, tmp_path: Path
) -> None:
    # How long a full import of a file of this size keeps its transaction open.
    child = start_import(team, database, ratings_file(team, tmp_path, "MEASURE"))
    opened = wait_for(lambda: database.writing() or child.poll() is not None, "the import")
    assert child.poll() is None, child.communicate()
    closed = wait_for(lambda: not database.writing(), "the import to commit")
    assert child.wait(timeout=60) == 0, child.communicate()
    window = closed - opened
    assert window > 0.05, f"the transaction was open for {window:.3f}s; use a bigger file"

    before = database.state()
    path = ratings_file(team, tmp_path, "KILLED")
    rng = random.Random(SEED)
    for low, high in KILL_AT:
        child = start_import(team, database, path)
        wait_for(lambda: database.writing() or child.poll() is not None, "the import")  # noqa: B023
        time.sleep(rng.uniform(low, high) * window)
        assert child.poll() is None, "the import finished before it could be killed"
        assert database.writing()
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        child.communicate()
        if database.journal is not None:
            assert database.journal.exists()  # the kill left the transaction half-written
        else:
            wait_for(lambda: not database.writing(), "the server to abort the transaction")
        assert database.state() == before  # (SQLite rolls the journal back on opening)
        if database.journal is not None:
            with closing(sqlite3.connect(database.url.removeprefix("sqlite:///"))) as opened:
                assert opened.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    child = start_import(team, database, path)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode()
    assert f"{INTERVIEWS:,} interviews" in out.decode()
    counts, digest = database.state()
    assert counts["interviews_rating"] == before[0]["interviews_rating"] + INTERVIEWS * 19
    assert digest != before[1]
