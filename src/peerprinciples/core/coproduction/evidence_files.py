"""Which reader a review's files need, told from their names, and reading them with it.

A review comes in as a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) from a QDA package,
or in the CSV layout of ``docs/coproduction-files.md``: its codebook file alone, or the
codebook and then its coded-sources file. The web upload and the command line both pick the
reader here, so a file is read the same way wherever it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from peerprinciples.core.coproduction import evidence_csv, refiqda
from peerprinciples.core.coproduction.evidence import Evidence
from peerprinciples.core.coproduction.problems import ImportProblems, Problem

READABLE = (".qdpx", ".qdc", ".csv")
"""What the first file of a review may end in."""

LAYOUT_NAMES = {
    "qdpx": "REFI-QDA project (.qdpx)",
    "qdc": "REFI-QDA codebook (.qdc)",
    "csv-codebook": "CSV layout: codebook only",
    "csv": "CSV layout: codebook and coded sources",
}
"""Each layout :func:`layout_of` tells apart, in words."""


def _problem(where: str, what: str, fix: str) -> ImportProblems:
    return ImportProblems([Problem(where, what, fix)])


def layout_of(names: Sequence[str]) -> str:
    """Which layout files of these names are in: ``qdpx``, ``qdc``, ``csv-codebook`` (a CSV
    codebook alone) or ``csv`` (a CSV codebook, then its coded-sources file).

    Raises
    ------
    ImportProblems
        For no file, a file of another kind, a second file that does not go with the first,
        or more than two files.
    """
    if not names:
        raise _problem("the upload", "No file was chosen.", "Choose the file to import.")
    suffix = Path(names[0]).suffix.lower()
    if suffix not in READABLE:
        raise _problem(
            names[0],
            "This is not a file the review can be imported from.",
            "Export the project from the QDA package as a REFI-QDA project (.qdpx) or "
            "codebook (.qdc), or save the codebook of the CSV layout as a .csv file.",
        )
    if len(names) == 1:
        return {".qdpx": "qdpx", ".qdc": "qdc", ".csv": "csv-codebook"}[suffix]
    if suffix != ".csv":
        raise _problem(
            names[1],
            "A second file goes only with a codebook in the CSV layout: a REFI-QDA file "
            "holds everything on its own.",
            "Import the REFI-QDA file alone, with no coded-sources file.",
        )
    if Path(names[1]).suffix.lower() != ".csv":
        raise _problem(
            names[1],
            "The coded-sources file of the CSV layout must be a .csv file.",
            "Save the sources sheet from the spreadsheet as 'CSV UTF-8'.",
        )
    if len(names) > 2:
        raise _problem(
            names[2],
            "A review is read from one REFI-QDA file, or from a CSV codebook and its "
            "coded-sources file: there is no third file.",
            "Give the codebook and the coded sources only.",
        )
    return "csv"


def read_evidence_files(paths: Sequence[Path], names: Sequence[str] | None = None) -> Evidence:
    """The review in the files, read by the core's reader for their layout.

    Parameters
    ----------
    paths
        The files, in the order :func:`layout_of` expects (a CSV codebook first).
    names
        The names problems give the files and the layout is told from (an upload's own
        names, when it is kept under another); by default the paths' names.

    Raises
    ------
    ImportProblems
        With every problem of the layout, every file that is not there, or every problem
        the reader found; nothing is read then.
    """
    shown = [path.name for path in paths] if names is None else list(names)
    layout = layout_of(shown)
    missing = [
        Problem(
            name,
            "The file cannot be opened: there is no such file.",
            "Check that the file exists, and its name and folder.",
        )
        for path, name in zip(paths, shown, strict=False)
        if not path.is_file()
    ]
    if missing:
        raise ImportProblems(missing)
    if layout == "qdpx":
        return refiqda.read_qdpx(paths[0], name=shown[0])
    if layout == "qdc":
        return refiqda.read_qdc(paths[0], name=shown[0])
    if layout == "csv-codebook":
        return evidence_csv.read_codebook_csv(paths[0], name=shown[0])
    return evidence_csv.read_evidence_csv(
        paths[0], paths[1], codebook_name=shown[0], sources_name=shown[1]
    )
