"""A small Chrome DevTools Protocol client on the standard library, for the report tests.

Chromium is started headless with ``--remote-debugging-pipe``: the protocol's JSON
messages go over two pipes (Chromium reads fd 3 and writes fd 4, each message ended by a
NUL byte), so there is no port, no websocket and no extra package.

Also a PNG reader (zlib and the five row filters) so a screenshot's pixels can be checked
without Pillow, and, run as a script, a screenshot tool::

    python tests/cdp.py page.html out.png [--width 1100] [--height 1800] [--element "#benutting"]
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    given = os.environ.get("MAATWERK_CHROMIUM", "").strip()
    if given:
        return given if Path(given).is_file() else shutil.which(given)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


_MOVE_FDS = """
import fcntl, os, sys
high = [fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3]]
os.dup2(high[0], 3)
os.dup2(high[1], 4)
os.execv(sys.argv[3], sys.argv[3:])
"""


class CDPError(RuntimeError):
    pass


class Browser:
    """A headless Chromium driven over the DevTools pipe; one page (target) at a time."""

    def __init__(self, exe: str, profile: Path, timeout: float = 30) -> None:
        self.timeout = timeout
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        args = [exe, "--headless", "--remote-debugging-pipe", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--disable-sync", "--disable-component-update", "--hide-scrollbars", "--mute-audio",
                f"--user-data-dir={profile}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")
        # A small Python moves the pipes to fds 3 and 4, where Chromium expects them, then becomes
        # Chromium (by way of high fds, so that neither pipe is overwritten by the other).
        self.proc = subprocess.Popen([sys.executable, "-c", _MOVE_FDS, str(to_chrome_r), str(from_chrome_w), *args],
                                     pass_fds=(to_chrome_r, from_chrome_w), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next = 0
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.session: str | None = None

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_chrome, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    box = self._replies.get(message["id"])
                    if box is not None:
                        box.put(message)
                else:
                    self.events.put(message)

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: bool = True) -> dict[str, Any]:
        with self._lock:
            self._next += 1
            n = self._next
            box: queue.Queue[dict[str, Any]] = queue.Queue()
            self._replies[n] = box
        message: dict[str, Any] = {"id": n, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        try:
            reply = box.get(timeout=self.timeout)
        except queue.Empty:
            raise CDPError(f"no answer to {method} within {self.timeout} s") from None
        finally:
            self._replies.pop(n, None)
        if "error" in reply:
            raise CDPError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def open_page(self, width: int = 1100, height: int = 900) -> None:
        """A new page; its events (console, network, load) are switched on."""
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        # Nothing may leave the machine: every scheme a page could reach out with is blocked.
        self.send("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*", "ftp://*"]})
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def wait_for(self, method: str, timeout: float | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Wait for one event; returns it and every event seen before it."""
        seen: list[dict[str, Any]] = []
        end = time.monotonic() + (timeout or self.timeout)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise CDPError(f"no {method} within the time")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            if event.get("method") == method:
                return event, seen
            seen.append(event)

    def drain(self, settle: float = 0.3) -> list[dict[str, Any]]:
        """The events that arrive within ``settle`` seconds."""
        out = []
        end = time.monotonic() + settle
        while time.monotonic() < end:
            try:
                out.append(self.events.get(timeout=max(end - time.monotonic(), 0.01)))
            except queue.Empty:
                break
        return out

    def navigate(self, url: str) -> list[dict[str, Any]]:
        """Load ``url``; returns every event until the load, and shortly after."""
        self.send("Page.navigate", {"url": url})
        _, before = self.wait_for("Page.loadEventFired")
        return before + self.drain()

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise CDPError(f"script failed: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, *, full: bool = True, width: int | None = None, height: int | None = None,
                   scale: float = 1) -> bytes:
        """A PNG of the page: the whole page (``full``), or its top ``height`` px; ``scale``
        shrinks it (0.25: a quarter of the size each way)."""
        metrics = self.send("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        w = width or int(size["width"])
        h = int(size["height"]) if full else (height or 900)
        data = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": w, "height": h, "scale": scale}})["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        with contextlib.suppress(CDPError, OSError):
            self.send("Browser.close", session=False)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._to_chrome, self._from_chrome):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


# ---------------------------------------------------------------------------- PNG


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """Width, height, bytes per pixel and the raw pixel rows of an 8-bit PNG (no palette)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            if depth != 8 or colour not in (0, 2, 4, 6):
                raise ValueError(f"PNG depth {depth} colour type {colour} not handled")
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    out = bytearray()
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        out += line
        previous = line
    return width, height, channels, bytes(out)


def grey_variance(data: bytes, step: int = 7) -> tuple[float, float]:
    """Mean and variance of the brightness of every ``step``-th pixel (a blank page has none)."""
    width, height, channels, pixels = png_pixels(data)
    values = []
    for n in range(0, width * height, step):
        px = pixels[n * channels:(n + 1) * channels]
        values.append(sum(px[:3]) / min(channels, 3))
    mean = sum(values) / len(values)
    return mean, sum((v - mean) ** 2 for v in values) / len(values)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Screenshot an HTML file with headless Chromium.")
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=0, help="only the top this many px (default: whole page)")
    parser.add_argument("--element", default="", help="only this element (a CSS selector), with a margin")
    args = parser.parse_args(argv)
    exe = find_chromium()
    if exe is None:
        print("no chromium found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as profile, Browser(exe, Path(profile)) as browser:
        browser.open_page(width=args.width)
        browser.navigate(args.page.resolve().as_uri())
        if args.element:
            box = browser.evaluate(f"JSON.stringify(document.querySelector({json.dumps(args.element)})"
                                   ".getBoundingClientRect())")
            r = json.loads(box)
            clip = {"x": max(r["x"] - 16, 0), "y": max(r["y"] - 16, 0), "width": r["width"] + 32,
                    "height": r["height"] + 32, "scale": 1}
            data = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                           "clip": clip})["data"]
            args.png.write_bytes(base64.b64decode(data))
        else:
            args.png.write_bytes(browser.screenshot(full=not args.height, height=args.height or None))
    print(args.png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
