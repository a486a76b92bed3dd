"""Erasing one interview's or one peer worker's data on request, from the command line.

``register(subparsers)`` adds:

``erase interview CODE --evaluation ID --by USERNAME``
    erase one interview, its ratings, scores and every mention of its reference;
``erase peer-worker CODE --evaluation ID --by USERNAME``
    erase a peer worker's code and everything filed under it.

``--by`` names the lead who answers for the erasure (the audit trail records them);
``--dry-run`` lists what would go and erases nothing. Exit codes: 0 done, 1 refused.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from peerprinciples.cli.commands import Stop, add_command, report
from peerprinciples.core.library import Library


def erase(args: argparse.Namespace, library: Library) -> int:
    """Erase one interview's, or one peer worker's, data everywhere on the person's request.

    It cannot be undone; backups keep the data until they are replaced. Try --dry-run first.
    """
    from peerprinciples.web.serve import setup_django

    setup_django()
    from django.contrib.auth import get_user_model

    from peerprinciples.web.erasure import services
    from peerprinciples.web.errors import DomainError
    from peerprinciples.web.evaluations.models import Evaluation, PeerWorker
    from peerprinciples.web.interviews.models import Interview
    from peerprinciples.web.permissions import Action, can

    try:
        evaluation = Evaluation.objects.filter(pk=args.evaluation).first()
        if evaluation is None:
            raise Stop(f"there is no evaluation {args.evaluation}; check --evaluation.")
        user = get_user_model().objects.filter(username=args.by).first()
        if user is None:
            raise Stop(f"there is no account '{args.by}'; check --by.")
        if not can(user, Action.ERASE_ON_REQUEST, evaluation):
            raise Stop(
                f"{args.by} may not erase data in '{evaluation.name}': only its leads may. "
                "Name a lead with --by."
            )
        found: Any
        if args.what == "interview":
            found = Interview.objects.filter(evaluation=evaluation, code=args.code).first()
            plan = services.plan_interview(evaluation, found) if found else None
        else:
            found = PeerWorker.objects.filter(evaluation=evaluation, code=args.code).first()
            plan = services.plan_peer_worker(evaluation, found) if found else None
        if found is None or plan is None:
            raise Stop(
                f"'{evaluation.name}' has no {args.what.replace('-', ' ')} '{args.code}' "
                "(codes are matched exactly, capitals and hyphens included)."
            )
        heading = "Would erase" if args.dry_run else "Erasing"
        print(f"{heading} {args.what.replace('-', ' ')} {args.code} of '{evaluation.name}':")
        for words, _ in plan.counts:
            print(f"  - {words}")
        if args.dry_run:
            print("Nothing was erased (--dry-run).")
            return 0
        if args.what == "interview":
            services.erase_interview(user, evaluation, found, expected_version=found.version)
        else:
            services.erase_peer_worker(user, evaluation, found, expected_version=plan.version)
    except Stop as stop:
        return report(stop)
    except DomainError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("Erased. The audit trail records the erasure, by whom and when, and nothing else.")
    return 0


def register(subparsers: Any) -> None:
    """Add the ``erase`` command to the top-level parser."""
    parser = add_command(subparsers, "erase", erase, "erase a person's data on request")
    parser.add_argument("what", choices=("interview", "peer-worker"))
    parser.add_argument("code", metavar="CODE", help="the interview's or peer worker's code")
    parser.add_argument("--evaluation", type=int, required=True, metavar="ID")
    parser.add_argument(
        "--by", required=True, metavar="USERNAME", help="the lead who answers for the erasure"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="list what would be erased; erase nothing"
    )
