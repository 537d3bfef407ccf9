"""The four-year process goals: the period a year's goals belong to is a fact of the data."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain.years import for_year
from servicenamnden.errors import DataError

SOURCE = "data/processmal.csv"


def process_goal_period(goals: pd.DataFrame, ar: int) -> tuple[int, int]:
    """(first year, last year) of the process goals that ``ar``'s rows follow up.

    Every row of the year states the same period, and the year lies within it; otherwise a
    :class:`DataError` names the row (the row number counts the header as row 1).
    """
    part = for_year(goals, ar, "processmålen")
    periods = {(int(r.period_start), int(r.period_slut)) for r in part.itertuples()}
    for position, row in zip(part.index, part.itertuples(), strict=True):
        line = int(position) + 2
        start, end = int(row.period_start), int(row.period_slut)
        if start > end:
            raise DataError(
                SOURCE, f"perioden {start}–{end} börjar efter att den slutar", line, "period_start"
            )
        if not start <= ar <= end:
            raise DataError(SOURCE, f"året {ar} ligger utanför perioden {start}–{end}", line, "ar")
        if len(periods) > 1:
            raise DataError(
                SOURCE,
                f"årets processmål har olika perioder ({', '.join(f'{a}–{b}' for a, b in sorted(periods))})",
                line,
                "period_start",
            )
    return periods.pop()
