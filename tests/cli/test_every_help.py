"""Every command and action prints its help: a help text argparse cannot format (a lone
``%`` in it, say) would otherwise only show up when someone asks for help."""

from __future__ import annotations

import argparse

import pytest

from peerprinciples.cli.main import build_parser, main


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(build_parser())


def test_the_commands_are_found() -> None:
    assert ("coproduction", "rounds") in COMMANDS
    assert ("framework", "validate") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "peerprinciples")
def test_help_is_printed(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    assert "usage: peerprinciples" in capsys.readouterr().out
