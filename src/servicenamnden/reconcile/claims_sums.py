"""Claims of the source document, family ``summa``: printed totals against the sum of their parts.

Each rule row (:data:`RULES`) names the claims it judges, the sum it computes and the tolerance; the
engine (:mod:`.engine`) makes the checks.
"""

from __future__ import annotations

import re
from functools import partial

import pandas as pd

from servicenamnden.domain import miljo, ms_ao
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.reconcile.engine import Found, Rule, rounded
from servicenamnden.reconcile.lookups import (
    INVESTMENT_MEASURES,
    INVESTMENT_ROWS,
    RR_LINES,
    TYPE_LABELS,
    area_cells,
    area_code,
    area_result,
    investment_cells,
    investment_figure,
    investment_rows,
    rr_cells,
    rr_figure,
)
from servicenamnden.reconcile.model import CLAIMS, Claim, explain_sum, lower_first
from servicenamnden.reconcile.sources import Sources, no_data

Match = re.Match[str]


def ms_ao_total(src: Sources, claim: Claim, match: Match) -> Found:
    """MS ÄO: the sum of the year's cost categories."""
    costs = src.table("ms_ao_kostnader")
    totals = ms_ao.totals(costs)
    if claim.ar not in totals.index:
        raise no_data(claim, "ms_ao_kostnader.csv", f"år {claim.ar}")
    n = int(costs.groupby("ar").size()[claim.ar])
    cells = src.cells("ms_ao_kostnader", "belopp_tkr", ar=claim.ar)
    return Found(float(totals[claim.ar]), n, {"n": n}, cells=cells)


def income_statement_line(src: Sources, claim: Claim, match: Match) -> Found:
    """Resultaträkningen: a line's sum of accounts, or its utfall minus budget."""
    rows, accounts = src.table("resultatrakning"), src.table("konton")
    names = dict(zip(accounts["konto"], accounts["benamning"], strict=True))
    post, typ = match["post"], match["typ"]
    if post not in RR_LINES and post not in names:
        raise CheckDefinitionError(f"Påståendet {claim.id}: resultaträkningen har ingen rad '{post}'.")
    value, n = rr_figure(rows, accounts, post, claim.ar, typ)
    if pd.isna(value):
        raise no_data(claim, "resultatrakning.csv", f"{TYPE_LABELS[typ]} {claim.ar} för '{post}'")
    label = RR_LINES[post][2] if post in RR_LINES else names[post].lower()
    what = "utfall minus budget" if typ == "avvikelse" else "summan av kontona"
    cells = rr_cells(rows, post, claim.ar, typ)
    return Found(value, n, {"label": label, "typ": TYPE_LABELS[typ], "what": what}, cells=cells)


def area_line(src: Sources, claim: Claim, match: Match) -> Found:
    """Driftredovisningen: the committee's (or, with ``omr``, an area's) sum or deviation."""
    results = src.table("driftredovisning")
    names = dict(zip(src.table("omraden")["omrade"], src.table("omraden")["benamning"], strict=True))
    omrade = area_code(match["omr"]) if "omr" in match.groupdict() else None
    typ = match.groupdict().get("typ") or "avvikelse"
    value, n = area_result(results, omrade, claim.ar, typ)
    if pd.isna(value) or not n:
        raise no_data(claim, "driftredovisning.csv", f"{TYPE_LABELS[typ]} {claim.ar}")
    who = "summa servicenämnden" if omrade is None else lower_first(names.get(omrade, omrade))
    what = "utfall minus budget" if typ == "avvikelse" else "summan av områdena"
    cells = area_cells(results, omrade, claim.ar, typ)
    return Found(value, n, {"who": who, "typ": TYPE_LABELS[typ], "what": what}, cells=cells)


def investment_line(src: Sources, claim: Claim, match: Match) -> Found:
    """Investeringsredovisningen: a row's measure, or its outcome minus budget."""
    rows = src.table("investeringar")
    value, n = investment_figure(rows, match["rad"], match["matt"], claim.ar)
    if not n:
        raise no_data(claim, "investeringar.csv", f"{match['matt']} {claim.ar}")
    measure = INVESTMENT_MEASURES[match["matt"]]
    words = {
        "row": INVESTMENT_ROWS[match["rad"]][2],
        "measure": measure[2],
        "what": "utfall minus budget" if measure[1] else "summan av raderna",
    }
    return Found(value, n, words, cells=investment_cells(rows, match["rad"], match["matt"], claim.ar))


def forecast_deviation_rows(src: Sources, claim: Claim, match: Match) -> Found:
    """The rows' printed forecast deviations (the forecast itself is not printed)."""
    rows = investment_rows(src.table("investeringar"), match["rad"], claim.ar)
    codes = [
        c for c, (col, val, _) in INVESTMENT_ROWS.items() if col == "projekt" and val in set(rows["projekt"])
    ]
    parts = [
        src.claims[f"inv_{c}_prognosavvikelse"] for c in codes if f"inv_{c}_prognosavvikelse" in src.claims
    ]
    if not parts:
        raise no_data(claim, CLAIMS, "prognosavvikelse för raderna i summan")
    words = {"row": INVESTMENT_ROWS[match["rad"]][2]}
    return Found(sum(p.value for p in parts), len(parts), words, claim_ids=tuple(p.id for p in parts))


SCHOOL_FORMS = {"forskola": "förskolan", "grundskola": "grundskolan", "gymnasiet": "gymnasiet"}
WASTE_KINDS = {"totalt": "totalt", "servering": "serveringssvinn", "tallrik": "tallrikssvinn"}


def school_form_waste(src: Sources, claim: Claim, match: Match) -> Found:
    """Matsvinn in one school form: serving plus plate waste."""
    forms = miljo.food_waste(src.table("matsvinn"), claim.ar).set_index("verksamhet")
    if match["form"] not in forms.index or pd.isna(forms.loc[match["form"], "totalt"]):
        raise no_data(claim, "matsvinn.csv", f"serverings- och tallrikssvinn {claim.ar}")
    cells = src.cells(
        "matsvinn", "andel_procent", ar=claim.ar, verksamhet=match["form"], svinntyp=["servering", "tallrik"]
    )
    return Found(
        float(forms.loc[match["form"], "totalt"]), words={"form": SCHOOL_FORMS[match["form"]]}, cells=cells
    )


# A row of this family: a total against its parts; a difference is explained as a sum's.
_row = partial(Rule, family="summa", explain=explain_sum)

RULES = (
    _row(
        id="ms_ao_totalt",
        claims=r"ms_ao_totalt_\d{4}",
        unit="tkr",
        compute=ms_ao_total,
        description="MS ÄO: totalkostnad {ar} mot summan av de {n} kostnadsslagen",
        inputs=("ms_ao_kostnader.csv",),
        tolerance=rounded(),
    ),
    _row(
        id="resultatrakning_summor",
        claims=r"rr_(?P<post>[a-z_]+?)_(?P<typ>utfall|budget|avvikelse)_\d{4}",
        unit="mnkr",
        compute=income_statement_line,
        description="Resultaträkningen {ar}: {label}, {typ}, mot {what}",
        inputs=("resultatrakning.csv",),
        tolerance=rounded(1),
    ),
    _row(
        id="driftredovisning_summor",
        claims=r"drift_summa_(?P<typ>utfall|budget|avvikelse)_\d{4}",
        unit="mnkr",
        compute=area_line,
        description="Driftredovisningen {ar}: {who}, {typ}, mot {what}",
        inputs=("driftredovisning.csv",),
        tolerance=rounded(1),
    ),
    _row(
        id="driftredovisning_omraden",
        claims=r"drift_avvikelse_(?P<omr>[a-z0-9]+)_\d{4}",
        unit="mnkr",
        compute=area_line,
        description="Driftredovisningen {ar}: {who}, {typ}, mot {what}",
        inputs=("driftredovisning.csv",),
        tolerance=rounded(1),
    ),
    _row(
        id="investeringar_summor",
        claims=rf"inv_(?P<rad>{'|'.join(INVESTMENT_ROWS)})_(?P<matt>{'|'.join(INVESTMENT_MEASURES)})",
        unit="mnkr",
        compute=investment_line,
        description="Investeringar {ar}: {row}, {measure}, mot {what}",
        inputs=("investeringar.csv",),
        tolerance=rounded(1),
    ),
    _row(
        id="investeringar_prognosavvikelse",
        claims=r"inv_(?P<rad>summa|anlaggning_summa)_prognosavvikelse",
        unit="mnkr",
        compute=forecast_deviation_rows,
        description="Investeringar {ar}: {row}, prognosavvikelse, mot raderna",
        inputs=(CLAIMS,),
        tolerance=rounded(1),
    ),
    _row(
        id="matsvinn_skolform",
        claims=r"matsvinn_(?P<form>forskola|grundskola|gymnasiet)_totalt",
        unit="procent",
        compute=school_form_waste,
        description="Matsvinn {ar} i {form}: totalt mot serveringssvinn plus tallrikssvinn",
        inputs=("matsvinn.csv",),
        tolerance=rounded(),
    ),
)
