"""Claims of the source document, family ``samma_uppgift``: one figure stated in two places.

Each rule row (:data:`RULES`) names the claims it judges and where else the figure stands; the engine
(:mod:`.engine`) makes the checks, within the rounding of both places.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from servicenamnden.domain import miljo, sjukfranvaro
from servicenamnden.domain.provenance import Cell
from servicenamnden.reconcile.engine import Found, Rule, both, rounded
from servicenamnden.reconcile.lookups import (
    ADJUSTED_POSTS,
    explained_amount,
    explained_cells,
    explanation_tree,
    rr_cells,
    rr_figure,
)
from servicenamnden.reconcile.model import (
    CLAIMS,
    Check,
    Claim,
    Explain,
    explain_same,
    explain_sum,
    lower_first,
    section_name,
)
from servicenamnden.reconcile.sources import Sources, no_data

Match = re.Match[str]
Reference = tuple[float, int, str, tuple[str, ...]]  # value, printed decimals, place, files


def same(claim: Claim, reference: Reference, cells: tuple[Cell, ...] = (), **words: object) -> Found:
    """The claim against the same figure printed (or stored) elsewhere, read from ``cells``."""
    value, decimals, place, files = reference
    return Found(
        value,
        cells=cells,
        words={"reference_place": place, **words},
        reference_decimals=decimals,
        inputs=files,
        explain=explain_same(section_name(claim.avsnitt), place),
    )


def printed_as(reference_id: str) -> Callable[[Sources, Claim, Match], Found]:
    """The figure of a table in the source (``{ar}`` in the id: the claim's year), as another claim."""

    def compute(src: Sources, claim: Claim, match: Match) -> Found:
        reference = src.claim(reference_id.format(ar=claim.ar), claim.unit)
        place = f"avsnittet {section_name(reference.avsnitt)}"
        found = same(claim, (reference.value, reference.decimals, place, (CLAIMS,)))
        return replace(found, claim_ids=(reference.id,))

    return compute


def _explain_tables_differ(check: Check) -> str:
    """The two statements of the source give the committee different results."""
    return (
        f"Driftredovisningen anger {check.expected_text} och resultaträkningen {check.actual_text} som nämndens "
        "resultat samma år. Skillnaden är större än avrundning kan förklara, och källan förklarar den inte."
    )


def fund_withdrawal(src: Sources, claim: Claim, match: Match) -> Found:
    """The resultatfond line of the income statement."""
    value, n = rr_figure(
        src.table("resultatrakning"), src.table("konton"), "over_underskott", claim.ar, "utfall"
    )
    if not n:
        raise no_data(claim, "resultatrakning.csv", f"över-/underskott {claim.ar}")
    cells = rr_cells(src.table("resultatrakning"), "over_underskott", claim.ar, "utfall")
    return same(claim, (value, 1, "resultaträkningen (över-/underskott)", ("resultatrakning.csv",)), cells)


def rolling_sick_leave(src: Sources, claim: Claim, match: Match) -> Found:
    """Sick leave over the rolling twelve months to November."""
    frame = src.table("sjukfranvaro")
    value = sjukfranvaro.value(frame, claim.ar, "totalt", sjukfranvaro.ROLLING)
    if pd.isna(value):
        raise no_data(claim, "sjukfranvaro.csv", f"rullande tolv månader till november {claim.ar}")
    cells = sjukfranvaro.traced_value(frame, claim.ar, "totalt", sjukfranvaro.ROLLING).cells
    return same(
        claim, (value, 1, "avsnittet Medarbetare (rullande tolv månader)", ("sjukfranvaro.csv",)), cells
    )


def fossil_share(src: Sources, claim: Claim, match: Match) -> Found:
    """The full year's share of fossil-free fuel."""
    rows = src.table("fossilfritt")
    hit = rows[(rows["ar"] == claim.ar) & (rows["period"] == "helar") & (rows["typ"] == "utfall")]
    if not len(hit):
        raise no_data(claim, "fossilfritt.csv", f"helårsutfall {claim.ar}")
    value = float(hit["andel_procent"].iloc[0])
    cells = src.cells("fossilfritt", "andel_procent", ar=claim.ar, period="helar", typ="utfall")
    return same(claim, (value, 1, "huvudprocessen Transporter (helår)", ("fossilfritt.csv",)), cells)


def customer_dialogue(src: Sources, claim: Claim, match: Match) -> Found:
    """The overall score of the customer dialogues."""
    rows = src.table("kunddialog")
    hit = rows[(rows["matt"] == "samlad_bedomning") & (rows["ar"] == claim.ar)]
    if not len(hit):
        raise no_data(claim, "kunddialog.csv", f"samlad bedömning {claim.ar}")
    cells = src.cells("kunddialog", "betyg", matt="samlad_bedomning", ar=claim.ar)
    return same(
        claim, (float(hit["betyg"].iloc[0]), 2, "avsnittet Processkvalitet", ("kunddialog.csv",)), cells
    )


def key_figure(name: str, decimals: int) -> Callable[[Sources, Claim, Match], Found]:
    """A key figure of ovriga_nyckeltal.csv, printed with ``decimals``, in the section it belongs to."""

    def compute(src: Sources, claim: Claim, match: Match) -> Found:
        figures = src.table("ovriga_nyckeltal")
        value = miljo.key_figure(figures, name, claim.ar)
        if pd.isna(value):
            raise no_data(claim, "ovriga_nyckeltal.csv", f"nyckeltalet '{name}' för {claim.ar}")
        place = str(figures.loc[figures["nyckeltal"] == name, "avsnitt"].iloc[0])
        cells = miljo.traced_key_figure(figures, name, claim.ar).cells
        return same(
            claim, (value, decimals, f"avsnittet {section_name(place)}", ("ovriga_nyckeltal.csv",)), cells
        )

    return compute


def budget_restated(src: Sources, claim: Claim, match: Match) -> Found:
    """The budget the text compares an adjusted figure with, in the income statement."""
    post, sign, label = ADJUSTED_POSTS[match["post"]]
    rows = src.table("resultatrakning")
    value, n = rr_figure(rows, src.table("konton"), post, claim.ar, "budget")
    if not n:
        raise no_data(claim, "resultatrakning.csv", f"budget {claim.ar}")
    reference = (sign * value, 1, "resultaträkningen (budget)", ("resultatrakning.csv",))
    return same(claim, reference, rr_cells(rows, post, claim.ar, "budget"), label=label)


def rolling_against_full_year(src: Sources) -> list[Found]:
    """Sick leave of every year: the rolling twelve months (text, summary) and the calendar year (table)."""
    frame = src.table("sjukfranvaro")
    out = []
    for ar in sorted(set(frame["ar"])):
        rolling = sjukfranvaro.value(frame, ar, "totalt", sjukfranvaro.ROLLING)
        year = sjukfranvaro.value(frame, ar, "totalt", sjukfranvaro.FULL_YEAR)
        if not (pd.isna(rolling) or pd.isna(year)):
            cells = sjukfranvaro.traced_value(frame, ar, "totalt", sjukfranvaro.FULL_YEAR).cells
            stated = sjukfranvaro.traced_value(frame, ar, "totalt", sjukfranvaro.ROLLING).cells
            found = Found(year, words={"ar": ar}, expected=rolling, explain=_explain_periods(ar))
            out.append(replace(found, cells=cells, stated_cells=stated))
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


ITEM_CLAIMS = r"(?:drift_text|ekonomi)_(?P<post>(?:nls|o\d)_[a-z_]+)"
ITEM_ALIASES = {  # claims about an item whose id does not name it → the item
    "drift_text_ms_ao_resultat": "o4_ms_ao",
    "rr_text_inhyrd_konsulter": "namnden_inhyrd_konsulter",
}


def explained_item(of_parts: bool) -> Callable[[Sources, Claim, Match], Found | None]:
    """An amount in the area texts: with ``of_parts`` the sum of its parts, else a repeat of a stored
    item or an area's result (each claim is one or the other)."""

    def compute(src: Sources, claim: Claim, match: Match) -> Found | None:
        post = match.groupdict().get("post") or ITEM_ALIASES[claim.id]
        tree, results = explanation_tree(src), src.table("driftredovisning")
        areas = src.table("omraden").set_index("omrade")
        value, n, origin = explained_amount(tree, results, post, claim.ar)
        if (origin == "summan av delposterna") != of_parts:
            return None
        row = tree.loc[post]
        area = areas.loc[row["omrade"], "benamning"] if row["omrade"] in areas.index else "Nämnden"
        label = f"{area}, {lower_first(str(row['post']))}"
        cells = explained_cells(src, post, claim.ar)
        if of_parts:
            return Found(value, n, {"label": label}, cells=cells)
        if origin == "driftredovisningen":
            return same(claim, (value, 1, origin, ("driftredovisning.csv",)), cells, label=label)
        return same(claim, (value, 1, f"avsnittet {origin}", ("avvikelser_omraden.csv",)), cells, label=label)

    return compute


def _repeat(
    id: str, claims: str, unit: str, compute: Callable[..., Found | None], label: str, **row: object
) -> Rule:
    """A row of the table below: the claims, and where the same figure stands."""
    options = {"description": f"{label} {{ar}}: {{place}} mot {{reference_place}}", "tolerance": both, **row}
    return Rule(id=id, family="samma_uppgift", claims=claims, unit=unit, compute=compute, **options)  # type: ignore[arg-type]


def _explained_item_rows() -> tuple[Rule, ...]:
    """The area texts' amounts: the stored items' claims, then the aliases; each as a sum or a repeat."""
    rows = []
    for suffix, claims in (("", ITEM_CLAIMS), ("_alias", "|".join(ITEM_ALIASES))):
        rows.append(
            Rule(
                id=f"forklarad_post_delar{suffix}",
                family="harledd",
                claims=claims,
                unit="mnkr",
                compute=explained_item(of_parts=True),
                description="{label} {ar}: {place} mot summan av delposterna",
                inputs=("avvikelser_omraden.csv",),
                tolerance=rounded(1),
                explain=explain_sum,
            )
        )
        rows.append(
            _repeat(f"forklarad_post{suffix}", claims, "mnkr", explained_item(of_parts=False), "{label}")
        )
    return tuple(rows)


RULES = (
    _repeat(
        "resultat",
        r"resultat_(?!exkl_)[a-z_]+",
        "mnkr",
        printed_as("rr_summa_rr_utfall_{ar}"),
        "Nämndens resultat inkl. resultatfond",
    ),
    _repeat(
        "resultat_exkl_resultatfond",
        r"resultat_exkl_resultatfond_[a-z_]+",
        "mnkr",
        printed_as("rr_resultat_exkl_utfall_{ar}"),
        "Nämndens resultat exkl. resultatfond",
    ),
    _repeat(
        "drift_summa_mot_rr",
        r"drift_summa_utfall_\d{4}",
        "mnkr",
        printed_as("rr_summa_rr_utfall_{ar}"),
        "Nämndens resultat",
        check_id="{claim}_mot_rr",
        explain=_explain_tables_differ,
    ),
    _repeat("resultatfond", r"resultatfond_[a-z_]+", "mnkr", fund_withdrawal, "Uttag ur resultatfonden"),
    _repeat(
        "sjukfranvaro_rullande",
        r"sjukfranvaro_rullande_[a-z_]+",
        "procent",
        rolling_sick_leave,
        "Rullande sjukfrånvaro",
    ),
    _repeat("fossilfritt", r"fossilfritt_[a-z_]+", "procent", fossil_share, "Andel fossilfritt drivmedel"),
    _repeat(
        "kunddialog_samlad",
        r"kunddialog_samlad_\d{4}_[a-z_]+",
        "betyg",
        customer_dialogue,
        "Kunddialoger, samlad bedömning",
    ),
    _repeat(
        "svenskt_naringsliv_upphandling",
        r"svenskt_naringsliv_upphandling_[a-z_]+",
        "betyg",
        key_figure("svenskt_naringsliv_upphandling", 1),
        "Svenskt Näringsliv, poäng för upphandling",
    ),
    _repeat(
        "feriearbetare", r"feriearbetare_[a-z_]+", "antal", key_figure("feriearbetare", 0), "Feriearbetare"
    ),
    _repeat(
        "forskningsprojekt_enheter",
        r"forskningsprojekt_enheter_[a-z_]+",
        "antal",
        key_figure("forskningsprojekt_enheter", 0),
        "Enheter i forskningsprojektet",
    ),
    _repeat(
        "forskningsprojekt_langd",
        r"forskningsprojekt_langd_[a-z_]+",
        "antal",
        key_figure("forskningsprojekt_langd", 0),
        "Forskningsprojektets längd i år",
    ),
    _repeat(
        "kok_nedlagda",
        r"kok_nedlagda_internkontroll",
        "antal",
        key_figure("kok_nedlagda_aldreomsorg", 0),
        "Nedlagda kök",
    ),
    _repeat(
        "kok_nedlagda_medarbetare",
        r"kok_nedlagda_medarbetare_internkontroll",
        "antal",
        key_figure("kok_nedlagda_medarbetare", 0),
        "Medarbetare i nedlagda kök",
    ),
    _repeat(
        "ms_transport_prisokning",
        r"ms_transport_prisokning_ms_ao",
        "procent",
        key_figure("ms_transport_prisokning", 0),
        "Prisökning för köpta transporter",
    ),
    _repeat(
        "ms_transport_prisokning_budget",
        r"ms_transport_prisokning_budget_ms_ao",
        "procent",
        key_figure("ms_transport_prisokning_budget", 0),
        "Budgeterad prisökning för köpta transporter",
    ),
    _repeat(
        "rr_text_budget",
        r"rr_text_(?P<post>intakter|personal)_budget",
        "mnkr",
        budget_restated,
        "Budgeterade {label}",
    ),
    *_explained_item_rows(),
    Rule(
        id="sjukfranvaro_rullande_mot_helar",
        family="samma_uppgift",
        compute=rolling_against_full_year,
        check_id="sjukfranvaro_rullande_mot_helar_{ar}",
        description="Sjukfrånvaro totalt {ar}: text och sammanfattning (rullande) mot tabellen (helår)",
        inputs=("sjukfranvaro.csv",),
        unit="procent",
        decimals=1,
        tolerance=both,
    ),
)
