"""Deterministic ledger folders for the benchmarks, and the same spends as a ledger journal.

    python benchmarks/generate.py --sizes 10k,100k,1m [--out DIR]

For each size this writes ``DIR/<size>/ledger/`` (a maatwerk ledger folder whose
``maatwerk check`` is clean) and ``DIR/<size>/ledger.journal`` (one transaction per spend,
``Expenses:<team>`` against ``Assets:Budget``, read by both ``ledger`` and ``hledger``), and
once ``DIR/import-100k.csv`` (a spreadsheet of 100,000 rows for ``import entries``).

The same seed gives the same bytes on every machine (``recorded_at`` is derived from the
date, not the clock). Amounts follow what the sources report: most spends are small
(median about EUR 90, Rotterdam's average was EUR 125), a few are large, up to EUR 12,000;
categories follow Rotterdam's published counts. Around the spends: loans with
repayments, conditional grants, tegenprestaties, outcomes, recoveries, voids, refusals,
and cash withdrawals before cash spends (so the cash box never goes below zero).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

from maatwerk_cli.core.records import DEFAULT_CATEGORIES, JOURNAL_COLUMNS, make_id
from maatwerk_cli.ops.templates import settings_template
from maatwerk_cli.store.journal import HEADER, checksum, encode_line

#: name: (spends, teams)
SIZES = {"10k": (10_000, 42), "100k": (100_000, 42), "1m": (1_000_000, 400)}
SEED = 2025
YEAR = 2025
#: Bump when the generated data changes, so cached folders are rebuilt.
VERSION = 3

# Rotterdam 2015's published counts per category; categories it did not list get a little.
CATEGORY_WEIGHTS = {
    "Levensmiddelen": 99, "Overig": 95, "Wonen": 20, "Gezondheid": 18, "Persoonsbewijs": 9,
    "Huisdier": 3, "School": 3, "Water en energie": 3, "Meerdere categorieën": 3,
    "Verblijfstatus": 1, "Financiën": 1, "Veiligheid": 1, "Griffiekosten": 1, "Kinderopvang": 1,
    "Verzekering": 1, "Kleding": 1, "Emigratie": 1, "Vervoer": 4, "Opleiding en werk": 4,
}
NOTES = (
    "", "", "", "", "boodschappen tot de uitkering komt", "borg kamer", "achterstand energie",
    "aanvraag ID-kaart", "schoolreis", "dierenarts", "reiskosten naar werk", "eigen risico",
    "huurachterstand, eerste maand", "leges verblijfsvergunning", "winterjas kind",
    "bril", "fietsreparatie", "cursusgeld", "lasmasker voor werk", 'borg "kamer" voor moeder',
)
REFUSAL_REASONS = (
    "tweede aanvraag van hetzelfde gezin", "kerstpakket", "voorliggende voorziening betaalt",
    "geen schuldhulptraject gestart",
)
TEGENPRESTATIES = ("helpt bij de buurtkamer", "klusjes in de wijk", "volgt budgetcursus")
POTS = ("bijzondere bijstand", "Wmo", "schuldhulpverlening")
CODE_ALPHABET = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))


@dataclass(frozen=True, slots=True)
class Generated:
    """What one call of :func:`generate` wrote.

    root: the ledger folder; journal: the ledger/hledger journal; spends, lines: counts;
    seconds: time taken.
    """

    root: Path
    journal: Path
    spends: int
    lines: int
    seconds: float


def team_slugs(teams: int) -> list[str]:
    width = max(2, len(str(teams)))
    return [f"wijk-{i:0{width}d}" for i in range(1, teams + 1)]


def _cents_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _amounts(rng: np.random.Generator, n: int) -> np.ndarray:
    """Amounts in cents: mostly small, a long tail, a few large ones; EUR 10 to 12,000."""
    euros = rng.lognormal(mean=np.log(90.0), sigma=0.95, size=n)
    large = rng.random(n) < 0.004
    euros[large] = rng.uniform(1_000, 12_000, size=int(large.sum()))
    euros = np.clip(euros, 10, 12_000)
    whole = rng.random(n) < 0.45  # many spends are whole euros
    cents = np.where(whole, np.round(euros) * 100, np.round(euros * 100))
    return cents.astype(np.int64)


def _households(rng: np.random.Generator, n: int) -> list[str]:
    letters = rng.choice(CODE_ALPHABET, size=(n, 6))
    return ["H-" + "".join(row) for row in letters]


def _start(base: Path, spends: int, teams: int, seed: int) -> tuple[
        Path, list[str], np.random.Generator, np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray]:
    """A fresh ``base/ledger`` folder with its settings, and the first draws every generated
    ledger shares, in this order: per spend its team, day, amount and category."""
    import shutil

    rng = np.random.default_rng(seed)
    root = base / "ledger"
    if root.exists():
        shutil.rmtree(root)
    (root / "teams").mkdir(parents=True)
    (root / "maatwerk.toml").write_text(settings_template("Benchstad", YEAR), encoding="utf-8")
    (root / "maatwerk.lock").touch()
    slugs = team_slugs(teams)
    team_weight = rng.lognormal(0, 0.5, size=teams)
    team_of = rng.choice(teams, size=spends, p=team_weight / team_weight.sum())
    days = rng.integers(0, 365, size=spends)
    cents = _amounts(rng, spends)
    names = list(CATEGORY_WEIGHTS)
    assert set(names) <= set(DEFAULT_CATEGORIES)
    weights = np.array([CATEGORY_WEIGHTS[c] for c in names], dtype=float)
    category = rng.choice(len(names), size=spends, p=weights / weights.sum())
    return root, slugs, rng, team_of, days, cents, names, category


def generate(base: Path, spends: int, teams: int, seed: int = SEED) -> Generated:
    """Write ``base/ledger`` and ``base/ledger.journal`` (replacing what is there)."""
    started = time.perf_counter()
    # Everything random is drawn up front, in one order, so the output depends on the seed only.
    root, slugs, rng, team_of, days, cents, names, category = _start(base, spends, teams, seed)
    method = rng.choice(3, size=spends, p=[0.65, 0.27, 0.08])
    kind = rng.choice(3, size=spends, p=[0.86, 0.11, 0.03])
    pool = _households(rng, max(10, spends // 3))
    household = rng.integers(0, len(pool), size=spends)
    has_household = rng.random(spends) < 0.6
    note = rng.integers(0, len(NOTES), size=spends)
    fate = rng.random(spends)  # decides the events of each spend
    lag = rng.integers(0, 60, size=spends)
    extra_draw = rng.random(spends)
    refusals_of = rng.choice(teams, size=spends // 50)
    refusal_days = rng.integers(0, 365, size=len(refusals_of))
    methods = ("pin", "factuur", "contant")
    kinds = ("gift", "loan", "conditional")
    jan1 = dt.date(YEAR, 1, 1)
    dec31 = dt.date(YEAR, 12, 31)

    order = np.argsort(team_of, kind="stable")
    bounds = np.searchsorted(team_of[order], np.arange(teams + 1))
    refusal_order = np.argsort(refusals_of, kind="stable")
    refusal_bounds = np.searchsorted(refusals_of[refusal_order], np.arange(teams + 1))

    journal_path = base / "ledger.journal"
    total_lines = 0
    with open(journal_path, "w", encoding="utf-8", newline="\n") as ledger_file:
        ledger_file.write(f"; {spends} spends over {teams} teams, seed {seed}; generated by maatwerk\n")
        for t, slug in enumerate(slugs):
            mine = order[bounds[t]:bounds[t + 1]]
            mine = mine[np.argsort(days[mine], kind="stable")]
            # (day, order, cells, spend) for every row of this team: events follow their
            # spend, whose id is known only once the rows are sorted (spend: its index, or -1).
            rows: list[tuple[int, int, dict[str, str], int]] = []
            spent_cents = 0
            for k, i in enumerate(mine):
                day = int(days[i])
                date = jan1 + dt.timedelta(days=day)
                amount = int(cents[i])
                spent_cents += amount
                cells = {
                    "type": "spend", "date": date.isoformat(), "amount": _cents_text(amount),
                    "category": names[category[i]], "method": methods[method[i]],
                    "kind": kinds[kind[i]],
                    "household": pool[household[i]] if has_household[i] else "",
                    "note": NOTES[note[i]],
                }
                if kind[i] == 1:
                    cells["due"] = min(date + dt.timedelta(days=14 + int(lag[i])), dec31).isoformat()
                elif kind[i] == 2:
                    cells["condition"] = "cursus afmaken"
                if extra_draw[i] < 0.03:
                    cells["tegenprestatie"] = TEGENPRESTATIES[int(lag[i]) % len(TEGENPRESTATIES)]
                    cells["status"] = "agreed"
                if amount > 100_000:
                    cells["by"] = "teammanager"
                    cells["reason"] = "voorkomt huisuitzetting"
                rows.append((day, 2 * k, cells, -1))
                later = min(day + 1 + int(lag[i]), 364)
                f = float(fate[i])
                if f < 0.01:
                    void = {"type": "void", "reason": "twee keer ingevoerd"}
                    rows.append((min(day + int(lag[i]) % 4, 364), 2 * k + 1, void, k))
                    continue
                if kind[i] == 1 and f < 0.7:
                    first = amount if f < 0.45 else amount // 2
                    rows.append((later, 2 * k + 1, {"type": "repay", "amount": _cents_text(first)}, k))
                    if f >= 0.45 and later < 364:
                        rest = {"type": "repay", "amount": _cents_text(amount - first)}
                        rows.append((min(later + 14, 364), 2 * k + 1, rest, k))
                elif names[category[i]] == "Wonen" and f > 0.95:
                    pot = POTS[int(lag[i]) % len(POTS)]
                    rows.append((later, 2 * k + 1,
                                 {"type": "recovered", "amount": _cents_text(amount), "note": pot}, k))
                if 0.90 < f < 0.95:
                    outcome = ("reached", "reached", "partial", "not-reached")[int(lag[i]) % 4]
                    avoided = _cents_text(amount * 3) if outcome == "reached" else ""
                    rows.append((later, 2 * k + 1,
                                 {"type": "outcome", "status": outcome, "amount": avoided}, k))
            for j in refusal_order[refusal_bounds[t]:refusal_bounds[t + 1]]:
                reason = REFUSAL_REASONS[int(j) % len(REFUSAL_REASONS)]
                refusal = {"type": "refusal", "reason": reason}
                rows.append((int(refusal_days[j]), 2 * len(mine) + int(j), refusal, -1))
            rows.sort(key=lambda r: (r[0], r[1]))

            lines = [HEADER]
            spend_id: dict[int, str] = {}
            seq = 0
            cash = 0
            cash_spend: dict[str, int] = {}
            entries_file: list[str] = []
            for day, key, cells, spend in rows:
                date = jan1 + dt.timedelta(days=day)
                stamp = f"{date.isoformat()}T{9 + key % 8:02d}:{key % 60:02d}:00Z"
                if spend >= 0:
                    cells = {**cells, "ref": spend_id[spend]}
                if cells["type"] == "spend" and cells["method"] == "contant":
                    amount = int(Decimal(cells["amount"]) * 100)
                    if cash < amount:
                        # A withdrawal at the cash machine first: whole notes, a little extra.
                        take = -(-(amount - cash) // 1000) * 1000 + 2000
                        seq += 1
                        lines.append(encode_line({"id": make_id(slug, date.year, seq), "type": "withdraw",
                                                  "date": date.isoformat(), "amount": _cents_text(take),
                                                  "method": "pin", "recorded_at": stamp}))
                        cash += take
                    cash -= amount
                seq += 1
                row_id = make_id(slug, date.year, seq)
                if cells["type"] == "spend":
                    spend_id[key // 2] = row_id
                    if cells["method"] == "contant":
                        cash_spend[row_id] = int(Decimal(cells["amount"]) * 100)
                    entries_file.append(
                        f"{cells['date']} {row_id}\n    Expenses:{slug}    EUR {cells['amount']}\n"
                        "    Assets:Budget\n\n"
                    )
                elif cells["type"] == "void" and cells["ref"] in cash_spend:
                    cash += cash_spend.pop(cells["ref"])
                cells = {**cells, "date": date.isoformat(), "id": row_id, "recorded_at": stamp}
                lines.append(encode_line(cells))
            (root / "teams" / f"{slug}.csv").write_text("".join(lines), encoding="utf-8", newline="\n")
            ledger_file.write("".join(entries_file))
            total_lines += len(lines) - 1
            budget = max(10_000, int(round(spent_cents / 100 * (1.2 + (t % 7) / 3) / 1000)) * 1000)
            (root / "teams" / f"{slug}.toml").write_text(
                f'name = "Wijkteam {slug[5:]}"\nkind = "team"\n\n[budget]\n{YEAR} = {budget}\n',
                encoding="utf-8",
            )
    return Generated(root, journal_path, spends, total_lines, time.perf_counter() - started)


#: name: (spends, teams) of the ledgers whose every line came in through ``import entries``.
IMPORTED = {"100k": (100_000, 400), "1m": (1_000_000, 400)}
#: The researcher's batch for ``summary``: folders, spends per folder, teams per folder.
SUMMARY = (300, 3_000, 4)
#: Rows per ``import entries`` run in the imported ledgers: each run is one batch.
BATCH_ROWS = 100_000


def imported(base: Path, spends: int, teams: int, seed: int = SEED + 2) -> Generated:
    """A ledger folder whose every line was written by ``import entries``, in its shape.

    Only spends, in the order of the sheet's rows (not by date), several teams per sheet,
    each line's ``extra`` holding its batch and its row's fingerprint (a quoted cell, as
    the csv module writes it), every line of a batch with the batch's ``recorded_at``.
    The lines are built here column by column rather than through the import (which takes
    about 100 s on 1M rows); the first line of every journal is checked against
    :func:`encode_line`, the writer's own codec. ``ledger.journal`` is not written.
    """
    import csv
    import hashlib
    import io

    started = time.perf_counter()
    root, slugs, rng, team_of, days, cents, names, category = _start(base, spends, teams, seed)
    note = rng.integers(0, len(NOTES), size=spends)
    pool = _households(rng, max(10, spends // 3))
    household = rng.integers(0, len(pool), size=spends)
    has_household = rng.random(spends) < 0.3
    fingerprints = rng.integers(0, 256, size=(spends, 10), dtype=np.uint8)
    jan1 = dt.date(YEAR, 1, 1)
    dates = [(jan1 + dt.timedelta(days=d)).isoformat() for d in range(365)]
    batches = [(hashlib.blake2b(f"batch {b}".encode(), digest_size=8).hexdigest(),
                f"{YEAR + 1}-01-{10 + b:02d}T09:{b:02d}:00Z") for b in range(-(-spends // BATCH_ROWS))]
    notes = [text.replace('"', "") for text in NOTES]  # the import sheet has no quotes in notes
    out: dict[int, list[list[str]]] = {t: [] for t in range(teams)}
    seq = [0] * teams
    for i, (t, day, amount, c, n, h, has) in enumerate(zip(
            team_of.tolist(), days.tolist(), cents.tolist(), category.tolist(), note.tolist(),
            household.tolist(), has_household.tolist(), strict=True)):
        batch, stamp = batches[i // BATCH_ROWS]
        seq[t] += 1
        values = [f"{slugs[t]}-{YEAR}-{seq[t]:04d}", "spend", dates[day], "", _cents_text(amount), names[c],
                  "factuur" if i % 4 == 0 else "pin", "gift", pool[h] if has else "", "", "", "", "",
                  notes[n], "", "", f'{{"batch":"{batch}","row":"{fingerprints[i].tobytes().hex()}"}}', stamp]
        values.append(checksum(values))
        out[t].append(values)
    for t, slug in enumerate(slugs):
        rows = out.pop(t)
        if rows:
            first = dict(zip(JOURNAL_COLUMNS, rows[0], strict=False))
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow(rows[0])
            assert encode_line(first) == buf.getvalue(), (encode_line(first), buf.getvalue())
        buf = io.StringIO()
        buf.write(HEADER)
        csv.writer(buf, lineterminator="\n").writerows(rows)
        (root / "teams" / f"{slug}.csv").write_text(buf.getvalue(), encoding="utf-8", newline="\n")
        budget = max(10_000, int(round(sum(int(r[4].replace(".", "")) for r in rows) / 100 * 1.3 / 1000)) * 1000)
        (root / "teams" / f"{slug}.toml").write_text(
            f'name = "Wijkteam {slug[5:]}"\nkind = "team"\n\n[budget]\n{YEAR} = {budget}\n', encoding="utf-8")
    return Generated(root, base / "ledger.journal", spends, spends, time.perf_counter() - started)


def import_sheet(path: Path, rows: int, teams: int, seed: int = SEED + 1) -> None:
    """A semicolon CSV as Dutch Excel saves it (Dutch headers and amounts), for ``import entries``."""
    rng = np.random.default_rng(seed)
    slugs = team_slugs(teams)
    team = rng.integers(0, teams, size=rows)
    days = rng.integers(0, 365, size=rows)
    cents = _amounts(rng, rows)
    names = list(CATEGORY_WEIGHTS)
    weights = np.array([CATEGORY_WEIGHTS[c] for c in names], dtype=float)
    category = rng.choice(len(names), size=rows, p=weights / weights.sum())
    note = rng.integers(0, len(NOTES), size=rows)
    jan1 = dt.date(YEAR, 1, 1)
    out = ["datum;bedrag;categorie;betaalwijze;team;notitie;reden\n"]
    # The same amount by the same method in one team within three days looks like a payment
    # entered twice (the rule possible_duplicate): such rows say why, as a clerk's sheet would.
    seen: dict[tuple[int, int, bool], list[int]] = {}
    for i in range(rows):
        date = jan1 + dt.timedelta(days=int(days[i]))
        euros, rest = divmod(int(cents[i]), 100)
        amount = f"{euros:,}".replace(",", ".") + (f",{rest:02d}" if rest else "")
        text = NOTES[note[i]].replace('"', "")
        text = f'"{text}"' if ";" in text else text
        near = seen.setdefault((int(team[i]), int(cents[i]), i % 4 == 0), [])
        reason = "twee betalingen" if any(abs(d - int(days[i])) <= 3 for d in near) else ""
        near.append(int(days[i]))
        out.append(f"{date.day}-{date.month}-{date.year};{amount};{names[category[i]]};"
                   f"{'factuur' if i % 4 == 0 else 'pin'};{slugs[team[i]]};{text};{reason}\n")
    path.write_text("".join(out), encoding="utf-8")


def default_out() -> Path:
    return Path(os.environ.get("MAATWERK_BENCH_DATA") or Path(tempfile.gettempdir()) / "maatwerk-bench")


def ensure(out: Path, size: str, spends: int = 0, teams: int = 0, seed: int = SEED) -> Generated:
    """The folder for ``size`` (or of ``spends`` over ``teams``), generated unless an
    identical one is there already."""
    if not spends:
        spends, teams = SIZES[size]
    base = out / size
    marker = base / "generated.json"
    want = {"version": VERSION, "seed": seed, "spends": spends, "teams": teams}
    if marker.exists():
        done = json.loads(marker.read_text())
        if {k: done.get(k) for k in want} == want:
            return Generated(base / "ledger", base / "ledger.journal", spends, int(done["lines"]), 0.0)
    base.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    got = generate(base, spends, teams, seed)
    marker.write_text(json.dumps({**want, "lines": got.lines}))
    return got


def ensure_imported(out: Path, size: str) -> Generated:
    """The imported-shape ledger of ``size`` (see :func:`imported`), made once."""
    spends, teams = IMPORTED[size]
    base = out / f"imported-{size}"
    marker = base / "generated.json"
    want = {"version": VERSION, "seed": SEED + 2, "spends": spends, "teams": teams}
    if marker.exists() and json.loads(marker.read_text()) == want:
        return Generated(base / "ledger", base / "ledger.journal", spends, spends, 0.0)
    base.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    got = imported(base, spends, teams)
    marker.write_text(json.dumps(want))
    return got


def ensure_summary(out: Path, folders: int = SUMMARY[0]) -> list[Path]:
    """``folders`` ledger folders of 3,000 spends over 4 teams each (each its own seed), made once."""
    _, spends, teams = SUMMARY
    base = out / "summary"
    roots = []
    for k in range(folders):
        got = ensure(base, f"m{k + 1:03d}", spends=spends, teams=teams, seed=SEED + 100 + k)
        roots.append(got.root)
    return roots


def ensure_import(out: Path, rows: int = 100_000, teams: int = 42) -> Path:
    path = out / f"import-{rows // 1000}k-v2.csv"  # v2: a reason where a row looks doubled
    if not path.exists():
        out.mkdir(parents=True, exist_ok=True)
        import_sheet(path, rows, teams)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: " + ", ".join(SIZES))
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    out = args.out or default_out()
    for size in [s.strip().lower() for s in args.sizes.split(",") if s.strip()]:
        if size not in SIZES:
            parser.error(f"unknown size {size!r}; choose from {', '.join(SIZES)}")
        got = ensure(out, size)
        state = f"in {got.seconds:.1f} s" if got.seconds else "(already there)"
        print(f"{size}: {got.spends} spends, {got.lines} journal lines in {got.root} {state}")
    print(f"import sheet: {ensure_import(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
