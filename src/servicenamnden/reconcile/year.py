"""The year's own checks: the data of the report year against themselves, for every year."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import ms_ao, sjukfranvaro
from servicenamnden.present import fmt
from servicenamnden.reconcile.lookups import (
    TYPE_LABELS,
    area_result,
    explained_amount,
    explanation_tree,
    investment_figure,
    report_year,
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
    join_words,
    lower_first,
    make_check,
    missing_check,
    rounding,
)
from servicenamnden.reconcile.sources import Sources
from servicenamnden.reconcile.year_fees import common_rate_bounds, fees_follow_one_rate

__all__ = [  # the fee rule lives in its own module; the year's rules are all named here
    "common_rate_bounds",
    "control_deviations_listed",
    "explained_parts",
    "fees_follow_one_rate",
    "goal_register_against_details",
    "investment_reasons",
    "items_within_their_item",
    "ms_ao_index_bases",
    "result_against_areas",
    "sick_leave_from_hours",
]


def ms_ao_index_bases(src: Sources) -> list[Check]:
    """MS ÄO: each index row must start from the base year's total cost, as its heading says."""
    costs, indices = src.table("ms_ao_kostnader"), src.table("ms_ao_index")
    base = ms_ao.base_year(costs)
    total = float(ms_ao.totals(costs)[base])
    n = int((costs["ar"] == base).sum())
    printed = src.claims.get(f"ms_ao_totalt_{base}")
    out = []
    for serie, part in indices.groupby("serie", sort=False):
        start = part.loc[part["ar"] == base, "kostnad_enligt_index_tkr"]
        label = ms_ao.SERIES_LABELS[serie].lower()
        described = {
            "id": f"ms_ao_indexbas_{serie}",
            "family": "forandring",
            "description": f"MS ÄO: raden {label} börjar på totalkostnaden {base}",
            "inputs": ("ms_ao_index.csv", "ms_ao_kostnader.csv"),
        }
        if not len(start) or pd.isna(start.iloc[0]):
            lacking = f"raden {label} har inget värde för basåret {base}"
            out.append(missing_check(**described, lacking=lacking, unit="tkr"))
            continue
        out.append(
            make_check(
                **described,
                expected=float(start.iloc[0]),
                actual=total,
                unit="tkr",
                decimals=0,
                tolerance=rounding(0, "tkr", n, source=False),
                explain=_explain_index_base(base, printed),
                kind=YEAR_DATA,
            )
        )
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


def goal_register_against_details(src: Sources) -> list[Check]:
    """The environmental goal register repeats outcomes of the detail files; they must agree."""
    goals = src.table("miljomal").set_index("mal_id")
    if goals.empty:
        ar = report_year(src)
        return [
            missing_check(
                id=f"miljomal_{ar}",
                family="samma_uppgift",
                description=f"Miljömålen {ar}: utfallen i målregistret mot detaljfilerna",
                inputs=("miljomal.csv", *sorted({f"{file}.csv" for file, *_ in GOAL_DETAILS.values()})),
                lacking=src.no_rows("miljomal", ar),
            )
        ]
    out = []
    for goal, (file, where, column, label) in GOAL_DETAILS.items():
        if goal not in goals.index:
            continue
        detail = src.table(file)
        for key, value in where.items():
            detail = detail[detail[key] == value]
        year = report_year(src)
        pairs = [("utfall", year, "utfall")]
        if not pd.isna(goals.loc[goal, "jamforelsevarde"]):
            pairs.append(("jamforelsevarde", int(goals.loc[goal, "jamforelse_ar"]), "jämförelsevärde"))
        for register_column, ar, what in pairs:
            hit = detail.loc[detail["ar"] == ar, column]
            unit = str(goals.loc[goal, "enhet"])
            described = {
                "id": f"miljomal_{goal}_{register_column}",
                "family": "samma_uppgift",
                "description": f"Miljömål {label}: {what} {ar} i målregistret mot {DETAIL_NAMES[file]}",
                "inputs": ("miljomal.csv", f"{file}.csv"),
            }
            if not len(hit):
                lacking = f"{DETAIL_NAMES[file]} har inget värde för {label} {ar}"
                out.append(missing_check(**described, lacking=lacking, unit=unit))
                continue
            out.append(
                make_check(
                    **described,
                    expected=float(goals.loc[goal, register_column]),
                    actual=float(hit.iloc[0]),
                    unit=unit,
                    decimals=2 if unit == "kg CO2e/kg" else 0,
                    tolerance=(EPSILON, "samma tal lagrat två gånger; de ska vara lika"),
                    kind=YEAR_DATA,
                )
            )
    return out


def control_deviations_listed(src: Sources) -> list[Check]:
    """Internal control: each risk's number of deviations against the deviations listed one by one."""
    risks = src.table("internkontroll_risker")
    listed = src.table("internkontroll_avvikelser").groupby("risk_nr").size()
    if risks.empty:
        ar = report_year(src)
        return [
            missing_check(
                id=f"ik_avvikelser_{ar}",
                family="samma_uppgift",
                description=f"Internkontroll {ar}: antal avvikelser per risk mot de avvikelser som beskrivs",
                inputs=("internkontroll_risker.csv", "internkontroll_avvikelser.csv"),
                lacking=src.no_rows("internkontroll_risker", ar),
            )
        ]
    out = []
    for risk in risks.itertuples():
        count = listed.get(risk.nr, 0)
        if pd.isna(risk.antal_avvikelser) and not count:
            continue
        out.append(
            make_check(
                id=f"ik_avvikelser_risk_{risk.nr}",
                family="samma_uppgift",
                description=f"Internkontroll {report_year(src)}, risk {risk.nr}: antal avvikelser mot de avvikelser som beskrivs",
                inputs=("internkontroll_risker.csv", "internkontroll_avvikelser.csv"),
                expected=0.0 if pd.isna(risk.antal_avvikelser) else float(risk.antal_avvikelser),
                actual=float(count),
                unit="antal",
                decimals=0,
                tolerance=(EPSILON, "antal, exakt"),
                kind=YEAR_DATA,
            )
        )
    return out


def explained_parts(src: Sources) -> list[Check]:
    """Items whose parts the text says make up the whole: the parts against the whole's amount."""
    tree, results = explanation_tree(src), src.table("driftredovisning")
    ar = report_year(src)
    if tree.empty:
        return [
            missing_check(
                id=f"delar_{ar}",
                family="harledd",
                description=f"Förklaringarna av budgetavvikelserna {ar}: delarna mot helheten",
                inputs=("avvikelser_omraden.csv", "driftredovisning.csv"),
                lacking=src.no_rows("avvikelser_omraden", ar),
            )
        ]
    out = []
    areas = src.table("omraden").set_index("omrade")
    parents = tree[tree["relation"] == "del"]["overordnad"].unique()
    for parent in parents:
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
        names = join_words([lower_first(str(tree.loc[p, "post"])) for p in parts.index])
        area = areas.loc[row["omrade"], "benamning"] if row["omrade"] in areas.index else "Nämnden"
        described = {
            "id": f"delar_{parent}",
            "family": "harledd",
            "description": f"{area}, {lower_first(str(row['post']))} {ar}: delarna {names} mot helheten",
            "inputs": ("avvikelser_omraden.csv",) + (("driftredovisning.csv",) if is_root else ()),
        }
        if fmt.is_missing(whole) or any(fmt.is_missing(a) for a, _, _ in amounts):
            lacking = src.no_rows("driftredovisning", ar)
            out.append(missing_check(**described, lacking=lacking, unit="mnkr", decimals=1))
            continue
        out.append(
            make_check(
                **described,
                expected=whole,
                actual=sum(a for a, _, _ in amounts),
                unit="mnkr",
                decimals=1,
                tolerance=rounding(1, "mnkr", n_whole - 1 + sum(n for _, n, _ in amounts), 1, source=False),
                explain=explain_sum,
                kind=YEAR_DATA,
            )
        )
    return out


def result_against_areas(src: Sources) -> list[Check]:
    """The income statement's result (incl. the resultatfond) against the sum of the areas' results."""
    rows, accounts, results = src.table("resultatrakning"), src.table("konton"), src.table("driftredovisning")
    ar = report_year(src)
    out = []
    for typ in ("utfall", "budget"):
        statement, n_statement = rr_figure(rows, accounts, "summa_rr", ar, typ)
        areas, n_areas = area_result(results, None, ar, typ)
        described = {
            "id": f"resultat_rr_mot_drift_{typ}_{ar}",
            "family": "samma_uppgift",
            "description": (
                f"Nämndens resultat {ar}, {TYPE_LABELS[typ]}: resultaträkningen mot summan av områdena "
                "i driftredovisningen"
            ),
            "inputs": ("resultatrakning.csv", "konton.csv", "driftredovisning.csv"),
        }
        if not n_statement or not n_areas:
            lacking = join_words(
                [
                    src.no_rows(name, ar)
                    for name, n in (("resultatrakning", n_statement), ("driftredovisning", n_areas))
                    if not n
                ]
            )
            out.append(missing_check(**described, lacking=lacking, unit="mnkr", decimals=1))
            continue
        step = 0.05 * (n_statement + n_areas) + EPSILON
        out.append(
            make_check(
                **described,
                expected=statement,
                actual=areas,
                unit="mnkr",
                decimals=1,
                tolerance=(
                    step,
                    f"summor av {n_statement} respektive {n_areas} belopp avrundade till 0,1 mnkr "
                    f"(högst {n_statement + n_areas} × 0,05 mnkr)",
                ),
                explain=_explain_statements_differ,
                kind=YEAR_DATA,
            )
        )
    return out


def _explain_statements_differ(check: Check) -> str:
    """The two statements give the committee different results."""
    return (
        f"Resultaträkningen ger {check.expected_text} och driftredovisningens områden tillsammans "
        f"{check.actual_text}. Skillnaden är större än avrundning kan förklara: någon rad saknas eller är "
        "felskriven i en av filerna."
    )


def sick_leave_from_hours(src: Sources) -> list[Check]:
    """Sick leave as reported (percent, one decimal) against the same share computed from the hours."""
    if not src.has("sjukfranvaro_timmar"):
        return []  # the hours are optional; without them the reported percentages stand alone
    ar = report_year(src)
    shares = sjukfranvaro.statutory_shares(src.table("sjukfranvaro_timmar"))
    reported = src.table("sjukfranvaro")
    lacking = [
        src.no_rows(name, ar)
        for name, frame in (("sjukfranvaro_timmar", shares), ("sjukfranvaro", reported))
        if not (frame["ar"] == ar).any()
    ]
    if lacking:
        return [
            missing_check(
                id=f"sjukfranvaro_timmar_{ar}",
                family="harledd",
                description=f"Sjukfrånvaro {ar}: redovisade procentsatser mot sjuktimmar / ordinarie arbetstid",
                inputs=("sjukfranvaro.csv", "sjukfranvaro_timmar.csv"),
                lacking=join_words(lacking),
                unit="procent",
                decimals=1,
            )
        ]
    shares = shares[(shares["ar"] == ar) & (shares["antal_anstallda"] > sjukfranvaro.SMALL_GROUP_LIMIT)]
    out = []
    for row in shares.itertuples():
        stated = sjukfranvaro.value(reported, ar, row.grupp, sjukfranvaro.FULL_YEAR)
        if pd.isna(stated) or pd.isna(row.sjukfranvaro_procent):
            continue
        out.append(
            make_check(
                id=f"sjukfranvaro_timmar_{row.grupp}_{ar}",
                family="harledd",
                description=(
                    f"Sjukfrånvaro {ar}, {sjukfranvaro.GROUP_LABELS[row.grupp].lower()}: redovisad procentsats "
                    "mot sjuktimmar / ordinarie arbetstid"
                ),
                inputs=("sjukfranvaro.csv", "sjukfranvaro_timmar.csv"),
                expected=stated,
                actual=float(row.sjukfranvaro_procent),
                unit="procent",
                decimals=1,
                tolerance=rounding(1, "procent", source=False),
                kind=YEAR_DATA,
            )
        )
    return out


def investment_reasons(src: Sources) -> list[Check]:
    """The stated reasons for the investments' deviation from the year's budget fit within that deviation."""
    if not src.has("investeringar_orsaker"):
        return []
    ar = report_year(src)
    reasons = src.table("investeringar_orsaker")
    reasons = reasons[reasons["ar"] == ar]
    deviation, n = investment_figure(src.table("investeringar"), "summa", "avvikelse_helar", ar)
    if reasons.empty or not n:
        lacking = [
            src.no_rows(name, ar)
            for name, empty in (("investeringar", not n), ("investeringar_orsaker", reasons.empty))
            if empty
        ]
        return [
            missing_check(
                id=f"investeringar_orsaker_{ar}",
                family="summa",
                description=f"Investeringar {ar}: de angivna orsakerna till avvikelsen mot budget helår ryms i avvikelsen",
                inputs=("investeringar_orsaker.csv", "investeringar.csv"),
                lacking=join_words(lacking),
                unit="mnkr",
                decimals=1,
            )
        ]
    return [
        make_check(
            id=f"investeringar_orsaker_{ar}",
            family="summa",
            description=(
                f"Investeringar {ar}: de {len(reasons)} angivna orsakerna till avvikelsen mot budget helår "
                "ryms i avvikelsen"
            ),
            inputs=("investeringar_orsaker.csv", "investeringar.csv"),
            expected=float(reasons["belopp_mnkr"].sum()),
            actual=deviation,
            unit="mnkr",
            decimals=1,
            tolerance=(0.0, "orsakerna är en del av avvikelsen; de får inte tillsammans vara större än den"),
            comparison=AT_LEAST,
            explain=_explain_reasons_exceed,
            kind=YEAR_DATA,
        )
    ]


def _explain_reasons_exceed(check: Check) -> str:
    """More reasons than deviation: an amount is wrong or belongs to another year."""
    return (
        f"De angivna orsakerna summerar till {check.expected_text}, men avvikelsen mot budget är "
        f"{check.actual_text}. Orsakerna kan inte förklara mer än hela avvikelsen: något belopp är fel "
        "eller hör till ett annat år."
    )


def items_within_their_item(src: Sources) -> list[Check]:
    """An explained item's ``varav`` items of its own sign fit within it (computers within capital costs)."""
    tree = explanation_tree(src)
    ar = report_year(src)
    if tree.empty:
        return [
            missing_check(
                id=f"varav_{ar}",
                family="summa",
                description=f"Förklaringarna av budgetavvikelserna {ar}: varav-poster ryms i sin post",
                inputs=("avvikelser_omraden.csv",),
                lacking=src.no_rows("avvikelser_omraden", ar),
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
        names = join_words([lower_first(str(p)) for p in children["post"]])
        area = areas.loc[row["omrade"], "benamning"] if row["omrade"] in areas.index else "Nämnden"
        out.append(
            make_check(
                id=f"varav_{parent}",
                family="summa",
                description=f"{area}, {lower_first(str(row['post']))} {ar}: varav {names} ryms i beloppet",
                inputs=("avvikelser_omraden.csv",),
                expected=abs(sum(amounts)),
                actual=abs(whole),
                unit="mnkr",
                decimals=1,
                tolerance=(0.0, "en del av ett belopp kan inte vara större än beloppet"),
                comparison=AT_LEAST,
                explain=_explain_item_exceeds,
                kind=YEAR_DATA,
            )
        )
    return out


def _explain_item_exceeds(check: Check) -> str:
    """Items larger than the item they belong to: an amount or the tree is wrong."""
    return (
        f"Delbeloppen är tillsammans {check.expected_text} men beloppet de ingår i bara {check.actual_text}: "
        "ett belopp är fel eller en post hör till en annan överordnad post."
    )
