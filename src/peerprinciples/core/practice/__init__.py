"""Stage 3 of the principles-based approach: principles into practice.

A programme's *practice matrix* crosses the principles of a framework version with the areas
of implementation (role description, recruitment, training, supervision and the rest). Each
cell says how a principle shows in that area, what shows it, how far it is in place and who
holds it. From the matrix the handbook for the role is drafted.

This package never imports Django: the web application stores matrices and calls these
functions, and the command line reads and writes them as files.
"""
