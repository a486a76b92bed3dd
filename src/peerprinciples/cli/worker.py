"""``peerprinciples worker``: the task worker that brings stored results up to date."""

from __future__ import annotations

import argparse
from typing import Any

from peerprinciples.cli.commands import add_command
from peerprinciples.core.library import Library


def worker(args: argparse.Namespace, library: Library) -> int:
    """Run the task worker: it works out and stores an evaluation's results after its data
    change (a rating sheet finalised, a consensus agreed, an import saved).

    `peerprinciples serve` starts one beside the web server; run this command on its own
    where several app servers share one database (one worker or more, on any machine that
    reaches the database). It uses the database's own queue, so nothing else is needed.
    Stop it with Ctrl+C or SIGTERM: the task in hand is stopped; a refresh cut short is
    queued again by the next reader of the stale results, ten minutes on.
    """
    from peerprinciples.web.serve import run_worker, setup_django

    setup_django()
    run_worker(interval=args.interval, batch=args.batch, verbosity=0 if args.quiet else 1)
    return 0


def register(commands: Any) -> None:
    """Add the ``worker`` command."""
    parser = add_command(commands, "worker", worker, "run the task worker only")
    parser.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds to wait before looking for new tasks when there are none (default 1)",
    )
    parser.add_argument(
        "--batch",
        action="store_true",
        help="run the tasks waiting now, then stop (for cron jobs and checks)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each task")
