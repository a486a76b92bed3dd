"""Produce the one-factor minres reference loadings with factor_analyzer 0.5.1.

factor_analyzer 0.5.1 calls scikit-learn's ``check_array(force_all_finite=...)``, which
scikit-learn 1.9 no longer accepts, so it cannot run in the project's environment. This script
was run once in a separate, throwaway virtual environment and its output pasted into
``reference_values.py`` (``FACTOR_ANALYZER_LOADINGS``)::

    python3.11 -m venv refenv   # outside any project environment
    refenv/bin/pip install factor-analyzer==0.5.1 pingouin==0.7.0 pandas numpy
    refenv/bin/pip install scikit-learn==1.5.2   # after pingouin, which pulls in 1.9
    cd tests/psychometrics && ../../refenv/bin/python factor_analyzer_reference.py

(versions used: factor_analyzer 0.5.1, scikit-learn 1.5.2, scipy 1.17.1, numpy 2.4.6, pandas
3.1.1, pingouin 0.7.0, Python 3.11.7). It is not collected by pytest.

Two sets of loadings are printed per dataset:

``default``
    ``FactorAnalyzer(n_factors=1, rotation=None, method="minres").fit(...)`` exactly as a user
    would call it. Its L-BFGS-B optimiser stops with the loadings about 1e-5 from the optimum.
``tight``
    factor_analyzer's own minres objective (``FactorAnalyzer._fit_uls_objective``), start
    values (``1 - smc``), bounds ``(0.005, 1)`` and loading normalisation
    (``FactorAnalyzer._normalize_uls``), with only the optimiser's stopping tolerances
    tightened, so the optimum is reached to about 1e-8.

Data with missing values are analysed from the pairwise correlation matrix
(``is_corr_matrix=True``), which is what ``nan_policy="pairwise"`` does. Signs are flipped so
that the loadings sum to a positive number.
"""

from __future__ import annotations

import datasets
import numpy as np
from factor_analyzer import FactorAnalyzer
from factor_analyzer.utils import smc
from scipy.optimize import minimize


def positive(loadings: np.ndarray) -> list[float]:
    loadings = np.asarray(loadings, dtype=float).ravel()
    return [float(x) for x in loadings * np.sign(loadings.sum())]


def default_loadings(frame) -> list[float]:
    analyzer = FactorAnalyzer(n_factors=1, rotation=None, method="minres")
    if frame.isna().to_numpy().any():
        analyzer = FactorAnalyzer(n_factors=1, rotation=None, method="minres", is_corr_matrix=True)
        analyzer.fit(frame.corr().to_numpy())
    else:
        analyzer.fit(frame)
    return positive(analyzer.loadings_)


def tight_loadings(frame) -> list[float]:
    corr = frame.corr().to_numpy()
    p = corr.shape[0]
    start = (np.diag(corr) - smc(corr).T).squeeze()
    result = minimize(
        FactorAnalyzer._fit_uls_objective,
        start,
        method="L-BFGS-B",
        bounds=[(0.005, 1)] * p,
        options={"maxiter": 100000, "ftol": 1e-16, "gtol": 1e-12},
        args=(corr.copy(), 1),
    )
    return positive(FactorAnalyzer._normalize_uls(result.x, corr.copy(), 1))


def omega(loadings: list[float]) -> float:
    lam = np.asarray(loadings)
    return float(lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum()))


if __name__ == "__main__":
    frames = {
        "hand_items": datasets.hand_items(),
        "latent_items": datasets.latent_items(),
        "latent_items_missing": datasets.latent_items_missing(),
        "pingouin_alpha_wide": datasets.pingouin_alpha_wide(),
        "big_five": datasets.big_five(),
    }
    print("FACTOR_ANALYZER_LOADINGS = {")
    for name, frame in frames.items():
        tight = tight_loadings(frame)
        print(f"    {name!r}: {{")
        print(f"        'items': {[str(c) for c in frame.columns]!r},")
        print(f"        'default': {default_loadings(frame)!r},")
        print(f"        'tight': {tight!r},")
        print(f"        'omega_tight': {omega(tight)!r},")
        print("    },")
    print("}")
