"""The operations: recording spends and events, cash, bank import and reconciling, rules of
thumb, the knipkaart, bulk import, setting up, and ``check``.

Each works on a :class:`~maatwerk_cli.store.folder.LedgerFolder` and reads through its one
reader and fold. May import ``core``, ``store`` and ``formats``.
"""
