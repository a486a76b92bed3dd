"""The checked ratings table, the names of its columns, and what every reader of it needs.

A :class:`RatingsTable` is what :func:`~peerprinciples.core.ratings.read_ratings` returns: the
ratings of one file in the long layout, with the instrument's keys as categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from peerprinciples.core.instruments import Instrument

Layout = Literal["auto", "long", "wide"]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

KEY_COLUMNS = ("interview", "informant", "rater")
"""Columns both layouts need."""

LONG_COLUMNS = ("interview", "informant", "item", "rating", "rater")
"""Columns the long layout needs."""

OPTIONAL_COLUMNS = ("service", "peer_worker", "round", "date")
"""Columns either layout may have."""

CONSENSUS_RATER = "consensus"
"""The rater name that marks the agreed rating of two or more raters."""

INTERVIEW_ATTRIBUTES = ("informant", "service", "peer_worker", "round")
"""Columns that must have the same value on every row of an interview."""


@dataclass(frozen=True)
class RatingsTable:
    """A checked, normalised ratings table in the long layout.

    ``data`` has one row per rating, in the order of the source, with the columns:

    ``interview``, ``rater``, ``service``, ``peer_worker``, ``round``
        categorical text; the optional ones are missing when the source lacks them;
    ``informant``, ``item``
        categorical, with the instrument's keys as categories (in instrument order);
    ``rating``
        float, the point of the scale, or missing when a special code was given;
    ``code``
        categorical, the special code (the instrument's codes as categories), or missing;
    ``date``
        datetime, or missing;
    ``row``
        the row of the source as a spreadsheet shows it (header = row 1).
    """

    data: pd.DataFrame
    instrument: Instrument
    source: str
    layout: Literal["long", "wide"]
    columns: tuple[str, ...]
    """The optional columns the source had."""
    notes: tuple[str, ...] = field(default=())

    @property
    def n_ratings(self) -> int:
        """The number of ratings (rows of ``data``)."""
        return len(self.data)

    @property
    def n_interviews(self) -> int:
        """The number of distinct interviews."""
        return int(self.data["interview"].nunique())

    @property
    def raters(self) -> list[str]:
        """The rater names, without the consensus marker."""
        names = self.data["rater"].cat.categories
        return [str(name) for name in names if name != CONSENSUS_RATER]

    @property
    def has_consensus(self) -> bool:
        """Whether the table gives agreed ratings (rater ``consensus``)."""
        return bool((self.data["rater"] == CONSENSUS_RATER).any())


def asked_matrix(instrument: Instrument) -> BoolArray:
    """Which items are asked of which informants.

    Parameters
    ----------
    instrument
        The instrument.

    Returns
    -------
    numpy.ndarray
        A boolean matrix, informants × items in instrument order: true where the item is
        asked of the informant.
    """
    informant_keys = [inf.key for inf in instrument.informants]
    asked = np.zeros((len(informant_keys), len(instrument.items)), dtype=bool)
    for j, item in enumerate(instrument.items):
        for key in item.informants:
            if key in informant_keys:
                asked[informant_keys.index(key), j] = True
    return asked


def first_rows(codes: IntArray, n_groups: int) -> IntArray:
    """The position of the first row of each group, without a loop per row.

    Parameters
    ----------
    codes
        The group of each row, from 0 to ``n_groups − 1``; −1 for a row in no group.
    n_groups
        How many groups there are.

    Returns
    -------
    numpy.ndarray
        For each group, the position of its first row, or −1 when it has none.
    """
    first = np.full(n_groups + 1, len(codes), dtype=np.intp)
    np.minimum.at(first, np.where(codes >= 0, codes, n_groups), np.arange(len(codes)))
    result: IntArray = np.where(first[:-1] < len(codes), first[:-1], -1)
    return result
