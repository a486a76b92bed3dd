"""The actions of a cycle, drawn inside the cycle's page.

``{% looking_back cycle access %}`` shows the earlier cycles' actions that this cycle reviews
(it opens the cycle's page); ``{% cycle_actions cycle access %}`` shows the actions agreed in
this cycle and the form to add one. Both draw nothing for someone who may not read what the
service's cycles say; the forms appear only to those who run the cycle, while it is open.
"""

from __future__ import annotations

from typing import Any

from django import template

from peerprinciples.web.permissions import Access, Action
from peerprinciples.web.reflection.forms.actions import (
    WHO_LIST,
    NewActionForm,
    look_back_rows,
    review_forms,
)
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import actions as services

register = template.Library()


def _rights(cycle: Cycle, access: Access) -> tuple[bool, bool]:
    """Whether the person may read the cycle's actions, and whether they may change them now."""
    reads = access.may(Action.READ_REFLECTIONS, cycle.service_id)
    runs = reads and access.may(Action.RUN_CYCLE, cycle.service_id)
    return reads, runs and cycle.status == Cycle.Status.OPEN


@register.inclusion_tag("reflection/_looking_back.html", takes_context=True)
def looking_back(context: template.Context, cycle: Cycle, access: Access) -> dict[str, Any]:
    """The earlier actions this cycle looks back at, newest cycle first, each with this
    cycle's review (a form while the cycle is open, for those who run it)."""
    reads, changes = _rights(cycle, access)
    if not reads:
        return {"shown": False}
    groups = services.looking_back(cycle)
    forms = review_forms(groups) if changes else {}
    return {
        "shown": True,
        "cycle": cycle,
        "groups": look_back_rows(groups, forms),
        "changes": changes,
        "heading": 3,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reflection/_cycle_actions.html", takes_context=True)
def cycle_actions(context: template.Context, cycle: Cycle, access: Access) -> dict[str, Any]:
    """The actions agreed in this cycle, and (while it is open, for those who run it) the
    form to add one."""
    reads, changes = _rights(cycle, access)
    if not reads:
        return {"shown": False}
    framework = services.framework_of(cycle)
    agreed = [
        (action, services.principle_name(action.principle, action.principle_title, framework))
        for action in cycle.actions.all()
    ]
    return {
        "shown": True,
        "cycle": cycle,
        "agreed": agreed,
        "changes": changes,
        "form": NewActionForm(principles=list(framework.titles().items())) if changes else None,
        "who_list": WHO_LIST,
        "who_suggestions": services.WHO_SUGGESTIONS,
        "csrf_token": context.get("csrf_token"),
    }
