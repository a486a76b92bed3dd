"""Triggers that refuse DELETE, TRUNCATE and every UPDATE but a redaction of an audit event,
on PostgreSQL and SQLite (see peerprinciples.web.audit.guard). Last of the audit migrations
on purpose: SQLite rebuilds a table to alter a column, and the rebuilt table has no triggers;
a later migration that alters the table must put them back (guard.install)."""

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from peerprinciples.web.audit import guard

    guard.install(schema_editor.connection)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    from peerprinciples.web.audit import guard

    guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_chain_required"),
    ]

    operations = [
        migrations.RunPython(install, remove, elidable=False),
    ]
