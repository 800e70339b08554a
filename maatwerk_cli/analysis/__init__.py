"""The analysis: reports as pure functions from the fold's result to data.

utilisation, compare, categories, loans, outcomes, stories, refusals and the summary over
many ledgers (records, and pandas DataFrames for scripts). May import ``core``, ``store``,
``formats`` and ``ops``.
"""
