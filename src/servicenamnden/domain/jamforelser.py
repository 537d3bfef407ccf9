"""Comparisons the tables show: a measure in two years with its change, and an outcome against a target."""

from __future__ import annotations

import math

import pandas as pd

MEETS, ABOVE = "klarar målet", "över målet"


def two_years(frame: pd.DataFrame, key: str, value: str, labels: dict[str, str], ar: int) -> pd.DataFrame:
    """Per labelled key (in the labels' order): the year before, the year and the change (NaN when missing).

    >>> rows = pd.DataFrame({"m": ["a", "a"], "ar": [2022, 2023], "v": [3.0, 5.0]})
    >>> two_years(rows, "m", "v", {"a": "A"}, 2023).values.tolist()
    [['A', 3.0, 5.0, 2.0]]
    """
    wide = frame.pivot_table(index=key, columns="ar", values=value, aggfunc="sum")
    rows = []
    for code, label in labels.items():
        if code not in wide.index:
            continue
        before = float(wide.loc[code].get(ar - 1, math.nan))
        now = float(wide.loc[code].get(ar, math.nan))
        rows.append({"matt": label, "foregaende_ar": before, "ar": now, "forandring": now - before})
    return pd.DataFrame(rows, columns=["matt", "foregaende_ar", "ar", "forandring"])


def against_max_target(value: float, target: float) -> str | None:
    """Whether an outcome meets a 'högst' target; None when there is no outcome.

    >>> against_max_target(11.5, 12), against_max_target(13.5, 12), against_max_target(math.nan, 12)
    ('klarar målet', 'över målet', None)
    """
    if value is None or math.isnan(value):
        return None
    return MEETS if value <= target else ABOVE
