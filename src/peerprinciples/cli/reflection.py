"""``peerprinciples reflection``: the reflection guides, shown and checked."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from peerprinciples.cli.commands import add_command
from peerprinciples.core.library import Library
from peerprinciples.core.reflection.checks import diff_guides
from peerprinciples.core.reflection.model import ReflectionGuide
from peerprinciples.core.reflection.text import render_guide
from peerprinciples.core.translation import localise

DEFAULT_GUIDE = "enrich-reflection"


class NotAGuideError(LookupError):
    """A file named on the command line is not a reflection guide."""


def _guide(library: Library, text: str) -> ReflectionGuide:
    if Path(text).suffix in (".yaml", ".yml") or Path(text).is_file():
        model = library.check_file(Path(text)).raise_for_problems()
        if not isinstance(model, ReflectionGuide):
            raise NotAGuideError(
                f"{text} is not a reflection guide (it has no 'kind: reflection-guide')."
            )
        return model
    return library.reflection_guide(text)


def reflection_list(args: argparse.Namespace, library: Library) -> int:
    """List the reflection guides in the library, with the framework each follows."""
    for entry in library.reflection_guides():
        origin = "built-in" if entry.builtin else entry.document.source
        data = entry.document.data
        extends = f"  extends {data.get('extends')}" if "extends" in data else ""
        follows = f"  for {data['framework']}" if "framework" in data else ""
        print(f"{entry.ref:<28} {entry.title}{follows}{extends}  [{origin}]")
    return 0


def reflection_show(args: argparse.Namespace, library: Library) -> int:
    """Show a reflection guide: the questions per principle, the conditions by level, and
    the self-assessment statements. A local adaptation is shown in full, with its lineage
    and what it changes from the guide it adapts."""
    guide = _guide(library, args.reference)
    if args.language:
        localised = localise(guide, args.language)
        if localised.missing:
            print(
                f"note: {len(localised.missing)} text(s) have no '{args.language}' translation "
                f"and are shown in {guide.language}.",
                file=sys.stderr,
            )
        guide = localised.document
    if args.format == "json":
        data: dict[str, Any] = guide.model_dump(mode="json")
        data["lineage"] = [g.ref for g in library.guide_lineage(guide)]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return 0
    sys.stdout.write(render_guide(guide, library.framework(guide.framework)))
    if guide.extends:
        lineage = library.guide_lineage(guide)
        base = lineage[1]
        print("\nLineage: " + " <- ".join(g.ref for g in reversed(lineage)))
        print(f"Changes from {base.ref}:")
        for change in diff_guides(base, guide) or ["none"]:
            print(f"  - {change}")
    return 0


def reflection_check(args: argparse.Namespace, library: Library) -> int:
    """Check reflection guide files (base guides or local adaptations); print every problem
    with file, line, place and how to fix it."""
    failed = 0
    for name in args.files:
        checked = library.check_file(Path(name))
        if checked.problems:
            failed += 1
            print(f"{name}: {len(checked.problems)} problem(s)", file=sys.stderr)
            for problem in sorted(checked.problems, key=lambda p: (p.line or 0, p.where)):
                print(f"  {problem}", file=sys.stderr)
        elif not isinstance(checked.model, ReflectionGuide):
            failed += 1
            print(
                f"{name}: this is a {checked.kind}, not a reflection guide; use "
                f"'peerprinciples {'instrument' if checked.kind == 'instrument' else 'framework'} "
                "validate'.",
                file=sys.stderr,
            )
        else:
            extends = f", adapting {checked.model.extends}" if checked.model.extends else ""
            print(
                f"{name}: {checked.model.ref} is valid ({checked.kind}, for "
                f"{checked.model.framework}{extends})."
            )
    return 1 if failed else 0


def register(commands: Any) -> argparse.ArgumentParser:
    """Add ``reflection`` and its actions to the command's subparsers."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "reflection",
        help="reflection guides for cycles of reflective learning",
        description="List, show and check reflection guides.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(actions, "list", reflection_list, "list the reflection guides in the library")
    show = add_command(actions, "show", reflection_show, "show a reflection guide")
    show.add_argument(
        "reference",
        nargs="?",
        default=DEFAULT_GUIDE,
        metavar="KEY[@VERSION]|FILE",
        help=f"the guide (default: {DEFAULT_GUIDE})",
    )
    show.add_argument("--language", help="show the texts in this language where translated")
    show.add_argument("--format", choices=("text", "json"), default="text")
    check = add_command(actions, "check", reflection_check, "check reflection guide files")
    check.add_argument("files", nargs="+", metavar="FILE")
    return parser
