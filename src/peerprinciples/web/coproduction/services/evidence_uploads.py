"""Uploaded evidence files, kept between their check and the import the person confirms.

An upload is written to the import folder under a random token (never under the name it
came with), and the token is what the person's session remembers; the preview page posts it
back to confirm. On confirming, the kept files are read again from disk, so what is stored is
exactly what was checked. Files never confirmed are deleted once older than
:data:`KEEP_UPLOADS`, and at once when the person cancels or the import is stored.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings

from peerprinciples.web.errors import DomainError

KEEP_UPLOADS = 2 * 24 * 60 * 60
"""Seconds an upload is kept when the import is never confirmed."""

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
"""The largest evidence file taken (a REFI-QDA project with its sources' text)."""

_TOKEN = re.compile(r"[0-9a-f]{32}")


class Chunked(Protocol):
    """An uploaded file: Django's ``UploadedFile`` or anything with ``chunks()`` and a name."""

    name: str | None

    def chunks(self) -> Iterator[bytes]: ...


class UploadGone(DomainError):
    """The kept upload is no longer there (deleted after two days, or already imported)."""

    def __init__(self) -> None:
        super().__init__(
            "The uploaded file is no longer kept: it was imported already, cancelled, or not "
            "confirmed within two days. Upload it again."
        )


class UploadTooLarge(DomainError):
    """An uploaded file is larger than :data:`MAX_UPLOAD_BYTES`."""


@dataclass(frozen=True)
class KeptFile:
    """One kept upload: where it waits and the name it came with."""

    path: Path
    name: str


def upload_folder() -> Path:
    """Where evidence uploads wait: ``evidence`` in the import folder."""
    configured = getattr(settings, "PEERPRINCIPLES_IMPORT_DIR", None)
    base = Path(configured) if configured else Path(settings.DATA_DIR) / "imports"
    folder = base / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune(folder: Path) -> None:
    cutoff = time.time() - KEEP_UPLOADS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""


def keep(files: Sequence[Chunked]) -> tuple[str, list[KeptFile]]:
    """Write uploaded files to the upload folder under a new token; returns the token and
    the kept files, in the order given. Raises :class:`UploadTooLarge` (keeping nothing)."""
    folder = upload_folder()
    _prune(folder)
    token = secrets.token_hex(16)
    kept: list[KeptFile] = []
    try:
        for index, upload in enumerate(files):
            name = Path(upload.name or f"file-{index + 1}").name
            path = folder / f"{token}-{index}{_suffix(name)}"
            size = 0
            with path.open("wb") as handle:
                kept.append(KeptFile(path, name))
                for block in upload.chunks():
                    size += len(block)
                    if size > MAX_UPLOAD_BYTES:
                        raise UploadTooLarge(
                            f"{name} is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. "
                            "Export the project without its audio, video and pictures, or "
                            "export the codebook alone."
                        )
                    handle.write(block)
    except BaseException:
        for file in kept:
            file.path.unlink(missing_ok=True)
        raise
    return token, kept


def kept_files(token: str, names: Sequence[str]) -> list[KeptFile]:
    """The files kept under ``token`` (with the names they came with), or
    :class:`UploadGone`. The token is checked to be one this module made, so it can never
    point outside the upload folder."""
    if not _TOKEN.fullmatch(token):
        raise UploadGone
    folder = upload_folder()
    found = []
    for index, name in enumerate(names):
        path = folder / f"{token}-{index}{_suffix(name)}"
        if not path.is_file():
            raise UploadGone
        found.append(KeptFile(path, name))
    return found


def discard(token: str) -> None:
    """Delete every file kept under ``token``."""
    if not _TOKEN.fullmatch(token):
        return
    for path in upload_folder().glob(f"{token}-*"):
        path.unlink(missing_ok=True)
