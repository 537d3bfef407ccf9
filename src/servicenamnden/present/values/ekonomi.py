"""Prose values on the economy: the result, the areas, the substitute pool, explained deviations, investments."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pandas as pd

from servicenamnden.domain import ekonomi
from servicenamnden.domain.fakta import fact, forecast_deviation
from servicenamnden.domain.miljo import key_figure, traced_key_figure
from servicenamnden.domain.provenance import Traced, andel, antal, produkt, select
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Shown, Varden, collect, item, known, need, shown


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
        return ("bara " if len(names) <= areas_total / 2 else "") + fmt.join(names)

    def worst() -> pd.Series:
        table = areas_only()
        return table.loc[table["avvikelse"].idxmin()]

    def drift(typ: str, year: int, omrade: str | list[str] | None = None) -> Traced:
        return ekonomi.drift_cells(results, typ, year, omrade)

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
        return ekonomi.area_deviation(results, ar, omrade)

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
            "omraden_i_balans": lambda: fmt.join(in_balance()) or "inget område",
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

    def rr(typ: str, **where: object) -> Traced:
        """Rows of the resultaträkning for the year, traced."""
        return select(statement_rows, "belopp_mnkr", typ=typ, ar=ar, **where)

    def vs_budget(**where: object) -> Traced:
        return rr("utfall", **where) - rr("budget", **where)

    def pool_of(konto: str) -> Traced:
        return select(adjustments, "belopp_mnkr", konto=konto, ar=ar)

    def pool() -> Traced:
        rows = need(adjustments, ar, "vikariepoolens interna poster").query("ar == @ar")
        return pool_of(str(rows.loc[rows["belopp_mnkr"].idxmax(), "konto"]))

    def income(column: str) -> Traced:
        """Övriga intäkter less the pool (``justerat_utfall``), its budget, or the deviation."""
        adjusted("Övriga intäkter", column)  # the notes when the year lacks a figure
        actual = rr("utfall", konto="ovriga_intakter") - pool_of("ovriga_intakter")
        budget = rr("budget", konto="ovriga_intakter")
        return {"justerat_utfall": actual, "budget": budget, "avvikelse": actual - budget}[column]

    def staff(column: str) -> Traced:
        """Personalkostnader (negative) plus the pool, its budget, or the deviation."""
        adjusted("Personalkostnader", column)
        actual = rr("utfall", konto="personalkostnader") + pool_of("personalkostnader")
        budget = rr("budget", konto="personalkostnader")
        return {"justerat_utfall": actual, "budget": budget, "avvikelse": actual - budget}[column]

    def against_budget(line_of: str, more: str, less: str, **where: object) -> Shown:
        """An income-statement line against budget in words: ``2,4 mnkr högre`` (deviation > 0 is better)."""
        known(
            ekonomi.line(statement(), line_of, "avvikelse"),
            "resultaträkningens avvikelse mot budget",
            ar,
        )
        return shown(vs_budget(**where), fmt.directed, more, less)

    return collect(
        "justering",
        {
            "vikariepool": lambda: shown(pool(), mnkr, sign=False),
            # Tabell 12 as printed, and Övriga intäkter without the pool (Tabell 13), in words
            "intakter_mot_budget": lambda: against_budget("summa_intakt", "högre", "lägre", grupp="intakt"),
            "intakter_utan_pool_mot_budget": lambda: shown(
                income("avvikelse"), fmt.directed, "högre", "lägre"
            ),
            "kostnader_mot_budget": lambda: against_budget(
                "summa_kostnad", "lägre", "högre", grupp="kostnad"
            ),
            "ovriga_kostnader_mot_budget": lambda: against_budget(
                "ovriga_kostnader", "lägre", "högre", konto="ovriga_kostnader"
            ),
            "intakter": lambda: shown(income("justerat_utfall"), mnkr, sign=False),
            "intakter_budget": lambda: shown(income("budget"), mnkr, sign=False),
            "intakter_avvikelse": lambda: shown(income("avvikelse"), mnkr),
            "personalkostnader": lambda: shown(-staff("justerat_utfall"), mnkr, sign=False),
            "personalkostnader_budget": lambda: shown(-staff("budget"), mnkr, sign=False),
            "personalkostnader_avvikelse": lambda: shown(staff("avvikelse"), mnkr),
            "ovriga_kostnader_avvikelse": lambda: (
                statement(),
                shown(vs_budget(konto="ovriga_kostnader"), mnkr),
            )[1],
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

    def amount(post_id: str) -> Traced:
        """The item's own amount, or the sum of its parts where it has none (as the domain fills it)."""
        label = str(labels.get(post_id, post_id)).lower()
        item(amounts(), post_id, f"avvikelsen för {label}", ar)
        return ekonomi.explanation_amount(explanations, post_id, ar)

    values: dict = {
        name: (lambda p=post_id: shown(amount(p), mnkr, sign=True))
        for name, post_id in EXPLAINED.items()
        if name != "maltid_el"
    }
    values["maltid_el"] = lambda: shown(amount("o4_el"), fmt.mnkr, 2, sign=True)
    return collect("avvikelser", values)


def investeringar_values(investments: pd.DataFrame, reasons: pd.DataFrame, ar: int) -> Varden:
    """Investments: outcome against budget, the deviation and how much of it the listed reasons explain."""
    what = "investeringarna"

    @cache
    def total() -> pd.Series:
        need(investments, ar, what)
        return ekonomi.investments(investments, ar).iloc[-1]

    def measure(matt: str) -> Traced:
        """The year's sum over the projects of one measure (``utfall_ack_helar``, ``budget_helar``)."""
        known(total()[matt], what, ar)
        return select(investments, "belopp_mnkr", matt=matt, ar=ar)

    def reasons_of(**where: object) -> Traced:
        total()  # without the year's investments, their note says it all
        need(reasons, ar, "orsakerna till investeringarnas avvikelse")
        return select(reasons, "belopp_mnkr", ar=ar, **where)

    def deviation() -> Traced:
        known(total()["avvikelse_helar"], what, ar)
        return measure("utfall_ack_helar") - measure("budget_helar")

    def not_made() -> Traced:
        found = reasons_of(orsak="utebliven")
        known(found.value if found.terms else None, "investeringar som uteblev", ar)
        return found

    return collect(
        "investeringar",
        {
            "utfall": lambda: shown(-measure("utfall_ack_helar"), mnkr, sign=False),
            "budget": lambda: shown(-measure("budget_helar"), mnkr, sign=False),
            "avvikelse": lambda: shown(deviation(), mnkr, sign=False),
            "forklarat": lambda: shown(reasons_of(), mnkr, sign=False),
            "andel_forklarad": lambda: shown(andel(reasons_of(), deviation()), fmt.percent, 0),
            "uteblivna": lambda: shown(not_made(), mnkr, sign=False),
        },
    )


def elbilar_values(figures: pd.DataFrame, ar: int) -> Varden:
    """The electric-car estimate: hours saved per week and what that is in full-time staff."""

    def figure(name: str) -> Traced:
        need(figures[figures["nyckeltal"] == name], ar, "uppskattningen av elbilarnas tidsbesparing")
        known(key_figure(figures, name, ar), "uppskattningen av elbilarnas tidsbesparing", ar)
        return traced_key_figure(figures, name, ar)

    def cars() -> Traced:
        return figure("elbilar_i_kommunen")

    def hours() -> Traced:
        return figure("tidsbesparing_per_elbil")

    return collect(
        "elbilar",
        {
            "elbilar": lambda: shown(cars(), fmt.count),
            "timmar_per_bil": lambda: shown(hours(), fmt.number),
            "timmar_per_vecka": lambda: shown(produkt(cars(), hours()), fmt.count),
            "heltider": lambda: shown(
                produkt(cars(), hours(), divisor=ekonomi.FULL_TIME_HOURS_PER_WEEK), fmt.number, 1
            ),
            "veckotimmar": lambda: fmt.count(ekonomi.FULL_TIME_HOURS_PER_WEEK),
        },
    )


def investeringsprognos_values(facts: pd.DataFrame, investments: pd.DataFrame, ar: int) -> Varden:
    """The investments against budget in words and against the year's forecast."""
    what = "Investeringarna"

    def measure(matt: str) -> Traced:
        return select(investments, "belopp_mnkr", matt=matt, ar=ar)

    def deviation() -> Traced:
        need(investments, ar, what)
        known(ekonomi.investments(investments, ar).iloc[-1]["avvikelse_helar"], what, ar)
        return measure("utfall_ack_helar") - measure("budget_helar")

    def forecast() -> Traced:
        need(investments, ar, what)
        known(forecast_deviation(investments, ar), "Investeringarnas avvikelse mot prognosen", ar)
        return measure("prognosavvikelse")

    return collect(
        "investeringsprognos",
        {
            "mot_budget": lambda: shown(deviation(), fmt.directed, "mindre", "mer"),
            "prognos": lambda: (
                fact(facts, "investeringar_prognos", ar) or known(None, "Investeringsprognosen", ar)
            ),
            "avvikelse": lambda: shown(forecast(), fmt.mnkr, sign=True),
        },
    )
