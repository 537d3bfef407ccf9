"""The figures the article's prose states, computed and formatted for inline use.

Each function takes loaded data and the report year and returns a namespace of :class:`~.inline.Md`
strings, so ``report.qmd`` only names values: `{python} sjuk.totalt`.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from . import brukaravgifter as bav
from . import fmt, ms_ao, sjukfranvaro
from .inline import md


def sjukfranvaro_values(frame: pd.DataFrame, ar: int) -> SimpleNamespace:
    """Sick leave for the year and the year before, total, women and men, and the rolling measure."""
    comp = sjukfranvaro.compare_years(frame, ar).set_index("grupp")

    def get(group: str, column: str) -> float:
        return comp[column].get(group, float("nan"))

    rolling_now = sjukfranvaro.value(frame, ar, "totalt", sjukfranvaro.ROLLING)
    rolling_before = sjukfranvaro.value(frame, ar - 1, "totalt", sjukfranvaro.ROLLING)
    return SimpleNamespace(
        ar=md(ar),
        fg_ar=md(ar - 1),
        totalt=md(fmt.percent(get("totalt", "ar"))),
        totalt_fg=md(fmt.percent(get("totalt", "foregaende_ar"))),
        forandring=md(fmt.pp(get("totalt", "forandring_pe"))),
        kvinnor=md(fmt.percent(get("kvinnor", "ar"))),
        kvinnor_fg=md(fmt.percent(get("kvinnor", "foregaende_ar"))),
        man=md(fmt.percent(get("man", "ar"))),
        man_fg=md(fmt.percent(get("man", "foregaende_ar"))),
        skillnad_kon=md(fmt.pp(get("kvinnor", "ar") - get("man", "ar"), sign=False)),
        rullande=md(fmt.percent(rolling_now)),
        rullande_fg=md(fmt.percent(rolling_before)),
        rullande_forandring=md(fmt.pp(rolling_now - rolling_before)),
        har_rullande=not pd.isna(rolling_now),
        riktning=md("minskade" if get("totalt", "forandring_pe") < 0 else "ökade"),
    )


def ms_ao_values(
    costs: pd.DataFrame, indices: pd.DataFrame, categories: pd.DataFrame, ar: int
) -> SimpleNamespace:
    """MS ÄO: base and year totals, index levels, counterfactual costs and the largest category changes."""
    base = ms_ao.base_year(costs)
    total = ms_ao.totals(costs)
    series = ms_ao.index_series(costs, indices, ar)
    cf = ms_ao.counterfactuals(costs, indices, ar)
    change = ms_ao.category_change(costs, categories, base, ar).drop(index="Totalt")
    biggest_rise = change["forandring_tkr"].idxmax()
    biggest_fall = change["forandring_tkr"].idxmin()
    budget = cf["budgetindex"]
    storkok = cf["storkoksindex"]
    storkok_last = ms_ao.last_published_index_year(indices, "storkoksindex")
    next_year = ar + 1
    types = ms_ao.year_types(costs)
    return SimpleNamespace(
        basar=md(base),
        ar=md(ar),
        kostnad_bas=md(fmt.tkr(total[base])),
        kostnad_ar=md(fmt.tkr(total[ar])),
        kostnad_forandring=md(fmt.percent((total[ar] / total[base] - 1) * 100, sign=True)),
        kostnadsindex=md(fmt.number(series.loc[ar, "kostnad"], 1)),
        budgetindex=md(fmt.number(series.loc[ar, "budgetindex"], 1)),
        enligt_budgetindex=md(fmt.tkr(budget.expected_tkr) if budget else fmt.MISSING),
        skillnad_budgetindex=md(fmt.tkr(abs(budget.difference_tkr)) if budget else fmt.MISSING),
        under_budgetindex=bool(budget and budget.difference_tkr < 0),
        storkok_publicerat=storkok is not None,
        enligt_storkoksindex=md(fmt.tkr(storkok.expected_tkr) if storkok else fmt.MISSING),
        skillnad_storkoksindex=md(fmt.tkr(abs(storkok.difference_tkr)) if storkok else fmt.MISSING),
        storkok_senaste_ar=md(storkok_last if storkok_last else fmt.MISSING),
        storkoksindex_senaste=md(
            fmt.number(ms_ao.index_series(costs, indices, storkok_last).loc[storkok_last, "storkoksindex"], 1)
            if storkok_last
            else fmt.MISSING
        ),
        storsta_okning=md(biggest_rise.lower()),
        storsta_okning_tkr=md(fmt.tkr(change.loc[biggest_rise, "forandring_tkr"], sign=True)),
        storsta_okning_procent=md(fmt.percent(change.loc[biggest_rise, "forandring_procent"], sign=True)),
        storsta_minskning=md(biggest_fall.lower()),
        storsta_minskning_tkr=md(fmt.tkr(change.loc[biggest_fall, "forandring_tkr"], sign=True)),
        budget_nasta_ar=md(fmt.tkr(total[next_year]) if types.get(next_year) == "budget" else fmt.MISSING),
        nasta_ar=md(next_year),
    )


def brukaravgift_values(
    fees: pd.DataFrame, subscriptions: pd.DataFrame, costs: pd.DataFrame, indices: pd.DataFrame, ar: int
) -> SimpleNamespace:
    """Fees: range of this year's and next year's changes, change since base, against cost and index."""
    table = bav.wide(fees, subscriptions)
    yearly = bav.yearly_change(table)
    since = bav.change_since_base(table)
    base = int(table.columns[0])
    last = int(table.columns[-1])
    series = ms_ao.index_series(costs, indices, ar)

    def span(values: pd.Series) -> str:
        lo, hi = fmt.percent(values.min()), fmt.percent(values.max())
        return lo if lo == hi else f"{lo} och {hi}"

    return SimpleNamespace(
        basar=md(base),
        ar=md(ar),
        sista_ar=md(last),
        antal=md(fmt.count(len(table))),
        okning_ar=md(span(yearly[ar])),
        okning_sista=md(span(yearly[last])),
        sedan_bas_ar=md(span(since[ar])),
        sedan_bas_sista=md(span(since[last])),
        heldygn_bas=md(fmt.kr(table.loc["heldygn", base])),
        heldygn_sista=md(fmt.kr(table.loc["heldygn", last])),
        kostnad_sedan_bas=md(fmt.percent(series.loc[ar, "kostnad"] - 100, sign=True)),
        budgetindex_sedan_bas=md(fmt.percent(series.loc[ar, "budgetindex"] - 100, sign=True)),
    )
