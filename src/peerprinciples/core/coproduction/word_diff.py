"""The changes to a statement's wording since the last drafting round, word by word.

A revised statement is shown to the panel with what was taken out and what was put in, so
members can see how their comments changed it. The wording is cut into tokens (runs of
letters and digits, runs of white space, and each other character on its own) and the two
lists of tokens are matched with :class:`difflib.SequenceMatcher`. Because every character
of a text is in exactly one token, the segments put the texts back together exactly: the
``same`` and ``added`` segments joined give the new wording, the ``same`` and ``removed``
ones the old.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Kind = Literal["same", "added", "removed"]

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
"""A word (letters, digits, underscores, in any script), a run of white space, or one other
character (punctuation, a symbol, a combining mark on its own)."""

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Segment:
    """A stretch of text that is the same in both wordings, added, or removed."""

    kind: Kind
    text: str


def tokens(text: str) -> list[str]:
    """``text`` cut into words, white space and single other characters; joined, the
    tokens are ``text`` again."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """The difference between two wordings, as segments in reading order.

    Where a stretch was replaced, the removed segment comes before the added one. Segments
    of one kind next to each other are merged, and there is no empty segment (two empty
    wordings give an empty list).

    Examples
    --------
    >>> [(s.kind, s.text) for s in word_diff("Peers share power.", "Peers share power fully.")]
    [('same', 'Peers share power'), ('added', ' fully'), ('same', '.')]
    """
    before, after = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, "same", "".join(before[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            _append(segments, "removed", "".join(before[i1:i2]))
        if tag in ("insert", "replace"):
            _append(segments, "added", "".join(after[j1:j2]))
    return segments


def _append(segments: list[Segment], kind: Kind, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def old_text(segments: list[Segment]) -> str:
    """The old wording: the ``same`` and ``removed`` segments joined."""
    return "".join(s.text for s in segments if s.kind != "added")


def new_text(segments: list[Segment]) -> str:
    """The new wording: the ``same`` and ``added`` segments joined."""
    return "".join(s.text for s in segments if s.kind != "removed")


def as_text(segments: list[Segment]) -> str:
    """The difference in the style of ``git diff --word-diff``: removed text in ``[-…-]``,
    added text in ``{+…+}``.

    Examples
    --------
    >>> as_text(word_diff("Peers share power.", "Peers share some power."))
    'Peers share {+some +}power.'
    """
    marks = {"same": ("", ""), "removed": ("[-", "-]"), "added": ("{+", "+}")}
    return "".join(marks[s.kind][0] + s.text + marks[s.kind][1] for s in segments)


@dataclass(frozen=True)
class WordCounts:
    """How many words were added and removed (punctuation and spaces are not words)."""

    added: int
    removed: int


def word_counts(segments: list[Segment]) -> WordCounts:
    """The words in the added and in the removed segments."""

    def words(kind: Kind) -> int:
        return sum(len(_WORD.findall(s.text)) for s in segments if s.kind == kind)

    return WordCounts(added=words("added"), removed=words("removed"))
