"""Rendering: views of reports and listings, and the one output path to tables, CSV,
Dutch Excel CSV, JSON, Markdown and workbooks.

May import every layer below it (``core`` to ``analysis``), never ``cli``; rich and openpyxl
only inside the functions that draw.
"""
