"""MS ÄO (måltidsservice äldreomsorg): cost development against the budget and storkök indices."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

SERIES_LABELS = {
    "kostnad": "Verklig kostnad",
    "budgetindex": "Generellt budgetindex",
    "storkoksindex": "Storköksindex",
}


def totals(costs: pd.DataFrame) -> pd.Series:
    """Total cost per year (sum of all categories), tkr."""
    return costs.groupby("ar")["belopp_tkr"].sum().rename("totalt_tkr")


def year_types(costs: pd.DataFrame) -> pd.Series:
    """Whether each year's figures are ``utfall`` or ``budget``."""
    return costs.groupby("ar")["typ"].first()


def budget_years(costs: pd.DataFrame) -> frozenset[int]:
    """Years whose MS ÄO figures are a budget, not an outcome."""
    types = year_types(costs)
    return frozenset(int(y) for y, t in types.items() if t == "budget")


def base_year(costs: pd.DataFrame) -> int:
    """The first year of the series: the base of every index (2019 = 100 in the 2023 report)."""
    return int(costs["ar"].min())


def cost_table(costs: pd.DataFrame, categories: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Categories × years up to ``last_year`` (tkr), with a computed total row last."""
    shown = costs[costs["ar"] <= last_year]
    wide = shown.pivot(index="kategori", columns="ar", values="belopp_tkr")
    order = categories.sort_values("ordning")
    wide = wide.reindex([k for k in order["kategori"] if k in wide.index])
    wide.index = wide.index.map(dict(zip(order["kategori"], order["benamning"], strict=True)))
    wide.loc["Totalt"] = wide.sum(axis=0)
    wide.index.name = "kostnadsslag"
    wide.columns = [int(c) for c in wide.columns]
    return wide


def index_series(costs: pd.DataFrame, indices: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Actual cost and each index as a series with the base year = 100 (NaN where unpublished)."""
    base = base_year(costs)
    total = totals(costs)
    rows = []
    for ar, value in total.items():
        if ar <= last_year:
            rows.append({"ar": int(ar), "serie": "kostnad", "index": value / total[base] * 100})
    for serie, part in indices.groupby("serie", sort=False):
        part = part.set_index("ar")["kostnad_enligt_index_tkr"]
        for ar, value in part.items():
            if ar <= last_year:
                rows.append({"ar": int(ar), "serie": serie, "index": value / part[base] * 100})
    frame = pd.DataFrame(rows)
    return frame.pivot(index="ar", columns="serie", values="index")[
        [s for s in SERIES_LABELS if s in set(frame["serie"])]
    ]


def index_costs(costs: pd.DataFrame, indices: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """What the base year's total cost (the sum of its categories) would have been each year had it
    followed each index (tkr): ``total[base] × index / 100``, years × series, NaN where unpublished.

    The stored index rows may start from another base amount than the categories' sum (the 2023
    source prints 102 386 tkr for 2019 where its categories sum to 101 386 tkr); only their relative
    development is used, so the cost table, the counterfactuals and the prose share one base.
    """
    series = index_series(costs, indices, last_year)
    base_total = float(totals(costs)[base_year(costs)])
    return series.drop(columns="kostnad") * base_total / 100


def stored_index_base(indices: pd.DataFrame, base: int) -> dict[str, float]:
    """The amount each stored index series gives for the base year (tkr), by series."""
    part = indices[(indices["ar"] == base) & indices["kostnad_enligt_index_tkr"].notna()]
    return {str(r.serie): float(r.kostnad_enligt_index_tkr) for r in part.itertuples()}


@dataclass(frozen=True)
class Counterfactual:
    """What the year's cost would have been had the base-year cost followed an index."""

    serie: str
    ar: int
    base_cost_tkr: float
    index: float
    expected_tkr: float
    actual_tkr: float

    @property
    def difference_tkr(self) -> float:
        """Actual minus expected: negative means the cost rose less than the index."""
        return self.actual_tkr - self.expected_tkr


def counterfactuals(costs: pd.DataFrame, indices: pd.DataFrame, ar: int) -> dict[str, Counterfactual | None]:
    """Per index: the counterfactual cost in ``ar``; ``None`` where the index is not published."""
    series = index_series(costs, indices, ar)
    expected = index_costs(costs, indices, ar)
    total = totals(costs)
    base_cost = float(total[base_year(costs)])
    out: dict[str, Counterfactual | None] = {}
    for serie in ("budgetindex", "storkoksindex"):
        idx = series[serie].get(ar) if serie in series else None
        if idx is None or pd.isna(idx) or ar not in total:
            out[serie] = None
            continue
        out[serie] = Counterfactual(
            serie=serie,
            ar=ar,
            base_cost_tkr=base_cost,
            index=float(idx),
            expected_tkr=float(expected.loc[ar, serie]),
            actual_tkr=float(total[ar]),
        )
    return out


def category_change(costs: pd.DataFrame, categories: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Per category and in total: cost ``start`` and ``end``, change in tkr and in percent."""
    table = cost_table(costs, categories, end)
    out = pd.DataFrame({"start_tkr": table[start], "slut_tkr": table[end]})
    out["forandring_tkr"] = out["slut_tkr"] - out["start_tkr"]
    out["forandring_procent"] = (out["slut_tkr"] / out["start_tkr"] - 1) * 100
    return out


def last_published_index_year(indices: pd.DataFrame, serie: str) -> int | None:
    """The latest year an index has a value."""
    part = indices[(indices["serie"] == serie) & indices["kostnad_enligt_index_tkr"].notna()]
    return int(part["ar"].max()) if len(part) else None


def missing_index_notes(indices: pd.DataFrame, last_year: int) -> list[tuple[int, str, str]]:
    """(year, series, note) for every index value up to ``last_year`` that is missing."""
    gaps = indices[(indices["ar"] <= last_year) & indices["kostnad_enligt_index_tkr"].isna()]
    return [(int(r.ar), r.serie, r.anmarkning) for r in gaps.itertuples()]
