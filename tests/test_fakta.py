"""Facts of the year and the figures beside the tables: selected from data, checked against the source."""

from __future__ import annotations

import pandas as pd
import pytest

from servicenamnden.domain import fakta
from servicenamnden.io import data


@pytest.fixture(scope="module")
def facts():
    return data.load("fakta")


def test_the_environmental_plan_runs_2024_to_2030(facts):
    # Source: "en ny långsiktig plan för miljö 2024-2030 vilken beslutades i augusti" (four places).
    assert fakta.plan_period(facts, 2023) == (2024, 2030)
    assert fakta.fact(facts, "miljoplan_beslutsmanad", 2023) == "augusti"


def test_months_baselines_and_the_new_measure_of_contract_loyalty(facts):
    assert fakta.fact(facts, "medarbetarenkat_manad", 2023) == "september"  # "genomförts under september"
    assert fakta.year_fact(facts, "cirkular_spend_basar", 2023) == 2021  # "utgångsvärdet 2021"
    assert (
        fakta.year_fact(facts, "avtalstrohet_nytt_matt_fran", 2023) == 2024
    )  # "från 2024 … påverkningsbar spend"
    assert (
        fakta.year_fact(facts, "bestallning_fakturasystem_upphandlingsar", 2023) == 2024
    )  # "genomföras under 2024"
    assert fakta.fact(facts, "tempomatning_jamforelse", 2023) == "ett halvår"  # "än för ett halvår sedan"
    assert (
        fakta.fact(facts, "elbilar_byte_period", 2023) == "det senaste halvåret"
    )  # "under det senaste halvåret"
    assert (
        fakta.fact(facts, "investeringar_prognos", 2023) == "årsprognos november"
    )  # "Prognos: Årsprognos nov"


def test_a_missing_fact_is_none_and_a_year_that_is_no_year_is_an_error(facts):
    assert fakta.fact(facts, "medarbetarenkat_manad", 2031) is None
    assert fakta.year_fact(facts, "miljoplan_forsta_ar", 2031) is None
    assert fakta.plan_period(facts, 2031) is None
    with pytest.raises(ValueError, match="inte ett årtal"):
        fakta.year_fact(facts, "medarbetarenkat_manad", 2023)


def test_the_degree_of_completion_has_four_steps():
    # Source, "Förklaring symboler": 1-åriga åtaganden – färdiggrad: 0 %, 20 %, 80 %, 100 %.
    assert fakta.fardiggrad_steps(data.load("fardiggrad"), 2023) == [0, 20, 80, 100]


def test_the_investments_deviate_from_the_november_forecast():
    # Source, investment table: Prognosavvikelse −6,8 for the committee's investments and in the sum row.
    assert fakta.forecast_deviation(data.load("investeringar"), 2023) == pytest.approx(-6.8)
    assert pd.isna(fakta.forecast_deviation(data.load("investeringar"), 2031))


def test_wage_costs_and_the_restaurant_closure_net_effect():
    figures = data.load("ovriga_nyckeltal")
    wages = fakta.wage_costs(figures, 2023)  # "lönekostnaderna ändå är lägre 2023 än 2022, 113,6 mot 113,7"
    assert (wages.now, wages.before) == (113.6, 113.7)
    assert wages.change == pytest.approx(-0.1)
    closure = fakta.restaurant_closure(
        figures, 2023
    )  # "+ 4 mnkr", "ca -2 mnkr", "nettoeffekten … ca +2 mnkr"
    assert (closure.gain, closure.cost_elsewhere, closure.net) == (4, -2, 2)


def test_the_internal_control_sample_period():
    risks = data.load("internkontroll_risker")
    # Source: "för perioden november 2022 till och med april 2023".
    assert fakta.sample_period(risks, 2023, 1) == "november 2022 – april 2023"
    assert fakta.sample_period(risks, 2023, 4) is None  # the payment sample gives no period


def explained() -> tuple:
    return data.load("avvikelser_omraden"), data.load("driftredovisning"), data.load("omraden")


def test_omrade_1s_computer_capital_costs_lie_within_its_capital_costs():
    tree = data.load("avvikelser_omraden").set_index("post_id")
    assert tree.loc["o1_kapitalkostnader_datorer", "overordnad"] == "o1_kapitalkostnader"
    assert (
        0
        < tree.loc["o1_kapitalkostnader_datorer", "belopp_mnkr"]
        <= tree.loc["o1_kapitalkostnader", "belopp_mnkr"]
    )
    # −3,5 − (−4,9 + 5,6 + 2,5 − 1,0) = −5,7: what the text leaves without an amount (IT security).
    assert fakta.unexplained_remainder(*explained(), "omrade_1", 2023) == pytest.approx(-5.7)


def test_omrade_2s_result_is_the_hr_units_and_communication_the_one_off_inside():
    tree = data.load("avvikelser_omraden").set_index("post_id")
    assert tree.loc["o2_engangsbelopp", "overordnad"] == "o2_hr_enheterna"
    # +4,0 − (+5,3 − 1,4) = +0,1: rounding only, the one-off +0,8 is not counted twice.
    assert fakta.unexplained_remainder(*explained(), "omrade_2", 2023) == pytest.approx(0.1)


def test_the_remainder_counts_an_item_within_an_item_once():
    tree = pd.DataFrame(
        {
            "ar": [2023] * 4,
            "post_id": ["r", "a", "a1", "b"],
            "omrade": ["omrade_1"] * 4,
            "belopp_mnkr": [None, 2.0, 1.5, -1.0],
            "overordnad": [None, "r", "a", "r"],
            "relation": [None, "varav", "varav", "varav"],
        }
    )
    results = pd.DataFrame(
        {"omrade": ["omrade_1"] * 2, "ar": [2023] * 2, "typ": ["utfall", "budget"], "belopp_mnkr": [3.0, 0.0]}
    )
    areas = pd.DataFrame(
        {"omrade": ["omrade_1"], "benamning": ["Område 1"], "kortnamn": [""], "ordning": [1]}
    )
    assert fakta.unexplained_remainder(tree, results, areas, "omrade_1", 2023) == pytest.approx(2.0)


def test_further_facts_of_the_year(facts):
    assert fakta.year_span(facts, "verksamhetsmal", 2023) == (2024, 2027)  # "verksamhetsmål 2024–2027"
    assert fakta.year_fact(facts, "omrade_1_balans_ar", 2023) == 2024  # "2024 beräknar området att åter …"
    assert fakta.year_fact(facts, "kylda_matlador_full_effekt_ar", 2023) == 2025  # "märkas först 2025"
    assert (
        fakta.fact(facts, "nui_pris_manad", 2023) == "april"
    )  # "I april fick Eskilstuna kommun ta emot pris"
    assert (
        fakta.fact(facts, "drivmedel_jamforelseperiod", 2023) == "januari–augusti"
    )  # "perioden jan-aug 2023"


def test_figures_the_source_gives_only_as_changes():
    from servicenamnden.domain.miljo import key_figure

    figures = data.load("ovriga_nyckeltal")
    assert key_figure(figures, "drivmedel_kostnad_forandring", 2023) == -800  # "minskade med ca 800 tkr"
    assert key_figure(figures, "kemikalier_forandring", 2023) == -20  # "lyckats ta bort 20%"


def test_every_given_degree_of_completion_is_one_of_the_steps():
    commitments, steps = data.load("ataganden"), data.load("fardiggrad")
    assert fakta.completion_off_steps(commitments, steps, 2023) == []
    odd = commitments.assign(fardiggrad=commitments["fardiggrad"].where(commitments["nr"] != 9, 50))
    assert fakta.completion_off_steps(odd, steps, 2023) == [9]
