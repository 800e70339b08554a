"""The ledger folder on disk: settings, budget holders and their append-only journals.

Layout (documented for users in ``docs/formats.md``)::

    maatwerk.toml          settings: municipality, categories, rules, knipkaart, cash
    maatwerk.lock          lock file; every write holds it
    teams/<slug>.toml      a budget holder: name, kind, budget per year, per-team rules
    teams/<slug>.csv       its journal: one line per event, never edited

Safety: every write holds the folder lock; journal lines are written whole in one
``write`` on an append-only descriptor and fsynced; TOML files are replaced through a
temporary file in the same folder (write, fsync, rename, fsync the folder). Every line
carries a checksum, so a torn or hand-edited line is found by every reader.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..core.dates import parse_iso
from ..core.errors import BusyError, LedgerError, NotFoundError, Problem
from ..core.money import amount_from_file, format_plain, parse_amount
from ..core.records import (
    DEFAULT_CATEGORIES,
    JOURNAL_COLUMNS,
    ROW_TYPES,
    Row,
    Settings,
    Team,
    closest,
)

SETTINGS_FILE = "maatwerk.toml"
LOCK_FILE = "maatwerk.lock"
# Present only while a batch over several journals is being written (or after its writer
# died): the journal sizes before it. Readers ignore what lies beyond them; the next
# writer cuts it off. This keeps `import entries` all-or-none even across a crash.
PENDING_FILE = "maatwerk.pending"
TEAMS_DIR = "teams"
HEADER = ",".join(JOURNAL_COLUMNS) + "\n"
LOCK_TIMEOUT = 30.0
# How far back from the end of a journal we look for the last id; lines are far shorter.
TAIL_CHUNK = 64 * 1024
_ID = re.compile(r"^([a-z0-9][a-z0-9-]*)-(\d{4})-(\d{4,})$")
_ID_PREFIX = re.compile(rb"^([a-z0-9][a-z0-9-]*)-(\d{4})-(\d{4,}),")


# ---------------------------------------------------------------------------- locking


class FolderLock:
    """An exclusive lock on the ledger folder, held while writing.

    POSIX record locks (``lockf``) work across processes and, unlike ``flock``, over
    NFS; the kernel drops them when a process dies, so a crash never leaves a stale lock.
    """

    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        pause = 0.002
        while True:
            try:
                _lock_fd(fd)
                break
            except OSError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise BusyError(
                        f"the ledger is locked by another writer for over {self.timeout:.0f} s; "
                        "try again"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            _unlock_fd(self._fd)
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock_fd(fd: int) -> None:
        fcntl.lockf(fd, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------- atomic files


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable (a no-op where unsupported)."""
    if sys.platform == "win32":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text``: temp file in the same folder, fsync, rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = text.encode("utf-8")
    # os-level calls, like the journal: no buffering in between, and every write and
    # fsync error reaches us (and the fault tests can inject them at the OS boundary).
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o644)
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text`` (atomically; refuses to overwrite)."""
    if path.exists():
        raise LedgerError(f"{path} exists already")
    write_atomic(path, text)


# ---------------------------------------------------------------------------- TOML


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a damaged file is a LedgerError naming file and line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NotFoundError(f"{path} does not exist") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LedgerError(f"{path}: not UTF-8 text") from None
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LedgerError(f"{path}: {exc}") from None
    import tomlkit  # pragma: no cover - Python 3.10

    try:  # pragma: no cover
        return tomlkit.parse(text).unwrap()
    except Exception as exc:  # pragma: no cover - tomlkit raises many kinds
        raise LedgerError(f"{path}: {exc}") from None


def toml_amount(value: object, where: str) -> Decimal:
    """A budget or limit from a TOML file: a number, or Dutch text like ``"10.000"``."""
    if isinstance(value, bool):
        raise LedgerError(f"{where}: expected an amount, found {value!r}")
    if isinstance(value, int):
        return Decimal(value).quantize(Decimal("0.01"))
    if isinstance(value, float):
        # repr() gives the shortest text that reads back the same: 10000.5 -> "10000.5".
        return parse_amount(repr(value), what=where, allow_zero=True)
    if isinstance(value, str):
        return parse_amount(value, what=where, allow_zero=True)
    raise LedgerError(f"{where}: expected an amount, found {value!r}")


def toml_amount_text(value: Decimal) -> str:
    """How the tool writes an amount into TOML: a whole number, or a string with cents."""
    if value == value.to_integral_value():
        return str(int(value))
    return f'"{format_plain(value)}"'


# ---------------------------------------------------------------------------- journal lines


def checksum(values: Sequence[str]) -> str:
    """Eight hex digits over a line's cells: catches torn, garbled or hand-edited lines."""
    return hashlib.sha256("\x1f".join(values).encode("utf-8")).hexdigest()[:8]


def encode_line(cells: Mapping[str, str]) -> str:
    """One journal line, with its checksum, ending in a newline."""
    values = [cells.get(name, "") for name in JOURNAL_COLUMNS[:-1]]
    values.append(checksum(values))
    buf = io.StringIO()
    # With "\n" as line end the csv module leaves a bare CR unquoted, and readers would
    # split the line there: such a line is written fully quoted.
    if any("\r" in v for v in values):
        csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(values)
    else:
        csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def now_stamp() -> str:
    """The moment of recording, in UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def extra_text(extra: Mapping[str, Any]) -> str:
    return json.dumps(dict(extra), ensure_ascii=False, sort_keys=True, separators=(",", ":")) if extra else ""


@dataclass(frozen=True, slots=True)
class JournalRead:
    """What a reader got from one journal.

    rows: the good lines, in file order.
    problems: every line set aside, with file, line and why (torn, damaged, edited).
    size: bytes read, for caches.
    """

    rows: tuple[Row, ...]
    problems: tuple[Problem, ...]
    size: int = 0


def _parse_date(text: str, name: str, required: bool) -> dt.date | None:
    if not text:
        if required:
            raise ValueError(f"{name} is empty")
        return None
    try:
        return parse_iso(text)
    except ValueError:
        raise ValueError(f"{name} {text!r} is not a date like 2025-03-14") from None


def parse_row(values: list[str], team: str, line: int) -> Row:
    """A journal line's cells as a Row; ValueError says what is wrong."""
    if len(values) != len(JOURNAL_COLUMNS):
        raise ValueError(f"has {len(values)} cells, expected {len(JOURNAL_COLUMNS)}")
    if checksum(values[:-1]) != values[-1]:
        raise ValueError(
            "checksum does not match: the line was damaged or edited by hand "
            "(record corrections as events, e.g. `maatwerk void`)"
        )
    c = dict(zip(JOURNAL_COLUMNS, values, strict=True))
    m = _ID.match(c["id"])
    if not m or m[1] != team:
        raise ValueError(f"id {c['id']!r} is not an id of team {team!r}")
    if c["type"] not in ROW_TYPES:
        raise ValueError(f"unknown type {c['type']!r}")
    amount = amount_from_file(c["amount"]) if c["amount"] else None
    extra: dict[str, Any] = {}
    if c["extra"]:
        loaded = json.loads(c["extra"])
        if not isinstance(loaded, dict):
            raise ValueError("extra is not a JSON object")
        extra = loaded
    return Row(
        id=c["id"],
        type=c["type"],
        date=_parse_date(c["date"], "date", True) or dt.date.min,
        ref=c["ref"],
        amount=amount,
        category=c["category"],
        method=c["method"],
        kind=c["kind"],
        household=c["household"],
        due=_parse_date(c["due"], "due", False),
        condition=c["condition"],
        tegenprestatie=c["tegenprestatie"],
        status=c["status"],
        note=c["note"],
        reason=c["reason"],
        by=c["by"],
        extra=extra,
        recorded_at=c["recorded_at"],
        team=team,
        line=line,
    )


def read_journal(
    path: Path, team: str, display: str | None = None, limit: int | None = None
) -> JournalRead:
    """Every good row of a journal, and a Problem for every line set aside.

    ``limit``: read only the first bytes, those committed before an unfinished batch.
    """
    name = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return JournalRead((), (), 0)
    if limit is not None:
        data = data[:limit]
    problems: list[Problem] = []
    rows: list[Row] = []
    if not data:
        return JournalRead((), (Problem(name, 1, "file is empty; the header line is missing"),), 0)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    torn_tail = lines[-1] != b""
    if not torn_tail:
        lines.pop()
    header = lines[0].decode("utf-8", "replace").rstrip("\r")
    if torn_tail and len(lines) == 1 and HEADER.startswith(header):
        problems.append(Problem(name, 1, "header line is incomplete (torn write); no lines yet"))
        return JournalRead((), tuple(problems), len(data))
    if header + "\n" != HEADER:
        problems.append(
            Problem(name, 1, "header line is not the journal header; the file cannot be trusted")
        )
        return JournalRead((), tuple(problems), len(data))
    last = len(lines)
    for number, raw in enumerate(lines[1:], start=2):
        if number == last and torn_tail:
            problems.append(
                Problem(name, number, "last line is incomplete (torn write); it was set aside")
            )
            break
        if not raw.strip():
            problems.append(Problem(name, number, "empty line"))
            continue
        try:
            text = raw.decode("utf-8")
            values = next(csv.reader([text.rstrip("\r")]))
            rows.append(parse_row(values, team, number))
        except (ValueError, UnicodeDecodeError, csv.Error, StopIteration) as exc:
            problems.append(Problem(name, number, f"damaged line set aside: {exc}"))
    return JournalRead(tuple(rows), tuple(problems), len(data))


def _last_id_seq(path: Path, team: str) -> tuple[int, bool]:
    """The sequence number of the last good line of a journal, and whether it ends cleanly.

    Reads only the tail: recording costs the same on ten lines or a million. A torn last
    line (no newline) does not count: its id was never confirmed to anyone.
    """
    with open(path, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        chunk_size = TAIL_CHUNK
        while True:
            start = max(0, size - chunk_size)
            fh.seek(start)
            chunk = fh.read(size - start)
            ends_clean = chunk.endswith(b"\n")
            lines = chunk.split(b"\n")
            lines.pop()  # b"" after a clean end, else the torn line
            if start > 0:
                lines = lines[1:]  # may be the end of a longer line
            for raw in reversed(lines):
                m = _ID_PREFIX.match(raw)
                if not m or m[1].decode() != team:
                    continue
                try:
                    values = next(csv.reader([raw.decode("utf-8").rstrip("\r")]))
                except (UnicodeDecodeError, csv.Error, StopIteration):
                    continue
                if len(values) == len(JOURNAL_COLUMNS) and checksum(values[:-1]) == values[-1]:
                    return int(m[3]), ends_clean
            if start == 0:
                return 0, ends_clean
            chunk_size *= 4


def make_id(team: str, year: int, seq: int) -> str:
    return f"{team}-{year}-{seq:04d}"


def split_id(entry_id: str) -> tuple[str, int, int]:
    """``noord-2025-0042`` as (team, year, sequence); InputError-free: ValueError."""
    m = _ID.match(entry_id.strip().lower())
    if not m:
        raise ValueError(entry_id)
    return m[1], int(m[2]), int(m[3])


# ---------------------------------------------------------------------------- the folder


#: Team files already parsed in this process: path -> (stat stamp, Team).
_TEAMS_READ: dict[str, tuple[tuple[int, ...], Team]] = {}


class LedgerFolder:
    """Paths and file access for one ledger folder; no business rules here."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._in_batch = False

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def teams_dir(self) -> Path:
        return self.root / TEAMS_DIR

    def team_path(self, slug: str) -> Path:
        return self.teams_dir / f"{slug}.toml"

    def journal_path(self, slug: str) -> Path:
        return self.teams_dir / f"{slug}.csv"

    def display(self, path: Path) -> str:
        """A path as users see it in messages: relative to where they gave the folder."""
        try:
            return str(path.relative_to(self.root.parent)) if self.root.is_absolute() else str(path)
        except ValueError:
            return str(path)

    def exists(self) -> bool:
        return self.settings_path.is_file()

    def require(self) -> None:
        if not self.exists():
            raise NotFoundError(
                f"no ledger folder at {self.root} (missing {SETTINGS_FILE}); "
                "create one with `maatwerk init`, or pass --ledgers DIR"
            )

    def lock(self) -> FolderLock:
        return FolderLock(self.root / LOCK_FILE)

    # -- settings and teams

    def load_settings(self) -> Settings:
        self.require()
        raw = read_toml(self.settings_path)
        where = self.display(self.settings_path)
        cats = raw.get("categories", list(DEFAULT_CATEGORIES))
        if not isinstance(cats, list) or not all(isinstance(c, str) and c.strip() for c in cats):
            raise LedgerError(f"{where}: categories must be a list of names")
        pace = raw.get("pace", {})
        share = pace.get("under_share", 0.5) if isinstance(pace, dict) else 0.5
        try:
            under = Decimal(str(share))
        except Exception:
            raise LedgerError(f"{where}: pace.under_share must be a number like 0.5") from None
        return Settings(
            municipality=str(raw.get("municipality", "")),
            locale=str(raw.get("locale", "nl_NL")),
            categories=tuple(c.strip() for c in cats),
            under_share=under,
            raw=raw,
        )

    def team_slugs(self) -> list[str]:
        if not self.teams_dir.is_dir():
            return []
        return sorted(p.stem for p in self.teams_dir.glob("*.toml") if not p.name.startswith("."))

    def has_team(self, slug: str) -> bool:
        return self.team_path(slug).is_file()

    def require_team(self, slug: str) -> None:
        if not self.has_team(slug):
            hint = closest(slug, self.team_slugs())
            suggestion = f"; did you mean {hint!r}?" if hint else " (`maatwerk team list` shows them)"
            raise NotFoundError(f"unknown team {slug!r}{suggestion}")

    def load_team(self, slug: str) -> Team:
        self.require_team(slug)
        path = self.team_path(slug)
        # A report may ask for the same teams more than once (the year to show, then the
        # figures); a file unchanged since it was read is not parsed again.
        try:
            st = path.stat()
            stamp: tuple[int, ...] | None = (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        except OSError:
            stamp = None
        known = _TEAMS_READ.get(str(path))
        if stamp is not None and known is not None and known[0] == stamp:
            return known[1]
        team = self._parse_team(slug, path)
        # A file changed in the last two seconds could change again unseen by a coarse clock.
        if stamp is not None and time.time_ns() - max(stamp[3], stamp[4]) > 2_000_000_000:
            _TEAMS_READ[str(path)] = (stamp, team)
        return team

    def _parse_team(self, slug: str, path: Path) -> Team:
        raw = read_toml(path)
        where = self.display(path)
        budgets: dict[int, Decimal] = {}
        table = raw.get("budget", {})
        if not isinstance(table, dict):
            raise LedgerError(f"{where}: [budget] must be a table of year = amount")
        for year, amount in table.items():
            if not str(year).isdigit():
                raise LedgerError(f"{where}: budget year {year!r} is not a year")
            budgets[int(year)] = toml_amount(amount, f"{where}: budget {year}")
        kind = str(raw.get("kind", "team"))
        if kind not in ("team", "fund"):
            raise LedgerError(f"{where}: kind must be 'team' or 'fund', not {kind!r}")
        return Team(slug=slug, name=str(raw.get("name", slug)), kind=kind, budgets=budgets, raw=raw)

    def load_teams(self) -> list[Team]:
        return [self.load_team(slug) for slug in self.team_slugs()]

    # -- journals

    def read(self, slug: str) -> JournalRead:
        path = self.journal_path(slug)
        pending = self.pending_sizes()
        if slug in pending:
            before = pending[slug]
            if before is None:
                return JournalRead((), (), 0)  # the journal is new in an unfinished batch
            return read_journal(path, slug, self.display(path), limit=before)
        return read_journal(path, slug, self.display(path))

    @property
    def pending_path(self) -> Path:
        return self.root / PENDING_FILE

    def pending_sizes(self) -> dict[str, int | None]:
        """Journal sizes before an unfinished batch (None: no journal yet); empty when none."""
        try:
            data = self.pending_path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            loaded = json.loads(data)
            if not isinstance(loaded, dict):
                raise ValueError
            sizes: dict[str, int | None] = {}
            for slug, size in loaded.items():
                if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug) or not (
                    size is None or (isinstance(size, int) and size >= 0)
                ):
                    raise ValueError
                sizes[slug] = size
        except ValueError:
            raise LedgerError(
                f"{self.display(self.pending_path)} is damaged; it is the tool's own marker of an "
                "unfinished import: restore it from a backup or ask for help"
            ) from None
        return sizes

    def _roll_back(self, sizes: Mapping[str, int | None]) -> bool:
        """Cut journals back to their sizes before a batch; False if a cut failed."""
        done = True
        for slug, size in sizes.items():
            path = self.journal_path(slug)
            try:
                if size is None:
                    path.unlink(missing_ok=True)
                    continue
                with open(path, "r+b") as fh:
                    fh.truncate(size)
                    with contextlib.suppress(OSError):
                        os.fsync(fh.fileno())
            except FileNotFoundError:
                continue
            except OSError:
                done = False
        return done

    def _finish_interrupted_batch(self) -> None:
        """Cut off what a batch left behind when its writer died (the caller holds the lock)."""
        sizes = self.pending_sizes()
        if sizes and self._roll_back(sizes):
            self.pending_path.unlink(missing_ok=True)
            fsync_dir(self.root)

    def append(self, slug: str, lines: Sequence[Mapping[str, str]], *, locked: bool = False) -> list[str]:
        """Append events to a team journal; give each its id; return the ids.

        Each mapping holds journal cells except ``id`` and ``checksum``; the date cell
        decides the id's year. The caller may hold the lock already (``locked=True``)
        when it read the journal to validate the events.
        """
        if not lines:
            return []
        ctx = contextlib.nullcontext() if locked else self.lock()
        with ctx:
            if not self._in_batch:
                self._finish_interrupted_batch()
            path = self.journal_path(slug)
            created = not path.exists()
            try:
                if created:
                    # A new journal appears with its header already in it (temp file,
                    # rename): a reader never finds it empty.
                    write_atomic(path, HEADER)
                return self._append_locked(path, slug, lines)
            except BaseException:
                if created:  # as it was: no journal
                    with contextlib.suppress(OSError):
                        path.unlink()
                        fsync_dir(path.parent)
                raise

    def _append_locked(self, path: Path, slug: str, lines: Sequence[Mapping[str, str]]) -> list[str]:
        """:meth:`append` with the lock held and the journal in place."""
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            if 0 < size < len(HEADER) and HEADER.encode().startswith(path.read_bytes()):
                # A writer died while writing a new journal's header: no line was
                # ever confirmed, so start the file afresh rather than after it.
                os.ftruncate(fd, 0)
                size = 0
            prefix = ""
            if size == 0:
                prefix = HEADER
                seq = 0
            else:
                seq, clean = _last_id_seq(path, slug)
                if not clean:
                    # A writer died mid-line: end that line so ours stays whole;
                    # readers and `check` report the torn one.
                    prefix = "\n"
            ids: list[str] = []
            parts: list[str] = [prefix]
            stamp = now_stamp()
            for cells in lines:
                seq += 1
                new_id = make_id(slug, int(cells["date"][:4]), seq)
                ids.append(new_id)
                parts.append(encode_line({**cells, "id": new_id, "recorded_at": stamp}))
            payload = "".join(parts).encode("utf-8")
            try:
                written = 0
                while written < len(payload):
                    written += os.write(fd, payload[written:])
                os.fsync(fd)
                if size == 0:
                    # A new journal's name must be durable too, or the ids handed
                    # out could vanish with it after a power cut.
                    fsync_dir(path.parent)
            except OSError:
                # Disk full or I/O error: take back whatever part got written, so the
                # journal is as it was; no id was handed out.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, size)
                    os.fsync(fd)
                if size == 0:
                    with contextlib.suppress(OSError):
                        path.unlink()
                raise
        finally:
            os.close(fd)
        return ids

    def append_batches(self, batches: Mapping[str, Sequence[Mapping[str, str]]]) -> list[str]:
        """Append to several journals: all of them, or (after an error) none of them."""
        ids: list[str] = []
        with self.lock():
            self._finish_interrupted_batch()
            before: dict[str, int | None] = {}
            for slug in batches:
                path = self.journal_path(slug)
                before[slug] = path.stat().st_size if path.exists() else None
            self._in_batch = True
            try:
                # The marker first: should this process die half-way, readers and the next
                # writer know which lines were never confirmed.
                write_atomic(self.pending_path, json.dumps(before))
                for slug, lines in batches.items():
                    ids.extend(self.append(slug, lines, locked=True))
                self.pending_path.unlink()
                fsync_dir(self.root)
            except BaseException:
                if self._roll_back(before):
                    with contextlib.suppress(OSError):
                        self.pending_path.unlink(missing_ok=True)
                        fsync_dir(self.root)
                raise
            finally:
                self._in_batch = False
        return ids

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with self.lock():
            yield
