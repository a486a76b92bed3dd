"""The thresholds beyond which the quality summary flags a value, with their sources.

They are a module of their own because both the summary
(:func:`~peerprinciples.core.psychometrics.quality_summary`) and its result
(:class:`~peerprinciples.core.psychometrics.QualityReport`) need them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import PsychometricsError

__all__ = ["QualityThresholds"]


@dataclass(frozen=True, slots=True)
class QualityThresholds:
    """Thresholds beyond which :func:`quality_summary` flags a value.

    Set any threshold to ``None`` to switch that check off.

    Attributes
    ----------
    alpha_min : float or None, default 0.70
        Flag a domain whose Cronbach's alpha is below this. Nunnally (1978) recommends 0.70
        for instruments in early development; Terwee et al. (2007) use 0.70 as the lower
        bound of adequate internal consistency.
    alpha_max : float or None, default 0.95
        Flag a domain whose alpha is above this (items so alike that some may be redundant).
        Terwee et al. (2007) give 0.70–0.95 as the positive range.
    icc_min : float or None, default 0.60
        Flag an item or domain score whose ICC is below this. Cicchetti (1994): below 0.40
        poor, 0.40–0.59 fair, 0.60–0.74 good, 0.75 and above excellent.
    floor_ceiling_max_percent : float or None, default 15.0
        Flag more than this percentage of ratings at the lowest or highest scale point.
        Terwee et al. (2007) regard more than 15% at the floor or ceiling as a floor or ceiling
        effect (they state it for scale scores; here it is also applied to single items).
    item_total_min : float or None, default 0.30
        Flag an item whose corrected item–total correlation is below this; a widely used rule
        of thumb (e.g. Nunnally & Bernstein 1994).
    kappa_min : float or None, default 0.41
        Flag an item whose linearly weighted Cohen's kappa (two raters) is below this, i.e.
        below "moderate" agreement in Landis & Koch (1977): 0.21–0.40 fair, 0.41–0.60
        moderate, 0.61–0.80 substantial, 0.81–1.00 almost perfect.

    References
    ----------
    .. [1] Nunnally, J. C. (1978). Psychometric theory (2nd ed.). New York: McGraw-Hill.
    .. [2] Nunnally, J. C., & Bernstein, I. H. (1994). Psychometric theory (3rd ed.). New York:
           McGraw-Hill.
    .. [3] Cicchetti, D. V. (1994). Guidelines, criteria, and rules of thumb for evaluating
           normed and standardized assessment instruments in psychology. Psychological
           Assessment, 6(4), 284–290. https://doi.org/10.1037/1040-3590.6.4.284
    .. [4] Terwee, C. B., Bot, S. D. M., de Boer, M. R., et al. (2007). Quality criteria were
           proposed for measurement properties of health status questionnaires. Journal of
           Clinical Epidemiology, 60(1), 34–42. https://doi.org/10.1016/j.jclinepi.2006.03.012
    .. [5] Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for
           categorical data. Biometrics, 33(1), 159–174. https://doi.org/10.2307/2529310
    """

    alpha_min: float | None = 0.70
    alpha_max: float | None = 0.95
    icc_min: float | None = 0.60
    floor_ceiling_max_percent: float | None = 15.0
    item_total_min: float | None = 0.30
    kappa_min: float | None = 0.41

    def __post_init__(self) -> None:
        for name in ("alpha_min", "alpha_max", "icc_min", "item_total_min", "kappa_min"):
            value = getattr(self, name)
            if value is not None and not -1.0 <= value <= 1.0:
                raise PsychometricsError(
                    f"QualityThresholds: {name} must lie between -1 and 1 (or be None), "
                    f"got {value!r}."
                )
        percent = self.floor_ceiling_max_percent
        if percent is not None and not 0.0 <= percent <= 100.0:
            raise PsychometricsError(
                "QualityThresholds: floor_ceiling_max_percent is a percentage between 0 and "
                f"100 (or None), got {percent!r}."
            )
        if (
            self.alpha_min is not None
            and self.alpha_max is not None
            and self.alpha_min >= self.alpha_max
        ):
            raise PsychometricsError(
                f"QualityThresholds: alpha_min ({self.alpha_min}) must be below alpha_max "
                f"({self.alpha_max})."
            )

    def to_dict(self) -> dict[str, float | None]:
        """The thresholds as a plain mapping."""
        return {
            "alpha_min": self.alpha_min,
            "alpha_max": self.alpha_max,
            "icc_min": self.icc_min,
            "floor_ceiling_max_percent": self.floor_ceiling_max_percent,
            "item_total_min": self.item_total_min,
            "kappa_min": self.kappa_min,
        }
