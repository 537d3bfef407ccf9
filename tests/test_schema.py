"""Validation of data files: every rule gives one Swedish line naming file, row, column and rule."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from servicenamnden.errors import DataError
from servicenamnden.io import data

GOOD_FEES = "abonnemang,ar,avgift_kr_per_manad\nheldygn,2022,3978\nheldygn,2023,4189\n"


def write(folder: Path, name: str, text: str | bytes) -> None:
    path = folder / f"{name}.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)


def error_for(folder: Path, name: str) -> DataError:
    data.clear_cache()
    with pytest.raises(DataError) as info:
        data.load(name, folder)
    return info.value


def test_good_file_loads_typed(data_copy):
    write(data_copy, "brukaravgifter", GOOD_FEES)
    data.clear_cache()
    frame = data.load("brukaravgifter", data_copy)
    assert list(frame["avgift_kr_per_manad"]) == [3978.0, 4189.0]
    assert frame["ar"].dtype.name == "Int64"


@pytest.mark.parametrize(
    ("text", "line", "column", "rule"),
    [
        (GOOD_FEES.replace("4189", "fyra"), 3, "avgift_kr_per_manad", "'fyra' är inte ett tal"),
        (GOOD_FEES.replace("4189", "4189,5"), 3, "avgift_kr_per_manad", "decimalkomma"),
        (GOOD_FEES.replace("4189", '"4189,5"'), 3, "avgift_kr_per_manad", "'4189,5' har decimalkomma"),
        (
            GOOD_FEES.replace(",avgift_kr_per_manad", "").replace(",3978", "").replace(",4189", ""),
            1,
            "avgift_kr_per_manad",
            "kolumnen saknas",
        ),
        (GOOD_FEES.replace("2023", "2022"), 3, "ar", "nyckeln (heldygn, 2022) finns redan på rad 2"),
        (GOOD_FEES.replace("4189", ""), 3, "avgift_kr_per_manad", "värde saknas"),
        (GOOD_FEES.replace("2023", "20233"), 3, "ar", "utanför det tillåtna intervallet 2000–2100"),
        (
            GOOD_FEES.replace("4189", "-5"),
            3,
            "avgift_kr_per_manad",
            "'-5' är mindre än det minsta tillåtna värdet 0",
        ),
    ],
    ids=[
        "non-number",
        "decimal-comma",
        "quoted-decimal-comma",
        "missing-column",
        "duplicate-key",
        "empty-cell",
        "bad-year",
        "negative",
    ],
)
def test_bad_cell_names_line_column_and_rule(data_copy, text, line, column, rule):
    write(data_copy, "brukaravgifter", text)
    error = error_for(data_copy, "brukaravgifter")
    assert (error.line, error.column) == (line, column)
    assert rule in str(error)
    message = str(error)
    assert message.startswith("Fel i data/brukaravgifter.csv")
    assert "\n" not in message


def test_share_above_100_percent(data_copy):
    text = (
        (data_copy / "sjukfranvaro.csv")
        .read_text(encoding="utf-8")
        .replace("2023,jan-dec,totalt,6.1", "2023,jan-dec,totalt,106.1")
    )
    write(data_copy, "sjukfranvaro", text)
    error = error_for(data_copy, "sjukfranvaro")
    assert error.column == "sjukfranvaro_procent"
    assert "över 100 %" in str(error)
    assert error.line == 7


def test_empty_file(data_copy):
    write(data_copy, "brukaravgifter", "")
    assert "filen är tom" in str(error_for(data_copy, "brukaravgifter"))


def test_missing_file(data_copy):
    (data_copy / "brukaravgifter.csv").unlink()
    assert "filen saknas" in str(error_for(data_copy, "brukaravgifter"))


def test_file_saved_in_cp1252(data_copy):
    text = "abonnemang,benamning,ordning\nheldygn,Heldygn,1\nkortis,Växelvård,2\n"
    write(data_copy, "abonnemang", text.encode("cp1252"))
    error = error_for(data_copy, "abonnemang")
    assert error.line == 3
    assert "UTF-8" in str(error)


def test_semicolon_separated_file_is_explained(data_copy):
    write(data_copy, "brukaravgifter", GOOD_FEES.replace(",", ";"))
    assert "semikolon" in str(error_for(data_copy, "brukaravgifter"))


def test_value_missing_without_a_note(data_copy):
    path = data_copy / "ms_ao_index.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "2023,storkoksindex,,Storköksindex för 2023 var inte publicerat när verksamhetsberättelsen skrevs.",
        "2023,storkoksindex,,",
    )
    path.write_text(text, encoding="utf-8")
    error = error_for(data_copy, "ms_ao_index")
    assert error.column == "kostnad_enligt_index_tkr"
    assert "förklaring" in str(error)


def test_value_outside_allowed_list(data_copy):
    path = data_copy / "sjukfranvaro.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2022,jan-dec,man", "2022,jan-dec,pojkar"), encoding="utf-8"
    )
    error = error_for(data_copy, "sjukfranvaro")
    assert error.column == "grupp" and "pojkar" in str(error)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_command_line_gives_one_line_exit_1_and_changes_nothing(data_copy, root):
    write(data_copy, "brukaravgifter", GOOD_FEES.replace("4189", "4189,5"))
    before = _digest(data_copy)
    result = subprocess.run(
        [sys.executable, "-m", "servicenamnden", "check"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith('Fel i data/brukaravgifter.csv, rad 3, kolumn "avgift_kr_per_manad"')
    assert "Traceback" not in result.stderr + result.stdout
    assert _digest(data_copy) == before
