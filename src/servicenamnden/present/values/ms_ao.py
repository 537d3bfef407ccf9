"""Prose values on måltidsservice äldreomsorg (MS ÄO): costs against indices, and the fees."""

from __future__ import annotations

from functools import cache

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import ms_ao
from servicenamnden.domain.provenance import (
    Traced,
    antal,
    avvikelse_mot_uppraknad,
    forandring_procent,
    index,
    select,
    uppraknad,
)
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Shown, Varden, collect, known, need, shown

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

    def cost(year: int, kategori: str | None = None) -> Traced:
        """The year's MS ÄO cost (all categories, or one), traced."""
        return select(costs, "belopp_tkr", ar=year, **({"kategori": kategori} if kategori else {}))

    def index_cost(serie: str, year: int) -> Traced:
        return select(indices, "kostnad_enligt_index_tkr", serie=serie, ar=year)

    def expected(serie: str) -> Traced:
        by_index(serie)
        return uppraknad(cost(base), index_cost(serie, ar), index_cost(serie, base))

    codes = dict(zip(categories["benamning"], categories["kategori"], strict=True))

    def category_change(name: str) -> Traced:
        return cost(ar, codes[name]) - cost(base, codes[name])

    def printed() -> Traced:
        if claims is None:  # not the year the document reports on: shown as missing, as before
            return Traced(float("nan"), "tkr", "summa", ())
        return select(claims, "varde", id=f"ms_ao_totalt_{base}")

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
            "kostnad_bas": lambda: shown(cost(base), fmt.tkr),
            "kostnad_ar": lambda: (actual(), shown(cost(ar), fmt.tkr))[1],
            "enligt_budgetindex": lambda: shown(expected("budgetindex"), fmt.tkr),
            "skillnad_budgetindex": lambda: shown(
                avvikelse_mot_uppraknad(cost(ar), expected("budgetindex")), lambda v: fmt.tkr(abs(v))
            ),
            "budgetindex_lagre_eller_hogre": lambda: (
                "lägre" if by_index("budgetindex").difference_tkr < 0 else "högre"
            ),
            "storkok_publicerat": storkok_published,
            "enligt_storkoksindex": lambda: storkok("enligt"),
            "skillnad_storkoksindex": lambda: storkok("skillnad"),
            "storkoksindex_lagre_eller_hogre": lambda: storkok("riktning"),
            "storkoksindex_senaste_ar": lambda: storkok_last or fmt.MISSING,
            "storkoksindex_senaste": lambda: (
                storkok_last_index(),
                shown(
                    index(index_cost("storkoksindex", storkok_last), index_cost("storkoksindex", base)),
                    fmt.number,
                    1,
                ),
            )[1],
            "storsta_okning": lambda: lower_first(rise()),
            "storsta_okning_tkr": lambda: shown(category_change(rise()), fmt.tkr, sign=True),
            "storsta_okning_procent": lambda: shown(
                forandring_procent(cost(ar, codes[rise()]), cost(base, codes[rise()])), fmt.percent, sign=True
            ),
            "storsta_minskning": lambda: lower_first(fall()),
            "storsta_minskning_tkr": lambda: shown(category_change(fall()), fmt.tkr, sign=True),
            "budget_nasta_ar": lambda: (budget_next_year(), shown(cost(ar + 1), fmt.tkr))[1],
            "bas_skiljer_fran_kallan": base_differs,
            "bas_enligt_kallan": lambda: shown(printed(), fmt.tkr),
            "bas_skillnad_mot_kallan": lambda: shown(printed() - cost(base), lambda v: fmt.tkr(abs(v))),
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

    def fee(subscription: str, year: int) -> Traced:
        return select(fees, "avgift_kr_per_manad", abonnemang=subscription, ar=year)

    def extreme(changes: pd.DataFrame, year: int, smallest: bool) -> Shown:
        """The smallest (or largest) change of a subscription's fee, against the year before or the base year."""
        column = changes[fee_year(year)]
        subscription = str(column.idxmin() if smallest else column.idxmax())
        before = year - 1 if changes is yearly else base
        return shown(forandring_procent(fee(subscription, year), fee(subscription, before)), fmt.percent)

    def lowest(changes: pd.DataFrame, year: int) -> Shown:
        return extreme(changes, year, smallest=True)

    def highest(changes: pd.DataFrame, year: int) -> Shown:
        return extreme(changes, year, smallest=False)

    def series() -> pd.DataFrame:
        need(costs[costs["typ"] == "utfall"], ar, WHAT_COSTS)
        return ms_ao.index_series(costs, indices, ar)

    def since_base(column: str, frame: pd.DataFrame, value: str, **where: object) -> Shown:
        series().loc[ar, column]
        now, then = select(frame, value, ar=ar, **where), select(frame, value, ar=base_cost_year, **where)
        return shown(forandring_procent(now, then), fmt.percent, sign=True)

    base_cost_year = ms_ao.base_year(costs)

    return collect(
        "avgifter",
        {
            "basar": lambda: base,
            "ar": lambda: ar,
            "sista_ar": lambda: last,
            "antal_abonnemang": lambda: shown(
                antal(select(subscriptions[subscriptions["abonnemang"].isin(table.index)], "ordning")),
                fmt.count,
            ),
            "okning_ar_lagst": lambda: lowest(yearly, ar),
            "okning_ar_hogst": lambda: highest(yearly, ar),
            "okning_sista_ar_lagst": lambda: lowest(yearly, last),
            "okning_sista_ar_hogst": lambda: highest(yearly, last),
            "sedan_bas_lagst": lambda: lowest(since, ar),
            "sedan_bas_hogst": lambda: highest(since, ar),
            "kostnad_sedan_bas": lambda: since_base("kostnad", costs, "belopp_tkr"),
            "budgetindex_sedan_bas": lambda: since_base(
                "budgetindex", indices, "kostnad_enligt_index_tkr", serie="budgetindex"
            ),
        },
    )


def avgiftsintervall_values(fees: pd.DataFrame, subscriptions: pd.DataFrame, ar: int) -> Varden:
    """The fee increases as ranges that read as one value when every subscription rose alike."""

    @cache
    def table() -> pd.DataFrame:
        need(fees, ar, "Brukaravgifterna")
        return bav.wide(fees, subscriptions)

    def yearly(new: int) -> Shown:
        """The change into ``new`` from the year before it in the table, per subscription, as a range."""
        old = int(table().columns[list(table().columns).index(new) - 1])
        return Shown(
            fmt.span(bav.yearly_change(table())[new]), bav.traced_change_range(fees, subscriptions, new, old)
        )

    def since_base() -> Shown:
        base = int(table().columns[0])
        return Shown(
            fmt.span(bav.change_since_base(table())[ar]),
            bav.traced_change_range(fees, subscriptions, ar, base),
        )

    return collect(
        "avgiftsintervall",
        {
            "okning_ar": lambda: yearly(ar),
            "okning_sista_ar": lambda: yearly(int(table().columns[-1])),
            "sedan_bas": since_base,
        },
    )
