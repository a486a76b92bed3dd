"""Writing a published framework, adaptation or instrument as YAML a person can read.

The file is meant to be opened, read and kept, as well as read back by
``peerprinciples framework validate``: fields come in the order of the built-in files (key,
version, title, ..., then the lists), the version is always quoted (``"1"`` read unquoted
would be a number, which the format refuses), long texts are written as folded blocks
(``>-``) wrapped near 88 columns, texts with line breaks as literal blocks (``|-``), and
empty optional fields are left out.
"""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel

BLOCK_FROM = 72
"""Texts at least this long are written as folded blocks rather than on one line."""

_WIDTH = 88

_ALWAYS_KEPT = frozenset({"key", "version", "title", "definition", "project"})
"""Fields written even when empty, so that a missing text is reported as empty, not absent."""


class _Quoted(str):
    """A text written in double quotes whatever it looks like."""


class _Dumper(yaml.SafeDumper):
    """The safe dumper, with the text styles described in the module's docstring."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list entries under their field, as the built-in files do.
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    if len(text) >= BLOCK_FROM:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=">")
    return dumper.represent_str(text)


def _represent_quoted(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style='"')


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Quoted, _represent_quoted)


def to_yaml(document: BaseModel) -> str:
    """``document`` (a framework, an adaptation or an instrument) as readable YAML.

    The result is read back to an equal model: ``model_validate(yaml.safe_load(text))``
    gives ``document`` again.
    """
    return yaml_text(document.model_dump(mode="python", exclude_none=True))


def yaml_text(data: dict[str, Any]) -> str:
    """Plain data (as a document's fields) written the way :func:`to_yaml` writes it."""
    pruned = _prune(data)
    if isinstance(pruned.get("version"), str):
        pruned["version"] = _Quoted(pruned["version"])
    return yaml.dump(
        pruned,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=_WIDTH,
        default_flow_style=False,
    )


def _prune(data: dict[str, Any], *, keyed: bool = False) -> dict[str, Any]:
    """``data`` without empty optional fields; ``keyed`` marks a mapping whose keys are the
    document's own (principle keys in a provenance record): its entries stay even when
    empty, since the key itself says something."""
    kept: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, dict):
            value = _prune(value, keyed=name == "principles" and "project" in data)
        elif isinstance(value, list):
            value = [_prune(v) if isinstance(v, dict) else v for v in value]
        if value is None:
            continue
        # A framework's empty list of principles stays, to be reported as empty.
        keep = keyed or name in _ALWAYS_KEPT or (name == "principles" and isinstance(value, list))
        if not keep and value in ("", [], {}):
            continue
        kept[name] = value
    return kept
