"""Errors are data: every problem the tool finds carries where it was found.

The library raises :class:`MaatwerkError` subclasses for user mistakes; only the
command-line layer turns them into a line on stderr and an exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .messages import Msg, Opt, msg


@dataclass(frozen=True, slots=True, init=False)
class Problem:
    """One thing wrong in a ledger or an input file.

    file: path of the file, as given to the tool (empty when not about a file).
    line: 1-based line (or spreadsheet row) number; 0 when about the whole file.
    message: what is wrong and, where possible, how to fix it: the sentence, made when the
        problem is (in the language of the edge in charge, like :class:`MaatwerkError`).
    msg: the message as data (a code and its values) when the problem was given a
        :class:`~maatwerk_cli.core.messages.Msg`; None when given a sentence. It takes no
        part in comparing problems: two problems are equal when they say the same.

    ``Problem(file, line, message)`` takes the message as a :class:`Msg` or, for what has no
    code yet, as a sentence; :meth:`text` words it as another edge wants.
    """

    file: str
    line: int
    message: str
    msg: Msg | None = field(default=None, init=False, compare=False, repr=False)

    def __init__(self, file: str, line: int, message: str | Msg) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "message", str(message))
        object.__setattr__(self, "msg", message if isinstance(message, Msg) else None)

    def text(self, lang: str | None = None, options: Callable[[Opt], str] | None = None) -> str:
        """The message (without the place) in ``lang``, options spelled by ``options``."""
        return self.msg.text(lang, options) if self.msg is not None else self.message

    def placed(self) -> Msg | str:
        """The problem with its place, as one message: what ``str()`` says, as data."""
        said = self.msg or self.message
        if self.file and self.line:
            return msg("problem.at_line", file=self.file, line=self.line, message=said)
        if self.file:
            return msg("problem.in_file", file=self.file, message=said)
        return said

    def __str__(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}: {self.message}"
        if self.file:
            return f"{self.file}: {self.message}"
        return self.message


class MaatwerkError(Exception):
    """A mistake in what the user asked or gave; the message says how to fix it.

    ``message``: a :class:`~maatwerk_cli.core.messages.Msg` (a code and its values, the words
    made at the edge), or, for what has no code yet, an English sentence. ``str()`` is the
    sentence as the edge in charge words it (:func:`~maatwerk_cli.core.messages.at_edge`);
    :meth:`text` as another edge wants it.
    """

    def __init__(self, message: str | Msg, problems: tuple[Problem, ...] = ()) -> None:
        self.msg = message if isinstance(message, Msg) else None
        text = str(message)
        super().__init__(text)
        self.message = text
        self.problems = problems

    def text(self, lang: str | None = None, options: Callable[[Opt], str] | None = None) -> str:
        """The message in ``lang``, options spelled by ``options``."""
        return self.msg.text(lang, options) if self.msg is not None else self.message

    def __str__(self) -> str:
        return self.message


class InputError(MaatwerkError):
    """A value the user typed (amount, date, name, option) is not acceptable."""


class NotFoundError(MaatwerkError):
    """A team, entry or category that does not exist."""


class RuleError(MaatwerkError):
    """A rule of thumb was hit; the user may proceed with a recorded reason."""


class LedgerError(MaatwerkError):
    """The ledger files themselves are damaged or inconsistent."""


class BusyError(MaatwerkError):
    """Another writer held the ledger lock for too long."""
