"""What a backup holds, written beside the database copy in the same file.

The manifest is taken from the copy itself (SQLite) or from the same snapshot the dump is
taken from (PostgreSQL), so its counts describe exactly what was copied. A restore reads it
first: to refuse a backup from a newer version before anything is touched, and afterwards to
check that every table came back with the rows it had.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from peerprinciples import __version__

FORMAT = "peerprinciples-backup"
AUDIT_TABLE = "audit_auditevent"
AUDIT_HASH_COLUMN = "chain_hash"
"""The column that holds each audit event's chain hash, once the trail is chained; the
manifest records the last event's value where the column exists."""

Kind = Literal["sqlite", "postgresql"]


class AuditState(BaseModel):
    """How long the audit trail was, and the hash its chain ended on (if chained)."""

    model_config = ConfigDict(extra="forbid")

    events: int = Field(ge=0)
    last_hash: str | None = None


class Manifest(BaseModel):
    """The description stored as ``manifest.json`` in every backup."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["peerprinciples-backup"] = FORMAT
    format_version: Literal[1] = 1
    database: Kind
    created_at: dt.datetime
    application_version: str
    migrations: dict[str, str] = Field(
        description="the latest migration applied, per app, in the order they were applied"
    )
    tables: dict[str, Annotated[int, Field(ge=0)]] = Field(description="rows per table")
    audit: AuditState


def quote(name: str) -> str:
    """An identifier quoted the way SQLite and PostgreSQL both read it."""
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor: Any, kind: Kind) -> list[str]:
    """The tables of the application's schema, by name."""
    if kind == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def row_counts(cursor: Any, kind: Kind, tables: list[str] | None = None) -> dict[str, int]:
    """Rows per table: of ``tables``, or of every table there is."""
    counts = {}
    # Table names come from the database's own catalogue or the manifest checked against it,
    # quoted as identifiers; SQL cannot take a table name as a parameter (hence "nosec B608").
    for name in tables if tables is not None else table_names(cursor, kind):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")  # nosec B608
        counts[name] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(cursor: Any) -> dict[str, str]:
    """The latest migration applied in each app, as the database records them."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = name
    return latest


def _columns(cursor: Any, kind: Kind, table: str) -> set[str]:
    if kind == "sqlite":
        cursor.execute(f"PRAGMA table_info({quote(table)})")
        return {row[1] for row in cursor.fetchall()}
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s",
        [table],
    )
    return {row[0] for row in cursor.fetchall()}


def audit_state(cursor: Any, kind: Kind, events: int) -> AuditState:
    """The audit trail's length and, where its events are chained, the last event's hash."""
    if AUDIT_HASH_COLUMN not in _columns(cursor, kind, AUDIT_TABLE):
        return AuditState(events=events)
    # Two constant names of our own, quoted as identifiers (hence "nosec B608").
    column, table = quote(AUDIT_HASH_COLUMN), quote(AUDIT_TABLE)
    cursor.execute(f"SELECT {column} FROM {table} ORDER BY seq DESC LIMIT 1")  # nosec B608
    row = cursor.fetchone()
    return AuditState(events=events, last_hash=str(row[0]) if row and row[0] else None)


def describe(cursor: Any, kind: Kind) -> Manifest:
    """The manifest of the database ``cursor`` reads, as it is now."""
    tables = row_counts(cursor, kind)
    if "django_migrations" not in tables or AUDIT_TABLE not in tables:
        raise ValueError(
            "the database has not been prepared for peerprinciples (no migrations recorded); "
            "there is nothing of the application's to back up"
        )
    return Manifest(
        database=kind,
        created_at=dt.datetime.now(dt.UTC),
        application_version=__version__,
        migrations=applied_migrations(cursor),
        tables=tables,
        audit=audit_state(cursor, kind, tables[AUDIT_TABLE]),
    )


@dataclass(frozen=True)
class MigrationCheck:
    """How a backup's migrations compare with this version's code."""

    newer: list[str]
    """Migrations the backup has that this code does not know (``app.name``)."""
    behind: list[str]
    """Apps where this code has migrations the backup has not had yet."""

    @property
    def same(self) -> bool:
        return not self.newer and not self.behind


def compare_migrations(recorded: dict[str, str]) -> MigrationCheck:
    """Compare the latest migration per app in a backup with the migrations in the code."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    newer = [f"{app}.{name}" for app, name in recorded.items() if (app, name) not in known]
    behind = []
    for app in sorted({app for app, _ in known}):
        leaves = {name for _, name in loader.graph.leaf_nodes(app)}
        if recorded.get(app) not in leaves:
            behind.append(app)
    return MigrationCheck(newer=newer, behind=behind)
