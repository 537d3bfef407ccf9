"""The report year, resolved in one place: the year asked for (a parameter or ``--ar``), else the
``SN_AR`` environment variable (the year ``make report AR=…`` asked Quarto for, seen by the pre-render
step and every kernel), else the latest year with complete data. Nothing else reads ``SN_AR``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from servicenamnden.errors import DataError
from servicenamnden.io import data

YEAR_IN_TEXT = re.compile(r"\b(20\d\d)\b")
YEAR_VARIABLE = "SN_AR"


def requested_year(ar: int | str | None = None) -> int | None:
    """The year asked for: ``ar``, else ``SN_AR``, else ``None`` (the default year; see :func:`resolve_year`).

    A value that is not a year stops with one Swedish line naming where it came from:

    >>> requested_year(2024), requested_year(" 2024 ")
    (2024, 2024)
    >>> requested_year("tjugo")
    Traceback (most recent call last):
    servicenamnden.errors.DataError: Fel i ar: 'tjugo' är inte ett årtal. Inget har ändrats.
    """
    source = "ar"
    if ar is None or str(ar).strip() == "":
        ar, source = os.environ.get(YEAR_VARIABLE, ""), YEAR_VARIABLE
        if not ar.strip():
            return None
    text = str(ar).strip()
    if not text.isdigit():
        raise DataError(source, f"'{text}' är inte ett årtal")
    return int(text)


def resolve_year(ar: int | str | None = None) -> int:
    """The report year: :func:`requested_year`, else the latest year with complete data."""
    year = requested_year(ar)
    return year if year is not None else data.latest_complete_year()


class MissingYearError(LookupError):
    """The data hold no figures for a year a section needs; the message says so in Swedish.

    ``years`` are the years lacking: given, else the years the message names.
    """

    def __init__(self, message: str, years: Iterable[int] = ()) -> None:
        super().__init__(message)
        self.years = tuple(years) or tuple(int(y) for y in YEAR_IN_TEXT.findall(message))


def missing_text(what: str, years: list[int]) -> str:
    """A note on a figure the data lack, speaking of the figure: "Arbetsskador redovisas inte för 2024: …"."""
    listed = " och ".join(str(y) for y in years)
    return f"{what[:1].upper()}{what[1:]} redovisas inte för {listed}: underlaget finns inte."


def require_years(frame, years: int | list[int], what: str, column: str = "ar") -> None:
    """Raise :class:`MissingYearError` unless ``frame`` has rows for every one of ``years``."""
    wanted = [years] if isinstance(years, int) else list(years)
    present = set(int(v) for v in frame[column].dropna())
    missing = [y for y in wanted if y not in present]
    if missing:
        raise MissingYearError(missing_text(what, missing), missing)


def for_year(frame, ar: int, what: str, column: str = "ar"):
    """The rows of ``frame`` for ``ar``; :class:`MissingYearError` when there are none."""
    require_years(frame, ar, what, column)
    return frame[frame[column] == ar]
