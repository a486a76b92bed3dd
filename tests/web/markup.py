"""Compare markup as a browser would see it: elements, attributes and text, in order."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tree(HTMLParser):
    """Elements, attributes and text in document order, without the spaces between tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append(("start", tag, *(f"{k}={v}" for k, v in sorted(attrs))))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        # A browser shows a run of white space as one space, so runs compare as one.
        if data.strip():
            self.events.append(("text", " ".join(data.split())))

    def handle_decl(self, decl: str) -> None:
        self.events.append(("declaration", decl.lower()))


def tree(html: str) -> list[tuple[str, ...]]:
    """The markup's elements (with their attributes sorted) and text, in document order."""
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser.events
