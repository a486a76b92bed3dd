"""Database triggers that keep the audit trail append-only, whoever writes to the database.

The model refuses to change or delete an event, but plain SQL goes round the model. These
triggers refuse, in the database itself:

* ``DELETE`` of any event, and ``TRUNCATE`` of the table (PostgreSQL; SQLite has none);
* any ``UPDATE`` but a redaction: ``redacted`` set, ``before`` and ``after`` emptied, the
  summary free (it says why the details were removed), and every other column as it was:
  the time, author, evaluation, action, object, sequence number and both hashes.

The table's owner can still drop a trigger; a deployment that runs the application as a
database role which does not own the tables (docs/deployment.md) closes that door too. On
SQLite anyone who can write the file can do anything, so there the triggers guard against
mistakes, and the hash chain is what shows a change.

Emptying the whole database (``manage.py flush``, which the test suite uses between tests)
removes the triggers, empties the tables and puts the triggers back, in one transaction:
see ``audit/management/commands/flush.py``.
"""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditevent"
ROW_TRIGGER = "audit_event_append_only"
TRUNCATE_TRIGGER = "audit_event_no_truncate"
DELETE_TRIGGER = "audit_event_no_delete"
FUNCTION = "audit_event_refuse_change"
MESSAGE = "the audit trail is append-only"

# Every column a redaction must leave as it was.
_KEPT = (
    "id",
    "seq",
    "at",
    "user_id",
    "evaluation_id",
    "action",
    "object_type",
    "object_id",
    "content_hash",
    "chain_hash",
)
_KEPT_EXPRESSION = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _KEPT)

_POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF NEW.redacted AND NEW.before IS NULL AND NEW.after IS NULL
                    AND {_KEPT_EXPRESSION} THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '{MESSAGE}: % refused on %', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only a redaction may change an event; nothing may remove one.';
    END
    $$
    """,
    f"""
    CREATE TRIGGER {ROW_TRIGGER} BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
    """,
    f"""
    CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()
    """,
]
_POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS {ROW_TRIGGER} ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]

# SQLite has no IS DISTINCT FROM: IS compares NULLs as equal values.
_SQLITE_KEPT = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _KEPT)
_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER {DELETE_TRIGGER} BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused on {TABLE}'); END
    """,
    f"""
    CREATE TRIGGER {ROW_TRIGGER} BEFORE UPDATE ON {TABLE}
    WHEN NOT (NEW.redacted AND NEW.before IS NULL AND NEW.after IS NULL AND {_SQLITE_KEPT})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused on {TABLE}'); END
    """,
]
_SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {DELETE_TRIGGER}",
    f"DROP TRIGGER IF EXISTS {ROW_TRIGGER}",
]


def _statements(connection: Any, install: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return _POSTGRESQL_INSTALL if install else _POSTGRESQL_REMOVE
    if connection.vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    return []


def _table_exists(connection: Any) -> bool:
    with connection.cursor() as cursor:
        return TABLE in connection.introspection.table_names(cursor)


def install(connection: Any) -> None:
    """Put the triggers in place (any there already are replaced)."""
    if not _table_exists(connection):
        return
    remove(connection)
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True):
            cursor.execute(statement)


def remove(connection: Any) -> None:
    """Take the triggers away: only for emptying the whole database, or a migration back."""
    if not _table_exists(connection):
        return
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False):
            cursor.execute(statement)


def installed(connection: Any) -> bool:
    """Whether every trigger is in place (and, on PostgreSQL, enabled)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                "AND tgname IN (%s, %s) AND tgenabled <> 'D'",
                [TABLE, ROW_TRIGGER, TRUNCATE_TRIGGER],
            )
            return bool(cursor.fetchone()[0] == 2)
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND name IN (%s, %s)",
                [TABLE, ROW_TRIGGER, DELETE_TRIGGER],
            )
            return bool(cursor.fetchone()[0] == 2)
    return False
