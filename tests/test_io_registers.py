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
from servicenamnden.io.schema import read_schema, validate_text

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


# --- Swapped text columns --------------------------------------------------------------------------------

# Two free sentences that nothing but their meaning tells apart (the control's result and a note about the
# data): no declared rule can separate them, so a swap of the two is not caught.
NOT_SEPARABLE = {("internkontroll_risker", "resultat", "anmarkning")}


def swapped_cases(folder: Path) -> list[tuple[str, str, str, int]]:
    """Every pair of text columns of every data file, swapped in the first row where both differ."""
    cases = []
    for yml in sorted(folder.glob("*.yml")):
        if not yml.with_suffix(".csv").exists():
            continue
        schema = read_schema(yml)
        rows = list(csv.DictReader(io.StringIO(yml.with_suffix(".csv").read_text(encoding="utf-8"))))
        texts = [c.name for c in schema.columns if not c.numeric]
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                row = next((n for n, r in enumerate(rows) if r[a] and r[b] and r[a] != r[b]), None)
                if row is not None and (schema.name, a, b) not in NOT_SEPARABLE:
                    cases.append((schema.name, a, b, row))
    return cases


@pytest.mark.parametrize("folder", [DATA, ROOT / "tests" / "fixtures" / "data_2024"], ids=["data", "2024"])
def test_every_swap_of_two_text_columns_in_a_row_is_refused_with_one_line(folder):
    cases = swapped_cases(folder)
    assert len(cases) > 150
    passed = []
    for name, a, b, row in cases:
        path = folder / f"{name}.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[row][a], rows[row][b] = rows[row][b], rows[row][a]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        try:
            validate_text(
                out.getvalue().encode("utf-8"), read_schema(path.with_suffix(".yml")), f"data/{name}.csv"
            )
        except DataError as error:
            assert error.line == row + 2 and error.column in (a, b) and "\n" not in str(error)
        else:
            passed.append(f"{name}: {a} <-> {b}")
    assert passed == []


def test_the_committee_and_the_municipality_swapped_are_refused(data_copy):
    def swap(rows):
        rows[0]["namnd"], rows[0]["kommun"] = rows[0]["kommun"], rows[0]["namnd"]

    rewrite(data_copy / "rapport.csv", swap)
    with pytest.raises(DataError) as info:
        data.validate_all(data_copy)
    assert str(info.value) == (
        "Fel i data/rapport.csv, rad 2, kolumn \"namnd\": 'Eskilstuna kommun' har inte kolumnens form (en nämnds "
        "namn, som slutar på 'nämnden'); har två kolumner bytt plats? Inget har ändrats."
    )


def test_a_measure_shown_as_the_goal_is_refused(data_copy):
    def swap(rows):
        rows[0]["mal"], rows[0]["matt"] = rows[0]["matt"], rows[0]["mal"]

    rewrite(data_copy / "miljomal.csv", swap)
    with pytest.raises(DataError) as info:
        data.validate_all(data_copy)
    assert 'rad 2, kolumn "mal": \'Kg koldioxidekvivalenter' in str(info.value)
    assert "är inte ett tillåtet värde" in str(info.value)


def test_a_fact_s_value_follows_its_type(data_copy):
    """``form_efter``: a value of type ``ar`` is a year, of type ``manad`` a month."""

    def swap(rows):
        rows[0]["varde"], rows[0]["beskrivning"] = rows[0]["beskrivning"], rows[0]["varde"]

    rewrite(data_copy / "fakta.csv", swap)
    with pytest.raises(DataError) as info:
        data.validate_all(data_copy)
    assert "ett årtal med fyra siffror" in str(info.value) and "typ = ar" in str(info.value)


def test_an_unknown_form_in_a_dictionary_is_one_line(data_copy):
    spec = data_copy / "omraden.yml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("form: mening", "form: roman"), encoding="utf-8")
    with pytest.raises(DataError, match="okänd form 'roman'"):
        data.validate_all(data_copy)
