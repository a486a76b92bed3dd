"""The core never imports Django, and the shipped JSON Schemas match the models."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import peerprinciples.core
from peerprinciples.core.schemas import MODELS, json_schema, schema_file


def test_no_core_module_imports_django() -> None:
    modules = [
        m.name for m in pkgutil.walk_packages(peerprinciples.core.__path__, "peerprinciples.core.")
    ]
    modules.append("peerprinciples.psychometrics")
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
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
