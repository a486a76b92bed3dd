"""Where the shared public data sets are (real RCMap studies, REFI-QDA projects exported by
QDA packages): files the project tests against but does not ship.

The folder is the one ``PEERPRINCIPLES_SHARED_DATA`` names; otherwise the first
``shared/data`` folder beside the repository or beside one of the folders above it, so a
checkout kept next to the data finds it wherever it was cloned. Tests that need it are
skipped, with the reason, when it is not there.
"""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]


def shared_data() -> Path | None:
    """The shared data folder, or ``None`` when there is none."""
    named = os.environ.get("PEERPRINCIPLES_SHARED_DATA")
    if named:
        return Path(named) if Path(named).is_dir() else None
    for folder in REPOSITORY.parents:
        candidate = folder / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def shared_folder(name: str) -> Path:
    """A folder of the shared data (``cardsort``, ``refi-qda``); a missing one is a path
    that does not exist, for tests to skip on."""
    base = shared_data()
    return (base if base is not None else REPOSITORY / "shared-data-not-found") / name
