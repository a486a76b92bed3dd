"""Co-producing a framework: a project's evidence, its panel's cards and sorts, and the
concept map (stages 1 and 2 of the approach)."""
