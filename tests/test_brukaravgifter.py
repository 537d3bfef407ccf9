"""Brukaravgifter: changes computed for every subscription, on small data."""

import math

import pandas as pd
import pytest

from servicenamnden.domain import brukaravgifter as bav

FEES = pd.DataFrame(
    [
        ("a", 2019, 100.0),
        ("a", 2020, 110.0),
        ("a", 2021, 121.0),
        ("b", 2019, 50.0),
        ("b", 2020, 51.0),
        ("b", 2021, 60.0),
    ],
    columns=["abonnemang", "ar", "avgift_kr_per_manad"],
)
SUBS = pd.DataFrame([("b", "Bee", 2), ("a", "Aa", 1)], columns=["abonnemang", "benamning", "ordning"])


def test_wide_follows_display_order():
    assert list(bav.wide(FEES, SUBS).index) == ["a", "b"]


def test_yearly_change_per_subscription():
    yearly = bav.yearly_change(bav.wide(FEES, SUBS))
    assert math.isnan(yearly.loc["a", 2019])
    assert yearly.loc["a", 2020] == pytest.approx(10.0)
    assert yearly.loc["b", 2021] == pytest.approx(60 / 51 * 100 - 100)


def test_change_since_base_year():
    since = bav.change_since_base(bav.wide(FEES, SUBS))
    assert since.loc["a", 2021] == pytest.approx(21.0)
    assert since.loc["b", 2019] == 0


def test_range_of_changes_per_year():
    spread = bav.change_range(bav.yearly_change(bav.wide(FEES, SUBS)))
    assert spread.loc[2020, "min"] == pytest.approx(2.0)
    assert spread.loc[2020, "max"] == pytest.approx(10.0)


def test_fees_against_costs():
    index = pd.DataFrame(
        {"kostnad": [100.0, 104.0], "budgetindex": [100.0, float("nan")]}, index=[2019, 2020]
    )
    out = bav.fees_against_costs(bav.wide(FEES, SUBS), index, 2019, 2020).set_index("post")
    assert out.loc["a", "forandring_procent"] == pytest.approx(10.0)
    assert out.loc["kostnad", "forandring_procent"] == pytest.approx(4.0)
    assert math.isnan(out.loc["budgetindex", "forandring_procent"])
