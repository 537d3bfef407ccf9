"""Environmental goals (met or not from target and outcome) and internal-control risk values."""

import pandas as pd
import pytest

from servicenamnden.domain import internkontroll, miljo


@pytest.mark.parametrize(
    ("direction", "target", "outcome", "comparison", "expected"),
    [
        ("max", 12, 13.5, None, "ej uppfyllt"),
        ("max", 1.85, 1.80, None, "uppfyllt"),
        ("min", 60, 61.4, None, "uppfyllt"),
        ("min", 91, 90, None, "ej uppfyllt"),
        ("oka", None, 22, 21, "uppfyllt"),
        ("oka", None, 21, 21, "ej uppfyllt"),
        ("kvalitativt", None, None, None, "kvalitativt"),
    ],
)
def test_assessment_from_target_and_outcome(direction, target, outcome, comparison, expected):
    nan = float("nan")
    value = miljo.assess(
        direction,
        nan if target is None else target,
        nan if outcome is None else outcome,
        nan if comparison is None else comparison,
    )
    assert value == expected


WASTE = pd.DataFrame(
    [
        ("forskola", "servering", 2023, 8.5),
        ("forskola", "tallrik", 2023, 8.5),
        ("grundskola", "servering", 2023, 5.0),
        ("grundskola", "tallrik", 2023, 6.5),
        ("gymnasiet", "servering", 2023, 3.0),
        ("gymnasiet", "tallrik", 2023, 9.0),
        ("aldreomsorg", "servering", 2023, 25.0),
    ],
    columns=["verksamhet", "svinntyp", "ar", "andel_procent"],
)


def test_food_waste_is_serving_plus_plate_and_school_mean():
    waste = miljo.food_waste(WASTE, 2023).set_index("verksamhet")
    assert waste.loc["forskola", "totalt"] == 17.0
    assert pd.isna(waste.loc["aldreomsorg", "totalt"])  # plate waste not measured: no total
    school = miljo.school_food_waste(waste.reset_index())
    # The source prints 13,5 % (5,5 serving, 8 plate) for the school forms together: their plain mean.
    assert school == {
        "servering": pytest.approx(5.5),
        "tallrik": pytest.approx(8.0),
        "totalt": pytest.approx(13.5),
    }


FIGURES = pd.DataFrame(
    [
        ("mobler_inkomna", 2023, 764.0),
        ("mobler_kasserade", 2023, 295.0),
        ("livsmedelstransporter_stopp", 2023, 7635.0),
        ("livsmedelstransporter_leveransenheter", 2023, 115.0),
        ("livsmedelstransporter_manader", 2023, 12.0),
    ],
    columns=["nyckeltal", "ar", "varde"],
)


def test_shares_and_ratios_from_counts():
    # Source: 61,39 % of furniture reused; 5,5 stops per delivery point and month.
    assert miljo.furniture_reuse_share(FIGURES, 2023) == pytest.approx(61.387, abs=1e-3)
    assert miljo.stops_per_point_and_month(FIGURES, 2023) == pytest.approx(5.53, abs=0.01)


def test_risk_value_is_probability_times_consequence_highest_first():
    risks = pd.DataFrame(
        [(1, 4, 4), (2, 3, 4), (3, 5, 3), (4, 2, 4)], columns=["nr", "sannolikhet", "konsekvens"]
    )
    valued = internkontroll.risk_values(risks)
    assert valued["riskvarde"].tolist() == [16, 15, 12, 8]
    assert valued["nr"].tolist() == [1, 3, 2, 4]
    assert internkontroll.matrix(risks)[(4, 4)] == [1]
