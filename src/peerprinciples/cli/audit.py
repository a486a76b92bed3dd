"""Commands about the audit trail.

``register(subparsers)`` adds ``audit verify``: check that every event of the trail is as it
was written, following the hash chain from the first event to the last (see
``peerprinciples.web.audit.chain``). Exit codes: 0 the chain is whole, 1 it is broken (the
first break is named).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from peerprinciples.cli.commands import add_command
from peerprinciples.core.library import Library

PROGRESS_EVERY = 100_000
"""Events between two progress lines on standard error."""


def verify(args: argparse.Namespace, library: Library) -> int:
    """Check the audit trail's hash chain from its first event to its last: every event's
    content against its hash, every link to the event before, no gap in the sequence, and
    every redacted event named by a later redaction. Reports the count and the last hash
    (keep them: a later run shows the trail went on from there), or the first break."""
    from peerprinciples.web.serve import setup_django

    setup_django()
    from peerprinciples.web.audit.chain import verify_chain

    shown = [0]

    def progress(checked: int, total: int) -> None:
        if args.quiet or checked - shown[0] < PROGRESS_EVERY:
            return
        shown[0] = checked
        print(f"checked {checked:,} of {total:,} events", file=sys.stderr, flush=True)

    report = verify_chain(progress=progress)
    if args.json:
        sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
    else:
        print(report.summary())
    if not report.guarded:
        print(
            "warning: the database's triggers that refuse changes to the trail are missing; "
            "put them back with 'peerprinciples manage migrate audit 0006' and then "
            "'peerprinciples manage migrate audit'.",
            file=sys.stderr,
        )
    return 0 if report.ok else 1


def register(subparsers: Any) -> None:
    """Add the ``audit`` command and its ``verify`` to the top-level parser."""
    audit = subparsers.add_parser(
        "audit",
        help="check the audit trail",
        description="Check that the audit trail is whole and as it was written.",
    )
    actions = audit.add_subparsers(dest="action", metavar="ACTION", required=True)
    checking = add_command(actions, "verify", verify, "check the audit trail's hash chain")
    checking.add_argument("--json", action="store_true", help="the report as JSON")
    checking.add_argument("--quiet", action="store_true", help="no progress on standard error")
