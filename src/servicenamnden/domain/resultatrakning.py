"""The income statement's totals under the one rounding rule, and what its rows add up to.

The stored rows of the resultaträkning are rounded to 0,1 mnkr, so their sum can miss the committee's
result by a rounding step (2023: −14,8 against −14,9). The result is also the sum of the areas' results
(driftredovisning). Where the two agree within the rows' rounding, the result shown is the one the rest
of the report uses (the areas' total), and the table says how far its rows are from it.
"""

from __future__ import annotations

import math

import pandas as pd

from servicenamnden.domain.ekonomi import column_key
from servicenamnden.domain.rounding import shown_sum_difference

RESULT_ROWS = ("resultat_exkl", "resultat")
FUND = "over_underskott"
ROUNDING_MNKR = 0.05  # each stored row is rounded to 0,1 mnkr


def _value(frame: pd.DataFrame, konto: str, column: str) -> float:
    hit = frame.loc[frame["konto"] == konto, column]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def anchored_statement(statement: pd.DataFrame, per_area: pd.DataFrame | None, ar: int) -> pd.DataFrame:
    """The statement with its result rows taken from the areas' total where that is within rounding.

    For each outcome and budget column (the year before's outcome too, so a year's result reads the same
    in next year's report): if the rows' own result and the areas' total
    differ by no more than the rounding of the rows (0,05 mnkr per row), the result is the areas'
    total and the result before the resultatfond is that total less the fund. The deviation of every
    row is utfall − budget, a missing budget counting as no budget (0) where there is an outcome.
    """
    out = statement.copy()
    if per_area is not None and len(per_area):
        total = per_area.iloc[-1]
        konto_rows = int((out["niva"] == "konto").sum())
        for column, area_column in (
            (column_key(ar - 1, "utfall"), "utfall_fg"),
            (column_key(ar, "utfall"), "utfall"),
            (column_key(ar, "budget"), "budget"),
        ):
            if column not in out or area_column not in total:
                continue
            area_total = float(total[area_column])
            own = _value(out, "resultat", column)
            if math.isnan(area_total) or math.isnan(own):
                continue
            if abs(own - area_total) <= konto_rows * ROUNDING_MNKR + 1e-9:
                fund = _value(out, FUND, column)
                fund = 0.0 if math.isnan(fund) else fund
                out.loc[out["konto"] == "resultat", column] = area_total
                out.loc[out["konto"] == "resultat_exkl", column] = area_total - fund
    actual, budget = out[column_key(ar, "utfall")], out[column_key(ar, "budget")]
    out["avvikelse"] = actual - budget.where(budget.notna() | actual.isna(), 0.0)
    return out


def parts_of(statement: pd.DataFrame) -> dict[str, list[str]]:
    """Which rows each total is the sum of: a group's accounts, then the totals above a result."""
    parts: dict[str, list[str]] = {}
    since_total: list[str] = []
    totals: list[str] = []
    for row in statement.itertuples():
        if row.niva != "summa":
            since_total.append(row.konto)
            continue
        if row.konto in RESULT_ROWS:
            parts[row.konto] = totals + since_total
            totals = [row.konto]
        else:
            parts[row.konto] = since_total
            totals.append(row.konto)
        since_total = []
    return parts


def shown_differences(statement: pd.DataFrame, columns: list[str], decimals: int = 1) -> list[dict]:
    """Every total whose shown parts do not add up to it as shown: row, column, parts' sum, difference."""
    values = statement.set_index("konto")
    found = []
    for total, parts in parts_of(statement).items():
        for column in columns:
            shown_total = values.loc[total, column]
            part_values = [float(values.loc[p, column]) for p in parts]
            difference = shown_sum_difference(part_values, float(shown_total), decimals)
            if abs(difference) > 1e-9:
                found.append(
                    {
                        "konto": total,
                        "rad": values.loc[total, "rad"],
                        "kolumn": column,
                        "delarnas_summa": float(shown_total) - difference,
                        "skillnad": difference,
                    }
                )
    return found
