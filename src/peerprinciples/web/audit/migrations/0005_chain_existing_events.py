"""Chain the events an installation already has, in the order they were written (by id), so
that a database made before the chain verifies after the upgrade. Their content is hashed as
it is now: earlier redactions are part of what the chain starts from."""

from django.db import migrations

BATCH = 2_000


def chain_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    from peerprinciples.web.audit import chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.using(schema_editor.connection.alias).order_by("id")
    seq, previous, last_id = 0, chain.GENESIS, 0
    while True:
        batch = list(events.filter(id__gt=last_id)[:BATCH])
        if not batch:
            return
        for event in batch:
            seq += 1
            event.seq = seq
            event.content_hash = chain.content_hash(
                at=event.at,
                user_id=event.user_id,
                evaluation_id=event.evaluation_id,
                action=event.action,
                object_type=event.object_type,
                object_id=event.object_id,
                summary=event.summary,
                before=event.before,
                after=event.after,
            )
            event.chain_hash = previous = chain.link(previous, event.content_hash)
        AuditEvent.objects.using(schema_editor.connection.alias).bulk_update(
            batch, ["seq", "content_hash", "chain_hash"]
        )
        last_id = batch[-1].id


def unchain(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEvent.objects.using(schema_editor.connection.alias).update(
        seq=None, content_hash="", chain_hash=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing, unchain, elidable=False),
    ]
