"""Text fields of request bodies, as the schema declares them.

A database cannot store every string JSON can carry: PostgreSQL refuses the NUL character,
so a field that lets one through would fail deep inside a service. The schema refuses it at
the door instead (a 422 naming the field), as Django's form fields do. Lengths match the
columns; what a value must look like (a code's letters, an item's scale) stays with the
services, so there is one rule and one message.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

Line = Annotated[str, Field(pattern=r"^[^\x00]*$")]
"""Any text but the NUL character."""

Code = Annotated[Line, Field(max_length=40)]
"""A service's or a peer worker's code (the services check its letters)."""
