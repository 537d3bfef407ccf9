"""The Swedish formatter: one set of rules for tables and prose."""

import math

import pytest

from servicenamnden.present import fmt

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (102386, 0, f"102{NB}386"),
        (-14.9, 1, "\u221214,9"),
        (6.1, 1, "6,1"),
        (1234567.891, 2, f"1{NB}234{NB}567,89"),
        (2.25, 1, "2,3"),  # half up, not banker's or binary rounding
        (-0.04, 1, "0,0"),  # never a negative zero
        (999.96, 1, f"1{NB}000,0"),
        (0, 0, "0"),
    ],
)
def test_number(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_number_accepts_numpy_scalars():
    np = pytest.importorskip("numpy")
    assert fmt.number(np.float64(6.1), 1) == "6,1"
    assert fmt.number(np.int64(-1500)) == f"\u22121{NB}500"


def test_sign_shows_plus_for_increase_and_true_minus_for_decrease():
    assert fmt.number(4.6, 1, sign=True) == "+4,6"
    assert fmt.number(-0.9, 1, sign=True) == "\u22120,9"


def test_missing_values_are_a_dash_never_nan_or_zero():
    assert fmt.number(None) == "\u2013"
    assert fmt.number(math.nan) == "\u2013"
    assert fmt.percent(float("nan")) == "\u2013"
    assert fmt.mnkr(None) == "\u2013"
    import pandas as pd

    assert fmt.count(pd.NA) == "\u2013"


def test_units_are_joined_by_a_non_breaking_space():
    assert fmt.percent(6.1) == f"6,1{NB}%"
    assert fmt.mnkr(-14.9) == f"\u221214,9{NB}mnkr"
    assert fmt.tkr(102386) == f"102{NB}386{NB}tkr"
    assert fmt.kr(4524) == f"4{NB}524{NB}kr"


def test_changes_of_shares_are_in_procentenheter():
    assert fmt.pp(-0.9) == f"\u22120,9{NB}procentenheter"
    assert fmt.pp(-0.9, short=True) == f"\u22120,9{NB}p.e."
    assert fmt.pp(0.8) == f"+0,8{NB}procentenheter"
