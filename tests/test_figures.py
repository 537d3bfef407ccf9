"""Charts: their series, labels and alt text, on the real data."""

from __future__ import annotations

import pytest

from servicenamnden.domain import ekonomi, miljo
from servicenamnden.io import data
from servicenamnden.present import figures

NB = "\u00a0"


@pytest.fixture(scope="module")
def real():
    data.clear_cache()
    return {name: data.load(name) for name in data.data_files()}


def test_ms_ao_index_chart_series_and_alt(real):
    chart = figures.ms_ao_index_chart(real["ms_ao_kostnader"], real["ms_ao_index"], 2023)
    ax = chart.figure.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["Verklig kostnad", "Generellt budgetindex", "Storköksindex"]
    storkok = ax.get_lines()[2]
    assert list(storkok.get_xdata()) == [2019, 2020, 2021, 2022]  # 2023 unpublished: no point
    assert ax.get_ylabel() == "Index, 2019 = 100"
    assert "generellt budgetindex 110,0" in chart.alt
    assert "saknas för storköksindex" in chart.alt


def test_brukaravgifter_chart(real):
    chart = figures.brukaravgifter_chart(
        real["brukaravgifter"], real["abonnemang"], real["ms_ao_kostnader"], real["ms_ao_index"]
    )
    first = chart.figure.axes[0].get_lines()[0]
    assert first.get_label() == "Brukaravgift"
    assert first.get_ydata()[-1] == pytest.approx(4524 / 3649 * 100)
    assert "124,0 år 2024" in chart.alt


def test_sick_leave_chart(real):
    chart = figures.sjukfranvaro_chart(real["sjukfranvaro"], 2023)
    ax = chart.figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Kvinnor", "Män", "Totalt"]
    assert f"totalt 6,1{NB}% mot 7,0{NB}%" in chart.alt


def test_area_chart_and_risk_matrix(real):
    areas = ekonomi.result_per_area(real["driftredovisning"], real["omraden"], 2023)
    chart = figures.result_per_area_chart(areas, 2023)
    assert f"totalt \u221214,9{NB}mnkr" in chart.alt
    matrix = figures.risk_matrix_chart(real["internkontroll_risker"], 2023)
    assert "risk 1: sannolikhet 4, konsekvens 4, riskvärde 16" in matrix.alt


def test_goals_and_waste_charts(real):
    goals = miljo.goals(real["miljomal"], real["matsvinn"], real["miljo_nyckeltal"], 2023)
    assert figures.goals_chart(goals).alt.startswith("Översikt över miljömålen: 7 av 9 är uppfyllda")
    waste = miljo.food_waste(real["matsvinn"], 2023)
    alt = figures.food_waste_chart(waste, 12).alt
    assert f"förskola 17,0{NB}%" in alt and "Över målet: förskola." in alt


def test_chart_displays_as_svg_with_alt_metadata(real):
    chart = figures.sjukfranvaro_chart(real["sjukfranvaro"], 2023)
    bundle, meta = chart._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert meta["image/svg+xml"]["alt"] == chart.alt
    assert chart.svg() == chart.svg()  # reproducible output
