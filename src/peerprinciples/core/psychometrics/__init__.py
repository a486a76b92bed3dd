"""Psychometrics for fidelity instruments: spread, internal consistency, inter-rater reliability.

Pure Python (numpy, scipy, pandas); never imports Django. Inputs are pandas DataFrames,
outputs are frozen dataclasses with ``to_dict()``. Every data problem raises a
:class:`PsychometricsError` (a ``ValueError``) that says what is wrong and how to fix it.
See ``docs/psychometrics.md`` for formulas, defaults and their sources.
"""

from ._errors import (
    ConstantItemError,
    NoDataError,
    NonNumericDataError,
    OutOfScaleError,
    PsychometricsError,
    SingleRaterError,
    TooFewCasesError,
    TooFewItemsError,
)
from ._quality_results import (
    DomainQuality,
    ItemQuality,
    QualityFlag,
    QualityReport,
)
from ._results import (
    AlphaResult,
    ConfidenceInterval,
    FleissKappaResult,
    IccEstimate,
    IccResult,
    ItemLoading,
    ItemSpread,
    ItemTotalStatistics,
    KappaResult,
    KrippendorffResult,
    OmegaResult,
    PercentAgreementResult,
    ScalePoint,
    ScoreSpread,
)
from .consistency import cronbach_alpha, mcdonald_omega
from .intraclass import icc
from .kappa import cohen_kappa, fleiss_kappa
from .krippendorff import krippendorff_alpha
from .percent import percent_agreement
from .quality import quality_summary
from .spread import item_spread
from .thresholds import QualityThresholds

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
