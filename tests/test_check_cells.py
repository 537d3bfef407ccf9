"""Issue 20: each avstämning records the data cells it read (file, row key, column), in the vocabulary of
domain/provenance.py; the cells go into the shared list, the open data and the figures' links."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from servicenamnden.domain.provenance import Cell, key_value
from servicenamnden.io import data
from servicenamnden.reconcile import checks, run
from servicenamnden.reconcile.model import SAKNAS, claim_cell

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_2024 = ROOT / "tests" / "fixtures" / "data_2024"


def rows_by_key(folder: Path, name: str) -> tuple[pd.DataFrame, set[tuple]]:
    """A data file and the keys of its rows, as a cell names them (text)."""
    frame = data.load(name, folder)
    key = frame.attrs["nyckel"]
    return frame, {tuple((k, key_value(row[k])) for k in key) for _, row in frame.iterrows()}


@pytest.mark.slow  # the whole reconciliation of two data sets
@pytest.mark.parametrize(("folder", "ar"), [(ROOT / "data", 2023), (FIXTURE_2024, 2024)])
def test_every_cell_a_check_records_is_a_cell_of_its_files(folder: Path, ar: int) -> None:
    data.clear_cache()
    ran = checks.run_all(folder, ar)
    loaded: dict[str, tuple[pd.DataFrame, set[tuple]]] = {}
    for check in ran:
        files = {i.removesuffix(".csv") for i in check.inputs} | {"pastaenden"}
        if check.status != SAKNAS:  # a check that compares read the cells it compares (a count: none is 0)
            assert check.cells or check.actual == 0, check.id
        for cell in check.cells + check.stated_cells:
            assert cell.fil in files, (check.id, cell)
            frame, keys = loaded.setdefault(cell.fil, rows_by_key(folder, cell.fil))
            assert cell.nyckel in keys and cell.kolumn in frame.columns, (check.id, cell)
    data.clear_cache()


def test_a_claims_check_states_the_claims_row_and_computes_from_the_data(checks_2023, by_id) -> None:
    found = by_id(checks_2023)
    total = found["ms_ao_totalt_2019"]  # the source's 102 386 tkr against the six categories of 2019
    assert total.stated_cells == (claim_cell("ms_ao_totalt_2019"),)
    assert {c.fil for c in total.cells} == {"ms_ao_kostnader"} and len(total.cells) == 6
    assert all(dict(c.nyckel)["ar"] == "2019" and c.kolumn == "belopp_tkr" for c in total.cells)
    assert sum(v for v in _values(total.cells)) == pytest.approx(total.actual)


def _values(cells: tuple[Cell, ...]) -> list[float]:
    """The values of cells, read again from their files: the cells are what the check computed from."""
    out = []
    for cell in cells:
        frame = data.load(cell.fil)
        hit = frame
        for k, v in cell.nyckel:
            hit = hit[hit[k].map(key_value) == v]
        assert len(hit) == 1, cell
        out.append(float(hit[cell.kolumn].iloc[0]))
    return out


def test_a_year_check_names_the_cells_of_both_figures(checks_2023, by_id) -> None:
    check = by_id(checks_2023)["sjukfranvaro_rullande_mot_helar_2023"]
    assert [dict(c.nyckel)["period"] for c in check.cells] == ["jan-dec"]
    assert [dict(c.nyckel)["period"] for c in check.stated_cells] == ["dec-nov"]
    assert _values(check.cells) == [pytest.approx(check.actual)]
    assert _values(check.stated_cells) == [pytest.approx(check.expected)]


def test_the_complete_list_carries_the_cells_as_text(checks_2023) -> None:
    frame = checks.checks_frame(checks_2023).set_index("id")
    row = frame.loc["ms_ao_totalt_2019"]
    assert "ms_ao_kostnader: ar 2019, kategori personal: belopp_tkr" in row["celler_beraknat"]
    assert row["celler_uppgift"] == "pastaenden: id ms_ao_totalt_2019: varde"


@pytest.fixture()
def shared_here(monkeypatch, tmp_path) -> Path:
    """The shared list kept in the test's own folder; the cache of this process emptied around."""
    monkeypatch.setattr(run, "shared_path", lambda: tmp_path / run.SHARED_NAME)
    run.clear_cache()
    yield tmp_path / run.SHARED_NAME
    run.clear_cache()


@pytest.mark.slow  # a whole-data run
def test_the_shared_list_gives_back_the_cells(shared_here: Path) -> None:
    made = checks.run_all(ar=2023)
    checks.share_with_kernels(ar=2023)
    run.clear_cache()
    read = run.read_shared((run.content_key(ROOT / "data"), 2023))
    assert read is not None and list(read) == made  # the cells as Cell, in order
    assert all(isinstance(c, Cell) for check in read for c in check.cells + check.stated_cells)


@pytest.mark.slow  # a whole-data run
def test_a_shared_list_without_the_cells_is_not_read(shared_here: Path) -> None:
    checks.share_with_kernels(ar=2023)
    stored = json.loads(shared_here.read_text(encoding="utf-8"))
    for check in stored["checks"]:  # as a list written before checks recorded their cells
        del check["cells"], check["stated_cells"]
    stored["key"] = stored["key"][:3]
    shared_here.write_text(json.dumps(stored), encoding="utf-8")
    run.clear_cache()
    assert run.read_shared((run.content_key(ROOT / "data"), 2023)) is None
