"""Issue 21: careless and hostile input in data files and imports. Each gives one Swedish line naming
file, row, column and rule, quoting at most a short visible part of the value, ending in exactly one full
stop; nothing is written."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from servicenamnden.errors import QUOTE_LIMIT, DataError
from servicenamnden.io import data, importer

ROOT = Path(__file__).resolve().parents[1]


def rows_of(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(folder: Path, name: str, line: int, column: str, value: str) -> None:
    """Set one cell of ``folder/name.csv`` (``line`` as the file counts it, header = 1)."""
    path = folder / f"{name}.csv"
    rows = rows_of(path)
    rows[line - 1][rows[0].index(column)] = value
    write_rows(path, rows)
    data.clear_cache()


def refusal(folder: Path) -> DataError:
    """The error the whole-data validation stops with."""
    data.clear_cache()
    with pytest.raises(DataError) as info:
        data.validate_all(folder)
    return info.value


def assert_one_line(message: str) -> None:
    """One visible line, not long, ending in exactly one full stop ("?." is two marks)."""
    assert "\n" not in message and "\x00" not in message
    assert len(message) < 400, len(message)
    assert message.endswith(" Inget har ändrats.")
    assert re.search(r"[^.?!][.?!] Inget har ändrats\.$", message), message


# --- Formula-like text ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x";"klicka")', "=1+1", "+cmd", "@SUM(A1)", "-x"])
def test_a_formula_like_text_in_a_data_file_is_refused(data_copy, text):
    set_cell(data_copy, "fakta", 2, "beskrivning", text)
    error = refusal(data_copy)
    assert (error.file, error.line, error.column) == ("data/fakta.csv", 2, "beskrivning")
    assert "börjar som en formel" in error.rule
    assert_one_line(str(error))


def test_a_number_like_text_is_no_formula(data_copy):
    """The age group ``-29`` is a text that reads as a number, not a formula."""
    set_cell(data_copy, "omraden", 2, "enheter", "-29")
    assert data.load("omraden", data_copy)["enheter"].iloc[0] == "-29"


def test_a_dictionary_may_allow_formula_like_text(data_copy):
    spec = data_copy / "omraden.yml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "  enheter: {typ: text,", "  enheter: {typ: text, formel_tillaten: true,"
        ),
        encoding="utf-8",
    )
    set_cell(data_copy, "omraden", 2, "enheter", "=1+1")
    assert data.load("omraden", data_copy)["enheter"].iloc[0] == "=1+1"


def test_a_formula_like_text_cell_in_a_workbook_is_refused(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "bok.xlsx",
        {"abonnemang": [["abonnemang", "benamning", "ordning"], ["frukost", "x", 20]]},
    )
    book = openpyxl.load_workbook(source)
    cell = book["abonnemang"]["B2"]
    cell.value, cell.data_type = '=HYPERLINK("http://x")', "s"  # text, as Excel keeps a quoted '=…
    book.save(source)
    with pytest.raises(DataError) as info:
        importer.run([source], data_copy, say=lambda _: None)
    assert (info.value.line, info.value.column) == (2, "benamning")
    assert "börjar som en formel" in str(info.value)


# --- Control characters, NUL, length ---------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x07", "\t", "\u202e"])
def test_a_control_character_is_refused_and_shown(data_copy, char):
    set_cell(data_copy, "fakta", 3, "beskrivning", f"Sista{char}året")
    error = refusal(data_copy)
    assert (error.line, error.column) == (3, "beskrivning")
    visible = f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    assert visible in str(error) and char not in str(error)
    assert_one_line(str(error))


def test_a_nul_at_the_start_of_a_key_does_not_drop_the_row(data_copy):
    """Before: the row silently disappeared from what the report used."""
    set_cell(data_copy, "brukaravgifter", 2, "abonnemang", "\x00heldygn")
    error = refusal(data_copy)
    assert (error.file, error.line, error.column) == ("data/brukaravgifter.csv", 2, "abonnemang")
    assert "'\\x00heldygn'" in str(error)


def test_an_over_long_text_is_refused_and_quoted_short(data_copy):
    set_cell(data_copy, "fakta", 2, "anmarkning", "x" * 100_000)
    error = refusal(data_copy)
    assert (error.line, error.column) == (2, "anmarkning")
    assert "100000 tecken; högst 500" in error.rule
    assert_one_line(str(error))


def test_a_dictionary_sets_a_column_s_maximum_length(data_copy):
    spec = data_copy / "fakta.yml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "  anmarkning: {typ: text, form: mening, saknas_tillaten: true}",
            "  anmarkning: {typ: text, form: mening, saknas_tillaten: true, max_langd: 20}",
        ),
        encoding="utf-8",
    )
    error = refusal(data_copy)
    assert error.column == "anmarkning" and "högst 20" in error.rule


def test_a_long_wrong_value_is_quoted_short_and_visible(data_copy):
    set_cell(data_copy, "ms_ao_index", 2, "serie", "fel" * 100)
    error = refusal(data_copy)
    assert f"'{'fel' * 20}"[: QUOTE_LIMIT + 1] + "…'" in str(error)
    assert_one_line(str(error))


# --- Numbers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("9" * 100_000, "tecken; ett tal har högst 30"),
        ("1e999", "orimligt stort"),
        ("-1e400", "orimligt stort"),
        ("inf", "är inte ett tal"),
        ("-Infinity", "är inte ett tal"),
        ("nan", "är inte ett tal"),
        ("NaN", "är inte ett tal"),
    ],
)
def test_huge_numbers_infinities_and_nan_are_refused(data_copy, value, rule):
    set_cell(data_copy, "resultatrakning", 2, "belopp_mnkr", value)
    error = refusal(data_copy)
    assert (error.line, error.column) == (2, "belopp_mnkr")
    assert rule in error.rule
    assert_one_line(str(error))


# --- Hints only where a name is close; one full stop ------------------------------------------------


@pytest.mark.parametrize("sheet", ["Blad1", "Instruktioner", "Årsdata 2024"])
def test_a_sheet_far_from_every_data_file_gets_no_hint(data_copy, tmp_path, sheet, workbook):
    source = workbook(tmp_path / "bok.xlsx", {sheet: [["a"], [1]], "arbetsmiljo": [["ar"], [2024]]})
    with pytest.raises(DataError) as info:
        importer.run([source], data_copy, say=lambda _: None)
    assert "närmast" not in str(info.value)
    assert "ingen datafil heter så" in str(info.value)
    assert_one_line(str(info.value))


def test_a_csv_named_far_from_every_data_file_gets_no_hint(data_copy, tmp_path):
    source = tmp_path / "Årsdata 2024.csv"
    source.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        importer.run([source], data_copy, say=lambda _: None)
    assert "pastaenden" not in str(info.value) and "närmast" not in str(info.value)


def test_a_close_code_is_hinted_and_the_line_ends_in_one_mark(data_copy):
    set_cell(data_copy, "brukaravgifter", 2, "abonnemang", "heldygnn")
    message = str(refusal(data_copy))
    assert message.endswith("menar du 'heldygn'? Inget har ändrats.")
    assert_one_line(message)


# --- A year's set is complete -----------------------------------------------------------------------


def drop_line(folder: Path, name: str, line: int) -> None:
    rows = rows_of(folder / f"{name}.csv")
    del rows[line - 1]
    write_rows(folder / f"{name}.csv", rows)
    data.clear_cache()


def test_a_cost_row_moved_to_another_year_is_refused(data_copy):
    """Before: "MS ÄO:s totala kostnad var 55 788 tkr år 2019" (it is 101 386), silently."""
    rows = rows_of(data_copy / "ms_ao_kostnader.csv")
    line = next(i for i, r in enumerate(rows, start=1) if r[:3] == ["2019", "utfall", "livsmedel"])
    set_cell(data_copy, "ms_ao_kostnader", line, "ar", "2018")
    error = refusal(data_copy)
    assert (error.file, error.column) == ("data/ms_ao_kostnader.csv", "kategori")
    assert "år 2019 saknar kategori 'livsmedel'" in error.rule
    assert_one_line(str(error))


def test_a_year_with_a_single_row_is_refused(data_copy):
    with (data_copy / "ms_ao_kostnader.csv").open("a", encoding="utf-8") as handle:
        handle.write("2030,budget,personal,1\n")
    error = refusal(data_copy)
    assert "år 2030 saknar kategori 'lokal_el', 'livsmedel', 'transport' och 2 till" in error.rule


def test_a_missing_sick_leave_group_is_refused(data_copy):
    drop_line(data_copy, "sjukfranvaro", 6)  # 2023, jan-dec, man
    error = refusal(data_copy)
    assert error.column == "grupp" and "år 2023, period = jan-dec saknar grupp 'man'" in error.rule


def test_a_missing_area_is_refused_for_its_type(data_copy):
    drop_line(data_copy, "driftredovisning", 19)  # omrade_5, 2023, budget
    error = refusal(data_copy)
    assert error.column == "omrade" and "år 2023, typ = budget saknar omrade 'omrade_5'" in error.rule


def test_an_import_that_leaves_a_year_incomplete_names_its_source(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "hr.xlsx",
        {
            "sjukfranvaro": [
                ["ar", "period", "grupp", "sjukfranvaro_procent", "antal_anstallda"],
                [2024, "jan-dec", "totalt", 6, None],
            ]
        },
    )
    with pytest.raises(DataError) as info:
        importer.run([source], data_copy, say=lambda _: None)
    assert info.value.file == f'{source}, blad "sjukfranvaro"'
    assert "år 2024, period = jan-dec saknar grupp 'kvinnor', 'man'" in info.value.rule


def test_the_files_whose_years_are_sets_declare_it():
    expected = {"ms_ao_kostnader": "kategori", "sjukfranvaro": "grupp", "driftredovisning": "omrade"}
    for name, column in expected.items():
        assert [c.column for c in data.schema_of(name, ROOT / "data").complete] == [column], name


# --- Every code column has a closed list; a typo gets a hint ---------------------------------------

CODES = [
    ("fakta", "fakta", "miljoplan_sista_ar", "miljoplan_sista_år"),
    ("ovriga_nyckeltal", "nyckeltal", "arbetsmarknadsatgarder", "arbetsmarknadsatgarde"),
    ("miljo_nyckeltal", "nyckeltal", "avtalstrohet_kommunen", "avtalstrohet_komunen"),
    ("miljomal", "mal_id", "matsvinn", "matsvin"),
    ("pastaenden", "id", "brukaravgift_forandring_2021", "brukaravgift_forandrng_2021"),
]


@pytest.mark.parametrize(("name", "column", "good", "typo"), CODES)
def test_a_mistyped_code_is_refused_with_the_nearest_code(data_copy, name, column, good, typo):
    rows = rows_of(data_copy / f"{name}.csv")
    line = next(i for i, r in enumerate(rows, start=1) if r[rows[0].index(column)] == good)
    set_cell(data_copy, name, line, column, typo)
    error = refusal(data_copy)
    assert (error.file, error.line, error.column) == (f"data/{name}.csv", line, column)
    assert f"'{typo}' är inte ett tillåtet värde" in error.rule
    assert str(error).endswith(f"menar du '{good}'? Inget har ändrats.")
    assert len(str(error)) < 300  # a list of 162 ids is not printed


def test_every_fact_the_report_asks_for_is_allowed_and_no_other():
    """The allowed fact codes are the ones the code asks for (a code nobody reads is a typo)."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src").rglob("*.py"))
    allowed = data.schema_of("fakta", ROOT / "data").column("fakta").allowed or ()
    for key in allowed:
        prefix = re.sub(r"_(forsta|sista)_ar$", "", key)
        assert f'"{key}"' in code or f'"{prefix}"' in code, key
    asked = set(re.findall(r'_(?:fact|year|period)\(\s*facts,\s*"(\w+)"', code))
    for key in asked:
        assert key in allowed or f"{key}_forsta_ar" in allowed, key


# --- Relations between columns ----------------------------------------------------------------------


def test_a_comparison_year_after_the_year_is_refused(data_copy):
    """Before: ar and jamforelse_ar swapped turned "7 av 9" into "6 av 8 miljömål"."""
    set_cell(data_copy, "miljomal", 4, "ar", "2022")
    set_cell(data_copy, "miljomal", 4, "jamforelse_ar", "2023")
    error = refusal(data_copy)
    assert (error.file, error.line, error.column) == ("data/miljomal.csv", 4, "jamforelse_ar")
    assert "jamforelse_ar (2023) ska vara mindre än ar (2022)" in error.rule
    assert_one_line(str(error))


def test_a_period_that_starts_after_it_ends_is_refused(data_copy):
    set_cell(data_copy, "processmal", 2, "period_start", "2024")
    error = refusal(data_copy)
    assert (error.line, error.column) == (2, "period_start")
    assert "period_start (2024) ska vara högst period_slut (2023)" in error.rule


# --- A file cut off ---------------------------------------------------------------------------------


def test_a_data_file_cut_off_inside_its_last_cell_is_refused(data_copy):
    """Before: ms_ao_index cut inside its last note was accepted with the note half gone."""
    path = data_copy / "ms_ao_index.csv"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) - 30])
    error = refusal(data_copy)
    lines = raw[: len(raw) - 30].count(b"\n") + 1
    assert (error.file, error.line) == ("data/ms_ao_index.csv", lines)
    assert "kan vara avkortad" in error.rule
    assert_one_line(str(error))


def test_a_data_file_cut_off_inside_a_quoted_cell_is_refused(data_copy):
    path = data_copy / "fakta.csv"
    text = path.read_text(encoding="utf-8")
    cut = text.rindex('"Hyror')  # a quoted cell in the middle of the file
    path.write_text(text[: cut + 10], encoding="utf-8")
    error = refusal(data_copy)
    assert error.file == "data/fakta.csv" and error.line == text[:cut].count("\n") + 1
    assert "citattecken" in error.rule and "avkortad" in error.rule


def test_an_imported_csv_cut_off_is_refused(data_copy, tmp_path):
    source = tmp_path / "brukaravgifter.csv"
    source.write_text('abonnemang;ar;avgift_kr_per_manad\nheldygn;2025;"4\u00a0682', encoding="utf-8")
    with pytest.raises(DataError) as info:
        importer.run([source], data_copy, say=lambda _: None)
    assert info.value.line == 2 and "avkortad" in info.value.rule
    source.write_text(
        "abonnemang;ar;avgift_kr_per_manad\nheldygn;2025;4682\nlunch_5_dagar;20", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        importer.run([source], data_copy, say=lambda _: None)
    assert info.value.line == 3 and "avkortad" in info.value.rule


def test_an_imported_csv_cut_off_inside_its_last_cell_is_refused(data_copy, tmp_path):
    """The trial's case: every field of the last row is there, the last one only in part (the note lost its
    end). Excel and other programs end every row of a CSV with a line break, so a file without one is cut."""
    source = tmp_path / "medarbetarenkat.csv"
    source.write_text(
        "matt;ar;varde;enhet;anmarkning\nledarskap;2022;78;index;Källan anger värdet som föregående års result",
        encoding="utf-8",
    )
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    with pytest.raises(DataError) as info:
        importer.run([source], data_copy, say=lambda _: None)
    assert info.value.line == 2 and "avkortad" in info.value.rule and "radbrytning" in info.value.rule
    assert_one_line(str(info.value))
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} == before


def test_a_workbook_cut_in_half_is_one_line(data_copy, tmp_path, workbook):
    import zipfile

    source = workbook(
        tmp_path / "avgifter.xlsx",
        {"brukaravgifter": [["abonnemang", "ar", "avgift_kr_per_manad"]] + [["heldygn", 2025, 4682]] * 40},
    )
    raw = source.read_bytes()
    halved = tmp_path / "halv.xlsx"
    halved.write_bytes(raw[: len(raw) // 2])
    with zipfile.ZipFile(source) as book:
        parts = {n: book.read(n) for n in book.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]  # the sheet's XML breaks off
    broken = tmp_path / "brutet.xlsx"
    with zipfile.ZipFile(broken, "w") as book:
        for name, content in parts.items():
            book.writestr(name, content)
    for path in (halved, broken):
        with pytest.raises(DataError) as info:
            importer.run([path], data_copy, say=lambda _: None)
        assert_one_line(str(info.value))
    assert "skadad eller avkortad" in str(info.value)


def test_a_control_character_cannot_stop_the_workbook(tmp_path):
    from openpyxl import load_workbook

    from servicenamnden.present.opendata import write_workbook

    path = write_workbook(
        {"tbl-x": {"header": ["a\x07"], "rows": [["b\x00c"]], "caption": "c"}}, tmp_path / "t.xlsx"
    )
    assert load_workbook(path).active["A3"].value == "b\\x00c"
