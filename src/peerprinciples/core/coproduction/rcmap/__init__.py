"""RCMap's four CSV files in and out (R-CMap, Bar & Mentch 2017).

RCMap is the open concept-mapping program in R that many panels use; a project is a folder
of four files:

- ``Statements.csv``: ``StatementID,Statement``, a row per statement card;
- ``SortedCards.csv``: no header; a row per pile: sorter id, pile label, card numbers;
- ``Ratings.csv`` (optional): ``RaterID,StatementID`` and a column per rating scale;
- ``Demographics.csv`` (optional): ``RaterID`` and a column per descriptive question.

:func:`read_rcmap` checks them all together and gives an :class:`RCMapProject`;
:func:`write_rcmap` writes one back, so a round trip gives the same data. The layout is
documented for people in ``docs/coproduction-files.md``.

References
----------
1. Bar, H., & Mentch, L. (2017). R-CMap: An open-source software for concept mapping.
   *Evaluation and Program Planning*, 60, 284-292. https://doi.org/10.1016/j.evalprogplan.2016.08.018
"""

from peerprinciples.core.coproduction.rcmap.project import (
    DEMOGRAPHICS,
    FILES,
    RATINGS,
    SORTED_CARDS,
    STATEMENTS,
    RCMapProject,
)
from peerprinciples.core.coproduction.rcmap.reading import Source, read_rcmap, read_rcmap_folder
from peerprinciples.core.coproduction.rcmap.writing import write_rcmap, write_rcmap_folder

__all__ = [
    "DEMOGRAPHICS",
    "FILES",
    "RATINGS",
    "SORTED_CARDS",
    "STATEMENTS",
    "RCMapProject",
    "Source",
    "read_rcmap",
    "read_rcmap_folder",
    "write_rcmap",
    "write_rcmap_folder",
]
