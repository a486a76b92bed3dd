"""Expected numbers for the psychometrics tests, each beside the exact call that produced it.

Unless stated otherwise the calls ran in the project environment with pingouin 0.7.0,
scikit-learn 1.9.1, statsmodels 0.15.0, krippendorff 0.9.0, numpy 2.4.6, pandas 3.1.1 and
scipy 1.17.1, on the datasets in ``datasets.py``. The tests compare the live reference
packages with these pins too, so a package upgrade that changed a result is noticed.
pingouin rounds its confidence intervals for display; the unrounded bounds below were taken
with ``pingouin.options["round.column.CI95"] = None``.
"""

from __future__ import annotations

from typing import Any

# --- Cronbach's alpha --------------------------------------------------------------------------

# pingouin.cronbach_alpha(data=datasets.pingouin_missing())  (pingouin's own docstring example;
# R psych::alpha(data, use="pairwise") gives the same)
ALPHA_MISSING_PAIRWISE = 0.732660835214447
# pingouin.cronbach_alpha(data=datasets.pingouin_missing(), nan_policy="listwise")
ALPHA_MISSING_LISTWISE = 0.8016949152542373
# pingouin.cronbach_alpha(data=datasets.pingouin_alpha_wide())
ALPHA_PINGOUIN_WIDE = 0.5917188485995826
# pingouin.cronbach_alpha(data=datasets.latent_items())
ALPHA_LATENT = 0.7687265150199689
# pingouin.cronbach_alpha(data=datasets.hand_items())
ALPHA_HAND = 0.932620320855615
# pingouin.cronbach_alpha(data=datasets.pingouin_missing()) returns the CI rounded to 3 places:
ALPHA_MISSING_PAIRWISE_CI_ROUNDED = (0.435, 0.909)
# Feldt interval written out (scipy.stats.f), n = 12 cases, k = 11 items:
#   1 - (1 - 0.732660835214447) * f.isf(0.025, 11, 110)   and   ... * f.isf(0.975, 11, 110)
ALPHA_MISSING_PAIRWISE_CI = (0.4353104485448258, 0.9093629101644293)

# --- corrected item-total correlation and alpha if deleted ---------------------------------------

# scipy.stats.pearsonr(data["item_1"], data.drop(columns="item_1").sum(axis=1)).statistic
# with data = datasets.latent_items()
ITEM_TOTAL_LATENT_ITEM_1 = 0.3541125817766701
# pingouin.cronbach_alpha(data=datasets.latent_items().drop(columns="item_1"))[0]
ALPHA_IF_DELETED_LATENT_ITEM_1 = 0.775064880883449

# --- McDonald's omega (one-factor minres) --------------------------------------------------------

# Produced ONCE in a separate virtual environment with factor_analyzer 0.5.1 and
# scikit-learn 1.5.2 (factor_analyzer cannot run against scikit-learn 1.9 in the project
# environment) by the script tests/psychometrics/factor_analyzer_reference.py, whose docstring
# gives the exact commands:
#
#   cd tests/psychometrics && ../../refenv/bin/python factor_analyzer_reference.py
#
# "default": FactorAnalyzer(n_factors=1, rotation=None, method="minres").fit(data).loadings_
#            (for data with missing values: .fit(data.corr()) with is_corr_matrix=True)
# "tight":   the same objective, start values, bounds and normalisation with the L-BFGS-B
#            tolerances tightened (ftol=1e-16, gtol=1e-12, maxiter=100000)
# "omega_tight": (sum λ)² / ((sum λ)² + sum(1 - λ²)) of the tight loadings
# Signs are flipped so that the loadings sum to a positive number.
FACTOR_ANALYZER_LOADINGS: dict[str, dict[str, Any]] = {
    "hand_items": {
        "items": ["rel_1", "rel_2", "rel_3", "rel_4"],
        "default": [
            0.9226779610116247,
            0.967100321803522,
            0.8616693352317347,
            0.7756682547141277,
        ],
        "tight": [
            0.9226779528049827,
            0.9671003223356224,
            0.8616693495465653,
            0.7756682676926958,
        ],
        "omega_tight": 0.9346911708903112,
    },
    "latent_items": {
        "items": ["item_1", "item_2", "item_3", "item_4", "item_5", "item_6"],
        "default": [
            0.40585851641961007,
            0.5073903135806053,
            0.5968602955176504,
            0.6053008948459919,
            0.6974220985352555,
            0.7957107609466674,
        ],
        "tight": [
            0.4058584731895204,
            0.5073901707209312,
            0.5968600004894883,
            0.6053007786937334,
            0.6974227232496655,
            0.795710803235481,
        ],
        "omega_tight": 0.777072416281383,
    },
    "latent_items_missing": {
        "items": ["item_1", "item_2", "item_3", "item_4", "item_5", "item_6"],
        "default": [
            0.4055355813246015,
            0.502251573835082,
            0.5878322748084625,
            0.6070699169941922,
            0.7020937282214277,
            0.7870144008693456,
        ],
        "tight": [
            0.405535573067746,
            0.5022515558686459,
            0.5878321089949085,
            0.6070700893545882,
            0.7020937920788637,
            0.7870144266887225,
        ],
        "omega_tight": 0.7744686069055217,
    },
    "pingouin_alpha_wide": {
        "items": ["Q1", "Q10", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9"],
        "default": [
            0.7490447218598718,
            0.48164941016765406,
            0.8042517817037924,
            0.6987106897252631,
            0.5507343624346109,
            -0.08113130300988798,
            -0.03469155380388696,
            0.3064071064125136,
            0.17318452329883416,
            0.42615931548622377,
        ],
        "tight": [
            0.749045582495382,
            0.4816490606242418,
            0.8042507630245114,
            0.6987114221731805,
            0.550734363600058,
            -0.08113127172844259,
            -0.03469141092239459,
            0.3064071258703934,
            0.17318424494097792,
            0.42615917169996925,
        ],
        "omega_tight": 0.6900763260583646,
    },
    "big_five": {
        "items": ["Extraversion", "Openness", "Agreeableness", "Conscientiousness", "Stability"],
        "default": [
            0.40182790308296046,
            0.13833378775787766,
            0.21395006437000594,
            0.3991000310841402,
            0.8238377798381411,
        ],
        "tight": [
            0.40183028212522864,
            0.13833554881854263,
            0.21395108418703732,
            0.3991021125226827,
            0.8238277230168941,
        ],
        "omega_tight": 0.49828334201019947,
    },
}

# --- ICC -----------------------------------------------------------------------------------------

# pingouin.intraclass_corr(data=datasets.wine_long(), targets="Wine", raters="Judge",
#                          ratings="Scores")  -> columns ICC, F, pval, CI95 (unrounded)
ICC_WINE: dict[str, dict[str, Any]] = {
    "ICC1": {
        "icc": 0.727520915896081,
        "f": 11.680025856496444,
        "p": 2.1813509548618443e-06,
        "ci": (0.43377283327098887, 0.9266960292566442),
    },
    "ICC2": {
        "icc": 0.7276887871853546,
        "f": 11.7866927592955,
        "p": 5.0257154640603615e-06,
        "ci": (0.4344896578911301, 0.9267086063159158),
    },
    "ICC3": {
        "icc": 0.7294865007940708,
        "f": 11.7866927592955,
        "p": 5.0257154640603615e-06,
        "ci": (0.42614603012923313, 0.9278952614727314),
    },
    "ICC1k": {
        "icc": 0.9143837511760474,
        "f": 11.680025856496444,
        "p": 2.1813509548618443e-06,
        "ci": (0.7539553231006357, 0.9806078670546005),
    },
    "ICC2k": {
        "icc": 0.9144500359453631,
        "f": 11.7866927592955,
        "p": 5.0257154640603615e-06,
        "ci": (0.7544962191493993, 0.9806113877700278),
    },
    "ICC3k": {
        "icc": 0.9151585588577121,
        "f": 11.7866927592955,
        "p": 5.0257154640603615e-06,
        "ci": (0.7481371241589805, 0.9809432541084128),
    },
}
# Shrout & Fleiss (1979), Table 4 (published to two decimals) for datasets.shrout_fleiss_wide()
ICC_SHROUT_FLEISS_PUBLISHED = {
    "ICC1": 0.17,
    "ICC2": 0.29,
    "ICC3": 0.71,
    "ICC1k": 0.44,
    "ICC2k": 0.62,
    "ICC3k": 0.91,
}
# pingouin.intraclass_corr(data=datasets.to_long(datasets.shrout_fleiss_wide()),
#                          targets="target", raters="rater", ratings="rating")["ICC"]
ICC_SHROUT_FLEISS = {
    "ICC1": 0.1657417684054755,
    "ICC2": 0.28976377952755916,
    "ICC3": 0.7148407148407154,
    "ICC1k": 0.44279713367926876,
    "ICC2k": 0.6200505475989893,
    "ICC3k": 0.9093155423770697,
}

# --- Cohen's kappa -------------------------------------------------------------------------------

# h = datasets.hand_two_raters().dropna()   (11 complete pairs)
# sklearn.metrics.cohen_kappa_score(h["first"], h["second"], weights=w, labels=[1, 2, 3, 4, 5])
# statsmodels.stats.inter_rater.cohens_kappa(table, wt=w)  with table = the 5 × 5 crosstab
#   -> kappa, std_kappa, kappa_low, kappa_upp (95% Wald)
KAPPA_HAND: dict[str | None, dict[str, Any]] = {
    None: {
        "kappa": 0.5463917525773196,
        "se": 0.17974476518668617,
        "ci": (0.19409848640180566, 0.8986850187528335),
    },
    "linear": {
        "kappa": 0.7731958762886598,
        "se": 0.1059404143613425,
        "ci": (0.5655564796331786, 0.9808352729441411),
    },
    "quadratic": {
        "kappa": 0.9090909090909091,
        "se": 0.050598137413931536,
        # statsmodels' upper bound is 1.0082614361070235; cohen_kappa cuts the interval at 1.
        "ci": (0.8099203820747946, 1.0082614361070235),
    },
}
# Worked by hand: po = (20 + 15) / 50 = 0.70, pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.50,
# kappa = (0.70 - 0.50) / (1 - 0.50); sklearn.metrics.cohen_kappa_score gives the same.
KAPPA_YES_NO = 0.4

# --- Fleiss' kappa -------------------------------------------------------------------------------

# statsmodels.stats.inter_rater.fleiss_kappa(aggregate_raters(datasets.fleiss_wikipedia())[0])
# (Wikipedia, "Fleiss' kappa", worked example: 0.210)
FLEISS_WIKIPEDIA = 0.20993070442195522
# statsmodels ... fleiss_kappa(aggregate_raters(wine wide 8 × 4 array)[0])
FLEISS_WINE = 0.08571428571428572

# --- Krippendorff's alpha ------------------------------------------------------------------------

# krippendorff.alpha(reliability_data=datasets.krippendorff_example().to_numpy().T,
#                    level_of_measurement=level)
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", publishes
# 0.743 / 0.815 / 0.849 / 0.797 for these data.
KRIPPENDORFF_EXAMPLE = {
    "nominal": 0.743421052631579,
    "ordinal": 0.8153875037548814,
    "interval": 0.8491071428571428,
    "ratio": 0.7974027747116121,
}

# --- percentage agreement ------------------------------------------------------------------------

# datasets.hand_two_raters(): 11 complete pairs, 7 identical (rows 0, 1, 2, 4, 5, 7, 9) and the
# other 4 one point apart -> 100 * 7 / 11 exact, 100 % adjacent. Counted by hand.
PERCENT_HAND = {"exact": 700 / 11, "adjacent": 100.0}
# datasets.wine_long(): 8 wines × 4 judges; no wine has four equal scores, and two wines
# (5: 6 5 5 6, 8: 9 9 9 8) have all scores within one point -> 0 % and 25 %. Counted by hand.
PERCENT_WINE = {"exact": 0.0, "adjacent": 25.0}

# --- spread --------------------------------------------------------------------------------------

# datasets.hand_items()["rel_1"] = 5 5 5 4 5 3 4 2, counted by hand;
# pandas: s.mean(), s.std(), s.value_counts()
SPREAD_HAND_REL_1 = {
    "n": 8,
    "mean": 4.125,
    "sd": 1.1259916264596033,
    "counts": [0, 1, 1, 2, 4],
    "percent_floor": 0.0,
    "percent_ceiling": 50.0,
}
