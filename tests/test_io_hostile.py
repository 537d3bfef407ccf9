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
    set_cell(data_copy, "fakta", 2, "beskrivning", "-29")
    assert data.load("fakta", data_copy)["beskrivning"].iloc[0] == "-29"


def test_a_dictionary_may_allow_formula_like_text(data_copy):
    spec = data_copy / "fakta.yml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "  beskrivning: {typ: text}", "  beskrivning: {typ: text, formel_tillaten: true}"
        ),
        encoding="utf-8",
    )
    set_cell(data_copy, "fakta", 2, "beskrivning", "=1+1")
    assert data.load("fakta", data_copy)["beskrivning"].iloc[0] == "=1+1"


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_formula_like_text_cell_in_a_workbook_is_refused(data_copy, tmp_path):
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
            "  anmarkning: {typ: text, saknas_tillaten: true}",
            "  anmarkning: {typ: text, saknas_tillaten: true, max_langd: 20}",
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
def test_a_sheet_far_from_every_data_file_gets_no_hint(data_copy, tmp_path, sheet):
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
