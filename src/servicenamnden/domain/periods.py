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
