"""Any year: the invented 2024 data set renders end to end; a year with missing sections says so."""

from __future__ import annotations

import re

import pytest

from servicenamnden.io import data
from servicenamnden.render.build import execute_all
from servicenamnden.render.static_checks import check_project

NB = "\u00a0"


def _article_text(executed, project) -> str:
    return "\n".join(c.source for c in executed[project.article].notebook.cells if c.cell_type == "markdown")


@pytest.fixture()
def fixture_2024(root, monkeypatch):
    monkeypatch.setenv("SN_DATA", str(root / "tests" / "fixtures" / "data_2024"))
    data.clear_cache()
    yield
    data.clear_cache()


def test_invented_2024_data_renders_end_to_end(project, fixture_2024):
    from servicenamnden.domain.years import latest_complete_year

    assert latest_complete_year() == 2024  # the default year follows the data
    executed = execute_all(project, {"ar": 2024})
    assert check_project(project, executed) == []
    text = _article_text(executed, project)
    assert "Verksamhetsberättelsen för 2024 godkänns" in text
    assert "saknas i data" not in text
    # The invented 2024 result (driftredovisning sums to −5,2 mnkr) replaces 2023's −14,9 mnkr.
    assert f"\u22125,2{NB}mnkr" in text and f"\u221214,9{NB}mnkr" not in text
    # The statutory table from hours: the age group 29 and under has ten employees in 2024 and is hidden.
    nb = next(d for d in executed if d.name == "sjukfranvaro.ipynb")
    cell = next(c for c in executed[nb].notebook.cells if "label: tbl-sjukfranvaro-lag" in c.source)
    table = "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)
    assert "29 år och yngre" in table and "\u2013" in table


def test_a_year_with_missing_sections_says_so_without_failing(project):
    data.clear_cache()
    executed = execute_all(project, {"ar": 2022})
    text = _article_text(executed, project)
    assert "Verksamhetsberättelsen för 2022 godkänns" in text
    assert re.search(r"Uppgifter om sjukfrånvaro för 2021 saknas i data", text)
    for document, result in executed.items():
        for cell in result.notebook.cells:
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", document.name
