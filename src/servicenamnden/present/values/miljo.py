"""Prose values on the environment: goals met, food waste, fossil-free fuel and the key figures."""

from __future__ import annotations

from functools import cache

import pandas as pd

from servicenamnden.domain import miljo
from servicenamnden.present import fmt
from servicenamnden.present.values.base import Varden, collect, direction, join, known, need

SCHOOL_FORMS = {"forskola": "förskolan", "grundskola": "grundskolan", "gymnasiet": "gymnasiet"}
# How the prose says when a food-waste measurement was made (matsvinn.csv, column period).
MEASURED = {"var": "under våren", "ej_angiven": "under en period som inte anges"}


def miljomal_values(goals: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, ar: int) -> Varden:
    """How many of the year's environmental goals are met, and which are not."""

    @cache
    def assessed() -> pd.DataFrame:
        need(goals, ar, "miljömålen")
        return miljo.goals(goals, waste, figures, ar)

    def not_met() -> list[str]:
        table = assessed()
        return [m.lower() for m, b in zip(table["mal"], table["bedomning"], strict=True) if b != miljo.MET]

    return collect(
        "miljomal",
        {
            "uppfyllda": lambda: fmt.count(miljo.goals_met(assessed())[0]),
            "antal": lambda: fmt.count(miljo.goals_met(assessed())[1]),
            "ej_uppfyllda": lambda: join(not_met()) or "inga",
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

    def over() -> list[str]:
        table = per_form()
        return [
            name
            for form, name in SCHOOL_FORMS.items()
            if form in table.index and table.loc[form, "totalt"] > target()
        ]

    def elderly_period() -> str:
        rows = need(waste, ar, what)
        rows = rows[(rows["ar"] == ar) & (rows["verksamhet"] == "aldreomsorg")]
        known(float(len(rows)) or None, "matsvinnet i äldreomsorgen", ar)
        return MEASURED.get(str(rows["period"].iloc[0]), MEASURED["ej_angiven"])

    return collect(
        "matsvinn",
        {
            "skolan": lambda: fmt.percent(
                known(miljo.school_food_waste(per_form().reset_index())["totalt"], what, ar)
            ),
            "mal": lambda: fmt.percent(target(), 0),
            "skolformer_over_malet": lambda: join(over()) or "ingen skolform",
            "forskola": lambda: fmt.percent(share("forskola", "totalt")),
            "forskola_tallrik": lambda: fmt.percent(share("forskola", "tallrik")),
            "gymnasiet_tallrik": lambda: fmt.percent(share("gymnasiet", "tallrik")),
            "gymnasiet_servering": lambda: fmt.percent(share("gymnasiet", "servering")),
            "aldreomsorg": lambda: fmt.percent(share("aldreomsorg", "servering"), 0),
            "aldreomsorg_matperiod": elderly_period,
        },
    )


def fossilfritt_values(fossil: pd.DataFrame, ar: int) -> Varden:
    """The share of fossil-free fuel: the year, the year before, the target and the second interim report."""
    rows = fossil.set_index(["ar", "period", "typ"])["andel_procent"]

    def share(year: int, period: str, typ: str, what: str) -> float:
        return known(rows.get((year, period, typ)), what, year)

    return collect(
        "fossilfritt",
        {
            "andel": lambda: fmt.percent(share(ar, "helar", "utfall", "andelen fossilfritt drivmedel")),
            "andel_fg": lambda: fmt.percent(
                share(ar - 1, "helar", "utfall", "andelen fossilfritt drivmedel"), 0
            ),
            "riktning": lambda: direction(
                share(ar, "helar", "utfall", "andelen fossilfritt drivmedel")
                - share(ar - 1, "helar", "utfall", "andelen fossilfritt drivmedel"),
                "sjönk",
                "steg",
                "var oförändrad",
            ),
            "mal": lambda: fmt.percent(share(ar, "helar", "mal", "målet för fossilfritt drivmedel"), 0),
            "delar_2": lambda: fmt.percent(
                share(ar, "delar_2", "utfall", "andelen fossilfritt drivmedel vid andra delårsrapporten")
            ),
        },
    )


def miljonyckeltal_values(figures: pd.DataFrame, ar: int) -> Varden:
    """Charging points, furniture reuse, delivery stops and organic food: the key figures the prose names."""

    def figure(name: str, year: int, what: str) -> float:
        return known(miljo.key_figure(figures, name, year), what, year)

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
            "laddpunkter": lambda: fmt.count(figure("laddpunkter", ar, "antalet laddpunkter")),
            "laddpunkter_fg": lambda: fmt.count(figure("laddpunkter", ar - 1, "antalet laddpunkter")),
            "laddpunkter_riktning": lambda: direction(
                figure("laddpunkter", ar, "antalet laddpunkter")
                - figure("laddpunkter", ar - 1, "antalet laddpunkter"),
                "minskade",
                "ökade",
                "var oförändrat",
            ),
            "mobler_ateranvanda": lambda: fmt.percent(reuse()),
            "stopp_per_leveranspunkt": lambda: fmt.number(stops(), 1),
            "korstracka_andring": lambda: fmt.directed(
                known(
                    miljo.change_from_year_before(figures, "livsmedelstransporter_km", ar),
                    "livsmedelstransporternas körsträcka",
                    ar,
                ),
                "mer",
                "mindre",
                unit="km",
                decimals=0,
            ),
            "ekologiskt_kostnad": lambda: fmt.percent(
                figure("ekologiska_livsmedel_kostnad", ar, "andelen ekologiska livsmedel"), 0
            ),
            "ekologiskt_vikt": lambda: fmt.percent(
                figure("ekologiska_livsmedel_vikt", ar, "andelen ekologiska livsmedel"), 0
            ),
        },
    )
