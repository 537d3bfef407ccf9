"""Tables of MS ÄO's costs against the indices, and of the brukaravgifter."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import ms_ao
from servicenamnden.domain.ms_ao import SERIES_LABELS
from servicenamnden.domain.years import require_years
from servicenamnden.present import fmt
from servicenamnden.present.tables.spec import Column, Table, text

INDEX_LABELS = {"budgetindex": "Enligt generellt budgetindex", "storkoksindex": "Enligt storköksindex"}


def _index_notes(indices: pd.DataFrame, last: int) -> list[str]:
    return [f"– {SERIES_LABELS[s]} {y}: {note}" for y, s, note in ms_ao.missing_index_notes(indices, last)]


def ms_ao_cost_table(costs: pd.DataFrame, categories: pd.DataFrame, indices: pd.DataFrame, ar: int) -> Table:
    """MS ÄO cost per category and year (tkr), computed total, and both indices as tkr series."""
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    last = int(costs["ar"].max())
    body = ms_ao.cost_table(costs, categories, last)
    types = ms_ao.year_types(costs)
    index_rows = ms_ao.index_costs(costs, indices, last)
    for serie, label in INDEX_LABELS.items():
        if serie in index_rows.columns:
            body.loc[label] = index_rows[serie].reindex(body.columns)
    years = [int(y) for y in body.columns]
    frame = body.reset_index()
    frame.columns = ["kostnadsslag", *[f"y{y}" for y in years]]
    columns = tuple(
        Column(f"y{y}", f"Budget {y}" if types.get(y) == "budget" else f"Utfall {y}", unit="tkr")
        for y in years
    )
    total_row = list(frame["kostnadsslag"]).index("Totalt")
    table = Table(
        frame,
        text("kostnadsslag", "Kostnadsslag"),
        columns,
        "tbl-ms-ao-gt",
        "Kostnadsslag (tkr)",
        unit="tkr",
        bold_rows=(total_row,),
    )
    base = ms_ao.base_year(costs)
    return table.with_notes(
        "Totalt är summan av kostnadsslagen, beräknad ur data. Indexraderna visar vad "
        f"{base} års kostnad (Totalt) hade blivit om den följt respektive index.",
        *_base_notes(costs, indices, base),
        *_index_notes(indices, last),
    )


def _base_notes(costs: pd.DataFrame, indices: pd.DataFrame, base: int) -> list[str]:
    """Where the stored index rows start from another amount than the base year's total: say so, once."""
    total = float(ms_ao.totals(costs)[base])
    stored = {v for v in ms_ao.stored_index_base(indices, base).values() if abs(v - total) >= 0.5}
    if not stored:
        return []
    amounts = " och ".join(fmt.tkr(v) for v in sorted(stored))
    return [
        f"Indexraderna i underlaget utgår från {amounts} för {base}, men kostnadsslagen summerar det året "
        f"till {fmt.tkr(total)}, som är den total tabellen visar. Indexraderna är därför omräknade från "
        f"{fmt.tkr(total)} med samma procentuella utveckling, så att alla rader utgår från samma belopp. "
        "Skillnaden redovisas också i Datakontroller."
    ]


def ms_ao_index_table(costs: pd.DataFrame, indices: pd.DataFrame, ar: int) -> Table:
    """Cost and indices with the base year = 100, up to ``ar``."""
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    series = ms_ao.index_series(costs, indices, ar)
    years = [int(y) for y in series.index]
    frame = pd.DataFrame({"serie": [SERIES_LABELS[s] for s in series.columns]})
    for year in years:
        frame[f"y{year}"] = series.loc[year].to_numpy()
    base = ms_ao.base_year(costs)
    columns = tuple(Column(f"y{y}", str(y), decimals=1) for y in years)
    table = Table(
        frame,
        text("serie", "Serie"),
        columns,
        "tbl-ms-ao-index-gt",
        f"Index ({base} = 100)",
        unit=f"index, {base} = 100",
    )
    return table.with_notes(*_index_notes(indices, ar))


def fee_index_table(
    fees: pd.DataFrame,
    subscriptions: pd.DataFrame,
    costs: pd.DataFrame,
    indices: pd.DataFrame,
    subscription: str = bav.CHARTED,
) -> Table:
    """The fee chart's values: one subscription's fee, MS ÄO's cost and the indices with the base year =
    100, by year (:func:`~servicenamnden.domain.brukaravgifter.fee_and_cost_index`)."""
    values = bav.fee_and_cost_index(fees, subscriptions, costs, indices, subscription)
    years = [int(y) for y in values.index]
    base = int(values[bav.FEE_SERIES].first_valid_index())
    names = {
        bav.FEE_SERIES: f"Brukaravgift, {bav.labels(subscriptions)[subscription].lower()}",
        **SERIES_LABELS,
        "kostnad": "MS ÄO:s kostnad",
    }
    frame = pd.DataFrame({"serie": [names[s] for s in values.columns]})
    for year in years:
        frame[f"y{year}"] = values.loc[year].to_numpy()
    budgets = sorted(ms_ao.budget_years(costs) & set(years))
    notes = (
        [f"MS ÄO:s kostnad för {fmt.join(str(y) for y in budgets)} är budget, inte utfall."]
        if budgets
        else []
    )
    if ms_ao.base_year(costs) != base:
        notes.append(f"MS ÄO:s kostnad och indexen har {ms_ao.base_year(costs)} = 100.")
    table = Table(
        frame,
        text("serie", "Serie"),
        tuple(Column(f"y{y}", str(y), decimals=1) for y in years),
        "tbl-brukaravgifter-index-gt",
        f"Index ({base} = 100)",
        unit=f"index, {base} = 100",
    )
    gaps = ["– = inget publicerat värde för året."] if values.isna().to_numpy().any() else []
    return table.with_notes(*notes, *_index_notes(indices, years[-1]), *gaps)


def ms_ao_change_table(costs: pd.DataFrame, categories: pd.DataFrame, start: int, end: int) -> Table:
    """Change per category from ``start`` to ``end``: tkr and percent."""
    require_years(costs[costs["typ"] == "utfall"], end, "kostnader för MS ÄO")
    change = ms_ao.category_change(costs, categories, start, end).reset_index()
    columns = (
        Column("start_tkr", str(start), unit="tkr"),
        Column("slut_tkr", str(end), unit="tkr"),
        Column("forandring_tkr", "Förändring, tkr", sign=True, unit="tkr"),
        Column("forandring_procent", "Förändring, %", "percent", 1, sign=True),
    )
    return Table(
        change,
        text("kostnadsslag", "Kostnadsslag"),
        columns,
        "tbl-ms-ao-forandring-gt",
        "Kostnadsslag (tkr)",
        unit="tkr",
        bold_rows=(len(change) - 1,),
    )


def brukaravgifter_table(fees: pd.DataFrame, subscriptions: pd.DataFrame) -> Table:
    """Fee per subscription and year, with yearly change and change since the base year."""
    table = bav.wide(fees, subscriptions)
    yearly = bav.yearly_change(table)
    since = bav.change_since_base(table)
    names = bav.labels(subscriptions)
    years = [int(y) for y in table.columns]
    base, last = years[0], years[-1]
    frame = pd.DataFrame({"abonnemang": [names[c] for c in table.index]})
    columns = []
    for year in years:
        frame[f"avgift_{year}"] = table[year].to_numpy()
        columns.append(Column(f"avgift_{year}", str(year), unit="kr", spanner="Avgift, kr per månad"))
    for year in years[1:]:
        frame[f"forandring_{year}"] = yearly[year].to_numpy()
        columns.append(
            Column(
                f"forandring_{year}", str(year), "percent", 1, sign=True, spanner="Förändring mot året före"
            )
        )
    frame["sedan_bas"] = since[last].to_numpy()
    columns.append(Column("sedan_bas", f"Sedan {base}", "percent", 1, sign=True))
    return Table(
        frame,
        text("abonnemang", "Abonnemang"),
        tuple(columns),
        "tbl-brukaravgifter-gt",
        "Abonnemang (kr per månad)",
        unit="kr per månad",
        font_size="75%",
    ).with_notes(
        f"Förändringarna är beräknade för varje abonnemang ur avgifterna; Sedan {base} avser {last} mot {base}."
    )


def fees_against_costs_table(
    comparison: pd.DataFrame, subscriptions: pd.DataFrame, start: int, end: int
) -> Table:
    """Fee increases next to the cost and index development over the same years."""
    names = {**bav.labels(subscriptions), **SERIES_LABELS}
    frame = pd.DataFrame(
        {
            "post": [names.get(p, p) for p in comparison["post"]],
            "forandring_procent": comparison["forandring_procent"].to_numpy(),
        }
    )
    columns = (Column("forandring_procent", f"Förändring {start}–{end}", "percent", 1, sign=True),)
    table = Table(frame, text("post", "Post"), columns, "tbl-avgift-mot-kostnad-gt", "Avgift eller kostnad")
    if comparison["forandring_procent"].isna().any():
        table = table.with_notes(f"– = indexet för {end} är inte publicerat.")
    return table


def fee_comparison_table(
    fees: pd.DataFrame, subscriptions: pd.DataFrame, costs: pd.DataFrame, indices: pd.DataFrame, ar: int
) -> Table:
    """Fee increases from the base year to ``ar`` next to the MS ÄO cost and the indices."""
    require_years(fees, ar, "brukaravgifter")
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    base = ms_ao.base_year(costs)
    comparison = bav.fees_against_costs(
        bav.wide(fees, subscriptions), ms_ao.index_series(costs, indices, ar), base, ar
    )
    return fees_against_costs_table(comparison, subscriptions, base, ar)
