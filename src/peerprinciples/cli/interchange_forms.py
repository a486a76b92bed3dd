"""Commands that exchange forms and ratings with FHIR and XLSForm tools (ODK, KoboToolbox).

``register(subparsers)`` adds them to the ``peerprinciples`` parser: ``instrument fhir``,
``instrument xlsform``, ``instrument from-xlsform`` and ``instrument from-fhir`` under the
``instrument`` command, and ``import-fhir`` and ``import-xlsform`` beside ``score``. Each handler
takes ``(args, library)`` and returns the exit code; problems in the input are raised as
``DocumentError`` for ``main`` to print.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from peerprinciples.cli.commands import add_command
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange import InstrumentDraft, atomic_write
from peerprinciples.core.interchange.fhir import (
    FHIR_BASE,
    questionnaire,
    read_fhir_instrument,
    read_questionnaire_responses,
    write_questionnaire,
)
from peerprinciples.core.interchange.xlsform import (
    DRAFT_FRAMEWORK,
    read_xlsform_instrument,
    read_xlsform_submissions,
    write_xlsform,
)
from peerprinciples.core.library import Library


def _instrument(library: Library, text: str) -> Instrument:
    """An instrument named by ``key[@version]``, or read from a YAML file."""
    path = Path(text)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        model = library.check_file(path).raise_for_problems()
        if not isinstance(model, Instrument):
            raise KeyError(f"{text} is a framework, not an instrument.")
        return model
    return library.instrument(text)


def _write_ratings(frame: pd.DataFrame, out: str) -> None:
    atomic_write(out, lambda temporary: frame.to_csv(temporary, index=False))


def instrument_fhir(args: argparse.Namespace, library: Library) -> int:
    """Write an instrument as a FHIR R4 Questionnaire (JSON), one group per informant."""
    instrument = _instrument(library, args.reference)
    framework = library.framework(instrument.framework)
    if args.out:
        write_questionnaire(instrument, args.out, framework=framework, base_url=args.base_url)
        print(f"written: {args.out}", file=sys.stderr)
        return 0
    resource = questionnaire(instrument, framework=framework, base_url=args.base_url)
    sys.stdout.write(json.dumps(resource, indent=2, ensure_ascii=False) + "\n")
    return 0


def instrument_xlsform(args: argparse.Namespace, library: Library) -> int:
    """Write an instrument as an XLSForm (.xlsx) for ODK Central or KoboToolbox."""
    instrument = _instrument(library, args.reference)
    write_xlsform(instrument, args.out)
    print(f"written: {args.out}", file=sys.stderr)
    print(
        f"Upload it to ODK Central or KoboToolbox; then read the CSV export with "
        f"'peerprinciples import-xlsform EXPORT.csv --instrument {instrument.ref} --out "
        "ratings.csv'.",
        file=sys.stderr,
    )
    return 0


def instrument_from_xlsform(args: argparse.Namespace, library: Library) -> int:
    """Draft an instrument (YAML) from an XLSForm, listing every row it cannot carry over."""
    draft = read_xlsform_instrument(args.form, framework=args.framework)
    return _write_draft(draft, args.out, "row(s) not carried over")


def instrument_from_fhir(args: argparse.Namespace, library: Library) -> int:
    """Draft an instrument (YAML) from a FHIR Questionnaire, listing what it cannot map."""
    draft = read_fhir_instrument(args.questionnaire, framework=args.framework)
    return _write_draft(draft, args.out, "part(s) not mapped")


def _write_draft(draft: InstrumentDraft[Any], out: str | None, not_carried: str) -> int:
    """Write the draft as YAML (to ``out`` or standard output); say what it left behind."""
    text = yaml.safe_dump(draft.data, sort_keys=False, allow_unicode=True, width=100)
    if out:
        atomic_write(out, lambda temporary: temporary.write_text(text, encoding="utf-8"))
        print(f"written: {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    print(
        f"{len(draft.data['items'])} item(s) drafted; {len(draft.unmapped)} {not_carried}:",
        file=sys.stderr,
    )
    for problem in draft.unmapped:
        print(f"  - {problem}", file=sys.stderr)
    for note in draft.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def import_fhir(args: argparse.Namespace, library: Library) -> int:
    """Read FHIR QuestionnaireResponses into a ratings table (long layout, CSV)."""
    instrument = _instrument(library, args.instrument)
    frame = read_questionnaire_responses(Path(args.responses), instrument, base_url=args.base_url)
    return _report(frame, instrument, args.out)


def import_xlsform(args: argparse.Namespace, library: Library) -> int:
    """Read an ODK Central or KoboToolbox export into a ratings table (long layout, CSV)."""
    instrument = _instrument(library, args.instrument)
    frame = read_xlsform_submissions(
        Path(args.submissions), instrument, delimiter=args.delimiter, sheet=args.sheet
    )
    return _report(frame, instrument, args.out)


def _report(frame: pd.DataFrame, instrument: Instrument, out: str) -> int:
    _write_ratings(frame, out)
    interviews = frame["interview"].nunique()
    print(f"Read {len(frame)} ratings from {interviews} interview(s); written: {out}")
    print(f"Next: peerprinciples score {out} --instrument {instrument.ref} --out results")
    return 0


def _instrument_actions(subparsers: Any) -> Any:
    """The sub-command action of the ``instrument`` command."""
    parser = subparsers.choices.get("instrument")
    if parser is None:
        raise RuntimeError("register the interchange commands after the 'instrument' command.")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the 'instrument' command has no sub-commands.")


def register(subparsers: Any) -> None:
    """Add the FHIR and XLSForm commands to the top-level sub-commands of ``peerprinciples``.

    Call it after the ``instrument`` command exists: ``fhir``, ``xlsform``,
    ``from-xlsform`` and ``from-fhir`` are added under it, ``import-fhir`` and
    ``import-xlsform`` at the top.
    """
    actions = _instrument_actions(subparsers)
    fhir = add_command(
        actions, "fhir", instrument_fhir, "write an instrument as a FHIR Questionnaire"
    )
    fhir.add_argument("reference", metavar="KEY[@VERSION]|FILE")
    fhir.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    fhir.add_argument(
        "--base-url",
        default=FHIR_BASE,
        help=f"base of the canonical URL and code systems (default: {FHIR_BASE})",
    )
    xlsform = add_command(
        actions, "xlsform", instrument_xlsform, "write an instrument as an XLSForm"
    )
    xlsform.add_argument("reference", metavar="KEY[@VERSION]|FILE")
    xlsform.add_argument("--out", required=True, metavar="FILE.xlsx")
    draft = add_command(
        actions, "from-xlsform", instrument_from_xlsform, "draft an instrument from an XLSForm"
    )
    draft.add_argument("form", metavar="FORM.xlsx", help="an XLSForm (.xlsx or single-sheet .csv)")
    draft.add_argument("--out", metavar="FILE.yaml", help="write the draft to FILE.yaml")
    draft.add_argument(
        "--framework",
        default=DRAFT_FRAMEWORK,
        metavar="KEY@VERSION",
        help="the framework the draft rates (default: a placeholder to replace)",
    )
    from_fhir = add_command(
        actions, "from-fhir", instrument_from_fhir, "draft an instrument from a FHIR Questionnaire"
    )
    from_fhir.add_argument(
        "questionnaire", metavar="QUESTIONNAIRE.json", help="a Questionnaire, or a Bundle with one"
    )
    from_fhir.add_argument("--out", metavar="FILE.yaml", help="write the draft to FILE.yaml")
    from_fhir.add_argument(
        "--framework",
        default=DRAFT_FRAMEWORK,
        metavar="KEY@VERSION",
        help="the framework the draft rates (default: the one a peerprinciples export names, "
        "else a placeholder to replace)",
    )

    responses = add_command(
        subparsers, "import-fhir", import_fhir, "read FHIR QuestionnaireResponses as ratings"
    )
    responses.add_argument(
        "responses", metavar="RESPONSES", help="a JSON Bundle, QuestionnaireResponse or NDJSON"
    )
    responses.add_argument("--instrument", required=True, metavar="KEY[@VERSION]|FILE")
    responses.add_argument("--out", required=True, metavar="FILE.csv", help="the ratings table")
    responses.add_argument("--base-url", default=FHIR_BASE, help="as given to 'instrument fhir'")

    submissions = add_command(
        subparsers,
        "import-xlsform",
        import_xlsform,
        "read an ODK Central or KoboToolbox export as ratings",
    )
    submissions.add_argument("submissions", metavar="SUBMISSIONS", help="the CSV or XLSX export")
    submissions.add_argument("--instrument", required=True, metavar="KEY[@VERSION]|FILE")
    submissions.add_argument("--out", required=True, metavar="FILE.csv", help="the ratings table")
    submissions.add_argument("--delimiter", help="the CSV delimiter (default: guessed)")
    submissions.add_argument("--sheet", help="the worksheet of an XLSX export")
