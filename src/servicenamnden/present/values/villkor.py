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
