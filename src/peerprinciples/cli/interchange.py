"""Commands that move data in and out: exports, codebooks and REDCap.

``register(subparsers)`` adds the commands to the ``peerprinciples`` parser:

``export-data``
    an evaluation's ratings and scores as CSV, XLSX, SPSS and Stata files with a codebook;
``codebook``
    the codebook of an instrument's exported data, as HTML or CSV;
``redcap dictionary`` / ``redcap import-dictionary`` / ``redcap import-records``
    an instrument as a REDCap data dictionary, a data dictionary as a draft instrument, and
    REDCap records as a ratings table.

Each handler takes the parsed arguments and the library and returns the exit code; problems in
the input are raised as :class:`~peerprinciples.core.documents.DocumentError`, which the main
command prints with the file, row and fix.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from peerprinciples.cli.commands import add_command
from peerprinciples.core.documents import DocumentError, Problem
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library


def _instrument(library: Library, text: str) -> Instrument:
    """An instrument named by ``key[@version]``, or read from a YAML file."""
    if Path(text).suffix in (".yaml", ".yml") or Path(text).is_file():
        model = library.check_file(Path(text)).raise_for_problems()
        if not isinstance(model, Instrument):
            problem = Problem(text, (), "this is a framework, not an instrument.", "name one.")
            raise DocumentError([problem])
        return model
    return library.instrument(text)


def export_data(args: argparse.Namespace, library: Library) -> int:
    """Export a ratings table and its scores as CSV, XLSX, SPSS (.sav) and Stata (.dta) files,
    with a codebook (HTML and CSV). Raters' notes (a 'notes' column of the ratings) are written
    only with --include-notes."""
    from peerprinciples.core.interchange.exports import FORMATS, export_evaluation, notes_from_table
    from peerprinciples.core.ratings import read_ratings, read_table

    instrument = _instrument(library, args.instrument)
    options = {"sheet": args.sheet, "delimiter": args.delimiter}
    table = read_ratings(Path(args.ratings), instrument, layout=args.layout, **options)
    notes = notes_from_table(read_table(args.ratings, **options)) if args.include_notes else None
    try:
        framework = library.framework(instrument.framework)
    except (LookupError, DocumentError):
        framework = None
    written = export_evaluation(
        table,
        Path(args.out),
        formats=args.format or FORMATS,
        framework=framework,
        notes=notes,
        include_notes=args.include_notes,
    )
    print(f"Exported {table.n_ratings} ratings of {table.n_interviews} interviews:")
    for path in written:
        print(f"  {path}")
    return 0


def codebook_command(args: argparse.Namespace, library: Library) -> int:
    """Write the codebook of an instrument's exported data: every variable with its label,
    questions, informants, domain, principles, scale, value labels, codes and keying."""
    from peerprinciples.core.interchange.codebook import codebook, write_codebook

    instrument = _instrument(library, args.instrument)
    try:
        framework = library.framework(instrument.framework)
    except (LookupError, DocumentError):
        framework = None
    path = write_codebook(codebook(instrument, framework=framework), Path(args.out))
    print(f"written: {path}", file=sys.stderr)
    return 0


def redcap_dictionary(args: argparse.Namespace, library: Library) -> int:
    """Write an instrument as a REDCap data dictionary: one form per informant, a radio field
    per item with the anchors and special codes as choices, and calculated domain scores."""
    from peerprinciples.core.interchange.redcap import write_data_dictionary

    instrument = _instrument(library, args.instrument)
    path = write_data_dictionary(instrument, Path(args.out))
    print(f"written: {path}", file=sys.stderr)
    print("Upload it in REDCap under Project Setup > Data Dictionary.", file=sys.stderr)
    return 0


def redcap_import_dictionary(args: argparse.Namespace, library: Library) -> int:
    """Read a REDCap data dictionary as a draft instrument (YAML) to finish by hand, and list
    every field that could not be mapped, with the reason."""
    from peerprinciples.core.interchange import atomic_write
    from peerprinciples.core.interchange.redcap import read_data_dictionary

    result = read_data_dictionary(
        Path(args.dictionary), key=args.key, title=args.title, framework=args.framework
    )
    text = yaml.safe_dump(result.data, sort_keys=False, allow_unicode=True, width=100)
    atomic_write(Path(args.out), lambda p: p.write_text(text, encoding="utf-8"))
    items = len(result.data["items"])
    print(f"written: {args.out} (a draft with {items} item(s))", file=sys.stderr)
    if result.record_fields:
        names = ", ".join(p.field_name for p in result.record_fields)
        print(f"Read with the records or recomputed, not items: {names}", file=sys.stderr)
    _print_code_numbers(result.layout.field_codes, result.data["codes"])
    if result.not_mapped:
        print(f"{len(result.not_mapped)} field(s) or column(s) not mapped:", file=sys.stderr)
        for unmapped in result.not_mapped:
            print(f"  - {unmapped}", file=sys.stderr)
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if result.problems:
        print("The draft is not yet a valid instrument:", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
    return 0 if items else 1


def _print_code_numbers(
    field_codes: dict[str, dict[int, str]], codes: list[dict[str, Any]]
) -> None:
    """Say which REDCap numbers became which special code, in which fields."""
    fields: dict[str, dict[int, list[str]]] = {}
    for name, numbers in field_codes.items():
        for number, code in numbers.items():
            fields.setdefault(code, {}).setdefault(number, []).append(name)
    if not fields:
        return
    print("Special codes (each field's REDCap numbers are kept in the draft):", file=sys.stderr)
    for code in codes:
        where = fields.get(str(code["code"]), {})
        numbers = "; ".join(
            f"{number} in {', '.join(names[:3])}{' ...' if len(names) > 3 else ''}"
            for number, names in sorted(where.items())
        )
        print(
            f"  - {code['code']} ({code['label']}) = {code['value']}"
            + (f", REDCap {numbers}" if numbers else ""),
            file=sys.stderr,
        )


def redcap_import_records(args: argparse.Namespace, library: Library) -> int:
    """Read a REDCap records export (CSV, raw data) as a ratings table in the long layout,
    checked against the instrument, and write it as CSV for 'peerprinciples score'."""
    from peerprinciples.core.interchange.exports import write_csv
    from peerprinciples.core.interchange.redcap import read_data_dictionary, read_redcap_records
    from peerprinciples.core.ratings import read_ratings

    instrument = _instrument(library, args.instrument)
    layout: Any = read_data_dictionary(Path(args.dictionary)) if args.dictionary else instrument
    frame = read_redcap_records(
        Path(args.records),
        layout,
        instrument=instrument,
        rater=args.rater,
        only_complete=args.only_complete,
        include_notes=args.include_notes,
    )
    table = read_ratings(frame, instrument, layout="long", name=args.records)
    write_csv(frame, Path(args.out))
    print(f"Read {table.n_ratings} ratings of {table.n_interviews} interviews; written: {args.out}")
    skipped = int(frame.attrs.get("skipped_incomplete", 0))
    if skipped:
        print(f"note: {skipped} form(s) not marked Complete were left out.", file=sys.stderr)
    return 0


def register(subparsers: Any) -> None:
    """Add the export, codebook and REDCap commands to the top-level command parser.

    Parameters
    ----------
    subparsers
        The object ``ArgumentParser.add_subparsers()`` returned for the commands. Each
        command sets ``handler``, called as ``handler(args, library)``.
    """
    from peerprinciples.core.interchange.exports import FORMATS

    export = add_command(
        subparsers, "export-data", export_data, "export ratings and scores for other software"
    )
    export.add_argument("ratings", metavar="RATINGS", help="a CSV or XLSX ratings table")
    export.add_argument("--instrument", required=True, metavar="KEY[@VERSION]|FILE")
    export.add_argument("--out", required=True, metavar="DIR", help="folder for the files")
    export.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        help="a format to write (repeatable; default: all)",
    )
    export.add_argument(
        "--include-notes",
        action="store_true",
        help="also write the raters' free-text notes (a 'notes' column of the ratings)",
    )
    export.add_argument("--layout", choices=("auto", "long", "wide"), default="auto")
    export.add_argument("--sheet", help="the worksheet of an XLSX file")
    export.add_argument("--delimiter", default=",", help="the CSV delimiter (default ',')")

    book = add_command(
        subparsers, "codebook", codebook_command, "write the codebook of exported data"
    )
    book.add_argument("instrument", metavar="KEY[@VERSION]|FILE")
    book.add_argument("--out", required=True, metavar="FILE", help="a .html or .csv file")

    redcap = subparsers.add_parser(
        "redcap",
        help="REDCap data dictionaries and records",
        description="Move instruments and ratings between peerprinciples and REDCap.",
    )
    actions = redcap.add_subparsers(dest="action", metavar="ACTION", required=True)
    dictionary = add_command(
        actions, "dictionary", redcap_dictionary, "write an instrument as a data dictionary"
    )
    dictionary.add_argument("instrument", metavar="KEY[@VERSION]|FILE")
    dictionary.add_argument("--out", required=True, metavar="FILE", help="the CSV file to write")

    draft = add_command(
        actions,
        "import-dictionary",
        redcap_import_dictionary,
        "read a data dictionary as a draft instrument",
    )
    draft.add_argument("dictionary", metavar="DICTIONARY", help="a REDCap data dictionary (CSV)")
    draft.add_argument("--out", required=True, metavar="FILE", help="the draft YAML to write")
    draft.add_argument("--key", help="the draft's key (default: from the file name)")
    draft.add_argument("--title", help="the draft's title")
    draft.add_argument("--framework", metavar="KEY@VERSION", help="the framework it rates")

    records = add_command(
        actions, "import-records", redcap_import_records, "read REDCap records as ratings"
    )
    records.add_argument("records", metavar="RECORDS", help="a records export (CSV, raw data)")
    records.add_argument("--instrument", required=True, metavar="KEY[@VERSION]|FILE")
    records.add_argument(
        "--dictionary",
        metavar="FILE",
        help="the project's data dictionary, when it was not made by 'redcap dictionary'",
    )
    records.add_argument("--out", required=True, metavar="FILE", help="the ratings CSV to write")
    records.add_argument(
        "--rater", default="redcap", help="the rater of forms without one (default: redcap)"
    )
    records.add_argument(
        "--only-complete", action="store_true", help="read only forms marked Complete"
    )
    records.add_argument(
        "--include-notes", action="store_true", help="keep the raters' notes as a column"
    )
