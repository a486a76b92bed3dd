"""Where the RCMap test files are, and reference readings of them made with pandas alone.

A small panel of our own (``fixtures/rcmap_panel``) runs everywhere. The public RCMap
projects (the NCATS evaluation panel and RCMap's sample project) are found under the shared
data folder: ``PEERPRINCIPLES_SHARED_DATA``, by default ``../shared/data`` from the
repository; tests that need them are skipped when they are not there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

PANEL = Path(__file__).parent / "fixtures" / "rcmap_panel"
REPOSITORY = Path(__file__).resolve().parents[2]
SHARED_PROJECTS = {"ncats": "RCMap_DataNCATS_", "sample": "RCMap_sampleproject_"}
"""The shared projects, by the prefix of their file names."""


def shared_folder() -> Path:
    """The shared folder of RCMap files, or a skip when it is not there."""
    base = Path(os.environ.get("PEERPRINCIPLES_SHARED_DATA", REPOSITORY / ".." / "shared" / "data"))
    folder = base / "cardsort"
    if not folder.is_dir():
        pytest.skip("The shared RCMap files are not here; set PEERPRINCIPLES_SHARED_DATA.")
    return folder


def reference_ratings(path: Path) -> pd.DataFrame:
    """The ratings given, one per row (rater, statement, scale, value), read by pandas:
    ``NA`` and empty cells are ratings not given."""
    wide = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    wide = wide.rename(columns={wide.columns[0]: "rater", wide.columns[1]: "statement"})
    long = wide.melt(id_vars=["rater", "statement"], var_name="scale", value_name="text")
    long = long[~long["text"].str.strip().isin(["", "NA"])].copy()
    long["value"] = pd.to_numeric(long["text"])
    return long.drop(columns="text")


def reference_piles(path: Path) -> pd.DataFrame:
    """Every card placed, one per row (sorter, pile row, card), read with pandas."""
    width = max(line.count(",") for line in path.read_text(encoding="utf-8-sig").splitlines())
    table = pd.read_csv(path, header=None, names=range(width + 1), dtype=str)
    table["row"] = range(1, len(table) + 1)
    cards = table.melt(id_vars=[0, 1, "row"], value_name="card").dropna(subset=["card"])
    cards["card"] = cards["card"].str.strip()
    cards = cards[cards["card"] != ""]
    return cards.rename(columns={0: "sorter", 1: "label"})[["sorter", "row", "card"]]
