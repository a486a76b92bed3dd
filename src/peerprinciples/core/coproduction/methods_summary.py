"""The methods paragraph for a published framework version.

A paper reporting a co-produced framework needs a paragraph saying how much evidence and
how many voices went into it: the review (sources, codes, categories), the panel (members,
cards, piles, individual sorts, clusters), the mapping onto draft principles, the drafting
rounds with how many took part in each, the rule for agreement set in advance, and how many
statements were agreed. :func:`methods_summary` writes it from the counts the project kept.

What did not happen is said plainly rather than left out ("No literature review was part of
this version."), so a reader is never left to guess. Numbers are written in digits, except
at the start of a sentence, where they are spelt out, as most journals ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peerprinciples.core.provenance import Counts

_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


@dataclass(frozen=True)
class RoundSummary:
    """One drafting round: who was asked, who took part, and what was agreed in it."""

    number: int
    invited: int
    took_part: int
    statements: int = 0
    """Statements rated in this round."""
    agreed: int = 0
    """Of those, how many met the rule in this round."""


def spelt(number: int) -> str:
    """A whole number from 0 to 99 in words (``42`` gives ``forty-two``); larger ones in
    digits."""
    if 0 <= number < 20:
        return _SMALL[number]
    if 20 <= number < 100:
        tens, ones = divmod(number, 10)
        return _TENS[tens - 2] + (f"-{_SMALL[ones]}" if ones else "")
    return str(number)


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def _opening(number: int, one: str, many: str | None = None) -> str:
    """A count that opens a sentence: spelt out and capitalised."""
    words = spelt(number)
    if words.isdigit():
        return f"In all, {_count(number, one, many)}"
    return f"{words.capitalize()} {one if number == 1 else (many or one + 's')}"


def methods_summary(
    counts: Counts,
    rounds: Sequence[RoundSummary] = (),
    rule_text: str = "",
    synthetic: bool = False,
    *,
    base: str | None = None,
) -> str:
    """The methods paragraph for a framework version (see the module's docstring).

    ``counts`` holds the numbers the project kept (any may be missing), ``rounds`` one
    :class:`RoundSummary` per drafting round in order, ``rule_text`` the consensus rule as
    a sentence (such as ``ConsensusRule.describe()``), ``synthetic`` whether the data were
    made up for a demonstration, and ``base`` the ``key@version`` an adaptation starts from.

    >>> methods_summary(Counts(sources=3, codes=12, categories=4)).split(". ")[0]
    'A literature review of 3 sources was coded with 12 codes in 4 categories'
    """
    sentences: list[str] = []
    if synthetic:
        sentences.append(
            "These data are synthetic: they were made up to demonstrate the software and "
            "describe no real review or panel."
        )
    if base:
        sentences.append(f"This version is a local adaptation of {base}.")
    sentences.append(_review(counts))
    sentences += _panel(counts)
    mapping = _mapping(counts, base)
    if mapping:
        sentences.append(mapping)
    sentences += _rounds(counts, rounds, rule_text)
    return " ".join(s for s in sentences if s)


def _review(counts: Counts) -> str:
    sources, codes, categories = counts.sources, counts.codes, counts.categories
    if not sources and not categories:
        return "No literature review was part of this version."
    if not sources:
        assert categories is not None
        grouped = _count(categories, "category", "categories")
        return f"The literature review's data were grouped into {grouped}."
    text = f"A literature review of {_count(sources, 'source')} was "
    parts = []
    if codes:
        parts.append(f"coded with {_count(codes, 'code')}")
    if categories:
        parts.append(f"in {_count(categories, 'category', 'categories')}")
    if not parts:
        return text + "included."
    return text + " ".join(parts) + "."


def _panel(counts: Counts) -> list[str]:
    members, cards, piles, sorters = counts.members, counts.cards, counts.piles, counts.sorters
    if not members and not cards:
        return ["No panel wrote or sorted cards for this version."]
    if members and cards:
        opening = f"{_opening(members, 'panel member')} wrote {_count(cards, 'card')}"
    elif members:
        opening = f"{_opening(members, 'panel member')} took part"
    else:
        assert cards is not None
        opening = f"{_opening(cards, 'card')} were written by the panel"
    ways = []
    if piles:
        ways.append(f"into {_count(piles, 'pile')} at a group meeting")
    if sorters:
        ways.append(f"individually by {_count(sorters, 'member')}")
    if ways and cards:
        verb = "was" if cards == 1 else "were"
        sentence = f"{opening}, which {verb} sorted {' and '.join(ways)}."
    elif ways:
        sentence = f"{opening}; cards were sorted {' and '.join(ways)}."
    else:
        sentence = f"{opening}."
    found = [sentence]
    if counts.clusters:
        found.append(
            f"A concept map of the sorts grouped the cards into "
            f"{_count(counts.clusters, 'cluster')}."
        )
    return found


def _mapping(counts: Counts, base: str | None) -> str:
    if not counts.principles:
        return ""
    sides = []
    if counts.categories:
        sides.append("the review's categories")
    if counts.piles or counts.clusters:
        sides.append("the panel's " + ("piles" if counts.piles else "clusters"))
    principles = _count(counts.principles, "draft principle")
    if sides:
        return f"The research team mapped {' and '.join(sides)} onto {principles}."
    if base:
        return f"The team drafted the wording of {principles} from {base}."
    return f"The team drafted {principles}."


def _rounds(counts: Counts, rounds: Sequence[RoundSummary], rule_text: str) -> list[str]:
    if not rounds:
        return ["No drafting rounds were recorded."]
    taking_part = "; ".join(
        f"round {r.number}: {r.took_part} of {r.invited} members took part"
        if i == 0
        else f"round {r.number}: {r.took_part} of {r.invited}"
        for i, r in enumerate(rounds)
    )
    found = [f"Agreement was sought in {_count(len(rounds), 'round')} ({taking_part})."]
    rule = rule_text.strip()
    if rule:
        rule = rule[0].lower() + rule[1:]
        found.append(f"The rule for agreement was set before the first round: {rule.rstrip('.')}.")
    else:
        found.append("No rule for agreement was recorded in advance.")
    statements = counts.statements if counts.statements is not None else rounds[0].statements
    agreed = counts.agreed if counts.agreed is not None else sum(r.agreed for r in rounds)
    if statements:
        per_round = "; ".join(
            f"round {r.number}: {r.agreed} of {r.statements}" for r in rounds if r.statements
        )
        found.append(
            f"By the end, {agreed} of {_count(statements, 'statement')} "
            f"{'was' if agreed == 1 else 'were'} agreed ({per_round})."
        )
    return found
