"""Prose values on måltidsservice äldreomsorg (MS ÄO): costs against indices, and the fees."""

from __future__ import annotations

from functools import cache

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import ms_ao
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Varden, collect, known, need

WHAT_COSTS = "kostnaderna för MS ÄO"


def lower_first(name: str) -> str:
    """A category's name inside a sentence: ``Overhead (OH)`` → ``overhead (OH)``, keeping abbreviations."""
    return name[:1].lower() + name[1:]


def claimed(claims: pd.DataFrame | None, claim_id: str) -> float:
    """A figure the source prints (``pastaenden.csv``), or NaN when there is no such claim."""
    if claims is None:
        return float("nan")
    hit = claims.loc[claims["id"] == claim_id, "varde"]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def msao_values(
    costs: pd.DataFrame, indices: pd.DataFrame, categories: pd.DataFrame, claims: pd.DataFrame | None, ar: int
) -> Varden:
    """MS ÄO: base and year totals, what the cost would have been by each index, the largest changes."""
    base = ms_ao.base_year(costs)
    total = ms_ao.totals(costs)
    types = ms_ao.year_types(costs)
    storkok_last = ms_ao.last_published_index_year(indices, "storkoksindex")

    @cache
    def actual() -> None:
        need(costs[costs["typ"] == "utfall"], ar, WHAT_COSTS)

    @cache
    def cf() -> dict:
        actual()
        return ms_ao.counterfactuals(costs, indices, ar)

    def by_index(serie: str) -> ms_ao.Counterfactual:
        found = cf()[serie]
        if found is None:
            known(
                None, "kostnaden enligt " + ("budgetindex" if serie == "budgetindex" else "storköksindex"), ar
            )
        return found

    @cache
    def change() -> pd.DataFrame:
        actual()
        return ms_ao.category_change(costs, categories, base, ar).drop(index="Totalt")

    def rise() -> str:
        return str(change()["forandring_tkr"].idxmax())

    def fall() -> str:
        return str(change()["forandring_tkr"].idxmin())

    def storkok_published() -> bool:
        return (
            cf()["storkoksindex"] is not None if ar in set(costs[costs["typ"] == "utfall"]["ar"]) else False
        )

    def printed_base() -> float:
        return claimed(claims, f"ms_ao_totalt_{base}")

    def base_differs() -> bool:
        printed = printed_base()
        return not pd.isna(printed) and abs(printed - float(total[base])) >= 0.5

    def index_from_printed() -> bool:
        series = indices.loc[indices["ar"] == base, "kostnad_enligt_index_tkr"].dropna()
        return base_differs() and bool(len(series)) and abs(float(series.iloc[0]) - printed_base()) < 0.5

    def budget_next_year() -> float:
        if types.get(ar + 1) != "budget":
            known(None, "budgeten för MS ÄO", ar + 1)
        return float(total[ar + 1])

    def storkok_last_index() -> float:
        if not storkok_last:
            known(None, "storköksindex", ar)
        return ms_ao.index_series(costs, indices, storkok_last).loc[storkok_last, "storkoksindex"]

    def storkok(field: str) -> str:
        found = cf()["storkoksindex"] if storkok_published() else None
        if found is None:
            return fmt.MISSING  # the prose says instead that the index is not yet published
        if field == "enligt":
            return fmt.tkr(found.expected_tkr)
        if field == "skillnad":
            return fmt.tkr(abs(found.difference_tkr))
        return "lägre" if found.difference_tkr < 0 else "högre"

    return collect(
        "msao",
        {
            "basar": lambda: base,
            "ar": lambda: ar,
            "nasta_ar": lambda: ar + 1,
            "kostnad_bas": lambda: fmt.tkr(total[base]),
            "kostnad_ar": lambda: (actual(), fmt.tkr(total[ar]))[1],
            "enligt_budgetindex": lambda: fmt.tkr(by_index("budgetindex").expected_tkr),
            "skillnad_budgetindex": lambda: fmt.tkr(abs(by_index("budgetindex").difference_tkr)),
            "budgetindex_lagre_eller_hogre": lambda: (
                "lägre" if by_index("budgetindex").difference_tkr < 0 else "högre"
            ),
            "storkok_publicerat": storkok_published,
            "enligt_storkoksindex": lambda: storkok("enligt"),
            "skillnad_storkoksindex": lambda: storkok("skillnad"),
            "storkoksindex_lagre_eller_hogre": lambda: storkok("riktning"),
            "storkoksindex_senaste_ar": lambda: storkok_last or fmt.MISSING,
            "storkoksindex_senaste": lambda: fmt.number(storkok_last_index(), 1),
            "storsta_okning": lambda: lower_first(rise()),
            "storsta_okning_tkr": lambda: fmt.tkr(change().loc[rise(), "forandring_tkr"], sign=True),
            "storsta_okning_procent": lambda: fmt.percent(
                change().loc[rise(), "forandring_procent"], sign=True
            ),
            "storsta_minskning": lambda: lower_first(fall()),
            "storsta_minskning_tkr": lambda: fmt.tkr(change().loc[fall(), "forandring_tkr"], sign=True),
            "budget_nasta_ar": lambda: fmt.tkr(budget_next_year()),
            "bas_skiljer_fran_kallan": base_differs,
            "bas_enligt_kallan": lambda: fmt.tkr(printed_base()),
            "bas_skillnad_mot_kallan": lambda: fmt.tkr(abs(printed_base() - float(total[base]))),
            "index_fran_kallans_bas": index_from_printed,
        },
    )


def avgifter_values(
    fees: pd.DataFrame, subscriptions: pd.DataFrame, costs: pd.DataFrame, indices: pd.DataFrame, ar: int
) -> Varden:
    """Fees: this year's and the last year's increases, the change since the base year, against the costs."""
    table = bav.wide(fees, subscriptions)
    yearly = bav.yearly_change(table)
    since = bav.change_since_base(table)
    base = int(table.columns[0])
    last = int(table.columns[-1])

    def fee_year(year: int) -> int:
        need(fees, year, "brukaravgifterna")
        return year

    def lowest(changes: pd.DataFrame, year: int) -> str:
        return fmt.percent(changes[fee_year(year)].min())

    def highest(changes: pd.DataFrame, year: int) -> str:
        return fmt.percent(changes[fee_year(year)].max())

    def series() -> pd.DataFrame:
        need(costs[costs["typ"] == "utfall"], ar, WHAT_COSTS)
        return ms_ao.index_series(costs, indices, ar)

    return collect(
        "avgifter",
        {
            "basar": lambda: base,
            "ar": lambda: ar,
            "sista_ar": lambda: last,
            "antal_abonnemang": lambda: fmt.count(len(table)),
            "okning_ar_lagst": lambda: lowest(yearly, ar),
            "okning_ar_hogst": lambda: highest(yearly, ar),
            "okning_sista_ar_lagst": lambda: lowest(yearly, last),
            "okning_sista_ar_hogst": lambda: highest(yearly, last),
            "sedan_bas_lagst": lambda: lowest(since, ar),
            "sedan_bas_hogst": lambda: highest(since, ar),
            "kostnad_sedan_bas": lambda: fmt.percent(series().loc[ar, "kostnad"] - 100, sign=True),
            "budgetindex_sedan_bas": lambda: fmt.percent(series().loc[ar, "budgetindex"] - 100, sign=True),
        },
    )
