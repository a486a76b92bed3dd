"""``peerprinciples practice``: the practice matrix from files, without the web application.

``register(commands)`` adds the ``practice`` command; every action is added in
:func:`register`, one line each, so that a new one (such as the handbook, in a module of its
own) joins the same group:

``practice areas``
    the built-in areas of implementation, with the level each is looked after at;
``practice prompts [--framework REF|FILE] [--area KEY] [--prompts FILE]``
    the prompt for each cell, with a local adaptation's own prompt file over the built-in ones;
``practice gaps MATRIX.yaml [--framework REF|FILE]``
    the gaps of a matrix, as questions for the team;
``practice compare A.yaml B.yaml``
    two programmes' matrices side by side on what they share, never ranked;
``practice check MATRIX.yaml...``
    check matrix files against the framework version each is pinned to.

The core reads, checks and lays out everything; input with problems is listed on standard
error, each with its file, line and fix, and the exit code is then 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from peerprinciples.cli.commands import Stop, add_command, report
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.library import Library, NotFoundError
from peerprinciples.core.practice.gaps import find_gaps
from peerprinciples.core.practice.matrix import Matrix, builtin_areas
from peerprinciples.core.practice.matrix_files import read_matrix_yaml
from peerprinciples.core.practice.prompts import prompts_for, read_prompt_set
from peerprinciples.core.practice.side_by_side import side_by_side
from peerprinciples.core.practice.text import (
    render_areas,
    render_gaps,
    render_prompts,
    render_side_by_side,
)

DEFAULT_FRAMEWORK = "enrich@2017"


def _framework(library: Library, text: str) -> Framework:
    """A framework named by reference, or read (and checked) from a file."""
    if Path(text).suffix in (".yaml", ".yml") or Path(text).is_file():
        model = library.check_file(Path(text)).raise_for_problems()
        if not isinstance(model, Framework):
            raise Stop(f"{text} is not a framework or a local adaptation of one.")
        return model
    return library.framework(text)


def _pinned(library: Library, matrix: Matrix, source: str) -> Framework:
    """The framework version a matrix is pinned to, from the library."""
    try:
        return library.framework(matrix.framework)
    except NotFoundError as error:
        raise Stop(
            f"{source} follows {matrix.framework}, which is not in the library: {error.args[0]} "
            "Add its folder with --library, or name the file with --framework."
        ) from None


def practice_areas(args: argparse.Namespace, library: Library) -> int:
    """List the built-in areas of implementation, each with the level it is looked after
    at (individual, team or organisation). A programme starts from these and may reword
    them, add its own or leave any out."""
    sys.stdout.write(render_areas(builtin_areas()))
    return 0


def practice_prompts(args: argparse.Namespace, library: Library) -> int:
    """Show the prompt for each cell of the matrix: a question or two per principle in each
    area, to start a team thinking. A local adaptation is prompted from its base's prompts
    for the principles it kept; --prompts adds its own prompt file (one that 'extends' the
    base's set), which is checked first."""
    try:
        framework = _framework(library, args.framework)
        areas = list(builtin_areas())
        if args.area:
            areas = [a for a in areas if a.key == args.area]
            if not areas:
                known = ", ".join(a.key for a in builtin_areas())
                raise Stop(f"there is no area '{args.area}'; the areas are: {known}.")
        own = {}
        if args.prompts:
            prompt_set = read_prompt_set(Path(args.prompts), framework)
            own[prompt_set.framework] = prompt_set
    except Stop as stop:
        return report(stop)
    found = prompts_for(framework, prompt_sets=own)
    sys.stdout.write(render_prompts(found, framework, areas))
    return 0


def practice_gaps(args: argparse.Namespace, library: Library) -> int:
    """Show the gaps of a matrix as questions for the team: cells not yet in place, cells
    with nothing written, areas no principle reaches, principles that reach no area,
    'not relevant' without a reason, and cells kept apart because the framework no longer
    has their principle. Nothing is counted into a score."""
    try:
        matrix = read_matrix_yaml(Path(args.matrix))
        framework = (
            _framework(library, args.framework)
            if args.framework
            else _pinned(library, matrix, args.matrix)
        )
    except Stop as stop:
        return report(stop)
    sys.stdout.write(render_gaps(find_gaps(matrix, framework), matrix.programme))
    return 0


def practice_compare(args: argparse.Namespace, library: Library) -> int:
    """Show two programmes' matrices side by side, on the principles and areas both have
    (matched by key, so a programme on a local adaptation can be read beside one on its
    base). What only one has is listed, not compared. Nothing is ranked or totalled."""
    try:
        a = read_matrix_yaml(Path(args.a))
        b = read_matrix_yaml(Path(args.b))
        fa, fb = _pinned(library, a, args.a), _pinned(library, b, args.b)
    except Stop as stop:
        return report(stop)
    sys.stdout.write(render_side_by_side(side_by_side(a, fa, b, fb)))
    return 0


def practice_check(args: argparse.Namespace, library: Library) -> int:
    """Check matrix files (YAML): their fields, areas, cells and own prompts, and every
    principle against the framework version each is pinned to. Every problem is printed
    with its file, line and how to fix it."""
    failed = 0
    for name in args.files:
        try:
            matrix = read_matrix_yaml(Path(name))
            framework = _pinned(library, matrix, name)
            read_matrix_yaml(Path(name), framework)
        except DocumentError as error:
            failed += 1
            print(f"{name}: {len(error.problems)} problem(s)", file=sys.stderr)
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            continue
        except Stop as stop:
            failed += 1
            report(stop)
            continue
        print(
            f"{name}: the matrix of {matrix.programme} is valid ({_count(matrix.areas, 'area')}, "
            f"{_count(matrix.cells, 'cell')} written, following {framework.ref})."
        )
    return 1 if failed else 0


def _count(items: list[Any], one: str) -> str:
    return f"{len(items)} {one}{'' if len(items) == 1 else 's'}"


def register(commands: Any) -> argparse.ArgumentParser:
    """Add ``practice`` and all its actions to the command's subparsers."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "practice",
        help="the practice matrix: areas, prompts, gaps, comparing and checking",
        description="Principles into practice: the areas of implementation, the prompt for "
        "each principle in each area, a matrix's gaps, two matrices side by side, and "
        "checking matrix files.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(actions, "areas", practice_areas, "list the built-in areas with their levels")

    prompts = add_command(actions, "prompts", practice_prompts, "show the prompt for each cell")
    prompts.add_argument(
        "--framework",
        default=DEFAULT_FRAMEWORK,
        metavar="KEY[@VERSION]|FILE",
        help=f"the framework or local adaptation (default: {DEFAULT_FRAMEWORK})",
    )
    prompts.add_argument("--area", metavar="KEY", help="show one area only")
    prompts.add_argument(
        "--prompts", metavar="FILE", help="a local prompt file over the built-in prompts"
    )

    gaps = add_command(actions, "gaps", practice_gaps, "show a matrix's gaps as questions")
    gaps.add_argument("matrix", metavar="MATRIX.yaml")
    gaps.add_argument(
        "--framework",
        metavar="KEY[@VERSION]|FILE",
        help="read the matrix against this framework (default: the version it is pinned to)",
    )

    compare = add_command(
        actions, "compare", practice_compare, "show two matrices side by side, never ranked"
    )
    compare.add_argument("a", metavar="A.yaml")
    compare.add_argument("b", metavar="B.yaml")

    check = add_command(actions, "check", practice_check, "check matrix files")
    check.add_argument("files", nargs="+", metavar="MATRIX.yaml")
    return parser
