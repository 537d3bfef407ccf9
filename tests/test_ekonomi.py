"""Economy: income statement sums, the substitute-pool adjustment, areas and investments, on small data."""

import math

import pandas as pd
import pytest

from servicenamnden.domain import ekonomi

ACCOUNTS = pd.DataFrame(
    [
        ("intakt_a", "Intäkt A", 1),
        ("kostnad_a", "Kostnad A", 2),
        ("fin", "Finansnetto", 3),
        ("fond", "Fond", 4),
    ],
    columns=["konto", "benamning", "ordning"],
)
ROWS = pd.DataFrame(
    [
        ("intakt_a", "intakt", 2022, "utfall", 100.0),
        ("intakt_a", "intakt", 2023, "utfall", 110.0),
        ("intakt_a", "intakt", 2023, "budget", 105.0),
        ("kostnad_a", "kostnad", 2022, "utfall", -90.0),
        ("kostnad_a", "kostnad", 2023, "utfall", -120.0),
        ("kostnad_a", "kostnad", 2023, "budget", -105.0),
        ("fin", "finans", 2023, "utfall", 1.0),
        ("fond", "resultatfond", 2023, "utfall", 4.0),
    ],
    columns=["konto", "grupp", "ar", "typ", "belopp_mnkr"],
)


def test_income_statement_sums_and_deviation():
    st = ekonomi.income_statement(ROWS, ACCOUNTS, 2023).set_index("konto")
    assert st.loc["summa_intakt", "utfall_2023"] == 110.0
    assert st.loc["resultat_exkl", "utfall_2023"] == pytest.approx(-9.0)
    assert st.loc["resultat", "utfall_2023"] == pytest.approx(-5.0)
    assert st.loc["resultat_exkl", "utfall_2022"] == pytest.approx(10.0)
    assert st.loc["kostnad_a", "avvikelse"] == pytest.approx(-15.0)
    assert math.isnan(st.loc["fond", "budget_2023"])  # a blank cell stays blank


def test_adjusted_comparison_removes_the_pool_from_both_sides():
    accounts = pd.DataFrame(
        [("ovriga_intakter", "Övriga intäkter", 1), ("personalkostnader", "Personal", 2)],
        columns=["konto", "benamning", "ordning"],
    )
    rows = pd.DataFrame(
        [
            ("ovriga_intakter", "intakt", 2023, "utfall", 806.6),
            ("ovriga_intakter", "intakt", 2023, "budget", 804.2),
            ("personalkostnader", "kostnad", 2023, "utfall", -460.4),
            ("personalkostnader", "kostnad", 2023, "budget", -459.2),
        ],
        columns=["konto", "grupp", "ar", "typ", "belopp_mnkr"],
    )
    pool = pd.DataFrame(
        [("vikariepool", "ovriga_intakter", 2023, 9.3), ("vikariepool", "personalkostnader", 2023, 9.3)],
        columns=["justering", "konto", "ar", "belopp_mnkr"],
    )
    out = ekonomi.adjusted_comparison(ekonomi.income_statement(rows, accounts, 2023), pool, 2023).set_index(
        "post"
    )
    # The source's own figures (Resultaträkning, text): 797,3 against 804,2 → −6,9; 451,1 against 459,2 → +8,1.
    assert out.loc["Övriga intäkter", "justerat_utfall"] == pytest.approx(797.3)
    assert out.loc["Övriga intäkter", "avvikelse"] == pytest.approx(-6.9)
    assert out.loc["Personalkostnader", "justerat_utfall"] == pytest.approx(-451.1)
    assert out.loc["Personalkostnader", "avvikelse"] == pytest.approx(8.1)


def test_result_per_area_total_row():
    results = pd.DataFrame(
        [
            ("a", 2022, "utfall", 1.0),
            ("a", 2023, "utfall", -2.0),
            ("a", 2023, "budget", 0.0),
            ("b", 2022, "utfall", 0.5),
            ("b", 2023, "utfall", 3.0),
            ("b", 2023, "budget", 1.0),
        ],
        columns=["omrade", "ar", "typ", "belopp_mnkr"],
    )
    areas = pd.DataFrame(
        [("b", "B", "", 2), ("a", "A", "Aa", 1)], columns=["omrade", "benamning", "kortnamn", "ordning"]
    )
    out = ekonomi.result_per_area(results, areas, 2023)
    assert out["omrade"].tolist() == ["a", "b", "summa"]
    assert out.iloc[-1]["utfall"] == 1.0 and out.iloc[-1]["avvikelse"] == 0.0


def test_investment_deviation_and_reasons():
    rows = pd.DataFrame(
        [
            ("P", "", "budget_helar", 2023, -37.4),
            ("P", "", "utfall_ack_helar", 2023, -20.3),
            ("P", "", "utfall_ack_totalt", 2023, -27.5),
        ],
        columns=["projekt", "grupp", "matt", "ar", "belopp_mnkr"],
    )
    inv = ekonomi.investments(rows, 2023)
    assert inv.iloc[-1]["avvikelse_helar"] == pytest.approx(17.1)
    reasons = pd.DataFrame(
        [("x", 1, "X", "forsening", 2023, 4.5)],
        columns=["orsak_id", "ordning", "projekt", "orsak", "ar", "belopp_mnkr"],
    )
    assert ekonomi.deviation_reasons(reasons, 18.0, 2023)["andel_av_avvikelsen"].iloc[0] == pytest.approx(
        25.0
    )
