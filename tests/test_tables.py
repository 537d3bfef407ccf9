"""Tables: the formatted cell text a reader sees, on the real data (values checked against the source)."""

from __future__ import annotations

import html
import re

import pytest

from servicenamnden.domain import ekonomi, miljo
from servicenamnden.io import data
from servicenamnden.present import tables

NB = "\u00a0"
MINUS = "\u2212"


def cells(gt) -> list[list[str]]:
    """The body rows of a GT as lists of cell texts (stub first)."""
    raw = gt.as_raw_html()
    body = raw[raw.index("<tbody") : raw.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        rows.append(
            [
                html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
            ]
        )
    return rows


def headers(gt) -> list[str]:
    raw = gt.as_raw_html()
    return [
        html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
        for h in re.findall(r'<th class="gt_col_heading[^"]*"[^>]*>(.*?)</th>', raw, flags=re.S)
    ]


@pytest.fixture(scope="module")
def real():
    data.clear_cache()
    return {name: data.load(name) for name in data.data_files()}


def test_sick_leave_table(real):
    rows = cells(tables.sjukfranvaro_table(real["sjukfranvaro"], 2023))
    # Source, Medarbetare: women 6.8 / 7.7, men 4.4 / 5.3, total 6.1 / 7.0, change −0.9.
    assert rows == [
        ["Kvinnor", f"6,8{NB}%", f"7,7{NB}%", f"{MINUS}0,9{NB}p.e."],
        ["Män", f"4,4{NB}%", f"5,3{NB}%", f"{MINUS}0,9{NB}p.e."],
        ["Totalt", f"6,1{NB}%", f"7,0{NB}%", f"{MINUS}0,9{NB}p.e."],
    ]
    assert headers(tables.sjukfranvaro_table(real["sjukfranvaro"], 2023))[1:3] == ["2023", "2022"]


def test_ms_ao_cost_table_total_and_missing_index(real):
    gt = tables.ms_ao_cost_table(real["ms_ao_kostnader"], real["kostnadsslag"], real["ms_ao_index"], 2023)
    rows = {r[0]: r[1:] for r in cells(gt)}
    assert rows["Personal"][0] == f"45{NB}598"
    # The categories of 2019 sum to 101 386 (the source prints 102 386); 2023 sums to 103 941 as printed.
    assert rows["Totalt"][0] == f"101{NB}386" and rows["Totalt"][4] == f"103{NB}941"
    assert rows["Enligt storköksindex"][4] == "\u2013"
    assert "inte publicerat" in gt.as_raw_html()
    assert headers(gt)[-1] == "Budget 2024"


def test_ms_ao_index_table(real):
    rows = {
        r[0]: r[1:]
        for r in cells(tables.ms_ao_index_table(real["ms_ao_kostnader"], real["ms_ao_index"], 2023))
    }
    assert rows["Generellt budgetindex"][-1] == "110,0"  # 112 619 / 102 386
    assert rows["Storköksindex"][-2:] == ["123,2", "\u2013"]  # 126 126 / 102 386; 2023 unpublished


def test_brukaravgifter_table_changes_for_every_subscription(real):
    rows = {
        r[0]: r[1:] for r in cells(tables.brukaravgifter_table(real["brukaravgifter"], real["abonnemang"]))
    }
    assert len(rows) == 8
    held = rows["Heldygn (matabonnemang)"]
    assert held[:6] == [f"3{NB}649", f"3{NB}817", f"3{NB}893", f"3{NB}978", f"4{NB}189", f"4{NB}524"]
    # Source's change row: 4,6 / 2,0 / 2,2 / 5,3 / 8,0 %, and 24,0 % since 2019.
    assert held[6:] == [f"+4,6{NB}%", f"+2,0{NB}%", f"+2,2{NB}%", f"+5,3{NB}%", f"+8,0{NB}%", f"+24,0{NB}%"]
    assert rows["Matavgift dagverksamhet, halvdag"][-1] == f"+22,0{NB}%"  # 72 / 59


def test_income_statement_table(real):
    st = ekonomi.income_statement(real["resultatrakning"], real["konton"], 2023)
    rows = {r[0]: r[1:] for r in cells(tables.income_statement_table(st, 2023))}
    assert rows["Övriga intäkter"] == ["759,1", "806,6", "804,2", "+2,4"]
    assert rows["Kommunersättning/skolpeng"] == ["0,7", "\u2013", "\u2013", "\u2013"]
    assert rows["Övriga kostnader"][3] == f"{MINUS}20,9"


def test_result_per_area_table(real):
    areas = ekonomi.result_per_area(real["driftredovisning"], real["omraden"], 2023)
    rows = cells(tables.result_per_area_table(areas, 2023))
    assert rows[-1] == ["Summa Servicenämnden", "10,9", f"{MINUS}14,9", "0,0", f"{MINUS}14,9"]
    assert rows[4][0] == "Område 4 – Måltidsservice" and rows[4][2] == f"{MINUS}13,2"


def test_environmental_goals_table_computes_met(real):
    goals = miljo.goals(real["miljomal"], real["matsvinn"], real["miljo_nyckeltal"], 2023)
    rows = {r[0]: r[1:] for r in cells(tables.environmental_goals_table(goals))}
    waste = rows["Matsvinn i måltidsverksamheten"]
    assert waste == [f"högst 12{NB}%", f"13,5{NB}%", "○ ej uppfyllt"]
    assert rows["Återbruk av insamlade möbler"][1:] == [f"61,4{NB}%", "● uppfyllt"]
    assert rows["Andel ekologiska livsmedel"][2] == "○ ej uppfyllt (källans)"


def test_risks_table_risk_values(real):
    rows = cells(tables.risks_table(real["internkontroll_risker"], 2023))
    assert [r[3] for r in rows] == ["16", "15", "12", "8"]  # printed riskvärden 16, 15, 12, 8


def test_assessments_never_show_a_bare_symbol(real):
    for gt in (
        tables.process_goals_table(real["processmal"], 2023),
        tables.main_processes_table(real["huvudprocesser"], 2023),
        tables.commitments_table(real["ataganden"], 2023),
    ):
        for row in cells(gt):
            for cell in row:
                assert cell not in {"●", "◐", "○", "✓", "↗", "→", "↘", ""} or cell == ""
    text = tables.main_processes_table(real["huvudprocesser"], 2023).as_raw_html()
    assert "ej angivet" in text and "↗ bättre" in text


def test_area_explanations_table(real):
    rows = {
        (r[0], r[1]): r[2:]
        for r in cells(tables.area_explanations_table(real["avvikelser_omraden"], real["omraden"], 2023))
    }
    # Source, Driftredovisning område 4: intäkter −7,9 = café −2,7, volymer −4,2, subvention −1,0; el −0,75.
    assert rows[("Intäkter", "Område 4")][-1] == f"{MINUS}7,9"
    assert rows[("· Volymer", "Område 4")][-1] == f"{MINUS}4,2"
    assert rows[("· El", "Område 4")][-1] == f"{MINUS}0,75"
