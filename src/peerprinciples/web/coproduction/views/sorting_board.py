"""What the group sort's pages and a member's own sort share: moving cards between piles,
and adding, changing and removing piles.

Each page that shows a sort gives these functions its sort and a function drawing the page
again (:data:`Redraw`), so a refused change is shown on the page it came from, with the
sort as it is now. Moves come from a plain form (every card's select, several moves in one
submit) or from the page's script, which asks for JSON and posts one card at a time; both go
through :func:`place`, and so through the same service and the same version check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from peerprinciples.web.coproduction.forms.sorting import pile_form, read_moves, remove_form
from peerprinciples.web.coproduction.services import sorting as services
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit


class Redraw(Protocol):
    """Draws a sort's page (``page`` is ``board`` or ``piles``) with extra context."""

    def __call__(self, page: str, status: int, **extra: Any) -> HttpResponse: ...


def wants_json(request: HttpRequest) -> bool:
    """Whether the page's script sent the request (it asks for JSON)."""
    return "application/json" in request.headers.get("Accept", "")


def editing_context(
    owner: services.SortOwner, *, place_url: str, piles_url: str, editable: bool
) -> dict[str, Any]:
    """What the shared board and pile templates need."""
    shown = services.board(owner)
    return {
        "board": shown,
        "pile_choices": [(entry.pile.pk, entry.pile.label) for entry in shown.piles],
        "place_url": place_url,
        "piles_url": piles_url,
        "editable": editable,
        "unsorted_value": services.UNSORTED,
        "new_pile_form": pile_form(None, shown.version),
    }


def pile_forms(
    shown: services.Board, bound: Mapping[int, Any] | None = None
) -> list[tuple[services.PileOfCards, Any, Any]]:
    """Each pile with its change and remove forms (a bound one where ``bound`` has it)."""
    bound = bound or {}
    rows = []
    for entry in shown.piles:
        pk = entry.pile.pk
        change = bound.get(pk, {}).get("change") or pile_form(entry.pile, shown.version)
        remove = bound.get(pk, {}).get("remove") or remove_form(
            entry.pile, len(entry.cards), shown.version
        )
        rows.append((entry, change, remove))
    return rows


def _moved_message(placed: services.Placed) -> str:
    if not placed.moves:
        return "Nothing moved: every card was already where you chose."
    if len(placed.moves) == 1:
        move = placed.moves[0]
        where = f"in “{move.pile.label}”" if move.pile else "not in a pile"
        return f"Card {move.card.number} is now {where}."
    return f"{len(placed.moves)} cards moved."


def _json_moves(placed: services.Placed) -> list[dict[str, Any]]:
    return [
        {
            "card": move.card.pk,
            "number": move.card.number,
            "pile": move.pile.pk if move.pile else None,
            "label": move.pile.label if move.pile else "",
        }
        for move in placed.moves
    ]


def place(
    request: HttpRequest,
    user: Any,
    owner: services.SortOwner,
    *,
    done_url: str,
    redraw: Redraw,
) -> HttpResponse:
    """Move the posted cards. A plain form is sent back to ``done_url`` with a message, or
    shown again (409 when someone changed the sort meanwhile, 400 for a bad form); the
    script gets JSON with the moves and the new version, or with the reason for a refusal."""
    as_json = wants_json(request)
    try:
        version, moves = read_moves(request.POST)
        placed = services.place_cards(user, owner, moves, expected_version=version)
    except StaleEdit as error:
        return _refused(request, as_json, redraw, str(error), 409)
    except InvalidInput as error:
        text = " ".join(error.problems.values())
        return _refused(request, as_json, redraw, text, 400, error.problems)
    except DomainError as error:
        return _refused(request, as_json, redraw, str(error), 409)
    message = _moved_message(placed)
    if as_json:
        return JsonResponse(
            {"version": placed.version, "moves": _json_moves(placed), "message": message}
        )
    messages.success(request, message)
    return redirect(done_url)


def _refused(
    request: HttpRequest,
    as_json: bool,
    redraw: Redraw,
    text: str,
    status: int,
    problems: Mapping[str, str] | None = None,
) -> HttpResponse:
    if as_json:
        return JsonResponse({"error": text, "problems": dict(problems or {})}, status=status)
    messages.error(request, text)
    return redraw("board", status)


BACK = {"board", "piles"}
"""The pages a pile form can be on, so a refused form is shown where it was filled in."""


def piles(
    request: HttpRequest,
    user: Any,
    owner: services.SortOwner,
    *,
    urls: Mapping[str, str],
    redraw: Redraw,
) -> HttpResponse:
    """Add, change or remove a pile, as the posted ``do`` says; ``urls`` gives the address of
    the ``board`` and ``piles`` pages to go back to."""
    data = request.POST
    back = data.get("back") if data.get("back") in BACK else "piles"
    do = data.get("do", "")
    if do == "add":
        return _add(request, user, owner, urls, back, redraw)
    if do in ("change", "remove") and str(data.get("pile", "")).isdigit():
        return _change_or_remove(request, user, owner, urls, do, int(data["pile"]), redraw)
    messages.error(
        request, "The form did not say what to do with which pile. Use the buttons on the page."
    )
    return redraw(back, 400)


def _stale(request: HttpRequest, redraw: Redraw, page: str, error: DomainError) -> HttpResponse:
    messages.error(request, str(error))
    return redraw(page, 409)


def _add(
    request: HttpRequest,
    user: Any,
    owner: services.SortOwner,
    urls: Mapping[str, str],
    back: str,
    redraw: Redraw,
) -> HttpResponse:
    form = pile_form(None, owner.version, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            pile = services.add_pile(
                user,
                owner,
                label=data["label"],
                notes=data["notes"],
                expected_version=data["version"],
            )
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            return _stale(request, redraw, back, error)
        else:
            messages.success(
                request, f"The pile “{pile.label}” is added. Move cards into it below."
            )
            return redirect(f"{urls[back]}#pile-{pile.pk}")
    return redraw(back, 400, new_pile_form=form)


def _change_or_remove(
    request: HttpRequest,
    user: Any,
    owner: services.SortOwner,
    urls: Mapping[str, str],
    do: str,
    pile_id: int,
    redraw: Redraw,
) -> HttpResponse:
    shown = services.board(owner)
    entry = next((e for e in shown.piles if e.pile.pk == pile_id), None)
    if entry is None:
        messages.error(
            request,
            "That pile is not in this sort any more: someone may have removed it. The piles "
            "below are as they are now.",
        )
        return redraw("piles", 409)
    action: Callable[[], str]
    if do == "change":
        form: Any = pile_form(entry.pile, shown.version, request.POST)

        def action() -> str:
            data = form.cleaned_data
            pile = services.change_pile(
                user,
                owner,
                pile_id,
                label=data["label"],
                notes=data["notes"],
                expected_version=data["version"],
            )
            return f"The pile “{pile.label}” is saved."

    else:
        form = remove_form(entry.pile, len(entry.cards), shown.version, request.POST)

        def action() -> str:
            back = services.remove_pile(
                user, owner, pile_id, expected_version=form.cleaned_data["version"]
            )
            went = ""
            if back:
                went = f" Its {back} card{'s are' if back != 1 else ' is'} unsorted again."
            return f"The pile “{entry.pile.label}” is removed.{went}"

    if form.is_valid():
        try:
            message = action()
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            return _stale(request, redraw, "piles", error)
        else:
            messages.success(request, message)
            return redirect(urls["piles"])
    return redraw("piles", 400, bound={pile_id: {do: form}})
