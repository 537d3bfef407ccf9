"""The controller's workbook (issue 17, §6): ``make mall AR=2024`` writes a sheet per data file the year
needs with the dictionaries' headers, each column's rules where the controller sees them and last year's
rows as a marked example; importing it unchanged changes nothing; the dry run lists every data file that
lacks the year, all at once; an import that changed nothing says so."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from servicenamnden.io import data, importer, template
from servicenamnden.io.schema import read_schema

ROOT = Path(__file__).resolve().parents[1]
LOOKUPS = {"abonnemang", "konton", "kostnadsslag", "omraden"}  # no year: not filled in yearly


@pytest.fixture(scope="module")
def mall(tmp_path_factory) -> Path:
    """The workbook for 2024 from data/, written once for the module (the tests import it into a copy)."""
    data.clear_cache()
    return template.write_template(2024, tmp_path_factory.mktemp("mall") / "mall-2024.xlsx", ROOT / "data")


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_a_sheet_per_data_file_the_year_needs_with_the_dictionarys_headers(data_copy, mall):
    path = mall
    book = openpyxl.load_workbook(path)
    names = set(book.sheetnames)
    registers = set(template.register_schemas(data_copy))
    assert names == set(template.year_files(data_copy)) | registers
    assert {"resultatrakning", "sjukfranvaro", "sjukfranvaro_timmar", "fakta", "rapport", "miljomal"} <= names
    assert not names & ((LOOKUPS - registers) | {"pastaenden"})
    assert template.template_year(path) == 2024
    for name in book.sheetnames:
        schema = read_schema(data_copy / f"{name}.yml")
        sheet = book[name]
        assert [c.value for c in sheet[1]] == [c.name for c in schema.columns], name
        # Every column says what it holds and its rules, on the header and when a cell is selected.
        for cell, col in zip(sheet[1], schema.columns, strict=True):
            assert cell.comment is not None and "Typ:" in cell.comment.text, (name, col.name)
        prompts = {
            str(rng) for dv in sheet.data_validations.dataValidation if dv.prompt for rng in dv.sqref.ranges
        }
        assert len(prompts) == len(schema.columns), name


def test_a_columns_unit_and_rules_are_in_its_help(mall):
    book = openpyxl.load_workbook(mall)
    belopp = book["driftredovisning"]["D1"].comment.text
    assert "Enhet: mnkr." in belopp and "Måste fyllas i." in belopp
    typ = book["driftredovisning"]["C1"].comment.text
    assert "Tillåtna värden: utfall, budget." in typ and "Ingår i radens nyckel (omrade, ar, typ)" in typ
    lists = [dv for dv in book["driftredovisning"].data_validations.dataValidation if dv.type == "list"]
    assert any(dv.formula1 == '"utfall,budget"' for dv in lists)


def test_last_years_rows_are_a_marked_example(data_copy, mall):
    book = openpyxl.load_workbook(mall)
    sheet = book["sjukfranvaro"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    stored = data.load("sjukfranvaro", data_copy)
    assert len(rows) == int((stored["ar"] == 2023).sum()) and all(r[0] == 2023 for r in rows)
    assert sheet["A2"].font.italic and "Exempel: förra årets rader (2023)" in sheet["A2"].comment.text
    assert list(book["sjukfranvaro_timmar"].iter_rows(min_row=2, values_only=True)) == []  # no file yet


def test_a_register_the_years_files_refer_to_has_its_sheet_with_every_row(data_copy, mall):
    """A new investment project or subscription goes on its register's sheet in the same workbook: the
    sheet is there, with the register's rows as they stand (a year's file naming a project must find it)."""
    assert {"investeringsprojekt", "abonnemang"} <= set(template.register_schemas(data_copy))
    book = openpyxl.load_workbook(mall)
    sheet = book["investeringsprojekt"]
    stored = data.load("investeringsprojekt", data_copy)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == list(stored["projekt"])
    assert "Registret" in sheet["A2"].comment.text and "nya rader" in sheet["A2"].comment.text


@pytest.mark.slow  # imports a whole workbook into a copy of the whole data
def test_importing_the_template_unchanged_changes_nothing(data_copy, mall):
    path = mall
    before = _bytes(data_copy)
    said: list[str] = []
    changes = importer.run([path], data_copy, say=said.append)
    assert _bytes(data_copy) == before
    assert all(not c.has_changes for c in changes)
    assert said[-1] == "Klart: inget ändrades; alla rader fanns redan i data/."
    assert not any("make check" in line for line in said)


@pytest.mark.slow  # imports a whole workbook into a copy of the whole data
def test_the_dry_run_lists_every_file_without_the_year_at_once(data_copy, mall):
    path = mall
    said: list[str] = []
    importer.run([path], data_copy, dry_run=True, say=said.append)
    lines = [line for line in said if line.startswith("Saknas för 2024: ")]
    assert len(lines) == 1
    listed = re.sub(r" \(\d+ av .*", "", lines[0].removeprefix("Saknas för 2024: "))
    listed = [name.removesuffix(" (frivillig)") for name in listed.split(", ")]
    expected = [
        name
        for name in template.year_files(data_copy)
        if data.load_optional(name, data_copy) is None or not (data.load(name, data_copy)["ar"] == 2024).any()
    ]
    assert listed == expected
    assert {"resultatrakning", "sjukfranvaro", "miljomal", "sjukfranvaro_timmar"} <= set(listed)
    assert "sjukfranvaro_timmar (frivillig)" in lines[0]
    assert f"av {len(template.year_files(data_copy))} datafiler" in lines[0]
    assert "brukaravgifter" not in listed  # the 2024 fees were set in the 2023 report


@pytest.mark.slow  # imports a whole workbook into a copy of the whole data
def test_the_dry_run_of_the_partial_workbook_lists_what_it_lacks(data_copy, tmp_path, partial_2024_builder):
    workbook = partial_2024_builder.write_workbook(tmp_path / "delvis.xlsx")
    said: list[str] = []
    importer.run([workbook], data_copy, dry_run=True, say=said.append, ar=2024)
    [line] = [line for line in said if line.startswith("Saknas för 2024: ")]
    listed = set(re.sub(r" \(\d+ av .*", "", line.removeprefix("Saknas för 2024: ")).split(", "))
    assert not listed & set(partial_2024_builder.PRESENT)
    assert set(partial_2024_builder.ABSENT) <= listed


def test_make_mall_has_swedish_help_and_passes_the_year(root):
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^mall: .*## .*make mall AR=", makefile, re.M)
    assert "servicenamnden.io.template" in makefile
    assert re.search(r"servicenamnden\.io\.importer .*\$\(ARG_AR\)", makefile)


@pytest.mark.slow  # imports a whole workbook into a copy of the whole data
def test_the_template_filled_for_some_files_imports_them_and_says_what_is_left(
    data_copy, mall, tmp_path, partial_2024_builder
):
    """The controller fills the economy and the sick leave of 2024 below the grey rows and leaves the rest."""
    book = openpyxl.load_workbook(mall)
    for name in (*partial_2024_builder.REGISTERS, *partial_2024_builder.PRESENT):
        header, rows = partial_2024_builder.new_rows(name)
        if name not in book.sheetnames:  # a register (new projects): a sheet of its own, as the README says
            book.create_sheet(name).append(header)
        sheet = book[name]
        assert [c.value for c in sheet[1]] == header, name
        key = [header.index(k) for k in read_schema(ROOT / "data" / f"{name}.yml").key]
        grey = {tuple(str(r[i].value) for i in key): r for r in sheet.iter_rows(min_row=2)}
        for row in rows:
            example = grey.get(tuple(row[i] for i in key))
            if example is None:
                sheet.append(row)
            else:  # last year's row changed (an index published since): written over the grey row
                for cell, value in zip(example, row, strict=True):
                    cell.value = value
    filled = tmp_path / "ifylld-2024.xlsx"
    book.save(filled)
    said: list[str] = []
    importer.run([filled], data_copy, say=said.append)
    for name in partial_2024_builder.PRESENT:
        assert (data.load(name, data_copy)["ar"] == 2024).any(), name
    [line] = [line for line in said if line.startswith("Saknas för 2024: ")]
    assert "resultatrakning" not in line and "miljomal" in line and "kunddialog" in line
    assert said[-1].startswith("Klart: ") and "make check" in said[-1]
    again: list[str] = []
    importer.run([filled], data_copy, say=again.append)
    assert again[-1] == "Klart: inget ändrades; alla rader fanns redan i data/."
