"""Issue 20, phase 2: a figure's popover lists the avstämningar that read its cells (found by the data
cells each check records, never typed, never by an equal value), each with its status and a link to the
complete list, and in the year the source document reports on, where that document printed the same
figure."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from servicenamnden.domain import provenance as p
from servicenamnden.present.opendata import WORKBOOK_NAME, add_sheet, write_workbook
from servicenamnden.present.values import arets_varden
from servicenamnden.reconcile import checks
from servicenamnden.reconcile.model import DOCUMENT, YEAR_DATA, Check
from servicenamnden.render import harledning
from servicenamnden.render.harledning_checks import COMPLETE_TABLE_ID, check_record, involved, with_anchors

DOC_YEAR = checks.document_year()


def traced(fil: str, key: str, value: float, unit: str = "mnkr") -> p.Traced:
    rows = pd.DataFrame({"namn": [key], "varde": [value]})
    rows.attrs.update(fil=fil, nyckel=["namn"], enhet=unit)
    return p.select(rows, "varde")


def check(ident: str, cells: tuple, actual: float, stated: tuple = (), unit: str = "mnkr") -> Check:
    return Check(
        ident, "summa", "en kontroll", ("drift.csv",), actual, actual, 0.05, "", unit, 1,
        rule=ident, cells=cells, stated_cells=stated,
    )  # fmt: skip


def test_a_check_involves_a_figure_whose_cells_it_read_on_either_side() -> None:
    a, b = traced("drift", "a", -13.2), traced("drift", "b", 4.0)
    figures = {"g.a": a, "g.b": b, "g.ab": a + b}
    found = involved(
        figures,
        [
            check("computed", a.cells, -13.2),
            check("stated", b.cells + a.cells, -9.2, stated=b.cells),  # b is the stated figure
            check("total", (a + b).cells, -9.2),  # the same cells: the sum, not a or b alone
            check("same_value_other_cell", traced("drift", "c", -13.2).cells, -13.2),
        ],
    )
    assert [c.id for c in found["g.a"]] == ["computed"]
    assert [c.id for c in found["g.b"]] == ["stated"]
    assert [c.id for c in found["g.ab"]] == ["stated", "total"]


def test_a_count_belongs_to_a_check_that_read_its_rows_among_others_and_counted_as_many() -> None:
    rows = pd.DataFrame({"omrade": ["o1", "o2", "o3"], "ar": [2023] * 3, "utfall": [-1.0, 2.0, 3.0]})
    rows.attrs.update(fil="drift", nyckel=["omrade", "ar"], enhet="mnkr")
    in_balance = p.antal(p.select(rows, "utfall", omrade=["o2", "o3"]))
    everything = p.select(rows, "utfall").cells
    one_area = p.select(rows, "utfall", omrade="o2")
    found = involved(
        {"i_balans": in_balance, "o2": one_area},
        [check("counted", everything, 2.0, unit="antal"), check("miscounted", everything, 3.0, unit="antal")],
    )
    assert [c.id for c in found["i_balans"]] == ["counted"]
    assert found["o2"] == []  # a single value among the cells read is not the check's quantity


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
    # Found by the cells (issue 20), checked by hand: only område 2 reaches its budget ("Inga områden når
    # budgeterat resultat förutom område 2"); four prioritised risks, three by sample ("tre risker ...
    # stickprovskontroller", "dessa fyra risker"); the rolling sick leave 6,5 % against the calendar
    # year's table; the index rows start from the base year's total (the printed 102 386); område 2's
    # units against its result +4,0 mnkr.
    "resultat.antal_i_balans": {
        "omraden_nar_budget_ekonomi",
        "omraden_nar_budget_sammanfattning",
        "omraden_nar_budget_tjansteskrivelse",
    },
    "internkontroll.antal_risker": {"ik_antal_risker_vb", "ik_antal_risker_slutrapport"},
    "internkontroll.antal_stickprov": {"ik_antal_stickprov_vb", "ik_antal_stickprov_slutrapport"},
    "sjukfranvaro.rullande": {"sjukfranvaro_rullande_mot_helar_2023"},
    "msao.bas_enligt_kallan": {"ms_ao_totalt_2019"},
    "omradesekonomi.o2_avvikelse": {"enheter_omrade_2"},
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


def test_every_link_read_the_figures_cells(doc_links) -> None:
    figures = arets_varden(DOC_YEAR).harledning()
    by_id = {c.id: c for c in checks.run_all(ar=DOC_YEAR)}
    for figure, ids in doc_links.items():
        cells = set(figures[figure].cells)
        for ident in ids:
            sides = (set(by_id[ident].cells), set(by_id[ident].stated_cells))
            assert cells in sides or figures[figure].rule == "antal", (figure, ident)
            assert any(cells <= side for side in sides), (figure, ident)


def test_an_area_result_is_not_its_deviation_from_a_budget_of_zero(doc_links) -> None:
    """Nämnd, ledning och stöd: outcome 2,3 mnkr against a budget of 0, so the deviation is 2,3 too; the
    source's deviation is another quantity and its check is not the outcome's."""
    assert "drift_avvikelse_nls_2023" not in doc_links["resultat.ledning_stod_resultat"]


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
    assert f'<a href="{harledning.CHECKS_PAGE}#{harledning.CHECKS_TABLE}">' in box  # no anchor: the table
    assert ": avviker. " in box and "1\u00a0000" in box  # the explanation
    assert "<li>Samma tal i källdokumentet, stämmer: <a " in box and ">Hållbar utveckling</a>" in box
    assert not check_record(differing, claims)["samma_tal"]  # a differing claim is no match


def test_the_sections_that_print_the_same_figure_share_one_line_per_status() -> None:
    """Page weight (issue 20): three sections of the source printing the same figure are one item with
    three links, not three items repeating "samma tal i källdokumentet"; each section still links its row."""
    same = [
        {
            "samma_tal": True,
            "kallans_avsnitt": s,
            "beskrivning": "",
            "status": st,
            "forklaring": "",
            "anker": a,
        }
        for s, st, a in [
            ("A", "stämmer", "ak-a"),
            ("B", "stämmer", "ak-b"),
            ("C", "stämmer inom avrundning", "ak-c"),
        ]
    ]
    box = harledning.checks_html({"kontroller": same}, "k.html")
    assert box.count("Samma tal i källdokumentet") == 2 and box.count("<li>") == 2
    assert (
        '<li>Samma tal i källdokumentet, stämmer: <a href="k.html#ak-a">A</a>, <a href="k.html#ak-b">B</a></li>'
        in box
    )
    assert '<a href="k.html#ak-c">C</a>' in box


def test_a_check_row_gets_its_anchor_where_its_description_stands_once() -> None:
    stub = '<th class="gt_row gt_left gt_stub">'
    page = (
        f'<table id="{COMPLETE_TABLE_ID}"><tr>{stub}Område 4 &amp; mer</th><td>1</td></tr>'
        f"<tr>{stub}Två gånger</th></tr><tr>{stub}Två gånger</th></tr></table>"
    )
    wanted = {"Område 4 & mer": "drift_o4", "Två gånger": "dubbel"}
    out, done = with_anchors(page, wanted)
    assert done == {"drift_o4"} and out.count('<tr id="ak-drift_o4">') == 1
    assert with_anchors(out, wanted) == (out, done)  # a second run changes nothing


def test_another_year_names_no_section_of_the_source() -> None:
    year = next(y for y in (DOC_YEAR + 1, DOC_YEAR - 1) if checks.run_all(ar=y))
    claims = {c.id: c for c in checks.read_claims()}
    ran = checks.run_all(ar=year)
    assert all(c.kind == YEAR_DATA for c in ran)
    assert not any(check_record(c, claims)["samma_tal"] for c in ran)


# --- The provenance as a sheet of the workbook of all tables ------------------------------------------


def test_the_workbook_gets_the_provenance_as_a_sheet_with_text_as_text(v, tmp_path: Path) -> None:
    book_path = write_workbook({"tbl-x": {"header": ["a"], "rows": [[1.0]]}}, tmp_path / WORKBOOK_NAME)
    qmd = "## Ett avsnitt\n\n{{< v resultat.resultat >}} och {{< v fossilfritt.andel >}}\n"
    found = harledning.write_files(v, qmd, tmp_path, tmp_path, checks.run_all(ar=DOC_YEAR), {})
    found[0]["visas"] = "=HYPERLINK(1)"  # a figure's text that reads as a formula stays text
    add_sheet(book_path, harledning.SHEET, harledning.sheet_payload(found))  # replaces the sheet
    book = load_workbook(book_path)
    assert book.sheetnames == ["x", harledning.SHEET]  # the tables first, one provenance sheet last
    sheet = book[harledning.SHEET]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["resultat.resultat", "fossilfritt.andel"]
    header = [c.value for c in sheet[2]]
    assert rows[1][header.index("varde")] == pytest.approx(v.harledning()["fossilfritt.andel"].value)
    assert "fossilfritt_hallbar (stämmer)" in rows[1][header.index("avstamningar")]
    formula = sheet.cell(row=3, column=header.index("visas") + 1)
    assert formula.data_type == "s" and formula.quotePrefix


def test_without_the_workbook_no_workbook_is_made(v, tmp_path: Path) -> None:
    harledning.write_files(v, "{{< v resultat.resultat >}}\n", tmp_path, tmp_path)
    assert (tmp_path / harledning.CSV_NAME).exists() and not (tmp_path / WORKBOOK_NAME).exists()
