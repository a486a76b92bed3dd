"""``peerprinciples coproduction rounds``: the Delphi drafting rounds' results from a CSV file
of ratings.

The file is read and checked by :func:`peerprinciples.core.coproduction.delphi_csv.
read_round_ratings` against the consensus rule given by the options; every number is the
core's. Everything is worked out before the first file is written, and nothing is written
when the file has problems.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from peerprinciples.cli.commands import Stop, add_command, at_least, report, write_together
from peerprinciples.core.coproduction.delphi import DEFAULT_RULE, ConsensusRule, percent
from peerprinciples.core.coproduction.delphi_csv import RoundsReport
from peerprinciples.core.coproduction.delphi_rounds import STABLE_SHARE
from peerprinciples.core.coproduction.statement_ratings import MIN_GROUP_RATERS
from peerprinciples.core.library import Library


def coproduction_rounds(args: argparse.Namespace, library: Library) -> int:
    """Work out the results of Delphi drafting rounds from a CSV file of ratings (columns
    round, statement, member, rating, and optionally group and comment; an empty rating is a
    skipped statement) and write results.csv, groups.csv, stability.csv and
    participation.csv to a folder. A statement is agreed when at least --min-share of the
    members who rated it chose --agree-from or above and its median is at least
    --min-median; the same rule is applied in every round."""
    from peerprinciples.core.coproduction.delphi_csv import (
        analyse,
        groups_csv,
        participation_csv,
        read_round_ratings,
        results_csv,
        stability_csv,
    )
    from peerprinciples.core.coproduction.problems import ImportProblems

    path = Path(args.ratings)
    try:
        try:
            rule = ConsensusRule(
                low=args.low,
                high=args.high,
                agree_from=args.agree_from,
                disagree_to=args.disagree_to,
                min_share=args.min_share,
                min_median=args.min_median,
            )
        except ValueError as error:
            raise Stop(str(error)) from None
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise Stop(
                f"{path} cannot be read ({error.strerror}); give the path of the ratings file."
            ) from None
        try:
            data = read_round_ratings(raw, rule, file=path.name)
        except ImportProblems as error:
            raise Stop(
                f"{path.name} has {len(error.problems)} problem(s); nothing was written:",
                error.problems,
            ) from None
        result = analyse(
            data, rule, min_group_size=args.min_group_size, stable_share=args.stable_share
        )
        files: dict[str, str | bytes] = {
            "results.csv": results_csv(result, rule),
            "groups.csv": groups_csv(result),
            "stability.csv": stability_csv(result),
            "participation.csv": participation_csv(result),
        }
    except Stop as stop:
        return report(stop)
    written = write_together(Path(args.out), files)
    print("\n".join(summary(result, rule)))
    print("Written:")
    for file in written:
        print(f"  {file}")
    return 0


def summary(result: RoundsReport, rule: ConsensusRule) -> list[str]:
    """A few lines on the rounds: the rule, then per round who took part and what was
    agreed."""
    lines = [f"Rule: {rule.describe()}"]
    for (name, results), taking_part in zip(result.rounds, result.participation, strict=True):
        statements = len(results.statements)
        rate = taking_part.response_rate
        lines.append(
            f"Round {name}: {taking_part.responded} of {taking_part.invited} members took part"
            f" ({percent(rate) if rate is not None else 'none'})"
            + (f", {taking_part.stopped} had stopped" if taking_part.stopped else "")
            + f"; {len(results.agreed)} of {statements} statement"
            + ("s" if statements != 1 else "")
            + " agreed."
        )
    return lines


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a share; write it as a number such as 0.75 for 75%."
        ) from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share from 0 to 1; write 0.75 for 75%.")
    return value


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number.") from None


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number.") from None


def add_rounds_command(actions: Any) -> argparse.ArgumentParser:
    """Add ``rounds`` and its options to the ``coproduction`` command's actions."""
    rounds = add_command(
        actions, "rounds", coproduction_rounds, "the results of Delphi drafting rounds"
    )
    rounds.add_argument(
        "ratings",
        metavar="RATINGS.csv",
        help="the ratings in long format: round, statement, member, rating (and optionally "
        "group and comment)",
    )
    rounds.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    rule = DEFAULT_RULE
    for option, kind, default, meaning in (
        ("--low", _whole, rule.low, "the scale's lowest point"),
        ("--high", _whole, rule.high, "the scale's highest point"),
        ("--agree-from", _whole, rule.agree_from, "the lowest point that is agreement"),
        ("--disagree-to", _whole, rule.disagree_to, "the highest point that is disagreement"),
        ("--min-share", _share, rule.min_share, "the share agreeing needed, 0.75 for 75%%"),
        ("--min-median", _number, rule.min_median, "the lowest median that is agreement"),
    ):
        rounds.add_argument(option, type=kind, default=default, help=f"{meaning} ({default})")
    rounds.add_argument(
        "--min-group-size",
        type=at_least(1),
        default=MIN_GROUP_RATERS,
        metavar="N",
        help=f"the fewest raters a group's results are shown for ({MIN_GROUP_RATERS})",
    )
    rounds.add_argument(
        "--stable-share",
        type=_share,
        default=STABLE_SHARE,
        metavar="SHARE",
        help=f"the largest share moving band for a statement to be stable ({STABLE_SHARE})",
    )
    return rounds
