"""Swedish number formatting: one formatter for tables and prose.

Rules (Isof/Språkrådet, Myndigheternas skrivregler): decimal comma, thousands grouped by a
non-breaking space, a true minus sign (U+2212), ``6,1 %`` with a non-breaking space, units
tkr/mnkr, changes of shares in procentenheter, and ``–`` for a missing value.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
NBSP = "\u00a0"
MISSING = "\u2013"  # en dash, shown for a missing value (always with a note)

Number = int | float | Decimal | None


def is_missing(value: object) -> bool:
    """True for None and NaN (pandas' missing values)."""
    if value is None or type(value).__name__ == "NAType":  # pandas' pd.NA
        return True
    try:
        return math.isnan(value)  # type: ignore[arg-type]
    except TypeError:
        return False


def _round_half_up(value: float | int | Decimal, decimals: int) -> Decimal:
    """Round as people do (2,25 → 2,3), not as binary floats happen to (2,2)."""
    quantum = Decimal(1).scaleb(-decimals)
    if not isinstance(value, Decimal):
        as_float = float(value)
        value = Decimal(int(as_float)) if as_float.is_integer() else Decimal(repr(as_float))
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def number(value: Number, decimals: int = 0, *, sign: bool = False) -> str:
    """Format a number the Swedish way: ``−1 234,5``; ``–`` when missing.

    >>> number(-1234.45, 1)
    '−1\\xa0234,5'
    >>> number(0.04, 1, sign=True)
    '±0,0'
    """
    if is_missing(value):
        return MISSING
    rounded = _round_half_up(value, decimals)  # type: ignore[arg-type]
    if rounded == 0:
        rounded = abs(rounded)  # never show −0,0
    integer, _, fraction = f"{abs(rounded):.{decimals}f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = NBSP.join(groups) + ("," + fraction if fraction else "")
    if rounded < 0:
        return MINUS + text
    if sign:
        return "+" + text if rounded > 0 else "\u00b1" + text
    return text


def _with_unit(text: str, unit: str) -> str:
    return text if text == MISSING else f"{text}{NBSP}{unit}"


def percent(value: Number, decimals: int = 1, *, sign: bool = False) -> str:
    """A share already in percent: ``6,1 %``."""
    return _with_unit(number(value, decimals, sign=sign), "%")


def pp(value: Number, decimals: int = 1, *, sign: bool = True, short: bool = False) -> str:
    """A change of a share, in procentenheter: ``−0,9 procentenheter``."""
    return _with_unit(number(value, decimals, sign=sign), "p.e." if short else "procentenheter")


def mnkr(value: Number, decimals: int = 1, *, sign: bool = False) -> str:
    """Millions of kronor: ``−14,9 mnkr``."""
    return _with_unit(number(value, decimals, sign=sign), "mnkr")


def tkr(value: Number, decimals: int = 0, *, sign: bool = False) -> str:
    """Thousands of kronor: ``102 386 tkr``."""
    return _with_unit(number(value, decimals, sign=sign), "tkr")


def kr(value: Number, decimals: int = 0, *, sign: bool = False) -> str:
    """Kronor: ``4 524 kr``."""
    return _with_unit(number(value, decimals, sign=sign), "kr")


def count(value: Number) -> str:
    """A whole count: ``7 635``."""
    return number(value, 0)
