"""The core never imports Django, and the shipped JSON Schemas match the models.

The import-linter contracts in pyproject.toml (run by ``make lint``) check the same rule,
and the layers and the core's freedom from import circles, on the static import graph. The
test here imports every core module for real, so it also catches what a static graph
cannot see: a module imported by name at run time, or a library that pulls Django in.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import peerprinciples.core
from peerprinciples.core.schemas import MODELS, json_schema, schema_file


def test_no_core_module_imports_django_or_the_layers_above() -> None:
    modules = [
        m.name for m in pkgutil.walk_packages(peerprinciples.core.__path__, "peerprinciples.core.")
    ]
    modules.append("peerprinciples.psychometrics")
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "above = ('django', 'peerprinciples.web', 'peerprinciples.cli')\n"
        "inside = tuple(name + '.' for name in above)\n"
        "leaked = sorted(m for m in sys.modules if m in above or m.startswith(inside))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert len(modules) > 5
    assert result.stdout.strip() == "", f"the core imported: {result.stdout}"


def test_the_shipped_schemas_are_up_to_date() -> None:
    for kind in MODELS:
        shipped = json.loads(schema_file(kind).read_text(encoding="utf-8"))
        assert shipped == json_schema(kind), (
            f"{schema_file(kind).name} is stale: run python -m peerprinciples.core.schemas"
        )
