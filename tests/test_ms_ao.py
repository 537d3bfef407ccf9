"""MS ÄO: totals, index series, counterfactual costs and category changes, on small data."""

import math

import pandas as pd
import pytest

from servicenamnden.domain import ms_ao

COSTS = pd.DataFrame(
    [
        (2019, "utfall", "personal", 60.0),
        (2019, "utfall", "livsmedel", 40.0),
        (2020, "utfall", "personal", 55.0),
        (2020, "utfall", "livsmedel", 50.0),
        (2021, "budget", "personal", 50.0),
        (2021, "budget", "livsmedel", 52.0),
    ],
    columns=["ar", "typ", "kategori", "belopp_tkr"],
)
CATEGORIES = pd.DataFrame(
    [("livsmedel", "Livsmedel", 2), ("personal", "Personal", 1)], columns=["kategori", "benamning", "ordning"]
)
INDICES = pd.DataFrame(
    [
        (2019, "budgetindex", 200.0, None),
        (2020, "budgetindex", 220.0, None),
        (2021, "budgetindex", 230.0, None),
        (2019, "storkoksindex", 200.0, None),
        (2020, "storkoksindex", None, "ej publicerat"),
    ],
    columns=["ar", "serie", "kostnad_enligt_index_tkr", "anmarkning"],
)


def test_totals_are_sums_of_categories():
    assert ms_ao.totals(COSTS).to_dict() == {2019: 100.0, 2020: 105.0, 2021: 102.0}


def test_cost_table_orders_categories_and_adds_total():
    table = ms_ao.cost_table(COSTS, CATEGORIES, 2021)
    assert list(table.index) == ["Personal", "Livsmedel", "Totalt"]
    assert table.loc["Totalt", 2020] == 105.0


def test_index_series_base_year_is_100_and_unpublished_is_nan():
    series = ms_ao.index_series(COSTS, INDICES, 2020)
    assert series.loc[2019].tolist() == [100.0, 100.0, 100.0]
    assert series.loc[2020, "kostnad"] == pytest.approx(105.0)
    assert series.loc[2020, "budgetindex"] == pytest.approx(110.0)
    assert math.isnan(series.loc[2020, "storkoksindex"])


def test_counterfactual_cost_and_difference():
    cf = ms_ao.counterfactuals(COSTS, INDICES, 2020)
    assert cf["budgetindex"].expected_tkr == pytest.approx(110.0)
    assert cf["budgetindex"].difference_tkr == pytest.approx(-5.0)
    assert cf["storkoksindex"] is None


def test_category_change():
    change = ms_ao.category_change(COSTS, CATEGORIES, 2019, 2020)
    assert change.loc["Livsmedel", "forandring_tkr"] == 10.0
    assert change.loc["Livsmedel", "forandring_procent"] == pytest.approx(25.0)
    assert change.loc["Totalt", "forandring_procent"] == pytest.approx(5.0)


def test_missing_index_notes_follow_the_data():
    assert ms_ao.missing_index_notes(INDICES, 2021) == [(2020, "storkoksindex", "ej publicerat")]
    assert ms_ao.last_published_index_year(INDICES, "storkoksindex") == 2019


def test_base_values_explain_a_printed_total_that_differs():
    from servicenamnden.present.values.ms_ao import msao_values

    claims = pd.DataFrame({"id": ["ms_ao_totalt_2019"], "varde": [200.0]})
    values = msao_values(COSTS, INDICES, CATEGORIES, claims, 2020)
    assert values.bas_skiljer_fran_kallan
    assert values.bas_enligt_kallan == "200\u00a0tkr" and values.kostnad_bas == "100\u00a0tkr"
    assert values.bas_skillnad_mot_kallan == "100\u00a0tkr"
    same = pd.DataFrame({"id": ["ms_ao_totalt_2019"], "varde": [100.0]})
    assert not msao_values(COSTS, INDICES, CATEGORIES, same, 2020).bas_skiljer_fran_kallan
    assert not msao_values(COSTS, INDICES, CATEGORIES, None, 2020).bas_skiljer_fran_kallan
