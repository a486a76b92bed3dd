"""Cycles of reflective learning: stage 5 of the principles-based approach.

After an evaluation (or on its own, for a service that only self-assesses), a facilitator
with lived experience runs a cycle for one service and round: the three plain questions per
principle, the organisational conditions around the peer worker, a self-assessment, and
actions that come back for review in the next cycle. Peer workers have a right of reply to
the service's draft report before a lead releases it.
"""
