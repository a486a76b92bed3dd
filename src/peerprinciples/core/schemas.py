"""JSON Schemas of the document formats, generated from the pydantic models.

The generated schemas are also shipped as files (``data/schemas``) so editors and other
tools can check documents without running Python; a test keeps the files up to date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from peerprinciples.core.frameworks import Adaptation, Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import builtin_folder
from peerprinciples.core.reflection.model import GuideAdaptation, ReflectionGuide

SchemaKind = Literal[
    "framework", "adaptation", "instrument", "reflection-guide", "reflection-adaptation"
]
MODELS: dict[str, type[BaseModel]] = {
    "framework": Framework,
    "adaptation": Adaptation,
    "instrument": Instrument,
    "reflection-guide": ReflectionGuide,
    "reflection-adaptation": GuideAdaptation,
}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one document format."""
    schema = MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://peerprinciples.org/schemas/{kind}.schema.json"
    return schema


def schema_file(kind: str) -> Path:
    """Where the shipped schema of ``kind`` lives."""
    return builtin_folder() / "schemas" / f"{kind}.schema.json"


def write_schema_files() -> list[Path]:
    """Regenerate the shipped schema files; returns their paths."""
    paths = []
    for kind in MODELS:
        path = schema_file(kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(json_schema(kind), indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_schema_files():
        print(written)
