"""Sorting codes the way people read them: S2 before S10, PW-9 before PW-10.

Service, round and peer-worker codes mix letters and numbers. Sorted as text, S10 and S100
come before S2, which makes long lists hard to scan; :func:`natural_key` compares the runs
of digits as numbers instead. It is the one key every list of codes is sorted with, in the
core's report as in the web pages.
"""

from __future__ import annotations

import re

_RUNS = re.compile(r"(\d+)")


def natural_key(text: object) -> tuple[tuple[tuple[int, int, str], ...], str]:
    """A sort key for ``text`` that orders runs of digits by their value.

    Letters compare case-insensitively and a run of digits by its value, sorting before
    letters at the same place; codes that still tie (``S02`` and ``S2``, ``s1`` and ``S1``)
    are put in the order of their plain text, so the order is total. Anything that is not a
    string is compared by its ``str()``, so a number can be sorted alongside codes.

    Examples
    --------
    >>> sorted(["S10", "S2", "s1", "S100"], key=natural_key)
    ['s1', 'S2', 'S10', 'S100']
    """
    plain = str(text)
    parts: list[tuple[int, int, str]] = []
    for index, piece in enumerate(_RUNS.split(plain)):
        if not piece:
            continue
        if index % 2:  # a run of digits (split puts them at the odd places)
            parts.append((0, int(piece), ""))
        else:
            parts.append((1, 0, piece.casefold()))
    return tuple(parts), plain
