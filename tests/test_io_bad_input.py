"""Bad input a controller can make (issue 12): each gives one Swedish line naming the file or sheet, the
row, the column and the rule, exit code 1, no traceback, and no file in data/ changed."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from servicenamnden.errors import DataError
from servicenamnden.io import data, importer

ROOT = Path(__file__).resolve().parents[1]


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (staging folders included)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


def refused(result: subprocess.CompletedProcess, expected: str) -> None:
    """Exit 1 with exactly ``expected`` as the only line, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip() == expected, result.stderr


def import_refused(data_copy: Path, source: Path, expected: str) -> None:
    before = digest(data_copy)
    refused(run("-m", "servicenamnden.io.importer", source, "--data", data_copy), expected)
    assert digest(data_copy) == before


# --- Bounds: no "None" in any message ---------------------------------------------------------------


def one_sided_columns() -> list[tuple[str, str]]:
    """(data file, column) for every numeric column in data/ with a lower or an upper bound only."""
    found = []
    for name in data.data_files(ROOT / "data"):
        for col in data.schema_of(name, ROOT / "data").columns:
            lo, hi = col.bounds()
            if col.numeric and (lo is None) != (hi is None):
                found.append((name, col.name))
    return found


@pytest.mark.parametrize(("name", "column"), one_sided_columns())
def test_a_value_out_of_a_one_sided_bound_names_the_bound_not_none(data_copy, name, column):
    col = data.schema_of(name).column(column)
    lo, hi = col.bounds()
    bad = str(int(lo) - 1) if lo is not None else str(int(hi) + 1)
    path = data_copy / f"{name}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index(column)] = bad
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    data.clear_cache()
    with pytest.raises(DataError) as info:
        data.load(name, data_copy)
    message = str(info.value)
    assert "None" not in message
    assert (info.value.line, info.value.column) == (2, column)
    bound = lo if lo is not None else hi
    side = "minsta" if lo is not None else "största"
    assert (
        f"'{bad}' är {'mindre' if lo is not None else 'större'} än det {side} tillåtna värdet {int(bound)}"
        in message
    )


def test_there_are_one_sided_bounds_to_test():
    assert len(one_sided_columns()) >= 8


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_negative_fee_in_an_import_names_the_lower_bound(data_copy, tmp_path):
    source = tmp_path / "brukaravgifter.csv"
    source.write_text(
        "abonnemang;ar;avgift_kr_per_manad\nheldygn;2025;\u22124\u00a0682\n", encoding="utf-8-sig"
    )
    import_refused(
        data_copy,
        source,
        f'Fel i {source}, rad 2, kolumn "avgift_kr_per_manad": '
        "'-4682' är mindre än det minsta tillåtna värdet 0. Inget har ändrats.",
    )


# --- References to another file's key --------------------------------------------------------------


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_an_unknown_subscription_in_an_import_is_refused_with_the_nearest_code(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "avgifter.xlsx",
        {
            "brukaravgifter": [
                ["abonnemang", "ar", "avgift_kr_per_manad"],
                ["heldygn", 2025, 4682],
                ["heldygnn", 2025, 4700],
            ]
        },
    )
    import_refused(
        data_copy,
        source,
        f'Fel i {source}, blad "brukaravgifter", rad 3, kolumn "abonnemang": '
        "'heldygnn' finns inte i abonnemang.csv (kolumnen abonnemang); menar du 'heldygn'? Inget har ändrats.",
    )


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_new_code_imported_with_its_subscription_is_accepted(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "avgifter.xlsx",
        {
            "abonnemang": [
                ["abonnemang", "benamning", "ordning"],
                ["frukost_7_dagar", "Frukost 7 dagar", 20],
            ],
            "brukaravgifter": [["abonnemang", "ar", "avgift_kr_per_manad"], ["frukost_7_dagar", 2025, 900]],
        },
    )
    importer.run([source], data_copy, say=lambda _: None)
    assert "frukost_7_dagar" in set(data.load("brukaravgifter", data_copy)["abonnemang"])
    data.validate_all(data_copy)


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_an_unknown_code_in_data_stops_the_check(data_copy):
    path = data_copy / "brukaravgifter.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("heldygn", "heldygnn", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert "heldygnn" in lines[5]
    before = digest(data_copy)
    result = run("-m", "servicenamnden", "check")
    refused(
        result,
        'Fel i data/brukaravgifter.csv, rad 6, kolumn "abonnemang": '
        "'heldygnn' finns inte i abonnemang.csv (kolumnen abonnemang); menar du 'heldygn'? Inget har ändrats.",
    )
    assert digest(data_copy) == before


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_reference_within_a_year_must_match_that_year(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "internkontroll.xlsx",
        {
            "internkontroll_avvikelser": [
                ["ar", "risk_nr", "fall", "beskrivning", "belopp_tkr"],
                [2031, 1, 1, "Inköp utan avtal", 120],
            ]
        },
    )
    import_refused(
        data_copy,
        source,
        f'Fel i {source}, blad "internkontroll_avvikelser", rad 2, kolumn "risk_nr": '
        "'1' finns inte i internkontroll_risker.csv (kolumnen nr, ar = 2031). Inget har ändrats.",
    )


def test_a_parent_post_must_exist_in_the_same_file_and_year(data_copy):
    path = data_copy / "avvikelser_omraden.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    column = rows[0].index("overordnad")
    line = next(i for i, r in enumerate(rows) if r[column] == "o1_resultat")
    rows[line][column] = "o1_resultatet"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    data.clear_cache()
    with pytest.raises(DataError) as info:
        data.validate_all(data_copy)
    assert (info.value.line, info.value.column) == (line + 1, "overordnad")
    assert "'o1_resultatet' finns inte i avvikelser_omraden.csv (kolumnen post_id, ar = 2023)" in str(
        info.value
    )


def test_every_code_column_declares_its_reference():
    """The columns that hold another file's key say so in their data dictionary."""
    expected = {
        ("brukaravgifter", "abonnemang"): "abonnemang",
        ("resultatrakning", "konto"): "konton",
        ("ekonomi_justeringar", "konto"): "konton",
        ("ms_ao_kostnader", "kategori"): "kostnadsslag",
        ("driftredovisning", "omrade"): "omraden",
        ("avvikelser_omraden", "overordnad"): "avvikelser_omraden",
        ("internkontroll_avvikelser", "risk_nr"): "internkontroll_risker",
    }
    for (name, column), target in expected.items():
        reference = data.schema_of(name, ROOT / "data").column(column).reference
        assert reference is not None and reference.file == target, (name, column)
        assert reference.column in data.schema_of(target, ROOT / "data").key


# --- Workbooks: sheet names, formulas, merged headers ----------------------------------------------


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_misspelled_sheet_is_an_error_naming_the_nearest_data_file(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "hr.xlsx",
        {
            "arbetsmiljo": [["ar", "handelse", "antal"], [2024, "tillbud", 74]],
            "sjukfrånvaro": [["ar", "period", "grupp", "sjukfranvaro_procent", "antal_anstallda"]],
        },
    )
    import_refused(
        data_copy,
        source,
        f'Fel i {source}, blad "sjukfrånvaro": ingen datafil heter så; närmast är sjukfranvaro – döp bladet '
        "exakt som datafilen (utan å, ä, ö) eller ta bort bladet. Inget har ändrats.",
    )


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_formula_without_a_saved_value_is_named_as_such(data_copy, tmp_path, workbook):
    source = workbook(
        tmp_path / "avgifter.xlsx",
        {"brukaravgifter": [["abonnemang", "ar", "avgift_kr_per_manad"], ["heldygn", 2025, "=4524*1.04"]]},
    )
    import_refused(
        data_copy,
        source,
        f'Fel i {source}, blad "brukaravgifter", rad 2, kolumn "avgift_kr_per_manad": cellen har formeln '
        "=4524*1.04 men Excel har aldrig sparat dess värde; öppna arbetsboken i Excel, låt den räkna klart "
        "och spara den igen. Inget har ändrats.",
    )


def test_a_formula_with_a_saved_value_is_imported(data_copy, tmp_path, workbook):
    """Excel saves a formula's result next to it; openpyxl's data_only reads that result."""
    source = workbook(
        tmp_path / "avgifter.xlsx",
        {"brukaravgifter": [["abonnemang", "ar", "avgift_kr_per_manad"], ["heldygn", 2025, "=4524*1.04"]]},
    )
    rewrite_sheet(source, b"<f>4524*1.04</f><v />", b"<f>4524*1.04</f><v>4704.96</v>")
    importer.run([source], data_copy, say=lambda _: None)
    fees = data.load("brukaravgifter", data_copy)
    assert (
        float(fees[(fees["abonnemang"] == "heldygn") & (fees["ar"] == 2025)]["avgift_kr_per_manad"].iloc[0])
        == 4704.96
    )


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_merged_header_is_named_as_merged(data_copy, tmp_path):
    path = tmp_path / "avgifter.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "brukaravgifter"
    sheet.append(["abonnemang", None, "avgift_kr_per_manad"])
    sheet.append(["heldygn", 2025, 4682])
    sheet.merge_cells("A1:B1")
    book.save(path)
    import_refused(
        data_copy,
        path,
        f'Fel i {path}, blad "brukaravgifter", rad 1, kolumn "abonnemang": rubriken är sammanfogad över '
        "cellerna A1:B1; varje kolumn behöver en egen rubrikcell – dela upp sammanfogningen. Inget har ändrats.",
    )


# --- Linear in the rows ----------------------------------------------------------------------------


def allow_codes(folder: Path, codes: list[str]) -> None:
    """Add ``codes`` to the key figures ovriga_nyckeltal.yml allows, as a controller adding new ones would."""
    spec = folder / "ovriga_nyckeltal.yml"
    text = spec.read_text(encoding="utf-8")
    start = text.index("    tillatna: [") + len("    tillatna: [")
    spec.write_text(text[:start] + "".join(f"{c}, " for c in codes) + text[start:], encoding="utf-8")
    data.clear_cache()


def timed_import(data_copy: Path, tmp_path: Path, rows: int) -> float:
    """Import ``rows`` rows of ovriga_nyckeltal (half new keys, half a second year of one) in seconds."""
    header = ["nyckeltal", "verksamhet", "avsnitt", "beskrivning", "ar", "varde", "enhet", "anmarkning"]
    unit = data.schema_of("ovriga_nyckeltal", data_copy).column("enhet").allowed[0]
    existing = data.load("ovriga_nyckeltal", data_copy)
    first = existing.iloc[0]
    place = f"{first['verksamhet']};{first['avsnitt']}"  # closed lists: values the dictionary has
    allow_codes(data_copy, [f"matt_{i}" for i in range(rows // 2)])
    lines = [";".join(header)]
    for i in range(rows // 2):
        for year in (2030, 2031):
            lines.append(f"matt_{i};{place};Ett påhittat mått;{year};{i},5;{unit};")
    lines.append(f"{first['nyckeltal']};{place};Ändrad;2031;1;{unit};")  # next to an existing key
    source = tmp_path / f"ovriga_nyckeltal_{rows}" / "ovriga_nyckeltal.csv"
    source.parent.mkdir()
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    importer.run([source], data_copy, dry_run=True, say=lambda _: None)
    return time.perf_counter() - started


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_the_import_is_linear_in_the_rows(data_copy, tmp_path):
    small = timed_import(data_copy, tmp_path, 2_500)
    large = timed_import(data_copy, tmp_path, 10_000)
    # 22,5 s before the fix (quadratic); under 3 s on an idle machine now. Generous for a loaded one.
    assert large < 12, large
    assert large / small < 8, (small, large)  # quadratic would be about 16


def rewrite_sheet(path: Path, old: bytes, new: bytes) -> None:
    """Change the first sheet's XML inside the .xlsx the way another program would have saved it."""
    import zipfile

    with zipfile.ZipFile(path) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    sheet = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    assert old in parts[sheet], parts[sheet]
    parts[sheet] = parts[sheet].replace(old, new)
    with zipfile.ZipFile(path, "w") as zout:
        for name, content in parts.items():
            zout.writestr(name, content)


def test_the_sheet_scan_tells_saved_from_unsaved_formulas(tmp_path, workbook):
    from servicenamnden.io import xlsx_scan

    path = workbook(tmp_path / "prov.xlsx", {"brukaravgifter": [["a", "b", "c"], ["=1", "=2", "=3"]]})
    rewrite_sheet(path, b'<c r="A2"><f>1</f><v /></c>', b'<c r="A2" t="str"><f>""</f><v></v></c>')  # saved ""
    rewrite_sheet(
        path, b'<c r="B2"><f>2</f><v /></c>', b'<c r="B2"><f t="shared" si="0"/></c>'
    )  # never saved
    rewrite_sheet(path, b'<c r="C2"><f>3</f><v /></c>', b'<c r="C2"><f>3</f><v>3</v></c>')  # saved 3
    part = xlsx_scan.sheet_parts(path)["brukaravgifter"]
    merged, unsaved = xlsx_scan.scan(path, part)
    assert merged == []
    assert unsaved == [xlsx_scan.UnsavedFormula(2, 2, "=")]
