"""What every group of commands uses: adding itself to the command-line parser, stopping with
the problems of its input, and writing its files all together."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from peerprinciples.core.library import Library

Handler = Callable[[argparse.Namespace, Library], int]
"""A command: called with the parsed arguments and the library; returns the exit code."""


def add_command(sub: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    """Add command ``name`` to ``sub`` (what ``add_subparsers()`` returned), run by ``handler``.

    Its description is the handler's docstring (or ``help_text``).
    """
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, description=(handler.__doc__ or help_text).strip()
    )
    parser.set_defaults(handler=handler)
    return parser


class Stop(Exception):
    """A command cannot go on: the message says why, and ``problems`` (when any) list
    what is wrong with the input, each with its place and fix."""

    def __init__(self, message: str, problems: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def report(stop: Stop) -> int:
    """Print ``stop`` on standard error, a problem a line; returns the exit code, 1."""
    print(f"error: {stop}", file=sys.stderr)
    for problem in stop.problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def write_together(folder: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write every file into ``folder``: into a temporary folder inside it first, then each
    moved into place, so a failure leaves no half-written file and earlier files as they
    were. Texts are written as UTF-8 with their line ends unchanged. Returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".peerprinciples-", dir=folder))
    try:
        for name, content in files.items():
            if isinstance(content, bytes):
                (staging / name).write_bytes(content)
            else:
                (staging / name).write_text(content, encoding="utf-8", newline="")
        written = []
        for name in files:
            os.replace(staging / name, folder / name)
            written.append(folder / name)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number.") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is too small; use {minimum} or more.")
        return value

    return parse
