"""The audit trail page: leads read and filter every change to their evaluation's data."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import trail
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import Action, access_for, requires

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    """What to narrow the trail to; every field is optional."""

    person = forms.CharField(required=False, label="Who (user name)")
    action = forms.ChoiceField(
        required=False,
        label="What was done",
        choices=[("", "Anything"), *AuditEvent.Action.choices],
    )
    kind = forms.ChoiceField(required=False, label="What it was done to", choices=[])
    since = forms.DateField(
        required=False, label="From (date)", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="Until (date)", widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(required=False, label="Words in the description")

    def __init__(self, *args: object, kinds: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", "Anything"), *[(k, k.split(".")[-1]) for k in kinds]]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if isinstance(since, dt.date) and isinstance(until, dt.date) and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data


@requires(Action.VIEW_AUDIT)
@require_GET
def log(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Every recorded change, newest first, with who, when, what and before/after."""
    access = access_for(request, evaluation_id, Action.VIEW_AUDIT)
    evaluation = access.evaluation
    kinds = sorted(
        AuditEvent.objects.filter(evaluation_id=evaluation.pk)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    form = AuditFilterForm(request.GET or None, kinds=kinds)
    events = trail(evaluation.pk)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = trail(
            evaluation.pk,
            person=data["person"],
            action=data["action"],
            kind=data["kind"],
            since=data["since"],
            until=data["until"],
            text=data["text"],
        )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = evaluation_context(access, "audit")
    context.update(
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": form.is_bound and any(v for k, v in request.GET.items() if k != "page"),
        }
    )
    return render(request, "audit/log.html", context)
