"""The one parser of numbers as people and files write them: canonical (``1234.5``) and Swedish (``1 234,5``).

Data files store the canonical form (decimal point, no grouping); the controller's workbooks and Excel's
Swedish CSV use decimal comma, a space or non-breaking space between thousands, a true minus sign and a
percent sign. Everything that reads a number as text goes through here.

>>> canonical_number("\u2212" + "1\u00a0234,5")
'-1234.5'
>>> canonical_number("6,1 %", percent=True)
'6.1'
>>> canonical_number("4 701,5 kr") is None
True
>>> shown(2000.0), shown(0.5)
('2000', '0,5')
"""

from __future__ import annotations

import re

CANONICAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")
WHOLE_FLOAT = re.compile(r"^([+-]?\d+)\.0*$")
MINUS = "\u2212"


def is_canonical(text: str) -> bool:
    """Whether ``text`` is a number as the data files store it (decimal point, no grouping)."""
    return bool(CANONICAL.match(text))


def has_decimal_comma(text: str) -> bool:
    """Whether ``text`` is a number written with a decimal comma (``4189,5``)."""
    return bool(DECIMAL_COMMA.match(text))


def is_whole(text: str) -> bool:
    """Whether canonical ``text`` is a whole number (``2024``, ``2024.0``)."""
    return is_canonical(text) and float(text).is_integer()


def canonical_number(text: str, percent: bool = False, whole: bool = False) -> str | None:
    """A number in Swedish or canonical spelling as canonical text, or ``None`` if it is not a number.

    ``percent`` drops a trailing ``%``; ``whole`` writes ``2024,0`` as ``2024`` (years, counts).
    """
    value = text.strip().replace(MINUS, "-")
    if percent:
        value = value.removesuffix("%").strip()
    value = THOUSANDS.sub("", value)
    if has_decimal_comma(value):
        value = value.replace(",", ".")
    match = WHOLE_FLOAT.match(value)
    if match and whole:
        value = match.group(1)
    return value if is_canonical(value) else None


def parse_number(text: str) -> float | None:
    """A number in Swedish or canonical spelling as a float, or ``None`` if it is not a number."""
    value = canonical_number(text, percent=True)
    return None if value is None else float(value)


def shown(value: float) -> str:
    """A bound or limit in a Swedish message: ``2000`` not ``2000.0``, ``0,5`` with a decimal comma."""
    number = float(value)
    text = str(int(number)) if number.is_integer() else repr(number).replace(".", ",")
    return text.replace("-", MINUS)
