"""The report year: a parameter, defaulting to the latest year with complete actuals."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from servicenamnden.io import data

YEAR_IN_TEXT = re.compile(r"\b(20\d\d)\b")


def latest_complete_year() -> int:
    """Latest year with both MS ÄO actuals and a full-year sick-leave figure."""
    costs = data.load("ms_ao_kostnader")
    sick = data.load("sjukfranvaro")
    actual_years = set(costs.loc[costs["typ"] == "utfall", "ar"].astype(int))
    sick_years = set(sick.loc[sick["period"] == "jan-dec", "ar"].astype(int))
    common = actual_years & sick_years
    if not common:
        raise ValueError("Inget år har både utfall för MS ÄO och sjukfrånvaro för helår.")
    return max(common)


def resolve_year(ar: int | str | None) -> int:
    """``ar`` as an int; when ``None`` or empty, ``SN_AR`` (the year the render was asked for, seen by
    every kernel of a ``quarto render``), else the default year."""
    if ar is None or str(ar).strip() == "":
        ar = os.environ.get("SN_AR", "").strip()
    if ar == "":
        return latest_complete_year()
    return int(ar)


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
