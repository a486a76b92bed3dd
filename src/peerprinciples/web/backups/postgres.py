"""PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore``, run as child processes.

The connection comes from Django's settings (``DATABASE_URL``): host, port, user and database
go to the tools through libpq's environment variables, and so does the password
(``PGPASSWORD``), which therefore never appears on a command line where other users of the
machine could read it. The manifest is counted inside a read-only snapshot that pg_dump is
then told to use (``--snapshot``), so it describes exactly the rows dumped even while the
application keeps writing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import deque
from collections.abc import Callable
from pathlib import Path

from django.db import connection, connections, transaction
from django.db.backends.postgresql.client import DatabaseClient

from peerprinciples.web.backups.archive import BackupError
from peerprinciples.web.backups.manifest import Manifest, describe, quote, table_names

Progress = Callable[[str], object]
"""Called with the name of each table as its rows are dumped or restored."""

# Lines the tools write with --verbose when they start on a table's rows (messages in C).
_TABLE_LINE = re.compile(
    r"(?:dumping contents of|processing data for) table \"(?:[^\"]+\.)?([^\"]+)\""
)


def _tool(name: str) -> str:
    """The full path of a PostgreSQL client tool, or a message saying how to install it."""
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on the PATH. Install PostgreSQL's client tools of the "
            f"server's version or later (on Debian or Ubuntu: apt-get install "
            f"postgresql-client-{_server_major()}), or add their folder to PATH."
        )
    return found


def _server_major() -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def _tool_major(path: str) -> int:
    shown = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"\)\s*(\d+)", shown) or re.search(r"(\d+)", shown)
    if found is None:
        raise BackupError(f"could not tell the version of {path} from {shown.strip()!r}.")
    return int(found.group(1))


def _environment() -> dict[str, str]:
    """libpq's variables for the configured database; the password only here."""
    settings = connection.settings_dict
    _, extra = DatabaseClient.settings_to_cmd_args_env(settings, [])
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(extra or {})
    for key, setting in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if settings.get(setting):
            env[key] = str(settings[setting])
    env["PGDATABASE"] = str(settings["NAME"])
    env["LC_MESSAGES"] = "C"  # the --verbose lines read for progress are in English
    return env


def _run(args: list[str], what: str, progress: Progress | None) -> None:
    """Run a tool with --verbose, reporting each table; on failure, say what it said."""
    last: deque[str] = deque(maxlen=12)
    with subprocess.Popen(
        [*args, "--verbose"], env=_environment(), stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, errors="replace",
    ) as child:  # fmt: skip
        for line in child.stderr or ():
            last.append(line.rstrip())
            table = _TABLE_LINE.search(line)
            if table and progress:
                progress(table.group(1))
    if child.returncode != 0:
        said = "\n  ".join(line for line in last if line)
        raise BackupError(f"{what} failed (exit code {child.returncode}):\n  {said}")


def back_up(draft: Path, progress: Progress | None) -> Manifest:
    """Dump the database into ``draft`` and describe what was dumped."""
    dump = _tool("pg_dump")
    server, tool = _server_major(), _tool_major(dump)
    if tool < server:
        raise BackupError(
            f"pg_dump is version {tool} but the database server is version {server}; pg_dump "
            f"cannot dump a newer server. Install postgresql-client-{server} (or later) and "
            "put it first on the PATH."
        )
    if connection.in_atomic_block:
        raise BackupError("a backup cannot be taken inside another transaction.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        manifest = describe(cursor, "postgresql")
        _run(
            [dump, "--format=custom", f"--snapshot={snapshot}", f"--file={draft}"],
            "pg_dump",
            progress,
        )
    return manifest


def drop_tables_not_in(manifest: Manifest) -> list[str]:
    """Drop the tables the backup does not have (tables a later migration added here), so
    that bringing the restored schema forward with ``migrate`` can create them afresh."""
    with transaction.atomic(), connection.cursor() as cursor:
        extra = [name for name in table_names(cursor, "postgresql") if name not in manifest.tables]
        for name in extra:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(name)} CASCADE")
    return extra


def put_back(dump: Path, progress: Progress | None) -> None:
    """Restore the dump over the configured database in one transaction: all of it, or on
    any error nothing (the database is then as it was)."""
    restore = _tool("pg_restore")
    connections.close_all()  # no connection of ours holds a lock the restore must wait for
    _run(
        [
            restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        "pg_restore",
        progress,
    )
