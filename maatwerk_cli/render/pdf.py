"""The report's HTML page as a PDF, through a real layout engine: WeasyPrint when it can be
imported, else a headless Chromium (``chromium --headless --print-to-pdf``): Chromium itself,
Google Chrome or Microsoft Edge (which every Windows 10 and 11 has), from
``$MAATWERK_CHROMIUM``, the PATH, or their standard install folders on Windows and macOS
(:func:`install_candidates`), where installers put them rather than on the PATH. Both
honour the page's print CSS (A4, page numbers, no chart split). Neither is a dependency of the
tool: without one, writing a PDF is refused with one line saying where it looked and how to
get one.
"""

from __future__ import annotations

import contextlib
import ntpath
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..core.errors import InputError, MaatwerkError
from ..core.messages import tr
from ..store.atomic import write_atomic

#: Names a Chromium goes by on Linux, macOS (via PATH) and Windows.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge")
#: Windows: under each folder its variable names, Edge first (every Windows 10 and 11 has it).
WINDOWS_INSTALLS = (
    ("ProgramFiles(x86)", ("Microsoft", "Edge", "Application", "msedge.exe")),
    ("ProgramFiles", ("Microsoft", "Edge", "Application", "msedge.exe")),
    ("ProgramFiles", ("Google", "Chrome", "Application", "chrome.exe")),
    ("ProgramFiles(x86)", ("Google", "Chrome", "Application", "chrome.exe")),
    ("LocalAppData", ("Google", "Chrome", "Application", "chrome.exe")),
    ("ProgramFiles", ("Chromium", "Application", "chrome.exe")),
    ("LocalAppData", ("Chromium", "Application", "chrome.exe")),
)
#: macOS: the program inside each app bundle, in /Applications or the user's ~/Applications.
MAC_APPS = (
    ("Google Chrome.app", "Google Chrome"),
    ("Microsoft Edge.app", "Microsoft Edge"),
    ("Chromium.app", "Chromium"),
)
#: Where :func:`install_candidates` looks, as the refusal names it.
PLACES = {"win32": "%ProgramFiles%, %ProgramFiles(x86)% and %LocalAppData%",
          "darwin": "/Applications and ~/Applications"}
#: Seconds Chromium may take to print the page.
TIMEOUT = 120


def no_engine(platform: str = sys.platform) -> str:
    """The refusal when there is no engine: what is needed, where it was looked for, how to set one."""
    if platform in PLACES:
        return tr("writing a PDF needs WeasyPrint (pip install weasyprint) or Chromium, Chrome or Edge; none was "
                  "found on the PATH nor in {places}. Set MAATWERK_CHROMIUM to the browser's program, or write "
                  "FILE.html instead and print it from a browser", places=PLACES[platform])
    return tr("writing a PDF needs WeasyPrint (pip install weasyprint) or Chromium, Chrome or Edge (e.g. apt-get "
              "install chromium); none was found on the PATH. Set MAATWERK_CHROMIUM to the browser's program, or "
              "write FILE.html instead and print it from a browser")


def install_candidates(platform: str, environ: Mapping[str, str]) -> list[str]:
    """Where Edge, Chrome and Chromium are installed on ``platform`` (``sys.platform``'s
    values), given the environment: the paths to try, best first. Written with that
    platform's separators whichever platform runs this (so it is tested everywhere)."""
    if platform == "win32":
        # Windows' variable names are case-insensitive; os.environ there is upper-cased.
        upper = {key.upper(): value for key, value in environ.items()}
        return list(dict.fromkeys(ntpath.join(upper[var.upper()], *parts) for var, parts in WINDOWS_INSTALLS
                                  if upper.get(var.upper(), "").strip()))
    if platform == "darwin":
        roots = ["/Applications"]
        home = environ.get("HOME", "").strip()
        if home:
            roots.append(posixpath.join(home, "Applications"))
        return [posixpath.join(root, app, "Contents", "MacOS", program)
                for root in roots for app, program in MAC_APPS]
    return []


def installed(platform: str, environ: Mapping[str, str]) -> str | None:
    """The first of :func:`install_candidates` that is there as a program."""
    for candidate in install_candidates(platform, environ):
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium() -> str | None:
    """The Chromium to print with: ``$MAATWERK_CHROMIUM``, else the first on PATH, else
    the first in its platform's install folders."""
    given = os.environ.get("MAATWERK_CHROMIUM", "").strip()
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return installed(sys.platform, os.environ)


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
        raise InputError(no_engine())
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
    # The page holds the stories: it is written beside the PDF being made, in the folder
    # the user chose for them, never in the temp folder (on a shared PC, or left behind by
    # a crash, that would be a copy elsewhere). Only Chromium's profile is made there: it
    # keeps nothing of the page.
    page = out.with_name(out.name + ".html")
    try:
        write_atomic(page, html, durable=False)
        _print_page(exe, page, out)
    finally:
        with contextlib.suppress(OSError):
            page.unlink()


def _print_page(exe: str, page: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="maatwerk-pdf-") as work:
        args = [exe, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                f"--user-data-dir={Path(work) / 'profile'}", "--no-pdf-header-footer",
                f"--print-to-pdf={out}", Path(os.path.abspath(page)).as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        try:
            # Chromium's messages in whatever bytes it writes: read as UTF-8, never failing on
            # them (the console's code page on Windows is no promise about a browser's output).
            done = subprocess.run(args, capture_output=True, encoding="utf-8", errors="replace",
                                  timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MaatwerkError(tr("Chromium ({exe}) could not print the report: {error}",
                                   exe=exe, error=exc)) from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise MaatwerkError(tr("Chromium ({exe}) could not print the report (exit {code}): {last}",
                                   exe=exe, code=done.returncode, last=last))
