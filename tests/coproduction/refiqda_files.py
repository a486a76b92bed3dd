"""REFI-QDA files for the tests: the hand-written review project packed into a ``.qdpx``
archive (changed as a test needs), and the hand-written codebook."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "refiqda"
REVIEW = FIXTURES / "review"
CODEBOOK = FIXTURES / "review.qdc"

S1_TEXT = "sources/7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0201.txt"


def guid(tail: str) -> str:
    """A GUID of the review fixture by its last four digits (``"0011"`` is Trust)."""
    return f"7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E{tail}"


def project_xml() -> str:
    return (REVIEW / "project.qde").read_text(encoding="utf-8")


def codebook_xml() -> str:
    return CODEBOOK.read_text(encoding="utf-8")


def qdpx(
    project: str | bytes | None = None,
    *,
    members: dict[str, bytes] | None = None,
    leave_out: tuple[str, ...] = (),
    project_name: str = "project.qde",
) -> bytes:
    """The review as a ``.qdpx`` archive: ``project`` instead of its project.qde, extra
    ``members``, and ``leave_out`` members dropped."""
    files = {
        path.relative_to(REVIEW).as_posix(): path.read_bytes()
        for path in sorted(REVIEW.rglob("*"))
        if path.is_file()
    }
    if project is not None:
        files["project.qde"] = project.encode("utf-8") if isinstance(project, str) else project
    files.update(members or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            if name in leave_out:
                continue
            archive.writestr(project_name if name == "project.qde" else name, data)
    return buffer.getvalue()
