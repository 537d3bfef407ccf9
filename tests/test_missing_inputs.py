"""Missing data never stop the build: a check whose input lacks the year is listed as one that cannot be
made, beside those that hold or differ; only invalid data stop (issue 17, §5).

The cases are the invented 2024 data (tests/fixtures/data_2024) with a file's 2024 rows removed, and the
partial 2024 workbook of tests/fixtures/partial_2024.py (economy and sick leave only) imported into data/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from servicenamnden.io import data
from servicenamnden.reconcile import checks
from servicenamnden.reconcile import tables as check_tables
from servicenamnden.reconcile.checks import SAKNAS, STAMMER

ROOT = Path(__file__).resolve().parents[1]


def without_year(folder: Path, name: str, *years: str) -> None:
    """Remove the rows of ``years`` (default 2024 and the budget year 2025) from ``folder/name.csv``."""
    path = folder / f"{name}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[~frame["ar"].isin(years or ("2024", "2025"))].to_csv(path, index=False)


@pytest.fixture()
def gaps_2024(tmp_path, monkeypatch) -> Path:
    """The invented 2024 data; each test removes the year from the files it names."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "fixtures" / "data_2024", target)
    monkeypatch.setenv("SN_DATA", str(target))
    data.clear_cache()
    yield target
    data.clear_cache()


@pytest.mark.slow  # the whole reconciliation or every prose value of a data set
@pytest.mark.parametrize("name", ["klimatbelastning", "nara_livsmedel", "miljo_nyckeltal"])
def test_a_goals_detail_file_without_the_year_is_a_check_that_cannot_be_made(gaps_2024, name):
    without_year(gaps_2024, name)
    found = checks.run_all(gaps_2024, ar=2024)  # today: CheckDefinitionError, the build stops
    missing = [c for c in found if c.status == SAKNAS]
    assert missing and all(c.id.startswith("miljomal_") for c in missing)
    assert all(f"{name}.csv" in c.inputs for c in missing)
    assert all("2024" in c.explanation and ".csv" not in c.explanation for c in missing)
    # The register's other goals are still checked against their detail files.
    assert any(c.id.startswith("miljomal_") and c.status == STAMMER for c in found)


def test_area_results_without_the_year_make_the_checks_on_them_impossible(gaps_2024, by_id):
    without_year(gaps_2024, "driftredovisning")
    found = by_id(checks.run_all(gaps_2024, ar=2024))  # today: a float NaN stops the run
    assert found["resultat_rr_mot_drift_utfall_2024"].status == SAKNAS
    assert found["resultat_rr_mot_drift_budget_2024"].status == SAKNAS
    assert any(i.startswith("delar_") and c.status == SAKNAS for i, c in found.items())


def test_each_years_rule_without_its_input_says_so(gaps_2024):
    for name in ("miljomal", "internkontroll_risker", "investeringar_orsaker", "avvikelser_omraden"):
        without_year(gaps_2024, name)
    without_year(gaps_2024, "sjukfranvaro_timmar")
    found = checks.run_all(gaps_2024, ar=2024)
    missing = {c.id for c in found if c.status == SAKNAS}
    assert {"miljomal_2024", "ik_avvikelser_2024", "investeringar_orsaker_2024", "delar_2024"} <= missing
    assert "sjukfranvaro_timmar_2024" in missing  # the file exists but holds no 2024 hours


@pytest.mark.slow  # the whole reconciliation or every prose value of a data set
def test_a_missing_index_base_is_a_check_that_cannot_be_made(gaps_2024, by_id):
    index = pd.read_csv(gaps_2024 / "ms_ao_index.csv", dtype=str, keep_default_na=False)
    index.loc[index["ar"] == "2019", ["kostnad_enligt_index_tkr", "anmarkning"]] = ["", "Inte publicerat."]
    index.to_csv(gaps_2024 / "ms_ao_index.csv", index=False)
    found = by_id(checks.run_all(gaps_2024, ar=2024))
    assert found["ms_ao_indexbas_budgetindex"].status == SAKNAS


@pytest.mark.slow  # the whole reconciliation or every prose value of a data set
def test_the_summary_line_and_the_counts_name_the_checks_that_cannot_be_made(gaps_2024):
    without_year(gaps_2024, "klimatbelastning")
    found = checks.run_all(gaps_2024, ar=2024)
    counts = checks.summary(found)
    assert counts["kan_inte_goras"] >= 1
    assert counts["kontroller"] == sum(
        counts[k] for k in ("stammer", "inom_avrundning", "avviker", "kan_inte_goras")
    )
    line = checks.summary_line(found)
    assert f"{counts['kan_inte_goras']} kan inte göras: underlaget saknas" in line
    missing = next(c for c in found if c.status == SAKNAS)
    assert checks.not_made_line(missing) == (
        f"Kan inte göras: {missing.id}: klimatbelastningen per skolform har inget värde för "
        "klimatbelastning totalt 2024."
    )
    values = checks.checks_values(found)
    assert "kan inte göras" in values.mening
    assert "kan inte göras" in str(values.ej_gjorda)
    frame = checks.checks_frame(found)
    assert "Kan inte göras: underlaget saknas" in set(frame["status"])
    # The appendix: a column in the summary, the status in the complete list.
    assert "Kan inte göras" in check_tables.summary_table(found).as_raw_html()
    assert "Kan inte göras: underlaget saknas" in check_tables.complete_table(found).as_raw_html()


@pytest.mark.slow  # the whole reconciliation or every prose value of a data set
def test_a_year_with_every_input_has_no_such_column_or_sentence():
    found = checks.run_all(ar=2023)
    assert checks.summary(found)["kan_inte_goras"] == 0
    assert "kan inte göras" not in checks.summary_line(found)
    assert checks.checks_values(found).ej_gjorda is None
    assert "Kan inte göras" not in check_tables.summary_table(found).as_raw_html()


@pytest.mark.slow  # the whole reconciliation or every prose value of a data set
def test_the_partial_2024_workbook_imports_and_every_check_runs(partial_2024, partial_2024_builder, by_id):
    for name in partial_2024_builder.PRESENT:
        assert (data.load(name, partial_2024)["ar"] == 2024).any(), name
    for name in partial_2024_builder.ABSENT:
        assert not (data.load(name, partial_2024)["ar"] == 2024).any(), name
    found = by_id(checks.run_all(partial_2024, ar=2024))
    assert found["resultat_rr_mot_drift_utfall_2024"].status == STAMMER
    assert found["miljomal_2024"].status == SAKNAS
    assert found["ik_avvikelser_2024"].status == SAKNAS


def test_a_period_is_data_for_the_year_not_a_rule(gaps_2024):
    """Klimatbelastning was measured January–November in 2023; another year may measure the whole year."""
    path = gaps_2024 / "klimatbelastning.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[frame["ar"] == "2024", "period"] = "jan-dec"
    frame.to_csv(path, index=False)
    assert set(data.load("klimatbelastning", gaps_2024)["period"]) == {"jan-nov", "jan-dec"}


@pytest.mark.slow  # the whole reconciliation or every prose value of a data set
def test_a_note_is_shown_once_per_article(partial_2024):
    from servicenamnden.present.values import arets_varden, notera

    v = arets_varden(2024)
    assert v.miljomal.noter, "the partial workbook has no environmental goals for 2024"
    first = notera(v.miljomal, v.fossilfritt)
    assert first is not None and str(first).count("*") == 2 * len(set(v.miljomal.noter + v.fossilfritt.noter))
    # The same notes again, later in the article: nothing new to say.
    assert notera(v.miljomal) is None
    assert notera(v.fossilfritt, v.miljomal) is None
    # A group with a note not yet shown shows only that one.
    later = notera(v.miljomal, v.kunddialog)
    assert later is not None and all(note in later for note in v.kunddialog.noter)
    assert not any(note in later for note in v.miljomal.noter)
    # A new article (a new arets_varden, as at the top of report.qmd) starts afresh.
    v = arets_varden(2024)
    assert notera(v.miljomal) is not None


def test_a_missing_pool_is_a_dash_with_a_note_never_zero(gaps_2024):
    from servicenamnden.domain import ekonomi
    from servicenamnden.present import tables

    without_year(gaps_2024, "ekonomi_justeringar")
    statement = ekonomi.income_statement(data.load("resultatrakning"), data.load("konton"), 2024)
    comparison = ekonomi.adjusted_comparison(statement, data.load("ekonomi_justeringar"), 2024)
    assert comparison["vikariepool"].isna().all() and comparison["justerat_utfall"].isna().all()
    assert comparison["utfall"].notna().all() and comparison["budget"].notna().all()
    html = tables.adjusted_comparison_table(comparison).as_raw_html()
    assert "0,0" not in html and "\u2013" in html
    assert "Vikariepoolens interna poster saknas" in html


def test_a_table_or_chart_without_the_years_data_keeps_its_place_and_says_so(partial_2024):
    """The labelled output exists (so @tbl-/@fig- references resolve and the caption has a body) and says
    plainly that the year's data are missing; a table publishes no numbers (no CSV is written for it)."""
    from servicenamnden.domain.years import for_year
    from servicenamnden.present import figures, tables
    from servicenamnden.present.show import or_note
    from servicenamnden.present.tables.spec import METADATA_KEY

    risks = data.load("internkontroll_risker")
    said = "Uppgifterna för 2024 finns inte i underlaget."
    table = or_note(tables.risks_table, risks, 2024)
    html = table._repr_html_()
    assert html.count("<table") == 1 and said in html and METADATA_KEY not in html
    assert not hasattr(table, "data_payload")
    chart = or_note(figures.risk_matrix_chart, risks, 2024)
    assert chart._repr_markdown_() == said and not hasattr(chart, "_repr_html_")
    # A step before the table lacked the year: the table's place still shows a table.
    passed = or_note(tables.risks_table, or_note(for_year, risks, 2024, "riskerna"), 2024)
    assert said in passed._repr_html_()


def test_a_tables_download_link_stands_only_when_its_file_was_written(tmp_path):
    from servicenamnden.present.opendata import download_block

    assert download_block("tbl-x", tmp_path) is None  # not written: no link (a block, so it may be nothing)
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "tbl-x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    block = download_block("tbl-x", tmp_path)
    assert block is not None and block.startswith('::: {.content-visible when-format="html"}\n')
    assert "[Tabellens data för program (CSV, 1\u00a0kB)](downloads/tbl-x.csv)" in block
    assert "xlsx" not in block  # only the files that were written are linked


def test_the_static_checks_find_a_link_to_a_file_that_was_not_written(tmp_path, project):
    import nbformat

    from servicenamnden.render.quarto_exec import ExecutedDocument
    from servicenamnden.render.static_checks import check_download_links

    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "tbl-finns.csv").write_text("a\n1\n", encoding="utf-8")
    prose = nbformat.v4.new_markdown_cell(
        "[Data](downloads/tbl-finns.csv) och [Data](downloads/tbl-saknas.csv)"
    )
    cell = nbformat.v4.new_code_cell("v.lank('tbl-borta')")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": "[Data](downloads/tbl-borta.csv)"})
    ]
    article = ExecutedDocument(project.article, nbformat.v4.new_notebook(cells=[prose, cell]))
    problems = check_download_links(project, {project.article: article}, folder)
    assert problems == [
        "report.qmd: länken till downloads/tbl-saknas.csv pekar på en fil som inte skrevs",
        "report.qmd: länken till downloads/tbl-borta.csv pekar på en fil som inte skrevs",
    ]
