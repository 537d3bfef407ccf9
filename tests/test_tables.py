"""Tables: the formatted cell text a reader sees, on the real data (values checked against the source),
the numbers they publish, totals that agree with the prose, and HTML that Typst can take."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from servicenamnden.domain import miljo, sjukfranvaro
from servicenamnden.io import data
from servicenamnden.present import tables
from servicenamnden.present.tables import registry
from servicenamnden.present.tables.spec import CSS_CLASS, Table
from servicenamnden.reconcile.run import run_all
from servicenamnden.reconcile.tables import published_differing, published_summary

NB = "\u00a0"
MINUS = "\u2212"
ROOT = Path(__file__).resolve().parents[1]


def cells(table) -> list[list[str]]:
    """The body rows of a table's HTML as lists of cell texts (stub first)."""
    raw = table.as_raw_html()
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


def headers(table) -> list[str]:
    raw = table.as_raw_html()
    return [
        html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
        for h in re.findall(r'<th class="gt_col_heading[^"]*"[^>]*>(.*?)</th>', raw, flags=re.S)
    ]


def bare(value: object) -> str:
    """A prose value without its unit: ``−14,9 mnkr`` → ``−14,9``."""
    return str(value).rsplit(NB, 1)[0]


@pytest.fixture(scope="module")
def every_table(real_data) -> dict[str, Table]:
    """Every table of the 2023 report that shows figures, by its label, built by the registry."""
    built = registry.build_tables(real_data, 2023)
    return {label: table for label, table in built.items() if isinstance(table, Table)}


# --- What the reader sees, against the source -------------------------------------------------------


def test_sick_leave_table(every_table):
    rows = cells(every_table["tbl-sjukfranvaro"])
    # Source, Medarbetare: women 7.7 → 6.8, men 5.3 → 4.4, total 7.0 → 6.1, change −0.9.
    assert rows == [
        ["Kvinnor", f"7,7{NB}%", f"6,8{NB}%", f"{MINUS}0,9{NB}p.e."],
        ["Män", f"5,3{NB}%", f"4,4{NB}%", f"{MINUS}0,9{NB}p.e."],
        ["Totalt", f"7,0{NB}%", f"6,1{NB}%", f"{MINUS}0,9{NB}p.e."],
    ]


def test_ms_ao_cost_table_total_and_missing_index(every_table):
    table = every_table["tbl-ms-ao-kostnader"]
    rows = {r[0]: r[1:] for r in cells(table)}
    assert rows["Personal"][0] == f"45{NB}598"
    # The categories of 2019 sum to 101 386 (the source prints 102 386); 2023 sums to 103 941 as printed.
    assert rows["Totalt"][0] == f"101{NB}386" and rows["Totalt"][4] == f"103{NB}941"
    assert rows["Enligt storköksindex"][4] == "\u2013"
    assert "inte publicerat" in table.as_raw_html()
    assert headers(table)[-1] == "Budget 2024"


def test_ms_ao_index_table(every_table):
    rows = {r[0]: r[1:] for r in cells(every_table["tbl-ms-ao-index"])}
    assert rows["Generellt budgetindex"][-1] == "110,0"  # 112 619 / 102 386
    assert rows["Storköksindex"][-2:] == ["123,2", "\u2013"]  # 126 126 / 102 386; 2023 unpublished


def test_brukaravgifter_table_changes_for_every_subscription(every_table):
    rows = {r[0]: r[1:] for r in cells(every_table["tbl-brukaravgifter"])}
    assert len(rows) == 8
    held = rows["Heldygn (matabonnemang)"]
    assert held[:6] == [f"3{NB}649", f"3{NB}817", f"3{NB}893", f"3{NB}978", f"4{NB}189", f"4{NB}524"]
    # Source's change row: 4,6 / 2,0 / 2,2 / 5,3 / 8,0 %, and 24,0 % since 2019.
    assert held[6:] == [f"+4,6{NB}%", f"+2,0{NB}%", f"+2,2{NB}%", f"+5,3{NB}%", f"+8,0{NB}%", f"+24,0{NB}%"]
    assert rows["Matavgift dagverksamhet, halvdag"][-1] == f"+22,0{NB}%"  # 72 / 59


def test_income_statement_table_rows(every_table):
    rows = {r[0]: r[1:] for r in cells(every_table["tbl-resultatrakning"])}
    assert rows["Övriga intäkter"] == ["759,1", "806,6", "804,2", "+2,4"]
    assert rows["Kommunersättning/skolpeng"] == ["0,7", "\u2013", "\u2013", "\u2013"]
    assert rows["Övriga kostnader"][3] == f"{MINUS}20,9"


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_income_statement_results_are_the_sources_and_the_reports(every_table, v):
    """Source: årets resultat −14,9 / 0,0 / −14,9; excluding the resultatfond −19,7 / 0,0 / −19,7."""
    rows = {r[0]: r[1:] for r in cells(every_table["tbl-resultatrakning"])}
    assert rows["Årets resultat"][1:] == [f"{MINUS}14,9", "0,0", f"{MINUS}14,9"]
    assert rows["Årets resultat exkl. över-/underskott"][1:] == [f"{MINUS}19,7", "0,0", f"{MINUS}19,7"]
    assert rows["Årets resultat"][1] == bare(v.resultat.resultat)
    assert rows["Årets resultat exkl. över-/underskott"][1] == bare(v.resultat.resultat_utan_resultatfond)
    assert rows["Årets resultat"][3] == bare(v.resultat.avvikelse)
    # A row without a budget is compared with no budget: the appendix's 4,8 | 4,8 | Stämmer.
    assert rows["Över-/underskott (uttag ur resultatfond)"][3] == "+4,8"


def test_income_statement_rounding_notes_are_true(every_table):
    """Each note names the exact amount by which the shown rows miss the shown total."""
    table = every_table["tbl-resultatrakning"]
    rows = {r[0]: r[1:] for r in cells(table)}
    notes = [n for n in table.notes if "summerar till" in n]
    assert len(notes) == 2  # utfall and budget of the result before the resultatfond

    def number(text: str) -> float:
        return float(text.replace(MINUS, "-").replace(",", ".").replace(NB, ""))

    for note, column in zip(notes, (1, 2), strict=True):
        parts = ["Summa intäkter", "Summa kostnader", "Finansnetto"]
        shown_sum = sum(number(rows[p][column]) for p in parts)
        stated = re.search(r"summerar till (\S+) mnkr; skillnaden (\S+) mnkr", note)
        assert stated and number(stated.group(1)) == pytest.approx(shown_sum)
        total = number(rows["Årets resultat exkl. över-/underskott"][column])
        assert number(stated.group(2)) == pytest.approx(abs(total - shown_sum))
    assert not any("kan skilja" in n for n in table.notes)


def test_result_per_area_table(every_table):
    rows = cells(every_table["tbl-driftredovisning"])
    assert rows[-1] == ["Summa Servicenämnden", "10,9", f"{MINUS}14,9", "0,0", f"{MINUS}14,9"]
    assert rows[4][0] == "Område 4 – Måltidsservice" and rows[4][2] == f"{MINUS}13,2"


def test_summed_tables_show_the_totals_the_prose_uses(every_table, v):
    """Every summed table: the total shown equals the figure in the text."""
    area_total = cells(every_table["tbl-driftredovisning"])[-1]
    assert area_total[2] == bare(v.resultat.resultat) and area_total[1] == bare(v.resultat.resultat_fg)
    assert area_total[4] == bare(v.resultat.avvikelse)
    invest = {r[0]: r[1:] for r in cells(every_table["tbl-investeringar"])}["Summa investeringar"]
    assert invest[1].lstrip(MINUS) == bare(v.investeringar.budget)
    assert invest[2].lstrip(MINUS) == bare(v.investeringar.utfall)
    assert invest[3].lstrip("+") == bare(v.investeringar.avvikelse)
    reasons = {r[0]: r[1:] for r in cells(every_table["tbl-investeringar-orsaker"])}
    assert reasons["Summa angivna orsaker"][0] == bare(v.investeringar.forklarat)
    assert reasons["Summa angivna orsaker"][1] == str(v.investeringar.andel_forklarad)
    ms_total = {r[0]: r[1:] for r in cells(every_table["tbl-ms-ao-kostnader"])}["Totalt"]
    assert ms_total[0] == bare(v.msao.kostnad_bas) and ms_total[4] == bare(v.msao.kostnad_ar)
    purchases = {r[0]: r[1:] for r in cells(every_table["tbl-direktupphandlingar"])}
    assert purchases["Summa"][-1] == bare(v.internkontroll.direktupphandlingar_summa)
    waste = {r[0]: r[1:] for r in cells(every_table["tbl-matsvinn"])}
    assert waste["Skolverksamheten (medel)"][2] == str(v.matsvinn.skolan)
    assert waste["Förskola"][2] == str(v.matsvinn.forskola)


def test_investments_table_shows_the_deviation_from_the_november_forecast(every_table):
    # Source, Investeringsredovisning 2 ("Prognos: Årsprognos nov"): Nämndbeslutad investering has a
    # Prognosavvikelse of −6,8; the property row has none (an empty cell), and the sum row is −6,8.
    table = every_table["tbl-investeringar"]
    assert headers(table)[-1] == "Avvikelse mot årsprognos november"
    rows = {r[0]: r[1:] for r in cells(table)}
    assert rows["Nämndbeslutad investering"][-1] == f"{MINUS}6,8"
    assert rows["Fastighetsinvesteringar (kf)"][-1] == "\u2013"
    assert rows["Summa investeringar"][-1] == f"{MINUS}6,8"


def test_food_transports_show_their_change_from_the_year_before(every_table, root):
    """Issue 10: the source says the food transports drove 10 884 km less and made 34 fewer stops than in
    2022; the table computes both from the two years' figures (2022's derived from that statement), and
    from the invented 2024 data the same way (39 239 → 38 120 km, 7 635 → 7 410 stops)."""
    rows = {r[0]: r[1:] for r in cells(every_table["tbl-miljo-nyckeltal"])}
    assert rows["Livsmedelstransporter, körsträcka"][1] == f"10{NB}884{NB}km kortare än 2022"
    assert rows["Livsmedelstransporter, stopp"][1].startswith("34 färre än 2022; ")
    folder = root / "tests" / "fixtures" / "data_2024"
    names = ("miljo_nyckeltal", "klimatbelastning", "nara_livsmedel", "fossilfritt")
    fixture = {n: data.load(n, folder) for n in names}
    table = tables.environment_key_figures_table(*fixture.values(), 2024)
    rows = {r[0]: r[1:] for r in cells(table)}
    assert rows["Livsmedelstransporter, körsträcka"][1] == f"1{NB}119{NB}km kortare än 2023"
    assert rows["Livsmedelstransporter, stopp"][1].startswith("225 färre än 2023; ")


def test_environmental_goals_table_computes_met(real_data):
    goals = miljo.goals(real_data["miljomal"], real_data["matsvinn"], real_data["miljo_nyckeltal"], 2023)
    rows = {r[0]: r[1:] for r in cells(tables.environmental_goals_table(goals))}
    assert rows["Matsvinn i måltidsverksamheten"] == [
        f"högst 12{NB}%",
        f"13,5{NB}%",
        "○ ej uppfyllt",
        "beräknad",
    ]
    assert rows["Återbruk av insamlade möbler"][1:] == [f"61,4{NB}%", "● uppfyllt", "beräknad"]
    assert rows["Andel ekologiska livsmedel"][2:] == ["○ ej uppfyllt", "bedömd"]


def test_risks_table_risk_values(every_table):
    assert [r[3] for r in cells(every_table["tbl-risker"])] == [
        "16",
        "15",
        "12",
        "8",
    ]  # printed 16, 15, 12, 8


def test_assessments_never_show_a_bare_symbol(every_table):
    for name in ("tbl-processmal", "tbl-huvudprocesser", "tbl-ataganden"):
        for row in cells(every_table[name]):
            for cell in row:
                assert cell not in {"●", "◐", "○", "✓", "↗", "→", "↘"}
    text = every_table["tbl-huvudprocesser"].as_raw_html()
    assert "ej angivet" in text and "↗ bättre" in text


def test_area_explanations_table_indents_parts(every_table):
    table = every_table["tbl-forklarade-avvikelser"]
    rows = {(r[0], r[1]): r[2:] for r in cells(table)}
    # Source, Driftredovisning område 4: intäkter −7,9 = café −2,7, volymer −4,2, subvention −1,0; el −0,75.
    assert rows[("Intäkter", "Område 4")][-1] == f"{MINUS}7,9"
    assert rows[("· Volymer", "Område 4")][-1] == f"{MINUS}4,2"
    assert rows[("· El", "Område 4")][-1] == f"{MINUS}0,75"
    raw = table.as_raw_html()
    assert re.search(r'gt_indent_\d">· Volymer<', raw) and not re.search(r'gt_indent_\d">Intäkter<', raw)
    published = {r[0] for r in table.data_payload()["rows"]}
    assert "· Volymer" in published and "Intäkter" in published  # the file shows the parts as the table does


# --- Years run one way ------------------------------------------------------------------------------


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_years_run_from_the_earlier_to_the_later_in_every_table(every_table):
    for name, table in every_table.items():
        years = [int(y) for h in headers(table) for y in re.findall(r"\b(20\d\d)\b", h)]
        assert years == sorted(years) or name == "tbl-brukaravgifter", (name, years)
    fees = [int(h) for h in headers(every_table["tbl-brukaravgifter"]) if h.isdigit()]
    assert fees == list(range(2019, 2025)) + list(range(2020, 2025))


# --- Numbers stay numbers ---------------------------------------------------------------------------


def test_every_table_keeps_numbers_as_numbers(every_table):
    for name, table in every_table.items():
        for column in table.columns:
            if column.numeric:
                assert pd.api.types.is_numeric_dtype(table.frame[column.key]), (name, column.key)


def test_a_missing_value_is_a_dash_in_the_table_and_empty_in_the_data(every_table):
    table = every_table["tbl-ms-ao-kostnader"]
    payload = table.data_payload()
    row = [r for r in payload["rows"] if r[0] == "Enligt storköksindex"][0]
    assert row[5] is None
    assert {r[0]: r[1:] for r in cells(table)}["Enligt storköksindex"][4] == "\u2013"


# --- HTML that Typst can take, and one shared stylesheet ---------------------------------------------


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_tables_carry_no_stylesheet_and_nothing_typst_warns_about(every_table):
    for name, table in every_table.items():
        raw = table.as_raw_html()
        assert "<style" not in raw, name
        assert "initial" not in raw and "sans-serif" not in raw and "font-family" not in raw, name
        assert f'class="{CSS_CLASS}"' in raw, name


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_simple_tables_name_their_headers_by_scope_alone(every_table):
    """Issue 11 (page weight): a table with one header row and a stub column needs scope="col"/"row"
    on its header cells (WCAG H63), not a headers list on every cell; tables with spanners or row groups
    keep them (a group heading's reach is not expressed by scope within one tbody)."""
    checks = run_all()
    every = {
        **every_table,
        "per_slag": published_summary(checks),
        "avviker": published_differing(checks),
    }
    for name, table in every.items():
        raw = table.as_raw_html()
        spanned = "gt_column_spanner" in raw or "gt_group_heading" in raw
        cells_with_list = re.findall(r"<td[^>]* headers=", raw)
        assert bool(cells_with_list) == spanned, name
        headers = re.findall(r"<th\b[^>]*>", raw)
        assert headers and all("scope=" in th for th in headers), name
        body = raw.split("<tbody", 1)[1].split("</tbody>", 1)[0]
        for row in re.findall(r'<tr(?! class="gt_group_heading_row")[^>]*>(.*?)</tr>', body, re.S):
            assert re.search(r'<th[^>]* scope="row"', row), f"{name}: a body row without its row header"


def test_every_table_has_percent_widths_that_add_up_and_fit_its_words(every_table):
    for name, table in every_table.items():
        raw = table.as_raw_html()
        widths = [float(w) for w in re.findall(r'<col style="width:([\d.]+)%;"/>', raw)]
        assert len(widths) == len(table.shown()), name
        assert sum(widths) == pytest.approx(100, abs=0.2), name
        assert min(widths) >= 3, (name, widths)


def test_the_label_column_gets_the_width_in_the_fee_table(every_table):
    """Tabell 20's first column came out as 'Mat-avgift dag-verk-samhet' over 5–7 lines in the PDF."""
    widths = every_table["tbl-brukaravgifter"].column_widths()
    stub = widths.pop("abonnemang")
    assert stub >= 25 and all(stub > 3 * w for w in widths.values())
    assert all(w >= 5 for w in widths.values())


def test_the_shared_stylesheet_exists_without_what_typst_or_readers_trip_on():
    css = (ROOT / "assets" / "tables.css").read_text(encoding="utf-8")
    assert f".{CSS_CLASS}" in css and "initial" not in css and "@import" not in css and "url(" not in css
    assert "overflow-x: auto" in css  # a wide table scrolls on a phone
    assert "word-break: normal" in css and "hyphens: manual" in css  # headers never break inside a word


# --- Nothing from 2023 or from the files reaches a reader ---------------------------------------------


def test_period_notes_come_from_the_data(real_data):
    dialogue = real_data["kunddialog"].copy()
    note = tables.dialogue_table(dialogue, 2023).notes[-1]
    assert note == "2022 avser april–december 2022, då mätningen började."
    shifted = dialogue.assign(ar=dialogue["ar"] + 1)
    whole = pd.concat([shifted, shifted[shifted["ar"] == 2024].assign(ar=2025)])
    notes = " ".join(tables.dialogue_table(whole, 2025).notes)
    assert "2023" not in notes and "april" not in notes
    waste = real_data["matsvinn"].assign(ar=2024)
    goals = real_data["miljomal"].assign(ar=2024)
    text_2024 = " ".join(tables.food_waste_for_year(waste, goals, 2024).notes)
    assert "våren 2024" in text_2024 and "våren 2023" not in text_2024.replace("Mätningen våren 2023", "")


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_nothing_internal_reaches_a_reader(every_table, real_data):
    for name, table in every_table.items():
        raw = table.as_raw_html()
        for word in (".csv", "(källans)", "föll bort", "textversionen"):
            assert word not in raw, (name, word)
    with pytest.raises(Exception) as missing:
        tables.statutory_sjukfranvaro_for_year(None, 2023)
    assert ".csv" not in str(missing.value) and "underlaget" in str(missing.value)


def test_statutory_table_is_the_sjukfranvaro_shares_for_the_year():
    hours = pd.DataFrame(
        {
            "ar": [2022, 2023],
            "grupp": ["totalt", "totalt"],
            "antal_anstallda": [100, 100],
            "ordinarie_timmar": [1000.0, 1000.0],
            "sjuktimmar": [70.0, 61.0],
            "sjuktimmar_60_dagar_eller_mer": [20.0, 30.0],
        }
    )
    shares = sjukfranvaro.statutory_shares(hours)
    rows = {r[0]: r[1:] for r in cells(tables.statutory_sjukfranvaro_table(shares, 2023))}
    assert rows["Totalt"] == [f"7,0{NB}%", f"6,1{NB}%", f"{MINUS}0,9{NB}p.e."]
