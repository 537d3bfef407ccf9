"""Issue 17, Effektiv organisation to the internal-control appendix: the report says what the source
says there, nothing it doesn't, and a figure shown in a table and in the prose is one computation.

Three kinds of test: the statements that were false or beyond the source (each fixed once, tested
once), the source's topics that were missing (a keyword each, in the executed article), and the
conditions that fixed words in the 2023 text rely on (each must hold for the 2023 data).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from servicenamnden.domain import ekonomi, ms_ao
from servicenamnden.io import data
from servicenamnden.present import tables, values

ROOT = Path(__file__).resolve().parents[1]
NB = "\u00a0"
MINUS = "\u2212"


def rows_of(table) -> dict[str, list[str]]:
    """A table's body rows by stub text, as the reader sees the cells."""
    raw = table.as_raw_html()
    body = raw[raw.index("<tbody") : raw.index("</tbody>")]
    out = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        texts = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        out[texts[0]] = texts[1:]
    return out


def my_sections(text: str) -> str:
    """report.qmd from Effektiv organisation up to the appendix Datakontroller (this part of the issue)."""
    start = text.index("# Effektiv organisation {#sec-effektiv-organisation}")
    return text[start : text.index("# Bilaga: Datakontroller {#sec-datakontroller}")]


@pytest.fixture(scope="module")
def report_part() -> str:
    return my_sections((ROOT / "report.qmd").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real():
    data.clear_cache()
    return {name: data.load(name) for name in data.data_files()}


@pytest.fixture(scope="module")
def v():
    return values.arets_varden(2023)


# --- §2: statements that were false or beyond the source ------------------------------------------------


def test_ms_ao_index_rows_start_from_the_categories_sum_as_the_prose_does(real, v):
    """Tabell 17 showed 112 619 tkr by the budget index (from the misprinted base 102 386) where the prose
    said 111 519 (from the categories' sum 101 386): one base, one figure."""
    table = tables.ms_ao_cost_table(real["ms_ao_kostnader"], real["kostnadsslag"], real["ms_ao_index"], 2023)
    rows = rows_of(table)
    budget = rows["Enligt generellt budgetindex"]
    assert budget[0] == rows["Totalt"][0] == f"101{NB}386"
    assert budget[4] == str(v.msao.enligt_budgetindex).removesuffix(f"{NB}tkr") == f"111{NB}519"
    assert rows["Enligt storköksindex"][0] == f"101{NB}386"
    explained = [n for n in table.notes if f"102{NB}386" in n]
    assert len(explained) == 1 and f"101{NB}386" in explained[0]


def test_ms_ao_counterfactual_is_the_table_row():
    costs, indices = data.load("ms_ao_kostnader"), data.load("ms_ao_index")
    expected = ms_ao.index_costs(costs, indices, 2023)
    found = ms_ao.counterfactuals(costs, indices, 2023)["budgetindex"]
    assert found.expected_tkr == expected.loc[2023, "budgetindex"] == pytest.approx(111519.05, abs=0.01)


def test_the_ms_ao_misprint_is_explained_once(report_part):
    """The two prose notes on the base (printed total, index rows) gave way to the table's one note."""
    assert "bas_skiljer_fran_kallan" not in report_part
    assert "index_fran_kallans_bas" not in report_part


def test_income_statement_note_says_which_year_is_the_per_area_result(real):
    """Tabell 12 said the result is the per-area result; for 2022 the two differ (10,3 and 10,9)."""
    statement = ekonomi.income_statement(real["resultatrakning"], real["konton"], 2023)
    areas = ekonomi.result_per_area(real["driftredovisning"], real["omraden"], 2023)
    table = tables.income_statement_table(statement, 2023, areas)
    assert "Årets resultat är nämndens resultat enligt driftredovisningen per område." not in table.notes
    assert "Årets resultat för 2023 är nämndens resultat enligt driftredovisningen per område." in table.notes
    assert [n for n in table.notes if n.startswith("För 2022")] == [
        f"För 2022 visar tabellen resultaträkningens eget resultat, 10,3{NB}mnkr; områdenas resultat i "
        f"driftredovisningen per område summerar det året till 10,9{NB}mnkr."
    ]
    assert rows_of(table)["Årets resultat"][0] == "10,3"


def test_food_waste_note_does_not_put_a_mean_in_the_sources_mouth(real):
    table = tables.food_waste_for_year(real["matsvinn"], real["miljomal"], 2023)
    notes = " ".join(table.notes)
    assert "Skolverksamhetens värde är medelvärdet av de tre skolformerna" not in notes
    assert "utan att säga hur det räknas" in notes
