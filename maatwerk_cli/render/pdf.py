"""The report's HTML page as a PDF, through a real layout engine: WeasyPrint when it can be
imported, else a headless Chromium (``chromium --headless --print-to-pdf``). Both honour
the page's print CSS (A4, a new page per section). Neither is a dependency of the tool:
without one, writing a PDF is refused with one line saying how to get one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import InputError, MaatwerkError
from ..store.atomic import write_atomic

#: Names a Chromium goes by on Linux, macOS (via PATH) and Windows.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge")
NO_ENGINE = ("writing a PDF needs WeasyPrint (pip install weasyprint) or Chromium (e.g. apt-get install "
             "chromium; or set MAATWERK_CHROMIUM to its path); neither was found. Write FILE.html instead "
             "and print it from a browser")
#: Seconds Chromium may take to print the page.
TIMEOUT = 120


def chromium() -> str | None:
    """The Chromium to print with: ``$MAATWERK_CHROMIUM``, else the first on PATH."""
    given = os.environ.get("MAATWERK_CHROMIUM", "").strip()
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def engine() -> str:
    """``weasyprint`` or the path of a Chromium; InputError when there is neither."""
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        pass
    else:
        return "weasyprint"
    found = chromium()
    if found is None:
        raise InputError(NO_ENGINE)
    return found


def write_pdf(html: str, path: Path) -> str:
    """``html`` printed to ``path`` (written whole or not at all); returns the engine used."""
    from .output import check_output

    use = engine()
    check_output(path)  # again: the folder may have changed since the command began
    from ..store.atomic import write_via

    def produce(tmp: Path) -> None:
        if use == "weasyprint":
            import weasyprint

            # No base URL: the page refers to nothing, so nothing is fetched.
            weasyprint.HTML(string=html).write_pdf(str(tmp))
        else:
            _chromium_pdf(use, html, tmp)

    write_via(path, produce)
    return use


def _chromium_pdf(exe: str, html: str, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="maatwerk-pdf-") as work:
        page = Path(work) / "report.html"
        write_atomic(page, html, durable=False)
        args = [exe, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                f"--user-data-dir={Path(work) / 'profile'}", "--no-pdf-header-footer",
                f"--print-to-pdf={out}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MaatwerkError(f"Chromium ({exe}) could not print the report: {exc}") from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise MaatwerkError(f"Chromium ({exe}) could not print the report (exit {done.returncode}): {last}")
