"""Periods of a year as the data write them (``apr-dec``, ``var``) and as a reader reads them."""

from __future__ import annotations

MONTHS = {
    "jan": "januari",
    "feb": "februari",
    "mar": "mars",
    "apr": "april",
    "maj": "maj",
    "jun": "juni",
    "jul": "juli",
    "aug": "augusti",
    "sep": "september",
    "okt": "oktober",
    "nov": "november",
    "dec": "december",
}
SEASONS = {"var": "våren", "sommar": "sommaren", "host": "hösten", "vinter": "vintern"}


def period_words(period: str) -> str:
    """``apr-dec`` → ``april–december``, ``var`` → ``våren``; an unknown code is returned as it is.

    >>> period_words("apr-dec"), period_words("var"), period_words("sep")
    ('april–december', 'våren', 'september')
    """
    if period in SEASONS:
        return SEASONS[period]
    parts = period.split("-")
    if all(p in MONTHS for p in parts):
        return "–".join(MONTHS[p] for p in parts)
    return period


def rolling_period_words(code: str, ar: int) -> str:
    """A twelve-month period of the data (``dec-nov``) ending in ``ar``: ``december 2022 till november 2023``.

    >>> rolling_period_words("dec-nov", 2023)
    'december 2022 till november 2023'
    """
    first, last = code.split("-")
    order = list(MONTHS)
    start_year = ar - 1 if order.index(first) > order.index(last) else ar
    return f"{MONTHS[first]} {start_year} till {MONTHS[last]} {ar}"
