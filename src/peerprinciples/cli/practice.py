"""``peerprinciples practice``: the practice matrix and the handbook drafted from it.

This module only makes the command group; each command lives in a module of its own and
adds itself here (the handbook: :mod:`peerprinciples.cli.practice_handbook`).
"""

from __future__ import annotations

from typing import Any

from peerprinciples.cli import practice_handbook


def register(commands: Any) -> None:
    """Add the ``practice`` group and its commands."""
    group = commands.add_parser(
        "practice",
        help="the practice matrix and the handbook",
        description="Work with a programme's practice matrix, kept as a YAML file.",
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    practice_handbook.register(actions)
