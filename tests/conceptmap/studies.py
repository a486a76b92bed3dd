"""Card sorts for the concept-map tests: small ones written here, and RCMap's two example
studies read from the shared data folder when it is there.

The shared folder is ``$PEERPRINCIPLES_SHARED_DATA`` or, by default, ``../shared/data`` beside
the repository; tests that need it are skipped when it is missing. Every behaviour is also
covered by the small sorts, so the suite never depends on the shared files alone.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from peerprinciples.core.coproduction.cardsort import CardSort, Pile, Sort

REPOSITORY = Path(__file__).resolve().parents[2]

STATEMENTS = {
    "1": "Peer workers draw on their own experience of mental distress",
    "2": "Lived experience is valued as a kind of expertise",
    "3": "Support is offered as between equals",
    "4": "Power is shared in the relationship",
    "5": "The person supported chooses what support they want",
    "6": "Peer workers are supervised by someone with lived experience",
    "7": "Training covers telling one's own story safely",
    "8": "The organisation protects the peer role from drift",
}


def peer_values() -> CardSort:
    """Eight statements about peer support sorted by five panel members.

    P03 left statement 8 unsorted; P04 spelled one label with odd spacing and capitals.
    """
    return CardSort(
        STATEMENTS,
        (
            Sort(
                "P01",
                (
                    Pile("Lived experience", ("1", "2", "7")),
                    Pile("Equality", ("3", "4", "5")),
                    Pile("Organisation", ("6", "8")),
                ),
            ),
            Sort(
                "P02",
                (
                    Pile("Lived experience", ("1", "2")),
                    Pile("Equal relationships", ("3", "4")),
                    Pile("Choice", ("5",)),
                    Pile("Support for peers", ("6", "7", "8")),
                ),
            ),
            Sort(
                "P03",
                (
                    Pile("Experience", ("1", "2", "7")),
                    Pile("Equality", ("3", "4", "5")),
                    Pile("Supervision", ("6",)),
                ),
            ),
            Sort(
                "P04",
                (
                    Pile("lived  EXPERIENCE", ("1", "2", "6", "7")),
                    Pile("Equality", ("3", "4", "5")),
                    Pile("Organisation", ("8",)),
                ),
            ),
            Sort(
                "P05",
                (
                    Pile("Lived experience", ("1", "2")),
                    Pile("Mutuality", ("3", "4", "5")),
                    Pile("Organisation", ("6", "7", "8")),
                ),
            ),
        ),
    )


def shared_data() -> Path:
    """The shared data folder, or a skip when it is missing."""
    folder = Path(
        os.environ.get("PEERPRINCIPLES_SHARED_DATA", str(REPOSITORY.parent / "shared" / "data"))
    )
    if not (folder / "cardsort").is_dir():
        pytest.skip("the shared card-sort data (RCMap example studies) are not available")
    return folder


def rcmap_study(name: str) -> CardSort:
    """One of RCMap's example studies (``DataNCATS`` or ``sampleproject``) as a card sort.

    ``Statements.csv`` has a header (StatementID, Statement); ``SortedCards.csv`` has none: a
    sorter, a pile label, then the pile's card numbers, with blank cells and spaces to skip.
    """
    folder = shared_data() / "cardsort"
    with (folder / f"RCMap_{name}_Statements.csv").open(encoding="utf-8-sig", newline="") as f:
        statements = {row["StatementID"].strip(): row["Statement"] for row in csv.DictReader(f)}
    piles: dict[str, list[Pile]] = {}
    with (folder / f"RCMap_{name}_SortedCards.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            cards = tuple(cell.strip() for cell in row[2:] if cell.strip())
            piles.setdefault(row[0].strip(), []).append(Pile(row[1].strip(), cards))
    return CardSort(statements, tuple(Sort(code, tuple(p)) for code, p in piles.items()))
