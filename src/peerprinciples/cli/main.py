"""The ``peerprinciples`` command: a thin layer over the core.

Each command does one job and states its rule in its help text. Exit codes: 0 success,
1 the input has problems (listed on standard error), 2 the command line was wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from peerprinciples import __version__
from peerprinciples.cli import (
    audit,
    backups,
    coproduction,
    erasure,
    interchange,
    interchange_forms,
    practice,
    reflection,
    seed,
    tokens,
    transfers,
    worker,
)
from peerprinciples.cli.commands import add_command
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.frameworks import Framework, diff_frameworks
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import LIBRARY_ENV, Library, NotFoundError
from peerprinciples.core.psychometrics import PsychometricsError
from peerprinciples.core.rendering import render_changes, render_framework, render_interview_guide
from peerprinciples.core.schemas import json_schema
from peerprinciples.core.translation import coverage, localise


class CommandError(Exception):
    """A problem to report to the user without a traceback."""


def _library(args: argparse.Namespace) -> Library:
    return Library.from_environment([Path(p) for p in args.library or []])


def _write(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"written: {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _as_json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _framework_arg(library: Library, text: str) -> Framework:
    """A framework named by reference, or read from a file path."""
    if Path(text).suffix in (".yaml", ".yml") or Path(text).is_file():
        model = library.check_file(Path(text)).raise_for_problems()
        if not isinstance(model, Framework):
            raise CommandError(f"{text} is an instrument, not a framework.")
        return model
    return library.framework(text)


def _localised(document: Any, language: str | None) -> Any:
    if not language:
        return document
    result = localise(document, language)
    if result.missing:
        print(
            f"note: {len(result.missing)} text(s) have no '{language}' translation and are "
            f"shown in {document.language}: {', '.join(result.missing[:8])}"
            + (" ..." if len(result.missing) > 8 else ""),
            file=sys.stderr,
        )
    return result.document


# --- framework ---------------------------------------------------------------------------------


def framework_list(args: argparse.Namespace, library: Library) -> int:
    """List the frameworks in the library."""
    for entry in library.frameworks():
        origin = "built-in" if entry.builtin else entry.document.source
        extends = (
            f"  extends {entry.document.data.get('extends')}" if entry.kind == "adaptation" else ""
        )
        print(f"{entry.ref:<28} {entry.title}{extends}  [{origin}]")
    _report_load_problems(library)
    return 0


def framework_show(args: argparse.Namespace, library: Library) -> int:
    """Show a framework as text, Markdown or JSON."""
    framework = _localised(_framework_arg(library, args.reference), args.language)
    if args.format == "json":
        data = framework.model_dump(mode="json")
        data["translation_coverage"] = {
            k: {"translated": a, "texts": b} for k, (a, b) in coverage(framework).items()
        }
        _write(_as_json(data), args.out)
    else:
        _write(render_framework(framework, markdown=args.format == "markdown"), args.out)
    return 0


def framework_diff(args: argparse.Namespace, library: Library) -> int:
    """Show what B adds, removes, renames, rewords or translates relative to A."""
    base, other = _framework_arg(library, args.a), _framework_arg(library, args.b)
    changes = diff_frameworks(base, other)
    if args.format == "json":
        _write(
            _as_json(
                {"from": base.ref, "to": other.ref, "changes": [c.to_dict() for c in changes]}
            ),
            args.out,
        )
    else:
        _write(render_changes(base, other, changes), args.out)
    return 0


def framework_export(args: argparse.Namespace, library: Library) -> int:
    """Write a framework in full (an adaptation resolved against its base) as YAML or JSON."""
    data = _framework_arg(library, args.reference).model_dump(mode="json", exclude_none=True)
    _write(_as_json(data) if args.format == "json" else _as_yaml(data), args.out)
    return 0


def _validate(args: argparse.Namespace, library: Library, wanted: str) -> int:
    failed = 0
    for name in args.files:
        checked = library.check_file(Path(name))
        if checked.problems:
            failed += 1
            print(f"{name}: {len(checked.problems)} problem(s)", file=sys.stderr)
            for problem in sorted(checked.problems, key=lambda p: (p.line or 0, p.where)):
                print(f"  {problem}", file=sys.stderr)
            continue
        if checked.kind.startswith("reflection"):
            failed += 1
            print(
                f"{name}: this is a reflection guide; use 'peerprinciples reflection check'.",
                file=sys.stderr,
            )
            continue
        is_instrument = isinstance(checked.model, Instrument)
        if is_instrument != (wanted == "instrument"):
            failed += 1
            print(
                f"{name}: this is {'an instrument' if is_instrument else 'a framework'}; "
                f"use 'peerprinciples {'instrument' if is_instrument else 'framework'} "
                f"validate'.",
                file=sys.stderr,
            )
            continue
        assert checked.model is not None
        print(f"{name}: {checked.model.ref} is valid ({checked.kind}).")
    return 1 if failed else 0


def framework_validate(args: argparse.Namespace, library: Library) -> int:
    """Check framework files; print every problem with file, line and place."""
    return _validate(args, library, "framework")


def instrument_validate(args: argparse.Namespace, library: Library) -> int:
    """Check instrument files; print every problem with file, line and place."""
    return _validate(args, library, "instrument")


# --- instrument --------------------------------------------------------------------------------


def _instrument_arg(library: Library, text: str) -> Instrument:
    if Path(text).suffix in (".yaml", ".yml") or Path(text).is_file():
        model = library.check_file(Path(text)).raise_for_problems()
        if not isinstance(model, Instrument):
            raise CommandError(f"{text} is a framework, not an instrument.")
        return model
    return library.instrument(text)


def instrument_list(args: argparse.Namespace, library: Library) -> int:
    """List the instruments in the library."""
    for entry in library.instruments():
        origin = "built-in" if entry.builtin else entry.document.source
        print(
            f"{entry.ref:<28} {entry.title}  (framework {entry.document.data.get('framework')})"
            f"  [{origin}]"
        )
    _report_load_problems(library)
    return 0


def instrument_show(args: argparse.Namespace, library: Library) -> int:
    """Show an instrument as an interview guide per informant (text, Markdown) or JSON."""
    instrument = _localised(_instrument_arg(library, args.reference), args.language)
    if args.format == "json":
        _write(_as_json(instrument.model_dump(mode="json")), args.out)
        return 0
    framework = library.framework(instrument.framework)
    if args.informant:
        instrument.informant(args.informant)
    _write(
        render_interview_guide(
            instrument, framework, args.informant, markdown=args.format == "markdown"
        ),
        args.out,
    )
    return 0


def instrument_export(args: argparse.Namespace, library: Library) -> int:
    """Write an instrument in full as YAML or JSON."""
    data = _instrument_arg(library, args.reference).model_dump(mode="json", exclude_none=True)
    _write(_as_json(data) if args.format == "json" else _as_yaml(data), args.out)
    return 0


def schema(args: argparse.Namespace, library: Library) -> int:
    """Print the JSON Schema of a document format."""
    _write(_as_json(json_schema(args.kind)), args.out)
    return 0


def demo(args: argparse.Namespace, library: Library) -> int:
    """Show the built-in ENRICH framework and the example interview guide."""
    framework = library.framework("enrich@2017")
    instrument = library.instrument("enrich-example-index")
    sys.stdout.write(render_framework(framework))
    sys.stdout.write("\n")
    sys.stdout.write(render_interview_guide(instrument, framework))
    return 0


def serve(args: argparse.Namespace, library: Library) -> int:
    """Migrate the database, load the built-in library and serve the web app with gunicorn."""
    from peerprinciples.web.serve import serve as run_server

    run_server(host=args.host, port=args.port, workers=args.workers, demo=args.demo)
    return 0


def user(args: argparse.Namespace, library: Library) -> int:
    """Create an account, or give one a new password (the random password is printed once),
    or switch two-factor sign-in off for someone who lost their app and recovery codes."""
    from peerprinciples.web.serve import prepare, setup_django

    setup_django()
    prepare(verbosity=0)
    from peerprinciples.web.accounts.services import reset_password
    from peerprinciples.web.accounts.two_factor import switch_off_for

    if args.action == "two-factor-off":
        switch_off_for(args.username)
        print(f"{args.username}: two-factor sign-in is off; they sign in with their password.")
        return 0
    password = reset_password(args.username, create=args.action == "add")
    print(f"{args.username}: password {password}")
    print("Give it to the person privately; they can change it after signing in.", file=sys.stderr)
    return 0


def manage(args: argparse.Namespace, library: Library) -> int:
    """Run a Django management command (migrate, createsuperuser, shell, ...)."""
    from django.core.management import execute_from_command_line

    from peerprinciples.web.serve import setup_django

    setup_django()
    execute_from_command_line(["peerprinciples manage", *args.arguments])
    return 0


def score_command(args: argparse.Namespace, library: Library) -> int:
    """Score a ratings table and write scores, aggregates, psychometrics and a report."""
    from tqdm import tqdm

    from peerprinciples.core.analysis import analyse
    from peerprinciples.core.outputs import OUTPUT_FILES, write_outputs
    from peerprinciples.core.ratings import read_ratings

    instrument = _instrument_arg(library, args.instrument)
    framework = library.framework(instrument.framework)
    stages = ["reading", "scoring", "psychometrics", "writing tables", "drawing the report"]
    with tqdm(
        total=len(stages),
        desc="reading",
        unit="step",
        file=sys.stderr,
        disable=args.quiet or None,
        bar_format="{desc:<20} {bar} {n_fmt}/{total_fmt}",
    ) as bar:

        def progress(stage: str) -> None:
            bar.update(1)
            bar.set_description(stage)

        table = read_ratings(
            Path(args.ratings),
            instrument,
            layout=args.layout,
            sheet=args.sheet,
            delimiter=args.delimiter,
        )
        analysis = analyse(table, framework, progress)
        written = write_outputs(analysis, Path(args.out), progress)
        bar.update(1)
        bar.set_description("done")
    print(
        f"Scored {table.n_ratings} ratings from {table.n_interviews} interviews "
        f"with {instrument.ref}."
    )
    for path in written:
        print(f"  {path}")
    flags = len(analysis.quality.flags)
    print(f"{flags} quality flag(s); open {Path(args.out) / OUTPUT_FILES[-1]} to read them.")
    return 0


def demo_data(args: argparse.Namespace, library: Library) -> int:
    """Write a synthetic ratings file for the example index, to try 'score' at once."""
    from peerprinciples.core.demo_data import demo_ratings

    instrument = _instrument_arg(library, args.instrument)
    frame = demo_ratings(instrument, seed=args.seed, services=args.services, rounds=args.rounds)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(args.out, index=False)
    print(
        f"Wrote {len(frame)} synthetic ratings of {frame['interview'].nunique()} interviews "
        f"to {args.out}"
    )
    print(f"Next: peerprinciples score {args.out} --instrument {instrument.ref} --out results")
    return 0


def _report_load_problems(library: Library) -> None:
    for problem in library.load_problems:
        print(f"warning: {problem}", file=sys.stderr)


# --- parser ------------------------------------------------------------------------------------


def _output_options(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument(
        "--format",
        choices=formats,
        default=formats[0],
        help=f"output format (default: {formats[0]})",
    )
    parser.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")


def build_parser() -> argparse.ArgumentParser:
    """The full command-line parser."""
    parser = argparse.ArgumentParser(
        prog="peerprinciples",
        description="Principles-based development and evaluation of peer support.",
        epilog=f"Your own frameworks and instruments are read from --library folders and from "
        f"the folders in {LIBRARY_ENV} (separated by ':'), besides the built-in ones.",
    )
    parser.add_argument("--version", action="version", version=f"peerprinciples {__version__}")
    parser.add_argument(
        "--library",
        action="append",
        metavar="DIR",
        help="a folder of framework and instrument YAML files (repeatable)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    fw = commands.add_parser(
        "framework",
        help="principles frameworks",
        description="List, show, check, compare and export frameworks.",
    )
    fw_sub = fw.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(fw_sub, "list", framework_list, "list the frameworks in the library")
    show = add_command(fw_sub, "show", framework_show, "show a framework")
    show.add_argument("reference", metavar="KEY[@VERSION]|FILE")
    show.add_argument("--language", help="show the texts in this language where translated")
    _output_options(show, ("text", "markdown", "json"))
    validate = add_command(fw_sub, "validate", framework_validate, "check framework files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    diff = add_command(
        fw_sub, "diff", framework_diff, "list the differences between two frameworks"
    )
    diff.add_argument("a", metavar="A", help="the base: KEY[@VERSION] or FILE")
    diff.add_argument("b", metavar="B", help="the other: KEY[@VERSION] or FILE")
    _output_options(diff, ("text", "json"))
    export = add_command(fw_sub, "export", framework_export, "write a framework in full")
    export.add_argument("reference", metavar="KEY[@VERSION]|FILE")
    _output_options(export, ("yaml", "json"))
    fw_schema = add_command(fw_sub, "schema", schema, "print the JSON Schema of framework files")
    fw_schema.set_defaults(kind="framework")
    _output_options(fw_schema, ("json",))
    ad_schema = add_command(
        fw_sub, "adaptation-schema", schema, "print the JSON Schema of local adaptation files"
    )
    ad_schema.set_defaults(kind="adaptation")
    _output_options(ad_schema, ("json",))

    ins = commands.add_parser(
        "instrument",
        help="fidelity instruments",
        description="List, show, check and export fidelity instruments.",
    )
    ins_sub = ins.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(ins_sub, "list", instrument_list, "list the instruments in the library")
    show = add_command(ins_sub, "show", instrument_show, "show an instrument as an interview guide")
    show.add_argument("reference", metavar="KEY[@VERSION]|FILE")
    show.add_argument("--informant", help="show the guide for this informant only")
    show.add_argument("--language", help="show the texts in this language where translated")
    _output_options(show, ("text", "markdown", "json"))
    validate = add_command(ins_sub, "validate", instrument_validate, "check instrument files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    export = add_command(ins_sub, "export", instrument_export, "write an instrument in full")
    export.add_argument("reference", metavar="KEY[@VERSION]|FILE")
    _output_options(export, ("yaml", "json"))
    ins_schema = add_command(ins_sub, "schema", schema, "print the JSON Schema of instrument files")
    ins_schema.set_defaults(kind="instrument")
    _output_options(ins_schema, ("json",))

    add_command(commands, "demo", demo, "show the built-in framework and example interview guide")

    scoring = add_command(
        commands, "score", score_command, "score a ratings table and write the results and a report"
    )
    scoring.add_argument(
        "ratings",
        metavar="RATINGS",
        help="a CSV or XLSX ratings table (long or wide; see docs/ratings-format.md)",
    )
    scoring.add_argument("--instrument", required=True, metavar="KEY[@VERSION]|FILE")
    scoring.add_argument("--out", required=True, metavar="DIR", help="folder for the results")
    scoring.add_argument("--layout", choices=("auto", "long", "wide"), default="auto")
    scoring.add_argument("--sheet", help="the worksheet of an XLSX file")
    scoring.add_argument("--delimiter", default=",", help="the CSV delimiter (default ',')")
    scoring.add_argument("--quiet", action="store_true", help="no progress bar")

    demo_file = add_command(
        commands, "demo-data", demo_data, "write a synthetic ratings file to try 'score' on"
    )
    demo_file.add_argument("--out", default="demo-ratings.csv", metavar="FILE")
    demo_file.add_argument("--instrument", default="enrich-example-index")
    demo_file.add_argument("--seed", type=int, default=2017)
    demo_file.add_argument("--services", type=int, default=4)
    demo_file.add_argument("--rounds", type=int, default=2)

    interchange.register(commands)
    interchange_forms.register(commands)
    reflection.register(commands)
    practice.register(commands)
    tokens.register(commands)
    coproduction.register(commands)
    seed.register(commands)
    transfers.register(commands)
    erasure.register(commands)
    worker.register(commands)
    backups.register(commands)
    audit.register(commands)

    server = add_command(commands, "serve", serve, "serve the web application")
    server.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only)",
    )
    server.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    server.add_argument("--workers", type=int, default=2, help="worker processes (default: 2)")
    server.add_argument(
        "--demo",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="create the demo evaluation and print the demo accounts",
    )

    accounts = commands.add_parser(
        "user",
        help="accounts for the web application",
        description="Create accounts, reset passwords, and switch two-factor sign-in off for "
        "someone who has lost both their authenticator app and their recovery codes.",
    )
    account_sub = accounts.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in (
        ("add", "create an account with a random password"),
        ("password", "give an account a new random password"),
        ("two-factor-off", "switch two-factor sign-in off for an account"),
    ):
        account = add_command(account_sub, name, user, text)
        account.add_argument("username")

    django_command = add_command(commands, "manage", manage, "run a Django management command")
    django_command.add_argument("arguments", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args, _library(args)))
    except DocumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (
        NotFoundError,
        KeyError,
        CommandError,
        PsychometricsError,
        reflection.NotAGuideError,
    ) as exc:
        message = exc.args[0] if exc.args else str(exc)
        print(f"error: {message}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
