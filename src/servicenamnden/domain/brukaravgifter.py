"""Brukaravgifter: yearly change and change since the base year for every subscription."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import ms_ao
from servicenamnden.domain.provenance import Traced, select, spann_forandring_procent


def wide(fees: pd.DataFrame, subscriptions: pd.DataFrame) -> pd.DataFrame:
    """Subscriptions (in their display order and names) × years, kr per month."""
    table = fees.pivot(index="abonnemang", columns="ar", values="avgift_kr_per_manad")
    order = subscriptions.sort_values("ordning")
    table = table.reindex([a for a in order["abonnemang"] if a in table.index])
    table.columns = [int(c) for c in table.columns]
    return table


def yearly_change(table: pd.DataFrame) -> pd.DataFrame:
    """Percent change against the year before, per subscription (first year NaN)."""
    return (table / table.shift(axis=1) - 1) * 100


def change_since_base(table: pd.DataFrame) -> pd.DataFrame:
    """Percent change against the first year, per subscription."""
    return (table.div(table.iloc[:, 0], axis=0) - 1) * 100


def change_range(changes: pd.DataFrame) -> pd.DataFrame:
    """Per year: the smallest and largest change across subscriptions (the source prints one row)."""
    return pd.DataFrame({"min": changes.min(axis=0), "max": changes.max(axis=0)})


def labels(subscriptions: pd.DataFrame) -> dict[str, str]:
    """Code → display name."""
    return dict(zip(subscriptions["abonnemang"], subscriptions["benamning"], strict=True))


FEE_SERIES = "avgift"  # the fee's column beside MS ÄO's series in :func:`fee_and_cost_index`
CHARTED = "heldygn"  # the subscription the fee chart and its table follow


def fee_and_cost_index(
    fees: pd.DataFrame,
    subscriptions: pd.DataFrame,
    costs: pd.DataFrame,
    indices: pd.DataFrame,
    subscription: str = CHARTED,
) -> pd.DataFrame:
    """Years × series: one subscription's fee with its first year = 100, then MS ÄO's cost and each index
    with their base year = 100, up to the fees' last year (what the fee chart draws and its table shows)."""
    fee = wide(fees, subscriptions).loc[subscription]
    series = ms_ao.index_series(costs, indices, int(fee.index[-1]))
    frame = series.reindex(sorted(set(series.index) | {int(y) for y in fee.index}))
    frame.insert(0, FEE_SERIES, (fee / fee.iloc[0] * 100).reindex(frame.index))
    frame.index.name = "ar"
    return frame


def fees_against_costs(table: pd.DataFrame, cost_index: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Change ``start``→``end`` in percent: each fee next to the MS ÄO cost and the indices.

    ``cost_index`` is :func:`servicenamnden.domain.ms_ao.index_series` (base year = 100).
    """
    rows = []
    for code, fees in table.iterrows():
        rows.append(
            {"post": code, "slag": "avgift", "forandring_procent": (fees[end] / fees[start] - 1) * 100}
        )
    for serie in cost_index.columns:
        series = cost_index[serie]
        value = series.get(end)
        change = (
            (value / series[start] - 1) * 100 if value is not None and not pd.isna(value) else float("nan")
        )
        rows.append({"post": serie, "slag": "kostnad/index", "forandring_procent": change})
    return pd.DataFrame(rows)


def traced_change_range(fees: pd.DataFrame, subscriptions: pd.DataFrame, new: int, old: int) -> Traced:
    """The smallest and largest change from ``old`` to ``new`` across the subscriptions that have both
    years (what :func:`change_range` gives for one year), with the fee rows it is computed from."""
    table = wide(fees, subscriptions)
    pairs = [
        (
            select(fees, "avgift_kr_per_manad", abonnemang=a, ar=new),
            select(fees, "avgift_kr_per_manad", abonnemang=a, ar=old),
        )
        for a in table.index
        if not (pd.isna(table.loc[a, new]) or pd.isna(table.loc[a, old]))
    ]
    return spann_forandring_procent(pairs)
