"""Claims of the source document, family ``harledd``: figures the text derives (shares, counts, estimates)."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import internkontroll, miljo
from servicenamnden.domain.ekonomi import FULL_TIME_HOURS_PER_WEEK, full_time_posts
from servicenamnden.present import fmt
from servicenamnden.reconcile.claims_sums import WASTE_KINDS
from servicenamnden.reconcile.lookups import (
    ADJUSTED_POSTS,
    area_result,
    explained_amount,
    explanation_tree,
    report_year,
    rr_figure,
)
from servicenamnden.reconcile.model import (
    EPSILON,
    MORE_THAN,
    Check,
    Explain,
    join_words,
    lower_first,
    make_check,
    of_claim,
    rounding,
    section_name,
)
from servicenamnden.reconcile.sources import Sources, no_data


def adjusted_comparison(src: Sources) -> list[Check]:
    """Revenue and personnel costs without the internal substitute pool, and their budget deviations."""
    rows, accounts = src.table("resultatrakning"), src.table("konton")
    adjustments = src.table("ekonomi_justeringar")
    out = []
    pattern = r"rr_text_(?P<post>intakter|personal)_(?P<matt>justerade|avvikelse_justerad)"
    for claim, match in src.matching(pattern, "mnkr"):
        post, sign, label = ADJUSTED_POSTS[match["post"]]
        konton = set(rows.loc[rows["grupp"] == "intakt", "konto"]) if post == "summa_intakter" else {post}
        pool = adjustments[(adjustments["ar"] == claim.ar) & adjustments["konto"].isin(konton)]["belopp_mnkr"]
        actual, n = rr_figure(rows, accounts, post, claim.ar, "utfall")
        if not n or not len(pool):
            raise no_data(
                claim, "resultatrakning.csv och ekonomi_justeringar.csv", f"utfall och justering {claim.ar}"
            )
        adjusted = sign * actual - float(pool.sum())
        value, inputs = adjusted, n + len(pool)
        what = f"{label} utan intern vikariepool: texten mot utfallet minus poolens {fmt.mnkr(pool.sum())}"
        if match["matt"] == "avvikelse_justerad":
            budget, n_budget = rr_figure(rows, accounts, post, claim.ar, "budget")
            value = (adjusted - sign * budget) * sign
            inputs += n_budget
            what = f"avvikelse mot budget för {label} utan intern vikariepool: texten mot beräknad"
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=f"Resultaträkningen {claim.ar}, {what}",
                inputs=("resultatrakning.csv", "ekonomi_justeringar.csv"),
                actual=value,
                tolerance=rounding(claim.decimals, "mnkr", inputs, 1),
            )
        )
    return out


def areas_reaching_budget(src: Sources) -> list[Check]:
    """ "Only område 2 reaches budget": the number of areas whose result is at least their budget."""
    results = src.table("driftredovisning")
    out = []
    for claim, _ in src.matching(r"omraden_nar_budget_[a-z_]+", "antal"):
        areas = sorted(a for a in set(results["omrade"]) if a.startswith("omrade_"))
        deviations = [area_result(results, a, claim.ar, "avvikelse")[0] for a in areas]
        if not areas or all(pd.isna(d) for d in deviations):
            raise no_data(claim, "driftredovisning.csv", f"utfall och budget {claim.ar}")
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=f"Områden som når budget {claim.ar}: {section_name(claim.avsnitt)} mot driftredovisningen",
                inputs=("driftredovisning.csv",),
                actual=float(sum(d >= 0 for d in deviations)),
                tolerance=(EPSILON, "antal, exakt"),
            )
        )
    return out


def environmental_goals_met(src: Sources) -> list[Check]:
    """Goals met, not met and in all, counted from target and outcome (the source's own word where no figure)."""
    goals = src.table("miljomal")
    waste, figures = src.table("matsvinn"), src.table("miljo_nyckeltal")
    out = []
    for claim, match in src.matching(r"miljomal_(?P<what>uppnadda|ej_uppnadda|antal)_[a-z_]+", "antal"):
        assessed = miljo.goals(goals, waste, figures, claim.ar)
        met, total = miljo.goals_met(assessed)
        value = {"uppnadda": met, "ej_uppnadda": total - met, "antal": total}[match["what"]]
        what = {"uppnadda": "som nås", "ej_uppnadda": "som inte nås", "antal": "totalt"}[match["what"]]
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=f"Miljömål {what} {claim.ar}: {section_name(claim.avsnitt)} mot målvärde och utfall",
                inputs=("miljomal.csv", "matsvinn.csv", "miljo_nyckeltal.csv"),
                actual=float(value),
                tolerance=(EPSILON, "antal, exakt"),
            )
        )
    return out


def school_food_waste(src: Sources) -> list[Check]:
    """Matsvinn for all school forms: the unweighted mean of förskola, grundskola and gymnasiet.

    The source does not say how it combines the forms; the unweighted mean gives its figures.
    """
    waste = src.table("matsvinn")
    out = []
    for claim, match in src.matching(r"matsvinn_skola_(?P<kind>totalt|servering|tallrik)", "procent"):
        forms = miljo.food_waste(waste, claim.ar)
        if forms.empty:
            raise no_data(claim, "matsvinn.csv", f"år {claim.ar}")
        value = miljo.school_food_waste(forms)[match["kind"]]
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=f"Matsvinn {claim.ar} i hela skolan, {WASTE_KINDS[match['kind']]}: ovägt medelvärde av skolformerna",
                inputs=("matsvinn.csv",),
                actual=value,
                tolerance=rounding(claim.decimals, "procent"),
            )
        )
    return out


def environment_ratios(src: Sources) -> list[Check]:
    """Shares and ratios in the environmental follow-up: furniture reused, stops per point and month."""
    figures = src.table("miljo_nyckeltal")
    specs = (
        (
            "mobler_aterbruk_andel",
            "procent",
            miljo.furniture_reuse_share,
            "Möbler återbrukade: (inkomna − kasserade) / inkomna",
        ),
        (
            "livsmedelstransporter_stopp_per_punkt",
            "antal",
            miljo.stops_per_point_and_month,
            "Livsmedelstransporter: stopp / leveranspunkter / månader",
        ),
    )
    out = []
    for claim_id, unit, compute, label in specs:
        for claim, _ in src.matching(claim_id, unit):
            value = compute(figures, claim.ar)
            if pd.isna(value):
                raise no_data(claim, "miljo_nyckeltal.csv", f"underlaget för {claim.ar}")
            out.append(
                of_claim(
                    claim,
                    family="harledd",
                    description=f"{label}, {claim.ar}",
                    inputs=("miljo_nyckeltal.csv",),
                    actual=value,
                    tolerance=rounding(claim.decimals, unit),
                )
            )
    return out


def estimates_in_prose(src: Sources) -> list[Check]:
    """Estimates: staff time saved by electric cars, the net effect of closing the restaurants."""
    figures = src.table("ovriga_nyckeltal")
    out = []
    for claim, _ in src.matching(r"ekonomi_elbilar_arsarbetare", "antal"):
        cars = miljo.key_figure(figures, "elbilar_i_kommunen", claim.ar)
        hours = miljo.key_figure(figures, "tidsbesparing_per_elbil", claim.ar)
        if pd.isna(cars) or pd.isna(hours):
            raise no_data(claim, "ovriga_nyckeltal.csv", f"elbilar och sparad tid {claim.ar}")
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=(
                    f"Elbilar {claim.ar}: {fmt.count(cars)} bilar × {fmt.number(hours)} timme i veckan, omräknat "
                    f"till heltider à {FULL_TIME_HOURS_PER_WEEK} timmar (källan: mer än {fmt.number(claim.value)})"
                ),
                inputs=("ovriga_nyckeltal.csv",),
                actual=full_time_posts(cars * hours),
                tolerance=(
                    0.0,
                    f"påståendet är en nedre gräns; heltid antagen till {FULL_TIME_HOURS_PER_WEEK} timmar i veckan",
                ),
                comparison=MORE_THAN,
            )
        )
    for claim, _ in src.matching(r"drift_text_ms_ao_restauranger_netto", "mnkr"):
        parts = [
            miljo.key_figure(figures, n, claim.ar)
            for n in ("ms_ao_restauranger_effekt", "von_restauranger_kostnad")
        ]
        if any(pd.isna(p) for p in parts):
            raise no_data(claim, "ovriga_nyckeltal.csv", f"restaurangstängningens effekter {claim.ar}")
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=f"Stängda restauranger {claim.ar}: nettoeffekt för kommunen = effekt för MS ÄO + kostnad för vård och omsorg",
                inputs=("ovriga_nyckeltal.csv",),
                actual=sum(parts),
                tolerance=rounding(claim.decimals, "mnkr", 2),
            )
        )
    return out


def internal_control(src: Sources) -> list[Check]:
    """Internal control: risk value = probability × consequence, and the counts the summaries state."""
    risks = internkontroll.risk_values(src.table("internkontroll_risker")).set_index("nr")
    out = []
    for claim, match in src.matching(r"ik_riskvarde_(?P<nr>\d+)", "poäng"):
        nr = int(match["nr"])
        if nr not in risks.index:
            raise no_data(claim, "internkontroll_risker.csv", f"risk {nr}")
        row = risks.loc[nr]
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=f"Internkontroll, risk {nr}: riskvärde = sannolikhet {int(row['sannolikhet'])} × konsekvens {int(row['konsekvens'])}",
                inputs=("internkontroll_risker.csv",),
                actual=float(row["riskvarde"]),
                tolerance=(EPSILON, "heltal, exakt"),
            )
        )
    sampled = risks[risks["kontrollmetod"] == "stickprov"]
    counts = {
        "antal_risker": (float(len(risks)), "prioriterade risker"),
        "antal_stickprov": (float(len(sampled)), "risker kontrollerade med stickprov"),
        "antal_utvecklingspunkt": (
            float((risks["kontrollmetod"] == "utvecklingspunkt").sum()),
            "risker som utvecklingspunkt",
        ),
        "stickprov_avvikelser": (
            float(sampled["antal_avvikelser"].fillna(0).sum()),
            "avvikelser i stickproven",
        ),
    }
    pattern = rf"ik_(?P<what>{'|'.join(counts)})_[a-z_]+"
    for claim, match in src.matching(pattern, "antal"):
        value, label = counts[match["what"]]
        explain = (
            _explain_sample_deviations(sampled, section_name(claim.avsnitt))
            if match["what"] == "stickprov_avvikelser"
            else None
        )
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=f"Internkontroll {claim.ar}, {label}: {section_name(claim.avsnitt)} mot riskregistret",
                inputs=("internkontroll_risker.csv",),
                actual=value,
                tolerance=(EPSILON, "antal, exakt"),
                explain=explain,
            )
        )
    return out + _follow_up_share(src)


def _explain_sample_deviations(sampled: pd.DataFrame, place: str) -> Explain:
    """The summaries say the samples found nothing; the risk register lists what they found."""

    def explain(check: Check) -> str:
        found = sampled[sampled["antal_avvikelser"].fillna(0) > 0]
        details = " ".join(f"Risk {nr}: {row['resultat']}" for nr, row in found.iterrows())
        return (
            f"Avsnittet {place} säger att stickproven inte visade några avvikelser, men granskningarna fann "
            f"{fmt.count(check.actual)}. {details} Texten räknar troligen bara lagbrott och "
            "otillbörlig påverkan som avvikelser, inte avsteg från kommunens egna riktlinjer."
        )

    return explain


def _follow_up_share(src: Sources) -> list[Check]:
    """The follow-up of last year's plan: the share still to book, from the share done."""
    follow_up = src.table("internkontroll_2022")
    out = []
    for claim, _ in src.matching(r"ik_\d{4}_apt_inbokat", "procent"):
        hit = follow_up[follow_up["atgard"].str.contains("APT", na=False)]["andel_genomfort_procent"].dropna()
        if len(hit) != 1:
            raise no_data(claim, "internkontroll_2022.csv", "en andel för APT-åtgärden")
        out.append(
            of_claim(
                claim,
                family="harledd",
                description=f"Uppföljning {claim.ar}: andel enheter med APT-informationen inbokad = 100 − andel genomförda",
                inputs=("internkontroll_2022.csv",),
                actual=100 - float(hit.iloc[0]),
                tolerance=rounding(claim.decimals, "procent", 1, 0),
            )
        )
    return out


AREA_UNITS = {  # area → (items that the text gives per unit, units of the area the text leaves out)
    "omrade_2": (("o2_hr_enheterna", "o2_kommunikation"), ""),
    "omrade_3": (("o3_ekonomiservice_bokslut", "o3_upphandling"), "nämnd och registratur"),
}


def area_unit_results(src: Sources) -> list[Check]:
    """The units' results the text gives for an area against the area's result in the table."""
    tree, results = explanation_tree(src), src.table("driftredovisning")
    areas = src.table("omraden").set_index("omrade")
    ar = report_year(src)
    out = []
    for area, (items, left_out) in AREA_UNITS.items():
        whole, n = area_result(results, area, ar, "avvikelse")
        amounts = [explained_amount(tree, results, item, ar)[0] for item in items]
        names = join_words([lower_first(str(tree.loc[i, "post"])) for i in items])
        out.append(
            make_check(
                id=f"enheter_{area}",
                family="harledd",
                description=f"{areas.loc[area, 'benamning']} {ar}: resultaten för {names} mot områdets resultat",
                inputs=("avvikelser_omraden.csv", "driftredovisning.csv"),
                expected=whole,
                actual=sum(amounts),
                unit="mnkr",
                decimals=1,
                tolerance=rounding(1, "mnkr", n - 1 + len(items), 1),
                explain=_explain_unexplained(left_out),
            )
        )
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
