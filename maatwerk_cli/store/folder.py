"""The ledger folder on disk: settings, budget holders, and their append-only journals.

Layout (the user documentation's formats page describes each file)::

    maatwerk.toml          settings: municipality, categories, rules, knipkaart, cash
    maatwerk.lock          lock file; every write holds it
    maatwerk.pending       only while a batch of several lines is written (store.pending)
    teams/<slug>.toml      a budget holder: name, kind, budget per year, per-team rules
    teams/<slug>.csv       its journal: one line per event, never edited
    teams/<slug>.bank.csv  its imported bank lines (store.banklines)

Safety: every write holds the folder lock; journal lines are written whole in one
``write`` on an append-only descriptor and fsynced; a write of more than one line (to one
journal or several, with bank lines or without) is a batch under the pending marker, so
after a crash readers and the next writer see all of it or none; TOML files are replaced through a
temporary file in the same folder (write, fsync, rename, fsync the folder). Every line
carries a checksum, so a torn or hand-edited line is found by the reader. Nothing is
written through a symbolic link.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import InputError, LedgerError, NotFoundError, Problem
from ..core.messages import LANGUAGES, Msg, Opt, msg
from ..core.names import check_slug
from ..core.records import DEFAULT_CATEGORIES, TOP_SETTINGS, Settings, Team, make_id
from ..core.text import closest
from .atomic import NOFOLLOW, append_whole, fsync_dir, move_aside, open_patiently, write_atomic
from .banklines import BANK_SUFFIX, StoredLine, append_lines, read_lines
from .books import Books, Folded, Wanted, read_many
from .journal import BOM, HEADER, HEADER_BYTES, close_torn, encode_line, extra_text, read_tail
from .lock import FolderLock
from .pending import BEFORE, PENDING_FILE, Pending, marker_text, read_marker, set_aside, tail_hash
from .toml import check_texts, read_toml

if TYPE_CHECKING:
    from .anonymise import Planned

SETTINGS_FILE = "maatwerk.toml"
LOCK_FILE = "maatwerk.lock"
TEAMS_DIR = "teams"
LINK_FIX = msg("ledger.link_fix")
#: Longest municipality or team name (what `init` and `team add` accept).
NAME_MAX = 100


#: A folder changed more recently than this may change again unseen by a coarse clock.
_SETTLED_NS = 2_000_000_000


def _profile(value: object, path: Path, where: str) -> tuple[Decimal, ...] | None:
    """``[pace] profile``: twelve monthly weights (a weight of 1 is an ordinary month)."""
    if value is None:
        return None
    from ..core.pace import MONTHS

    how = msg("pace.profile_how")
    ok = isinstance(value, list) and len(value) == MONTHS and all(
        isinstance(w, int | float) and not isinstance(w, bool) and w == w and abs(w) != float("inf")
        for w in value)
    weights = tuple(Decimal(str(w)) for w in value) if ok and isinstance(value, list) else ()
    if not ok:
        problem = msg("pace.profile_not_numbers", months=MONTHS, how=how)
    elif any(w < 0 for w in weights) or not any(weights):
        problem = msg("pace.profile_weights", how=how)
    else:
        return weights
    line = 0
    with contextlib.suppress(OSError, UnicodeDecodeError):
        for n, text in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if text.strip().startswith("profile"):
                line = n
                break
    found = Problem(where, line, problem)
    raise LedgerError(found.placed(), (found,))


def _stat(path: Path) -> tuple[int, ...] | None:
    try:
        st = path.stat()
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def now_stamp() -> str:
    """The moment of recording, in UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class LedgerFolder:
    """One ledger folder: paths, settings, budget holders, journals; no business rules here.

    Settings are read once per folder object; a team file is read again only when the
    file system says it changed (a report asks for the same teams more than once).
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._in_batch = False
        self._lock: FolderLock | None = None
        self._settings: Settings | None = None
        self._teams: dict[str, tuple[tuple[int, ...], Team]] = {}
        self._team_files: tuple[tuple[int, ...], tuple[list[str], list[Problem]]] | None = None
        self._lenient = False
        #: Per journal read whole: (device, inode, bytes read, highest id sequence in them).
        self._ids_seen: dict[str, tuple[int, int, int, int]] = {}
        #: What the writers did that users should hear of (a stale marker set aside).
        self.notices: list[str] = []

    # -- paths

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def teams_dir(self) -> Path:
        return self.root / TEAMS_DIR

    @property
    def pending_path(self) -> Path:
        return self.root / PENDING_FILE

    def team_path(self, slug: str) -> Path:
        return self.teams_dir / f"{slug}.toml"

    def journal_path(self, slug: str) -> Path:
        return self.teams_dir / f"{slug}.csv"

    def bank_path(self, slug: str) -> Path:
        return self.teams_dir / f"{slug}{BANK_SUFFIX}"

    def display(self, path: Path) -> str:
        """A path as users see it in messages: relative to where they gave the folder."""
        try:
            return str(path.relative_to(self.root.parent)) if self.root.is_absolute() else str(path)
        except ValueError:
            return str(path)

    def exists(self) -> bool:
        return self.settings_path.is_file()

    def require(self) -> None:
        """A ledger folder with settings that pass their checks, or a MaatwerkError."""
        self._require_file()
        _ = self.settings

    def _require_file(self) -> None:
        if not self.exists():
            raise NotFoundError(msg("ledger.missing", root=self.root, settings=SETTINGS_FILE,
                                    option=Opt("ledgers")))

    def lock(self) -> FolderLock:
        """The folder lock (one per folder object; taking it again inside is a no-op)."""
        if self._lock is None:
            self._lock = FolderLock(self.root / LOCK_FILE, guard=self.refuse_links)
        return self._lock

    def links(self) -> list[Path]:
        """The symbolic links in the ledger folder where the tool reads or writes its files:
        settings, lock, pending marker, the teams folder and every file in it."""
        found = [p for p in (self.settings_path, self.root / LOCK_FILE, self.pending_path, self.teams_dir)
                 if p.is_symlink()]
        if self.teams_dir in found:
            return found
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            found.extend(sorted(Path(e.path) for e in os.scandir(self.teams_dir) if e.is_symlink()))
        return found

    def refuse_links(self) -> None:
        """Before any write: a symbolic link among the ledger's files is refused (the write
        could land outside the folder), whichever file the write is for."""
        found = self.links()
        if found:
            if len(found) > 1:
                raise LedgerError(msg("ledger.links", path=self.display(found[0]), more=len(found) - 1, fix=LINK_FIX))
            raise LedgerError(msg("ledger.link", path=self.display(found[0]), fix=LINK_FIX))

    # -- settings and teams

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self.load_settings()
        return self._settings

    def load_settings(self) -> Settings:
        """``maatwerk.toml``, checked: a LedgerError names file, key and the fix."""
        self._require_file()
        raw = read_toml(self.settings_path)
        where = self.display(self.settings_path)
        check_texts(raw, where)
        for key in ("municipality", "locale", "language"):
            if key in raw and not isinstance(raw[key], str):
                raise LedgerError(msg("settings.not_text", where=where, key=key))
        if raw.get("language", "nl") not in LANGUAGES:  # a typo would silently speak another language
            raise LedgerError(msg("settings.language", where=where, value=raw["language"], choices=list(LANGUAGES)))
        municipality = raw.get("municipality", "")
        if len(municipality) > NAME_MAX:
            raise LedgerError(msg("settings.municipality_too_long", where=where, length=len(municipality),
                                  limit=NAME_MAX))
        for section in ("pace", "rules", "knipkaart", "cash", "privacy"):
            if section in raw and not isinstance(raw[section], dict):
                raise LedgerError(msg("settings.not_a_table", where=where, section=section))
        for section, table in raw.items():
            # A ledger setting added at the end of the file lands in its last table, where
            # nothing reads it: say so rather than let it be silently without effect.
            if isinstance(table, dict):
                for key, value in table.items():
                    if key in TOP_SETTINGS and not isinstance(value, dict):
                        raise LedgerError(msg("settings.key_in_table", where=where, key=key, section=section))
        cats = raw.get("categories", list(DEFAULT_CATEGORIES))
        if not isinstance(cats, list) or not all(isinstance(c, str) and c.strip() for c in cats):
            raise LedgerError(msg("settings.categories", where=where))
        pace = raw.get("pace", {})
        if not isinstance(pace, dict):
            raise LedgerError(msg("settings.pace_not_a_table", where=where))
        share = pace.get("under_share", 0.5)
        try:
            if isinstance(share, bool):
                raise ValueError
            under = Decimal(str(share))
            if not under.is_finite():
                raise ValueError
        except Exception:
            raise LedgerError(msg("settings.under_share", where=where)) from None
        profile = _profile(pace.get("profile"), self.settings_path, where)
        return Settings(
            municipality=municipality.strip(),
            locale=raw.get("locale", "nl_NL"),
            categories=tuple(c.strip() for c in cats),
            under_share=under,
            profile=profile,
            raw=raw,
        )

    def team_slugs(self) -> list[str]:
        """The budget holders: the names of ``teams/*.toml``.

        A team file whose name is not a valid slug (``=cmd.toml``), or one that differs only
        in case from another (``Noord.toml`` beside ``noord.toml``), is a LedgerError naming
        the file and the fix, for every command: ``check`` reports them instead.
        """
        self.require()  # a bad maatwerk.toml is refused by every command, team lists too
        slugs, problems = self.team_files()
        if problems and not self._lenient:
            first = problems[0]
            if problems[1:]:
                raise LedgerError(msg("problem.and_more_listed", problem=first.placed(), more=len(problems) - 1))
            raise LedgerError(first.placed())
        return slugs

    def team_files(self) -> tuple[list[str], list[Problem]]:
        """The valid team slugs, and a problem for every ``teams/*.toml`` that is not one.

        Kept while the ``teams`` folder is unchanged (its stamp, unless it changed within
        the last two seconds, when a coarse file-system clock could hide a second change).
        """
        stamp = _stat(self.teams_dir)
        known = self._team_files
        if known is not None and stamp is not None and known[0] == stamp \
                and time.time_ns() - max(stamp[3], stamp[4]) > _SETTLED_NS:
            return list(known[1][0]), list(known[1][1])
        found = self._scan_team_files()
        if stamp is not None:
            self._team_files = (stamp, found)
        return list(found[0]), list(found[1])

    def _scan_team_files(self) -> tuple[list[str], list[Problem]]:
        try:
            names = sorted(e.name for e in os.scandir(self.teams_dir)
                           if e.name.endswith(".toml") and not e.name.startswith("."))
        except (FileNotFoundError, NotADirectoryError):
            return [], []
        stems = [name[: -len(".toml")] for name in names]
        valid = {stem: _valid_slug(stem) for stem in stems}
        alike: dict[str, list[str]] = {}
        for stem in stems:
            alike.setdefault(stem.casefold(), []).append(stem)
        slugs: list[str] = []
        problems: list[Problem] = []
        for stem in stems:
            where = self.display(self.team_path(stem))
            twin = next((o for o in alike[stem.casefold()] if o != stem and valid[o]), None)
            if twin is not None:
                problems.append(Problem(where, 0, msg("team_file.case_twin", twin=twin, stem=stem)))
            elif not valid[stem] and _valid_slug(stem.lower()):
                low = stem.lower()
                problems.append(Problem(where, 0, msg("team_file.capitals", low=low, stem=stem)))
            elif not valid[stem]:
                why = _slug_problem(stem)
                problems.append(Problem(where, 0, msg("team_file.not_a_team_name", why=why, stem=stem)))
            else:
                slugs.append(stem)
        return slugs, problems

    @contextlib.contextmanager
    def lenient(self) -> Iterator[None]:
        """For ``check``: bad team files are reported, not refused; the valid teams are read."""
        before, self._lenient = self._lenient, True
        try:
            yield
        finally:
            self._lenient = before

    def has_team(self, slug: str) -> bool:
        return slug in self.team_slugs()

    def require_team(self, slug: str) -> None:
        slugs = self.team_slugs()
        if slug not in slugs:
            hint = closest(slug, slugs)
            if hint:
                raise NotFoundError(msg("team.unknown_did_you_mean", team=repr(slug), hint=repr(hint)))
            raise NotFoundError(msg("team.unknown", team=repr(slug)))

    def load_team(self, slug: str, *, known_team: bool = False) -> Team:
        """A budget holder's settings (``known_team``: the slug came from :meth:`team_slugs`)."""
        path = self.team_path(slug)
        stamp = _stat(path)
        known = self._teams.get(slug)
        if known is not None and stamp is not None and known[0] == stamp:
            return known[1]
        if not known_team:
            self.require_team(slug)
        team = self._parse_team(slug, path)
        if stamp is not None:
            self._teams[slug] = (stamp, team)
        return team

    def forget_team(self, slug: str) -> None:
        """After this object changed a team file: read it again when asked."""
        self._teams.pop(slug, None)

    def _parse_team(self, slug: str, path: Path) -> Team:
        return self.parse_team(slug, read_toml(path), lambda: path.read_text(encoding="utf-8-sig"))

    def parse_team(self, slug: str, raw: Mapping[str, Any], text: Callable[[], str]) -> Team:
        """A team file's parsed TOML checked as every reader checks it (``text``: its text, for
        the line of a problem). A writer checks the new text with it before writing: the tool
        never writes a team file that its readers would refuse."""
        from .budgets import read_budgets

        path = self.team_path(slug)
        where = self.display(path)
        check_texts(raw, where)
        name = raw.get("name", slug)
        if not isinstance(name, str) or not name.strip():
            raise LedgerError(msg("team_file.name_not_text", where=where))
        if len(name) > NAME_MAX:
            raise LedgerError(msg("team_file.name_too_long", where=where, length=len(name), limit=NAME_MAX))
        for section in ("rules", "knipkaart", "cash"):
            if section in raw and not isinstance(raw[section], dict):
                raise LedgerError(msg("settings.not_a_table", where=where, section=section))
        money, problems = read_budgets(raw, where, text)
        kind = str(raw.get("kind", "team"))
        if kind not in ("team", "fund"):
            problems.append(Problem(where, 0, msg("team_file.kind", kind=repr(kind))))
        if problems:
            if len(problems) > 1:
                raise LedgerError(msg("problem.and_more_check", problem=problems[0].placed(), more=len(problems) - 1),
                                  tuple(problems))
            raise LedgerError(problems[0].placed(), tuple(problems))
        return Team(slug=slug, name=name.strip(), kind=kind, budgets=money.budgets,
                    periods=money.periods, changes=money.changes, raw=raw)

    def load_teams(self) -> list[Team]:
        return [self.load_team(slug, known_team=True) for slug in self.team_slugs()]

    # -- reading journals

    def pending(self) -> Pending:
        """The marker of an unfinished batch, checked against the journals."""
        return read_marker(self.root, self.journal_path, self.has_team, self.bank_path)

    def bank_lines(self, slug: str) -> tuple[list[StoredLine], list[Problem]]:
        """A team's stored bank lines, and a Problem for every line set aside; lines of an
        unfinished batch are left out."""
        self._settle_rewrite()
        path = self.bank_path(slug)
        if not path.exists():
            return [], []
        cut: int | None = None
        if os.path.lexists(self.pending_path):
            pending = self.pending()
            if slug in pending.bank:
                cut = pending.bank[slug] or 0
        return read_lines(path, self.display(path), cut)

    def books(self, slugs: Sequence[str] | None = None, *, use_cache: bool | None = None) -> Books:
        """The journals of the given teams (default: all), read and folded.

        A damaged ``maatwerk.toml`` or team file, or an unknown team, is reported before
        anything is read.
        """
        return books_of([(self, slugs)], use_cache=use_cache)[0]

    def _books_wanted(self, slugs: Sequence[str] | None) -> _Asked:
        """What :meth:`books` reads: the journals, and what to check after reading them."""
        _ = self.settings
        chosen = list(dict.fromkeys(slugs)) if slugs is not None else self.team_slugs()
        for slug in chosen:
            self.load_team(slug)  # a damaged team file is refused by every reader of its journal
        notes: tuple[Problem, ...] = self._settle_rewrite()
        known = [_identity(self.journal_path(slug)) for slug in chosen]
        pending = self.pending()
        if pending.stale:
            notes += (Problem(self.display(self.pending_path), 0, msg("pending.stale_read", why=pending.stale)),)
        wanted = []
        for slug in chosen:
            cut = pending.cuts.get(slug, -1) if slug in pending.cuts else None
            path = self.journal_path(slug)
            wanted.append(Wanted(slug, path, self.display(path),
                                 cut=cut if isinstance(cut, int) and cut >= 0 else None,
                                 new_in_batch=slug in pending.cuts and pending.cuts[slug] is None))
        return _Asked(chosen, wanted, notes, known)

    def _books_read(self, asked: _Asked, got: Sequence[Folded], use_cache: bool | None) -> Books:
        if not asked.notes and self._rewritten_meanwhile(asked.wanted, asked.known):
            # A rewrite (anonymising) replaced journals while they were read: read again,
            # so a view never holds some journals from before it and some from after.
            return self.books(asked.chosen, use_cache=use_cache)
        out = {w.team: folded for w, folded in zip(asked.wanted, got, strict=True)}
        for slug, folded in out.items():
            self.remember_ids(slug, folded.max_seq, folded.size)
        return Books(out, asked.notes)

    def _rewritten_meanwhile(self, wanted: Sequence[Wanted], known: list[tuple[int, int] | None]) -> bool:
        from .rewrite import REWRITE_FILE

        if os.path.lexists(self.root / REWRITE_FILE):
            return True
        return [_identity(w.path) for w in wanted] != known

    def _settle_rewrite(self) -> tuple[Problem, ...]:
        """Before reading: a rewrite left unfinished is finished (under the lock, which
        waits for a rewrite still running); one that cannot be is reported."""
        from .rewrite import REWRITE_FILE, stale

        path = self.root / REWRITE_FILE
        if not os.path.lexists(path):
            return ()
        why = stale(self.root)
        if why is None:
            try:
                with self.lock():
                    self._finish_rewrite()
            except LedgerError:
                pass  # a read-only share: the reader reads what is there
            why = stale(self.root)
        if why is None and not os.path.lexists(path):
            return ()
        return (Problem(self.display(path), 0, msg("rewrite.stale_read", why=why or msg("rewrite.unfinished"))),)

    def _finish_rewrite(self) -> None:
        """A rewrite whose writer died after its marker: rolled forward (the caller holds the
        lock); a marker that does not fit the files is set aside and named in a notice."""
        from .rewrite import REWRITE_FILE, finish, stale

        path = self.root / REWRITE_FILE
        if not os.path.lexists(path):
            return
        if path.is_symlink():
            raise LedgerError(msg("ledger.link", path=self.display(path), fix=LINK_FIX))
        why = stale(self.root)
        if why is None and finish(self.root):
            self._ids_seen.clear()
            return
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.root / f"{REWRITE_FILE}.set-aside-{stamp}"
        move_aside(path, target)
        fsync_dir(self.root)
        self.notices.append(str(msg("rewrite.set_aside", path=self.display(path),
                                    why=why or msg("rewrite.unfinished"), moved=target.name)))

    def rewrite(self, files: Mapping[str, bytes], remove: Sequence[str] = ()) -> None:
        """Replace whole files of the folder (names relative to it, with ``/``): all of them
        or, after a crash, none of them (see :mod:`maatwerk_cli.store.rewrite`). Caches of
        the journals replaced are dropped. The caller holds the lock."""
        from . import cache
        from .rewrite import rewrite_files

        assert self.lock().held
        for name in files:
            self._refuse_link(self.root / name)
        rewrite_files(self.root, files, remove)
        self._ids_seen.clear()
        for name in files:
            if name.endswith(".csv") and not name.endswith(BANK_SUFFIX):
                cache.forget(self.root / name)

    def anonymise(self, cutoff: dt.date, *, when: dt.date, by: str, dry_run: bool) -> Planned:
        """Personal text of the lines of entries dated before ``cutoff`` replaced, in every
        journal and bank file at once (:mod:`maatwerk_cli.store.anonymise`); ``dry_run``:
        only what would change."""
        from .anonymise import plan

        if dry_run:
            return plan(self, cutoff, when=when, by=by, stamp=now_stamp())
        with self.lock():
            self._finish_interrupted_batch()
            planned = plan(self, cutoff, when=when, by=by, stamp=now_stamp())
            self.rewrite(planned.files, planned.remove)
        return planned

    def old_personal(self, slugs: Sequence[str], cutoff: dt.date) -> dict[str, tuple[int, int, int]]:
        """Per team: its lines of entries dated before ``cutoff`` that still hold personal text
        (a household code no longer in use, a note, a name...), the first of them, and its
        bank lines dated before it with a description or counterparty."""
        from .anonymise import bank_personal, current_households, personal

        before = cutoff.isoformat()
        plans, current = current_households(self, self.team_slugs(), before)
        out: dict[str, tuple[int, int, int]] = {}
        for slug in slugs:
            count = first = 0
            journal = plans.get(slug)
            for number, ln in enumerate(journal.lines if journal is not None else [], start=2):
                if ln.cells is not None and ln.entry_date and ln.entry_date < before and personal(ln.cells, current):
                    count += 1
                    first = first or number
            bank = self.bank_path(slug)
            out[slug] = (count, first, bank_personal(bank.read_bytes(), before) if bank.exists() else 0)
        return out

    def ids_above(self, slug: str) -> int:
        """The highest id sequence a reader of this object saw in the journal, while it is that file."""
        try:
            fd = os.open(self.journal_path(slug), os.O_RDONLY | NOFOLLOW)
        except OSError:
            return 0
        try:
            return self._ids_above(slug, fd)
        finally:
            os.close(fd)

    def remember_ids(self, slug: str, max_seq: int, size: int | None = None) -> None:
        """The highest id sequence in a journal's first ``size`` bytes (default: all of it now),
        damaged lines included, as a reader found it. A writer gives no id at or below it while
        the journal is that file and has not shrunk: the writer itself sees only the tail,
        and a line edited by hand far before the end may hold a higher id."""
        try:
            st = os.stat(self.journal_path(slug))
        except OSError:
            return
        self._ids_seen[slug] = (st.st_dev, st.st_ino, st.st_size if size is None else size, max_seq)

    def _ids_above(self, slug: str, fd: int) -> int:
        seen = self._ids_seen.get(slug)
        if seen is None:
            return 0
        st = os.fstat(fd)
        dev, ino, size, max_seq = seen
        return max_seq if (st.st_dev, st.st_ino) == (dev, ino) and st.st_size >= size else 0

    def book(self, slug: str) -> Folded:
        return self.books([slug])[slug]

    # -- writing journals

    def _finish_interrupted_batch(self) -> None:
        """Cut off what a batch left behind when its writer died (the caller holds the lock);
        a marker that does not fit the journals is set aside instead, and nothing is cut."""
        self._finish_rewrite()
        if not os.path.lexists(self.pending_path):
            return
        if self.pending_path.is_symlink():
            raise LedgerError(msg("pending.link", path=self.display(self.pending_path)))
        pending = self.pending()
        if pending.stale:
            moved = set_aside(self.root)
            fsync_dir(self.root)
            self.notices.append(str(msg("pending.stale_set_aside", path=self.display(self.pending_path),
                                        why=pending.stale, moved=moved.name)))
            return
        if self._roll_back(pending.cuts, pending.bank):
            self.pending_path.unlink(missing_ok=True)
            fsync_dir(self.root)

    def _roll_back(self, cuts: Mapping[str, int | None], bank: Mapping[str, int | None] | None = None) -> bool:
        """Cut journals and bank files back to their sizes before a batch; False if a cut failed."""
        done = True
        files = [(self.journal_path(slug), size) for slug, size in cuts.items()]
        files += [(self.bank_path(slug), size) for slug, size in (bank or {}).items()]
        for path, size in files:
            try:
                if size is None:
                    path.unlink(missing_ok=True)
                    continue
                if os.lstat(path).st_size <= size:
                    continue  # untouched: nothing to cut (and it may be held by another program)
                fd = os.open(path, os.O_RDWR | NOFOLLOW)
                try:
                    if os.fstat(fd).st_size > size:
                        os.ftruncate(fd, size)
                        with contextlib.suppress(OSError):
                            os.fsync(fd)
                finally:
                    os.close(fd)
            except FileNotFoundError:
                continue
            except OSError:
                done = False
        return done

    def _refuse_link(self, path: Path) -> None:
        if path.is_symlink():
            raise LedgerError(msg("ledger.link", path=self.display(path), fix=LINK_FIX))

    def append(self, slug: str, lines: Sequence[Mapping[str, str]], *, locked: bool = False,
               written: Callable[[list[str]], None] | None = None,
               before: Callable[[list[str]], None] | None = None) -> list[str]:
        """Append events to a team journal; give each its id; return the ids.

        Each mapping holds journal cells except ``id`` and ``checksum``; the date cell
        decides the id's year. ``locked`` is accepted for callers that hold the lock already
        (the lock is re-entrant, so it makes no difference). ``written`` hears the ids once
        the lines are written, before they are synced to disk (a writer that keeps a note
        about the journal, :mod:`maatwerk_cli.ops.plausible`); its OSError is ignored.
        ``before`` hears the ids before anything is written to the journal (a receipt file
        named by its entry's id is written then); when it raises, no line is written.
        """
        if not lines:
            return []
        if len(lines) > 1 and not self._in_batch:
            # More than one line cannot go in one atomic write for sure: a batch, so that a
            # crash half-way leaves none of them.
            if written is not None or before is not None:
                raise ValueError("a note or a file is kept only for a single line, or in a batch")
            return self.append_batches({slug: lines})
        with self.lock():
            if not self._in_batch:
                self._finish_interrupted_batch()
            path = self.journal_path(slug)
            self._refuse_link(path)
            created = not path.exists()
            try:
                if created:
                    # A new journal appears with its header already in it (temp file,
                    # rename): a reader never finds it empty.
                    write_atomic(path, HEADER, shown=self.display(path))
                return self._append_locked(path, slug, lines, written, before)
            except BaseException:
                if created:  # as it was: no journal
                    with contextlib.suppress(OSError):
                        path.unlink()
                        fsync_dir(path.parent)
                raise

    def _append_locked(self, path: Path, slug: str, lines: Sequence[Mapping[str, str]],
                       written_hook: Callable[[list[str]], None] | None = None,
                       before: Callable[[list[str]], None] | None = None) -> list[str]:
        """:meth:`append` with the lock held and the journal in place."""
        # Every line is encoded (and every cell checked) before anything is written.
        stamp = now_stamp()
        fd = open_patiently(path, os.O_RDWR | os.O_APPEND | NOFOLLOW, self.display(path))
        try:
            size = os.fstat(fd).st_size
            os.lseek(fd, 0, os.SEEK_SET)
            head = os.read(fd, len(HEADER_BYTES) + len(BOM))
            body = head[len(BOM):] if head.startswith(BOM) else head
            if size < len(HEADER_BYTES) + (len(head) - len(body)) and HEADER_BYTES.startswith(body):
                # A writer died while writing a new journal's header: no line was ever
                # confirmed, so start the file afresh.
                os.ftruncate(fd, 0)
                size = 0
            elif not body.startswith(HEADER_BYTES) and not body.startswith(HEADER_BYTES[:-1] + b"\r"):
                raise LedgerError(msg("journal.header_wrong", path=self.display(path)))
            prefix = b""
            if size == 0:
                prefix = HEADER.encode("ascii")
                seq = 0
            else:
                tail = read_tail(fd, size, slug)
                if tail.uncertain:
                    number = self._last_line_number(path)
                    raise LedgerError(msg("journal.last_id_unreadable", path=self.display(path), line=number))
                seq = max(tail.max_seq, self._ids_above(slug, fd))
                if not tail.clean:
                    # A writer died mid-line: that line stays set aside for good, and ours
                    # starts on a line of its own.
                    prefix = close_torn(tail.torn)
            ids: list[str] = []
            parts: list[bytes] = [prefix]
            for cells in lines:
                seq += 1
                new_id = make_id(slug, int(cells["date"][:4]), seq)
                ids.append(new_id)
                parts.append(encode_line({**cells, "id": new_id, "recorded_at": stamp}).encode("utf-8"))
            if before is not None:
                before(ids)
            # The note is kept before the sync, which takes longest: a writer killed while it
            # waits leaves a note that fits what it wrote. A new journal's name must be durable
            # too, or the ids handed out could vanish with it after a power cut. On an error
            # the journal is as it was, and no id was handed out.
            append_whole(fd, b"".join(parts), size,
                         before_sync=(lambda: written_hook(ids)) if written_hook is not None else None,
                         new_in=path.parent if size == 0 else None)
        finally:
            os.close(fd)
        return ids

    def _last_line_number(self, path: Path) -> int:
        data = path.read_bytes()
        return data.rstrip(b"\n").count(b"\n") + 1

    def append_batches(self, batches: Mapping[str, Sequence[Mapping[str, str]]], *,
                       bank: Mapping[str, Sequence[StoredLine]] | None = None, bank_stamp: str = "",
                       before: Callable[[str, list[str]], None] | None = None) -> list[str]:
        """Append to several journals (and, for a bank import, bank files): all of them, or
        (after an error, or a crash) none of them.

        ``bank``: per team the bank lines to store, each with ``imported_at`` = ``bank_stamp``.
        ``before``: hears each team and the ids of its lines before they are written (the
        receipt files of an import); when it raises, the batch is undone.
        """
        ids: list[str] = []
        bank = {slug: lines for slug, lines in (bank or {}).items() if lines}
        batches = {slug: lines for slug, lines in batches.items() if lines}
        if bank and (not bank_stamp or any(ln.imported_at != bank_stamp for lines in bank.values() for ln in lines)):
            raise ValueError("every bank line of a batch carries the batch's stamp")
        if not batches and not bank:
            return ids
        with self.lock():
            self._finish_interrupted_batch()
            batch = secrets.token_hex(8)
            cuts = {slug: self._cut(self.journal_path(slug)) for slug in batches}
            bank_cuts = {slug: self._cut(self.bank_path(slug)) for slug in bank}
            self._refuse_link(self.pending_path)
            self._in_batch = True
            try:
                # The marker first: should this process die half-way, readers and the next
                # writer know which lines were never confirmed.
                write_atomic(self.pending_path, marker_text(batch, cuts, bank_cuts, bank_stamp),
                             shown=self.display(self.pending_path))
                for slug, stored in bank.items():
                    append_lines(self.bank_path(slug), stored, self.display(self.bank_path(slug)))
                for slug, lines in batches.items():
                    marked = [{**cells, "extra": _with_batch(cells.get("extra", ""), batch)}
                              for cells in lines]
                    hook = None if before is None else (lambda got, team=slug: before(team, got))
                    ids.extend(self.append(slug, marked, before=hook))
                self.pending_path.unlink()
                fsync_dir(self.root)
            except BaseException:
                if self._roll_back({slug: size for slug, (size, _) in cuts.items()},
                                   {slug: size for slug, (size, _) in bank_cuts.items()}):
                    with contextlib.suppress(OSError):
                        self.pending_path.unlink(missing_ok=True)
                        fsync_dir(self.root)
                raise
            finally:
                self._in_batch = False
        return ids

    def _cut(self, path: Path) -> tuple[int | None, str]:
        """A file's size before a batch and the hash of its bytes before that (None: no file)."""
        self._refuse_link(path)
        if not path.exists():
            return None, ""
        size = path.stat().st_size
        with open(path, "rb") as fh:
            fh.seek(max(0, size - BEFORE))
            before = fh.read(size - max(0, size - BEFORE))
        return size, tail_hash(before, len(before))


@dataclass(frozen=True, slots=True)
class _Asked:
    """The journals one :meth:`LedgerFolder.books` call reads (``wanted``, for the teams
    ``chosen``), the notes found before reading, and the journals' identities then."""

    chosen: list[str]
    wanted: list[Wanted]
    notes: tuple[Problem, ...]
    known: list[tuple[int, int] | None]


def books_of(asked: Sequence[tuple[LedgerFolder, Sequence[str] | None]], *,
             use_cache: bool | None = None) -> list[Books]:
    """:meth:`LedgerFolder.books` of several folders (each with its teams, None: all), their
    journals read together in one pass: the researcher's many small ledgers cost about
    what one large one does. Every folder is checked before anything is read."""
    from . import cache

    prepared = [folder._books_wanted(slugs) for folder, slugs in asked]
    wanted = [w for a in prepared for w in a.wanted]
    cached = cache.enabled() if use_cache is None else use_cache
    got = read_many(wanted, use_cache=cached)
    out = []
    at = 0
    for (folder, _), a in zip(asked, prepared, strict=True):
        out.append(folder._books_read(a, got[at : at + len(a.wanted)], use_cache))
        at += len(a.wanted)
    return out


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_dev, st.st_ino)


def _valid_slug(stem: str) -> bool:
    return not _slug_problem(stem)


def _slug_problem(stem: str) -> str | Msg:
    """Why ``stem`` cannot name a team ("" when it can)."""
    try:
        check_slug(stem)
    except InputError as exc:
        if exc.msg is not None and isinstance(exc.msg.values.get("reason"), Msg):
            reason: Msg = exc.msg.values["reason"]
            return reason
        return str(exc).split(": ", 1)[-1].split("; ", 1)[0]
    return ""


def _with_batch(extra: str, batch: str) -> str:
    loaded: dict[str, Any] = json.loads(extra) if extra else {}
    loaded["batch"] = batch
    return extra_text(loaded)

