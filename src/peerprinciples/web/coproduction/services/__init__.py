"""Domain actions of the co-production pages, one module per part of the work; views and
the command line call them."""
