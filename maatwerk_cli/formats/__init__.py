"""Formats of files from elsewhere: bank statements (CSV, camt.053, MT940).

Turns their bytes into plain records; knows nothing of the ledger. May import ``core`` only.
"""
