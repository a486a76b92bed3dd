"""SQLite: copies made and put back with SQLite's online backup API.

The online backup reads the database page by page under SQLite's own locking, so the copy
is consistent even while the server and its worker keep writing (copying the file with
``cp`` is not). Restoring uses the same API the other way: the pages go into the live
database inside one write transaction, so a restore cut short (a crash, a full disk) is
rolled back from SQLite's journal and leaves the database as it was, and a server still
running sees the restored data rather than a file swapped from under it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from django.db import connection

from peerprinciples.web.backups.archive import BackupError
from peerprinciples.web.backups.manifest import Manifest, describe, row_counts

PAGES_PER_STEP = 2048
"""Pages copied between progress reports (8 MB with SQLite's default 4 KB pages)."""

Progress = Callable[[int, int], object]
"""Called with the pages copied so far and the pages in all."""


def _live() -> sqlite3.Connection:
    """Django's own connection to the live database (in-memory test databases included)."""
    connection.ensure_connection()
    raw = connection.connection
    if not isinstance(raw, sqlite3.Connection):
        raise BackupError("the configured database is not SQLite.")
    return raw


def _copy(
    source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress | None
) -> None:
    def report(status: int, remaining: int, total: int) -> None:
        if progress:
            progress(total - remaining, total)

    source.backup(target, pages=PAGES_PER_STEP, progress=report)


def back_up(draft: Path, progress: Progress | None) -> Manifest:
    """Copy the live database into ``draft`` (an empty file) and describe the copy."""
    with closing(sqlite3.connect(draft)) as copy:
        _copy(_live(), copy, progress)
        with closing(copy.cursor()) as cursor:
            return describe(cursor, "sqlite")


def check_copy(copy_path: Path, manifest: Manifest) -> None:
    """Refuse a copy that SQLite cannot read whole, or that does not hold what its manifest
    says; the live database is not touched until this has passed."""
    try:
        with closing(sqlite3.connect(copy_path.resolve().as_uri() + "?mode=ro", uri=True)) as copy:
            problems = [row[0] for row in copy.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise BackupError(
                    f"the database copy in the backup is damaged ({'; '.join(problems[:3])}). "
                    "Use another copy."
                )
            with closing(copy.cursor()) as cursor:
                counts = row_counts(cursor, "sqlite", list(manifest.tables))
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"the database copy in the backup cannot be read ({error}); use another copy."
        ) from None
    differ = [name for name, rows in manifest.tables.items() if counts.get(name) != rows]
    if differ:
        raise BackupError(
            f"the database copy does not hold what its manifest says (rows differ in "
            f"{', '.join(differ[:5])}); the backup has been changed or damaged. Use another copy."
        )


def put_back(copy_path: Path, progress: Progress | None) -> None:
    """Replace the live database's contents with the copy, in one transaction."""
    with closing(sqlite3.connect(copy_path.resolve().as_uri() + "?mode=ro", uri=True)) as copy:
        try:
            _copy(copy, _live(), progress)
        except sqlite3.OperationalError as error:
            raise BackupError(
                f"the database could not be replaced ({error}); another program may be writing "
                "to it. Stop the server and the worker, then restore again."
            ) from None
