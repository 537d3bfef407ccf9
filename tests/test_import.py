"""Import of the controller's files: Excel workbooks and Excel's Swedish CSV into data/, and the 2024 set."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from servicenamnden.io import data, importer, sources

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "data_2024"
FEES = ["abonnemang", "ar", "avgift_kr_per_manad"]


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file in ``folder``."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def fee(frame: pd.DataFrame, code: str, ar: int) -> float:
    hit = frame[(frame["abonnemang"] == code) & (frame["ar"] == ar)]["avgift_kr_per_manad"]
    assert len(hit) == 1, (code, ar)
    return float(hit.iloc[0])


def run_cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "servicenamnden.io.importer", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


# --- Excel workbooks --------------------------------------------------------------------------------


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_xlsx_round_trip_adds_and_updates_and_keeps_the_rest(data_copy, tmp_path, workbook):
    rows_before = len(data.load("brukaravgifter"))
    source = workbook(
        tmp_path / "avgifter 2025.xlsx",
        {
            "brukaravgifter": [
                [" abonnemang", "ar ", " avgift_kr_per_manad ", None],  # stray spaces, empty last column
                ["heldygn", 2025.0, 4701.5],  # a year as Excel stores numbers
                ["heldygn", 2024, 4600],  # changed
                ["lunch_5_dagar", 2024, 1567],  # as it is
                [None, None, None],  # trailing empty rows
                [None, None, None],
            ],
        },
    )
    messages: list[str] = []
    [change] = importer.run([source], data_copy, say=messages.append)
    frame = data.load("brukaravgifter")
    assert len(frame) == rows_before + 1
    assert fee(frame, "heldygn", 2025) == 4701.5
    assert fee(frame, "heldygn", 2024) == 4600
    assert fee(frame, "lunch_5_dagar", 2019) == 1265  # only in data/: kept
    assert frame["ar"].dtype.name == "Int64"
    text = (data_copy / "brukaravgifter.csv").read_text(encoding="utf-8")
    assert "heldygn,2024,4600\nheldygn,2025,4701.5\nlunch_5_dagar,2019," in text  # next to its own years
    assert (change.added, change.unchanged, change.kept) == (["heldygn, 2025"], 1, 46)


def test_a_single_sheet_workbook_is_named_by_its_file_name(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "arbetsmiljo.xlsx",
        {
            "Blad1": [
                ["ar", "handelse", "antal"],
                [2024, "tillbud", 74],
                [2024, "arbetsskada_med_franvaro", 13],
            ]
        },
    )
    importer.run([source], data_copy, say=lambda _: None)
    frame = data.load("arbetsmiljo").set_index(["ar", "handelse"])
    assert frame.loc[(2024, "tillbud"), "antal"] == 74
    assert len(frame) == 8


def test_excel_quirks_year_in_a_date_cell_percent_format_and_a_group_typed_as_number(data_copy, tmp_path):
    path = tmp_path / "hr.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "sjukfranvaro"
    sheet.append(["ar", "period", "grupp", "sjukfranvaro_procent", "antal_anstallda"])
    sheet.append([dt.datetime(1905, 7, 16), "jan-dec", "totalt", 0.06, 742])  # serial 2024 shown as a date
    sheet["A2"].number_format = "yyyy-mm-dd"
    sheet["D2"].number_format = "0.0%"  # 0.06 shown as 6,0 %
    sheet.append([2024, "jan-dec", "kvinnor", 6.5, 540])
    sheet.append([2024, "jan-dec", "man", 5.1, 202])  # a year has all three groups (komplett_per_ar)
    book.save(path)
    importer.run([path], data_copy, say=lambda _: None)
    sick = data.load("sjukfranvaro")
    hit = sick[(sick["ar"] == 2024) & (sick["grupp"] == "totalt")].iloc[0]
    assert hit["sjukfranvaro_procent"] == 6.0 and hit["antal_anstallda"] == 742
    assert sources.cell_text(-29, data.schema_of("sjukfranvaro").column("grupp")) == "-29"


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_new_optional_file_validates_against_its_dictionary_in_data(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "sjukfranvaro_timmar.xlsx",
        {
            "sjukfranvaro_timmar": [
                [
                    "ar",
                    "grupp",
                    "antal_anstallda",
                    "ordinarie_timmar",
                    "sjuktimmar",
                    "sjuktimmar_60_dagar_eller_mer",
                ],
                [2024, "totalt", 742, 1173680, 69995, 28698],
                [2024, "kvinnor", 540, 842400, 54756, None],
                [2024, "man", 202, 331280, 15239, None],  # a year has all six groups (komplett_per_ar)
                [2024, "-29", 10, 15000, 615, None],
                [2024, "30-49", 331, 526290, 27367, None],
                [2024, "50-", 401, 632390, 42013, None],
            ]
        },
    )
    assert data.load_optional("sjukfranvaro_timmar") is None
    dictionary = (data_copy / "sjukfranvaro_timmar.yml").read_bytes()
    [change] = importer.run([source], data_copy, say=lambda _: None)
    assert change.new_file
    assert (data_copy / "sjukfranvaro_timmar.yml").read_bytes() == dictionary
    assert "sjukfranvaro_timmar" in data.validate_all(data_copy)
    assert len(data.load_optional("sjukfranvaro_timmar")) == 6


# --- Excel's Swedish CSV ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_swedish_csv_round_trip(data_copy, tmp_path, encoding):
    text = (
        "matt; ar ;Varde ;enhet;anmarkning\r\n"  # header cells with stray spaces and a capital
        'hme_totalt;2024;79,5;index;"Mätningen gjordes i oktober; svarsfrekvens 81,5 %"\r\n'
        "roda_enheter;2024;3;antal;\r\n"
        ";;;;\r\n"
    )
    source = tmp_path / "medarbetarenkat.csv"
    source.write_bytes(text.encode(encoding))
    importer.run([source], data_copy, say=lambda _: None)
    frame = data.load("medarbetarenkat").set_index(["matt", "ar"])
    assert frame.loc[("hme_totalt", 2024), "varde"] == 79.5  # decimal comma in a number column
    assert (
        frame.loc[("hme_totalt", 2024), "anmarkning"] == "Mätningen gjordes i oktober; svarsfrekvens 81,5 %"
    )
    assert frame.loc[("roda_enheter", 2024), "varde"] == 3
    assert len(frame) == 14
    written = (data_copy / "medarbetarenkat.csv").read_bytes()
    assert written.decode("utf-8").count(";") == 1  # the separator is a comma; only the text keeps its ;
    assert not written.startswith(b"\xef\xbb\xbf")


def test_swedish_number_forms_become_canonical():
    fee_column = data.schema_of("brukaravgifter", ROOT / "data").column("avgift_kr_per_manad")
    share = data.schema_of("sjukfranvaro", ROOT / "data").column("sjukfranvaro_procent")
    year = data.schema_of("brukaravgifter", ROOT / "data").column("ar")
    assert sources.cell_text("4\u00a0701,5", fee_column) == "4701.5"
    assert sources.cell_text("\u221212 345", fee_column) == "-12345"
    assert sources.cell_text("6,1 %", share) == "6.1"
    assert sources.cell_text("2024,0", year) == "2024"
    assert sources.cell_text("4 701,5 kr", fee_column) == "4 701,5 kr"  # left for the validator to name


# --- What would change, dry run, and bad files ------------------------------------------------------


def test_the_diff_counts_added_changed_unchanged_and_kept(data_copy, tmp_path):
    source = tmp_path / "brukaravgifter.csv"
    source.write_text(
        "abonnemang;ar;avgift_kr_per_manad\n"
        "heldygn;2025;4682\nlunch_5_dagar;2025;1622\n"  # two new
        "heldygn;2024;4600\n"  # one changed (4524 in data/)
        "heldygn;2023;4189,0\n",  # one unchanged (same number, other spelling)
        encoding="cp1252",
    )
    [change] = importer.run([source], data_copy, dry_run=True, say=lambda _: None)
    assert change.added == ["heldygn, 2025", "lunch_5_dagar, 2025"]
    assert change.changed == ["heldygn, 2024: avgift_kr_per_manad 4524 → 4600"]
    assert change.unchanged == 1
    assert change.kept == 48 - 2
    lines = importer.describe(change)
    assert "nya rader 2, ändrade 1, oförändrade 1, bara i data/ (behålls) 46" in lines[0]


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_dry_run_writes_nothing(data_copy, tmp_path):
    source = tmp_path / "brukaravgifter.csv"
    source.write_text("abonnemang;ar;avgift_kr_per_manad\nheldygn;2025;4682\n", encoding="cp1252")
    before = digest(data_copy)
    result = run_cli(source, "--dry-run", "--data", data_copy)
    assert result.returncode == 0, result.stderr
    assert "nya rader 1" in result.stdout and "Inget har skrivits" in result.stdout
    assert digest(data_copy) == before


BAD = {
    "decimal_text": (
        "abonnemang;ar;avgift_kr_per_manad\nheldygn;2025;4682\nheldygn;2026;4 701,5 kr\n",
        "Fel i {file}, rad 3, kolumn \"avgift_kr_per_manad\": '4 701,5 kr' är inte ett tal. Inget har ändrats.",
    ),
    "missing_column": (
        "abonnemang;ar\nheldygn;2025\n",
        'Fel i {file}, rad 1, kolumn "avgift_kr_per_manad": kolumnen saknas i rubrikraden. Inget har ändrats.',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_bad_file_gives_one_swedish_line_and_changes_nothing(data_copy, tmp_path, case, workbook):
    text, expected = BAD[case]
    good = workbook(
        tmp_path / "arbetsmiljo.xlsx", {"arbetsmiljo": [["ar", "handelse", "antal"], [2024, "tillbud", 74]]}
    )
    bad = tmp_path / "brukaravgifter.csv"
    bad.write_text(text, encoding="cp1252")
    before = digest(data_copy)
    result = run_cli(good, bad, "--data", data_copy)  # the good file is not written either
    assert result.returncode == 1
    assert result.stderr.strip() == expected.format(file=bad)
    assert "Traceback" not in result.stderr and "\n" not in result.stderr.strip()
    assert digest(data_copy) == before


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_file_named_after_no_data_file_is_refused(data_copy, tmp_path):
    source = tmp_path / "avgifter.csv"
    source.write_text("abonnemang;ar;avgift_kr_per_manad\nheldygn;2025;4682\n", encoding="utf-8")
    result = run_cli(source, "--data", data_copy)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Fel i {source}: filnamnet motsvarar ingen datafil")


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_two_sources_for_one_data_file_are_refused(data_copy, tmp_path, workbook):
    book = workbook(tmp_path / "ekonomi.xlsx", {"brukaravgifter": [FEES, ["heldygn", 2025, 4682]]})
    csv_file = tmp_path / "brukaravgifter.csv"
    csv_file.write_text("abonnemang;ar;avgift_kr_per_manad\nheldygn;2025;4700\n", encoding="cp1252")
    before = digest(data_copy)
    result = run_cli(book, csv_file, "--data", data_copy)
    assert result.returncode == 1
    assert "datafilen brukaravgifter finns redan i" in result.stderr
    assert digest(data_copy) == before


def test_make_import_passes_the_file_and_dry_run():
    result = subprocess.run(
        ["make", "-n", "import", "FILE=Hämtade filer/avgifter.xlsx", "DRY=1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert '-m servicenamnden.io.importer "Hämtade filer/avgifter.xlsx" --dry-run' in result.stdout


# --- The invented 2024 data set ---------------------------------------------------------------------


def test_the_2024_set_is_marked_invented_and_validates():
    assert "PÅHITTAD" in (FIXTURE / "README.md").read_text(encoding="utf-8")
    counts = data.validate_all(FIXTURE)
    assert set(counts) == set(data.data_files(ROOT / "data")) | {"sjukfranvaro_timmar"}


def test_the_2024_set_has_2024_wherever_data_has_years_and_keeps_the_earlier_rows():
    changed_earlier = {"ms_ao_index", "pastaenden"}  # storköksindex 2023 published; claims pruned
    for name in data.data_files(ROOT / "data"):
        current = data.load(name, ROOT / "data")
        if "ar" not in current:
            continue
        invented = data.load(name, FIXTURE)
        assert (invented["ar"] == 2024).any(), name
        if name in changed_earlier:
            continue
        old = missing_as_none(current[current["ar"] <= 2023].reset_index(drop=True))
        kept = missing_as_none(invented[invented["ar"] <= 2023].reset_index(drop=True))
        pd.testing.assert_frame_equal(kept, old, check_like=False, check_dtype=False, obj=name)


def missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None whatever the column's dtype, so an empty text column compares equal."""
    return frame.astype(object).where(frame.notna(), None)


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_importing_the_2024_rows_as_one_workbook_gives_the_2024_set(data_copy, tmp_path):
    """The controller's way: one workbook, one sheet per file, the rows from 2023 on (2023 unchanged)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    yearly = [n for n in data.data_files(FIXTURE) if "ar" in data.load(n, FIXTURE) and n != "pastaenden"]
    for name in yearly:
        schema = data.schema_of(name, FIXTURE)
        sheet = book.create_sheet(name)
        sheet.append([c.name for c in schema.columns])
        for record in data.load(name, FIXTURE).to_dict("records"):
            if record["ar"] >= 2023:
                sheet.append(
                    [
                        None if pd.isna(v) else (float(v) if c.numeric else v)
                        for c, v in zip(schema.columns, record.values(), strict=True)
                    ]
                )
    # The year's new investment projects go into their register on a sheet of the same workbook.
    register = book.create_sheet("investeringsprojekt")
    register.append(["projekt", "anmarkning"])
    for record in data.load("investeringsprojekt", FIXTURE).to_dict("records"):
        register.append([record["projekt"], record["anmarkning"]])
    book.save(tmp_path / "ekonomi_och_hr_2024.xlsx")
    changes = importer.run([tmp_path / "ekonomi_och_hr_2024.xlsx"], data_copy, say=lambda _: None)
    assert len(changes) == len(yearly) + 1 and "sjukfranvaro_timmar" in yearly
    costs = next(c for c in changes if c.name == "ms_ao_kostnader")
    assert len(costs.changed) == 6 and all("typ budget → utfall" in c for c in costs.changed)
    for name in [*yearly, "investeringsprojekt"]:
        key = list(data.schema_of(name, FIXTURE).key)
        got = data.load(name, data_copy).sort_values(key).reset_index(drop=True)
        want = data.load(name, FIXTURE).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, obj=name)
