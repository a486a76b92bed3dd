"""``peerprinciples backup`` and ``peerprinciples restore``: the whole database to one file
and back (the work is done by :mod:`peerprinciples.web.backups`).

Exit codes: 0 done (for a restore: and every check afterwards passed), 1 the backup or
restore could not be done, or the restored database failed a check.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from peerprinciples.cli.commands import add_command
from peerprinciples.core.library import Library


def backup(args: argparse.Namespace, library: Library) -> int:
    """Back up the configured database (SQLite or PostgreSQL) to one file, readable only by
    its owner. Safe while the server runs."""
    from peerprinciples.web.serve import setup_django

    setup_django()
    from peerprinciples.web.backups import BackupError, back_up

    try:
        manifest = back_up(args.path, progress=not args.quiet)
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    rows = sum(manifest.tables.values())
    print(
        f"Backed up the {manifest.database} database to {args.path}: {len(manifest.tables)} "
        f"tables, {rows:,} rows, {manifest.audit.events:,} audit events."
    )
    return 0


def restore(args: argparse.Namespace, library: Library) -> int:
    """Restore a backup over the configured database, then check that every table holds the
    rows the backup recorded and that the audit trail's chain is unbroken."""
    from peerprinciples.web.serve import setup_django

    setup_django()
    from peerprinciples.web.backups import BackupError
    from peerprinciples.web.backups import restore as restore_backup

    try:
        restored = restore_backup(args.path, force=args.force, progress=not args.quiet)
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    manifest = restored.manifest
    print(
        f"Restored {args.path}: the {manifest.database} database as it was on "
        f"{manifest.created_at:%d %B %Y at %H:%M} UTC (peerprinciples "
        f"{manifest.application_version}), {len(manifest.tables)} tables, "
        f"{sum(manifest.tables.values()):,} rows, {manifest.audit.events:,} audit events."
    )
    for name in restored.dropped:
        print(f"  dropped table {name}, which the backup does not have")
    for name, (expected, found) in restored.differ.items():
        print(f"error: {name} has {found} rows; the backup recorded {expected}.", file=sys.stderr)
    if not restored.differ:
        print("Checked: every table holds the rows the backup recorded.")
    if restored.audit.ok:
        print(f"Audit trail: the chain verifies ({restored.audit.detail}).")
    else:
        print(f"error: the audit trail does not verify: {restored.audit.detail}", file=sys.stderr)
    if restored.migrations.behind:
        print(
            "The backup is from an older version: bring the database up to date with "
            "'peerprinciples manage migrate' (or start 'peerprinciples serve', which does it). "
            f"Apps behind: {', '.join(restored.migrations.behind)}."
        )
    return 0 if restored.ok else 1


def register(subparsers: Any) -> None:
    """Add the ``backup`` and ``restore`` commands to the top-level parser."""
    backing = add_command(subparsers, "backup", backup, "back up the database to one file")
    backing.add_argument("path", metavar="PATH", help="the backup file to write (replaced whole)")
    backing.add_argument("--quiet", action="store_true", help="no progress bar")

    restoring = add_command(
        subparsers, "restore", restore, "restore the database from a backup, and check it"
    )
    restoring.add_argument("path", metavar="PATH", help="a file 'peerprinciples backup' wrote")
    restoring.add_argument(
        "--force",
        action="store_true",
        help="replace a database that already holds accounts and data",
    )
    restoring.add_argument("--quiet", action="store_true", help="no progress bar")
