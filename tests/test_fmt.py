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


# --- prose: a direction word and a sign never contradict each other ---------------------------------


@pytest.mark.parametrize(
    ("value", "positive", "negative", "expected"),
    [
        (-5.3, "lägre", "högre", f"5,3{NB}mnkr högre"),  # costs −5,3 against budget: higher costs
        (2.0, "mindre", "mer", f"2,0{NB}mnkr mindre"),  # food +2,0 against budget: cost less
        (-7.9, "högre", "lägre", f"7,9{NB}mnkr lägre"),  # income −7,9 against budget: lower income
        (0.04, "bättre", "sämre", f"0,0{NB}mnkr bättre"),  # rounds to zero: no sign, no minus
    ],
)
def test_directed_takes_the_word_from_the_sign_and_shows_no_sign(value, positive, negative, expected):
    text = fmt.directed(value, positive, negative)
    assert text == expected
    assert not text.startswith(("+", "\u2212", "-"))
    assert fmt.direction_conflicts(f"Kostnaderna blev {text} än budgeterat.") == []


def test_directed_says_so_when_the_amount_rounds_to_zero_if_asked():
    assert fmt.directed(-0.03, "högre", "lägre", if_zero="som budgeterat") == "som budgeterat"
    assert fmt.directed(None, "högre", "lägre") == "\u2013"


def test_magnitude_drops_the_sign_in_every_unit():
    assert fmt.magnitude(-4.8) == f"4,8{NB}mnkr"
    assert fmt.magnitude(-1500, "tkr", 0) == f"1{NB}500{NB}tkr"
    assert fmt.magnitude(-0.9, "procentenheter") == f"0,9{NB}procentenheter"
    assert fmt.magnitude(-6.1, "%") == f"6,1{NB}%"
    assert fmt.magnitude(float("nan")) == "\u2013"


@pytest.mark.parametrize(
    "sentence",
    [
        f"kostnaderna \u22125,3{NB}mnkr högre än budgeterat",
        f"livsmedlen kostade +2,0{NB}mnkr mindre",
        f"intäkterna blev \u22127,9{NB}mnkr lägre",
        f"Personalkostnaderna överskred budget med \u22124,8{NB}mnkr",
        f"sjukfrånvaron minskade med \u22120,9{NB}procentenheter",
        "avgiften höjdes med +8,0 % mot året före",
    ],
)
def test_the_rule_finds_a_signed_amount_next_to_a_direction_word(sentence):
    assert fmt.direction_conflicts(sentence) != []


@pytest.mark.parametrize(
    "sentence",
    [
        f"Måltidsservice står för den största avvikelsen, \u221213,2{NB}mnkr.",
        f"främst transporter (\u22124,2{NB}mnkr), till största delen genom leverantörernas prisökningar",
        f"en förändring med \u22120,9{NB}procentenheter",
        f"Personalkostnaderna överskred budget med 4,8{NB}mnkr.",
        f"intäkterna blev 7,9{NB}mnkr lägre än budgeterat",
        f"avvikelse mot prognosen \u22126,8{NB}mnkr, högre än väntat",
    ],
)
def test_the_rule_lets_unsigned_amounts_and_standalone_signed_ones_pass(sentence):
    assert fmt.direction_conflicts(sentence) == []


# --- prose: ranges ----------------------------------------------------------------------------------


def test_a_range_of_equal_values_is_one_value_without_mellan():
    assert fmt.span([8.0, 8.04, 7.96]) == f"8,0{NB}%"
    assert "mellan" not in fmt.span([3.4, 3.4])


def test_a_range_of_different_values_names_both_ends_in_order():
    assert fmt.span([5.3, 2.0, 4.6]) == f"mellan 2,0{NB}% och 5,3{NB}%"
    assert fmt.span([1, 3], fmt.count) == "mellan 1 och 3"


def test_a_range_ignores_missing_values_and_is_a_dash_when_nothing_is_left():
    assert fmt.span([None, 4.6, float("nan")]) == f"4,6{NB}%"
    assert fmt.span([]) == "\u2013"


def test_directed_can_put_the_word_first():
    assert fmt.directed(-22, "ökade med", "minskade med", unit="", decimals=0, word_first=True) == (
        "minskade med 22"
    )
    assert fmt.directed(3, "ökade med", "minskade med", unit="", decimals=0, word_first=True) == "ökade med 3"


# --- prose: ordinals and dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "första"), (3, "tredje"), (10, "tionde"), (11, "11:e"), (21, "21:a"), (32, "32:a")],
)
def test_ordinals_in_words_up_to_ten(value, expected):
    assert fmt.ordinal(value) == expected


def test_dates_and_months_read_as_swedish_prose():
    assert fmt.date("2022-12-01") == "1 december 2022"
    assert fmt.date(None) == "\u2013"
    assert fmt.month("September") == "september"
    assert fmt.ordinal(None) == "\u2013"
