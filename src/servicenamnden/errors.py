"""The one error a controller sees for a bad data file: file, row, column and rule, in Swedish."""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass

QUOTE_LIMIT = 40  # characters of a value a message quotes; the rest is "…"
# C0 and C1 control characters (tab and line breaks included: a cell is one line) and the invisible
# marks that reorder or hide text (bidirectional overrides and isolates). A message shows each one
# (:func:`visible`), and io.text refuses them in a data file's text.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def visible(char: str) -> str:
    """A control character as a reader can see it: ``\\x00``, ``\\u202e``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message quotes it: in quotes, at most ``limit`` characters, control characters shown.

    >>> quoted("a\\x00b"), quoted("x" * 50)[-4:]
    ("'a\\\\x00b'", "xx…'")
    """
    text = str(value)
    shown = CONTROL.sub(lambda m: visible(m.group()), text[:limit])
    return f"'{shown}…'" if len(text) > limit else f"'{shown}'"


def sentence(text: str) -> str:
    """``text`` ending in exactly one mark: a full stop added unless it ends in ``.``, ``?`` or ``!``."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def one_line(text: str) -> str:
    """``text`` as one visible line: control characters (line breaks too) shown as ``\\x0a``."""
    return CONTROL.sub(lambda m: visible(m.group()), text)


OS_REASONS = {
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "filsystemet är skrivskyddat",
}


def os_error_line(exc: OSError) -> str:
    """One Swedish line for a file that could not be read or written (never "Kunde inte skriva None")."""
    where = f" {exc.filename}" if exc.filename else ""
    reason = OS_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    return one_line(
        f"Kunde inte skriva eller läsa{where}: {reason}. Inget har ändrats; frigör utrymme eller "
        "kontrollera behörigheten och kör igen."
    )


@dataclass(eq=False)  # not frozen: raising through a context manager sets __traceback__ on it
class DataError(Exception):
    """A data file breaks a rule. ``str()`` gives one Swedish line with file, row, column and rule."""

    file: str
    rule: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"rad {self.line}")
        if self.column is not None:
            column = self.column if len(self.column) <= QUOTE_LIMIT else f"{self.column[:QUOTE_LIMIT]}…"
            where.append(f'kolumn "{column}"')
        return one_line(f"Fel i {', '.join(where)}: {sentence(self.rule)} Inget har ändrats.")


class CheckDefinitionError(Exception):
    """An avstämning that cannot be evaluated (a claim without data, mismatched units)."""


class TextError(Exception):
    """Fixed words of text written for the report year that the year's data contradict (one line each)."""
