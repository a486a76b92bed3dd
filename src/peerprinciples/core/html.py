"""The core's self-contained HTML documents (the score report, the export codebook).

They are written without a web server, so the core draws them with Jinja2 from the templates
in ``core/templates``; this is the one environment for both, and the only place outside the
web layer that draws markup. Undefined names are errors, so a template that asks for a value
the code does not give fails a test instead of printing an empty cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2

ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("peerprinciples.core", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> str:
    """``template`` (a name in ``core/templates``) drawn with ``context``."""
    return ENVIRONMENT.get_template(template).render(**context)


def add_filter(name: str, function: Callable[..., str]) -> None:
    """Make ``function`` available to the templates as ``|name``."""
    ENVIRONMENT.filters[name] = function
