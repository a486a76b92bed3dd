"""Public psychometrics API.

The implementation lives in :mod:`peerprinciples.core.psychometrics` (pure Python, no Django);
this module is the stable import path::

    from peerprinciples.psychometrics import cronbach_alpha, icc, quality_summary
"""

# Re-export exactly the core package's public names.
from peerprinciples.core.psychometrics import *  # noqa: F403
from peerprinciples.core.psychometrics import __all__ as __all__
