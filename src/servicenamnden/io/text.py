"""Rules for text cells that hold more than their letters: a leading formula character, control characters.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) as a formula: ``=HYPERLINK(…)`` in published data is a link the reader never asked for
(CSV injection). A text that is a plain number (``-29``, an age group) is not such a formula.

>>> formula_like("=HYPERLINK(\\"http://x\\")"), formula_like("@SUM(A1)"), formula_like("-29"), formula_like("50-")
(True, True, False, False)
>>> neutralised("=1+1"), neutralised("-4 682"), neutralised("Område 1")
("'=1+1", '-4 682', 'Område 1')
>>> control_characters("ab\\x00c\\u202e")
['\\\\x00', '\\\\u202e']
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable

from servicenamnden.errors import CONTROL, visible
from servicenamnden.io.numbers import canonical_number

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CLOSE = 0.7  # how alike a name must be to be offered as "menar du …" (difflib's ratio)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula: a formula character first, not a number."""
    return text.startswith(FORMULA_START) and canonical_number(text.strip(), percent=True) is None


def neutralised(text: str) -> str:
    """``text`` for a CSV that people open in a spreadsheet: a formula-like text gets a leading ``'``."""
    return "'" + text if formula_like(text) else text


def control_characters(text: str) -> list[str]:
    """The control characters in ``text``, each made visible, in order."""
    return [visible(m.group()) for m in CONTROL.finditer(text)]


def nearest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` was probably meant to be, or ``None`` when none is close (no noise hints).

    >>> nearest("heldygnn", ["heldygn", "lunch"]), nearest("Blad1", ["omraden", "miljomal"])
    ('heldygn', None)
    """
    found = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=CLOSE)
    return found[0] if found else None


class CutOff(ValueError):
    """A CSV text that ends inside a quoted cell: the file was cut off (or a quote never closed)."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def csv_rows(text: str, delimiter: str = ",") -> list[list[str]]:
    """The rows of a CSV text, strictly: a quote opened and never closed raises :class:`CutOff` with the
    line its row starts on, where a lenient reader would quietly take the rest of the file as one cell.

    >>> try:
    ...     csv_rows('a,b\\n1,"x\\n')
    ... except CutOff as cut:
    ...     print(cut.line)
    2
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    started = 1
    try:
        for row in reader:
            rows.append(row)
            started = reader.line_num + 1
    except csv.Error:
        raise CutOff(started) from None
    return rows
