"""The data folder a controller finds (issue 12, "the guide") and the one number parser of io (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from servicenamnden.errors import DataError
from servicenamnden.io import data, importer, numbers

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "servicenamnden"


def guide() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Så gör du nästa års rapport")
    return text[start : text.index("\n## ", start + 1)]


# --- Dictionaries in data/ --------------------------------------------------------------------------


def test_every_sheet_the_guide_names_has_a_dictionary_in_data():
    """Each name in step 1 is a column or a value, or a sheet whose dictionary the controller finds in data/."""
    names = [p.stem for p in (ROOT / "data").glob("*.yml")]
    schemas = [data.schema_of(n, ROOT / "data") for n in names]
    columns = {c.name for s in schemas for c in s.columns} | {
        v for s in schemas for c in s.columns for v in c.allowed or ()
    }
    columns -= set(names)
    step_one = guide().split("2. **Provkör")[0]
    # The process-goal bullet names processmal's period columns, which helper `prose` adds.
    step_one = re.sub(r"   - Processmålens period:.*?(?=\n   - )", "", step_one, flags=re.S)
    sheets = {t for t in re.findall(r"`([a-z][a-z0-9_]+)`", step_one) if t not in columns}
    assert {"sjukfranvaro_timmar", "brukaravgifter", "investeringar_orsaker", "processmal"} <= sheets
    for sheet in sorted(sheets):
        assert (ROOT / "data" / f"{sheet}.yml").exists(), sheet


def test_no_dictionary_is_kept_in_the_package():
    assert not list(SRC.rglob("*.yml"))
    assert not (SRC / "io" / "schemas").exists()


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_the_optional_file_has_its_dictionary_in_data_and_may_lack_its_csv():
    schema = data.schema_of("sjukfranvaro_timmar", ROOT / "data")
    assert schema.optional
    assert not (ROOT / "data" / "sjukfranvaro_timmar.csv").exists()
    assert data.optional_files(ROOT / "data") == ["sjukfranvaro_timmar"]
    assert "sjukfranvaro_timmar" not in data.validate_all(ROOT / "data")


def test_a_dictionary_without_data_that_is_not_optional_is_still_refused(data_copy):
    (data_copy / "brukaravgifter.csv").rename(data_copy / "gammal.txt")
    with pytest.raises(DataError, match="dataordlistan har ingen datafil"):
        data.validate_all(data_copy)


def test_no_dictionary_title_names_a_year():
    # processmal.yml belongs to helper `prose` (it gets period columns); its title is theirs to change.
    for path in sorted((ROOT / "data").glob("*.yml")):
        if path.stem == "processmal":
            continue
        title = data.schema_of(path.stem, ROOT / "data").title
        assert not re.search(r"\b(19|20)\d\d\b", title), (path.name, title)


def test_the_2024_fixture_uses_the_same_dictionaries_for_what_io_owns():
    for path in sorted((ROOT / "data").glob("*.yml")):
        if path.stem in {"processmal", "pastaenden", "rapport"}:
            continue
        fixture = ROOT / "tests" / "fixtures" / "data_2024" / path.name
        assert fixture.read_bytes() == path.read_bytes(), path.name


def test_reasons_for_investments_are_kept_per_year(data_copy, tmp_path):
    assert "ar" in data.schema_of("investeringar_orsaker").key
    before = data.load("investeringar_orsaker", data_copy)
    first = before.iloc[0]
    source = tmp_path / "investeringar_orsaker.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "investeringar_orsaker"
    sheet.append(["orsak_id", "ordning", "projekt", "orsak", "ar", "belopp_mnkr"])
    sheet.append([first["orsak_id"], 1, first["projekt"], "forsening", 2024, 0.7])
    book.save(source)
    [change] = importer.run([source], data_copy, say=lambda _: None)
    assert change.added == [f"2024, {first['orsak_id']}"] and change.changed == []
    after = data.load("investeringar_orsaker", data_copy)
    same = after[after["orsak_id"] == first["orsak_id"]].set_index("ar")["belopp_mnkr"]
    assert same.to_dict() == {int(first["ar"]): first["belopp_mnkr"], 2024: 0.7}


# --- One number parser --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "percent", "whole", "expected"),
    [
        ("1 234,5", False, False, "1234.5"),
        ("1\u00a0234\u00a0567", False, False, "1234567"),
        ("1\u202f234", False, False, "1234"),
        ("\u221214,9", False, False, "-14.9"),
        ("6,1 %", True, False, "6.1"),
        ("6,1 %", False, False, None),
        ("2024,0", False, True, "2024"),
        ("2024.0", False, False, "2024.0"),
        (",5", False, False, ".5"),
        ("1e3", False, False, "1e3"),
        ("4 701,5 kr", False, False, None),
        ("fyra", False, False, None),
        ("12 34", False, False, None),
    ],
)
def test_canonical_number(text, percent, whole, expected):
    assert numbers.canonical_number(text, percent=percent, whole=whole) == expected


def test_parse_number_and_shown():
    assert numbers.parse_number("\u22121 234,5 %") == -1234.5
    assert numbers.parse_number("–") is None
    assert [numbers.shown(v) for v in (0, 2000.0, 0.5, -3)] == ["0", "2000", "0,5", "\u22123"]
    assert numbers.is_canonical("4189.5") and not numbers.is_canonical("4189,5")
    assert numbers.has_decimal_comma("4189,5") and numbers.is_whole("2024.0")


def test_numbers_are_parsed_only_in_io_numbers():
    """No other io module (nor the rest of src, but for the open-data scraper being removed by helper
    `tables`) spells a pattern of its own for numbers with a decimal comma or an exponent."""
    pattern = re.compile(r"\\d[^\n]*,\\d|\[eE\]")
    for path in sorted(SRC.rglob("*.py")):
        if path.name in {"numbers.py", "opendata.py"}:
            continue
        if path.name == "fmt.py":  # its scanner finds formatted amounts in prose for a rule; it converts none
            continue
        assert not pattern.search(path.read_text(encoding="utf-8")), path
