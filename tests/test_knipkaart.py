"""The knipkaart: five exceptions per team per year, a forced sixth, and what they were for."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomlkit

from conftest import Result, assert_refused, snapshot
from maatwerk_cli import Ledger, RuleError
from maatwerk_cli.ops import knipkaart as kk

Cli = Callable[..., Result]

REASONS = [
    "Werk en Inkomen: geen wachttijd van vier weken voor de bijstandsaanvraag",
    "Werk en Inkomen: IB60 ontbreekt, aangifte nooit gedaan; aanvraag toch in behandeling",
    "Schuldhulp: intake zonder volledige map met papieren",
    "Wonen: urgentie zonder inschrijftermijn",
    "Leerplicht: boete opgeschort tijdens de crisis",
]


def status_json(lcli: Cli, *args: str) -> list[dict[str, Any]]:
    res = lcli("knipkaart", "status", "--format", "json", *args)
    assert res.code == 0, res.err
    data: list[dict[str, Any]] = json.loads(res.out)
    return data


def use(lcli: Cli, *args: str) -> Result:
    return lcli("knipkaart", "use", *args)


def set_per_year(path: Path, value: Any) -> None:
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    table = doc.get("knipkaart")
    if table is None:
        table = tomlkit.table()
        doc["knipkaart"] = table
    table["per_year"] = value
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")


def journal(ledger_dir: Path, slug: str) -> list[dict[str, str]]:
    text = (ledger_dir / "teams" / f"{slug}.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_five_uses_then_refused_then_a_forced_sixth(lcli: Cli, ledger_dir: Path) -> None:
    ids = []
    for month, reason in enumerate(REASONS, start=1):
        res = use(lcli, "noord", "--reason", reason, "--date", f"10-{month}-2025", "--by", "manager")
        assert res.code == 0, res.err
        ids.append(res.out.strip())
    assert ids == [f"noord-2025-{n:04d}" for n in range(1, 6)]
    [card] = status_json(lcli, "noord", "--year", "2025")
    assert {k: card[k] for k in ("team", "used", "limit", "remaining")} == {
        "team": "noord", "used": 5, "limit": 5, "remaining": 0}

    before = snapshot(ledger_dir)
    res = use(lcli, "noord", "--reason", "Werk en Inkomen: nog een keer", "--date", "1-7-2025")
    assert_refused(res, "used up", "5 of 5", "--force")
    assert snapshot(ledger_dir) == before

    res = use(lcli, "noord", "--reason", "Werk en Inkomen: nog een keer", "--date", "1-7-2025", "--force")
    assert res.code == 0, res.err
    assert res.out.strip() == "noord-2025-0006"
    assert "beyond the card" in res.err and "use 6" in res.err
    line = journal(ledger_dir, "noord")[-1]
    assert (line["type"], line["status"], line["reason"]) == (
        "knipkaart", "beyond", "Werk en Inkomen: nog een keer")

    [card] = status_json(lcli, "noord", "--year", "2025")
    assert (card["used"], card["limit"], card["remaining"], card["beyond"]) == (6, 5, 0, 1)
    assert [u["reason"] for u in card["uses"]] == [*REASONS, "Werk en Inkomen: nog een keer"]
    assert [u["beyond"] for u in card["uses"]] == [False] * 5 + [True]
    assert card["uses"][0] == {"team": "noord", "id": "noord-2025-0001", "date": "2025-01-10",
                               "reason": REASONS[0], "beyond": False, "by": "manager"}
    assert lcli("check").code == 0


def test_the_card_is_per_team_and_per_calendar_year(lcli: Cli) -> None:
    for month in range(1, 6):
        assert use(lcli, "noord", "--reason", f"uitzondering {month}", "--date", f"1-{month}-2024").code == 0
    assert use(lcli, "noord", "--reason", "nieuw jaar", "--date", "2-1-2025").code == 0
    assert use(lcli, "zuid", "--reason", "andere wijk", "--date", "2-1-2025").code == 0
    cards = {c["team"]: c for c in status_json(lcli, "--year", "2025")}
    assert (cards["noord"]["used"], cards["noord"]["remaining"]) == (1, 4)
    assert (cards["zuid"]["used"], cards["zuid"]["remaining"]) == (1, 4)
    cards = {c["team"]: c for c in status_json(lcli, "--year", "2024")}
    assert (cards["noord"]["used"], cards["zuid"]["used"]) == (5, 0)


def test_limit_from_settings_and_team_file(lcli: Cli, ledger_dir: Path) -> None:
    set_per_year(ledger_dir / "maatwerk.toml", 2)
    set_per_year(ledger_dir / "teams" / "zuid.toml", 3)
    for n in range(2):
        assert use(lcli, "noord", "--reason", f"noord {n}", "--date", "1-3-2025").code == 0
    assert_refused(use(lcli, "noord", "--reason", "noord 3", "--date", "1-3-2025"), "2 of 2")
    for n in range(3):
        assert use(lcli, "zuid", "--reason", f"zuid {n}", "--date", "1-3-2025").code == 0
    assert_refused(use(lcli, "zuid", "--reason", "zuid 4", "--date", "1-3-2025"), "3 of 3")
    limits = {c["team"]: c["limit"] for c in status_json(lcli, "--year", "2025")}
    assert limits == {"noord": 2, "zuid": 3}


def test_a_team_without_a_card(lcli: Cli, ledger_dir: Path) -> None:
    set_per_year(ledger_dir / "teams" / "zuid.toml", 0)
    assert_refused(use(lcli, "zuid", "--reason", "x", "--date", "1-3-2025"), "0 of 0")
    assert use(lcli, "zuid", "--reason", "toch nodig", "--date", "1-3-2025", "--force").code == 0


@pytest.mark.parametrize("value", [-1, 2.5, "vijf", True])
def test_bad_per_year_is_a_clear_error(lcli: Cli, ledger_dir: Path, value: Any) -> None:
    set_per_year(ledger_dir / "maatwerk.toml", value)
    before = snapshot(ledger_dir)
    assert_refused(use(lcli, "noord", "--reason", "x", "--date", "1-3-2025"), "per_year", "maatwerk.toml")
    assert snapshot(ledger_dir) == before
    checked = lcli("check")
    assert checked.code == 1 and checked.out.count("per_year") == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--reason", "   "], "--reason"),
        (["--reason", "x", "--date", "1-1-2099"], "future"),
        (["--reason", "x", "--date", "31-2-2025"], "date"),
        (["--reason", "bel mevrouw op 06-12345678"], "06-****-**78"),
        (["--reason", "x" * 2001], "2000"),
    ],
)
def test_bad_uses_write_nothing(lcli: Cli, ledger_dir: Path, args: list[str], needle: str) -> None:
    before = snapshot(ledger_dir)
    res = use(lcli, "noord", *args)
    assert_refused(res, needle)
    assert "12345678" not in res.err
    assert snapshot(ledger_dir) == before


def test_unknown_team(lcli: Cli, ledger_dir: Path) -> None:
    before = snapshot(ledger_dir)
    assert_refused(use(lcli, "noordd", "--reason", "x"), "unknown team", "noord")
    assert_refused(lcli("knipkaart", "status", "oost"), "unknown team")
    assert snapshot(ledger_dir) == before


def test_personal_data_allowed_is_recorded(lcli: Cli, ledger_dir: Path) -> None:
    res = use(lcli, "noord", "--reason", "contact W&I via wi@gemeente.example.nl", "--date", "1-3-2025",
              "--allow-personal-data")
    assert res.code == 0, res.err
    assert json.loads(journal(ledger_dir, "noord")[-1]["extra"]) == {"personal_data_allowed": True}
    assert lcli("check").code == 0


def test_status_table_markdown_csv_and_redact(lcli: Cli, ledger_dir: Path, tmp_path: Path) -> None:
    Ledger(ledger_dir).add_team("fonds", name="Doorbraakfonds", budget=Decimal("50000"), year=2025,
                                kind="fund")
    assert use(lcli, "noord", "--reason", "geen wachttijd", "--date", "1-3-2025", "--by", "Anna").code == 0
    table = lcli("knipkaart", "status", "--year", "2025")
    assert table.code == 0
    assert "Knipkaart 2025" in table.out and "What the exceptions were used for" in table.out
    assert "geen wachttijd" in table.out and "2.025" not in table.out
    assert "fonds" not in table.out  # a fund without uses has no card to show

    md = lcli("knipkaart", "status", "--year", "2025", "--format", "markdown")
    assert md.code == 0 and "| noord | 2025 | 1 | 5 | 4 | 0 |" in md.out and "geen wachttijd" in md.out
    plain = lcli("knipkaart", "status", "--year", "2025", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(plain.out)))
    assert [(r["team"], r["used"], r["limit"], r["remaining"]) for r in rows] == [
        ("noord", "1", "5", "4"), ("zuid", "0", "5", "5")]

    [card, _] = status_json(lcli, "--year", "2025", "--redact")
    assert card["uses"] == [{"team": "noord", "id": "noord-2025-0001", "date": "2025-03-01",
                             "beyond": False}]
    redacted = lcli("knipkaart", "status", "--year", "2025", "--redact")
    assert "geen wachttijd" not in redacted.out and "Anna" not in redacted.out

    out = tmp_path / "kaart.xlsx"
    assert lcli("knipkaart", "status", "--year", "2025", "--output", str(out)).code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws is not None
    # a title row, an empty row, the header (Dutch titles), then the teams
    assert [c.value for c in ws[3]][:3] == ["team", "year", "used"]
    assert [c.value for c in ws[4]][:5] == ["noord", 2025, 1, 5, 4]


def test_check_reports_damaged_knipkaart_lines(lcli: Cli, ledger_dir: Path) -> None:
    folder = Ledger(ledger_dir).folder
    folder.append("noord", [{"type": "knipkaart", "date": "2025-03-01", "reason": ""},
                            {"type": "knipkaart", "date": "2025-03-02", "reason": "x", "status": "half"}])
    res = lcli("check")
    assert res.code == 1
    assert "noord.csv:2: noord-2025-0001: a knipkaart use without a reason" in res.out
    assert "noord.csv:3: noord-2025-0002: unknown knipkaart status 'half'" in res.out


def test_library_api(ledger_dir: Path) -> None:
    lg = Ledger(ledger_dir)
    day = dt.date(2025, 4, 1)
    for n in range(5):
        kk.use(lg, "noord", reason=f"uitzondering {n}", date=day)
    with pytest.raises(RuleError, match="used up"):
        kk.use(lg, "noord", reason="zesde", date=day)
    kk.use(lg, "noord", reason="zesde", date=day, force=True)
    [card] = kk.status(lg, "noord", year=2025)
    assert (card.used, card.limit, card.remaining, card.beyond) == (6, 5, 0, 1)
    assert kk.limit_for(lg, "zuid") == kk.DEFAULT_PER_YEAR


def _html_cards(page: str) -> dict[str, dict[str, str]]:
    """The knipkaart table of the HTML report: per team its cells' JSON values."""
    import html
    import re

    table = re.search(r'<table class="figures" data-report="knipkaart">(.*?)</table>', page, re.S)
    assert table, "the report has no knipkaart table"
    out = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table[1], re.S):
        pairs = re.findall(r'data-key="([^"]+)" data-value="([^"]*)"', row)
        cells = {k: json.loads(html.unescape(v)) for k, v in pairs}
        if cells:
            out[str(cells["team"])] = cells
    return out


def _pack_cards(path: Path) -> dict[str, dict[str, Any]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    sheet = next(ws for ws in wb.worksheets if "knipkaart" in ws.title.lower())
    rows = [r for r in sheet.iter_rows(values_only=True) if any(c is not None for c in r)]
    head_at = next(i for i, r in enumerate(rows) if r and "team" in [str(c).lower() for c in r if c])
    head = [str(c).lower() if c is not None else "" for c in rows[head_at]]
    return {str(r[head.index("team")]): dict(zip(head, r, strict=False)) for r in rows[head_at + 1:]
            if r[head.index("team")] not in (None, "")}


@pytest.mark.parametrize("later", ["nothing", "a use voided", "the limit raised"])
def test_the_pack_and_the_report_show_the_same_knipkaart(lcli: Cli, ledger_dir: Path, tmp_path: Path,
                                                         later: str) -> None:
    """Six uses, one forced: the workbook pack, the HTML report and `knipkaart status` agree
    (the pack once counted forced uses, the report uses past the limit)."""
    ids = [use(lcli, "noord", "--reason", r, "--date", f"10-{m}-2025").out.strip()
           for m, r in enumerate(REASONS, start=1)]
    assert use(lcli, "noord", "--reason", "nog een keer", "--date", "1-7-2025", "--force").code == 0
    if later == "a use voided":
        assert lcli("void", ids[0], "--reason", "toch niet nodig").code == 0
    elif later == "the limit raised":
        set_per_year(ledger_dir / "maatwerk.toml", 8)
    [card] = status_json(lcli, "noord", "--year", "2025")
    assert card["beyond"] == 1
    assert lcli("pack", "--as-of", "31-12-2025", "-o", str(tmp_path / "pack.xlsx")).code == 0
    assert lcli("report", "--as-of", "31-12-2025", "-o", str(tmp_path / "r.html")).code == 0
    packed = _pack_cards(tmp_path / "pack.xlsx")
    shown = _html_cards((tmp_path / "r.html").read_text(encoding="utf-8"))
    for key in ("used", "limit", "remaining", "beyond"):
        assert int(shown["noord"][key]) == int(card[key]), (key, shown["noord"], card)
        title = {"used": "used", "limit": "on the card", "remaining": "remaining", "beyond": "beyond the card"}[key]
        assert int(packed["noord"][title]) == int(card[key]), (key, packed["noord"], card)


def test_pack_and_report_show_the_same_card_for_six_uses_one_forced(lcli: Cli, tmp_path: Path) -> None:
    """Issue 21: the workbook pack and the HTML report count the card from the same uses."""
    import re
    from html import unescape

    from openpyxl import load_workbook

    for month, reason in enumerate(REASONS, start=1):
        assert use(lcli, "noord", "--reason", reason, "--date", f"10-{month}-2025").code == 0
    assert use(lcli, "noord", "--reason", "Wonen: nog een keer", "--date", "1-7-2025", "--force").code == 0
    want = {"used": 6, "limit": 5, "remaining": 0, "beyond": 1}

    xlsx = tmp_path / "pack.xlsx"
    res = lcli("pack", "--as-of", "31-12-2025", "-o", str(xlsx))
    assert res.code == 0, res.err
    ws = load_workbook(xlsx)["knipkaart"]
    head = [ws.cell(row=3, column=n).value for n in range(1, ws.max_column + 1)]
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    from maatwerk_cli.render.listings import CARD_TABLE

    title = {c.key: c.title for c in CARD_TABLE}
    got = {key: rows["noord"][head.index(title[key])] for key in want}
    assert got == want, head

    page = tmp_path / "report.html"
    res = lcli("report", "--as-of", "31-12-2025", "-o", str(page))
    assert res.code == 0, res.err
    html = page.read_text(encoding="utf-8")
    table = re.search(r'<table[^>]*data-report="knipkaart".*?</table>', html, re.S)
    assert table is not None
    cards = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table[0], re.S):
        cells = dict(re.findall(r'data-key="([^"]+)" data-value="([^"]*)"', row))
        if cells.get("team"):
            cards[json.loads(unescape(cells["team"]))] = {k: json.loads(unescape(cells[k])) for k in want}
    assert cards["noord"] == want
