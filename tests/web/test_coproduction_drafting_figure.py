"""The coverage diagram's CSS: the <img> of the SVG scales to its box and to a phone."""

from __future__ import annotations

import re
from pathlib import Path

import peerprinciples.web


def test_the_coverage_diagram_scales_to_its_box() -> None:
    # The <img> of the SVG would otherwise keep the SVG's own 960 px width (the browser
    # test checks a 375 px phone does not scroll sideways).
    css = (Path(peerprinciples.web.__file__).parent / "static/peerprinciples/site.css").read_text()
    rule = re.search(r"\.chart > img \{([^}]*)\}", css)
    assert rule is not None
    assert "max-width: 100%" in rule.group(1)
    assert "height: auto" in rule.group(1)
