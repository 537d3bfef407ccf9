"""Swedish number formatting: one formatter for tables and prose.

Rules (Isof/Språkrådet, Myndigheternas skrivregler): decimal comma, thousands grouped by a
non-breaking space, a true minus sign (U+2212), ``6,1 %`` with a non-breaking space, units
tkr/mnkr, changes of shares in procentenheter, and ``–`` for a missing value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from servicenamnden.domain import periods
from servicenamnden.domain.rounding import round_half_up

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


def number(value: Number, decimals: int = 0, *, sign: bool = False) -> str:
    """Format a number the Swedish way: ``−1 234,5``; ``–`` when missing.

    >>> number(-1234.45, 1)
    '−1\\xa0234,5'
    >>> number(0.04, 1, sign=True)
    '±0,0'
    """
    if is_missing(value):
        return MISSING
    rounded = round_half_up(value, decimals)  # type: ignore[arg-type]
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


# --- prose: direction words and signs -----------------------------------------------------------------
#
# A sentence that says which way an amount went ("högre", "lägre", "mer", "mindre", "överskred med") shows
# the amount without a sign: the word carries the direction, and a sign could only repeat or contradict it
# ("kostnaderna −5,3 mnkr högre"). A signed amount stands alone, in parentheses or as an "avvikelse".

UNITS = {"mnkr": mnkr, "tkr": tkr, "kr": kr, "%": percent, "procentenheter": pp, "": number}


def magnitude(value: Number, unit: str = "mnkr", decimals: int = 1) -> str:
    """An amount without its sign, for use after or before a direction word: ``5,3 mnkr``, ``34 km``.

    >>> magnitude(-10884, "km", 0) == "10\xa0884\xa0km"
    True
    """
    if is_missing(value):
        return MISSING
    if unit not in UNITS:  # any other unit (km, st) follows the number
        return _with_unit(number(abs(float(value)), decimals), unit)  # type: ignore[arg-type]
    formatter = UNITS[unit]
    return formatter(abs(float(value)), decimals, sign=False)  # type: ignore[operator, arg-type]


def directed(
    value: Number,
    if_positive: str,
    if_negative: str,
    *,
    unit: str = "mnkr",
    decimals: int = 1,
    if_zero: str | None = None,
    word_first: bool = False,
) -> str:
    """An amount and the direction word its sign calls for, so they cannot disagree: ``5,3 mnkr högre``.

    With ``word_first`` the word leads: ``minskade med 22``.

    >>> directed(-5.3, "lägre", "högre") == "5,3\\xa0mnkr högre"
    True
    """
    if is_missing(value):
        return MISSING
    shown = magnitude(value, unit, decimals)
    rounded = round_half_up(value, decimals)  # type: ignore[arg-type]
    if rounded == 0 and if_zero is not None:
        return if_zero
    word = if_positive if rounded >= 0 else if_negative
    return f"{word} {shown}" if word_first else f"{shown} {word}"


DIRECTION_WORDS = (
    "högre|lägre|mer|mindre|bättre|sämre|större|fler|färre|över|under|dyrare|billigare|ökning|minskning"
)
DIRECTION_VERBS = (
    "överskred|överskrider|översteg|överstiger|understeg|understiger|ökade|ökat|ökar|minskade|minskat|minskar|"
    "steg|stigit|sjönk|sjunkit|höjdes|höjts|sänktes|sänkts|förbättrades|försämrades"
)
_NUMBER = r"[\d\u00a0 ]*\d(?:,\d+)?"
_UNIT = r"(?:\u00a0| )?(?:mnkr|tkr|kr|%|procentenheter|p\.e\.)?"
_SIGNED_BEFORE_WORD = re.compile(rf"[+\u2212\-±]{_NUMBER}{_UNIT}\s+(?:{DIRECTION_WORDS})\b")
_VERB_THEN_SIGNED = re.compile(rf"\b(?:{DIRECTION_VERBS})\b[^.;:()]{{0,60}}?\bmed\s+[+\u2212\-±]\d")


def direction_conflicts(text: str) -> list[str]:
    """Places in prose where a direction word meets a signed amount (``−5,3 mnkr högre``, ``överskred med −4,8``)."""
    return [m.group() for m in _SIGNED_BEFORE_WORD.finditer(text)] + [
        m.group() for m in _VERB_THEN_SIGNED.finditer(text)
    ]


# --- prose: ranges ----------------------------------------------------------------------------------


def span(values: Iterable[Number], formatter: Callable[[Number], str] = percent) -> str:
    """The range of some values in words that fit: ``mellan 2,0 % och 5,3 %``, or one value when all agree.

    The caller writes the verb and ``med``: "höjdes med {span}" reads "höjdes med 8,0 %" when every value
    rounds to the same figure, never "med mellan 8,0 %".

    >>> span([3.44, 3.4]) == "3,4\\xa0%"
    True
    """
    shown = [v for v in values if not is_missing(v)]
    if not shown:
        return MISSING
    lo, hi = formatter(min(shown)), formatter(max(shown))  # type: ignore[type-var]
    return lo if lo == hi else f"mellan {lo} och {hi}"


# --- prose: ordinals and dates ------------------------------------------------------------------------

ORDINALS = ("första", "andra", "tredje", "fjärde", "femte", "sjätte", "sjunde", "åttonde", "nionde", "tionde")
MONTHS = tuple(periods.MONTHS.values())  # januari … december


def ordinal(value: Number) -> str:
    """A rank in words up to ten (``tredje``), else with the Swedish suffix (``11:e``, ``21:a``)."""
    if is_missing(value):
        return MISSING
    n = int(value)  # type: ignore[arg-type]
    if 1 <= n <= len(ORDINALS):
        return ORDINALS[n - 1]
    return f"{n}:{'a' if n % 10 in (1, 2) and n % 100 not in (11, 12) else 'e'}"


def date(value: str | None) -> str:
    """An ISO date as Swedish prose: ``2022-12-01`` → ``1 december 2022``."""
    if value is None or is_missing(value) or not str(value).strip():
        return MISSING
    year, month, day = (int(part) for part in str(value).strip()[:10].split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def month(value: str | None) -> str:
    """A month name for prose (lower case, as Swedish writes it); ``–`` when missing."""
    if value is None or is_missing(value) or not str(value).strip():
        return MISSING
    return str(value).strip().lower()


def join(items: Iterable[str]) -> str:
    """A Swedish list, ``a, b och c`` (empty items left out): the one list join of prose and checks.

    >>> join(["a", "b", "c"]), join(["a"]), join([])
    ('a, b och c', 'a', '')
    """
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
