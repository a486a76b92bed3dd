"""Co-producing a framework: the evidence from a literature review, an expert panel's cards
and sorts, and the concept map drawn from them (stages 1 and 2 of the approach).

Everything here is plain data and arithmetic: the web application stores projects and hands
their contents to these modules as the dataclasses in :mod:`.cardsort` and :mod:`.evidence`.
"""
