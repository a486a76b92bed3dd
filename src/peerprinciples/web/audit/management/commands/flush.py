"""Django's ``flush``, which empties every table, with the audit trail's triggers lifted for
the moment: they refuse DELETE and TRUNCATE on the trail, and so would refuse the emptying.

The triggers are removed, the tables emptied and the triggers put back in one transaction,
so a failure leaves the trail and its triggers as they were. Removing a trigger needs the
table's owner: a database role that only uses the tables (docs/deployment.md) cannot empty
the trail this way either. The test suite empties the database after each test that
commits (pytest-django's ``transaction=True``), through this command.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

from peerprinciples.web.audit import guard


class Command(flush.Command):
    help = flush.Command.help + " The audit trail's triggers are lifted for the emptying."

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias):
            guard.remove(connection)
            super().handle(**options)
            guard.install(connection)
