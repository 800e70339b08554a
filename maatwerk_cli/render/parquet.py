"""The dataset for DuckDB, Spark, polars and pandas: Hive-partitioned Parquet files.

Layout, one folder per table of :data:`~maatwerk_cli.analysis.export.TABLES`::

    DIR/entries/municipality=Rotterdam/year=2015/part-0000.parquet
    DIR/paybacks/...   DIR/cash/...   DIR/budgets/...   DIR/refusals/...
    DIR/_maatwerk_export.json          what is in the folder (readers skip names with _)

``municipality`` and ``year`` are the partition keys (in the folder names, not in the
files); ``part-NNNN`` numbers the ledger folder in the order given, so two folders of the
same municipality never overwrite each other. Money is ``decimal(18,2)`` (exact), dates
are dates. A municipality name keeps its letters and spaces in the folder name; only
characters that paths or readers treat specially are written as ``%XX``.

The folder is written next to its place and moved there whole: a reader never sees half
an export, and an earlier export in the same place is replaced.

pyarrow is an optional dependency (``pip install maatwerk-cli[parquet]``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..analysis.export import TABLES, Tables
from ..core.errors import InputError
from ..core.messages import tr
from ..store.atomic import remove_folder, replace_folder, write_atomic

MARKER = "_maatwerk_export.json"
MONEY = frozenset({"amount", "repaid", "recovered", "outstanding", "avoided_cost", "budget"})
DATES = frozenset({"date", "due"})
FLAGS = frozenset({"voided", "personal_data_allowed", "entry_voided"})
#: Characters written as %XX in a partition folder's name (Spark's escaping, and Windows').
_SPECIAL = set('"#%\'*/:<>=?[\\]^{|}\x7f')


def require_pyarrow() -> Any:
    """The pyarrow module, or a one-line InputError saying how to get it."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise InputError(tr("the Parquet export needs pyarrow: pip install 'maatwerk-cli[parquet]'")) from None
    return pyarrow


def partition_value(text: str) -> str:
    """A partition key's value as a folder name (``Rotterdam``; ``Sittard%2FGeleen``)."""
    out = "".join(f"%{ord(c):02X}" if c in _SPECIAL or ord(c) < 32 else c for c in text)
    if out[:1] in (".", "_", " ") or out[-1:] == " ":  # hidden, or trimmed by some file systems
        out = f"%{ord(out[0]):02X}{out[1:]}"
        if out.endswith(" "):
            out = out[:-1] + "%20"
    return out or "%00"


def schema(table: str, columns: Sequence[str]) -> Any:
    pa = require_pyarrow()

    def kind(name: str) -> Any:
        if name in MONEY:
            return pa.decimal128(18, 2)
        if name in DATES:
            return pa.date32()
        if name in FLAGS:
            return pa.bool_()
        return pa.string()

    return pa.schema([pa.field(c, kind(c)) for c in columns])


def check_target(target: Path) -> None:
    """A mistake about the target folder, before anything is read or written."""
    from .output import check_output

    check_output(target, folder=True)
    if not target.parent.is_dir():
        raise InputError(tr("folder {folder} does not exist", folder=target.parent))
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise InputError(tr("{folder} is not empty and holds no earlier maatwerk export; give a new or empty folder",
                            folder=target))


def write_dataset(target: Path, parts: Sequence[Tables], columns: dict[str, list[str]],
                  *, redacted: bool) -> dict[str, int]:
    """Write the tables of these ledger folders under ``target``; rows written per table."""
    require_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    check_target(target)
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    remove_folder(tmp)
    counts = dict.fromkeys(TABLES, 0)
    try:
        for n, part in enumerate(parts):
            where = f"municipality={partition_value(part.municipality)}"
            for table, rows in part.rows.items():
                shape = schema(table, columns[table])
                by_year: dict[int, list[dict[str, Any]]] = {}
                for row in rows:
                    by_year.setdefault(int(row["year"]), []).append(row)
                for year, group in sorted(by_year.items()):
                    folder = tmp / table / where / f"year={year}"
                    folder.mkdir(parents=True, exist_ok=True)
                    data = pa.Table.from_pylist([{c: r.get(c) for c in columns[table]} for r in group],
                                                schema=shape)
                    pq.write_table(data, folder / f"part-{n:04d}.parquet")
                    counts[table] += len(group)
        # A table without a row anywhere still gets one empty file, so that readers find
        # its columns (a glob that matches nothing is an error in DuckDB and Spark).
        years = sorted({int(r["year"]) for part in parts for rows in part.rows.values() for r in rows})
        for table, n in counts.items():
            if n == 0:
                where = f"municipality={partition_value(parts[0].municipality if parts else 'none')}"
                folder = tmp / table / where / f"year={years[0] if years else dt.date.today().year}"
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(schema(table, columns[table]).empty_table(), folder / "part-0000.parquet")
        about = {
            "written_by": "maatwerk export parquet",
            "partitioning": ["municipality", "year"],
            "tables": {t: {"columns": columns[t], "rows": counts[t]} for t in TABLES},
            "municipalities": [p.municipality for p in parts],
            "redacted": redacted,
        }
        write_atomic(tmp / MARKER, json.dumps(about, indent=2, ensure_ascii=False) + "\n", durable=False)
        replace_folder(tmp, target)
    except BaseException:
        remove_folder(tmp)
        raise
    return counts


