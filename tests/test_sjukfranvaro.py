"""Sick leave: comparison between years and suppression of small groups."""

import math

import pandas as pd

from servicenamnden.domain import sjukfranvaro


def frame(rows):
    return pd.DataFrame(rows, columns=["ar", "period", "grupp", "sjukfranvaro_procent", "antal_anstallda"])


SMALL = frame(
    [
        (2022, "jan-dec", "totalt", 7.0, 200),
        (2023, "jan-dec", "totalt", 6.1, 210),
        (2022, "jan-dec", "man", 5.0, 11),
        (2023, "jan-dec", "man", 4.0, 10),
        (2023, "jan-dec", "kvinnor", 7.5, None),
        (2022, "jan-dec", "kvinnor", 8.0, None),
    ]
)


def test_change_is_in_procentenheter():
    comp = sjukfranvaro.compare_years(SMALL, 2023).set_index("grupp")
    assert math.isclose(comp.loc["totalt", "forandring_pe"], -0.9)
    assert math.isclose(comp.loc["kvinnor", "forandring_pe"], -0.5)


def test_group_of_ten_is_hidden_and_of_eleven_shown():
    flagged = sjukfranvaro.suppress_small_groups(SMALL).set_index(["ar", "grupp"])
    assert flagged.loc[(2023, "man"), "dold"]
    assert "10 anställda" in flagged.loc[(2023, "man"), "dold_orsak"]
    assert math.isnan(flagged.loc[(2023, "man"), "sjukfranvaro_procent"])
    assert not flagged.loc[(2022, "man"), "dold"]
    assert flagged.loc[(2022, "man"), "sjukfranvaro_procent"] == 5.0


def test_hidden_year_hides_the_change_too():
    comp = sjukfranvaro.compare_years(SMALL, 2023).set_index("grupp")
    assert comp.loc["man", "dold"]
    assert math.isnan(comp.loc["man", "forandring_pe"])


def test_unknown_head_count_is_shown():
    comp = sjukfranvaro.compare_years(SMALL, 2023).set_index("grupp")
    assert comp.loc["kvinnor", "ar"] == 7.5


def test_groups_come_in_fixed_order():
    assert list(sjukfranvaro.compare_years(SMALL, 2023)["grupp"]) == ["kvinnor", "man", "totalt"]


def test_rolling_measure_kept_apart():
    rolling = frame([(2023, "dec-nov", "totalt", 6.5, None), (2023, "jan-dec", "totalt", 6.1, None)])
    assert sjukfranvaro.value(rolling, 2023, period="dec-nov") == 6.5
    assert sjukfranvaro.value(rolling, 2023) == 6.1
    assert math.isnan(sjukfranvaro.value(rolling, 2022))
