"""The store: the ledger folder on disk.

The folder and its settings and team files, the lock, atomic writes, the one journal
reader and the writer, the marker of an unfinished batch, and the one cache of each
journal's fold. May import ``core`` only.
"""
