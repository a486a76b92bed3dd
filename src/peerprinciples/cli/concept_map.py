"""``peerprinciples coproduction map``: the concept map of an RCMap study, from its files.

The study's files are read and checked by the core's RCMap reader, the map drawn by
:func:`peerprinciples.core.coproduction.conceptmap.analyse` with a progress bar, and the
solution shown chosen by the core's rule (the most stable, unless ``--k`` chooses). With
ratings, the cluster means for everyone and by group, the ladder and the go-zone are the
core's too. Everything is worked out before the first file is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peerprinciples.cli.commands import Stop, add_command, at_least, report, write_together
from peerprinciples.core.coproduction.map_defaults import (
    DEFAULT_CLUSTERS,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    DEFAULT_STARTS,
)
from peerprinciples.core.coproduction.rcmap import FILES, RCMapProject
from peerprinciples.core.coproduction.statement_ratings import MIN_GROUP_RATERS, GroupShown
from peerprinciples.core.library import Library

if TYPE_CHECKING:
    # Only named in annotations: importing them loads SciPy and scikit-learn, which every
    # command would then wait for at its start; the map command imports what it runs.
    from peerprinciples.core.coproduction.conceptmap import ConceptMap
    from peerprinciples.core.coproduction.rating_comparisons import GoZone, Ladder

# --- arguments ---------------------------------------------------------------------------------


def cluster_numbers(text: str) -> tuple[int, ...]:
    """The numbers of clusters asked for: ``3-15`` (a range), ``6`` or ``4,6,8``.

    Raises :class:`argparse.ArgumentTypeError` (argparse prints it with the usage) for
    anything else, or a number below two.
    """
    numbers: set[int] = set()
    for part in text.split(","):
        low, dash, high = part.strip().partition("-")
        try:
            first = int(low)
            last = int(high) if dash else first
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a number of clusters; write a range (3-15), one number (6) "
                "or a list (4,6,8)."
            ) from None
        if first > last:
            raise argparse.ArgumentTypeError(
                f"the range {part.strip()!r} runs backwards; write the smaller number first."
            )
        if first < 2:
            raise argparse.ArgumentTypeError(
                f"a map cannot be cut into {first} cluster(s); ask for two or more."
            )
        numbers.update(range(first, last + 1))
    return tuple(sorted(numbers))


def _two_scales(text: str) -> tuple[str, str]:
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not two different scales; write them as Importance,Feasibility."
        )
    return parts[0], parts[1]


# --- the map -----------------------------------------------------------------------------------


def _study(text: str, prefix: str) -> tuple[RCMapProject, str]:
    """The study a path names, and its name: a folder (with ``prefix``), the folder and
    prefix written together (``data/RCMap_DataNCATS_``), or one of the study's files."""
    from peerprinciples.core.coproduction.problems import ImportProblems
    from peerprinciples.core.coproduction.rcmap import read_rcmap_folder

    path = Path(text)
    if path.is_dir():
        folder, start = path, prefix
    else:
        name = path.name
        for known in FILES:
            if name.endswith(known):
                name = name[: -len(known)]
                break
        folder, start = path.parent, name + prefix
    statements = folder / f"{start}{FILES[0]}"
    if not statements.is_file():
        raise Stop(
            f"there is no {statements}: give the study's folder (with --prefix when its files "
            "are named after the study), the folder and prefix together "
            "(data/RCMap_DataNCATS_), or one of its files; nothing was written."
        )
    try:
        return read_rcmap_folder(folder, start), str(folder / start) if start else str(folder)
    except ImportProblems as error:
        count = len(error.problems)
        raise Stop(
            f"the study's files have {count} problem(s); nothing was written:", error.problems
        ) from None


def _analyse(project: RCMapProject, args: argparse.Namespace) -> ConceptMap:
    """The concept map, with a progress bar on standard error unless ``--quiet``."""
    from tqdm import tqdm

    from peerprinciples.core.coproduction.conceptmap import analyse
    from peerprinciples.core.coproduction.similarity import InvalidCardSort

    with tqdm(
        total=1,
        desc="similarity",
        unit="step",
        file=sys.stderr,
        disable=args.quiet or None,
        bar_format="{desc:<20} {bar} {n_fmt}/{total_fmt}",
    ) as bar:
        stage = ["similarity"]

        def progress(name: str, done: int, total: int) -> None:
            if name != stage[0]:
                stage[0] = name
                bar.set_description_str(name, refresh=False)
                bar.reset(total=total)
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            return analyse(
                project.cardsort,
                starts=args.starts,
                seed=args.seed,
                clusters=args.clusters,
                resamples=args.resamples,
                progress=progress,
            )
        except InvalidCardSort as error:
            raise Stop(
                f"the sorts cannot be mapped ({len(error.problems)} problem(s)); nothing was "
                "written:",
                error.problems,
            ) from None


def _groups(project: RCMapProject, asked: str | None, minimum: int) -> list[GroupShown]:
    """The groups of raters by the Demographics question asked for (by default the first)."""
    from peerprinciples.core.coproduction.statement_ratings import rater_groups

    groups = project.cardsort.groups
    questions = list(dict.fromkeys(q for answers in groups.values() for q in answers))
    if asked is None:
        if not questions:
            return []
        asked = questions[0]
    elif asked not in questions:
        listed = ", ".join(questions) or "none (the study has no Demographics.csv)"
        raise Stop(f"there is no Demographics question {asked!r}; the questions are: {listed}.")
    members = {person: answers[asked] for person, answers in groups.items() if answers.get(asked)}
    return rater_groups(project.ratings, members, question=asked, minimum=minimum)


def _rated_scales(project: RCMapProject) -> list[str]:
    rated = {rating.scale for rating in project.ratings}
    return [scale for scale in project.scales if scale in rated]


def _comparisons(
    project: RCMapProject,
    scales: tuple[str, str],
    of: Mapping[str, int],
    names: Mapping[int, str],
) -> tuple[Ladder, GoZone]:
    from peerprinciples.core.coproduction.rating_comparisons import LadderSide, go_zone, ladder

    left, right = scales
    try:
        pattern = ladder(project.ratings, of, LadderSide(left), LadderSide(right), names=names)
        zone = go_zone(project.ratings, left, right, statements=project.cardsort.keys, clusters=of)
    except ValueError as error:
        raise Stop(str(error)) from None
    return pattern, zone


def coproduction_map(args: argparse.Namespace, library: Library) -> int:
    """Draw the concept map of an RCMap study and write it to a folder: map.svg, map.csv
    (statement, x, y, cluster for the chosen number of clusters), concept-map.json (the whole
    result) and, when the study has ratings, ratings.csv (cluster means for everyone and by
    group), ladder.svg and go-zone.svg. A summary is printed: statements, sorters, unsorted
    cards, stress, stability per number of clusters and the names suggested for the clusters
    shown. The most stable solution is shown unless --k chooses another."""
    from peerprinciples.core.coproduction.conceptmap import suggested_clusters
    from peerprinciples.core.coproduction.map_chart import concept_map_svg, map_csv
    from peerprinciples.core.coproduction.rating_charts import go_zone_chart, ladder_chart
    from peerprinciples.core.coproduction.rating_tables import cluster_means_csv

    try:
        if args.k is not None and args.k not in args.clusters:
            raise Stop(
                f"--k {args.k} is not among the numbers of clusters computed "
                f"({_numbers(args.clusters)}); choose one of them or widen --clusters."
            )
        project, name = _study(args.study, args.prefix)
        scales = _rated_scales(project)
        groups = _groups(project, args.group, args.min_group_raters) if scales else []
        chosen = args.scales or (tuple(scales[:2]) if len(scales) >= 2 else None)
        for scale in chosen or ():
            if scale not in scales:
                raise Stop(
                    f"nobody rated on {scale!r}; the scales rated are: "
                    f"{', '.join(scales) or 'none (the study has no Ratings.csv)'}."
                )
        cmap = _analyse(project, args)
        k = suggested_clusters(cmap) if args.k is None else args.k
        try:
            regions = cmap.regions(k)
        except ValueError as error:
            raise Stop(str(error)) from None
        of = {key: region.number for region in regions for key in region.statements}
        names = {region.number: region.name for region in regions}
        files: dict[str, str | bytes] = {
            "map.svg": concept_map_svg(cmap, k),
            "map.csv": map_csv(cmap, k),
            "concept-map.json": json.dumps(cmap.to_json(), indent=2, ensure_ascii=False) + "\n",
        }
        comparisons = None
        if scales:
            files["ratings.csv"] = cluster_means_csv(
                project.ratings,
                of,
                scales,
                groups=groups,
                names=names,
                minimum=args.min_group_raters,
            )
        if chosen:
            comparisons = _comparisons(project, chosen, of, names)
            files["ladder.svg"] = ladder_chart(comparisons[0])
            files["go-zone.svg"] = go_zone_chart(comparisons[1], names=names)
    except Stop as stop:
        return report(stop)
    for warning in (*project.warnings, *cmap.warnings):
        print(f"warning: {warning}", file=sys.stderr)
    written = write_together(Path(args.out), files)
    print("\n".join(_map_summary(cmap, k, name)))
    if scales:
        print("\n".join(_ratings_summary(project, scales, groups, comparisons, args)))
    else:
        print("No ratings in the study: no ratings.csv, ladder or go-zone.")
    if len(scales) == 1:
        print(f"One scale rated ({scales[0]}): a ladder and a go-zone need two; none drawn.")
    print("Written:")
    for path in written:
        print(f"  {path}")
    return 0


def _numbers(values: Iterable[int]) -> str:
    return ", ".join(map(str, values))


def _map_summary(cmap: ConceptMap, k: int, name: str) -> list[str]:
    from peerprinciples.core.coproduction.conceptmap import suggested_clusters

    unsorted = sum(len(cards) for cards in cmap.unsorted.values())
    best = cmap.starts[cmap.best_start] if cmap.starts else None
    lines = [
        f"Concept map of {name}: {len(cmap.keys)} statements, {len(cmap.sorters)} sorters.",
        (
            f"Unsorted cards: {len(cmap.unsorted)} sorter(s) left {unsorted} card(s) out of "
            "their piles; each counts as a pile of its own for that sorter "
            f"({cmap.unsorted_handling})."
            if unsorted
            else f"Unsorted cards: none (a card left out would count as a pile of its own, "
            f"{cmap.unsorted_handling})."
        ),
        f"Stress-1: {cmap.stress:.4f} (seed {cmap.seed}, {len(cmap.starts)} start(s)"
        + (f"; the best was start {cmap.best_start + 1}, {best.kind})." if best else ")."),
    ]
    suggested = suggested_clusters(cmap)
    if cmap.stability:
        lines.append(
            f"Stability over {cmap.resamples} resamples of the sorters (adjusted Rand index: "
            "mean, SD, middle 95 %):"
        )
        for count in cmap.cluster_counts:
            s = cmap.stability[count]
            sd = "-" if s.sd is None else f"{s.sd:.3f}"
            marks = [
                m for m, on in (("most stable", count == suggested), ("shown", count == k)) if on
            ]
            lines.append(
                f"  {count:>3} clusters  {s.mean:.3f}  {sd:>5}  {s.low:.3f} to {s.high:.3f}"
                + (f"  <- {', '.join(marks)}" if marks else "")
            )
    else:
        lines.append(
            "Stability: not estimated (one sorter, or --resamples 0); the fewest clusters "
            "computed are shown unless --k chooses."
        )
    lines.append(f"The {k} clusters, with names suggested from the pile labels (weight):")
    for region in cmap.regions(k):
        offered = cmap.names.get(k, ())[region.number - 1] if k in cmap.names else ()
        names = "; ".join(f"{n.label} ({n.weight:.2f})" for n in offered) or "no pile label fits"
        lines.append(
            f"  {region.number}. {region.name}: {len(region.statements)} statement(s) "
            f"({_numbers(region.statements)}); suggested: {names}"
        )
    return lines


def _ratings_summary(
    project: RCMapProject,
    scales: Sequence[str],
    groups: Sequence[GroupShown],
    comparisons: tuple[Ladder, GoZone] | None,
    args: argparse.Namespace,
) -> list[str]:
    lines = [
        f"Ratings: {len(project.ratings):,} by {len(project.raters):,} raters on "
        f"{', '.join(scales)}."
    ]
    if groups:
        question = groups[0].cohort.question
        described = ", ".join(
            f"{g.name} ({g.raters}{'' if g.shown else ', held back'})" for g in groups
        )
        lines.append(f"Groups by {question} (raters): {described}.")
        if not all(g.shown for g in groups):
            lines.append(
                f"  A group is shown apart from {args.min_group_raters} raters, and only when "
                "no smaller group could be worked out from it; --min-group-raters changes that."
            )
    if comparisons is not None:
        pattern, zone = comparisons
        r = (
            f"Pearson's r = {pattern.r:.3f} across {pattern.paired} clusters"
            if pattern.r is not None
            else f"Pearson's r not worked out ({pattern.paired} clusters rated on both)"
        )
        lines.append(f"Ladder of {pattern.left.label} and {pattern.right.label}: {r}.")
        lines.append(
            f"Go-zone: {len(zone.go_zone)} of {len(zone.points)} statements above the mean on "
            f"both {zone.x_scale} ({zone.x_split:.2f}) and {zone.y_scale} ({zone.y_split:.2f})"
            + (f"; {len(zone.left_out)} not placed." if zone.left_out else ".")
        )
    return lines


def add_map_command(actions: Any) -> argparse.ArgumentParser:
    """Add ``map`` and its options to the ``coproduction`` command's actions."""
    mapping = add_command(
        actions, "map", coproduction_map, "draw the concept map of an RCMap study"
    )
    mapping.add_argument(
        "study",
        metavar="STUDY",
        help="the folder of Statements.csv, SortedCards.csv and the optional Ratings.csv and "
        "Demographics.csv, or the folder and the files' prefix together "
        "(data/RCMap_DataNCATS_), or one of the files",
    )
    mapping.add_argument(
        "--prefix", default="", help="what the four file names start with, inside the folder"
    )
    mapping.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    mapping.add_argument(
        "--clusters",
        type=cluster_numbers,
        default=tuple(DEFAULT_CLUSTERS),
        metavar="RANGE",
        help="the numbers of clusters to compute: 3-15 (the default), 6, or 4,6,8",
    )
    mapping.add_argument(
        "--k",
        type=at_least(2),
        help="the number of clusters to show (default: the most stable, the fewest among "
        "equally stable ones)",
    )
    mapping.add_argument(
        "--starts",
        type=at_least(1),
        default=DEFAULT_STARTS,
        help=f"scaling runs: the classical start and random ones (default: {DEFAULT_STARTS})",
    )
    mapping.add_argument(
        "--seed",
        type=at_least(0),
        default=DEFAULT_SEED,
        help=f"seeds the random starts and resamples, so a run can be repeated "
        f"(default: {DEFAULT_SEED})",
    )
    mapping.add_argument(
        "--resamples",
        type=at_least(0),
        default=DEFAULT_RESAMPLES,
        help=f"bootstrap resamples of the sorters for stability; 0 skips it "
        f"(default: {DEFAULT_RESAMPLES})",
    )
    mapping.add_argument(
        "--group",
        metavar="QUESTION",
        help="the Demographics question whose answers group the raters (default: the first)",
    )
    mapping.add_argument(
        "--min-group-raters",
        type=at_least(1),
        default=MIN_GROUP_RATERS,
        metavar="N",
        help=f"the fewest raters a group's means are shown for (default: {MIN_GROUP_RATERS}, "
        "as in the web application)",
    )
    mapping.add_argument(
        "--scales",
        type=_two_scales,
        metavar="X,Y",
        help="the two rating scales of the ladder and the go-zone (default: the first two)",
    )
    mapping.add_argument("--quiet", action="store_true", help="no progress bar")
    return mapping
