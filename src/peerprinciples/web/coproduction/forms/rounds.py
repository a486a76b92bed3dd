"""Forms of the drafting-round pages: the consensus rule, opening a round, the ballot and
the research team's answer to a round's comments.

The forms read what is typed; the services check the rest (the rule can be applied, no
round is open, the round is still open when a ballot arrives, nobody saved meanwhile).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.services.rounds import MAX_COMMENT, Entry
from peerprinciples.web.errors import InvalidInput


class RuleForm(forms.Form):
    """The consensus rule, set before the first round opens."""

    scale_low = forms.IntegerField(label="Lowest point of the scale", min_value=0, max_value=99)
    scale_high = forms.IntegerField(label="Highest point of the scale", min_value=1, max_value=100)
    agree_from = forms.IntegerField(
        label="Agreeing from",
        help_text="Ratings from this point to the top of the scale count as agreeing.",
    )
    disagree_to = forms.IntegerField(
        label="Disagreeing up to",
        help_text="Ratings from the bottom of the scale to this point count as disagreeing.",
    )
    min_share_percent = forms.IntegerField(
        label="Share that must agree (percent)", min_value=1, max_value=100
    )
    min_median = forms.FloatField(label="Lowest median that can agree")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def for_project(cls, project: models.Project, data: Any = None) -> RuleForm:
        initial = {
            "scale_low": project.scale_low,
            "scale_high": project.scale_high,
            "agree_from": project.agree_from,
            "disagree_to": project.disagree_to,
            "min_share_percent": project.min_share_percent,
            "min_median": project.min_median,
            "version": project.version,
        }
        return cls(data, initial=initial, prefix="rule", auto_id="rule_%s")

    def add_problems(self, error: InvalidInput) -> None:
        for name, message in error.problems.items():
            self.add_error(None if name not in self.fields else name, message)


class OpenForm(forms.Form):
    """Open the next round, with a few words to the panel."""

    introduction = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Introduction to the panel",
        help_text="What this round asks and what changed since the last one.",
    )


class ChangeNoteForm(forms.Form):
    """The research team's answer to one statement's comments and result."""

    text = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What we changed and why",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


NOT_RATED = "none"
"""The value of the "I'd rather not rate this" choice."""


def read_ballot(
    data: Mapping[str, Any], statements: Iterable[models.RoundStatement]
) -> tuple[dict[int, Entry], dict[str, str], dict[int, tuple[str, str]]]:
    """The entries of a ballot form, problems by statement key, and what was typed for each
    statement (to show back). ``statements`` are the ones the ballot shows; a field naming
    any other statement is passed on for the service to refuse."""
    entries: dict[int, Entry] = {}
    problems: dict[str, str] = {}
    typed: dict[int, tuple[str, str]] = {}
    keys = {s.pk for s in statements}
    for name in data:
        if name.startswith("rating-"):
            try:
                keys.add(int(name.removeprefix("rating-")))
            except ValueError:
                continue
    for key in sorted(keys):
        raw = str(data.get(f"rating-{key}", "")).strip()
        comment = str(data.get(f"comment-{key}", ""))
        typed[key] = (raw, comment)
        if len(comment) > MAX_COMMENT:
            problems[str(key)] = f"Keep the comment to {MAX_COMMENT} characters."
        if raw == NOT_RATED:
            entries[key] = Entry(None, comment)
        elif raw == "":
            problems.setdefault(
                str(key), "Choose a rating for this statement, or “I'd rather not rate this”."
            )
        else:
            try:
                entries[key] = Entry(int(raw), comment)
            except ValueError:
                problems[str(key)] = "Choose one of the points of the scale."
    return entries, problems, typed
