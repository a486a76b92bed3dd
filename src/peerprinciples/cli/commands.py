"""What every group of commands uses to add itself to the command-line parser."""

from __future__ import annotations

import argparse
from collections.abc import Callable
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
