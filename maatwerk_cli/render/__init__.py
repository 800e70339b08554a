"""Rendering: views of reports and listings, and the one output path to tables, CSV,
Dutch Excel CSV, JSON, Markdown and workbooks; the monthly report as an HTML page with
SVG charts (``html``, ``charts``) or its PDF (``pdf``), and bars in the terminal (``bars``).

May import every layer below it (``core`` to ``analysis``), never ``cli``; rich and openpyxl
only inside the functions that draw.
"""
