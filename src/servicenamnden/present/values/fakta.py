"""Prose values for the facts of the year and for amounts that stand beside a direction word.

:func:`fakta_groups` gives one group per section of the article, so a note on a missing figure stands
where that figure would have been; :func:`servicenamnden.present.values.arets_varden` adds them to ``v``:

- facts of the year the text names (the environmental plan's period, the survey month, sample periods …)
  come from ``fakta.csv``, never typed in the prose;
- an amount beside a direction word ("7,9 mnkr lägre", "4,8 mnkr över budget") is shown without a sign,
  and the word is chosen by the sign (:func:`servicenamnden.present.fmt.directed`), so they cannot disagree;
- a range collapses to one value when its ends agree (:func:`servicenamnden.present.fmt.span`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pandas as pd

from servicenamnden.domain import ekonomi, fakta
from servicenamnden.domain.miljo import key_figure, traced_key_figure
from servicenamnden.domain.provenance import Traced, lista, select, summa
from servicenamnden.domain.years import MissingYearError, missing_text
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Shown, Varden, collect, known, need, shown
from servicenamnden.present.values.ekonomi import investeringsprognos_values
from servicenamnden.present.values.ms_ao import avgiftsintervall_values

GROUPS = (
    "samhallsbyggnad",
    "symboler",
    "naringsliv",
    "avtalstrohet",
    "processkvalitet",
    "personal",
    "maltidsekonomi",
    "drivmedel",
    "omradesekonomi",
    "avgiftsintervall",
    "investeringsprognos",
    "kontroll_perioder",
)


def fakta_groups(ar: int, load: Callable[[str], pd.DataFrame]) -> dict[str, Varden]:
    """The groups of this module for report year ``ar``, by name (see :data:`GROUPS`)."""
    facts, other, env = load("fakta"), load("ovriga_nyckeltal"), load("miljo_nyckeltal")
    explanations, results, areas = load("avvikelser_omraden"), load("driftredovisning"), load("omraden")
    investments = load("investeringar")
    return {
        "samhallsbyggnad": samhallsbyggnad_values(facts, other, ar),
        "symboler": symboler_values(load("fardiggrad"), ar),
        "naringsliv": naringsliv_values(facts, other, ar),
        "avtalstrohet": avtalstrohet_values(facts, env, ar),
        "processkvalitet": processkvalitet_values(facts, other, load("kunddialog"), ar),
        "personal": personal_values(facts, other, ar),
        "maltidsekonomi": maltidsekonomi_values(explanations, ar),
        "drivmedel": drivmedel_values(facts, other, ar),
        "omradesekonomi": omradesekonomi_values(facts, explanations, results, areas, other, ar),
        "avgiftsintervall": avgiftsintervall_values(load("brukaravgifter"), load("abonnemang"), ar),
        "investeringsprognos": investeringsprognos_values(facts, investments, ar),
        "kontroll_perioder": kontroll_perioder_values(
            facts, load("internkontroll_risker"), load("internkontroll_2022"), ar
        ),
    }


# --- facts of the year ----------------------------------------------------------------------------


def _fact(facts: pd.DataFrame, name: str, what: str, ar: int) -> str:
    value = fakta.fact(facts, name, ar)
    if value is None:
        raise MissingYearError(missing_text(what, [ar]))
    return value


def _year(facts: pd.DataFrame, name: str, what: str, ar: int) -> int:
    value = fakta.year_fact(facts, name, ar)
    if value is None:
        raise MissingYearError(missing_text(what, [ar]))
    return value


def _period(facts: pd.DataFrame, prefix: str, what: str, ar: int) -> str:
    period = fakta.year_span(facts, prefix, ar)
    if period is None:
        raise MissingYearError(missing_text(what, [ar]))
    return f"{period[0]}\u2013{period[1]}"


def _figure(frame: pd.DataFrame, name: str, what: str, ar: int) -> float:
    return known(key_figure(frame, name, ar), what, ar)


def _traced(frame: pd.DataFrame, name: str, what: str, ar: int) -> Traced:
    """A key figure with its provenance, or the note when the year lacks it."""
    _figure(frame, name, what, ar)
    return traced_key_figure(frame, name, ar)


def samhallsbyggnad_values(facts: pd.DataFrame, other: pd.DataFrame, ar: int) -> Varden:
    """The environmental plan, the circular-spend baseline, the electric-car switch and chemicals."""
    return collect(
        "samhallsbyggnad",
        {
            "miljoplan_period": lambda: _period(facts, "miljoplan", "Miljöplanens period", ar),
            "miljoplan_beslutsmanad": lambda: fmt.month(
                _fact(facts, "miljoplan_beslutsmanad", "Månaden då miljöplanen beslutades", ar)
            ),
            "cirkular_basar": lambda: _year(
                facts, "cirkular_spend_basar", "Utgångsåret för cirkulära inköp", ar
            ),
            "elbilar_byte": lambda: _fact(facts, "elbilar_byte_period", "Tiden för bytet till elbilar", ar),
            "kemikalier": lambda: shown(
                _traced(other, "kemikalier_forandring", "Förändringen av antalet kemikalier", ar),
                fmt.directed,
                "fler",
                "färre",
                unit="%",
                decimals=0,
            ),
        },
    )


def symboler_values(steps: pd.DataFrame, ar: int) -> Varden:
    """The steps in which the commitments' degree of completion is given (``0, 20, 80 och 100 %``)."""

    def steps_text() -> Shown:
        found = [fmt.count(s) for s in fakta.fardiggrad_steps(steps, ar)]
        if not found:
            raise MissingYearError(missing_text("Färdiggradens steg", [ar]))
        rows = steps[steps["ar"] == ar].sort_values("steg")["steg"]
        traced = lista(*(select(steps, "fardiggrad", ar=ar, steg=s) for s in rows)).in_unit("%")
        return Shown(f"{fmt.join(found)}\u00a0%", traced)

    return collect("symboler", {"fardiggrad_steg": steps_text})


def naringsliv_values(facts: pd.DataFrame, other: pd.DataFrame, ar: int) -> Varden:
    """When the procurement prize came, the training half-days and the research project's length."""

    def survey_year() -> int:
        what = "Året för upphandlingarna vars anbudsgivare svarade i NUI"
        return _year(facts, "nui_enkat_upphandlingsar", what, ar)

    return collect(
        "naringsliv",
        {
            "nui_pris_manad": lambda: fmt.month(_fact(facts, "nui_pris_manad", "Månaden för NUI-priset", ar)),
            "utbildningshalvdagar": lambda: shown(
                _traced(other, "utbildningshalvdagar_upphandling", "Antalet utbildningshalvdagar", ar),
                fmt.count,
            ),
            "forskningsprojekt_ar": lambda: shown(
                _traced(other, "forskningsprojekt_langd", "Forskningsprojektets längd", ar), fmt.count
            ),
            "nui_placering_stockholm": lambda: fmt.ordinal(
                _figure(other, "nui_placering_stockholmsomradet", "Placeringen i NUI i Stockholmsområdet", ar)
            ),
            "nui_placering_riket": lambda: fmt.ordinal(
                _figure(other, "nui_placering_riket", "Placeringen i NUI i landet", ar)
            ),
            "transport_olc_atgarder": lambda: _fact(
                facts,
                "arbetsmarknadsatgarder_transport_olc",
                "Transportenhetens och OLC:s arbetsmarknadsåtgärder",
                ar,
            ),
            "nui_upphandlingsar": survey_year,
            "nui_upphandlingar_nar": lambda: (
                "året före" if survey_year() == ar - 1 else f"under {survey_year()}"
            ),
        },
    )


def avtalstrohet_values(facts: pd.DataFrame, env: pd.DataFrame, ar: int) -> Varden:
    """Contract loyalty as measured so far and as it is measured from the year the measure changes."""
    return collect(
        "avtalstrohet",
        {
            "kommunen": lambda: shown(
                _traced(env, "avtalstrohet_kommunen", "Kommunens avtalstrohet", ar), fmt.percent, 0
            ),
            "paverkbar": lambda: shown(
                _traced(env, "avtalstrohet_kommunen_paverkbar", "Avtalstroheten på påverkbara inköp", ar),
                fmt.percent,
                0,
            ),
            "nytt_matt_ar": lambda: _year(
                facts, "avtalstrohet_nytt_matt_fran", "Året då avtalstroheten börjar mätas på nytt sätt", ar
            ),
        },
    )


def processkvalitet_values(
    facts: pd.DataFrame, other: pd.DataFrame, dialogue: pd.DataFrame, ar: int
) -> Varden:
    """The invoicing system's procurement year, the touchless-invoice rank, the dialogues' earlier period."""

    def dialogue_period(year: int) -> str:
        part = need(dialogue, year, "Kunddialogernas mätperiod")
        periods = part.loc[part["ar"] == year, "period"].dropna()
        start, _, end = str(periods.iloc[0]).partition("-")
        months = {m[:3]: m for m in fmt.MONTHS}
        return f"{months[start]}\u2013{months[end]}"

    return collect(
        "processkvalitet",
        {
            "faktura_upphandlingsar": lambda: _year(
                facts,
                "bestallning_fakturasystem_upphandlingsar",
                "Året för upphandlingen av beställnings- och fakturasystemet",
                ar,
            ),
            "touchless_placering": lambda: fmt.ordinal(
                _figure(other, "proceedo_touchless_placering", "Placeringen för touchless-fakturor", ar)
            ),
            "kunddialog_period_fg": lambda: dialogue_period(ar - 1),
            "microsoft_projekt": lambda: _fact(
                facts, "microsoft_projekt", "Namnet på Microsoftprojektet", ar
            ),
            "objektmodell": lambda: _fact(
                facts, "objektmodell", "Namnet på modellen för objektförvaltning", ar
            ),
        },
    )


# Survey results the source gives only as a change (ovriga_nyckeltal.csv), and what each is, for a note.
SURVEY_CHANGES = {
    "hme_maltidsservice": ("hme_maltidsservice_forandring", "Förändringen av måltidsservice HME"),
    "aktivt_medarbetarskap": ("aktivt_medarbetarskap_forandring", "Förändringen av aktivt medarbetarskap"),
    "aterhamtning": ("aterhamtning_forandring", "Förändringen av återhämtningen"),
}


def index_change(value: float) -> str:
    """A change of a survey index in words: ``ökade med 3 enheter``, ``minskade med 1 enhet``."""
    unit = "enhet" if abs(value) == 1 else "enheter"
    return fmt.directed(
        value, "ökade med", "minskade med", unit=unit, decimals=0, word_first=True, if_zero="var oförändrat"
    )


def personal_values(facts: pd.DataFrame, other: pd.DataFrame, ar: int) -> Varden:
    """When the staff survey was made, how far back the pulse survey compares, and the survey's changes."""
    values: dict[str, Callable[[], object]] = {
        "enkat_manad": lambda: fmt.month(
            _fact(facts, "medarbetarenkat_manad", "Månaden då medarbetarenkäten gjordes", ar)
        ),
        "tempomatning": lambda: _fact(facts, "tempomatning_jamforelse", "Tempomätningens jämförelse", ar),
    }
    for key, (name, what) in SURVEY_CHANGES.items():
        values[key] = lambda n=name, w=what: shown(_traced(other, n, w, ar), index_change)
    return collect("personal", values)


# --- the economy: amounts beside direction words ------------------------------------------------------


def _amounts(explanations: pd.DataFrame, ar: int) -> pd.Series:
    """The explained deviations of the year by post_id (mnkr), sums of parts filled in."""
    part = need(explanations, ar, "Förklaringarna till avvikelserna per område")
    part = part[part["ar"] == ar]
    pieces = [ekonomi.area_explanations(part, area) for area in part["omrade"].unique()]
    return pd.concat(pieces).set_index("post_id")["belopp_mnkr"]


def maltidsekonomi_values(explanations: pd.DataFrame, ar: int) -> Varden:
    """Måltidsservice against budget in words: income lower, costs higher, food cheaper (positive = better)."""
    amounts = cache(lambda: _amounts(explanations, ar))

    def amount(post_id: str) -> Traced:
        known(amounts().get(post_id), "Förklaringarna till avvikelserna per område", ar)
        return ekonomi.explanation_amount(explanations, post_id, ar)

    return collect(
        "maltidsekonomi",
        {
            "intakter": lambda: shown(amount("o4_intakter"), fmt.directed, "högre", "lägre"),
            "kostnader": lambda: shown(amount("o4_kostnader"), fmt.directed, "lägre", "högre"),
            "transporter": lambda: shown(amount("o4_transporter"), fmt.directed, "mindre", "mer"),
            "livsmedel": lambda: shown(amount("o4_livsmedel"), fmt.directed, "mindre", "mer"),
        },
    )


def drivmedel_values(facts: pd.DataFrame, other: pd.DataFrame, ar: int) -> Varden:
    """The municipality's fuel costs against the same period the year before."""
    return collect(
        "drivmedel",
        {
            "period": lambda: _fact(
                facts, "drivmedel_jamforelseperiod", "Perioden för drivmedelsjämförelsen", ar
            ),
            "forandring": lambda: shown(
                _traced(other, "drivmedel_kostnad_forandring", "Förändringen av drivmedelskostnaden", ar),
                fmt.directed,
                "högre",
                "lägre",
                unit="tkr",
                decimals=0,
            ),
        },
    )


def omradesekonomi_values(
    facts: pd.DataFrame,
    explanations: pd.DataFrame,
    results: pd.DataFrame,
    areas: pd.DataFrame,
    other: pd.DataFrame,
    ar: int,
) -> Varden:
    """What the per-area text says beyond the table: Område 1's remainder, Område 2's parts, Område 4."""
    amounts = cache(lambda: _amounts(explanations, ar))

    def amount(post_id: str) -> Traced:
        known(amounts().get(post_id), "Förklaringarna till avvikelserna per område", ar)
        return ekonomi.explanation_amount(explanations, post_id, ar)

    def area_deviation(area: str) -> Traced:
        need(results[results["typ"] == "budget"], ar, "Budgeten per område")
        need(results[results["typ"] == "utfall"], ar, "Resultatet per område")
        table = ekonomi.result_per_area(results, areas, ar).set_index("omrade")
        known(table.loc[area, "avvikelse"], "Resultatet per område", ar)
        return ekonomi.area_deviation(results, ar, area)

    def remainder(area: str) -> Traced:
        area_deviation(area)
        amounts()
        return ekonomi.traced_remainder(explanations, results, area, ar)

    def figure(name: str, year: int, what: str) -> float:
        return known(key_figure(other, name, year), what, year)

    def traced(name: str, year: int, what: str) -> Traced:
        figure(name, year, what)
        return traced_key_figure(other, name, year)

    def closure_part(name: str) -> Traced:
        closure()
        return traced_key_figure(other, name, ar)

    def wage_comparison() -> str:
        now = figure("ms_lonekostnader", ar, "Måltidsservice lönekostnader")
        change = now - figure("ms_lonekostnader", ar - 1, "Måltidsservice lönekostnader")
        return "lägre än" if change < 0 else "högre än" if change > 0 else "lika stora som"

    def closure() -> fakta.NetEffect:
        figure("ms_ao_restauranger_effekt", ar, "Effekten av att restaurangerna stängdes")
        figure("von_restauranger_kostnad", ar, "Vård- och omsorgsnämndens kostnad för stängningen")
        return fakta.restaurant_closure(other, ar)

    def over_budget(post_id: str, decimals: int = 1) -> Shown:
        return shown(amount(post_id), fmt.directed, "under", "över", decimals=decimals)

    def income(post_id: str) -> Shown:
        return shown(amount(post_id), fmt.directed, "högre", "lägre")

    def cost(post_id: str) -> Shown:  # a cost deviation is positive when the cost was lower than budgeted
        return shown(amount(post_id), fmt.directed, "lägre", "högre")

    def staffing(name: str, what: str) -> Shown:
        value = traced(name, ar, what)
        unit = "årsarbetskraft" if abs(value.value) == 1 else "årsarbetskrafter"
        return shown(value, fmt.directed, "ökade med", "minskade med", unit=unit, decimals=0, word_first=True)

    return collect(
        "omradesekonomi",
        {
            "o1_avvikelse": lambda: shown(area_deviation("omrade_1"), fmt.mnkr, sign=True),
            "o1_kapital_datorer": lambda: shown(amount("o1_kapitalkostnader_datorer"), fmt.mnkr, sign=True),
            "o1_ej_forklarat": lambda: shown(remainder("omrade_1"), fmt.mnkr, sign=True),
            "o1_balans_ar": lambda: _year(
                facts, "omrade_1_balans_ar", "Året då område 1 väntas nå balans", ar
            ),
            "o1_intakter": lambda: income("o1_intakter"),
            "o1_personal": lambda: cost("o1_personal"),
            "o1_kapitalkostnader": lambda: cost("o1_kapitalkostnader"),
            "o1_datorer": lambda: cost("o1_kapitalkostnader_datorer"),
            "o2_avvikelse": lambda: shown(area_deviation("omrade_2"), fmt.mnkr, sign=True),
            "o3_avvikelse": lambda: shown(area_deviation("omrade_3"), fmt.mnkr, sign=True),
            "o4_avvikelse": lambda: shown(area_deviation("omrade_4"), fmt.mnkr, sign=True),
            "o5_avvikelse": lambda: shown(area_deviation("omrade_5"), fmt.mnkr, sign=True),
            "konsult_kok": lambda: cost("o4_konsult_kok"),
            "ms_ao_intakter": lambda: income("o4_ms_ao_intakter"),
            "ms_ao_kostnader": lambda: cost("o4_ms_ao_kostnader"),
            "ms_ao_transporter": lambda: cost("o4_ms_ao_transporter"),
            "kok_bemanning_lyckat": lambda: staffing(
                "ms_kok_bemanning_lyckat_forandring", "Bemanningen i det ombyggda kök som lyckades bäst"
            ),
            "kok_bemanning_mindre_lyckat": lambda: staffing(
                "ms_kok_bemanning_mindre_lyckat_forandring",
                "Bemanningen i det ombyggda kök som lyckades sämre",
            ),
            "transport_prisokning": lambda: shown(
                traced("ms_transport_prisokning", ar, "Transporternas prisökning"), fmt.percent, 0
            ),
            "transport_prisokning_budget": lambda: shown(
                traced("ms_transport_prisokning_budget", ar, "Transporternas budgeterade prisökning"),
                fmt.percent,
                0,
            ),
            "personal": lambda: over_budget("o4_personal"),
            "el": lambda: over_budget("o4_el", 2),
            "lonekostnader": lambda: shown(
                traced("ms_lonekostnader", ar, "Måltidsservice lönekostnader"), fmt.mnkr
            ),
            "lonekostnader_fg": lambda: shown(
                traced("ms_lonekostnader", ar - 1, "Måltidsservice lönekostnader"), fmt.mnkr
            ),
            "lonekostnader_jamfort": wage_comparison,
            "kok_besparing": lambda: shown(
                traced("ms_kok_investering_besparing", ar, "Besparingen av den avbrutna köksinvesteringen"),
                fmt.mnkr,
                0,
            ),
            "restauranger_effekt": lambda: shown(
                closure_part("ms_ao_restauranger_effekt"), fmt.mnkr, sign=True
            ),
            "von_kostnad": lambda: shown(
                closure_part("von_restauranger_kostnad"),
                fmt.directed,
                "i minskade kostnader",
                "i ökade kostnader",
            ),
            "restauranger_netto": lambda: shown(
                summa(closure_part("ms_ao_restauranger_effekt"), closure_part("von_restauranger_kostnad")),
                fmt.mnkr,
                sign=True,
            ),
            "kylda_matlador_ar": lambda: _year(
                facts, "kylda_matlador_full_effekt_ar", "Året då kylda matlådor får full effekt", ar
            ),
        },
    )


def kontroll_perioder_values(
    facts: pd.DataFrame, risks: pd.DataFrame, follow_up: pd.DataFrame, ar: int
) -> Varden:
    """The internal control's sample periods, the follow-up date and the next goal period."""

    def period(nr: int) -> str:
        need(risks, ar, "Internkontrollens risker")
        found = fakta.sample_period(risks, ar, nr)
        if found is None:
            raise MissingYearError(missing_text(f"Granskningsperioden för risk {nr}", [ar]))
        return found

    def follow_up_date() -> str:
        part = need(follow_up, ar, "Uppföljningen av föregående års plan")
        dates = part.loc[part["ar"] == ar, "uppfoljningsdatum"].dropna()
        if not len(dates):
            raise MissingYearError(missing_text("Uppföljningens datum", [ar]))
        return fmt.date(str(dates.iloc[0]))

    return collect(
        "kontroll_perioder",
        {
            "inkop": lambda: period(1),
            "handlingar": lambda: period(2),
            "apt_datum": follow_up_date,
            "tempomatning": lambda: _fact(facts, "tempomatning_jamforelse", "Tempomätningens jämförelse", ar),
            "verksamhetsmal": lambda: _period(facts, "verksamhetsmal", "Verksamhetsmålens period", ar),
        },
    )
