"""Prose values on the economy: the result, the areas, the substitute pool, explained deviations, investments."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pandas as pd

from servicenamnden.domain import ekonomi
from servicenamnden.domain.miljo import key_figure
from servicenamnden.domain.provenance import Traced, antal, select
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Varden, collect, item, join, known, need, shown


def mnkr(value: float, sign: bool = True) -> str:
    """An amount in mnkr with its sign (deviations) or without (levels)."""
    return fmt.mnkr(value, sign=sign)


def area_name(row: pd.Series) -> str:
    """An område's name with its short name in brackets where it has one."""
    short = row["kortnamn"] if isinstance(row["kortnamn"], str) else ""
    return f"{row['benamning']} ({short})" if short and short != row["benamning"] else str(row["benamning"])


def omraden_values(areas: pd.DataFrame) -> Varden:
    """The areas' names as the data give them (``omraden.omrade_1`` …)."""
    return collect("omraden", {r.omrade: (lambda n=r.benamning: n) for r in areas.itertuples()})


def resultat_values(
    results: pd.DataFrame, areas: pd.DataFrame, statement_rows: pd.DataFrame, ar: int
) -> Varden:
    """The committee's result, the year before, areas in balance, the largest deficit, the result fund."""
    what = "resultatet per område"

    @cache
    def per_area(*years: int) -> pd.DataFrame:
        need(results[results["typ"] == "utfall"], list(years), what)
        return ekonomi.result_per_area(results, areas, ar).set_index("omrade")

    def against_budget() -> pd.DataFrame:
        need(results[results["typ"] == "budget"], ar, "budgeten per område")
        return per_area(ar)

    def areas_only() -> pd.DataFrame:
        table = against_budget()
        return table[table.index.str.startswith("omrade_")]

    def in_balance() -> list[str]:
        table = areas_only()
        return [area_name(row) for _, row in table.iterrows() if row["avvikelse"] >= 0]

    def in_balance_phrase() -> str:
        """Which areas reach their budget, with "bara" when they are at most half of the areas."""
        names, areas_total = in_balance(), len(areas_only())
        if not names:
            return "inget"
        if len(names) == areas_total:
            return "alla"
        return ("bara " if len(names) <= areas_total / 2 else "") + join(names)

    def worst() -> pd.Series:
        table = areas_only()
        return table.loc[table["avvikelse"].idxmin()]

    def drift(typ: str, year: int, omrade: str | list[str] | None = None) -> Traced:
        """Rows of the driftredovisning, traced: all areas, one or a list."""
        where: dict[str, object] = {"typ": typ, "ar": year}
        if omrade is not None:
            where["omrade"] = omrade
        return select(results, "belopp_mnkr", **where)

    def fund() -> Traced:
        need(statement_rows[statement_rows["typ"] == "utfall"], ar, "resultaträkningen")
        cells = select(statement_rows, "belopp_mnkr", typ="utfall", konto="over_underskott", ar=ar)
        return cells if cells.terms else replace(cells, value=0.0)  # no row: nothing taken from the fund

    def outcome(*years: int) -> Traced:
        """The committee's result: the sum of the areas' results (after the need for the years)."""
        known(per_area(*(years or (ar,))).loc["summa", "utfall_fg" if years[1:] else "utfall"], what, ar)
        return drift("utfall", years[-1] if years else ar)

    def deviation(omrade: str | list[str] | None = None) -> Traced:
        against_budget()
        return drift("utfall", ar, omrade) - drift("budget", ar, omrade)

    def nls() -> Traced:
        known(per_area(ar).loc["namnd_ledning_stod", "utfall"], what, ar)
        return drift("utfall", ar, "namnd_ledning_stod")

    def in_balance_rows() -> Traced:
        table = areas_only()
        return drift("utfall", ar, [str(a) for a in table.index[table["avvikelse"] >= 0]])

    return collect(
        "resultat",
        {
            "resultat": lambda: shown(outcome(), mnkr, sign=False),
            "resultat_fg": lambda: shown(outcome(ar, ar - 1), mnkr, sign=False),
            "avvikelse": lambda: shown(deviation(), mnkr),
            "resultatfond": lambda: shown(fund(), mnkr),
            "resultat_utan_resultatfond": lambda: shown(outcome() - fund(), mnkr, sign=False),
            "omraden_i_balans": lambda: join(in_balance()) or "inget område",
            "antal_omraden": lambda: shown(
                antal(drift("utfall", ar, [str(a) for a in areas_only().index])), fmt.count
            ),
            "antal_i_balans": lambda: shown(antal(in_balance_rows()), fmt.count),
            "i_balans": in_balance_phrase,
            "storsta_underskott_omrade": lambda: area_name(worst()),
            "storsta_underskott": lambda: shown(deviation(str(worst().name)), mnkr),
            "ledning_stod_resultat": lambda: shown(nls(), mnkr),
            "ledning_stod_utan_resultatfond": lambda: shown(nls() - fund(), mnkr),
        },
    )


def justering_values(
    statement_rows: pd.DataFrame, accounts: pd.DataFrame, adjustments: pd.DataFrame, ar: int
) -> Varden:
    """The income statement against budget without the internal substitute pool, and other costs."""

    @cache
    def statement() -> pd.DataFrame:
        need(statement_rows[statement_rows["typ"] == "utfall"], ar, "resultaträkningen")
        return ekonomi.income_statement(statement_rows, accounts, ar)

    def adjusted(post: str, column: str) -> float:
        need(adjustments, ar, "vikariepoolens interna poster")
        table = ekonomi.adjusted_comparison(statement(), adjustments, ar).set_index("post")
        return known(table.loc[post, column], "jämförelsen utan vikariepoolen", ar)

    def pool() -> float:
        return float(
            need(adjustments, ar, "vikariepoolens interna poster").query("ar == @ar")["belopp_mnkr"].max()
        )

    def against_budget(konto: str, more: str, less: str) -> str:
        """An income-statement line against budget in words: ``2,4 mnkr högre`` (deviation > 0 is better)."""
        value = ekonomi.line(statement(), konto, "avvikelse")
        return fmt.directed(known(value, "resultaträkningens avvikelse mot budget", ar), more, less)

    return collect(
        "justering",
        {
            "vikariepool": lambda: mnkr(pool(), sign=False),
            # Tabell 12 as printed, and Övriga intäkter without the pool (Tabell 13), in words
            "intakter_mot_budget": lambda: against_budget("summa_intakt", "högre", "lägre"),
            "intakter_utan_pool_mot_budget": lambda: fmt.directed(
                adjusted("Övriga intäkter", "avvikelse"), "högre", "lägre"
            ),
            "kostnader_mot_budget": lambda: against_budget("summa_kostnad", "lägre", "högre"),
            "ovriga_kostnader_mot_budget": lambda: against_budget("ovriga_kostnader", "lägre", "högre"),
            "intakter": lambda: mnkr(adjusted("Övriga intäkter", "justerat_utfall"), sign=False),
            "intakter_budget": lambda: mnkr(adjusted("Övriga intäkter", "budget"), sign=False),
            "intakter_avvikelse": lambda: mnkr(adjusted("Övriga intäkter", "avvikelse")),
            "personalkostnader": lambda: mnkr(-adjusted("Personalkostnader", "justerat_utfall"), sign=False),
            "personalkostnader_budget": lambda: mnkr(-adjusted("Personalkostnader", "budget"), sign=False),
            "personalkostnader_avvikelse": lambda: mnkr(adjusted("Personalkostnader", "avvikelse")),
            "ovriga_kostnader_avvikelse": lambda: mnkr(
                ekonomi.line(statement(), "ovriga_kostnader", "avvikelse")
            ),
        },
    )


# Value name → post_id in avvikelser_omraden.csv: the explained deviations the prose names.
EXPLAINED = {
    "semesterloneskuld": "nls_semesterloneskuld",
    "inhyrd_personal": "namnden_inhyrd_personal",
    "konsulter": "namnden_konsulter",
    "transporter": "namnden_transporter",
    "annonsering": "namnden_annonsering",
    "omrade_1_intakter": "o1_intakter",
    "omrade_1_personal": "o1_personal",
    "omrade_1_kapitalkostnader": "o1_kapitalkostnader",
    "omrade_1_stamning": "o1_stamning",
    "omrade_2_hr": "o2_hr_enheterna",
    "omrade_2_kommunikation": "o2_kommunikation",
    "omrade_2_engangsbelopp": "o2_engangsbelopp",
    "omrade_3_ekonomiservice": "o3_ekonomiservice_bokslut",
    "omrade_3_upphandling": "o3_upphandling",
    "maltid_intakter": "o4_intakter",
    "maltid_cafe": "o4_intakter_cafe",
    "maltid_volymer": "o4_intakter_volymer",
    "maltid_subvention": "o4_intakter_subvention",
    "maltid_kostnader": "o4_kostnader",
    "maltid_transporter": "o4_transporter",
    "maltid_livsmedel": "o4_livsmedel",
    "maltid_personal": "o4_personal",
    "maltid_el": "o4_el",
    "ms_ao": "o4_ms_ao",
}


def avvikelser_values(explanations: pd.DataFrame, ar: int) -> Varden:
    """The explained deviations against budget per område (mnkr), each from its row of the year."""
    labels = explanations.drop_duplicates("post_id").set_index("post_id")["post"]

    @cache
    def amounts() -> pd.Series:
        part = need(explanations, ar, "förklaringarna till avvikelserna per område")
        part = part[part["ar"] == ar]
        pieces = [ekonomi.area_explanations(part, area) for area in part["omrade"].unique()]
        return pd.concat(pieces).set_index("post_id")["belopp_mnkr"]

    def amount(post_id: str) -> float:
        label = str(labels.get(post_id, post_id)).lower()
        return item(amounts(), post_id, f"avvikelsen för {label}", ar)

    values: dict = {
        name: (lambda p=post_id: mnkr(amount(p), sign=True))
        for name, post_id in EXPLAINED.items()
        if name != "maltid_el"
    }
    values["maltid_el"] = lambda: fmt.mnkr(amount("o4_el"), 2, sign=True)
    return collect("avvikelser", values)


def investeringar_values(investments: pd.DataFrame, reasons: pd.DataFrame, ar: int) -> Varden:
    """Investments: outcome against budget, the deviation and how much of it the listed reasons explain."""
    what = "investeringarna"

    @cache
    def total() -> pd.Series:
        need(investments, ar, what)
        return ekonomi.investments(investments, ar).iloc[-1]

    def explained() -> float:
        total()  # without the year's investments, their note says it all
        part = need(reasons, ar, "orsakerna till investeringarnas avvikelse")
        return float(part[part["ar"] == ar]["belopp_mnkr"].sum())

    def deviation() -> float:
        return known(total()["avvikelse_helar"], what, ar)

    def not_made() -> float:
        total()
        part = need(reasons, ar, "orsakerna till investeringarnas avvikelse")
        part = part[(part["ar"] == ar) & (part["orsak"] == "utebliven")]
        return known(part["belopp_mnkr"].sum() if len(part) else None, "investeringar som uteblev", ar)

    return collect(
        "investeringar",
        {
            "utfall": lambda: mnkr(-known(total()["utfall_ack_helar"], what, ar), sign=False),
            "budget": lambda: mnkr(-known(total()["budget_helar"], what, ar), sign=False),
            "avvikelse": lambda: mnkr(deviation(), sign=False),
            "forklarat": lambda: mnkr(explained(), sign=False),
            "andel_forklarad": lambda: fmt.percent(explained() / deviation() * 100, 0),
            "uteblivna": lambda: mnkr(not_made(), sign=False),
        },
    )


def elbilar_values(figures: pd.DataFrame, ar: int) -> Varden:
    """The electric-car estimate: hours saved per week and what that is in full-time staff."""

    def figure(name: str) -> float:
        need(figures[figures["nyckeltal"] == name], ar, "uppskattningen av elbilarnas tidsbesparing")
        return key_figure(figures, name, ar)

    def cars() -> float:
        return figure("elbilar_i_kommunen")

    def hours() -> float:
        return figure("tidsbesparing_per_elbil")

    return collect(
        "elbilar",
        {
            "elbilar": lambda: fmt.count(cars()),
            "timmar_per_bil": lambda: fmt.number(hours()),
            "timmar_per_vecka": lambda: fmt.count(cars() * hours()),
            "heltider": lambda: fmt.number(ekonomi.full_time_posts(cars() * hours()), 1),
            "veckotimmar": lambda: fmt.count(ekonomi.FULL_TIME_HOURS_PER_WEEK),
        },
    )
