"""An RCMap project as plain data: the card sort, the ratings and their scales."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peerprinciples.core.coproduction.cardsort import CardSort, StatementRating
from peerprinciples.core.coproduction.problems import Problem

STATEMENTS = "Statements.csv"
SORTED_CARDS = "SortedCards.csv"
RATINGS = "Ratings.csv"
DEMOGRAPHICS = "Demographics.csv"
FILES = (STATEMENTS, SORTED_CARDS, RATINGS, DEMOGRAPHICS)
"""The four files of an RCMap project, under the names RCMap looks for."""

_WHOLE = re.compile(r"[0-9]+")


def whole_number(text: str) -> str | None:
    """The canonical form of a whole number written as text (``"007"`` -> ``"7"``), or
    ``None`` when the text is not one. RCMap numbers statements, so ``7`` in a pile and
    ``007`` in the statements file are the same card."""
    return str(int(text)) if _WHOLE.fullmatch(text) else None


@dataclass(frozen=True)
class RCMapProject:
    """What an RCMap project's files hold.

    ``cardsort`` has the statements under the ids the Statements file gave them, every
    sorter's piles, and in ``groups`` each person's answers from the Demographics file
    (keyed by the codes in that file: the raters', and the sorters' where a project uses
    the same codes for both). ``ratings`` holds every rating given, in the order of the
    Ratings file; a rating left out (``NA`` or an empty cell) is simply absent. ``scales``
    names the rating columns in order, empty when the project has no Ratings file.

    ``warnings`` are things worth knowing that do not stop the import (a rater missing
    from the Demographics file); they are about the files, not the data, so two projects
    with the same data are equal whatever their warnings.
    """

    cardsort: CardSort
    ratings: tuple[StatementRating, ...] = ()
    scales: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def raters(self) -> tuple[str, ...]:
        """Everyone who gave at least one rating, in the order they first appear."""
        return tuple(dict.fromkeys(rating.rater for rating in self.ratings))
