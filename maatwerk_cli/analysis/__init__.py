"""The analysis: reports as pure functions from the fold's result to data.

utilisation, compare, categories, loans, outcomes, stories, refusals and the summary over
many ledgers (records, and pandas DataFrames for scripts); ``overview``: all of them with
one cut-off, and the spend per month, for the monthly report. May import ``core``, ``store``,
``formats`` and ``ops``.
"""
