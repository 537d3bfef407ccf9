"""Facts of the year and figures the prose states beside the tables, selected from data.

A period, a month or a baseline year that the report's text names is a fact of its year (``fakta.csv``),
never typed in the prose; the functions here pick it for the report year and say plainly when it is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from servicenamnden.domain.ekonomi import area_explanations, result_per_area
from servicenamnden.domain.miljo import key_figure


def fact(facts: pd.DataFrame, name: str, ar: int) -> str | None:
    """The fact ``name`` for the year as its text (``"september"``, ``"2024"``), or None when absent."""
    hit = facts.loc[(facts["fakta"] == name) & (facts["ar"] == ar), "varde"]
    return str(hit.iloc[0]) if len(hit) else None


def year_fact(facts: pd.DataFrame, name: str, ar: int) -> int | None:
    """A fact that is a year (``typ`` ar) as an int, or None when absent; a non-year is a data error."""
    hit = facts[(facts["fakta"] == name) & (facts["ar"] == ar)]
    if not len(hit):
        return None
    row = hit.iloc[0]
    text = str(row["varde"]).strip()
    if row["typ"] != "ar" or not text.isdigit() or len(text) != 4:
        raise ValueError(f"fakta.csv: {name} {ar} är inte ett årtal: {text!r}")
    return int(text)


def year_span(facts: pd.DataFrame, prefix: str, ar: int) -> tuple[int, int] | None:
    """First and last year of a plan or goal period (facts ``PREFIX_forsta_ar``, ``PREFIX_sista_ar``)."""
    first = year_fact(facts, f"{prefix}_forsta_ar", ar)
    last = year_fact(facts, f"{prefix}_sista_ar", ar)
    return (first, last) if first is not None and last is not None else None


def plan_period(facts: pd.DataFrame, ar: int) -> tuple[int, int] | None:
    """First and last year of the committee's long-term environmental plan, or None when not given."""
    return year_span(facts, "miljoplan", ar)


def fardiggrad_steps(steps: pd.DataFrame, ar: int) -> list[int]:
    """The steps (percent, ascending) in which the commitments' degree of completion is given."""
    part = steps[steps["ar"] == ar].sort_values("steg")
    return [int(v) for v in part["fardiggrad"]]


def forecast_deviation(investments: pd.DataFrame, ar: int) -> float:
    """The investments' deviation from the year's forecast (mnkr, as printed); NaN when not given."""
    part = investments[(investments["ar"] == ar) & (investments["matt"] == "prognosavvikelse")]
    return float(part["belopp_mnkr"].sum()) if len(part) else float("nan")


@dataclass(frozen=True)
class Pair:
    """A figure this year against the year before, in one unit."""

    now: float
    before: float

    @property
    def change(self) -> float:
        """This year minus the year before."""
        return self.now - self.before


def wage_costs(figures: pd.DataFrame, ar: int) -> Pair:
    """Måltidsservice's wage costs (mnkr) this year and the year before."""
    return Pair(key_figure(figures, "ms_lonekostnader", ar), key_figure(figures, "ms_lonekostnader", ar - 1))


@dataclass(frozen=True)
class NetEffect:
    """An effect for the committee, a cost it caused elsewhere in the municipality, and their sum."""

    gain: float
    cost_elsewhere: float

    @property
    def net(self) -> float:
        """The effect for the municipality as a whole."""
        return self.gain + self.cost_elsewhere


def restaurant_closure(figures: pd.DataFrame, ar: int) -> NetEffect:
    """Closing MS ÄO's open restaurants: the effect for MS ÄO, VON's added costs and the net (mnkr)."""
    return NetEffect(
        key_figure(figures, "ms_ao_restauranger_effekt", ar),
        key_figure(figures, "von_restauranger_kostnad", ar),
    )


def unexplained_remainder(
    explanations: pd.DataFrame, results: pd.DataFrame, areas: pd.DataFrame, area: str, ar: int
) -> float:
    """An area's budget deviation minus the items the text gives for it at the top level (mnkr).

    Items within another item (a "varav" of an item, not of the area's result) are not counted again.
    """
    per_area = result_per_area(results, areas, ar).set_index("omrade")
    items = area_explanations(explanations[explanations["ar"] == ar], area)
    roots = set(items.loc[items["overordnad"].isna(), "post_id"])
    top = items[items["overordnad"].isin(roots)]
    return float(per_area.loc[area, "avvikelse"] - top["belopp_mnkr"].sum())


def sample_period(risks: pd.DataFrame, ar: int, nr: int) -> str | None:
    """The period a risk's sample covers (``november 2022 – april 2023``), or None when not given."""
    hit = risks.loc[(risks["ar"] == ar) & (risks["nr"] == nr), "granskningsperiod"].dropna()
    return str(hit.iloc[0]) if len(hit) else None


def completion_off_steps(commitments: pd.DataFrame, steps: pd.DataFrame, ar: int) -> list[int]:
    """Numbers of the year's commitments whose degree of completion is not one of the year's steps."""
    allowed = set(fardiggrad_steps(steps, ar))
    part = commitments[(commitments["ar"] == ar) & commitments["fardiggrad"].notna()]
    return [int(r.nr) for r in part.itertuples() if int(r.fardiggrad) not in allowed]
