"""Receipts (*bonnen*, issue 27 item 3): a PDF or image kept with a spend in the ledger
folder, its SHA-256 on the line; refused when it is not one or too large; listed by
``show``; ``check`` finds a receipt gone, changed, or a file no line records. Real files
through the real command line; the receipts are small valid PNG and PDF files made here."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, Result, assert_refused, crash_points, posix_only, snapshot

Cli = Callable[..., Result]


def png(colour: int = 0) -> bytes:
    """A valid 1x1 PNG; ``colour`` makes another picture (another hash)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, colour, 0, 0]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf() -> bytes:
    """A valid one-page PDF."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def ok(result: Result) -> str:
    assert result.code == 0, result.err
    return result.out.strip()


def journal_extra(ledger_dir: Path, entry_id: str) -> dict[str, object]:
    import csv

    with open(ledger_dir / "teams" / "noord.csv", encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["id"] == entry_id)
    found: dict[str, object] = json.loads(row["extra"]) if row["extra"] else {}
    return found


@pytest.fixture
def receipt(tmp_path: Path) -> Path:
    path = tmp_path / "kassabon.png"
    path.write_bytes(png())
    return path


def test_a_spend_keeps_its_receipt_in_the_ledger_folder(lcli: Cli, ledger_dir: Path, receipt: Path) -> None:
    spend = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "3-3-2025", "--receipt", str(receipt)))
    sha = hashlib.sha256(receipt.read_bytes()).hexdigest()
    stored = ledger_dir / "bonnen" / "noord" / f"{spend}-{sha[:8]}.png"
    assert stored.read_bytes() == receipt.read_bytes()
    assert journal_extra(ledger_dir, spend)["receipt"] == {"sha256": sha, "type": "png", "size": len(png())}
    told = json.loads(ok(lcli("show", spend, "-f", "json")))
    assert told["receipts"] == [{"entry": spend, "line": spend, "file": f"bonnen/noord/{spend}-{sha[:8]}.png",
                                 "type": "png", "size": len(png()), "sha256": sha, "state": "ok",
                                 "current": True}]
    assert f"receipt {spend}-{sha[:8]}.png" in told["lines"][0]["details"]
    assert ok(lcli("check")).startswith("ok")
    # The name on the command line does not count: a PDF called .png is a PDF.
    invoice = receipt.with_name("factuur.png")
    invoice.write_bytes(pdf())
    other = ok(lcli("spend", "noord", "120", "-c", "Wonen", "-m", "factuur", "-d", "4-3-2025",
                    "--receipt", str(invoice)))
    assert journal_extra(ledger_dir, other)["receipt"]["type"] == "pdf"  # type: ignore[index]
    assert sorted(p.name for p in (ledger_dir / "bonnen" / "noord").iterdir())[1].endswith(".pdf")


@pytest.mark.parametrize("what", ["text", "empty", "missing", "folder", "too_large"])
def test_a_wrong_receipt_is_refused_and_nothing_is_written(lcli: Cli, ledger_dir: Path, tmp_path: Path,
                                                          what: str) -> None:
    path = tmp_path / "bon.png"
    if what == "text":
        path.write_text("kassabon: 35 euro", encoding="utf-8")  # named .png, but text
    elif what == "empty":
        path.write_bytes(b"")
    elif what == "folder":
        path.mkdir()
    elif what == "too_large":
        settings = ledger_dir / "maatwerk.toml"
        settings.write_text("receipt_max_mb = 0.001\n" + settings.read_text(encoding="utf-8"), encoding="utf-8")
        path.write_bytes(png() + b"\x00" * 2000)
    before = snapshot(ledger_dir)
    res = lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "3-3-2025", "--receipt", str(path))
    needle = {"text": "is not a PDF or an image", "empty": "is empty", "missing": "not found",
              "folder": "is not a file", "too_large": "receipt_max_mb"}[what]
    assert_refused(res, needle)
    assert snapshot(ledger_dir) == before
    assert not (ledger_dir / "bonnen").exists()


def test_refused_in_dutch(cli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "bon.jpg"
    path.write_text("geen plaatje", encoding="utf-8")
    res = cli("--lang", "nl", "--ledgers", str(ledger_dir), "spend", "noord", "35", "-c", "Vervoer",
              "-d", "3-3-2025", "--receipt", str(path))
    assert_refused(res, "is geen pdf of afbeelding")


def test_a_spend_refused_by_a_rule_leaves_no_receipt(lcli: Cli, ledger_dir: Path, receipt: Path) -> None:
    ok(lcli("spend", "noord", "35", "-c", "Wonen", "-d", "3-3-2025"))
    before = snapshot(ledger_dir)
    assert_refused(lcli("spend", "noord", "35", "-c", "Wonen", "-d", "3-3-2025", "--receipt", str(receipt)),
                   "possible_duplicate")
    assert snapshot(ledger_dir) == before


def test_check_finds_a_missing_a_changed_and_an_unlinked_receipt(lcli: Cli, ledger_dir: Path, receipt: Path) -> None:
    first = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "3-3-2025", "--receipt", str(receipt)))
    receipt.write_bytes(png(7))
    second = ok(lcli("spend", "noord", "36", "-c", "Vervoer", "-d", "3-3-2025", "--receipt", str(receipt)))
    folder = ledger_dir / "bonnen" / "noord"
    one, two = sorted(folder.iterdir())
    one.unlink()
    two.write_bytes(png(9))
    (folder / "los.pdf").write_bytes(pdf())
    res = lcli("check")
    assert res.code == 1
    assert f"{first}: its receipt ledgers/bonnen/noord/{one.name} is missing" in res.out
    assert f"{second}: its receipt ledgers/bonnen/noord/{two.name} was changed after it was recorded" in res.out
    assert "ledgers/bonnen/noord/los.pdf: no line records this file in bonnen/" in res.out
    told = json.loads(ok(lcli("show", second, "-f", "json")))
    assert told["receipts"][0]["state"] == "changed"
    assert json.loads(ok(lcli("show", first, "-f", "json")))["receipts"][0]["state"] == "missing"


def test_a_receipt_given_later_is_a_correction_and_voiding_it_takes_it_back(
        lcli: Cli, ledger_dir: Path, receipt: Path) -> None:
    spend = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "3-3-2025"))
    fix = ok(lcli("amend", spend, "--receipt", str(receipt), "--reason", "bon nagekomen"))
    sha = hashlib.sha256(png()).hexdigest()
    name = f"{spend}-{sha[:8]}.png"
    assert (ledger_dir / "bonnen" / "noord" / name).read_bytes() == png()
    told = json.loads(ok(lcli("show", spend, "-f", "json")))
    assert [r["line"] for r in told["receipts"]] == [fix] and told["receipts"][0]["current"]
    line = next(x for x in told["lines"] if x["id"] == fix)
    assert line["details"] == f"receipt (none) → {name}; corrected: bon nagekomen"
    entries = json.loads(ok(lcli("entries", "-f", "json")))
    assert len(entries) == 1
    # The same receipt again is no correction.
    assert_refused(lcli("amend", spend, "--receipt", str(receipt), "--reason", "nog eens"), "already")
    # A wrong file is refused before anything is written.
    before = snapshot(ledger_dir)
    text = receipt.with_name("bon.txt")
    text.write_text("bon", encoding="utf-8")
    assert_refused(lcli("amend", spend, "--receipt", str(text), "--reason", "x"), "not a PDF or an image")
    assert snapshot(ledger_dir) == before
    ok(lcli("void", fix, "--reason", "verkeerde bon"))
    told = json.loads(ok(lcli("show", spend, "-f", "json")))
    assert [r["current"] for r in told["receipts"]] == [False]
    assert ok(lcli("check")).startswith("ok")  # the file stays: a line records it (voided)


@posix_only("a file size limit (RLIMIT_FSIZE) makes the journal write fail")
def test_a_journal_write_that_fails_takes_the_receipt_back(lcli: Cli, ledger_dir: Path, receipt: Path) -> None:
    for n in range(3):
        ok(lcli("spend", "noord", str(30 + n), "-c", "Vervoer", "-d", "3-3-2025", "-n", "x" * 200))
    journal = ledger_dir / "teams" / "noord.csv"
    limit = journal.stat().st_size + 20  # room for the receipt file (69 bytes), not the line

    import resource  # POSIX only: imported here so the module loads on Windows

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    before = snapshot(ledger_dir)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAATWERK_LANG": "en", "MAATWERK_NO_CACHE": "1"}
    res = subprocess.run([sys.executable, "-m", "maatwerk_cli", "--ledgers", str(ledger_dir), "spend", "noord",
                          "35", "-c", "Wonen", "-d", "4-3-2025", "--receipt", str(receipt)],
                         capture_output=True, text=True, env=env, preexec_fn=small_files, timeout=60)
    assert res.returncode == 2 and "File too large" in res.stderr, res.stderr
    # The receipt's folder was made (the file was written), and the file taken back.
    assert (ledger_dir / "bonnen" / "noord").is_dir()
    assert snapshot(ledger_dir) == before


def test_a_crash_never_leaves_a_line_without_its_receipt(ledger_dir: Path, tmp_path: Path, receipt: Path) -> None:
    args = ["spend", "noord", "35", "-c", "Vervoer", "-d", "3-3-2025", "--receipt", str(receipt)]
    seen = recorded = 0
    for root, _ in crash_points(ledger_dir, tmp_path / "crash", args, "write", "before"):
        seen += 1
        journal = root / "teams" / "noord.csv"
        lines = journal.read_text(encoding="utf-8").splitlines() if journal.exists() else []
        stored = sorted((root / "bonnen" / "noord").glob("noord-*")) if (root / "bonnen").exists() else []
        if lines and lines[-1].startswith("noord-2025-0001,"):
            assert [p.read_bytes() for p in stored] == [png()]
            recorded += 1
    assert seen > 1 and recorded >= 1


def test_the_beancount_export_links_receipts_as_documents(lcli: Cli, ledger_dir: Path, receipt: Path,
                                                         tmp_path: Path) -> None:
    import shutil

    spend = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "3-3-2025", "--receipt", str(receipt)))
    ok(lcli("spend", "noord", "12", "-c", "Wonen", "-d", "4-3-2025"))
    out = tmp_path / "x.beancount"
    ok(lcli("export", "beancount", "-o", str(out)))
    stored = next((ledger_dir / "bonnen" / "noord").iterdir()).resolve()
    assert f'2025-03-03 document Expenses:Maatwerk:Noord:Vervoer "{stored}" ^{spend}' in out.read_text(encoding="utf-8")
    tool = shutil.which("bean-check") or str(Path(sys.executable).with_name("bean-check"))
    if not Path(tool).exists():
        pytest.skip("beancount is not installed (pip install beancount)")
    done = subprocess.run([tool, str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    loader = pytest.importorskip("beancount.loader")
    entries, errors, _ = loader.load_file(str(out))
    assert not errors
    documents = [e for e in entries if type(e).__name__ == "Document"]
    assert [(d.filename, sorted(d.links)) for d in documents] == [(str(stored), [spend])]
    # bean-check holds the export to the file: a receipt gone is an error there too.
    stored.unlink()
    assert subprocess.run([tool, str(out)], capture_output=True, text=True, timeout=120).returncode != 0
    # A redacted export names no file.
    ok(lcli("export", "beancount", "--redact", "-o", str(out)))
    assert " document " not in out.read_text(encoding="utf-8")


def test_anonymise_removes_old_receipts_with_their_lines(lcli: Cli, ledger_dir: Path, receipt: Path) -> None:
    old = ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "3-3-2025", "--receipt", str(receipt)))
    later = ok(lcli("spend", "noord", "36", "-c", "Vervoer", "-d", "3-3-2025"))
    receipt.write_bytes(png(5))
    ok(lcli("amend", later, "--receipt", str(receipt), "--reason", "bon nagekomen"))
    receipt.write_bytes(png(6))
    kept = ok(lcli("spend", "noord", "37", "-c", "Vervoer", "-d", "3-6-2025", "--receipt", str(receipt)))
    folder = ledger_dir / "bonnen" / "noord"
    assert len(list(folder.iterdir())) == 3
    ok(lcli("anonymise", "--before", "1-6-2025"))
    assert [p.name.startswith(kept) for p in folder.iterdir()] == [True]
    assert "receipt" not in journal_extra(ledger_dir, old)
    assert journal_extra(ledger_dir, old)["receipt_removed"] is True
    assert ok(lcli("check")).startswith("ok")
    told = json.loads(ok(lcli("show", old, "-f", "json")))
    assert "receipts" not in told and "receipt removed" in told["lines"][0]["details"]
    assert json.loads(ok(lcli("show", kept, "-f", "json")))["receipts"][0]["state"] == "ok"


def test_anonymise_is_all_or_nothing_with_the_receipts(ledger_dir: Path, tmp_path: Path, receipt: Path) -> None:
    from maatwerk_cli import Ledger

    lg = Ledger(ledger_dir)
    lg.spend("noord", "35", category="Vervoer", date="3-3-2025", receipt=str(receipt))
    for op in ("write", "replace"):
        for root, _ in crash_points(ledger_dir, tmp_path / op, ["anonymise", "--before", "1-1-2026"], op, "before"):
            # Whatever the crash left, the next reader finishes the rewrite or finds it undone:
            # a line that records a receipt has its file, and no receipt is unlinked.
            res = subprocess.run([sys.executable, "-m", "maatwerk_cli", "--ledgers", str(root), "check"],
                                 capture_output=True, text=True, timeout=60,
                                 env={**os.environ, "PYTHONPATH": str(ROOT), "MAATWERK_LANG": "en"})
            assert "receipt" not in res.stdout + res.stderr, res.stdout + res.stderr
            text = (root / "teams" / "noord.csv").read_text(encoding="utf-8")
            files = list((root / "bonnen" / "noord").iterdir())
            assert ('"receipt":' in text.replace('""', '"')) == bool(files), (text, files)


def test_check_counts_spends_above_the_set_amount_without_a_receipt(lcli: Cli, ledger_dir: Path,
                                                                   receipt: Path) -> None:
    settings = ledger_dir / "maatwerk.toml"
    settings.write_text('receipt_required_above = "100"\n' + settings.read_text(encoding="utf-8"), encoding="utf-8")
    ok(lcli("spend", "noord", "35", "-c", "Vervoer", "-d", "3-3-2025"))
    ok(lcli("spend", "noord", "150", "-c", "Wonen", "-d", "3-3-2025"))
    ok(lcli("spend", "noord", "250", "-c", "Wonen", "-d", "4-3-2025", "--receipt", str(receipt)))
    ok(lcli("spend", "zuid", "1.234,56", "-c", "Wonen", "-d", "4-3-2025"))
    res = lcli("check", "-f", "json")
    assert res.code == 1
    found = {p["file"]: p["message"] for p in json.loads(res.out)}
    assert found == {"ledgers/teams/noord.csv": "1 spend(s) above € 100,00 without a receipt (receipt_required_above)",
                     "ledgers/teams/zuid.csv": "1 spend(s) above € 100,00 without a receipt (receipt_required_above)"}
    ok(lcli("void", "noord-2025-0002", "--reason", "dubbel"))
    assert "noord" not in lcli("check").out


def test_import_entries_takes_a_receipt_column(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    sheets = tmp_path / "maart"
    sheets.mkdir()
    (sheets / "bon1.png").write_bytes(png(1))
    (sheets / "factuur.pdf").write_bytes(pdf())
    sheet = sheets / "maart.csv"
    sheet.write_text("datum;bedrag;categorie;team;bon\n3-3-2025;35;Vervoer;noord;bon1.png\n"
                     "4-3-2025;120;Wonen;zuid;factuur.pdf\n5-3-2025;12;Vervoer;noord;\n", encoding="utf-8")
    ok(lcli("import", "entries", str(sheet)))
    noord = sorted(p.name for p in (ledger_dir / "bonnen" / "noord").iterdir())
    zuid = sorted(p.name for p in (ledger_dir / "bonnen" / "zuid").iterdir())
    assert [n.rsplit("-", 1)[0] for n in noord] == ["noord-2025-0001"] and noord[0].endswith(".png")
    assert [n.rsplit("-", 1)[0] for n in zuid] == ["zuid-2025-0001"] and zuid[0].endswith(".pdf")
    assert ok(lcli("check")).startswith("ok")
    assert json.loads(ok(lcli("show", "zuid-2025-0001", "-f", "json")))["receipts"][0]["type"] == "pdf"
    # A wrong file in any row: every bad row listed, nothing written, no file left.
    (sheets / "bon2.png").write_text("geen plaatje", encoding="utf-8")
    bad = sheets / "april.csv"
    bad.write_text("datum;bedrag;categorie;team;bon\n3-4-2025;36;Vervoer;noord;bon1.png\n"
                   "4-4-2025;37;Vervoer;noord;bon2.png\n5-4-2025;38;Vervoer;noord;weg.png\n", encoding="utf-8")
    before = snapshot(ledger_dir)
    res = lcli("import", "entries", str(bad))
    assert res.code == 2 and "is not a PDF or an image" in res.err and "weg.png not found" in res.err, res.err
    assert snapshot(ledger_dir) == before
