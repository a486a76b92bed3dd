"""``peerprinciples practice handbook``: the handbook drafted from a matrix file.

The matrix is a YAML file in the shape of the core's
:class:`~peerprinciples.core.practice.matrix.Matrix`; the framework it follows is named by
reference (``enrich@2017``) or given as a file. The file is written whole or not at all.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from peerprinciples.cli.commands import Stop, add_command, report
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.library import Library
from peerprinciples.core.practice.handbook import HandbookError, build_handbook
from peerprinciples.core.practice.handbook_files import FORMATS, write_handbook
from peerprinciples.core.practice.matrix import Matrix


def read_matrix(path: Path) -> Matrix:
    """The matrix in ``path``; a :class:`Stop` says what is wrong and where."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise Stop(f"the matrix file {path} cannot be read: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise Stop(f"{path} is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise Stop(
            f"{path} does not hold a matrix: it should be a mapping with 'programme', "
            "'framework' and 'areas'."
        )
    try:
        return Matrix.model_validate(data)
    except ValidationError as error:
        problems = [
            f"{path}: at {'.'.join(str(p) for p in e['loc']) or 'the top'}: {e['msg']}"
            for e in error.errors()
        ]
        raise Stop(f"{path} is not a valid matrix", problems) from None


def _framework(library: Library, text: str) -> Framework:
    if Path(text).suffix in (".yaml", ".yml") or Path(text).is_file():
        model = library.check_file(Path(text)).raise_for_problems()
        if not isinstance(model, Framework):
            raise Stop(f"{text} is not a framework file.")
        return model
    return library.framework(text)


def practice_handbook(args: argparse.Namespace, library: Library) -> int:
    """Draft the handbook from a practice matrix file and write it as HTML, PDF, Word (.docx)
    or OpenDocument (.odt). The file is written whole or not at all; an older file of the
    same name is kept when anything fails."""
    try:
        matrix = read_matrix(Path(args.matrix))
        framework = _framework(library, args.framework or matrix.framework)
        try:
            handbook = build_handbook(matrix, framework, issued=date.today())
        except HandbookError as error:
            raise Stop(str(error)) from None
        out = Path(args.out or f"handbook.{args.format}")
        try:
            write_handbook(handbook, out, args.format)
        except OSError as error:
            raise Stop(f"the handbook cannot be written to {out}: {error.strerror}") from None
    except Stop as stop:
        return report(stop)
    print(f"wrote {out} ({handbook.version_label}, following {handbook.framework})")
    return 0


def register(actions: Any) -> None:
    """Add ``handbook`` to the ``practice`` group."""
    command = add_command(
        actions, "handbook", practice_handbook, "write the handbook drafted from a matrix"
    )
    command.add_argument("matrix", metavar="MATRIX.yaml", help="the practice matrix file")
    command.add_argument(
        "--framework",
        metavar="KEY[@VERSION]|FILE",
        help="the framework version the matrix follows (default: the one it names)",
    )
    command.add_argument("--format", choices=list(FORMATS), default="pdf")
    command.add_argument(
        "--out", metavar="FILE", help="where to write it (default: handbook.FORMAT)"
    )
