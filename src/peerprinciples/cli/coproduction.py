"""``peerprinciples coproduction``: the co-production analyses without the web application.

``register(commands)`` adds the ``coproduction`` command and its actions:

``coproduction map STUDY --out DIR``
    the concept map of an RCMap study (its four files, found by folder and prefix): the map
    as SVG and CSV, the whole result as JSON and a summary on standard output; with ratings,
    the cluster means for everyone and by group, the ladder and the go-zone;
``coproduction evidence FILE [SOURCES] --out DIR``
    Figure 1 of a literature review read from a REFI-QDA project or codebook or from the CSV
    layout, its numbers by category and by code, and on request the codebook as REFI-QDA;
``coproduction rounds RATINGS.csv --out DIR``
    the results of Delphi drafting rounds from a long file of ratings: per statement against
    the consensus rule, per stakeholder group, stability between rounds and participation.

``map`` is in :mod:`peerprinciples.cli.concept_map`, ``rounds`` in
:mod:`peerprinciples.cli.drafting_rounds`. Every number is the core's; the
commands read the arguments, call the core and write the files. Input with problems is listed
on standard error, each problem with its file, row and column (or line and element) and how
to fix it; the exit code is then 1 and nothing is written. Every output is worked out before
the first file is written, and the files are moved into the folder together.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from peerprinciples.cli.commands import Stop, add_command, report, write_together
from peerprinciples.cli.concept_map import add_map_command
from peerprinciples.cli.drafting_rounds import add_rounds_command
from peerprinciples.core.coproduction.evidence_summary import EvidenceSummary
from peerprinciples.core.library import Library


def coproduction_evidence(args: argparse.Namespace, library: Library) -> int:
    """Summarise a literature review's evidence and write Figure 1 to a folder: figure-1.svg
    and figure-1.csv (a bar per category, or per code when the review has no categories) and
    codes.csv (the same numbers per code). The review is read from a REFI-QDA project (.qdpx)
    or codebook (.qdc), or from the CSV layout (codebook.csv, and sources.csv after it).
    --codebook writes the codebook back as a REFI-QDA codebook for a QDA package."""
    from peerprinciples.core.coproduction.evidence_figure import (
        figure_chart,
        figure_csv,
        figure_rows,
    )
    from peerprinciples.core.coproduction.evidence_files import read_evidence_files
    from peerprinciples.core.coproduction.evidence_summary import summarise_evidence
    from peerprinciples.core.coproduction.problems import ImportProblems
    from peerprinciples.core.coproduction.refiqda import write_qdc

    paths = [Path(args.file), *([Path(args.sources)] if args.sources else [])]
    try:
        try:
            evidence = read_evidence_files(paths)
            summary = summarise_evidence(evidence)
        except ImportProblems as error:
            raise Stop(
                f"the review's files have {len(error.problems)} problem(s); nothing was written:",
                error.problems,
            ) from None
        categories = figure_rows(summary, by="category")
        codes = figure_rows(summary, by="code")
        bars = categories or codes
        if not bars:
            raise Stop(
                f"{paths[0].name} holds no category or code, so there is no Figure 1 to draw; "
                "add the codebook to the review."
            )
        files: dict[str, str | bytes] = {
            "figure-1.svg": figure_chart(bars),
            "figure-1.csv": figure_csv(bars),
            "codes.csv": figure_csv(codes),
        }
        codebook = None
        if args.codebook:
            try:
                codebook = write_qdc(evidence)
            except ValueError as error:
                raise Stop(f"the codebook cannot be written: {error}") from None
    except Stop as stop:
        return report(stop)
    written = write_together(Path(args.out), files)
    if codebook is not None:
        from peerprinciples.core.interchange import atomic_write

        written.append(atomic_write(Path(args.codebook), lambda path: path.write_bytes(codebook)))
    print("\n".join(_evidence_summary(summary, by="category" if categories else "code")))
    print("Written:")
    for path in written:
        print(f"  {path}")
    return 0


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _evidence_summary(summary: EvidenceSummary, *, by: str) -> list[str]:
    review = summary.review
    years = (
        f"published {review.first_year} to {review.last_year}"
        if review.first_year is not None
        else "no year given"
    )
    codes = sum(len(c.codes) for c in summary.categories) + len(summary.uncategorised)
    lines = [
        f"Review: {_count(review.sources, 'source')} ({review.grey} grey literature), {years}"
        + (f", {review.undated} without a year" if review.undated and review.first_year else "")
        + f"; {_count(len(summary.categories), 'category', 'categories')}, "
        f"{_count(codes, 'code')}, {_count(review.quotations, 'quotation')}.",
        f"Figure 1 has a bar per {by}, most often found first (sources: peer-reviewed + grey):",
    ]
    items: Sequence[Any] = summary.categories if by == "category" else summary.uncategorised
    for item in items:
        lines.append(f"  {item.label}: {item.sources} ({item.peer_reviewed} + {item.grey})")
    return lines


# --- the parser --------------------------------------------------------------------------------


def register(commands: Any) -> argparse.ArgumentParser:
    """Add ``coproduction`` and its actions to the command's subparsers; returns its parser."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "coproduction",
        help="concept maps of card sorts, Figure 1 of a literature review, drafting rounds",
        description="Co-produce a framework from files: the concept map of an RCMap study, "
        "with its ratings, Figure 1 of a coded literature review, and the results of Delphi "
        "drafting rounds.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_map_command(actions)
    add_rounds_command(actions)

    evidence = add_command(
        actions, "evidence", coproduction_evidence, "draw Figure 1 of a literature review"
    )
    evidence.add_argument(
        "file",
        metavar="FILE",
        help="a REFI-QDA project (.qdpx) or codebook (.qdc), or the codebook of the CSV layout",
    )
    evidence.add_argument(
        "sources",
        nargs="?",
        metavar="SOURCES",
        help="the coded sources of the CSV layout (sources.csv), after its codebook",
    )
    evidence.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    evidence.add_argument(
        "--codebook",
        metavar="FILE",
        help="also write the codebook as a REFI-QDA codebook (.qdc) for a QDA package",
    )
    return parser
