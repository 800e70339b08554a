"""Time whole processes: maatwerk against ledger, hledger and plain pandas on the same data.

    python benchmarks/run.py                    # all sizes: 10k, 100k, 1m
    python benchmarks/run.py --sizes 10k,100k --runs 5 --markdown

Every figure is the median of ``--runs`` runs (at least 5) of a fresh process: wall time
and peak resident memory, read with ``os.wait4`` for that process alone. The data comes
from ``benchmarks/generate.py`` (generated on first use into ``$MAATWERK_BENCH_DATA``, by
default a folder in the temp directory). What is timed:

* ``floor``: ``python -c "import typer, rich.table, tomlkit"``, the least any command costs;
* ``spend`` on a ledger without entries, on the 1M-entry ledger one spend after another
  (the clerk's day), and the first spend after that journal was changed by hand (which
  reads the team's journal once); the lines are taken back afterwards;
* ``stories --year 2025`` per size, cache warm (its Markdown hides every household code
  of the ledger in the free text);
* ``utilisation --year 2025`` and ``compare --year 2025 --format json`` per size, with the
  cache warm (after one untimed run) and without it (``MAATWERK_NO_CACHE=1``), and
  ``compare`` just after a spend was recorded (only that journal is read again);
* ``import entries`` of a 100,000-row spreadsheet into a ledger of 42 empty teams;
* ``ledger -f X bal Expenses`` and ``hledger -f X bal Expenses`` per size (when installed):
  the same balance per team;
* ``pandas``: ``pandas.read_csv`` of every journal of a size and one ``concat``, the memory
  yardstick for the compare target.
* ``compare --format json`` on ledgers whose every line came in through ``import entries``
  (1M spends in 400 teams, each line's row fingerprint in a quoted ``extra`` cell), cache
  warm and without it, next to DuckDB summing the same journals (``--imported``);
* ``summary --year 2025 --format json`` over 300 ledger folders of 3,000 spends each, without
  a cache, next to DuckDB summing the same journals (``--summary-folders``).

It ends with the targets from the project brief and whether this run meets them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402  (the generator next to this file)

PY = sys.executable
FLOOR = [PY, "-c", "import typer, rich.table, tomlkit"]
# Spends minus voids, summed by team, straight from the journal CSV files: what compare's
# "spent" column counts, read by engines built for it. Installed for the benchmark only.
DUCKDB_SUM = (
    "import sys, duckdb\n"
    "q = (\"with j as (select * from read_csv(?, header=true, all_varchar=true, filename=true)) \"\n"
    "     \"select regexp_extract(filename, '([^/]+)\\\\.csv$', 1) as team, \"\n"
    "     \"sum(cast(amount as decimal(18,2))) from j where type = 'spend' and \"\n"
    "     \"id not in (select ref from j where type = 'void') group by team\")\n"
    "print(len(duckdb.connect().execute(q, [sys.argv[1] + '/teams/*.csv']).fetchall()))\n"
)
# The same sum per journal file over every journal a glob finds (argv[1]): the yardstick for
# the imported ledgers and the researcher's 300 folders.
DUCKDB_GLOB = (
    "import sys, duckdb\n"
    "q = (\"with j as (select * from read_csv(?, header=true, all_varchar=true, filename=true)) \"\n"
    "     \"select filename, sum(cast(amount as decimal(18,2))) from j where type = 'spend' and \"\n"
    "     \"id not in (select ref from j where type = 'void' and ref is not null) group by filename\")\n"
    "print(len(duckdb.connect().execute(q, [sys.argv[1]]).fetchall()))\n"
)
POLARS_SUM = (
    "import sys, polars as pl\n"
    "j = pl.read_csv(sys.argv[1] + '/teams/*.csv', infer_schema=False, include_file_paths='file')\n"
    "voids = j.filter(pl.col('type') == 'void')['ref']\n"
    "out = (j.filter((pl.col('type') == 'spend') & ~pl.col('id').is_in(voids.implode()))\n"
    "       .group_by('file').agg(pl.col('amount').cast(pl.Decimal(18, 2)).sum()))\n"
    "print(len(out))\n"
)
PANDAS_READ = (
    "import glob, sys, pandas as pd\n"
    "frames = [pd.read_csv(f) for f in sorted(glob.glob(sys.argv[1] + '/teams/*.csv'))]\n"
    "print(len(pd.concat(frames, ignore_index=True)))\n"
)


@dataclass
class Figure:
    """One timed command: wall times (s) and peak memory (MB) of each run."""

    name: str
    size: str
    walls: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    note: str = ""
    cpus: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def peak(self) -> float:
        return statistics.median(self.peaks)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else 0.0


# GNU time reports the peak memory of the command alone. Measuring the child directly
# (os.wait4) would count this runner's own memory too: Linux starts a forked child's peak
# at its parent's size.
GNU_TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one process."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as peak:
        full = [GNU_TIME, "-f", "%M", "-o", peak.name, *cmd] if GNU_TIME else cmd
        started = time.perf_counter()
        proc = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        cpu = usage.ru_utime + usage.ru_stime  # the child's and what it waited for (GNU time's a little)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {err.read().decode()[-2000:]}")
        if GNU_TIME:
            return wall, int(peak.read().split()[-1]) / 1024, cpu
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS
    return wall, usage.ru_maxrss / scale, cpu


def measure(name: str, size: str, cmd: list[str], runs: int, env: dict[str, str] | None = None,
            before: Callable[[], None] | None = None, after: Callable[[], None] | None = None,
            warm: int = 0, note: str = "") -> Figure:
    full_env = {**os.environ, **(env or {})}
    fig = Figure(name, size, note=note)
    for i in range(warm + runs):
        if before:
            before()
        wall, peak, cpu = run_once(cmd, full_env)
        if after:
            after()
        if i >= warm:
            fig.walls.append(wall)
            fig.peaks.append(peak)
            fig.cpus.append(cpu)
    print(f"  {name:<28} {size:>5}  {fig.wall:8.3f} s  {fig.cpu:8.3f} s CPU  {fig.peak:8.1f} MB", flush=True)
    return fig


def maatwerk(root: Path, *args: str) -> list[str]:
    return [PY, "-m", "maatwerk_cli", "--ledgers", str(root), *args]


def empty_ledger(path: Path, teams: int) -> Path:
    """A ledger folder with ``teams`` teams and no journal lines."""
    from decimal import Decimal

    from maatwerk_cli import Ledger

    if path.exists():
        shutil.rmtree(path)
    lg = Ledger.init(path, municipality="Benchstad", year=generate.YEAR)
    for slug in generate.team_slugs(teams):
        # Budget enough for the 100k-row import (else the plausibility rule refuses its rows).
        lg.add_team(slug, name=f"Wijkteam {slug[5:]}", budget=Decimal("10000000"), year=generate.YEAR)
    return path


def machine() -> dict[str, str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") if os.path.exists("/proc/cpuinfo") else open(os.devnull) as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    if os.path.exists("/proc/meminfo"):
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
            ram = f"{kb / 1024 / 1024:.1f} GiB"
    import numpy
    import pandas

    def version(cmd: list[str]) -> str:
        if not shutil.which(cmd[0]):
            return "not installed"
        out = subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()
        return out[0] if out else "?"

    return {
        "cpu": cpu, "cores": str(os.cpu_count()), "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "pandas": pandas.__version__, "numpy": numpy.__version__,
        "ledger": version(["ledger", "--version"]), "hledger": version(["hledger", "--version"]),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


#: The clerk's day: today's card payments, in the generated ledgers the last day of their year
#: (the possible-duplicate rule then asks the team's small note, not the journal).
CLERK_DAY = "31-12-2025"
#: A spend typed in late, months before the newest one: the duplicate rule reads the fold.
LATE_DAY = "14-3-2025"


def spend_args(team: str, day: str = CLERK_DAY) -> list[str]:
    # The reason: the same 35 on the same day again is what the duplicate rule asks about
    # (the clerk's day repeats it).
    return ["spend", team, "35", "-c", "Levensmiddelen", "-d", day, "-n", "boodschappen",
            "--reason", "tweede gezin"]


def compile_bytecode() -> None:
    """Compile the package's bytecode, as ``pip install`` does for an installed package.

    An editable checkout compiles its modules on first use and keeps the result, unless
    PYTHONDONTWRITEBYTECODE is set (as on some CI and sandbox machines): then every run
    would compile the whole package from source again, which no installed copy does.
    """
    import compileall

    package = Path(__file__).resolve().parent.parent / "maatwerk_cli"
    compileall.compile_dir(str(package), quiet=1)


def benchmark(sizes: list[str], runs: int, data: Path, only_writes: bool = False,
              imported: Sequence[str] = ("1m",), summary_folders: int = generate.SUMMARY[0],
              ) -> tuple[list[Figure], dict[str, str]]:
    env_cache = {"MAATWERK_CACHE_DIR": str(data / "cache")}
    compile_bytecode()
    info = machine()
    figures: list[Figure] = []
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    generated = {size: generate.ensure(data, size) for size in sizes}
    if "1m" not in generated and any(s == "1m" for s in sizes):
        raise SystemExit("1m data missing")

    figures.append(measure("floor (import typer, rich)", "-", FLOOR, runs, warm=1))

    empty = empty_ledger(data / "empty", 1)
    journal = empty / "teams" / "wijk-01.csv"
    figures.append(measure("spend", "empty", maatwerk(empty, *spend_args("wijk-01")), runs, warm=1,
                           after=lambda: journal.unlink(missing_ok=True)))
    if "1m" in generated:
        big = generated["1m"].root
        team = "wijk-001"
        path = big / "teams" / f"{team}.csv"
        original = path.stat().st_size

        def take_back() -> None:
            os.truncate(path, original)

        # The clerk's day: one card payment after another. Each spend carries the team's small
        # plausibility note forward, so the next one reads no journal.
        figures.append(measure("spend", "1m", maatwerk(big, *spend_args(team)), runs, warm=1))
        take_back()
        # The first spend after the journal was changed by something else (here: cut back by
        # hand) reads that team's journal once to renew the note.
        figures.append(measure("spend (first after an edit)", "1m", maatwerk(big, *spend_args(team)), runs,
                               warm=1, after=take_back))
        # Typed in late: the duplicate rule compares with the spends around that day, which the
        # note does not keep, so the team's fold is read (from the cache).
        figures.append(measure("spend (typed in late)", "1m", maatwerk(big, *spend_args(team, LATE_DAY)), runs,
                               warm=1))
        take_back()

    for size in [] if only_writes else sizes:
        got = generated[size]
        for report, args in (("utilisation", ["utilisation", "--year", "2025"]),
                             ("compare --format json", ["compare", "--year", "2025", "--format", "json"])):
            cmd = maatwerk(got.root, *args)
            figures.append(measure(f"{report}", size, cmd, runs, env=env_cache, warm=1, note="cache warm"))
            figures.append(measure(f"{report} (no cache)", size, cmd, runs,
                                   env={**env_cache, "MAATWERK_NO_CACHE": "1"}))
        # The team meeting's Markdown: every spend's story, household codes hidden in its text.
        figures.append(measure("stories (cache warm)", size, maatwerk(got.root, "stories", "--year", "2025"), runs,
                               env=env_cache, warm=1))
        # The coordinator's usual case: the clerk has just recorded a spend.
        changed = sorted((got.root / "teams").glob("*.csv"))[0]
        length = changed.stat().st_size
        full_env = {**os.environ, **env_cache}

        def one_spend(path: Path = changed, root: Path = got.root, env: dict[str, str] = full_env) -> None:
            subprocess.run(maatwerk(root, *spend_args(path.stem)), check=True, env=env,
                           stdout=subprocess.DEVNULL)

        def take_back_spend(path: Path = changed, size: int = length) -> None:
            os.truncate(path, size)

        figures.append(measure("compare --format json (after a spend)", size,
                               maatwerk(got.root, "compare", "--year", "2025", "--format", "json"), runs,
                               env=env_cache, before=one_spend, after=take_back_spend))
        for tool in ("ledger", "hledger"):
            if shutil.which(tool):
                figures.append(measure(f"{tool} bal", size, [tool, "-f", str(got.journal), "bal", "Expenses"],
                                       runs))
        figures.append(measure("pandas read_csv + concat", size, [PY, "-c", PANDAS_READ, str(got.root)],
                               runs))
        for engine, program in (("duckdb", DUCKDB_SUM), ("polars", POLARS_SUM)):
            if _importable(engine):
                figures.append(measure(f"{engine} sum by team", size, [PY, "-c", program, str(got.root)], runs,
                                       warm=1))

    figures += imported_and_summary([] if only_writes else imported, 0 if only_writes else summary_folders,
                                    runs, data, env_cache)
    sheet = generate.ensure_import(data)
    target = data / "import-target"

    def fresh_target() -> None:
        empty_ledger(target, 42)

    try:
        figures.append(measure("import entries 100k rows", "100k",
                               maatwerk(target, "import", "entries", str(sheet)), runs, before=fresh_target))
    except RuntimeError as exc:  # a failed row must not lose the run's other figures
        print(f"  import entries 100k rows failed: {str(exc)[-300:]}", flush=True)
    return figures, info


def imported_and_summary(imported: Sequence[str], summary_folders: int, runs: int, data: Path,
                         env_cache: dict[str, str]) -> list[Figure]:
    """compare on the ledgers made by ``import entries`` and summary over many folders, each
    next to DuckDB over the same journals (issue 26)."""
    figures: list[Figure] = []
    compare = ["compare", "--year", "2025", "--format", "json"]
    for size in imported:
        got = generate.ensure_imported(data, size)
        name = f"{size}-imp"
        cmd = maatwerk(got.root, *compare)
        figures.append(measure("compare --format json", name, cmd, runs, env=env_cache, warm=1, note="cache warm"))
        figures.append(measure("compare --format json (no cache)", name, cmd, runs,
                               env={**env_cache, "MAATWERK_NO_CACHE": "1"}))
        if _importable("duckdb"):
            figures.append(measure("duckdb sum by team", name, [PY, "-c", DUCKDB_GLOB,
                                                                str(got.root / "teams" / "*.csv")], runs, warm=1))
    if summary_folders:
        roots = generate.ensure_summary(data, summary_folders)
        name = f"{summary_folders}x3k"
        cmd = [PY, "-m", "maatwerk_cli", "summary", *map(str, roots), "--year", "2025", "--format", "json"]
        figures.append(measure("summary --format json (no cache)", name, cmd, runs,
                               env={**env_cache, "MAATWERK_NO_CACHE": "1"}))
        if _importable("duckdb"):
            glob = str(data / "summary" / "m*" / "ledger" / "teams" / "*.csv")
            figures.append(measure("duckdb sum by journal", name, [PY, "-c", DUCKDB_GLOB, glob], runs, warm=1))
    return figures


def _importable(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None


def find(figures: list[Figure], name: str, size: str) -> Figure | None:
    return next((f for f in figures if f.name == name and f.size == size), None)


def targets(figures: list[Figure]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for every target the figures allow to judge."""
    out: list[tuple[str, str, str]] = []

    def judge(label: str, ratio: float | None, limit: float, higher_is_better: bool, what: str) -> None:
        if ratio is None:
            out.append((label, "not measured", "-"))
            return
        met = ratio >= limit if higher_is_better else ratio <= limit
        out.append((label, f"{what} = {ratio:.2f}", "met" if met else "MISSED"))

    def ratio(a: tuple[str, str], b: tuple[str, str], memory: bool = False) -> float | None:
        fa, fb = find(figures, *a), find(figures, *b)
        if fa is None or fb is None:
            return None
        return (fa.peak / fb.peak) if memory else (fa.wall / fb.wall)

    floor = ("floor (import typer, rich)", "-")
    duck = ("duckdb sum by team", "1m-imp")
    compare_cold = ("compare --format json (no cache)", "1m-imp")
    judge("compare on 1M imported, no cache, no slower than DuckDB", ratio(compare_cold, duck), 1.0, False,
          "compare / duckdb")
    judge("compare on 1M imported, no cache, peak memory within 1.5x DuckDB's",
          ratio(compare_cold, duck, memory=True), 1.5, False, "compare / duckdb (memory)")
    judge("compare on 1M imported, cache warm, at most 0.25x DuckDB",
          ratio(("compare --format json", "1m-imp"), duck), 0.25, False, "compare / duckdb")
    folders = next((f.size for f in figures if f.name == "summary --format json (no cache)"), "300x3k")
    judge(f"summary over {folders}, no cache, at most 0.35x DuckDB",
          ratio(("summary --format json (no cache)", folders), ("duckdb sum by journal", folders)), 0.35, False,
          "summary / duckdb")
    judge("utilisation on 10k, cache warm, within 2.0x of the import floor",
          ratio(("utilisation", "10k"), floor), 2.0, False, "utilisation / floor")
    judge("utilisation on 10k, no cache, within 2.5x of the import floor",
          ratio(("utilisation (no cache)", "10k"), floor), 2.5, False, "utilisation / floor")
    judge("spend within 1.2x of the import floor", ratio(("spend", "empty"), floor), 1.2, False,
          "spend(empty) / floor")
    judge("spend on 1M within 10% of spend on empty", ratio(("spend", "1m"), ("spend", "empty")), 1.10, False,
          "spend(1M) / spend(empty)")
    return out


def table(figures: list[Figure], markdown: bool) -> str:
    rows = [("command", "size", "median s", "min s", "max s", "CPU s", "peak MB")]
    rows += [(f.name + (f" ({f.note})" if f.note else ""), f.size, f"{f.wall:.3f}", f"{min(f.walls):.3f}",
              f"{max(f.walls):.3f}", f"{f.cpu:.3f}", f"{f.peak:.0f}") for f in figures]
    return _grid(rows, markdown, right=(2, 3, 4, 5, 6))


def _grid(rows: Sequence[tuple[str, ...]], markdown: bool, right: tuple[int, ...] = ()) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

    def cell(text: str, i: int) -> str:
        return text.rjust(widths[i]) if i in right else text.ljust(widths[i])

    lines = []
    for n, r in enumerate(rows):
        if markdown:
            lines.append("| " + " | ".join(cell(c, i) for i, c in enumerate(r)) + " |")
            if n == 0:
                lines.append("|" + "|".join(("-" * (w + 1) + ":") if i in right else "-" * (w + 2)
                                            for i, w in enumerate(widths)) + "|")
        else:
            lines.append("  ".join(cell(c, i) for i, c in enumerate(r)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated subset of 10k,100k,1m")
    parser.add_argument("--runs", type=int, default=5, help="runs per command; the median is shown (min 5)")
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: %(default)s)")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    parser.add_argument("--only-writes", action="store_true",
                        help="time only the floor, spend and import entries")
    parser.add_argument("--imported", default="1m",
                        help="sizes of the ledgers made by import entries (100k, 1m; '' for none)")
    parser.add_argument("--summary-folders", type=int, default=generate.SUMMARY[0],
                        help="ledger folders of 3,000 spends for summary (0: leave summary out)")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    if args.runs < 5:
        parser.error("--runs must be at least 5: the figures are medians")
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in generate.SIZES:
            parser.error(f"unknown size {s!r}; choose from {', '.join(generate.SIZES)}")
    data = args.data or generate.default_out()
    imported = [s.strip().lower() for s in args.imported.split(",") if s.strip()]
    for s in imported:
        if s not in generate.IMPORTED:
            parser.error(f"unknown imported size {s!r}; choose from {', '.join(generate.IMPORTED)}")
    figures, info = benchmark(sizes, args.runs, data, only_writes=args.only_writes, imported=imported,
                              summary_folders=args.summary_folders)
    print()
    print(table(figures, args.markdown))
    print()
    print(_grid([("target", "this run", "verdict"), *targets(figures)], args.markdown))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "figures": [
            {"name": f.name, "size": f.size, "walls": f.walls, "cpus": f.cpus, "peaks_mb": f.peaks, "note": f.note}
            for f in figures]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
