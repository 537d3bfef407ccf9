"""Claims of the source document, family ``samma_uppgift``: one figure stated in two places."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from servicenamnden.domain import miljo, sjukfranvaro
from servicenamnden.reconcile.lookups import (
    ADJUSTED_POSTS,
    explained_amount,
    explanation_tree,
    rr_figure,
)
from servicenamnden.reconcile.model import (
    CLAIMS,
    Check,
    Claim,
    Explain,
    both_rounded,
    explain_same,
    explain_sum,
    lower_first,
    make_check,
    of_claim,
    rounding,
    section_name,
)
from servicenamnden.reconcile.sources import Sources, no_data


def same_check(
    claim: Claim,
    *,
    label: str,
    reference: float,
    reference_decimals: int,
    reference_place: str,
    inputs: Iterable[str],
    check_id: str | None = None,
    claim_ids: Iterable[str] = (),
    explain: Explain | None = None,
) -> Check:
    """A check of one figure printed in two places: the claim against the reference."""
    place = section_name(claim.avsnitt)
    return make_check(
        id=check_id or claim.id,
        family="samma_uppgift",
        description=f"{label} {claim.ar}: {place} mot {reference_place}",
        inputs=inputs,
        expected=claim.value,
        actual=reference,
        unit=claim.unit,
        decimals=claim.decimals,
        tolerance=both_rounded(claim.decimals, reference_decimals, claim.unit),
        claim_ids=(claim.id, *claim_ids),
        explain=explain or explain_same(place, reference_place),
    )


CLAIM_REPEATS = (  # (pattern, unit, id of the table's figure, label, id suffix of the check)
    (
        r"resultat_(?!exkl_)[a-z_]+",
        "mnkr",
        "rr_summa_rr_utfall_{ar}",
        "Nämndens resultat inkl. resultatfond",
        "",
    ),
    (
        r"resultat_exkl_resultatfond_[a-z_]+",
        "mnkr",
        "rr_resultat_exkl_utfall_{ar}",
        "Nämndens resultat exkl. resultatfond",
        "",
    ),
    (r"drift_summa_utfall_\d{4}", "mnkr", "rr_summa_rr_utfall_{ar}", "Nämndens resultat", "_mot_rr"),
)


def repeated_claims(src: Sources) -> list[Check]:
    """A figure of a table restated elsewhere (cover letter, summary, another table) against the table."""
    out = []
    for pattern, unit, reference_id, label, suffix in CLAIM_REPEATS:
        for claim, _ in src.matching(pattern, unit):
            reference = src.claim(reference_id.format(ar=claim.ar), unit)
            explain = _explain_tables_differ if suffix else None
            out.append(
                same_check(
                    claim,
                    label=label,
                    reference=reference.value,
                    reference_decimals=reference.decimals,
                    reference_place=f"avsnittet {section_name(reference.avsnitt)}",
                    inputs=(CLAIMS,),
                    check_id=f"{claim.id}{suffix}",
                    claim_ids=(reference.id,),
                    explain=explain,
                )
            )
    return out


def _explain_tables_differ(check: Check) -> str:
    """The two statements of the source give the committee different results."""
    return (
        f"Driftredovisningen anger {check.expected_text} och resultaträkningen {check.actual_text} som nämndens "
        "resultat samma år. Skillnaden är större än avrundning kan förklara, och källan förklarar den inte."
    )


Reference = tuple[float, int, str, tuple[str, ...]]  # value, printed decimals, place, files


def _fund_withdrawal(src: Sources, claim: Claim) -> Reference:
    """The resultatfond line of the income statement."""
    value, n = rr_figure(
        src.table("resultatrakning"), src.table("konton"), "over_underskott", claim.ar, "utfall"
    )
    if not n:
        raise no_data(claim, "resultatrakning.csv", f"över-/underskott {claim.ar}")
    return value, 1, "resultaträkningen (över-/underskott)", ("resultatrakning.csv",)


def _rolling_sick_leave(src: Sources, claim: Claim) -> Reference:
    """Sick leave over the rolling twelve months to November."""
    value = sjukfranvaro.value(src.table("sjukfranvaro"), claim.ar, "totalt", sjukfranvaro.ROLLING)
    if pd.isna(value):
        raise no_data(claim, "sjukfranvaro.csv", f"rullande tolv månader till november {claim.ar}")
    return value, 1, "avsnittet Medarbetare (rullande tolv månader)", ("sjukfranvaro.csv",)


def _fossil_share(src: Sources, claim: Claim) -> Reference:
    """The full year's share of fossil-free fuel."""
    rows = src.table("fossilfritt")
    hit = rows[(rows["ar"] == claim.ar) & (rows["period"] == "helar") & (rows["typ"] == "utfall")]
    if not len(hit):
        raise no_data(claim, "fossilfritt.csv", f"helårsutfall {claim.ar}")
    return float(hit["andel_procent"].iloc[0]), 1, "huvudprocessen Transporter (helår)", ("fossilfritt.csv",)


def _customer_dialogue(src: Sources, claim: Claim) -> Reference:
    """The overall score of the customer dialogues."""
    rows = src.table("kunddialog")
    hit = rows[(rows["matt"] == "samlad_bedomning") & (rows["ar"] == claim.ar)]
    if not len(hit):
        raise no_data(claim, "kunddialog.csv", f"samlad bedömning {claim.ar}")
    return float(hit["betyg"].iloc[0]), 2, "avsnittet Processkvalitet", ("kunddialog.csv",)


def _key_figure(name: str, decimals: int) -> Callable[[Sources, Claim], Reference]:
    """A reference to a key figure of ovriga_nyckeltal.csv, with its printed decimals."""

    def reference(src: Sources, claim: Claim) -> Reference:
        figures = src.table("ovriga_nyckeltal")
        value = miljo.key_figure(figures, name, claim.ar)
        if pd.isna(value):
            raise no_data(claim, "ovriga_nyckeltal.csv", f"nyckeltalet '{name}' för {claim.ar}")
        place = str(figures.loc[figures["nyckeltal"] == name, "avsnitt"].iloc[0])
        return value, decimals, f"avsnittet {section_name(place)}", ("ovriga_nyckeltal.csv",)

    return reference


DATA_REPEATS = (  # (pattern, unit, where the data hold the figure, label)
    (r"resultatfond_[a-z_]+", "mnkr", _fund_withdrawal, "Uttag ur resultatfonden"),
    (r"sjukfranvaro_rullande_[a-z_]+", "procent", _rolling_sick_leave, "Rullande sjukfrånvaro"),
    (r"fossilfritt_[a-z_]+", "procent", _fossil_share, "Andel fossilfritt drivmedel"),
    (r"kunddialog_samlad_\d{4}_[a-z_]+", "betyg", _customer_dialogue, "Kunddialoger, samlad bedömning"),
    (
        r"svenskt_naringsliv_upphandling_[a-z_]+",
        "betyg",
        _key_figure("svenskt_naringsliv_upphandling", 1),
        "Svenskt Näringsliv, poäng för upphandling",
    ),
    (r"feriearbetare_[a-z_]+", "antal", _key_figure("feriearbetare", 0), "Feriearbetare"),
    (
        r"forskningsprojekt_enheter_[a-z_]+",
        "antal",
        _key_figure("forskningsprojekt_enheter", 0),
        "Enheter i forskningsprojektet",
    ),
    (
        r"forskningsprojekt_langd_[a-z_]+",
        "antal",
        _key_figure("forskningsprojekt_langd", 0),
        "Forskningsprojektets längd i år",
    ),
    (r"kok_nedlagda_internkontroll", "antal", _key_figure("kok_nedlagda_aldreomsorg", 0), "Nedlagda kök"),
    (
        r"kok_nedlagda_medarbetare_internkontroll",
        "antal",
        _key_figure("kok_nedlagda_medarbetare", 0),
        "Medarbetare i nedlagda kök",
    ),
    (
        r"ms_transport_prisokning_ms_ao",
        "procent",
        _key_figure("ms_transport_prisokning", 0),
        "Prisökning för köpta transporter",
    ),
    (
        r"ms_transport_prisokning_budget_ms_ao",
        "procent",
        _key_figure("ms_transport_prisokning_budget", 0),
        "Budgeterad prisökning för köpta transporter",
    ),
)


def repeated_data(src: Sources) -> list[Check]:
    """A figure the data hold from one section, restated in another section of the source."""
    out = []
    for pattern, unit, reference_of, label in DATA_REPEATS:
        for claim, _ in src.matching(pattern, unit):
            value, decimals, place, files = reference_of(src, claim)
            out.append(
                same_check(
                    claim,
                    label=label,
                    reference=value,
                    reference_decimals=decimals,
                    reference_place=place,
                    inputs=files,
                )
            )
    return out


def budget_restated(src: Sources) -> list[Check]:
    """The budgets the text compares the adjusted figures with, against the income statement."""
    rows, accounts = src.table("resultatrakning"), src.table("konton")
    out = []
    for claim, match in src.matching(r"rr_text_(?P<post>intakter|personal)_budget", "mnkr"):
        post, sign, label = ADJUSTED_POSTS[match["post"]]
        value, n = rr_figure(rows, accounts, post, claim.ar, "budget")
        if not n:
            raise no_data(claim, "resultatrakning.csv", f"budget {claim.ar}")
        out.append(
            same_check(
                claim,
                label=f"Budgeterade {label}",
                reference=sign * value,
                reference_decimals=1,
                reference_place="resultaträkningen (budget)",
                inputs=("resultatrakning.csv",),
            )
        )
    return out


def sick_leave_table_against_rolling(src: Sources) -> list[Check]:
    """Sick leave: the summary's rolling twelve months next to the table's calendar year."""
    frame = src.table("sjukfranvaro")
    out = []
    for ar in sorted(set(frame["ar"])):
        rolling = sjukfranvaro.value(frame, ar, "totalt", sjukfranvaro.ROLLING)
        year = sjukfranvaro.value(frame, ar, "totalt", sjukfranvaro.FULL_YEAR)
        if pd.isna(rolling) or pd.isna(year):
            continue
        out.append(
            make_check(
                id=f"sjukfranvaro_rullande_mot_helar_{ar}",
                family="samma_uppgift",
                description=f"Sjukfrånvaro totalt {ar}: text och sammanfattning (rullande) mot tabellen (helår)",
                inputs=("sjukfranvaro.csv",),
                expected=rolling,
                actual=year,
                unit="procent",
                decimals=1,
                tolerance=both_rounded(1, 1, "procent"),
                explain=_explain_periods(ar),
            )
        )
    return out


def _explain_periods(ar: int) -> Explain:
    """Rolling and calendar-year sick leave differ by period, not by error."""

    def explain(check: Check) -> str:
        return (
            f"Olika mätperioder, inget fel i källan: texten och sammanfattningen anger rullande tolv månader "
            f"december {ar - 1}–november {ar} ({check.expected_text}), tabellen medel för januari–december {ar} "
            f"({check.actual_text})."
        )

    return explain


ITEM_ALIASES = {
    "drift_text_ms_ao_resultat": "o4_ms_ao",
    "rr_text_inhyrd_konsulter": "namnden_inhyrd_konsulter",
}


def explained_items(src: Sources) -> list[Check]:
    """Amounts in the area texts: a repeat of a stored item (or area result), or the sum of its parts."""
    tree, results = explanation_tree(src), src.table("driftredovisning")
    areas = src.table("omraden").set_index("omrade")
    found = [
        (c, m["post"])
        for c, m in src.matching(r"(?:drift_text|ekonomi)_(?P<post>(?:nls|o\d)_[a-z_]+)", "mnkr")
    ]
    found += [(src.claim(cid, "mnkr"), post) for cid, post in ITEM_ALIASES.items() if cid in src.claims]
    out = []
    for claim, post in found:
        value, n, origin = explained_amount(tree, results, post, claim.ar)
        row = tree.loc[post]
        area = areas.loc[row["omrade"], "benamning"] if row["omrade"] in areas.index else "Nämnden"
        label = f"{area}, {lower_first(str(row['post']))}"
        if origin == "summan av delposterna":
            out.append(
                of_claim(
                    claim,
                    family="harledd",
                    description=f"{label} {claim.ar}: {section_name(claim.avsnitt)} mot summan av delposterna",
                    inputs=("avvikelser_omraden.csv",),
                    actual=value,
                    tolerance=rounding(claim.decimals, "mnkr", n, 1),
                    explain=explain_sum,
                )
            )
            continue
        file = "driftredovisning.csv" if origin == "driftredovisningen" else "avvikelser_omraden.csv"
        out.append(
            same_check(
                claim,
                label=label,
                reference=value,
                reference_decimals=1,
                reference_place=origin if origin == "driftredovisningen" else f"avsnittet {origin}",
                inputs=(file,),
            )
        )
    return out
