"""The actions of a cycle, drawn inside the cycle's page.

``{% looking_back cycle access %}`` shows the earlier cycles' actions that this cycle reviews
(it opens the cycle's page); ``{% cycle_actions cycle access %}`` shows the actions agreed in
this cycle and the form to add one.
"""

from __future__ import annotations

from typing import Any

from django import template

from peerprinciples.web.permissions import Access
from peerprinciples.web.reflection.models import Cycle

register = template.Library()


@register.inclusion_tag("reflection/_looking_back.html")
def looking_back(cycle: Cycle, access: Access) -> dict[str, Any]:
    """The earlier actions this cycle looks back at (none yet)."""
    return {"cycle": cycle, "access": access}


@register.inclusion_tag("reflection/_cycle_actions.html")
def cycle_actions(cycle: Cycle, access: Access) -> dict[str, Any]:
    """The actions agreed in this cycle (none yet)."""
    return {"cycle": cycle, "access": access}
