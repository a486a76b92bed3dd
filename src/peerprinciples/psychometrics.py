# ruff: noqa: F405
"""Public psychometrics API.

The implementation lives in :mod:`peerprinciples.core.psychometrics` (pure Python, no Django);
this module is the stable import path::

    from peerprinciples.psychometrics import cronbach_alpha, icc, quality_summary
"""

# The star import re-exports exactly the core package's __all__, which is repeated below.
from peerprinciples.core.psychometrics import *  # noqa: F403

__all__ = [
    "AlphaResult",
    "ConfidenceInterval",
    "ConstantItemError",
    "DomainQuality",
    "FleissKappaResult",
    "IccEstimate",
    "IccResult",
    "ItemLoading",
    "ItemQuality",
    "ItemSpread",
    "ItemTotalStatistics",
    "KappaResult",
    "KrippendorffResult",
    "NoDataError",
    "NonNumericDataError",
    "OmegaResult",
    "OutOfScaleError",
    "PercentAgreementResult",
    "PsychometricsError",
    "QualityFlag",
    "QualityReport",
    "QualityThresholds",
    "ScalePoint",
    "ScoreSpread",
    "SingleRaterError",
    "TooFewCasesError",
    "TooFewItemsError",
    "cohen_kappa",
    "cronbach_alpha",
    "fleiss_kappa",
    "icc",
    "item_spread",
    "krippendorff_alpha",
    "mcdonald_omega",
    "percent_agreement",
    "quality_summary",
]
