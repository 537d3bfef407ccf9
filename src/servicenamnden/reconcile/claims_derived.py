"""Claims of the source document, family ``harledd``: figures the text derives (shares, counts, estimates).

Each rule row (:data:`RULES`) names the claims it judges, how the figure is derived and the tolerance;
the engine (:mod:`.engine`) makes the checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial

import pandas as pd

from servicenamnden.domain import internkontroll, miljo
from servicenamnden.domain.ekonomi import FULL_TIME_HOURS_PER_WEEK, full_time_posts
from servicenamnden.domain.provenance import Cell
from servicenamnden.present import fmt
from servicenamnden.reconcile.claims_sums import SCHOOL_FORMS, WASTE_KINDS
from servicenamnden.reconcile.engine import Found, Rule, bound, exact, rounded
from servicenamnden.reconcile.lookups import (
    ADJUSTED_POSTS,
    area_cells,
    area_result,
    explained_amount,
    explained_cells,
    explanation_tree,
    report_year,
    rr_cells,
    rr_figure,
)
from servicenamnden.reconcile.model import MORE_THAN, Check, Claim, Explain, lower_first, section_name
from servicenamnden.reconcile.sources import Sources, no_data

Match = re.Match[str]

AREA_UNITS = {  # area → (items that the text gives per unit, units of the area the text leaves out)
    "omrade_2": (("o2_hr_enheterna", "o2_kommunikation"), ""),
    "omrade_3": (("o3_ekonomiservice_bokslut", "o3_upphandling"), "nämnd och registratur"),
}


def area_units(src: Sources) -> list[Found]:
    """The units' results the text gives for an area, against the area's result in the table."""
    tree, results = explanation_tree(src), src.table("driftredovisning")
    areas = src.table("omraden").set_index("omrade")
    ar = report_year(src)
    out = []
    for area, (items, left_out) in AREA_UNITS.items():
        whole, n = area_result(results, area, ar, "avvikelse")
        amounts = [explained_amount(tree, results, item, ar)[0] for item in items]
        words = {
            "area": area,
            "name": areas.loc[area, "benamning"],
            "ar": ar,
            "units": fmt.join([lower_first(str(tree.loc[i, "post"])) for i in items]),
        }
        found = Found(sum(amounts), n - 1 + len(items), words, whole, explain=_explain_unexplained(left_out))
        cells = tuple(c for item in items for c in explained_cells(src, item, ar))
        out.append(replace(found, cells=cells, stated_cells=area_cells(results, area, ar, "avvikelse")))
    return out


def _explain_unexplained(left_out: str) -> Explain:
    """The part of an area's result that the text leaves out, and where it likely belongs."""

    def explain(check: Check) -> str:
        text = (
            f"Texten anger resultat för en del av områdets enheter, tillsammans {check.actual_text}; områdets "
            f"resultat är {check.expected_text}. Resten, {check.difference_text}, förklaras inte i texten"
        )
        return text + (f"; det bör avse {left_out}, som texten inte nämner." if left_out else ".")

    return explain


def adjusted(src: Sources, claim: Claim, match: Match) -> Found:
    """Revenue or personnel costs without the internal substitute pool, or their budget deviation."""
    rows, accounts = src.table("resultatrakning"), src.table("konton")
    adjustments = src.table("ekonomi_justeringar")
    post, sign, label = ADJUSTED_POSTS[match["post"]]
    konton = set(rows.loc[rows["grupp"] == "intakt", "konto"]) if post == "summa_intakter" else {post}
    pool = adjustments[(adjustments["ar"] == claim.ar) & adjustments["konto"].isin(konton)]["belopp_mnkr"]
    actual, n = rr_figure(rows, accounts, post, claim.ar, "utfall")
    if not n or not len(pool):
        raise no_data(
            claim, "resultatrakning.csv och ekonomi_justeringar.csv", f"utfall och justering {claim.ar}"
        )
    value = sign * actual - float(pool.sum())
    what = f"{label} utan intern vikariepool: texten mot utfallet minus poolens {fmt.mnkr(pool.sum())}"
    cells = rr_cells(rows, post, claim.ar, "utfall") + src.cells(
        "ekonomi_justeringar", "belopp_mnkr", ar=claim.ar, konto=sorted(konton)
    )
    if match["matt"] == "avvikelse_justerad":
        budget, n_budget = rr_figure(rows, accounts, post, claim.ar, "budget")
        return Found(
            (value - sign * budget) * sign,
            n + len(pool) + n_budget,
            {"what": f"avvikelse mot budget för {label} utan intern vikariepool: texten mot beräknad"},
            cells=cells + rr_cells(rows, post, claim.ar, "budget"),
        )
    return Found(value, n + len(pool), {"what": what}, cells=cells)


def areas_reaching_budget(src: Sources, claim: Claim, match: Match) -> Found:
    """The number of areas whose result is at least their budget ("only område 2 reaches budget")."""
    results = src.table("driftredovisning")
    areas = sorted(a for a in set(results["omrade"]) if a.startswith("omrade_"))
    deviations = [area_result(results, a, claim.ar, "avvikelse")[0] for a in areas]
    if not areas or all(pd.isna(d) for d in deviations):
        raise no_data(claim, "driftredovisning.csv", f"utfall och budget {claim.ar}")
    cells = tuple(c for a in areas for c in area_cells(results, a, claim.ar, "avvikelse"))
    return Found(float(sum(d >= 0 for d in deviations)), cells=cells)


GOAL_COUNTS = {"uppnadda": "som nås", "ej_uppnadda": "som inte nås", "antal": "totalt"}


def goals_met(src: Sources, claim: Claim, match: Match) -> Found:
    """Goals met, not met or in all, counted from target and outcome (the source's own word where no figure)."""
    assessed = miljo.goals(
        src.table("miljomal"), src.table("matsvinn"), src.table("miljo_nyckeltal"), claim.ar
    )
    met, total = miljo.goals_met(assessed)
    value = {"uppnadda": met, "ej_uppnadda": total - met, "antal": total}[match["what"]]
    goals = list(assessed["mal_id"])
    cells = (
        tuple(c for column in GOAL_COLUMNS for c in src.cells("miljomal", column, ar=claim.ar, mal_id=goals))
        + school_waste_cells(src, claim.ar, ["servering", "tallrik"])
        + miljo.traced_furniture_reuse(src.table("miljo_nyckeltal"), claim.ar).cells
    )
    return Found(float(value), words={"what": GOAL_COUNTS[match["what"]]}, cells=cells)


GOAL_COLUMNS = ("malvarde", "utfall", "jamforelsevarde")  # what the assessment of a goal reads


def school_waste_cells(src: Sources, ar: int, kinds: list[str]) -> tuple[Cell, ...]:
    """The food-waste cells of the three school forms (serving, plate waste or both)."""
    return src.cells("matsvinn", "andel_procent", ar=ar, verksamhet=list(SCHOOL_FORMS), svinntyp=kinds)


def school_food_waste(src: Sources, claim: Claim, match: Match) -> Found:
    """Matsvinn for all school forms: the unweighted mean of förskola, grundskola and gymnasiet.

    The source does not say how it combines the forms; the unweighted mean gives its figures.
    """
    forms = miljo.food_waste(src.table("matsvinn"), claim.ar)
    if forms.empty:
        raise no_data(claim, "matsvinn.csv", f"år {claim.ar}")
    kinds = ["servering", "tallrik"] if match["kind"] == "totalt" else [match["kind"]]
    return Found(
        miljo.school_food_waste(forms)[match["kind"]],
        words={"kind": WASTE_KINDS[match["kind"]]},
        cells=school_waste_cells(src, claim.ar, kinds),
    )


def key_ratio(
    compute: Callable[[pd.DataFrame, int], float], names: tuple[str, ...]
) -> Callable[[Sources, Claim, Match], Found]:
    """A ratio of the environmental key figures ``names``, computed by the domain function ``compute``."""

    def found(src: Sources, claim: Claim, match: Match) -> Found:
        value = compute(src.table("miljo_nyckeltal"), claim.ar)
        if pd.isna(value):
            raise no_data(claim, "miljo_nyckeltal.csv", f"underlaget för {claim.ar}")
        return Found(value, cells=key_cells(src, "miljo_nyckeltal", names, claim.ar))

    return found


def key_cells(src: Sources, file: str, names: tuple[str, ...], ar: int) -> tuple[Cell, ...]:
    """The ``varde`` cells of the key figures ``names`` in ``file`` for ``ar``, in that order."""
    return tuple(c for name in names for c in src.cells(file, "varde", nyckeltal=name, ar=ar))


def electric_cars(src: Sources, claim: Claim, match: Match) -> Found:
    """Staff time saved by electric cars, in full-time posts."""
    figures = src.table("ovriga_nyckeltal")
    cars = miljo.key_figure(figures, "elbilar_i_kommunen", claim.ar)
    hours = miljo.key_figure(figures, "tidsbesparing_per_elbil", claim.ar)
    if pd.isna(cars) or pd.isna(hours):
        raise no_data(claim, "ovriga_nyckeltal.csv", f"elbilar och sparad tid {claim.ar}")
    words = {"cars": fmt.count(cars), "hours": fmt.number(hours), "value": fmt.number(claim.value)}
    cells = key_cells(src, "ovriga_nyckeltal", ("elbilar_i_kommunen", "tidsbesparing_per_elbil"), claim.ar)
    return Found(full_time_posts(cars * hours), words=words, cells=cells)


def closed_restaurants(src: Sources, claim: Claim, match: Match) -> Found:
    """The net effect of closing the restaurants: the effect for MS ÄO plus the cost for vård och omsorg."""
    figures = src.table("ovriga_nyckeltal")
    names = ("ms_ao_restauranger_effekt", "von_restauranger_kostnad")
    parts = [miljo.key_figure(figures, n, claim.ar) for n in names]
    if any(pd.isna(p) for p in parts):
        raise no_data(claim, "ovriga_nyckeltal.csv", f"restaurangstängningens effekter {claim.ar}")
    return Found(sum(parts), 2, cells=key_cells(src, "ovriga_nyckeltal", names, claim.ar))


def risk_value(src: Sources, claim: Claim, match: Match) -> Found:
    """Internal control: a risk's value, probability × consequence."""
    risks = internkontroll.risk_values(src.table("internkontroll_risker")).set_index("nr")
    nr = int(match["nr"])
    if nr not in risks.index:
        raise no_data(claim, "internkontroll_risker.csv", f"risk {nr}")
    row = risks.loc[nr]
    words = {"nr": nr, "p": int(row["sannolikhet"]), "k": int(row["konsekvens"])}
    cells = tuple(
        c
        for column in ("sannolikhet", "konsekvens")
        for c in src.cells("internkontroll_risker", column, nr=nr)
    )
    return Found(float(row["riskvarde"]), words=words, cells=cells)


RISK_COUNTS = {  # claim id part → what is counted in the risk register
    "antal_risker": "prioriterade risker",
    "antal_stickprov": "risker kontrollerade med stickprov",
    "antal_utvecklingspunkt": "risker som utvecklingspunkt",
    "stickprov_avvikelser": "avvikelser i stickproven",
}


def risk_count(src: Sources, claim: Claim, match: Match) -> Found:
    """Internal control: a count the summaries state, from the risk register."""
    risks = internkontroll.risk_values(src.table("internkontroll_risker")).set_index("nr")
    sampled = risks[risks["kontrollmetod"] == "stickprov"]
    value = {
        "antal_risker": len(risks),
        "antal_stickprov": len(sampled),
        "antal_utvecklingspunkt": (risks["kontrollmetod"] == "utvecklingspunkt").sum(),
        "stickprov_avvikelser": sampled["antal_avvikelser"].fillna(0).sum(),
    }[match["what"]]
    explain = _explain_sample_deviations(sampled, claim) if match["what"] == "stickprov_avvikelser" else None
    counted = {  # the rows counted (their numbers), or the deviations summed
        "antal_risker": ("nr", list(risks.index)),
        "antal_stickprov": ("nr", list(sampled.index)),
        "antal_utvecklingspunkt": ("nr", list(risks.index[risks["kontrollmetod"] == "utvecklingspunkt"])),
        "stickprov_avvikelser": ("antal_avvikelser", list(sampled.index)),
    }[match["what"]]
    cells = src.cells("internkontroll_risker", counted[0], nr=[int(n) for n in counted[1]])
    return Found(float(value), words={"label": RISK_COUNTS[match["what"]]}, explain=explain, cells=cells)


def _explain_sample_deviations(sampled: pd.DataFrame, claim: Claim) -> Explain:
    """The summaries say the samples found nothing; the risk register lists what they found."""

    def explain(check: Check) -> str:
        found = sampled[sampled["antal_avvikelser"].fillna(0) > 0]
        details = " ".join(f"Risk {nr}: {row['resultat']}" for nr, row in found.iterrows())
        return (
            f"Avsnittet {section_name(claim.avsnitt)} säger att stickproven inte "
            f"visade några avvikelser, men granskningarna fann {fmt.count(check.actual)}. {details} Texten räknar "
            "troligen bara lagbrott och otillbörlig påverkan som avvikelser, inte avsteg från kommunens egna riktlinjer."
        )

    return explain


def follow_up_share(src: Sources, claim: Claim, match: Match) -> Found:
    """The follow-up of last year's plan: the share still to book, from the share done."""
    follow_up = src.table("internkontroll_2022")
    rows = follow_up[follow_up["atgard"].str.contains("APT", na=False)]
    hit = rows["andel_genomfort_procent"].dropna()
    if len(hit) != 1:
        raise no_data(claim, "internkontroll_2022.csv", "en andel för APT-åtgärden")
    cells = src.cells("internkontroll_2022", "andel_genomfort_procent", nr=[int(n) for n in rows["nr"]])
    return Found(100 - float(hit.iloc[0]), 1, cells=cells)


EXACT_COUNT = exact("antal, exakt")

_row = partial(Rule, family="harledd")  # a row of this family

RULES = (
    _row(
        id="enheter",
        compute=area_units,
        check_id="enheter_{area}",
        description="{name} {ar}: resultaten för {units} mot områdets resultat",
        inputs=("avvikelser_omraden.csv", "driftredovisning.csv"),
        unit="mnkr",
        decimals=1,
        tolerance=rounded(1),
    ),
    _row(
        id="rr_text_justerade",
        claims=r"rr_text_(?P<post>intakter|personal)_(?P<matt>justerade|avvikelse_justerad)",
        unit="mnkr",
        compute=adjusted,
        description="Resultaträkningen {ar}, {what}",
        inputs=("resultatrakning.csv", "ekonomi_justeringar.csv"),
        tolerance=rounded(1),
    ),
    _row(
        id="omraden_nar_budget",
        claims=r"omraden_nar_budget_[a-z_]+",
        unit="antal",
        compute=areas_reaching_budget,
        description="Områden som når budget {ar}: {place} mot driftredovisningen",
        inputs=("driftredovisning.csv",),
        tolerance=EXACT_COUNT,
    ),
    _row(
        id="miljomal_antal",
        claims=r"miljomal_(?P<what>uppnadda|ej_uppnadda|antal)_[a-z_]+",
        unit="antal",
        compute=goals_met,
        description="Miljömål {what} {ar}: {place} mot målvärde och utfall",
        inputs=("miljomal.csv", "matsvinn.csv", "miljo_nyckeltal.csv"),
        tolerance=EXACT_COUNT,
    ),
    _row(
        id="matsvinn_skola",
        claims=r"matsvinn_skola_(?P<kind>totalt|servering|tallrik)",
        unit="procent",
        compute=school_food_waste,
        description="Matsvinn {ar} i hela skolan, {kind}: ovägt medelvärde av skolformerna",
        inputs=("matsvinn.csv",),
        tolerance=rounded(),
    ),
    _row(
        id="mobler_aterbruk_andel",
        claims="mobler_aterbruk_andel",
        unit="procent",
        compute=key_ratio(miljo.furniture_reuse_share, ("mobler_inkomna", "mobler_kasserade")),
        description="Möbler återbrukade: (inkomna − kasserade) / inkomna, {ar}",
        inputs=("miljo_nyckeltal.csv",),
        tolerance=rounded(),
    ),
    _row(
        id="livsmedelstransporter_stopp_per_punkt",
        claims="livsmedelstransporter_stopp_per_punkt",
        unit="antal",
        compute=key_ratio(
            miljo.stops_per_point_and_month,
            (
                "livsmedelstransporter_stopp",
                "livsmedelstransporter_leveransenheter",
                "livsmedelstransporter_manader",
            ),
        ),
        description="Livsmedelstransporter: stopp / leveranspunkter / månader, {ar}",
        inputs=("miljo_nyckeltal.csv",),
        tolerance=rounded(),
    ),
    _row(
        id="ekonomi_elbilar_arsarbetare",
        claims="ekonomi_elbilar_arsarbetare",
        unit="antal",
        compute=electric_cars,
        description=(
            "Elbilar {ar}: {cars} bilar × {hours} timme i veckan, omräknat till heltider à "
            f"{FULL_TIME_HOURS_PER_WEEK} timmar (källan: mer än {{value}})"
        ),
        inputs=("ovriga_nyckeltal.csv",),
        tolerance=bound(
            f"påståendet är en nedre gräns; heltid antagen till {FULL_TIME_HOURS_PER_WEEK} timmar i veckan"
        ),
        comparison=MORE_THAN,
    ),
    _row(
        id="drift_text_ms_ao_restauranger_netto",
        claims="drift_text_ms_ao_restauranger_netto",
        unit="mnkr",
        compute=closed_restaurants,
        description=(
            "Stängda restauranger {ar}: nettoeffekt för kommunen = effekt för MS ÄO + kostnad för vård och omsorg"
        ),
        inputs=("ovriga_nyckeltal.csv",),
        tolerance=rounded(),
    ),
    _row(
        id="ik_riskvarde",
        claims=r"ik_riskvarde_(?P<nr>\d+)",
        unit="poäng",
        compute=risk_value,
        description="Internkontroll, risk {nr}: riskvärde = sannolikhet {p} × konsekvens {k}",
        inputs=("internkontroll_risker.csv",),
        tolerance=exact("heltal, exakt"),
    ),
    _row(
        id="ik_antal",
        claims=rf"ik_(?P<what>{'|'.join(RISK_COUNTS)})_[a-z_]+",
        unit="antal",
        compute=risk_count,
        description="Internkontroll {ar}, {label}: {place} mot riskregistret",
        inputs=("internkontroll_risker.csv",),
        tolerance=EXACT_COUNT,
    ),
    _row(
        id="ik_apt_inbokat",
        claims=r"ik_\d{4}_apt_inbokat",
        unit="procent",
        compute=follow_up_share,
        description="Uppföljning {ar}: andel enheter med APT-informationen inbokad = 100 − andel genomförda",
        inputs=("internkontroll_2022.csv",),
        tolerance=rounded(0),
    ),
)
