"""Issue 21: a text the reader relies on has a declared rule, so a typo or two swapped columns stop the check
with one line instead of a silently wrong report: the investment projects have a register, and texts of
the same type carry a form, a pattern or a closed list that the other column's text does not fit."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from servicenamnden.errors import DataError
from servicenamnden.io import data
from servicenamnden.io.schema import read_schema

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def rewrite(path: Path, change) -> None:
    """Rewrite a data file's rows (a list of dicts) with ``change`` applied."""
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# --- The register of investment projects --------------------------------------------------------------


def test_every_investment_project_named_as_a_cause_is_in_the_register():
    schema = read_schema(DATA / "investeringar_orsaker.yml")
    reference = schema.column("projekt").reference
    assert reference is not None and (reference.file, reference.column) == ("investeringsprojekt", "projekt")
    data.validate_all(DATA)


def test_a_mistyped_project_is_refused_with_the_name_it_was_meant_to_be(data_copy):
    def typo(rows):
        rows[0]["projekt"] = "Klient som tjänts"

    rewrite(data_copy / "investeringar_orsaker.csv", typo)
    with pytest.raises(DataError) as info:
        data.validate_all(data_copy)
    assert str(info.value) == (
        "Fel i data/investeringar_orsaker.csv, rad 2, kolumn \"projekt\": 'Klient som tjänts' finns inte i "
        "investeringsprojekt.csv (kolumnen projekt); menar du 'Klient som tjänst'? Inget har ändrats."
    )


def test_a_project_unlike_any_in_the_register_gets_no_hint(data_copy):
    def other(rows):
        rows[1]["projekt"] = "Helt annat"

    rewrite(data_copy / "investeringar_orsaker.csv", other)
    with pytest.raises(DataError) as info:
        data.validate_all(data_copy)
    assert "rad 3" in str(info.value) and "menar du" not in str(info.value)
