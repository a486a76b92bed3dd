"""The backup file: one tar archive holding ``manifest.json`` and the database copy.

One file, so the description can never be parted from the copy it describes; a tar archive,
so anyone can look inside with ``tar -tf`` and take the copy out with standard tools. The
copy is not compressed again: pg_dump's custom format is compressed already.
"""

from __future__ import annotations

import io
import os
import secrets
import tarfile
from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from peerprinciples.web.backups.manifest import Kind, Manifest
from peerprinciples.web.errors import DomainError

MANIFEST = "manifest.json"
MEMBERS: dict[Kind, str] = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(DomainError):
    """A backup or restore that cannot be done; the message says why and what to do."""


def owner_only_draft(beside: Path, suffix: str) -> Path:
    """A new empty file in ``beside``'s folder that only its owner may read or write."""
    path = beside.with_name(f".{beside.name}.{secrets.token_hex(4)}{suffix}")
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def write_archive(target: Path, manifest: Manifest, copy: Path) -> None:
    """Pack ``manifest`` and the database ``copy`` into ``target``, readable only by its
    owner: written beside it under a temporary name and moved into place, so ``target`` is
    either the old file or the whole new one."""
    draft = owner_only_draft(target, ".tar")
    try:
        with tarfile.open(draft, "w", format=tarfile.PAX_FORMAT) as archive:
            data = manifest.model_dump_json(indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(data), 0o600
            info.mtime = int(manifest.created_at.timestamp())
            archive.addfile(info, io.BytesIO(data))
            info = archive.gettarinfo(copy, arcname=MEMBERS[manifest.database])
            info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
            with copy.open("rb") as handle:
                archive.addfile(info, handle)
        os.replace(draft, target)
    except BaseException:
        draft.unlink(missing_ok=True)
        raise


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup at ``path``; refuses anything that is not a whole backup."""
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}; give the path of a file "
                          "'peerprinciples backup' wrote.")  # fmt: skip
    try:
        with tarfile.open(path, "r:") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            text = member.read()
            names = set(archive.getnames())
    except (tarfile.TarError, KeyError, EOFError, OSError) as error:
        raise BackupError(
            f"{path} is not a peerprinciples backup, or it is damaged ({error}); a backup is a "
            f"tar archive holding {MANIFEST} and the database copy. Use another copy."
        ) from None
    try:
        manifest = Manifest.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise BackupError(
            f"{path}: {MANIFEST} is not a backup manifest ({where}: {first['msg']}); the file "
            "was not written by 'peerprinciples backup', or it has been changed."
        ) from None
    if MEMBERS[manifest.database] not in names:
        raise BackupError(
            f"{path} holds a manifest but no {MEMBERS[manifest.database]}: the backup is "
            "incomplete. Use another copy."
        )
    return manifest


def extract_copy(
    path: Path, manifest: Manifest, into: Path, progress: Callable[[int], object] | None
) -> None:
    """Write the database copy held in the backup at ``path`` into the file ``into``."""
    try:
        with tarfile.open(path, "r:") as archive:
            member = archive.extractfile(MEMBERS[manifest.database])
            if member is None:
                raise KeyError(MEMBERS[manifest.database])
            with into.open("wb") as out:
                while block := member.read(1 << 20):
                    out.write(block)
                    if progress:
                        progress(len(block))
    except (tarfile.TarError, KeyError, EOFError) as error:
        raise BackupError(
            f"{path} is damaged: its database copy cannot be read ({error}). Use another copy."
        ) from None


def copy_size(path: Path, manifest: Manifest) -> int:
    """The size in bytes of the database copy inside the backup."""
    with tarfile.open(path, "r:") as archive:
        return archive.getmember(MEMBERS[manifest.database]).size
