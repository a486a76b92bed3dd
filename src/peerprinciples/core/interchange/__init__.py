"""Moving instruments and evaluation data in and out of other systems.

Each module handles one family of formats:

``exports``
    an evaluation's ratings and scores as CSV (long and wide), XLSX, SPSS ``.sav`` and Stata
    ``.dta`` with variable labels, value labels and declared missing values;
``codebook``
    the codebook of those files (HTML and CSV), and the rules that name variables and give
    special codes their numeric values;
``redcap``
    an instrument as a REDCap data dictionary, a REDCap data dictionary as a draft instrument,
    and REDCap records as a ratings table;
``fhir`` and ``xlsform``
    instruments as FHIR Questionnaires and XLSForms, and their responses as ratings.

The formats are described in ``docs/interchange.md`` and ``docs/fhir-xlsform.md``.

Every file is written whole or not at all (:func:`atomic_write`): a failure never leaves a
partial file behind, and an existing file is only replaced once the new one is complete.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from peerprinciples.core.documents import DocumentError, YamlDocument, validation_problems
from peerprinciples.core.instruments import Instrument

__all__ = ["InstrumentDraft", "atomic_write", "draft_instrument"]

ProblemT = TypeVar("ProblemT")


def draft_instrument(source: str, data: dict[str, Any]) -> Instrument:
    """An imported draft as an :class:`Instrument` (its structure only; references unchecked).

    Raises
    ------
    DocumentError
        When the draft does not have the structure of an instrument.
    """
    model, problems = validation_problems(YamlDocument(source, data), Instrument)
    if problems or not isinstance(model, Instrument):
        raise DocumentError(problems)
    return model


@dataclass(frozen=True)
class InstrumentDraft(Generic[ProblemT]):
    """An instrument drafted from another system's form, with what could not be carried over.

    Each importer subclasses it with its own kind of problem (one that says where, in that
    system's terms) and describes its attributes.
    """

    source: str
    data: dict[str, Any]
    unmapped: tuple[ProblemT, ...] = ()
    notes: tuple[str, ...] = ()

    def instrument(self) -> Instrument:
        """The draft as an :class:`Instrument` (its structure only; references unchecked).

        Raises
        ------
        DocumentError
            When the draft does not have the structure of an instrument.
        """
        return draft_instrument(self.source, self.data)


def atomic_write(path: Path | str, write: Callable[[Path], object]) -> Path:
    """Write a file through a temporary file in the same folder, then move it into place.

    Parameters
    ----------
    path
        The file to write. Its folder is created when missing.
    write
        Called with the temporary path; it must write the whole file there. The temporary
        name keeps the suffix of ``path``, for writers that look at it.

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    The move is :func:`os.replace`, which is atomic on one file system, so readers see either
    the old file or the complete new one. When ``write`` raises, the temporary file is
    removed and the exception propagates; ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.stem}.{secrets.token_hex(4)}.tmp{target.suffix}")
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target
