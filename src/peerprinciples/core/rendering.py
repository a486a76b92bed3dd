"""Readable renderings of frameworks and instruments, as plain text or Markdown.

An instrument is shown per informant as an interview guide: the questions that informant is
asked, grouped by principle, with prompts and the anchors the rater uses.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from peerprinciples.core.frameworks import Change, Framework, Value
from peerprinciples.core.instruments import Instrument, Item

WIDTH = 92


class _Writer:
    """Writes headings, paragraphs and lists as Markdown or as wrapped plain text."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.lines: list[str] = []

    def heading(self, text: str, level: int) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        if self.markdown:
            self.lines.append(f"{'#' * level} {text}")
        else:
            self.lines.append(text.upper() if level == 1 else text)
            self.lines.append(("=" if level <= 2 else "-") * min(len(text), WIDTH))
        self.lines.append("")

    def paragraph(self, text: str, indent: str = "") -> None:
        if not text:
            return
        if self.markdown:
            self.lines.append(" ".join(text.split()))
        else:
            self.lines += textwrap.wrap(
                " ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent
            )
        self.lines.append("")

    def bullets(self, entries: list[str], marker: str = "-", indent: str = "") -> None:
        for entry in entries:
            first = f"{indent}{marker} "
            if self.markdown:
                self.lines.append(f"{first}{' '.join(entry.split())}")
            else:
                self.lines += textwrap.wrap(
                    " ".join(entry.split()),
                    WIDTH,
                    initial_indent=first,
                    subsequent_indent=" " * len(first),
                )
        if entries:
            self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def render_framework(framework: Framework, *, markdown: bool = False) -> str:
    """The framework as a readable document."""
    w = _Writer(markdown)
    w.heading(f"{framework.title} ({framework.ref})", 1)
    if framework.provenance and framework.provenance.synthetic:
        w.paragraph(SYNTHETIC_NOTICE)
    if framework.extends:
        w.paragraph(f"A local adaptation of {framework.extends}.")
    w.paragraph(framework.summary)
    if framework.values:
        w.heading("Values", 2)
        w.bullets(
            [f"{v.title}{_scope_note(v)}: {v.description}".rstrip(": ") for v in framework.values]
        )
    w.heading("Principles", 2)
    for number, principle in enumerate(framework.principles, start=1):
        local = " (local)" if principle.scope == "local" else ""
        w.heading(f"{number}. {principle.title}{local}", 3)
        w.paragraph(principle.definition)
        w.bullets(principle.aspects)
        themes = framework.themes_for(principle.key)
        if themes:
            w.paragraph("Across this principle: " + "; ".join(t.title for t in themes) + ".")
    if framework.themes:
        w.heading("Across all principles", 2)
        for theme in framework.themes:
            w.heading(theme.title, 3)
            w.paragraph(theme.description)
    if framework.citation:
        w.heading("Source", 2)
        doi = f" https://doi.org/{framework.citation.doi}" if framework.citation.doi else ""
        w.paragraph(framework.citation.text + doi)
    w.paragraph(framework.notice)
    if framework.provenance:
        _render_provenance(w, framework)
    return w.text()


SYNTHETIC_NOTICE = (
    "Synthetic example: this framework was made from made-up data to demonstrate the "
    "software. It describes no real panel or review; do not cite it or use it in practice."
)


def _scope_note(value: Value) -> str:
    if value.scope != "local":
        return ""
    return f" (local: {value.community})" if value.community else " (local)"


def _render_provenance(w: _Writer, framework: Framework) -> None:
    record = framework.provenance
    assert record is not None
    w.heading("How this version was made", 2)
    published = f", published {record.published.isoformat()}" if record.published else ""
    synthetic = " from synthetic demonstration data" if record.synthetic else ""
    w.paragraph(f"Co-produced in the project {record.project}{synthetic}{published}.")
    w.paragraph(record.methods)
    titles = framework.titles()
    for key, trail in record.principles.items():
        w.heading(f"Behind {titles.get(key, key)}", 3)
        lines = []
        if trail.categories:
            lines.append("Review categories: " + "; ".join(trail.categories))
        if trail.piles:
            lines.append("Panel piles and clusters: " + "; ".join(trail.piles))
        if trail.values:
            lines.append("Values it protects: " + ", ".join(trail.values))
        for entry in trail.rounds:
            share = (
                f"{entry.share_agreeing:.0%} agreeing"
                if entry.share_agreeing is not None
                else "no ratings"
            )
            median = f", median {entry.median:g}" if entry.median is not None else ""
            verdict = "agreed" if entry.agreed else "not agreed"
            lines.append(f"Round {entry.number}: {share}{median}, {verdict}")
        if trail.agreed_in is not None:
            lines.append(f"Agreed in round {trail.agreed_in}")
        w.bullets(lines or ["Nothing recorded."])


def render_interview_guide(
    instrument: Instrument,
    framework: Framework,
    informant: str | None = None,
    *,
    markdown: bool = False,
) -> str:
    """The instrument as an interview guide for each informant (or one)."""
    w = _Writer(markdown)
    w.heading(f"{instrument.title} ({instrument.ref})", 1)
    w.paragraph(instrument.description)
    w.paragraph(instrument.notice)
    w.paragraph(f"Tied to the framework {framework.title} ({framework.ref}).")
    if instrument.codes:
        w.paragraph(
            "Instead of a rating, a rater may give: "
            + "; ".join(f"{c.code} = {c.label}" for c in instrument.codes)
            + "."
        )
    informants = [instrument.informant(informant)] if informant else instrument.informants
    for person in informants:
        w.heading(f"Interview guide: {person.title}", 2)
        w.paragraph(person.description)
        for domain in instrument.domains:
            items = [i for i in instrument.items_in(domain.key) if person.key in i.informants]
            if not items:
                continue
            principles = ", ".join(framework.principle(k).title for k in domain.principles)
            w.heading(f"{domain.title} (principle: {principles})", 3)
            w.paragraph(domain.description)
            for item in items:
                _render_item(w, instrument, item, person.key)
    return w.text()


def _render_item(w: _Writer, instrument: Instrument, item: Item, informant: str) -> None:
    question = item.informants[informant]
    flags = [
        label
        for label, on in (("reverse-keyed", item.reverse), ("optional", not item.required))
        if on
    ]
    label = f"[{item.key}]{' (' + ', '.join(flags) + ')' if flags else ''}"
    w.paragraph(f"{label} {question.question}")
    if question.prompts:
        w.bullets([f"Prompt: {p}" for p in question.prompts], indent="  ")
    scale = instrument.scale(item.scale)
    w.bullets(
        [
            f"{point} {scale.anchors[point]}: {instrument.anchor(item, point)}"
            if item.anchors
            else f"{point} {scale.anchors[point]}"
            for point in scale.points
        ],
        marker="*",
        indent="    ",
    )


def render_changes(base: Framework, other: Framework, changes: list[Change]) -> str:
    """A diff of two frameworks as readable lines."""
    lines = [
        f"{base.ref} -> {other.ref}" + (f" (extends {other.extends})" if other.extends else "")
    ]
    if not changes:
        lines.append("  no differences in values, principles, themes or translations")
    for change in changes:
        lines.append(f"  {change}")
        lines += list(_before_after(change))
    return "\n".join(lines) + "\n"


def _before_after(change: Change) -> Iterator[str]:
    if change.kind == "reworded":
        yield f"      before: {_short(change.before)}"
        yield f"      after:  {_short(change.after)}"


def _short(value: object, limit: int = 160) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
