"""The concept map's defaults, in a module that imports nothing.

The command line shows these numbers in its help, so it reads them every time any
``peerprinciples`` command starts. The modules that use them load SciPy and scikit-learn,
which take a second or more to import; reading the numbers from here keeps that cost for
the commands that draw a map. The modules that use them import them from here, so each
number is written down once.
"""

from __future__ import annotations

DEFAULT_CLUSTERS = range(3, 16)
"""The solutions computed unless asked otherwise: 3 to 15 clusters."""

DEFAULT_STARTS = 8
"""Scaling runs: the classical start and seven random ones."""

DEFAULT_SEED = 1989
"""The seed of the random starts and of the resamples, so a map can be drawn again."""

DEFAULT_RESAMPLES = 20
"""Bootstrap resamples of the sorters for each solution's stability."""
