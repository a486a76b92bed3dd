"""A field's choices as the points of a scale and special codes.

REDCap numbers each field's choices itself, so the same number may be a point of one field's
scale and "Unknown" in the next. :func:`classify` splits one field's choices into scale points
and special codes (recognised by their labels), and states any gap in the points;
:func:`code_key` names a special code by what its label means, so that "Don't know" is ``DK``
in every field whatever number REDCap gives it there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from peerprinciples.core.interchange.redcap.common import plain_text

# Wording that marks a choice at the edge of the others as a special code. Only at the edge:
# in the middle of an agreement scale "Uncertain" is a point, and a code's number inside the
# run of points would be a point of the item's scale too.
_SPECIAL_WORDS = re.compile(
    r"not applicable|\bn/?a\b|don'?t know|do not know|not known|unknown|unkown|declin|refus"
    r"|prefer not|rather not|not reported|not stated|not recorded|not asked|not done|not assessed"
    r"|no response|no answer|not answered|missing|skipped|not rated|cannot rate|can't rate"
    r"|unsure|not sure|uncertain|insufficient",
    re.IGNORECASE,
)

# Conventional keys for special codes, by what the label says (first match wins).
_CODE_KEYS = (
    ("NA", re.compile(r"not applicable|\bn/?a\b|does not apply", re.IGNORECASE)),
    ("DK", re.compile(r"don'?t know|do not know|not sure|unsure|uncertain", re.IGNORECASE)),
    ("REF", re.compile(r"refus|declin|prefer not|rather not", re.IGNORECASE)),
    ("UNK", re.compile(r"unknown|unkown|not known", re.IGNORECASE)),
    ("NR", re.compile(r"not reported|not stated|not recorded", re.IGNORECASE)),
    ("ND", re.compile(r"not done|not assessed", re.IGNORECASE)),
    (
        "MISS",
        re.compile(r"missing|no response|no answer|not answered|not asked|skipped", re.IGNORECASE),
    ),
)

GAP_LABEL = "(not a choice in REDCap)"
"""The anchor of a point that a gapped REDCap scale skips (e.g. 4 in 0, 1, 2, 3, 5)."""


@dataclass(frozen=True)
class Choices:
    """A field's choices: the points of its scale and its special codes."""

    points: dict[int, str]
    """Every point from the lowest to the highest, each with its label (a gap's label is
    :data:`GAP_LABEL`)."""
    codes: dict[int, str]
    """REDCap's number → label, for the choices that are special codes."""
    gaps: tuple[int, ...] = field(default=())
    """Points between the lowest and the highest that REDCap does not offer."""


def split_choices(text: str) -> list[tuple[str, str]] | str:
    """Choices as (number, label) pairs, or the reason they cannot be read."""
    pairs = []
    for part in text.split("|"):
        if not part.strip():
            continue
        code, comma, label = part.partition(",")
        if not comma:
            return f"the choice '{part.strip()}' has no code: REDCap writes 'code, label'."
        pairs.append((code.strip(), plain_text(label)))
    if not pairs:
        return "the field has no choices."
    return pairs


def reads_as_special(label: str) -> bool:
    """Whether a choice's label says it is a special code ("Don't know", "Not applicable").

    Long labels are answers that happen to mention such words, not codes.
    """
    return len(label) <= 40 and bool(_SPECIAL_WORDS.search(label))


def classify(
    pairs: Sequence[tuple[str, str]], known_codes: Mapping[int, str], *, guess: bool = True
) -> Choices | str:
    """Split choices into the points of a scale and special codes, or say why they cannot be.

    ``known_codes`` are the numbers of codes the dictionary declares (in peerprinciples'
    annotations). With ``guess``, a choice outside the run of the others is also a special
    code when its label says so (:func:`reads_as_special`), or when its number is negative and
    set apart below points that start at 0 or above (-8 beside 1 to 5). The points left may
    have gaps (0, 1, 2, 3, 5): they make one scale from the lowest to the highest when no more
    points are missing than there are choices less one.
    """
    numbers = _numbers(pairs)
    if isinstance(numbers, str):
        return numbers
    codes = {v: label for v, label in numbers if v in known_codes}
    rest = [(v, label) for v, label in numbers if v not in known_codes]
    if guess:
        codes.update(_guess_codes(rest))
    points = {v: label or str(v) for v, label in rest if v not in codes}
    values = sorted(points)
    if len(values) < 2:
        return "the choices give fewer than two points, so they are not a scale."
    gaps = tuple(p for p in range(values[0], values[-1] + 1) if p not in points)
    if len(gaps) > len(values) - 1:
        return (
            f"the choices {', '.join(map(str, values))} leave {len(gaps)} numbers between "
            f"{values[0]} and {values[-1]} unused, so they are not the points of one scale."
        )
    for gap in gaps:
        points[gap] = GAP_LABEL
    return Choices(dict(sorted(points.items())), codes, gaps)


def _numbers(pairs: Sequence[tuple[str, str]]) -> list[tuple[int, str]] | str:
    numbers: list[tuple[int, str]] = []
    seen: set[int] = set()
    for code, label in pairs:
        if not re.fullmatch(r"-?\d+", code):
            return (
                f"the choice code '{code}' is not a whole number, so the choices cannot be the "
                "points of a scale."
            )
        if int(code) in seen:
            return f"the choice number {int(code)} is given twice."
        seen.add(int(code))
        numbers.append((int(code), label))
    return numbers


def _guess_codes(rest: Sequence[tuple[int, str]]) -> dict[int, str]:
    """The choices that are special codes by their label or a negative number at the edge."""
    codes: dict[int, str] = {}
    # from the outermost inwards, so that "7, Refused | 8, Don't know" beside 1..5 are both
    # seen at the edge of the choices left
    for value, label in sorted(rest, key=lambda x: -abs(x[0])):
        others = [v for v, _ in rest if v != value and v not in codes]
        at_edge = not others or value < min(others) or value > max(others)
        # -8 or -99 below points from 0 or 1 is a code; -2 below -1, 0, 1, 2 is a point
        detached = bool(others) and value < 0 <= min(others) and value < min(others) - 1
        if at_edge and (reads_as_special(label) or detached):
            codes[value] = label
    return codes


def meaning_key(label: str) -> str:
    """NA, DK, REF, UNK, NR, ND or MISS by what a special code's label says, or '' if none fits."""
    text = plain_text(label)
    return next((k for k, pattern in _CODE_KEYS if pattern.search(text)), "")


def code_key(label: str, taken: Iterable[str]) -> str:
    """A key for a special code from its label: its :func:`meaning_key`, else its initials;
    with ``_2``, ``_3``... when that key is ``taken``."""
    text = plain_text(label)
    key = meaning_key(text)
    if not key:
        words = re.findall(r"[A-Za-z0-9]+", text.replace("'", ""))
        key = "".join(w[0] for w in words).upper() or "CODE"
        if not key[0].isalpha():
            key = "C" + key
    candidate, number = key, 2
    used = set(taken)
    while candidate in used:
        candidate = f"{key}_{number}"
        number += 1
    return candidate
