"""Commands that move an evaluation's stored data in and out of the web application's database.

``register(subparsers)`` adds:

``import-ratings FILE --evaluation ID``
    check a ratings file against the evaluation exactly as the web import does and, when
    nothing is wrong, save all of it in one transaction (``--dry-run`` only checks);
``export-evaluation ID --out DIR``
    write the evaluation's final ratings, scores and codebook as CSV, XLSX, SPSS and Stata
    files with labels.

Both run with the rights of an account (``--user``, by default the person who started the
evaluation): an import only for the services it coordinates, an export only of the services
its role covers, raters' notes only for a lead who asks. Exit codes: 0 done, 1 the file has
problems (listed on standard error) or the command cannot be done.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from peerprinciples.cli.commands import add_command
from peerprinciples.core.library import Library
from peerprinciples.core.ratings_files import FORMATS

EXPORT_KINDS = ("long", "wide", "scores", "xlsx", "sav", "dta", "codebook-html", "codebook-csv")
"""The files ``export-evaluation`` writes: the web page's downloads, but the ZIP."""


class _Refused(Exception):
    """Something the command cannot do; the message says why."""


def _django() -> None:
    # No migration here: an evaluation to import into or export exists only in a database
    # that 'peerprinciples serve' (or 'manage migrate') has prepared.
    from peerprinciples.web.serve import setup_django

    setup_django()


def _evaluation_and_user(evaluation_id: int, username: str | None) -> tuple[Any, Any]:
    from django.contrib.auth import get_user_model

    from peerprinciples.web.evaluations.models import Evaluation

    evaluation = (
        Evaluation.objects.select_related("instrument", "framework", "created_by")
        .filter(pk=evaluation_id)
        .first()
    )
    if evaluation is None:
        raise _Refused(f"there is no evaluation {evaluation_id}.")
    if username is None:
        return evaluation, evaluation.created_by
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise _Refused(f"there is no account '{username}'.")
    return evaluation, user


def import_ratings(args: argparse.Namespace, library: Library) -> int:
    """Import a ratings file into an evaluation: checked in full first, then saved all at
    once or not at all. The same file is never imported twice into an evaluation."""
    _django()
    from peerprinciples.web.errors import DomainError
    from peerprinciples.web.permissions import Action, can
    from peerprinciples.web.transfers import services

    try:
        evaluation, user = _evaluation_and_user(args.evaluation, args.user)
        if not can(user, Action.IMPORT_DATA, evaluation):
            raise _Refused(
                f"{user.get_username()} may not import into '{evaluation.name}'; name a lead "
                "or a coordinator of the evaluation with --user."
            )
        batch, checked = services.import_file(
            user,
            evaluation,
            Path(args.file),
            fmt=args.format,
            as_importer=args.as_importer,
            dry_run=args.dry_run,
            progress=not args.quiet,
        )
    except services.ImportRefused as refused:
        checked = refused.checked
        batch = None
    except (_Refused, DomainError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    counts = checked.counts
    if counts:
        print(
            f"{args.file}: {counts['ratings']:,} ratings of {counts['interviews']:,} new "
            f"interviews ({counts['final']:,} final once saved, "
            f"{counts['waiting_for_consensus']:,} waiting for agreed ratings) by "
            f"{counts['raters']:,} rater(s) in {counts['services']:,} service(s)."
        )
    if checked.total:
        listed = len(checked.problems)
        shown = f" (the first {listed} by row are listed)" if checked.total > listed else ""
        print(f"{checked.total:,} problem(s); nothing was saved{shown}:", file=sys.stderr)
        for problem in checked.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    if batch is None:
        print("No problems found; nothing was saved (--dry-run).")
        return 0
    print(
        f"Saved as import {batch.pk}: {batch.interviews_created:,} interviews "
        f"(SHA-256 {batch.sha256})."
    )
    return 0


def export_evaluation(args: argparse.Namespace, library: Library) -> int:
    """Export an evaluation's final ratings, scores and codebook for statistics packages,
    from the services the account's role covers; raters' notes only for a lead who asks."""
    _django()
    from peerprinciples.web.errors import DomainError
    from peerprinciples.web.permissions import Action, can
    from peerprinciples.web.transfers import services

    try:
        evaluation, user = _evaluation_and_user(args.evaluation, args.user)
        if not can(user, Action.EXPORT_DATA, evaluation):
            raise _Refused(
                f"{user.get_username()} may not export the data of '{evaluation.name}' (viewers "
                "see aggregates only); name another member with --user."
            )
        if args.include_notes and not can(user, Action.EXPORT_NOTES, evaluation):
            raise _Refused("only the evaluation's leads may export raters' notes.")
        written = services.export_files(
            user,
            evaluation,
            kinds=args.format or EXPORT_KINDS,
            services=services.scope(user, evaluation),
            include_notes=args.include_notes,
            folder=Path(args.out),
        )
    except (_Refused, DomainError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Exported '{evaluation.name}'" + (" with raters' notes:" if args.include_notes else ":"))
    for path in written:
        print(f"  {path}")
    return 0


def register(subparsers: Any) -> None:
    """Add the import-ratings and export-evaluation commands to the top-level parser.

    Parameters
    ----------
    subparsers
        The object ``ArgumentParser.add_subparsers()`` returned for the commands. Each
        command sets ``handler``, called as ``handler(args, library)``.
    """
    importing = add_command(
        subparsers, "import-ratings", import_ratings, "import a ratings file into an evaluation"
    )
    importing.add_argument(
        "file", metavar="FILE", help="CSV or XLSX ratings (long or wide), REDCap, FHIR or ODK"
    )
    importing.add_argument("--evaluation", type=int, required=True, metavar="ID")
    importing.add_argument(
        "--format",
        choices=FORMATS,
        default="auto",
        help="long or wide ratings table (auto: from the header), REDCap records (CSV, raw "
        "data), FHIR QuestionnaireResponses (JSON or NDJSON), or an ODK Central / KoboToolbox "
        "export (xlsform); default auto",
    )
    importing.add_argument(
        "--user",
        metavar="USERNAME",
        help="import as this account (default: the evaluation's "
        "creator); a lead, or a coordinator for their own services",
    )
    importing.add_argument(
        "--as-importer",
        action="store_true",
        help="record every rating as the importing account's, whatever the rater column says",
    )
    importing.add_argument(
        "--dry-run", action="store_true", help="check the file and report; save nothing"
    )
    importing.add_argument("--quiet", action="store_true", help="no progress bar")

    exporting = add_command(
        subparsers, "export-evaluation", export_evaluation, "export an evaluation's stored data"
    )
    exporting.add_argument("evaluation", type=int, metavar="ID")
    exporting.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    exporting.add_argument(
        "--format",
        action="append",
        choices=EXPORT_KINDS,
        help="a file to write (repeatable; default: all)",
    )
    exporting.add_argument(
        "--include-notes",
        action="store_true",
        help="also write raters' free-text notes (leads only)",
    )
    exporting.add_argument(
        "--user", metavar="USERNAME", help="export as this account (default: the creator)"
    )
