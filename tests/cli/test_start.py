"""Every command starts without loading the libraries that only drawing a concept map needs.

SciPy's clustering and statistics and scikit-learn take a second or more to import; a
command that imports a ratings file, or asks for help, should not wait for them. The
command line is imported in a fresh interpreter, as a command starts, and the modules it
loaded are listed.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sklearn", "scipy.cluster", "scipy.stats")


def test_the_command_line_starts_without_the_concept_maps_libraries() -> None:
    code = "import sys, peerprinciples.cli.main; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(done.stdout.split())
    assert "peerprinciples.cli.concept_map" in loaded  # the map command is still registered
    assert not loaded & set(HEAVY), f"loaded at start: {sorted(loaded & set(HEAVY))}"
