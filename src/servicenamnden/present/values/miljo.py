"""Prose values on the environment: goals met, food waste, fossil-free fuel and the key figures."""

from __future__ import annotations

from functools import cache

import pandas as pd

from servicenamnden.domain import miljo, periods
from servicenamnden.domain.provenance import Traced, antal, medel, medel_av_summor, select
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Varden, collect, direction, known, need, shown

SCHOOL_FORMS = {"forskola": "förskolan", "grundskola": "grundskolan", "gymnasiet": "gymnasiet"}
# How the prose says when a food-waste measurement was made (matsvinn.csv, column period).
MEASURED = {"var": "under våren", "ej_angiven": "under en period som inte anges"}
# Which goals count as met, in words (domain/miljo.py, goals): the popover's condition of the count.
MET_IN_WORDS = "målet är uppfyllt (utfallet når målvärdet eller jämförelsevärdet där de finns, annars källans egen bedömning)"


def miljomal_values(goals: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, ar: int) -> Varden:
    """How many of the year's environmental goals are met, and which are not."""

    @cache
    def assessed() -> pd.DataFrame:
        need(goals, ar, "miljömålen")
        return miljo.goals(goals, waste, figures, ar)

    def goal_rows(met_only: bool) -> Traced:
        """The year's goals as rows of miljomal.csv (to count them): all, or those assessed as met."""
        table = assessed()
        ids = [
            g
            for g, b in zip(table["mal_id"], table["bedomning"], strict=True)
            if b == miljo.MET or not met_only
        ]
        return select(goals, "ordning", ar=ar, mal_id=ids)

    def not_met() -> list[str]:
        table = assessed()
        return [m.lower() for m, b in zip(table["mal"], table["bedomning"], strict=True) if b != miljo.MET]

    return collect(
        "miljomal",
        {
            "uppfyllda": lambda: shown(antal(goal_rows(True), MET_IN_WORDS), fmt.count),
            "antal": lambda: shown(antal(goal_rows(False), f"året är {ar}"), fmt.count),
            "ej_uppfyllda": lambda: fmt.join(not_met()) or "inga",
        },
    )


def matsvinn_values(waste: pd.DataFrame, goals: pd.DataFrame, ar: int) -> Varden:
    """Food waste per school form and in elderly care, against the year's target."""
    what = "matsvinnet"

    @cache
    def per_form() -> pd.DataFrame:
        need(waste, ar, what)
        return miljo.food_waste(waste, ar).set_index("verksamhet")

    def share(form: str, kind: str) -> float:
        table = per_form()
        value = table.loc[form, kind] if form in table.index else None
        return known(value, f"matsvinnet i {SCHOOL_FORMS.get(form, 'äldreomsorgen')}", ar)

    def target() -> float:
        need(goals, ar, "miljömålen")
        return miljo.food_waste_target(goals, ar)

    def cells(forms: str | list[str], kind: str) -> Traced:
        """The measured shares; ``totalt`` is serving plus plate waste."""
        kinds = ["servering", "tallrik"] if kind == "totalt" else kind
        return select(waste, "andel_procent", ar=ar, verksamhet=forms, svinntyp=kinds).in_unit("%")

    def traced_share(form: str, kind: str) -> Traced:
        share(form, kind)
        return cells(form, kind)

    def traced_school(kind: str) -> Traced:
        school(kind)
        return medel(cells(list(SCHOOL_FORMS), kind))

    def over() -> list[str]:
        table = per_form()
        return [
            name
            for form, name in SCHOOL_FORMS.items()
            if form in table.index and table.loc[form, "totalt"] > target()
        ]

    def school(kind: str) -> float:
        return known(miljo.school_food_waste(per_form().reset_index())[kind], what, ar)

    def elderly_period() -> str:
        rows = need(waste, ar, what)
        rows = rows[(rows["ar"] == ar) & (rows["verksamhet"] == "aldreomsorg")]
        known(float(len(rows)) or None, "matsvinnet i äldreomsorgen", ar)
        return MEASURED.get(str(rows["period"].iloc[0]), MEASURED["ej_angiven"])

    return collect(
        "matsvinn",
        {
            "skolan": lambda: (
                school("totalt"),
                shown(medel_av_summor({f: cells(f, "totalt") for f in SCHOOL_FORMS}), fmt.percent),
            )[1],
            "mal": lambda: (
                target(),
                shown(select(goals, "malvarde", ar=ar, mal_id="matsvinn").in_unit("%"), fmt.percent, 0),
            )[1],
            "skolformer_over_malet": lambda: fmt.join(over()) or "ingen skolform",
            "forskola": lambda: shown(traced_share("forskola", "totalt"), fmt.percent),
            "forskola_tallrik": lambda: shown(traced_share("forskola", "tallrik"), fmt.percent),
            "gymnasiet_tallrik": lambda: shown(traced_share("gymnasiet", "tallrik"), fmt.percent),
            "skolan_servering": lambda: shown(traced_school("servering"), fmt.percent),
            "skolan_tallrik": lambda: shown(traced_school("tallrik"), fmt.percent),
            "forskola_servering": lambda: shown(traced_share("forskola", "servering"), fmt.percent),
            "grundskola": lambda: shown(traced_share("grundskola", "totalt"), fmt.percent),
            "grundskola_servering": lambda: shown(traced_share("grundskola", "servering"), fmt.percent),
            "grundskola_tallrik": lambda: shown(traced_share("grundskola", "tallrik"), fmt.percent),
            "gymnasiet": lambda: shown(traced_share("gymnasiet", "totalt"), fmt.percent),
            "gymnasiet_mot_malet": lambda: (
                "når målet" if share("gymnasiet", "totalt") <= target() else "når inte målet"
            ),
            "gymnasiet_servering": lambda: shown(traced_share("gymnasiet", "servering"), fmt.percent),
            "aldreomsorg": lambda: shown(traced_share("aldreomsorg", "servering"), fmt.percent, 0),
            "aldreomsorg_matperiod": elderly_period,
        },
    )


def fossilfritt_values(fossil: pd.DataFrame, ar: int) -> Varden:
    """The share of fossil-free fuel: the year, the year before, the target and the second interim report."""
    rows = fossil.set_index(["ar", "period", "typ"])["andel_procent"]

    def share(year: int, period: str, typ: str, what: str) -> float:
        return known(rows.get((year, period, typ)), what, year)

    def traced(year: int, period: str, typ: str, what: str) -> Traced:
        share(year, period, typ, what)
        return select(fossil, "andel_procent", ar=year, period=period, typ=typ).in_unit("%")

    return collect(
        "fossilfritt",
        {
            "andel": lambda: shown(
                traced(ar, "helar", "utfall", "andelen fossilfritt drivmedel"), fmt.percent
            ),
            "andel_fg": lambda: shown(
                traced(ar - 1, "helar", "utfall", "andelen fossilfritt drivmedel"), fmt.percent, 0
            ),
            "riktning": lambda: direction(
                share(ar, "helar", "utfall", "andelen fossilfritt drivmedel")
                - share(ar - 1, "helar", "utfall", "andelen fossilfritt drivmedel"),
                "sjönk",
                "steg",
                "var oförändrad",
            ),
            "mal": lambda: shown(
                traced(ar, "helar", "mal", "målet för fossilfritt drivmedel"), fmt.percent, 0
            ),
            "delar_2": lambda: shown(
                traced(ar, "delar_2", "utfall", "andelen fossilfritt drivmedel vid andra delårsrapporten"),
                fmt.percent,
            ),
        },
    )


def miljonyckeltal_values(figures: pd.DataFrame, ar: int) -> Varden:
    """Charging points, furniture reuse, delivery stops and organic food: the key figures the prose names."""

    def figure(name: str, year: int, what: str) -> float:
        return known(miljo.key_figure(figures, name, year), what, year)

    def traced(name: str, year: int, what: str) -> Traced:
        figure(name, year, what)
        return miljo.traced_key_figure(figures, name, year)

    def changed(name: str, what: str) -> Traced:
        known(miljo.change_from_year_before(figures, name, ar), what, ar)
        return miljo.traced_change_from_year_before(figures, name, ar)

    def reuse() -> float:
        figure("mobler_inkomna", ar, "möbelåterbruket")
        figure("mobler_kasserade", ar, "möbelåterbruket")
        return miljo.furniture_reuse_share(figures, ar)

    def stops() -> float:
        for name in ("stopp", "leveransenheter", "manader"):
            figure(f"livsmedelstransporter_{name}", ar, "livsmedelstransporternas stopp")
        return miljo.stops_per_point_and_month(figures, ar)

    return collect(
        "miljonyckeltal",
        {
            "laddpunkter": lambda: shown(traced("laddpunkter", ar, "antalet laddpunkter"), fmt.count),
            "laddpunkter_fg": lambda: shown(traced("laddpunkter", ar - 1, "antalet laddpunkter"), fmt.count),
            "laddpunkter_riktning": lambda: direction(
                figure("laddpunkter", ar, "antalet laddpunkter")
                - figure("laddpunkter", ar - 1, "antalet laddpunkter"),
                "minskade",
                "ökade",
                "var oförändrat",
            ),
            "mobler_ateranvanda": lambda: (
                reuse(),
                shown(miljo.traced_furniture_reuse(figures, ar), fmt.percent),
            )[1],
            "stopp_per_leveranspunkt": lambda: (
                stops(),
                shown(miljo.traced_stops_per_point_and_month(figures, ar), fmt.number, 1),
            )[1],
            "korstracka_andring": lambda: shown(
                changed("livsmedelstransporter_km", "livsmedelstransporternas körsträcka"),
                fmt.directed,
                "mer",
                "mindre",
                unit="km",
                decimals=0,
            ),
            "ekologiskt_kostnad": lambda: shown(
                traced("ekologiska_livsmedel_kostnad", ar, "andelen ekologiska livsmedel"), fmt.percent, 0
            ),
            "ekologiskt_vikt": lambda: shown(
                traced("ekologiska_livsmedel_vikt", ar, "andelen ekologiska livsmedel"), fmt.percent, 0
            ),
        },
    )


def miljouppfoljning_values(
    goals: pd.DataFrame, figures: pd.DataFrame, climate: pd.DataFrame, local: pd.DataFrame, ar: int
) -> Varden:
    """The follow-up of each environmental goal in figures: climate load, local food, Greenhack, contract
    loyalty, furniture, food transports; the targets from the goals file."""

    def figure(name: str, year: int, what: str) -> Traced:
        known(miljo.key_figure(figures, name, year), what, year)
        return miljo.traced_key_figure(figures, name, year)

    def changed(name: str, what: str) -> Traced:
        known(miljo.change_from_year_before(figures, name, ar), what, ar)
        return miljo.traced_change_from_year_before(figures, name, ar)

    def target(goal: str, what: str) -> Traced:
        part = need(goals, ar, "miljömålen")
        found = part[(part["ar"] == ar) & (part["mal_id"] == goal)]["malvarde"]
        known(found.iloc[0] if len(found) else None, what, ar)
        return select(goals, "malvarde", ar=ar, mal_id=goal)

    def load(form: str) -> Traced:
        part = need(climate, ar, "klimatbelastningen")
        found = part[(part["ar"] == ar) & (part["skolform"] == form)]["kg_co2e_per_kg"]
        known(found.iloc[0] if len(found) else None, "klimatbelastningen", ar)
        return select(climate, "kg_co2e_per_kg", ar=ar, skolform=form)

    def load_period() -> str:
        part = need(climate, ar, "klimatbelastningen")
        found = part[(part["ar"] == ar) & (part["skolform"] == "totalt")]["period"].dropna()
        known(float(len(found)) or None, "klimatbelastningens mätperiod", ar)
        return periods.period_words(str(found.iloc[0]))

    def local_share(year: int) -> Traced:
        found = local[local["ar"] == year]["andel_procent"]
        known(found.iloc[0] if len(found) else None, "andelen nära livsmedelsinköp", year)
        return select(local, "andel_procent", ar=year).in_unit("%")

    def kg(value: float) -> str:
        return f"{fmt.number(value, 2)}\u00a0kg"

    return collect(
        "miljouppfoljning",
        {
            "klimat": lambda: shown(load("totalt"), kg),
            "klimat_forskola": lambda: shown(load("forskola"), kg),
            "klimat_grundskola": lambda: shown(load("grundskola"), kg),
            "klimat_mal": lambda: shown(target("klimatbelastning", "målet för klimatbelastningen"), kg),
            "klimat_period": load_period,
            "nara": lambda: shown(local_share(ar), fmt.percent, 0),
            "nara_fg": lambda: shown(local_share(ar - 1), fmt.percent, 0),
            "nara_tva_ar_fore": lambda: shown(local_share(ar - 2), fmt.percent, 0),
            "greenhack_andel": lambda: shown(
                figure("greenhack_andel_enheter", ar, "andelen enheter med Greenhack-aktivitet"),
                fmt.percent,
                0,
            ),
            "greenhack_mal": lambda: shown(target("greenhack", "målet för Greenhack"), fmt.percent, 0),
            "greenhack_mars": lambda: shown(
                figure("greenhack_aktiviteter_mars", ar, "antalet Greenhack-aktiviteter i mars"), fmt.count
            ),
            "avtalstrohet_mal": lambda: shown(
                target("avtalstrohet", "målet för avtalstrohet"), fmt.percent, 0
            ),
            "avtalstrohet_forvaltningen": lambda: shown(
                figure("avtalstrohet_forvaltningen", ar, "förvaltningens avtalstrohet"), fmt.percent, 0
            ),
            "mobler_mal": lambda: shown(target("mobelaterbruk", "målet för möbelåterbruk"), fmt.percent, 0),
            "mobler_inkomna": lambda: shown(
                figure("mobler_inkomna", ar, "antalet inkomna möbler"), fmt.count
            ),
            "mobler_kasserade": lambda: shown(
                figure("mobler_kasserade", ar, "antalet kasserade möbler"), fmt.count
            ),
            "transporter_km": lambda: shown(
                figure("livsmedelstransporter_km", ar, "livsmedelstransporternas körsträcka"), fmt.count
            ),
            "transporter_stopp": lambda: shown(
                figure("livsmedelstransporter_stopp", ar, "livsmedelstransporternas stopp"), fmt.count
            ),
            "transporter_stopp_andring": lambda: shown(
                changed("livsmedelstransporter_stopp", "förändringen av livsmedelstransporternas stopp"),
                fmt.directed,
                "fler",
                "färre",
                unit="",
                decimals=0,
            ),
        },
    )
