"""Text written to a CSV file that a spreadsheet must show, never run.

A spreadsheet takes a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return for a formula, so text typed by a person (a comment, a cell of the practice matrix, a
code) could run when the file is opened. Every CSV writer of the core puts a ``'`` before
such text, which spreadsheets show as text and hide; the readers take it off again.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters a spreadsheet takes for a formula."""


def shown_as_text(value: str) -> str:
    """``value`` as a spreadsheet will show it and never run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def as_typed(value: str) -> str:
    """``value`` read back: the ``'`` put before a formula-like text taken off again."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value
