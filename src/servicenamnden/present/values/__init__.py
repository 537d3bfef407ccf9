"""Every figure the article's prose states, for one report year, from one call.

``report.qmd`` sets ``v = arets_varden(ar)`` and names values in its sentences:
`` `{python} v.sjukfranvaro.totalt` ``. Each group (``v.sjukfranvaro``, ``v.resultat``, …) is the
figures of one subject; a value the data lack reads ``–`` and the group keeps a note on it, which
``notera(v.sjukfranvaro)`` shows as a block where the figure would have been. No value is ever empty.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from servicenamnden.domain.provenance import Traced
from servicenamnden.domain.years import resolve_year
from servicenamnden.io import data
from servicenamnden.paths import project_root
from servicenamnden.present.inline import Md, md
from servicenamnden.present.opendata import DOWNLOADS_DIR, download_block, file_link_text, table_links
from servicenamnden.present.values import ekonomi, fakta, miljo, ms_ao, ovrigt, personal
from servicenamnden.present.values.base import Varden, forget_shown_notes, notes_of

__all__ = ["Arsvarden", "Varden", "arets_varden", "md", "notera"]


@dataclass(frozen=True)
class Arsvarden:
    """The report year's prose values, one attribute per subject."""

    ar: Md
    fg_ar: Md
    nasta_ar: Md
    har_kalldokument: bool  # the year is the one the transcribed printed document reports on
    processmal: Varden
    processer: Varden
    resultat: Varden
    omraden: Varden
    justering: Varden
    avvikelser: Varden
    investeringar: Varden
    elbilar: Varden
    miljomal: Varden
    matsvinn: Varden
    fossilfritt: Varden
    miljonyckeltal: Varden
    miljouppfoljning: Varden
    sjukfranvaro: Varden
    arbetsskador: Varden
    medarbetarenkat: Varden
    kunddialog: Varden
    msao: Varden
    avgifter: Varden
    nyckeltal: Varden
    internkontroll: Varden
    # facts of the year and direction-worded amounts (present/values/fakta.py)
    samhallsbyggnad: Varden
    symboler: Varden
    naringsliv: Varden
    avtalstrohet: Varden
    processkvalitet: Varden
    personal: Varden
    maltidsekonomi: Varden
    drivmedel: Varden
    omradesekonomi: Varden
    avgiftsintervall: Varden
    investeringsprognos: Varden
    kontroll_perioder: Varden

    def lank(self, label: str) -> Md | None:
        """The links under a table (web page only): its sheet for Excel and its CSV for programs, with
        format and size; a block, and nothing when no file was written for the table this year."""
        block = download_block(label, project_root())
        return md(block) if block else None

    def lankar(self, label: str) -> Md:
        """The links under a table: its sheet for Excel and its CSV for programs, with format and size."""
        return md(table_links(label, project_root()))

    def fillank(self, name: str, what: str) -> Md:
        """The text of the link to a file in ``downloads/`` (the workbook, the list of checks), with format and size."""
        path = project_root() / DOWNLOADS_DIR / name
        return md(
            file_link_text(path, what) if path.exists() else f"{what} ({path.suffix.lstrip('.').upper()})"
        )

    def harledning(self) -> dict[str, Traced]:
        """Every traced figure of the year: ``group.key`` → its value, unit, rule and data cells."""
        out: dict[str, Traced] = {}
        for name in self.__dataclass_fields__:
            group = getattr(self, name)
            if isinstance(group, Varden):
                out.update(group.harledning)
        return out

    def __getattr__(self, name: str) -> object:
        """Only called for a name that does not exist: say which groups there are."""
        if name.startswith("_"):
            raise AttributeError(name)
        groups = ", ".join(self.__dataclass_fields__)
        raise AttributeError(f"Årets värden har ingen grupp '{name}'. Det finns: {groups}.")


def document_claims(ar: int) -> pd.DataFrame | None:
    """The published document's claims when it reports on ``ar``; ``None`` for any other year."""
    year = data.schema_of("pastaenden").extra.get("dokumentets_ar")
    return data.load("pastaenden") if year is not None and int(year) == ar else None


def arets_varden(ar: int | str | None = None) -> Arsvarden:
    """The prose values of report year ``ar`` (``None``: the latest year with complete data); a new
    article, so each note will be shown once again."""
    ar = resolve_year(ar)
    forget_shown_notes()
    load = data.load
    statement, results = load("resultatrakning"), load("driftredovisning")
    costs, indices = load("ms_ao_kostnader"), load("ms_ao_index")
    goals, waste, env = load("miljomal"), load("matsvinn"), load("miljo_nyckeltal")
    other = load("ovriga_nyckeltal")
    return Arsvarden(
        ar=md(ar),
        fg_ar=md(ar - 1),
        nasta_ar=md(ar + 1),
        har_kalldokument=document_claims(ar) is not None,
        processmal=ovrigt.processmal_values(load("processmal"), ar),
        processer=ovrigt.processer_values(load("huvudprocesser"), load("ataganden"), ar),
        resultat=ekonomi.resultat_values(results, load("omraden"), statement, ar),
        omraden=ekonomi.omraden_values(load("omraden")),
        justering=ekonomi.justering_values(statement, load("konton"), load("ekonomi_justeringar"), ar),
        avvikelser=ekonomi.avvikelser_values(load("avvikelser_omraden"), ar),
        investeringar=ekonomi.investeringar_values(load("investeringar"), load("investeringar_orsaker"), ar),
        elbilar=ekonomi.elbilar_values(other, ar),
        miljomal=miljo.miljomal_values(goals, waste, env, ar),
        matsvinn=miljo.matsvinn_values(waste, goals, ar),
        fossilfritt=miljo.fossilfritt_values(load("fossilfritt"), ar),
        miljonyckeltal=miljo.miljonyckeltal_values(env, ar),
        miljouppfoljning=miljo.miljouppfoljning_values(
            goals, env, load("klimatbelastning"), load("nara_livsmedel"), ar
        ),
        sjukfranvaro=personal.sjukfranvaro_values(load("sjukfranvaro"), ar),
        arbetsskador=personal.arbetsskador_values(load("arbetsmiljo"), ar),
        medarbetarenkat=personal.medarbetarenkat_values(load("medarbetarenkat"), ar),
        kunddialog=personal.kunddialog_values(load("kunddialog"), ar),
        msao=ms_ao.msao_values(costs, indices, load("kostnadsslag"), document_claims(ar), ar),
        avgifter=ms_ao.avgifter_values(load("brukaravgifter"), load("abonnemang"), costs, indices, ar),
        nyckeltal=ovrigt.nyckeltal_values(other, ar),
        internkontroll=ovrigt.internkontroll_values(
            load("internkontroll_risker"), load("internkontroll_avvikelser"), load("internkontroll_2022"), ar
        ),
        **fakta.fakta_groups(ar, load),
    )


def notera(*groups: Varden) -> Md | None:
    """The notes on figures the data lack in ``groups``, as a Markdown paragraph; nothing when all exist
    or when every such note has already been shown in the article (a note stands once).

    Put it in a code cell right after the sentences that use the groups' values, so the note stands
    where the first missing figure would have been. It is a block, never an inline value (which can't be empty).
    """
    return notes_of(groups)
