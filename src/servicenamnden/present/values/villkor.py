"""What fixed words in the prose assume about the year's data.

Narrative text in ``report.qmd`` that is written for one year stands in a fenced div
``::: {.arstext ar="2023" forutsatter="namn namn"}``. A direction or comparison word in it that is not
computed ("lägre än budget", "alla", "för första gången") names, in ``forutsatter``, the condition it
relies on. Each condition is registered here with a Swedish description and a test on the data, so
``make check`` can say which sentence the year's data contradict. A test answers ``None`` when the
data needed to judge it are missing (the sentence then has its note instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

Loader = Callable[[str], pd.DataFrame]


@dataclass(frozen=True)
class Villkor:
    """One condition the fixed words of a paragraph assume: what it says, and whether the data agree."""

    beskrivning: str
    galler: Callable[[Loader, int], bool | None]


VILLKOR: dict[str, Villkor] = {}


def villkor(namn: str, beskrivning: str) -> Callable[[Callable[[Loader, int], bool | None]], Callable]:
    """Register a condition under ``namn`` (decorator): ``@villkor("x", "intäkterna blev lägre …")``."""

    def register(test: Callable[[Loader, int], bool | None]) -> Callable[[Loader, int], bool | None]:
        if namn in VILLKOR:
            raise ValueError(f"villkoret {namn} finns redan")
        VILLKOR[namn] = Villkor(beskrivning, test)
        return test

    return register


# --- Conditions of the sections from the start of the report to Effektiv organisation ----------------


def _frame_for(load: Loader, name: str, ar: int) -> pd.DataFrame | None:
    """The rows of ``name`` for ``ar``, or ``None`` when the file has none for the year."""
    frame = load(name)
    part = frame[frame["ar"] == ar]
    return part if len(part) else None


def _figure(load: Loader, file: str, name: str, ar: int) -> float | None:
    from servicenamnden.domain.miljo import key_figure

    value = key_figure(load(file), name, ar)
    return None if pd.isna(value) else value


def _statement_deviation(load: Loader, konto: str, ar: int) -> float | None:
    from servicenamnden.domain import ekonomi

    rows = load("resultatrakning")
    if _frame_for(load, "resultatrakning", ar) is None:
        return None
    value = ekonomi.line(ekonomi.income_statement(rows, load("konton"), ar), konto, "avvikelse")
    return None if pd.isna(value) else value


@villkor("resultat_negativt", "nämndens resultat för året är negativt (ett underskott)")
def _resultat_negativt(load: Loader, ar: int) -> bool | None:
    from servicenamnden.domain import ekonomi

    results = load("driftredovisning")
    if _frame_for(load, "driftredovisning", ar) is None:
        return None
    table = ekonomi.result_per_area(results, load("omraden"), ar).set_index("omrade")
    value = table.loc["summa", "utfall"]
    return None if pd.isna(value) else bool(value < 0)


@villkor(
    "intakter_utan_vikariepool_under_budget",
    "de övriga intäkterna är lägre än budgeterat när vikariepoolens interna intäkter räknas bort",
)
def _intakter_utan_vikariepool_under_budget(load: Loader, ar: int) -> bool | None:
    from servicenamnden.domain import ekonomi

    if _frame_for(load, "resultatrakning", ar) is None or _frame_for(load, "ekonomi_justeringar", ar) is None:
        return None
    statement = ekonomi.income_statement(load("resultatrakning"), load("konton"), ar)
    table = ekonomi.adjusted_comparison(statement, load("ekonomi_justeringar"), ar).set_index("post")
    value = table.loc["Övriga intäkter", "avvikelse"]
    return None if pd.isna(value) else bool(value < 0)


@villkor("kostnader_over_budget", "kostnaderna i resultaträkningen är sammantaget högre än budgeterat")
def _kostnader_over_budget(load: Loader, ar: int) -> bool | None:
    value = _statement_deviation(load, "summa_kostnad", ar)
    return None if value is None else bool(value < 0)


def _fossil_share(load: Loader, ar: int, period: str = "helar", typ: str = "utfall") -> float | None:
    rows = load("fossilfritt").set_index(["ar", "period", "typ"])["andel_procent"]
    value = rows.get((ar, period, typ))
    return None if value is None or pd.isna(value) else float(value)


@villkor("fossilfritt_okade", "andelen fossilfritt drivmedel är högre än året före")
def _fossilfritt_okade(load: Loader, ar: int) -> bool | None:
    now, before = _fossil_share(load, ar), _fossil_share(load, ar - 1)
    return None if now is None or before is None else now > before


@villkor("fossilfritt_mal_natt", "andelen fossilfritt drivmedel når årets mål")
def _fossilfritt_mal_natt(load: Loader, ar: int) -> bool | None:
    now, target = _fossil_share(load, ar), _fossil_share(load, ar, typ="mal")
    return None if now is None or target is None else now >= target


@villkor(
    "fossilfritt_delar2_hogre",
    "andelen fossilfritt drivmedel var högre vid andra delårsrapporten än för helåret",
)
def _fossilfritt_delar2_hogre(load: Loader, ar: int) -> bool | None:
    year, interim = _fossil_share(load, ar), _fossil_share(load, ar, "delar_2")
    return None if year is None or interim is None else interim > year


def _goal_met(load: Loader, goal: str, ar: int) -> bool | None:
    from servicenamnden.domain import miljo

    if _frame_for(load, "miljomal", ar) is None:
        return None
    table = miljo.goals(load("miljomal"), load("matsvinn"), load("miljo_nyckeltal"), ar).set_index("mal_id")
    if goal not in table.index:
        return None
    return bool(table.loc[goal, "bedomning"] == miljo.MET)


@villkor("ekologiskt_ej_uppfyllt", "miljömålet om andelen ekologiska livsmedel är inte uppfyllt")
def _ekologiskt_ej_uppfyllt(load: Loader, ar: int) -> bool | None:
    met = _goal_met(load, "ekologiska_livsmedel", ar)
    return None if met is None else not met


@villkor("matsvinn_ej_uppfyllt", "miljömålet om matsvinn i skolverksamheten är inte uppfyllt")
def _matsvinn_ej_uppfyllt(load: Loader, ar: int) -> bool | None:
    met = _goal_met(load, "matsvinn", ar)
    return None if met is None else not met


def _food_waste(load: Loader, ar: int) -> pd.DataFrame | None:
    from servicenamnden.domain import miljo

    if _frame_for(load, "matsvinn", ar) is None:
        return None
    return miljo.food_waste(load("matsvinn"), ar).set_index("verksamhet")


@villkor(
    "forskolan_storst_matsvinn",
    "förskolan har det största matsvinnet av skolformerna och ligger över målet",
)
def _forskolan_storst_matsvinn(load: Loader, ar: int) -> bool | None:
    from servicenamnden.domain import miljo

    table = _food_waste(load, ar)
    if table is None or "forskola" not in table.index:
        return None
    schools = table.loc[[f for f in ("forskola", "grundskola", "gymnasiet") if f in table.index], "totalt"]
    target = miljo.food_waste_target(load("miljomal"), ar)
    return bool(schools.idxmax() == "forskola" and schools["forskola"] > target)


@villkor(
    "gymnasiet_tallrikssvinn_over_serveringssvinn",
    "i gymnasiet är tallrikssvinnet större än serveringssvinnet",
)
def _gymnasiet_tallrik(load: Loader, ar: int) -> bool | None:
    table = _food_waste(load, ar)
    if table is None or "gymnasiet" not in table.index:
        return None
    plate, serving = table.loc["gymnasiet", "tallrik"], table.loc["gymnasiet", "servering"]
    return None if pd.isna(plate) or pd.isna(serving) else bool(plate > serving)


@villkor("mobelaterbruk_over_malet", "OLC:s andel återbrukade möbler når målet")
def _mobelaterbruk_over_malet(load: Loader, ar: int) -> bool | None:
    from servicenamnden.domain import miljo

    if _figure(load, "miljo_nyckeltal", "mobler_inkomna", ar) is None:
        return None
    if _figure(load, "miljo_nyckeltal", "mobler_kasserade", ar) is None:
        return None
    goals = _frame_for(load, "miljomal", ar)
    if goals is None:
        return None
    target = goals.loc[goals["mal_id"] == "mobelaterbruk", "malvarde"]
    if not len(target) or pd.isna(target.iloc[0]):
        return None
    return bool(miljo.furniture_reuse_share(load("miljo_nyckeltal"), ar) >= float(target.iloc[0]))


@villkor("krisparm_saknas", "minst en samhällsviktig verksamhet saknar ännu krispärm")
def _krisparm_saknas(load: Loader, ar: int) -> bool | None:
    value = _figure(load, "ovriga_nyckeltal", "samhallsviktiga_utan_krisparm", ar)
    return None if value is None else value >= 1


# --- Effektiv organisation, Ekonomisk redovisning (issue 17, part 2) ---------------------------------------


def _year_rows(frame: pd.DataFrame, ar: int, **match: object) -> pd.DataFrame:
    part = frame[frame["ar"] == ar]
    for column, value in match.items():
        part = part[part[column] == value]
    return part


@villkor("ledarskapsindex_okade", "delindexet för ledarskap i medarbetarenkäten är högre än året före")
def _ledarskapsindex_okade(load: Loader, ar: int) -> bool | None:
    survey = load("medarbetarenkat")
    now = _year_rows(survey, ar, matt="ledarskap")["varde"]
    before = _year_rows(survey, ar - 1, matt="ledarskap")["varde"]
    return bool(now.iloc[0] > before.iloc[0]) if len(now) and len(before) else None


def _area_deviation(load: Loader, ar: int, area: str) -> float | None:
    """An område's result against budget (mnkr) for the year, or None when the data lack it."""
    results = load("driftredovisning")
    outcome = _year_rows(results, ar, omrade=area, typ="utfall")["belopp_mnkr"]
    budget = _year_rows(results, ar, omrade=area, typ="budget")["belopp_mnkr"]
    return float(outcome.iloc[0] - budget.iloc[0]) if len(outcome) and len(budget) else None


@villkor("omrade_2_over_budget", "Område 2 redovisar ett resultat över budget")
def _omrade_2_over_budget(load: Loader, ar: int) -> bool | None:
    deviation = _area_deviation(load, ar, "omrade_2")
    return None if deviation is None else deviation > 0


@villkor("omrade_5_under_budget", "Område 5 redovisar ett resultat under budget")
def _omrade_5_under_budget(load: Loader, ar: int) -> bool | None:
    deviation = _area_deviation(load, ar, "omrade_5")
    return None if deviation is None else deviation < 0


@villkor(
    "hr_enheterna_storst_positiva",
    "HR-enheternas avvikelse mot budget är positiv och större än varje områdes resultat mot budget",
)
def _hr_enheterna_storst_positiva(load: Loader, ar: int) -> bool | None:
    explained = _year_rows(load("avvikelser_omraden"), ar, post_id="o2_hr_enheterna")["belopp_mnkr"].dropna()
    areas = [d for a in load("omraden")["omrade"] if (d := _area_deviation(load, ar, a)) is not None]
    if not len(explained) or not areas:
        return None
    return bool(explained.iloc[0] > 0 and explained.iloc[0] > max(areas))


@villkor("ms_lonekostnader_sjonk", "måltidsservice lönekostnader är inte högre än året före")
def _ms_lonekostnader_sjonk(load: Loader, ar: int) -> bool | None:
    figures = load("ovriga_nyckeltal")
    now = _year_rows(figures, ar, nyckeltal="ms_lonekostnader")["varde"]
    before = _year_rows(figures, ar - 1, nyckeltal="ms_lonekostnader")["varde"]
    return bool(now.iloc[0] <= before.iloc[0]) if len(now) and len(before) else None


@villkor("ms_ao_kostnad_under_budgetindex", "MS ÄO:s kostnad har sedan basåret ökat mindre än budgetindexet")
def _ms_ao_kostnad_under_budgetindex(load: Loader, ar: int) -> bool | None:
    from servicenamnden.domain import ms_ao

    costs, indices = load("ms_ao_kostnader"), load("ms_ao_index")
    if not len(_year_rows(costs, ar, typ="utfall")):
        return None
    found = ms_ao.counterfactuals(costs, indices, ar)["budgetindex"]
    return None if found is None else bool(found.difference_tkr < 0)


MS_AO_NEAR_BASE_PERCENT = 5  # "nästan samma nivå": within this many percent of the base year's total


@villkor(
    "ms_ao_kostnad_nara_basaret",
    f"MS ÄO:s totala kostnad ligger inom {MS_AO_NEAR_BASE_PERCENT} % från basårets",
)
def _ms_ao_kostnad_nara_basaret(load: Loader, ar: int) -> bool | None:
    from servicenamnden.domain import ms_ao

    costs = load("ms_ao_kostnader")
    if not len(_year_rows(costs, ar, typ="utfall")):
        return None
    total = ms_ao.totals(costs)
    change = (total[ar] / total[ms_ao.base_year(costs)] - 1) * 100
    return bool(abs(change) <= MS_AO_NEAR_BASE_PERCENT)


@villkor("ms_ao_transport_okade", "MS ÄO:s kostnad för transporter är högre än året före")
def _ms_ao_transport_okade(load: Loader, ar: int) -> bool | None:
    costs = load("ms_ao_kostnader")
    now = _year_rows(costs, ar, typ="utfall", kategori="transport")["belopp_tkr"]
    before = _year_rows(costs, ar - 1, typ="utfall", kategori="transport")["belopp_tkr"]
    return bool(now.iloc[0] > before.iloc[0]) if len(now) and len(before) else None


@villkor(
    "brukaravgifter_hojda_varje_ar", "varje brukaravgift har höjts varje år i tabellen över brukaravgifter"
)
def _brukaravgifter_hojda_varje_ar(load: Loader, ar: int) -> bool | None:
    from servicenamnden.domain import brukaravgifter as bav

    fees = load("brukaravgifter")
    if ar not in set(fees["ar"]):
        return None
    changes = bav.yearly_change(bav.wide(fees, load("abonnemang")))
    return bool((changes.dropna(axis=1, how="all") > 0).all().all())


# --- Conditions that choose between texts (content-visible / content-hidden when-meta) -----------------


@villkor("storkoksindex_publicerat", "storköksindex för året är publicerat (finns i ms_ao_index)")
def _storkoksindex_publicerat(load: Loader, ar: int) -> bool:
    index = load("ms_ao_index")
    row = index[(index["ar"] == ar) & (index["serie"] == "storkoksindex")]
    return bool(len(row)) and not pd.isna(row["kostnad_enligt_index_tkr"].iloc[0])


@villkor("kalldokumentets_ar", "året är det som det tryckta källdokumentet redovisar")
def _kalldokumentets_ar(load: Loader, ar: int) -> bool:
    from servicenamnden.io import data

    year = data.schema_of("pastaenden").extra.get("dokumentets_ar")
    return year is not None and int(year) == ar
