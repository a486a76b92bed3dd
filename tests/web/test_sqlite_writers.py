"""Two transactions that each read and then write the same SQLite file: both succeed, one
after the other. (With SQLite's default deferred transactions the second to write fails at
once with "database is locked", which is what closing a drafting round met under load.)"""

from __future__ import annotations

from pathlib import Path

from tests.web.settings_process import run_python

SCRIPT = """
import threading, time, django
django.setup()
from django.db import connection, connections, transaction
with connection.cursor() as c:
    c.execute("CREATE TABLE counter (n INTEGER)")
    c.execute("INSERT INTO counter VALUES (0)")
failures = []
def read_then_write(delay):
    time.sleep(delay)
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("SELECT n FROM counter")
                n = c.fetchone()[0]
                time.sleep(0.3)
                c.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as exc:
        failures.append(repr(exc))
    finally:
        connections.close_all()
threads = [threading.Thread(target=read_then_write, args=(d,)) for d in (0, 0.1)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as c:
    c.execute("SELECT n FROM counter")
    print(failures, c.fetchone()[0])
"""


def test_two_read_then_write_transactions_both_succeed(tmp_path: Path) -> None:
    done = run_python(
        ["-c", SCRIPT], tmp_path, DJANGO_SETTINGS_MODULE="peerprinciples.web.settings"
    )
    assert done.returncode == 0, done.stderr
    # The second waited for the first, so nothing failed and no update was lost.
    assert done.stdout.strip() == "[] 2", done.stdout
