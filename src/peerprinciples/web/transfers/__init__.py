"""Moving an evaluation's ratings in (checked imports) and out (labelled exports)."""
