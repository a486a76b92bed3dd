"""Backing up the whole database to one file, and restoring it with a check of what came back.

``peerprinciples backup PATH`` and ``peerprinciples restore PATH`` call :func:`back_up` and
:func:`restore`. A backup is one tar archive, readable only by its owner, holding
``manifest.json`` (see :mod:`.manifest`) and the copy: SQLite's online backup of the database
file, or PostgreSQL's custom-format dump. A restore

1. reads the manifest and refuses, before anything is touched, a backup from another kind of
   database, from a newer version of peerprinciples, or a damaged one;
2. refuses to overwrite a database that holds accounts unless told to (``force``);
3. puts the copy in place in one transaction (all of it, or nothing);
4. counts the rows of every table again and compares them with the manifest, and checks the
   audit trail's hash chain.

Backups are of the database only: the data folder's ``secret_key`` and files waiting in the
import folder are not included (see the deployment guide).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection
from tqdm import tqdm

from peerprinciples.web.backups import postgres, sqlite
from peerprinciples.web.backups.archive import (
    BackupError,
    copy_size,
    extract_copy,
    owner_only_draft,
    read_manifest,
    write_archive,
)
from peerprinciples.web.backups.manifest import (
    Kind,
    Manifest,
    MigrationCheck,
    compare_migrations,
    row_counts,
)

__all__ = ["AuditCheck", "BackupError", "Manifest", "Restored", "back_up", "restore"]


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of checking the restored audit trail's hash chain."""

    ok: bool
    detail: str


@dataclass
class Restored:
    """What a restore put back, and what the checks afterwards found."""

    manifest: Manifest
    migrations: MigrationCheck
    counts: dict[str, int]
    audit: AuditCheck
    dropped: list[str] = field(default_factory=list)

    @property
    def differ(self) -> dict[str, tuple[int, int | None]]:
        """Tables whose rows differ from the manifest: (expected, found)."""
        return {
            name: (rows, self.counts.get(name))
            for name, rows in self.manifest.tables.items()
            if self.counts.get(name) != rows
        }

    @property
    def ok(self) -> bool:
        return not self.differ and self.audit.ok


def _verify_audit() -> AuditCheck:
    """Check the audit trail's hash chain with the audit app's own verification: the one
    place a restore depends on it."""
    from peerprinciples.web.audit.chain import verify_chain

    report = verify_chain()
    return AuditCheck(report.ok, report.summary())


def kind() -> Kind:
    """The kind of the configured database; other kinds cannot be backed up here."""
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        return "postgresql"
    raise BackupError(f"backups of {connection.vendor} databases are not supported.")


def _bar(enabled: bool, total: int, unit: str, label: str) -> Any:
    return tqdm(total=total, unit=unit, desc=label, disable=not enabled or None, leave=False)


def back_up(target: Path, *, progress: bool = False) -> Manifest:
    """Write a backup of the configured database to ``target``; returns its manifest.

    Safe while the server runs. ``target`` is replaced only once the whole backup is written.
    """
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a folder; give the path of the backup file to write.")
    if not target.parent.is_dir():
        raise BackupError(f"there is no folder {target.parent} to write the backup into.")
    draft = owner_only_draft(target, ".copy")
    try:
        if kind() == "sqlite":
            with _bar(progress, 0, "page", "copying") as bar:

                def pages(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                manifest = sqlite.back_up(draft, pages)
        else:
            with _bar(progress, 0, "table", "dumping") as bar:
                manifest = postgres.back_up(draft, lambda table: bar.update())
        write_archive(target, manifest, draft)
    except ValueError as error:
        raise BackupError(str(error)) from None
    finally:
        draft.unlink(missing_ok=True)
    return manifest


def _has_accounts() -> bool:
    with connection.cursor() as cursor:
        if "auth_user" not in connection.introspection.table_names(cursor):
            return False
        cursor.execute("SELECT 1 FROM auth_user LIMIT 1")
        return cursor.fetchone() is not None


def check_restorable(path: Path, *, force: bool = False) -> tuple[Manifest, MigrationCheck]:
    """Everything a restore checks before it touches the database; raises on the first
    reason not to restore."""
    manifest = read_manifest(Path(path))
    here = kind()
    if manifest.database != here:
        raise BackupError(
            f"{path} is a backup of a {manifest.database} database, but this installation uses "
            f"{here}. Restore it where DATABASE_URL names a {manifest.database} database."
        )
    migrations = compare_migrations(manifest.migrations)
    if migrations.newer:
        raise BackupError(
            f"{path} was made by a newer version of peerprinciples "
            f"({manifest.application_version}): its database has migrations this version does "
            f"not know ({', '.join(migrations.newer[:5])}). Install that version or a later "
            "one, then restore."
        )
    if not force and _has_accounts():
        raise BackupError(
            "the database already holds accounts and data, which a restore would replace. "
            "Back it up first if it may be needed, then restore with --force."
        )
    return manifest, migrations


def restore(
    path: Path, *, force: bool = False, progress: bool = False, say: Callable[[str], object] = print
) -> Restored:
    """Restore the backup at ``path`` over the configured database, then check it.

    Returns what was restored and what the checks found; raises :class:`BackupError`, with
    the database untouched, when the backup cannot or may not be restored.
    """
    path = Path(path)
    manifest, migrations = check_restorable(path, force=force)
    dropped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="peerprinciples-restore-") as folder:
        copy = Path(folder) / "copy"
        with _bar(progress, copy_size(path, manifest), "B", "reading") as bar:
            extract_copy(path, manifest, copy, bar.update)
        if manifest.database == "sqlite":
            sqlite.check_copy(copy, manifest)
            say("The copy is whole and holds what its manifest says; restoring.")
            with _bar(progress, 0, "page", "restoring") as bar:

                def pages(done: int, total: int) -> None:
                    bar.total = total
                    bar.update(done - bar.n)

                sqlite.put_back(copy, pages)
        else:
            dropped = postgres.drop_tables_not_in(manifest)
            with _bar(progress, len(manifest.tables), "table", "restoring") as bar:
                postgres.put_back(copy, lambda table: bar.update())
    with connection.cursor() as cursor:
        counts = row_counts(cursor, manifest.database, list(manifest.tables))
    return Restored(manifest, migrations, counts, _verify_audit(), dropped)
