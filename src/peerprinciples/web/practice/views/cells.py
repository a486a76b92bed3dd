"""One cell of the matrix (its page and form), the programme's own prompt for it, the
matrix as CSV, and the history pages.

A cell's page gives the principle and the area for context, then the prompt, then the form.
The form carries the cell's version: a save over someone else's change is refused as a
whole, and the page shows what they saved beside what was typed, which stays in the form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.practice import matrix_files
from peerprinciples.core.practice.prompts import CellPrompt, Source, prompts_for
from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProgrammeAccess,
    ProgrammeAction,
    programme_access_for,
    requires,
)
from peerprinciples.web.practice.forms.cells import CellForm, PromptForm
from peerprinciples.web.practice.models import Area, Cell
from peerprinciples.web.practice.services import action_links
from peerprinciples.web.practice.services import cells as services
from peerprinciples.web.practice.services.grid import (
    STATUS_MARKS,
    STATUS_WORDS,
    Row,
    find_row,
)
from peerprinciples.web.practice.services.matrix import matrix_of
from peerprinciples.web.practice.views.base import programme_context


def _place(access: ProgrammeAccess, area_key: str, principle: str) -> tuple[Area, Row]:
    """The cell's area and row, or 404 when the programme has no such area or principle."""
    area = services.programme_area(access.programme, area_key)
    if area is None:
        raise Http404("This programme has no such area.")
    row = find_row(access.programme.framework.model(), access.programme, principle)
    if row is None:
        raise Http404("The programme's framework version has no such principle.")
    return area, row


def _prompt(access: ProgrammeAccess, area: Area, principle: str) -> CellPrompt | None:
    framework = access.programme.framework.model()
    return prompts_for(framework, matrix_of(access.programme)).get((area.key, principle))


def _what(row: Row) -> str:
    """The word for the row in labels and messages: a theme's row is not a principle."""
    return "theme" if row.kind == "theme" else "principle"


def _initial(cell: Cell | None) -> dict[str, Any]:
    if cell is None:
        return {"status": "", "version": 0}
    return {
        "text": cell.text,
        "evidence": cell.evidence,
        "status": cell.status,
        "why": cell.why,
        "holder": cell.holder,
        "version": cell.version,
    }


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_http_methods(["GET", "POST"])
def cell(request: HttpRequest, programme_id: int, area: str, principle: str) -> HttpResponse:
    """The cell with its principle, area and prompt; members who write the matrix save it."""
    needed = (
        ProgrammeAction.EDIT_CELLS if request.method == "POST" else ProgrammeAction.VIEW_PROGRAMME
    )
    access = programme_access_for(request, programme_id, needed)
    found_area, row = _place(access, area, principle)
    current = services.find_cell(found_area, row.key)
    if request.method == "GET":
        return _cell_page(
            request,
            access,
            found_area,
            row,
            current,
            CellForm(initial=_initial(current), what=_what(row)),
        )
    form = CellForm(request.POST, what=_what(row))
    if form.is_valid():
        data = form.cleaned_data
        given = services.CellText(
            text=data["text"],
            evidence=data["evidence"],
            status=data["status"],
            why=data["why"],
            holder=data["holder"],
        )
        try:
            services.save_cell(
                request.user,
                found_area,
                row.key,
                given,
                version=data["version"],
                what=_what(row),
            )
        except StaleEdit as error:
            messages.error(request, error.kept)
            theirs = services.find_cell(found_area, row.key)
            kept = CellForm(
                initial={**data, "version": theirs.version if theirs else 0}, what=_what(row)
            )
            return _cell_page(
                request, access, found_area, row, theirs, kept, theirs=theirs, mine=data, status=409
            )
        except InvalidInput as error:
            form.add_problems(error)
        except services.NothingToSave as error:
            messages.info(request, str(error))
            return redirect("practice:cell", programme_id, found_area.key, row.key)
        else:
            messages.success(request, f"The cell “{row.title}” × “{found_area.title}” is saved.")
            return redirect("practice:cell", programme_id, found_area.key, row.key)
    return _cell_page(request, access, found_area, row, current, form, status=400)


def _cell_page(
    request: HttpRequest,
    access: ProgrammeAccess,
    area: Area,
    row: Row,
    current: Cell | None,
    form: CellForm,
    *,
    theirs: Cell | None = None,
    mine: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    shown_status = current.status if current else ""
    context = programme_context(
        access,
        "matrix",
        area=area,
        row=row,
        cell=current,
        form=form,
        prompt=_prompt(access, area, row.key),
        linked=action_links.linked_actions(request.user, current),
        local=Source.LOCAL,
        status_words=STATUS_WORDS[shown_status],
        status_mark=STATUS_MARKS[shown_status],
        theirs=theirs,
        theirs_status=STATUS_WORDS[theirs.status] if theirs else "",
        mine=mine,
        mine_status=STATUS_WORDS.get(mine["status"], "") if mine else "",
    )
    return render(request, "practice/cell.html", context, status=status)


@requires(ProgrammeAction.MANAGE_PROGRAMME)
@require_http_methods(["GET", "POST"])
def prompt(request: HttpRequest, programme_id: int, area: str, principle: str) -> HttpResponse:
    """The lead writes, changes or removes the programme's own prompt for the cell."""
    access = programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    found_area, row = _place(access, area, principle)
    own = services.find_prompt(found_area, row.key)
    if request.method == "GET":
        initial = {"text": own.text if own else "", "version": own.version if own else 0}
        return _prompt_page(request, access, found_area, row, own, PromptForm(initial=initial))
    form = PromptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_prompt(
                request.user, found_area, row.key, data["text"], version=data["version"]
            )
        except StaleEdit as error:
            messages.error(request, error.kept)
            theirs = services.find_prompt(found_area, row.key)
            kept = PromptForm(initial={**data, "version": theirs.version if theirs else 0})
            return _prompt_page(
                request,
                access,
                found_area,
                row,
                theirs,
                kept,
                theirs=theirs,
                stale=True,
                status=409,
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request,
                "The programme's own prompt is saved."
                if saved
                else "The programme's own prompt is removed: the built-in one is shown again.",
            )
            return redirect("practice:cell", programme_id, found_area.key, row.key)
    return _prompt_page(request, access, found_area, row, own, form, status=400)


def _prompt_page(
    request: HttpRequest,
    access: ProgrammeAccess,
    area: Area,
    row: Row,
    own: Any,
    form: PromptForm,
    *,
    theirs: Any = None,
    stale: bool = False,
    status: int = 200,
) -> HttpResponse:
    framework = access.programme.framework.model()
    built_in = prompts_for(framework).get((area.key, row.key))
    context = programme_context(
        access,
        "matrix",
        area=area,
        row=row,
        own=own,
        built_in=built_in,
        form=form,
        theirs=theirs,
        stale=stale,
        cell_url=reverse("practice:cell", args=[access.programme.pk, area.key, row.key]),
    )
    return render(request, "practice/prompt.html", context, status=status)


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_GET
def matrix_csv(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    """The matrix as a long CSV file: one row per cell, written or not."""
    access = programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    programme = access.programme
    text = matrix_files.matrix_csv(matrix_of(programme), programme.framework.model())
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="practice-matrix-{programme.pk}.csv"'
    return response
