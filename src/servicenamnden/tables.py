"""Tables as pure functions: data in, a ``great_tables.GT`` out, every cell formatted in Swedish.

Cells are formatted with :mod:`servicenamnden.fmt` before they reach great-tables, so tables and
prose share one formatter. The caption comes from the notebook cell's ``tbl-cap``.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT

from . import brukaravgifter as bav
from . import fmt, ms_ao, sjukfranvaro
from .ms_ao import SERIES_LABELS

TABLE_WIDTH = "100%"


def _gt(frame: pd.DataFrame, table_id: str, stub: str, stubhead: str) -> GT:
    """A GT with a stub of row headers, right-aligned figures and our common options."""
    numeric = [c for c in frame.columns if c != stub]
    return (
        GT(frame, rowname_col=stub, id=table_id)
        .tab_stubhead(stubhead)
        .cols_align("right", columns=numeric)
        .tab_options(table_width=TABLE_WIDTH, table_font_size="90%")
    )


def sjukfranvaro_table(frame: pd.DataFrame, ar: int) -> GT:
    """Sick leave by group: the year, the year before, change in procentenheter."""
    comp = sjukfranvaro.compare_years(frame, ar)
    shown = pd.DataFrame(
        {
            "Grupp": [sjukfranvaro.GROUP_LABELS[g] for g in comp["grupp"]],
            str(ar): [fmt.percent(v) for v in comp["ar"]],
            str(ar - 1): [fmt.percent(v) for v in comp["foregaende_ar"]],
            "Förändring": [fmt.pp(v, short=True) for v in comp["forandring_pe"]],
        }
    )
    table = _gt(shown, "tbl-sjukfranvaro-gt", "Grupp", "Grupp").tab_source_note(
        "Sjukfrånvarotimmar i procent av ordinarie arbetstid, medel för årets tolv månader. "
        "Förändringen anges i procentenheter (p.e.). Grupper med tio anställda eller färre visas inte (–)."
    )
    if comp["dold"].any():
        table = table.tab_source_note("– = uppgiften visas inte eftersom gruppen är för liten.")
    return table


def ms_ao_cost_table(costs: pd.DataFrame, categories: pd.DataFrame, indices: pd.DataFrame, ar: int) -> GT:
    """MS ÄO cost per category and year (tkr), computed total, and both indices as tkr series."""
    last = int(costs["ar"].max())
    table = ms_ao.cost_table(costs, categories, last)
    types = ms_ao.year_types(costs)
    index_rows = indices[indices["ar"] <= last].pivot(
        index="serie", columns="ar", values="kostnad_enligt_index_tkr"
    )
    labels = {"budgetindex": "Enligt generellt budgetindex", "storkoksindex": "Enligt storköksindex"}
    body = table.copy()
    for serie in ("budgetindex", "storkoksindex"):
        if serie in index_rows.index:
            body.loc[labels[serie]] = index_rows.loc[serie].reindex(body.columns)
    years = list(body.columns)
    shown = pd.DataFrame({"Kostnadsslag": body.index})
    for year in years:
        head = f"Budget {year}" if types.get(year) == "budget" else f"Utfall {year}"
        shown[head] = [fmt.number(v) for v in body[year]]
    gt = _gt(shown, "tbl-ms-ao-gt", "Kostnadsslag", "Kostnadsslag (tkr)")
    notes = [
        "Totalt är summan av kostnadsslagen, beräknad ur data. Indexraderna visar vad "
        f"{ms_ao.base_year(costs)} års kostnad hade blivit om den följt respektive index."
    ]
    for year, serie, note in ms_ao.missing_index_notes(indices, last):
        notes.append(f"– {SERIES_LABELS[serie]} {year}: {note}")
    for note in notes:
        gt = gt.tab_source_note(note)
    return gt


def ms_ao_index_table(costs: pd.DataFrame, indices: pd.DataFrame, ar: int) -> GT:
    """Cost and indices with the base year = 100, up to ``ar``."""
    series = ms_ao.index_series(costs, indices, ar)
    shown = pd.DataFrame({"Serie": [SERIES_LABELS[s] for s in series.columns]})
    for year in series.index:
        shown[str(year)] = [fmt.number(series.loc[year, s], 1) for s in series.columns]
    base = ms_ao.base_year(costs)
    gt = _gt(shown, "tbl-ms-ao-index-gt", "Serie", f"Index ({base} = 100)")
    for year, serie, note in ms_ao.missing_index_notes(indices, ar):
        gt = gt.tab_source_note(f"– {SERIES_LABELS[serie]} {year}: {note}")
    return gt


def ms_ao_change_table(costs: pd.DataFrame, categories: pd.DataFrame, start: int, end: int) -> GT:
    """Change per category from ``start`` to ``end``: tkr and percent."""
    change = ms_ao.category_change(costs, categories, start, end)
    shown = pd.DataFrame(
        {
            "Kostnadsslag": change.index,
            str(start): [fmt.number(v) for v in change["start_tkr"]],
            str(end): [fmt.number(v) for v in change["slut_tkr"]],
            "Förändring, tkr": [fmt.number(v, sign=True) for v in change["forandring_tkr"]],
            "Förändring, %": [fmt.percent(v, sign=True) for v in change["forandring_procent"]],
        }
    )
    return _gt(shown, "tbl-ms-ao-forandring-gt", "Kostnadsslag", "Kostnadsslag (tkr)")


def brukaravgifter_table(fees: pd.DataFrame, subscriptions: pd.DataFrame) -> GT:
    """Fee per subscription and year, with yearly change and change since the base year."""
    table = bav.wide(fees, subscriptions)
    yearly = bav.yearly_change(table)
    since = bav.change_since_base(table)
    names = bav.labels(subscriptions)
    base, last = table.columns[0], table.columns[-1]
    shown = pd.DataFrame({"Abonnemang": [names[c] for c in table.index]})
    for year in table.columns:
        shown[str(year)] = [fmt.number(v) for v in table[year]]
    for year in table.columns[1:]:
        shown[f"Δ {year}"] = [fmt.percent(v, sign=True) for v in yearly[year]]
    shown[f"Sedan {base}"] = [fmt.percent(v, sign=True) for v in since[last]]
    gt = _gt(shown, "tbl-brukaravgifter-gt", "Abonnemang", "Abonnemang (kr per månad)")
    gt = gt.tab_spanner("Avgift, kr per månad", columns=[str(y) for y in table.columns])
    gt = gt.tab_spanner("Förändring mot året före", columns=[f"Δ {y}" for y in table.columns[1:]])
    return gt.tab_source_note(
        f"Förändringarna är beräknade för varje abonnemang ur avgifterna; Sedan {base} avser {last} mot {base}."
    )


def fees_against_costs_table(
    comparison: pd.DataFrame, subscriptions: pd.DataFrame, start: int, end: int
) -> GT:
    """Fee increases next to the cost and index development over the same years."""
    names = {**bav.labels(subscriptions), **{k: v for k, v in SERIES_LABELS.items()}}
    shown = pd.DataFrame(
        {
            "Post": [names.get(p, p) for p in comparison["post"]],
            f"Förändring {start}–{end}": [
                fmt.percent(v, sign=True) for v in comparison["forandring_procent"]
            ],
        }
    )
    gt = _gt(shown, "tbl-avgift-mot-kostnad-gt", "Post", "Avgift eller kostnad")
    if comparison["forandring_procent"].isna().any():
        gt = gt.tab_source_note(f"– = indexet för {end} är inte publicerat.")
    return gt
