"""The year's own checks: the data of the report year against themselves, for every year.

Each rule row (:data:`RULES`) says what is compared with what and within which tolerance; the engine
(:mod:`.engine`) makes the checks. A row whose input lacks the year finds a check that cannot be made
(``Found.lacking``), with what is lacking in words, instead of stopping the build.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import pandas as pd

from servicenamnden.domain import ms_ao, sjukfranvaro
from servicenamnden.present import fmt
from servicenamnden.reconcile.engine import Found, Rule, bound, computed, exact, rounded
from servicenamnden.reconcile.lookups import (
    TYPE_LABELS,
    area_cells,
    area_result,
    explained_amount,
    explained_cells,
    explanation_tree,
    investment_cells,
    investment_figure,
    report_year,
    rr_cells,
    rr_figure,
)
from servicenamnden.reconcile.model import (
    AT_LEAST,
    EPSILON,
    YEAR_DATA,
    Check,
    Claim,
    Explain,
    explain_sum,
    lower_first,
)
from servicenamnden.reconcile.sources import Sources
from servicenamnden.reconcile.year_fees import FEE_RULE


def _lacking(src: Sources, names: list[tuple[str, int]]) -> str:
    """What the year's data lack, in words: each file without rows for its year."""
    return fmt.join([src.no_rows(name, ar) for name, ar in names])


def result_against_areas(src: Sources) -> list[Found]:
    """The income statement's result (incl. the resultatfond) and the sum of the areas' results."""
    rows, accounts, results = src.table("resultatrakning"), src.table("konton"), src.table("driftredovisning")
    ar = report_year(src)
    out = []
    for typ in ("utfall", "budget"):
        statement, n_statement = rr_figure(rows, accounts, "summa_rr", ar, typ)
        areas, n_areas = area_result(results, None, ar, typ)
        words = {"ar": ar, "typ": typ, "label": TYPE_LABELS[typ]}
        if not n_statement or not n_areas:
            files = [
                (name, ar)
                for name, n in (("resultatrakning", n_statement), ("driftredovisning", n_areas))
                if not n
            ]
            out.append(Found(words=words, lacking=_lacking(src, files)))
            continue
        n = n_statement + n_areas
        reason = f"summor av {n_statement} respektive {n_areas} belopp avrundade till 0,1 mnkr (högst {n} × 0,05 mnkr)"
        found = Found(areas, words=words, expected=statement, tolerance=(0.05 * n + EPSILON, reason))
        cells, stated = area_cells(results, None, ar, typ), rr_cells(rows, "summa_rr", ar, typ)
        out.append(replace(found, cells=cells, stated_cells=stated))
    return out


def _explain_statements_differ(check: Check) -> str:
    """The two statements give the committee different results."""
    return (
        f"Resultaträkningen ger {check.expected_text} och driftredovisningens områden tillsammans "
        f"{check.actual_text}. Skillnaden är större än avrundning kan förklara: någon rad saknas eller är "
        "felskriven i en av filerna."
    )


def explained_parts(src: Sources) -> list[Found]:
    """Items whose parts the text says make up the whole: the parts and the whole's amount."""
    tree, results = explanation_tree(src), src.table("driftredovisning")
    ar = report_year(src)
    if tree.empty:
        return [
            Found(
                id=f"delar_{ar}",
                description=f"Förklaringarna av budgetavvikelserna {ar}: delarna mot helheten",
                inputs=("avvikelser_omraden.csv", "driftredovisning.csv"),
                lacking=src.no_rows("avvikelser_omraden", ar),
                unit="antal",
                decimals=0,
            )
        ]
    out = []
    areas = src.table("omraden").set_index("omrade")
    for parent in tree[tree["relation"] == "del"]["overordnad"].unique():
        row = tree.loc[parent]
        is_root = pd.isna(row["overordnad"]) and row["omrade"] in set(results["omrade"])
        if pd.isna(row["belopp_mnkr"]) and not is_root:
            continue  # a sum without a stated amount: nothing to hold its parts against
        whole, n_whole = (
            area_result(results, row["omrade"], ar, "avvikelse")
            if is_root
            else (float(row["belopp_mnkr"]), 1)
        )
        parts = tree[(tree["overordnad"] == parent) & (tree["relation"] == "del")]
        amounts = [explained_amount(tree, results, p, ar) for p in parts.index]
        words = {
            "parent": parent,
            "ar": ar,
            "area": areas.loc[row["omrade"], "benamning"] if row["omrade"] in areas.index else "Nämnden",
            "post": lower_first(str(row["post"])),
            "parts": fmt.join([lower_first(str(tree.loc[p, "post"])) for p in parts.index]),
        }
        inputs = ("avvikelser_omraden.csv",) + (("driftredovisning.csv",) if is_root else ())
        if fmt.is_missing(whole) or any(fmt.is_missing(a) for a, _, _ in amounts):
            out.append(Found(words=words, inputs=inputs, lacking=src.no_rows("driftredovisning", ar)))
            continue
        n = n_whole - 1 + sum(n for _, n, _ in amounts)
        cells = tuple(c for p in parts.index for c in explained_cells(src, p, ar))
        stated = (
            area_cells(results, row["omrade"], ar, "avvikelse")
            if is_root
            else src.cells("avvikelser_omraden", "belopp_mnkr", post_id=parent)
        )
        found = Found(sum(a for a, _, _ in amounts), n, words, whole, inputs=inputs)
        out.append(replace(found, cells=cells, stated_cells=stated))
    return out


def ms_ao_index_bases(src: Sources) -> list[Found]:
    """MS ÄO: each index row's start and the base year's total cost, as its heading says."""
    costs, indices = src.table("ms_ao_kostnader"), src.table("ms_ao_index")
    base = ms_ao.base_year(costs)
    total = float(ms_ao.totals(costs)[base])
    n = int((costs["ar"] == base).sum())
    printed = src.claims.get(f"ms_ao_totalt_{base}")
    out = []
    for serie, part in indices.groupby("serie", sort=False):
        start = part.loc[part["ar"] == base, "kostnad_enligt_index_tkr"]
        label = ms_ao.SERIES_LABELS[serie].lower()
        words = {"serie": serie, "label": label, "base": base}
        if not len(start) or pd.isna(start.iloc[0]):
            out.append(Found(words=words, lacking=f"raden {label} har inget värde för basåret {base}"))
            continue
        found = Found(total, n, words, float(start.iloc[0]), explain=_explain_index_base(base, printed))
        cells = src.cells("ms_ao_kostnader", "belopp_tkr", ar=base)
        stated = src.cells("ms_ao_index", "kostnad_enligt_index_tkr", serie=serie, ar=base)
        out.append(replace(found, cells=cells, stated_cells=stated))
    return out


def _explain_index_base(base: int, printed: Claim | None) -> Explain:
    """The index row's start against the base year's total; names the printed total when it is the cause."""

    def explain(check: Check) -> str:
        text = f"Indexraden börjar på {check.expected_text}, men kostnadsslagen {base} summerar till {check.actual_text}."
        if printed is not None and abs(printed.value - check.expected) < EPSILON:
            text += (
                f" Raden utgår alltså från källans tryckta total för {base}; felet i den (se totalkostnaden "
                f"{base}) följer med in i jämförelsen med index."
            )
        return text

    return explain


GOAL_DETAILS = {  # mal_id → (file, how to find the detail row, column, label)
    "klimatbelastning": (
        "klimatbelastning",
        {"skolform": "totalt"},
        "kg_co2e_per_kg",
        "klimatbelastning totalt",
    ),
    "nara_livsmedel": ("nara_livsmedel", {}, "andel_procent", "andel nära livsmedel"),
    "ekologiska_livsmedel": (
        "miljo_nyckeltal",
        {"nyckeltal": "ekologiska_livsmedel_kostnad"},
        "varde",
        "andel ekologiskt",
    ),
    "greenhack": (
        "miljo_nyckeltal",
        {"nyckeltal": "greenhack_andel_enheter"},
        "varde",
        "andel enheter med Greenhack",
    ),
    "avtalstrohet": ("miljo_nyckeltal", {"nyckeltal": "avtalstrohet_forvaltningen"}, "varde", "avtalstrohet"),
}
DETAIL_NAMES = {  # detail file → what a reader calls it
    "klimatbelastning": "klimatbelastningen per skolform",
    "nara_livsmedel": "tidsserien över nära livsmedel",
    "miljo_nyckeltal": "miljönyckeltalen",
}


def goal_register_against_details(src: Sources) -> list[Found]:
    """The environmental goal register repeats outcomes of the detail files: both, per goal."""
    goals = src.table("miljomal").set_index("mal_id")
    year = report_year(src)
    if goals.empty:
        return [
            Found(
                id=f"miljomal_{year}",
                description=f"Miljömålen {year}: utfallen i målregistret mot detaljfilerna",
                inputs=("miljomal.csv", *sorted({f"{file}.csv" for file, *_ in GOAL_DETAILS.values()})),
                lacking=src.no_rows("miljomal", year),
                unit="antal",
            )
        ]
    out = []
    for goal, (file, where, column, label) in GOAL_DETAILS.items():
        if goal not in goals.index:
            continue
        detail = src.table(file)
        for key, value in where.items():
            detail = detail[detail[key] == value]
        pairs = [("utfall", year, "utfall")]
        if not pd.isna(goals.loc[goal, "jamforelsevarde"]):
            pairs.append(("jamforelsevarde", int(goals.loc[goal, "jamforelse_ar"]), "jämförelsevärde"))
        unit = str(goals.loc[goal, "enhet"])
        for register_column, ar, what in pairs:
            hit = detail.loc[detail["ar"] == ar, column]
            words = {"goal": goal, "column": register_column, "label": label, "what": what, "ar": ar}
            words["detail"] = DETAIL_NAMES[file]
            inputs = ("miljomal.csv", f"{file}.csv")
            if not len(hit):
                lacking = f"{DETAIL_NAMES[file]} har inget värde för {label} {ar}"
                out.append(Found(words=words, inputs=inputs, lacking=lacking, unit=unit))
                continue
            expected = float(goals.loc[goal, register_column])
            decimals = 2 if unit == "kg CO2e/kg" else 0
            found = Found(float(hit.iloc[0]), 0, words, expected, unit=unit, decimals=decimals, inputs=inputs)
            cells = src.cells(file, column, ar=ar, **where)
            stated = src.cells("miljomal", register_column, mal_id=goal)
            out.append(replace(found, cells=cells, stated_cells=stated))
    return out


def control_deviations_listed(src: Sources) -> list[Found]:
    """Internal control: each risk's number of deviations and the deviations listed one by one."""
    risks = src.table("internkontroll_risker")
    listed = src.table("internkontroll_avvikelser").groupby("risk_nr").size()
    ar = report_year(src)
    if risks.empty:
        return [
            Found(
                id=f"ik_avvikelser_{ar}",
                description=f"Internkontroll {ar}: antal avvikelser per risk mot de avvikelser som beskrivs",
                lacking=src.no_rows("internkontroll_risker", ar),
            )
        ]
    out = []
    for risk in risks.itertuples():
        count = listed.get(risk.nr, 0)
        if pd.isna(risk.antal_avvikelser) and not count:
            continue
        stated = 0.0 if pd.isna(risk.antal_avvikelser) else float(risk.antal_avvikelser)
        found = Found(float(count), words={"nr": risk.nr, "ar": ar}, expected=stated)
        cells = src.cells("internkontroll_avvikelser", "fall", risk_nr=risk.nr)
        stated_cells = src.cells("internkontroll_risker", "antal_avvikelser", nr=risk.nr)
        out.append(replace(found, cells=cells, stated_cells=stated_cells))
    return out


def sick_leave_from_hours(src: Sources) -> list[Found]:
    """Sick leave as reported (percent, one decimal) and the same share computed from the hours."""
    if not src.has("sjukfranvaro_timmar"):
        return []  # the hours are optional; without them the reported percentages stand alone
    ar = report_year(src)
    shares = sjukfranvaro.statutory_shares(src.table("sjukfranvaro_timmar"))
    reported = src.table("sjukfranvaro")
    absent = [
        (n, ar)
        for n, f in (("sjukfranvaro_timmar", shares), ("sjukfranvaro", reported))
        if not (f["ar"] == ar).any()
    ]
    if absent:
        return [
            Found(
                id=f"sjukfranvaro_timmar_{ar}",
                description=f"Sjukfrånvaro {ar}: redovisade procentsatser mot sjuktimmar / ordinarie arbetstid",
                lacking=_lacking(src, absent),
            )
        ]
    shares = shares[(shares["ar"] == ar) & (shares["antal_anstallda"] > sjukfranvaro.SMALL_GROUP_LIMIT)]
    out = []
    for row in shares.itertuples():
        stated = sjukfranvaro.value(reported, ar, row.grupp, sjukfranvaro.FULL_YEAR)
        if pd.isna(stated) or pd.isna(row.sjukfranvaro_procent):
            continue
        words = {"grupp": row.grupp, "ar": ar, "label": sjukfranvaro.GROUP_LABELS[row.grupp].lower()}
        found = Found(float(row.sjukfranvaro_procent), 0, words, stated)
        cells = tuple(
            c
            for column in ("sjuktimmar", "ordinarie_timmar")
            for c in src.cells("sjukfranvaro_timmar", column, ar=ar, grupp=row.grupp)
        )
        stated_cells = sjukfranvaro.traced_value(reported, ar, row.grupp, sjukfranvaro.FULL_YEAR).cells
        out.append(replace(found, cells=cells, stated_cells=stated_cells))
    return out


def investment_reasons(src: Sources) -> list[Found]:
    """The stated reasons for the investments' deviation from the year's budget, and that deviation."""
    if not src.has("investeringar_orsaker"):
        return []
    ar = report_year(src)
    reasons = src.table("investeringar_orsaker")
    reasons = reasons[reasons["ar"] == ar]
    deviation, n = investment_figure(src.table("investeringar"), "summa", "avvikelse_helar", ar)
    if reasons.empty or not n:
        absent = [
            (name, ar)
            for name, empty in (("investeringar", not n), ("investeringar_orsaker", reasons.empty))
            if empty
        ]
        return [
            Found(
                description=(
                    f"Investeringar {ar}: de angivna orsakerna till avvikelsen mot budget helår ryms i avvikelsen"
                ),
                words={"ar": ar},
                lacking=_lacking(src, absent),
            )
        ]
    found = Found(deviation, 0, {"ar": ar, "n": len(reasons)}, float(reasons["belopp_mnkr"].sum()))
    cells = investment_cells(src.table("investeringar"), "summa", "avvikelse_helar", ar)
    return [
        replace(found, cells=cells, stated_cells=src.cells("investeringar_orsaker", "belopp_mnkr", ar=ar))
    ]


def _explain_reasons_exceed(check: Check) -> str:
    """More reasons than deviation: an amount is wrong or belongs to another year."""
    return (
        f"De angivna orsakerna summerar till {check.expected_text}, men avvikelsen mot budget är "
        f"{check.actual_text}. Orsakerna kan inte förklara mer än hela avvikelsen: något belopp är fel "
        "eller hör till ett annat år."
    )


def items_within_their_item(src: Sources) -> list[Found]:
    """An explained item's ``varav`` items of its own sign, and the item they fit within."""
    tree = explanation_tree(src)
    ar = report_year(src)
    if tree.empty:
        return [
            Found(
                id=f"varav_{ar}",
                description=f"Förklaringarna av budgetavvikelserna {ar}: varav-poster ryms i sin post",
                lacking=src.no_rows("avvikelser_omraden", ar),
                unit="antal",
                decimals=0,
            )
        ]
    areas = src.table("omraden").set_index("omrade")
    out = []
    for parent, row in tree.iterrows():
        children = tree[(tree["overordnad"] == parent) & (tree["relation"] == "varav")]
        if pd.isna(row["belopp_mnkr"]) or children.empty or children["belopp_mnkr"].isna().any():
            continue  # only an item with a stated amount can hold its items
        whole = float(row["belopp_mnkr"])
        amounts = [float(a) for a in children["belopp_mnkr"]]
        if whole == 0 or any(a * whole <= 0 for a in amounts):
            continue  # items of the other sign offset each other: nothing to hold them within
        words = {
            "parent": parent,
            "ar": ar,
            "area": areas.loc[row["omrade"], "benamning"] if row["omrade"] in areas.index else "Nämnden",
            "post": lower_first(str(row["post"])),
            "items": fmt.join([lower_first(str(p)) for p in children["post"]]),
        }
        found = Found(abs(whole), 0, words, abs(sum(amounts)))
        cells = src.cells("avvikelser_omraden", "belopp_mnkr", post_id=parent)
        stated = src.cells("avvikelser_omraden", "belopp_mnkr", post_id=list(children.index))
        out.append(replace(found, cells=cells, stated_cells=stated))
    return out


def _explain_item_exceeds(check: Check) -> str:
    """Items larger than the item they belong to: an amount or the tree is wrong."""
    return (
        f"Delbeloppen är tillsammans {check.expected_text} men beloppet de ingår i bara {check.actual_text}: "
        "ett belopp är fel eller en post hör till en annan överordnad post."
    )


_row = partial(Rule, kind=YEAR_DATA)  # a row of the year's own checks

RULES = (
    _row(
        id="resultat_rr_mot_drift",
        family="samma_uppgift",
        compute=result_against_areas,
        check_id="resultat_rr_mot_drift_{typ}_{ar}",
        description="Nämndens resultat {ar}, {label}: resultaträkningen mot summan av områdena i driftredovisningen",
        inputs=("resultatrakning.csv", "konton.csv", "driftredovisning.csv"),
        unit="mnkr",
        decimals=1,
        tolerance=computed,
        explain=_explain_statements_differ,
    ),
    _row(
        id="delar",
        family="harledd",
        compute=explained_parts,
        check_id="delar_{parent}",
        description="{area}, {post} {ar}: delarna {parts} mot helheten",
        unit="mnkr",
        decimals=1,
        tolerance=rounded(1, source=False),
        explain=explain_sum,
    ),
    _row(
        id="ms_ao_indexbas",
        family="forandring",
        compute=ms_ao_index_bases,
        check_id="ms_ao_indexbas_{serie}",
        description="MS ÄO: raden {label} börjar på totalkostnaden {base}",
        inputs=("ms_ao_index.csv", "ms_ao_kostnader.csv"),
        unit="tkr",
        tolerance=rounded(source=False),
    ),
    _row(
        id="miljomal",
        family="samma_uppgift",
        compute=goal_register_against_details,
        check_id="miljomal_{goal}_{column}",
        description="Miljömål {label}: {what} {ar} i målregistret mot {detail}",
        tolerance=exact("samma tal lagrat två gånger; de ska vara lika"),
    ),
    _row(
        id="ik_avvikelser",
        family="samma_uppgift",
        compute=control_deviations_listed,
        check_id="ik_avvikelser_risk_{nr}",
        description="Internkontroll {ar}, risk {nr}: antal avvikelser mot de avvikelser som beskrivs",
        inputs=("internkontroll_risker.csv", "internkontroll_avvikelser.csv"),
        unit="antal",
        tolerance=exact("antal, exakt"),
    ),
    _row(
        id="sjukfranvaro_timmar",
        family="harledd",
        compute=sick_leave_from_hours,
        check_id="sjukfranvaro_timmar_{grupp}_{ar}",
        description="Sjukfrånvaro {ar}, {label}: redovisad procentsats mot sjuktimmar / ordinarie arbetstid",
        inputs=("sjukfranvaro.csv", "sjukfranvaro_timmar.csv"),
        unit="procent",
        decimals=1,
        tolerance=rounded(source=False),
    ),
    _row(
        id="investeringar_orsaker",
        family="summa",
        compute=investment_reasons,
        check_id="investeringar_orsaker_{ar}",
        description="Investeringar {ar}: de {n} angivna orsakerna till avvikelsen mot budget helår ryms i avvikelsen",
        inputs=("investeringar_orsaker.csv", "investeringar.csv"),
        unit="mnkr",
        decimals=1,
        tolerance=bound("orsakerna är en del av avvikelsen; de får inte tillsammans vara större än den"),
        comparison=AT_LEAST,
        explain=_explain_reasons_exceed,
    ),
    _row(
        id="varav",
        family="summa",
        compute=items_within_their_item,
        check_id="varav_{parent}",
        description="{area}, {post} {ar}: varav {items} ryms i beloppet",
        inputs=("avvikelser_omraden.csv",),
        unit="mnkr",
        decimals=1,
        tolerance=bound("en del av ett belopp kan inte vara större än beloppet"),
        comparison=AT_LEAST,
        explain=_explain_item_exceeds,
    ),
    FEE_RULE,
)
