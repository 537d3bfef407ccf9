"""Issue 20, phase 2: a figure's popover lists the avstämningar that compute its quantity (found by the
files, value and unit, never typed), each with its status and a link to the complete list, and in the
year the source document reports on, where that document printed the same figure."""

from __future__ import annotations

import pandas as pd
import pytest

from servicenamnden.domain import provenance as p
from servicenamnden.present.values import arets_varden
from servicenamnden.reconcile import checks
from servicenamnden.reconcile.model import DOCUMENT, YEAR_DATA, Check
from servicenamnden.render import harledning
from servicenamnden.render.harledning_checks import check_record, involved

DOC_YEAR = checks.document_year()


def traced(fil: str, key: str, value: float, unit: str = "mnkr") -> p.Traced:
    rows = pd.DataFrame({"namn": [key], "varde": [value]})
    rows.attrs.update(fil=fil, nyckel=["namn"], enhet=unit)
    return p.select(rows, "varde")


def check(ident: str, rule: str, inputs: tuple[str, ...], actual: float, unit: str = "mnkr") -> Check:
    return Check(ident, "summa", "en kontroll", inputs, actual, actual, 0.05, "", unit, 1, rule=rule)


def test_a_check_involves_a_figure_of_its_files_value_and_unit() -> None:
    figures = {"g.a": traced("drift", "a", -13.2), "g.b": traced("drift", "b", 4.0)}
    found = involved(
        figures,
        [
            check("same", "r", ("drift.csv",), -13.2),
            check("other_file", "r", ("drift.csv", "konton.csv"), -13.2),  # reads a file the figure doesn't
            check("other_value", "r", ("drift.csv",), -13.1),
            check("other_unit", "r", ("drift.csv",), 4.0, "procent"),
        ],
    )
    assert [c.id for c in found["g.a"]] == ["same"] and found["g.b"] == []


def test_a_value_two_figures_share_or_a_count_links_only_where_the_rule_names_the_row() -> None:
    figures = {
        "n.projekt": traced("nyckeltal", "projekt_enheter", 2, "antal"),
        "n.bilar": traced("nyckeltal", "bilar", 2, "antal"),
        "n.risker": traced("risker", "1", 3, ""),
    }
    found = involved(
        figures,
        [check("projekt_x", "projekt_enheter", ("nyckeltal.csv",), 2, "antal"),
         check("risk", "ik_antal", ("risker.csv",), 3, "antal")],
    )  # fmt: skip
    assert [c.id for c in found["n.projekt"]] == ["projekt_x"]
    assert found["n.bilar"] == [] and found["n.risker"] == []


@pytest.fixture(scope="module")
def doc_links() -> dict[str, list[str]]:
    figures = arets_varden(DOC_YEAR).harledning()
    return {k: [c.id for c in cs] for k, cs in involved(figures, checks.run_all(ar=DOC_YEAR)).items()}


# Checked by hand against the source document (2023): område 4's result −13,2 mnkr (table and text), the
# share of fossil-free fuel 71,9 % (printed 72 %), MS ÄO's total 2019 (the source's 102 386 tkr against
# the parts' 101 386), the two units in the research project.
OBVIOUS = {
    "omradesekonomi.o4_avvikelse": {
        "drift_avvikelse_o4_2023",
        "drift_text_o4_resultat",
        "ekonomi_o4_resultat",
    },
    "fossilfritt.andel": {
        "fossilfritt_hallbar",
        "fossilfritt_sammanfattning",
        "fossilfritt_tjansteskrivelse",
    },
    "msao.kostnad_bas": {"ms_ao_totalt_2019"},
    "nyckeltal.forskningsprojekt_enheter": {"forskningsprojekt_enheter_hallbar"},
}
# Equal values by coincidence: a count of 15 documents against risk 3's value 15, two IT cars against the
# two research units, four temporary posts against a price rise of 4 %, a 4 mnkr effect likewise.
UNRELATED = {
    "internkontroll.handlingar_granskade": "ik_riskvarde_3",
    "nyckeltal.it_bilar_efter": "forskningsprojekt_enheter_hallbar",
    "nyckeltal.timvikariat_efter_praktik": "ms_transport_prisokning_budget_ms_ao",
    "omradesekonomi.restauranger_effekt": "ms_transport_prisokning_budget_ms_ao",
    "nyckeltal.jamstalldhet_natverkstraffar": "kok_nedlagda_internkontroll",
}


@pytest.mark.parametrize("figure", sorted(OBVIOUS))
def test_an_obvious_pair_is_linked(doc_links, figure: str) -> None:
    assert OBVIOUS[figure] <= set(doc_links[figure])


@pytest.mark.parametrize("figure", sorted(UNRELATED))
def test_an_equal_value_by_chance_is_not_linked(doc_links, figure: str) -> None:
    assert UNRELATED[figure] not in doc_links.get(figure, [])


def test_every_link_computes_the_figure_in_its_files(doc_links) -> None:
    figures = arets_varden(DOC_YEAR).harledning()
    by_id = {c.id: c for c in checks.run_all(ar=DOC_YEAR)}
    for figure, ids in doc_links.items():
        files = {c.fil for c in figures[figure].cells}
        for ident in ids:
            assert {i.removesuffix(".csv") for i in by_id[ident].inputs} <= files, (figure, ident)
            assert by_id[ident].actual == pytest.approx(figures[figure].value), (figure, ident)


def test_the_popover_says_status_why_and_where_the_source_printed_it() -> None:
    claims = {c.id: c for c in checks.read_claims()}
    by_id = {c.id: c for c in checks.run_all(ar=DOC_YEAR)}
    matching, differing = by_id["fossilfritt_hallbar"], by_id["ms_ao_totalt_2019"]
    assert matching.kind == DOCUMENT and claims[matching.claim_ids[0]].avsnitt == "Hållbar utveckling"
    record = {
        "varde": 71.9,
        "enhet": "%",
        "beskrivning": "värdet",
        "celler": [],
        "kontroller": [check_record(matching, claims), check_record(differing, claims)],
    }
    box = harledning.popover(record, "hv-x", "datafiler/", harledning.CHECKS_PAGE)
    assert f'<a href="{harledning.CHECKS_PAGE}">' in box
    assert ": stämmer</li>" in box and ": avviker. " in box and "1\u00a0000" in box  # the explanation
    assert ">samma tal i källdokumentet, Hållbar utveckling</a>: stämmer</li>" in box
    assert not check_record(differing, claims)["samma_tal"]  # a differing claim is no match


def test_another_year_names_no_section_of_the_source() -> None:
    year = next(y for y in (DOC_YEAR + 1, DOC_YEAR - 1) if checks.run_all(ar=y))
    claims = {c.id: c for c in checks.read_claims()}
    ran = checks.run_all(ar=year)
    assert all(c.kind == YEAR_DATA for c in ran)
    assert not any(check_record(c, claims)["samma_tal"] for c in ran)
