"""Claims of the source document, family ``summa``: printed totals against the sum of their parts."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import miljo, ms_ao
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.reconcile.lookups import (
    INVESTMENT_MEASURES,
    INVESTMENT_ROWS,
    RR_LINES,
    TYPE_LABELS,
    area_code,
    area_result,
    investment_figure,
    investment_rows,
    rr_figure,
)
from servicenamnden.reconcile.model import (
    CLAIMS,
    Check,
    explain_sum,
    lower_first,
    make_check,
    of_claim,
    rounding,
)
from servicenamnden.reconcile.sources import Sources, no_data


def ms_ao_totals(src: Sources) -> list[Check]:
    """MS ÄO: the printed total of every year against the sum of the cost categories."""
    costs = src.table("ms_ao_kostnader")
    totals = ms_ao.totals(costs)
    counts = costs.groupby("ar").size()
    out = []
    for claim, _ in src.matching(r"ms_ao_totalt_\d{4}", "tkr"):
        if claim.ar not in totals.index:
            raise no_data(claim, "ms_ao_kostnader.csv", f"år {claim.ar}")
        n = int(counts[claim.ar])
        out.append(
            of_claim(
                claim,
                family="summa",
                description=f"MS ÄO: totalkostnad {claim.ar} mot summan av de {n} kostnadsslagen",
                inputs=("ms_ao_kostnader.csv",),
                actual=float(totals[claim.ar]),
                tolerance=rounding(claim.decimals, "tkr", n),
                explain=explain_sum,
            )
        )
    return out


def resultatrakning_totals(src: Sources) -> list[Check]:
    """Resultaträkningen: every printed sum and budget deviation against the accounts."""
    rows, accounts = src.table("resultatrakning"), src.table("konton")
    names = dict(zip(accounts["konto"], accounts["benamning"], strict=True))
    out = []
    pattern = r"rr_(?P<post>[a-z_]+?)_(?P<typ>utfall|budget|avvikelse)_\d{4}"
    for claim, match in src.matching(pattern, "mnkr"):
        post, typ = match["post"], match["typ"]
        if post not in RR_LINES and post not in names:
            raise CheckDefinitionError(f"Påståendet {claim.id}: resultaträkningen har ingen rad '{post}'.")
        value, n = rr_figure(rows, accounts, post, claim.ar, typ)
        if pd.isna(value):
            raise no_data(claim, "resultatrakning.csv", f"{TYPE_LABELS[typ]} {claim.ar} för '{post}'")
        label = RR_LINES[post][2] if post in RR_LINES else names[post].lower()
        what = "utfall minus budget" if typ == "avvikelse" else "summan av kontona"
        out.append(
            of_claim(
                claim,
                family="summa",
                description=f"Resultaträkningen {claim.ar}: {label}, {TYPE_LABELS[typ]}, mot {what}",
                inputs=("resultatrakning.csv",),
                actual=value,
                tolerance=rounding(claim.decimals, "mnkr", n, 1),
                explain=explain_sum,
            )
        )
    return out


def driftredovisning_totals(src: Sources) -> list[Check]:
    """Driftredovisningen: the committee's sum per column and every area's budget deviation."""
    results = src.table("driftredovisning")
    names = dict(zip(src.table("omraden")["omrade"], src.table("omraden")["benamning"], strict=True))
    out = []
    specs = [
        (r"drift_summa_(?P<typ>utfall|budget|avvikelse)_\d{4}", lambda m: None),
        (r"drift_avvikelse_(?P<omr>[a-z0-9]+)_\d{4}", lambda m: area_code(m["omr"])),
    ]
    for pattern, area_of in specs:
        for claim, match in src.matching(pattern, "mnkr"):
            omrade = area_of(match)
            typ = match.groupdict().get("typ") or "avvikelse"
            value, n = area_result(results, omrade, claim.ar, typ)
            if pd.isna(value) or not n:
                raise no_data(claim, "driftredovisning.csv", f"{TYPE_LABELS[typ]} {claim.ar}")
            who = "summa servicenämnden" if omrade is None else lower_first(names.get(omrade, omrade))
            what = "utfall minus budget" if typ == "avvikelse" else "summan av områdena"
            out.append(
                of_claim(
                    claim,
                    family="summa",
                    description=f"Driftredovisningen {claim.ar}: {who}, {TYPE_LABELS[typ]}, mot {what}",
                    inputs=("driftredovisning.csv",),
                    actual=value,
                    tolerance=rounding(claim.decimals, "mnkr", n, 1),
                    explain=explain_sum,
                )
            )
    return out


def investment_totals(src: Sources) -> list[Check]:
    """Investeringsredovisningen: every sum and deviation, and the sum of the forecast deviations."""
    rows = src.table("investeringar")
    out = []
    pattern = rf"inv_(?P<rad>{'|'.join(INVESTMENT_ROWS)})_(?P<matt>{'|'.join(INVESTMENT_MEASURES)})"
    for claim, match in src.matching(pattern, "mnkr"):
        value, n = investment_figure(rows, match["rad"], match["matt"], claim.ar)
        if not n:
            raise no_data(claim, "investeringar.csv", f"{match['matt']} {claim.ar}")
        what = "utfall minus budget" if INVESTMENT_MEASURES[match["matt"]][1] else "summan av raderna"
        out.append(
            of_claim(
                claim,
                family="summa",
                description=(
                    f"Investeringar {claim.ar}: {INVESTMENT_ROWS[match['rad']][2]}, "
                    f"{INVESTMENT_MEASURES[match['matt']][2]}, mot {what}"
                ),
                inputs=("investeringar.csv",),
                actual=value,
                tolerance=rounding(claim.decimals, "mnkr", n, 1),
                explain=explain_sum,
            )
        )
    out.extend(_forecast_deviation_sums(src))
    return out


def _forecast_deviation_sums(src: Sources) -> list[Check]:
    """The sum rows' forecast deviation against the rows' printed ones (the forecast itself is not printed)."""
    out = []
    for claim, match in src.matching(r"inv_(?P<rad>summa|anlaggning_summa)_prognosavvikelse", "mnkr"):
        rows = investment_rows(src.table("investeringar"), match["rad"], claim.ar)
        codes = [
            c
            for c, (col, val, _) in INVESTMENT_ROWS.items()
            if col == "projekt" and val in set(rows["projekt"])
        ]
        parts = [
            src.claims[f"inv_{c}_prognosavvikelse"]
            for c in codes
            if f"inv_{c}_prognosavvikelse" in src.claims
        ]
        if not parts:
            raise no_data(claim, CLAIMS, "prognosavvikelse för raderna i summan")
        out.append(
            make_check(
                id=claim.id,
                family="summa",
                description=f"Investeringar {claim.ar}: {INVESTMENT_ROWS[match['rad']][2]}, prognosavvikelse, mot raderna",
                inputs=(CLAIMS,),
                expected=claim.value,
                actual=sum(p.value for p in parts),
                unit="mnkr",
                decimals=claim.decimals,
                tolerance=rounding(claim.decimals, "mnkr", len(parts), 1),
                claim_ids=(claim.id, *(p.id for p in parts)),
                explain=explain_sum,
            )
        )
    return out


SCHOOL_FORMS = {"forskola": "förskolan", "grundskola": "grundskolan", "gymnasiet": "gymnasiet"}
WASTE_KINDS = {"totalt": "totalt", "servering": "serveringssvinn", "tallrik": "tallrikssvinn"}


def food_waste_totals(src: Sources) -> list[Check]:
    """Matsvinn per school form: the printed total against serving plus plate waste."""
    waste = src.table("matsvinn")
    out = []
    for claim, match in src.matching(r"matsvinn_(?P<form>forskola|grundskola|gymnasiet)_totalt", "procent"):
        forms = miljo.food_waste(waste, claim.ar).set_index("verksamhet")
        if match["form"] not in forms.index or pd.isna(forms.loc[match["form"], "totalt"]):
            raise no_data(claim, "matsvinn.csv", f"serverings- och tallrikssvinn {claim.ar}")
        out.append(
            of_claim(
                claim,
                family="summa",
                description=f"Matsvinn {claim.ar} i {SCHOOL_FORMS[match['form']]}: totalt mot serveringssvinn plus tallrikssvinn",
                inputs=("matsvinn.csv",),
                actual=float(forms.loc[match["form"], "totalt"]),
                tolerance=rounding(claim.decimals, "procent"),
                explain=explain_sum,
            )
        )
    return out
