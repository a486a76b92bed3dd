"""Applying a local adaptation's changes to one keyed list of its base document.

Frameworks and reflection guides are adapted the same way: an adaptation adds entries,
removes, renames (where the list has titles) or rewords them, naming each by its key, and
never copies the base. This is the one place those changes are applied, so a mistake reads
the same in either kind of document: a change to a key the base does not have names the
base's keys; an added key the base (or another addition) already has is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from pydantic import BaseModel

from peerprinciples.core.documents import DocPath, Problem, YamlDocument


class KeyedEntry(Protocol):
    """An entry an adaptation adds: it has a key and dumps to a plain dict."""

    @property
    def key(self) -> str: ...

    def model_dump(self) -> dict[str, Any]: ...


def apply_changes(
    entries: list[dict[str, Any]],
    changes: Any,
    *,
    label: str,
    base: str,
    path: DocPath,
    document: YamlDocument,
    problems: list[Problem],
) -> list[dict[str, Any]]:
    """``entries`` (the base's list, as dicts) with ``changes`` applied, in the base's order
    with additions last; problems are appended to ``problems``.

    ``changes`` has ``add``, ``remove`` and ``reword`` (and ``rename``, key to new title,
    where the entries have titles). ``label`` names one entry (``principle``,
    ``condition``), ``base`` the base document (``framework``, ``guide``) in messages, and
    ``path`` is where the changes stand in ``document``.
    """
    by_key = {entry["key"]: dict(entry) for entry in entries}
    base_keys = ", ".join(by_key) or "none"

    def unknown(where: DocPath, key: str, verb: str) -> None:
        problems.append(
            document.problem(
                where,
                f"cannot {verb} the {label} '{key}': the base {base} has no such {label} "
                f"(it has: {base_keys}).",
                f"use one of the base's {label} keys, or add it under '{path[0]}.add'.",
            )
        )

    removed: Sequence[str] = changes.remove
    for index, key in enumerate(removed):
        if by_key.pop(key, None) is None:
            unknown((*path, "remove", index), key, "remove")
    renamed: Mapping[str, str] = getattr(changes, "rename", {})
    for key, title in renamed.items():
        if key in by_key:
            by_key[key]["title"] = title
        else:
            unknown((*path, "rename", key), key, "rename")
    reworded: Mapping[str, BaseModel] = changes.reword
    for key, reword in reworded.items():
        if key in by_key:
            by_key[key].update(reword.model_dump(exclude_none=True))
        else:
            unknown((*path, "reword", key), key, "reword")
    added: Sequence[KeyedEntry] = changes.add
    for index, entry in enumerate(added):
        if entry.key in by_key:
            problems.append(
                document.problem(
                    (*path, "add", index, "key"),
                    f"the {label} '{entry.key}' already exists in the base {base} or is "
                    "added twice.",
                    f"choose a new key, or change the existing one under '{path[0]}.reword'.",
                )
            )
        else:
            by_key[entry.key] = entry.model_dump()
    return list(by_key.values())
