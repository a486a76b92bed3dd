"""Small-number suppression: which summaries of a table to hide so no small group shows.

The rule
--------
People who see aggregates only never see a summary of fewer than ``minimum`` interviews.
Hiding the small group alone is not enough when its total and its other members are shown,
because the hidden number could then be worked out by subtraction. So:

1. Every group with ``0 < n < minimum`` is hidden (:data:`SMALL`), and so is every group
   named in ``also`` that holds interviews (:data:`FEW_WORKERS`: hidden for another reason,
   such as being about too few peer workers).
2. For every margin and the groups that add up to it along one axis:

   * when the margin is shown, the hidden groups among them could be worked out together
     from it, so there must be none, or at least two that cover ``minimum`` interviews or
     more between them;
   * when the margin is hidden, at least one of its groups must be hidden too, or the
     margin could be added up again.

3. Where a rule fails, the smallest shown group (or else the margin) is hidden as well
   (:data:`LINKED`), and the rules are checked again until all hold.

This is the usual iterative heuristic for complementary cell suppression in statistical
tables with margins; it hides more than an optimal pattern might, never less than the
rules require. It needs no database: the web pages pass it the counts they read, and it is
tested on plain dictionaries.

A group is a tuple with one value per axis (for the results pages: service, round and
informant); ``None`` on an axis means the group sums over it (a margin).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping

SMALL = "small"
"""Why a summary is hidden: it covers fewer interviews than the threshold."""

LINKED = "linked"
"""Why a summary is hidden: otherwise a small group could be worked out by subtraction."""

FEW_WORKERS = "few-peer-workers"
"""Why a summary is hidden: its interviews are about too few peer workers, so it would
describe one person's practice."""

OTHERS = "others"
"""Why a summary is hidden from a reader whose rights cover some services only: it holds
too few interviews from the other services, which the reader could work out by taking away
their own services' interviews."""

Key = tuple[Hashable | None, ...]
"""A group: one value per axis, ``None`` on the axes it sums over."""


def partitions(keys: Iterable[Key]) -> list[tuple[Key, list[Key]]]:
    """Every margin with the groups that add up to it along one axis, in a stable order.

    A margin that several axes add up to appears once per axis.
    """
    groups: dict[tuple[Key, int], list[Key]] = defaultdict(list)
    for key in keys:
        for axis, value in enumerate(key):
            if value is not None:
                margin: Key = (*key[:axis], None, *key[axis + 1 :])
                groups[(margin, axis)].append(key)
    return sorted(
        ((margin, sorted(cells, key=repr)) for (margin, _), cells in groups.items()),
        key=lambda entry: repr(entry[0]),
    )


def suppress(
    counts: Mapping[Key, int], minimum: int, *, also: Iterable[Key] = ()
) -> dict[Key, str]:
    """Which groups to hide, and why, so that no group of fewer than ``minimum`` shows.

    Parameters
    ----------
    counts
        The number of interviews of every group, margins included.
    minimum
        The smallest number of interviews a shown summary may cover.
    also
        Groups to hide for another reason (:data:`FEW_WORKERS`) when they hold interviews.

    Returns
    -------
    dict
        The hidden groups, each with :data:`SMALL`, :data:`FEW_WORKERS` or :data:`LINKED`
        (see the module's docstring for the rule).
    """
    hidden = {key: SMALL for key, n in counts.items() if 0 < n < minimum}
    for key in also:
        if counts.get(key, 0) > 0:
            hidden.setdefault(key, FEW_WORKERS)
    margins = partitions(counts)
    changed = True
    while changed:
        changed = False
        for margin, members in margins:
            cells = [c for c in members if counts[c] > 0]
            if not cells:
                continue
            covered = [c for c in cells if c in hidden]
            shown = [c for c in cells if c not in hidden]
            if margin in hidden:
                exposed = not covered
            else:
                exposed = len(covered) == 1 or (
                    len(covered) > 1 and sum(counts[c] for c in covered) < minimum
                )
            if not exposed:
                continue
            target = min(shown, key=lambda c: (counts[c], repr(c))) if shown else margin
            hidden[target] = LINKED
            changed = True
    return hidden


def few_workers(
    workers: Mapping[Key, int], least: int, keys: Iterable[Key] | None = None
) -> list[Key]:
    """The groups about some peer workers, but fewer than ``least``.

    ``workers`` counts the different peer workers of every group; ``keys``, when given,
    limits the answer to those groups.
    """
    chosen = None if keys is None else set(keys)
    return [
        key for key, n in workers.items() if 0 < n < least and (chosen is None or key in chosen)
    ]
