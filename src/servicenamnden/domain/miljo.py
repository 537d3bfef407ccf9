"""Environmental goals and the figures behind them: met or not, computed from target and outcome."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain.provenance import Traced, andel, differens, kvot_av_produkt, select

MET, NOT_MET, QUALITATIVE = "uppfyllt", "ej uppfyllt", "kvalitativt"


def food_waste(rows: pd.DataFrame, ar: int) -> pd.DataFrame:
    """Per verksamhet: serving and plate waste and their sum (percent)."""
    part = rows[rows["ar"] == ar]
    wide = part.pivot_table(
        index="verksamhet", columns="svinntyp", values="andel_procent", aggfunc="sum", sort=False
    )
    for kind in ("servering", "tallrik"):
        if kind not in wide:
            wide[kind] = float("nan")
    wide["totalt"] = wide[["servering", "tallrik"]].sum(axis=1, min_count=2)
    return wide.reset_index()


def school_food_waste(
    waste: pd.DataFrame, schools: tuple[str, ...] = ("forskola", "grundskola", "gymnasiet")
) -> dict:
    """The school forms' waste as the source sums it: the unweighted mean of the forms (percent)."""
    part = waste[waste["verksamhet"].isin(schools)]
    return {k: float(part[k].mean()) for k in ("servering", "tallrik", "totalt")}


def key_figure(figures: pd.DataFrame, name: str, ar: int | None = None) -> float:
    """One value of a key-figure table (``nyckeltal``, ``ar``, ``varde``); NaN when absent."""
    part = figures[figures["nyckeltal"] == name]
    if ar is not None:
        part = part[part["ar"] == ar]
    return float(part["varde"].iloc[-1]) if len(part) else float("nan")


def traced_key_figure(figures: pd.DataFrame, name: str, ar: int) -> Traced:
    """:func:`key_figure` with its provenance: the row's ``varde``, in the unit its ``enhet`` column gives."""
    found = select(figures, "varde", nyckeltal=name, ar=ar)
    if "enhet" not in figures:
        return found
    units = figures.loc[(figures["nyckeltal"] == name) & (figures["ar"] == ar), "enhet"].dropna()
    return found.in_unit(str(units.iloc[-1])) if len(units) else found


def change_from_year_before(figures: pd.DataFrame, name: str, ar: int) -> float:
    """The key figure's change since the year before: computed from both years' values where the data hold
    them, else the change the source states on its own (``NAME_forandring``); NaN when neither is there."""
    now, before = key_figure(figures, name, ar), key_figure(figures, name, ar - 1)
    if not (pd.isna(now) or pd.isna(before)):
        return now - before
    return key_figure(figures, f"{name}_forandring", ar)


def furniture_reuse_share(figures: pd.DataFrame, ar: int) -> float:
    """Share of received furniture that was reused: (received − discarded) / received × 100."""
    received = key_figure(figures, "mobler_inkomna", ar)
    discarded = key_figure(figures, "mobler_kasserade", ar)
    return (received - discarded) / received * 100


def traced_change_from_year_before(figures: pd.DataFrame, name: str, ar: int) -> Traced:
    """:func:`change_from_year_before` with its provenance: both years' cells, or the stated change."""
    now, before = key_figure(figures, name, ar), key_figure(figures, name, ar - 1)
    if not (pd.isna(now) or pd.isna(before)):
        return differens(traced_key_figure(figures, name, ar), traced_key_figure(figures, name, ar - 1))
    return traced_key_figure(figures, f"{name}_forandring", ar)


def traced_furniture_reuse(figures: pd.DataFrame, ar: int) -> Traced:
    """:func:`furniture_reuse_share` with its provenance."""
    received = traced_key_figure(figures, "mobler_inkomna", ar)
    return andel(differens(received, traced_key_figure(figures, "mobler_kasserade", ar)), received)


def stops_per_point_and_month(figures: pd.DataFrame, ar: int) -> float:
    """Food deliveries: stops per delivery point and month."""
    return (
        key_figure(figures, "livsmedelstransporter_stopp", ar)
        / key_figure(figures, "livsmedelstransporter_leveransenheter", ar)
        / key_figure(figures, "livsmedelstransporter_manader", ar)
    )


def traced_stops_per_point_and_month(figures: pd.DataFrame, ar: int) -> Traced:
    """:func:`stops_per_point_and_month` with its provenance: the stops over delivery points times months."""
    return kvot_av_produkt(
        traced_key_figure(figures, "livsmedelstransporter_stopp", ar),
        traced_key_figure(figures, "livsmedelstransporter_leveransenheter", ar),
        traced_key_figure(figures, "livsmedelstransporter_manader", ar),
    )


def assess(direction: str, target: float, outcome: float, comparison: float) -> str:
    """Met or not from target and outcome; a goal without figures is qualitative."""
    if direction == "max" and not pd.isna(outcome):
        return MET if outcome <= target else NOT_MET
    if direction == "min" and not pd.isna(outcome):
        return MET if outcome >= target else NOT_MET
    if direction == "oka" and not pd.isna(outcome) and not pd.isna(comparison):
        return MET if outcome > comparison else NOT_MET
    return QUALITATIVE


def goals(goals_frame: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, ar: int) -> pd.DataFrame:
    """The environmental goals with outcome filled in where it is computed, and the assessment.

    ``bedomning`` is computed where target and outcome allow; otherwise the source's own assessment
    is kept and ``bedomning_grund`` says so.
    """
    from servicenamnden.domain.years import for_year

    out = for_year(goals_frame, ar, "miljömålen").sort_values("ordning").copy()
    computed_outcomes = {
        "matsvinn": school_food_waste(food_waste(waste, ar))["totalt"],
        "mobelaterbruk": furniture_reuse_share(figures, ar),
    }
    for goal, value in computed_outcomes.items():
        mask = (out["mal_id"] == goal) & out["utfall"].isna()
        out.loc[mask, "utfall"] = value
    assessed = [assess(r.riktning, r.malvarde, r.utfall, r.jamforelsevarde) for r in out.itertuples()]
    out["bedomning"] = [
        a if a != QUALITATIVE else r for a, r in zip(assessed, out["bedomning_kalla"], strict=True)
    ]
    out["bedomning_grund"] = ["beräknad" if a != QUALITATIVE else "källans bedömning" for a in assessed]
    return out


def goal_margins(assessed: pd.DataFrame) -> pd.DataFrame:
    """Per goal with a figure: how far the outcome is from its target, in percent of the target.

    Positive means better than the target (below a maximum, above a minimum, above last year for a
    goal to increase); goals without a figure to compare are left out.
    """
    rows = []
    for r in assessed.itertuples():
        reference = r.jamforelsevarde if r.riktning == "oka" else r.malvarde
        if r.riktning not in {"max", "min", "oka"} or pd.isna(r.utfall) or pd.isna(reference):
            continue
        better = reference - r.utfall if r.riktning == "max" else r.utfall - reference
        rows.append(
            {
                "mal_id": r.mal_id,
                "mal": r.mal,
                "riktning": r.riktning,
                "utfall": float(r.utfall),
                "referens": float(reference),
                "enhet": r.enhet,
                "jamforelse_ar": r.jamforelse_ar,
                "marginal_procent": better / reference * 100,
                "uppfyllt": r.bedomning == MET,
            }
        )
    return pd.DataFrame(rows)


def goals_met(assessed: pd.DataFrame) -> tuple[int, int]:
    """(number met, number of goals)."""
    return int((assessed["bedomning"] == MET).sum()), len(assessed)


def food_waste_target(goals_frame: pd.DataFrame, ar: int) -> float:
    """The year's food-waste target (percent) from the goals file."""
    from servicenamnden.domain.years import for_year

    part = for_year(goals_frame, ar, "miljömålen")
    return float(part.loc[part["mal_id"] == "matsvinn", "malvarde"].iloc[0])


def food_waste_for_year(waste: pd.DataFrame, ar: int) -> pd.DataFrame:
    """:func:`food_waste` for ``ar``, or :class:`MissingYearError` when the year was not measured."""
    from servicenamnden.domain.years import require_years

    require_years(waste, ar, "matsvinn")
    return food_waste(waste, ar)
