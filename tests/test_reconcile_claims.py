"""Avstämningar of the document's claims: each rule family on small inline data (holding and differing),
then the real data of the document's year (2023).

Every status asserted on the real data was verified by hand against
/work/shared/source/servicenamnden-verksamhetsberattelse-2023.txt; the comments quote the figures.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from servicenamnden import cli
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.reconcile import checks, model, run
from servicenamnden.reconcile.checks import AVVIKER, INOM_AVRUNDNING, STAMMER, Claim, Sources
from servicenamnden.reconcile.engine import apply, run_rules

ROOT = Path(__file__).resolve().parents[1]
NB = "\u00a0"
MINUS = "\u2212"


# The rule rows that the test of repeated figures runs twice (before and after a claim is corrected), by id.
REPEAT_RULES = (
    "resultatfond",
    "sjukfranvaro_rullande",
    "fossilfritt",
    "kunddialog_samlad",
    "svenskt_naringsliv_upphandling",
    "feriearbetare",
    "forskningsprojekt_enheter",
    "forskningsprojekt_langd",
    "kok_nedlagda",
    "kok_nedlagda_medarbetare",
    "ms_transport_prisokning",
    "ms_transport_prisokning_budget",
)


def made(*rule_ids_then_sources):
    """The checks the named rule rows make on the sources (the last argument), row by row."""
    *rule_ids, src = rule_ids_then_sources
    return run_rules([run.rule(i) for i in rule_ids], src)


def claim(
    cid: str, value: float, unit: str, *, ar: int = 2023, decimals: int = 1, avsnitt: str = "Sammanfattning"
):
    return Claim(cid, avsnitt, "testuppgift", ar, value, unit, decimals)


# --- status, tolerance and formatting --------------------------------------------------------------


def test_tolerance_adds_the_rounding_of_every_rounded_input():
    value, reason = checks.rounding(1, "mnkr", 4)
    assert value == pytest.approx(0.25)
    assert "0,1" in reason and "5 × 0,05" in reason
    assert checks.rounding(0, "tkr")[0] == pytest.approx(0.5)


def make(expected: float, actual: float, decimals: int = 1, tolerance: float = 0.15, **kw) -> checks.Check:
    return checks.Check("x", "summa", "test", (), expected, actual, tolerance, "skäl", "mnkr", decimals, **kw)


def test_status_exact_within_rounding_and_differing():
    assert make(759.8, 759.8).status == STAMMER
    assert make(4.6, 4.604).status == STAMMER  # rounds to the printed figure
    assert make(759.9, 759.8).status == INOM_AVRUNDNING
    assert make(11.0, 10.3).status == AVVIKER
    assert make(4, 4.125, comparison=model.MORE_THAN).status == STAMMER
    assert make(5, 4.125, comparison=model.MORE_THAN).status == AVVIKER


def test_figures_are_swedish_and_percent_differences_are_procentenheter():
    check = checks.Check("x", "samma_uppgift", "t", (), 6.5, 6.1, 0.1, "", "procent", 1)
    assert check.expected_text == f"6,5{NB}%"
    assert check.difference_text == f"+0,4{NB}p.e."
    minus = make(-826.6, -826.5)
    assert minus.expected_text == f"{MINUS}826,6{NB}mnkr" and minus.difference_text == f"{MINUS}0,1{NB}mnkr"


# --- family 1: sums ---------------------------------------------------------------------------------

COSTS = pd.DataFrame(
    [(2023, "utfall", "personal", 60.0), (2023, "utfall", "livsmedel", 40.0)],
    columns=["ar", "typ", "kategori", "belopp_tkr"],
)


def test_sum_holds_within_rounding_and_differs():
    src = Sources([claim("ms_ao_totalt_2023", 100, "tkr", decimals=0)], {"ms_ao_kostnader": COSTS})
    assert made("ms_ao_totalt", src)[0].status == STAMMER
    src.claims["ms_ao_totalt_2023"] = claim("ms_ao_totalt_2023", 101, "tkr", decimals=0)
    assert made("ms_ao_totalt", src)[0].status == INOM_AVRUNDNING  # 3 figures rounded to whole tkr: ±1,5
    src.claims["ms_ao_totalt_2023"] = claim("ms_ao_totalt_2023", 1100, "tkr", decimals=0)
    found = made("ms_ao_totalt", src)[0]
    assert found.status == AVVIKER
    assert f"exakt 1{NB}000{NB}tkr" in found.explanation  # one mistyped digit


RR = pd.DataFrame(
    [
        ("kommunersattning_skolpeng", "intakt", 2023, "utfall", 0.7),
        ("ovriga_intakter", "intakt", 2023, "utfall", 759.1),
        ("ovriga_intakter", "intakt", 2023, "budget", 758.0),
        ("personalkostnader", "kostnad", 2023, "utfall", -700.0),
        ("personalkostnader", "kostnad", 2023, "budget", -700.0),
        ("over_underskott", "resultatfond", 2023, "utfall", 4.8),
    ],
    columns=["konto", "grupp", "ar", "typ", "belopp_mnkr"],
)
ACCOUNTS = pd.DataFrame(
    [
        ("kommunersattning_skolpeng", "Kommunersättning/skolpeng", 1),
        ("ovriga_intakter", "Övriga intäkter", 2),
        ("personalkostnader", "Personalkostnader", 3),
        ("over_underskott", "Över-/underskott", 8),
    ],
    columns=["konto", "benamning", "ordning"],
)


def test_income_statement_sums_and_deviations(by_id):
    src = Sources(
        [
            claim("rr_summa_intakter_utfall_2023", 759.9, "mnkr"),  # 0,7 + 759,1 = 759,8: rounding
            claim("rr_summa_intakter_avvikelse_2023", 1.8, "mnkr"),  # 759,8 − 758,0 = 1,8
            claim("rr_summa_rr_utfall_2023", 70.0, "mnkr"),  # 759,8 − 700,0 + 4,8 = 64,6: differs
            claim("rr_over_underskott_avvikelse_2023", 4.8, "mnkr"),  # blank budget counts as zero
        ],
        {"resultatrakning": RR, "konton": ACCOUNTS},
    )
    found = by_id(made("resultatrakning_summor", src))
    assert found["rr_summa_intakter_utfall_2023"].status == INOM_AVRUNDNING
    assert found["rr_summa_intakter_avvikelse_2023"].status == STAMMER
    assert found["rr_summa_rr_utfall_2023"].status == AVVIKER
    assert found["rr_summa_rr_utfall_2023"].actual == pytest.approx(64.6)
    assert found["rr_over_underskott_avvikelse_2023"].status == STAMMER


def test_area_sum_and_investment_sum(by_id):
    results = pd.DataFrame(
        [
            ("omrade_1", 2023, "utfall", -3.5),
            ("omrade_1", 2023, "budget", 0.0),
            ("omrade_2", 2023, "utfall", 4.0),
        ],
        columns=["omrade", "ar", "typ", "belopp_mnkr"],
    )
    areas = pd.DataFrame({"omrade": ["omrade_1", "omrade_2"], "benamning": ["Område 1", "Område 2"]})
    src = Sources(
        [claim("drift_summa_utfall_2023", 0.5, "mnkr"), claim("drift_avvikelse_o1_2023", -3.0, "mnkr")],
        {"driftredovisning": results, "omraden": areas},
    )
    found = by_id(made("driftredovisning_summor", "driftredovisning_omraden", src))
    assert found["drift_summa_utfall_2023"].status == STAMMER
    assert found["drift_avvikelse_o1_2023"].status == AVVIKER
    invest = pd.DataFrame(
        [
            ("Nämndbeslutad investering", None, "utfall_ack_helar", 2023, -20.3),
            ("Nämndbeslutad investering", None, "budget_helar", 2023, -37.4),
        ],
        columns=["projekt", "grupp", "matt", "ar", "belopp_mnkr"],
    )
    src = Sources([claim("inv_summa_avvikelse_helar", 17.0, "mnkr")], {"investeringar": invest})
    assert (
        made("investeringar_summor", "investeringar_prognosavvikelse", src)[0].status == INOM_AVRUNDNING
    )  # 17,1 against a printed 17,0


# --- family 2: changes ------------------------------------------------------------------------------

FEES = pd.DataFrame(
    [("a", 2022, 100.0), ("a", 2023, 105.0), ("b", 2022, 59.0), ("b", 2023, 62.0)],
    columns=["abonnemang", "ar", "avgift_kr_per_manad"],
)
SUBSCRIPTIONS = pd.DataFrame(
    [("a", "Stor", 1), ("b", "Liten", 2)], columns=["abonnemang", "benamning", "ordning"]
)


def test_one_printed_fee_change_against_every_subscription(by_id):
    src = Sources(
        [claim("brukaravgift_forandring_2023", 5.0, "procent")],
        {"brukaravgifter": FEES, "abonnemang": SUBSCRIPTIONS},
    )
    found = by_id(made("brukaravgift_forandring", src))
    assert found["brukaravgift_forandring_2023_a"].status == STAMMER
    small = found["brukaravgift_forandring_2023_b"]  # 62 / 59 − 1 = 5,08 %; 59 × 1,05 = 61,95 → 62 kr
    assert small.status == INOM_AVRUNDNING and f"61,95{NB}kr" in small.explanation
    src.claims["brukaravgift_forandring_2023"] = claim("brukaravgift_forandring_2023", 6.5, "procent")
    found = by_id(made("brukaravgift_forandring", src))
    assert found["brukaravgift_forandring_2023_a"].status == AVVIKER


def test_sick_leave_change_in_procentenheter():
    frame = pd.DataFrame(
        [(2022, "jan-dec", "totalt", 7.0, None), (2023, "jan-dec", "totalt", 6.1, None)],
        columns=["ar", "period", "grupp", "sjukfranvaro_procent", "antal_anstallda"],
    )
    src = Sources(
        [claim("sjukfranvaro_forandring_totalt_tabell", -0.9, "procentenheter")], {"sjukfranvaro": frame}
    )
    assert made("sjukfranvaro_forandring", src)[0].status == STAMMER
    src.claims["sjukfranvaro_forandring_totalt_tabell"] = claim(
        "sjukfranvaro_forandring_totalt_tabell", -0.5, "procentenheter"
    )
    assert made("sjukfranvaro_forandring", src)[0].status == AVVIKER


def test_index_row_must_start_from_the_base_total(by_id):
    indices = pd.DataFrame(
        [(2023, "budgetindex", 100.0, None), (2023, "storkoksindex", 1100.0, None)],
        columns=["ar", "serie", "kostnad_enligt_index_tkr", "anmarkning"],
    )
    src = Sources([], {"ms_ao_kostnader": COSTS, "ms_ao_index": indices})
    found = by_id(made("ms_ao_indexbas", src))
    assert found["ms_ao_indexbas_budgetindex"].status == STAMMER
    assert found["ms_ao_indexbas_storkoksindex"].status == AVVIKER


# --- family 3: the same quantity in two places -----------------------------------------------------


def test_a_restated_result_against_the_table(by_id):
    src = Sources(
        [
            claim("resultat_sammanfattning", -14.9, "mnkr"),
            claim("resultat_ekonomi", -14.5, "mnkr", avsnitt="Ekonomi (text)"),
            claim(
                "rr_summa_rr_utfall_2023",
                -14.9,
                "mnkr",
                avsnitt="Ekonomisk redovisning – Resultaträkning (tabell)",
            ),
        ]
    )
    found = by_id(made("resultat", "resultat_exkl_resultatfond", "drift_summa_mot_rr", src))
    assert found["resultat_sammanfattning"].status == STAMMER
    assert found["resultat_ekonomi"].status == AVVIKER
    assert "Resultaträkning (tabell)" in found["resultat_ekonomi"].explanation


def test_a_figure_repeated_from_the_data(by_id):
    dialogue = pd.DataFrame(
        [("samlad_bedomning", 2022, "apr-dec", 7.77)], columns=["matt", "ar", "period", "betyg"]
    )
    fossil = pd.DataFrame([(2023, "helar", "utfall", 71.9)], columns=["ar", "period", "typ", "andel_procent"])
    src = Sources(
        [
            claim("kunddialog_samlad_2022_sammanfattning", 8.17, "betyg", ar=2022, decimals=2),
            claim("fossilfritt_sammanfattning", 72, "procent", decimals=0),
        ],
        {"kunddialog": dialogue, "fossilfritt": fossil},
    )
    found = by_id(made(*REPEAT_RULES, src))
    assert found["kunddialog_samlad_2022_sammanfattning"].status == AVVIKER
    assert found["fossilfritt_sammanfattning"].status == STAMMER  # 71,9 printed as 72
    src.claims["kunddialog_samlad_2022_sammanfattning"] = claim(
        "kunddialog_samlad_2022_sammanfattning", 7.77, "betyg", ar=2022, decimals=2
    )
    assert by_id(made(*REPEAT_RULES, src))["kunddialog_samlad_2022_sammanfattning"].status == STAMMER


# --- family 4: derived figures ----------------------------------------------------------------------


def test_risk_value_is_probability_times_consequence():
    risks = pd.DataFrame(
        [(1, 4, 4, "stickprov", 0.0, "Inga fel.")],
        columns=["nr", "sannolikhet", "konsekvens", "kontrollmetod", "antal_avvikelser", "resultat"],
    )
    follow_up = pd.DataFrame(columns=["atgard", "andel_genomfort_procent"])
    tables = {"internkontroll_risker": risks, "internkontroll_2022": follow_up}
    assert (
        made(
            "ik_riskvarde",
            "ik_antal",
            "ik_apt_inbokat",
            Sources([claim("ik_riskvarde_1", 16, "poäng", decimals=0)], tables),
        )[0].status
        == STAMMER
    )
    assert (
        made(
            "ik_riskvarde",
            "ik_antal",
            "ik_apt_inbokat",
            Sources([claim("ik_riskvarde_1", 15, "poäng", decimals=0)], tables),
        )[0].status
        == AVVIKER
    )


def test_staff_time_saved_is_a_lower_bound():
    figures = pd.DataFrame(
        [("elbilar_i_kommunen", 2023, 165.0), ("tidsbesparing_per_elbil", 2023, 1.0)],
        columns=["nyckeltal", "ar", "varde"],
    )
    holds = Sources(
        [claim("ekonomi_elbilar_arsarbetare", 4, "antal", decimals=0)], {"ovriga_nyckeltal": figures}
    )
    assert (
        made("ekonomi_elbilar_arsarbetare", "drift_text_ms_ao_restauranger_netto", holds)[0].status == STAMMER
    )  # 165 h / 40 h = 4,1 > 4
    differs = Sources(
        [claim("ekonomi_elbilar_arsarbetare", 5, "antal", decimals=0)], {"ovriga_nyckeltal": figures}
    )
    assert (
        made("ekonomi_elbilar_arsarbetare", "drift_text_ms_ao_restauranger_netto", differs)[0].status
        == AVVIKER
    )


def test_parts_of_a_shortfall_against_the_printed_sum():
    tree = pd.DataFrame(
        [
            ("o4_resultat", "omrade_4", "Driftredovisning", "Resultat mot budget", None, None, None),
            ("o4_intakter", "omrade_4", "Ekonomi", "Intäkter", None, "o4_resultat", "varav"),
            ("o4_intakter_cafe", "omrade_4", "Driftredovisning", "Caféer", -2.7, "o4_intakter", "del"),
            ("o4_intakter_volymer", "omrade_4", "Driftredovisning", "Volymer", -4.2, "o4_intakter", "del"),
        ],
        columns=["post_id", "omrade", "avsnitt", "post", "belopp_mnkr", "overordnad", "relation"],
    )
    results = pd.DataFrame(
        [("omrade_4", 2023, "budget", 0.0)], columns=["omrade", "ar", "typ", "belopp_mnkr"]
    )
    areas = pd.DataFrame({"omrade": ["omrade_4"], "benamning": ["Område 4"]})
    tables = {"avvikelser_omraden": tree, "driftredovisning": results, "omraden": areas}
    holds = Sources([claim("ekonomi_o4_intakter", -6.9, "mnkr", avsnitt="Ekonomi (text)")], tables)
    assert (
        made(
            "forklarad_post_delar",
            "forklarad_post",
            "forklarad_post_delar_alias",
            "forklarad_post_alias",
            holds,
        )[0].status
        == STAMMER
    )
    differs = Sources([claim("ekonomi_o4_intakter", -7.9, "mnkr", avsnitt="Ekonomi (text)")], tables)
    found = made(
        "forklarad_post_delar",
        "forklarad_post",
        "forklarad_post_delar_alias",
        "forklarad_post_alias",
        differs,
    )[0]
    assert found.status == AVVIKER and found.family == "harledd"


# --- broken checks ----------------------------------------------------------------------------------


def test_a_missing_claim_and_a_unit_mismatch_are_broken_checks():
    src = Sources([claim("resultat_sammanfattning", -14.9, "mnkr")])
    with pytest.raises(CheckDefinitionError, match="rr_summa_rr_utfall_2023"):
        made("resultat", "resultat_exkl_resultatfond", "drift_summa_mot_rr", src)
    src = Sources([claim("ms_ao_totalt_2023", 100, "mnkr")], {"ms_ao_kostnader": COSTS})
    with pytest.raises(CheckDefinitionError, match="enheten 'mnkr'"):
        made("ms_ao_totalt", src)


def _append_claim(folder: Path, line: str) -> None:
    """Add a claim (checkable: ej_avstambar empty) and, as a new claim needs, its id to the allowed ids."""
    with (folder / "pastaenden.csv").open("a", encoding="utf-8") as handle:
        handle.write(line + ",\n")
    spec = folder / "pastaenden.yml"
    text = spec.read_text(encoding="utf-8")
    start = text.index("    tillatna: [") + len("    tillatna: [")
    spec.write_text(text[:start] + line.split(",")[0] + ", " + text[start:], encoding="utf-8")


def test_a_claim_with_no_data_raises(data_copy):
    _append_claim(
        data_copy, "ms_ao_totalt_2031,Ekonomisk redovisning – MS ÄO (tabell),Totalkostnad MS ÄO,2031,100,tkr"
    )
    with pytest.raises(CheckDefinitionError, match=r"ms_ao_totalt_2031.*ms_ao_kostnader\.csv saknar år 2031"):
        checks.run_all(data_copy, ar=2023)


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_stored_claim_without_a_rule_is_listed(data_copy):
    _append_claim(
        data_copy, "ny_uppgift_utan_regel,Ekonomisk redovisning – MS ÄO (tabell),Ny uppgift,2023,1,antal"
    )
    assert checks.unchecked_claims(data_copy) == ["ny_uppgift_utan_regel"]


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_broken_check_stops_make_check_with_one_line(data_copy, capsys):
    _append_claim(
        data_copy, "ms_ao_totalt_2031,Ekonomisk redovisning – MS ÄO (tabell),Totalkostnad MS ÄO,2031,100,tkr"
    )
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Avstämningen kan inte göras:") and "\n" not in err


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_differences_do_not_change_the_exit_code(monkeypatch, capsys):
    monkeypatch.setattr(cli, "execute_all", lambda project, params: {})
    monkeypatch.setattr(cli, "check_project", lambda project, executed: [])
    code, _ = cli.run_check(None)
    out = capsys.readouterr().out
    assert code == 0
    assert "Avstämningar: " in out and "Avviker: ms_ao_totalt_2019: källan 102" in out


# --- the real data ----------------------------------------------------------------------------------

# Every check that differs, and why (verified by hand against the source text).
EXPECTED_DIFFERING = {
    # MS ÄO table: categories 2019 45598 + 10872 + 36125 + 2968 + 4755 + 1068 = 101 386, printed Totalt 102386.
    "ms_ao_totalt_2019",
    # The index rows "Generella budgetindex jmf med 2019" and "Utfall storköksindex jmf med 2019" start at
    # 102386, the printed total, not at the categories' 101 386: the same slip carried into the index rows.
    "ms_ao_indexbas_budgetindex",
    "ms_ao_indexbas_storkoksindex",
    # Driftredovisning "Summa Servicenämnden" Utfall 2022 is 11,0; the Resultaträkning's
    # "Summa RR verksamhetsrapportering" Utfall 2022 is 10,3. Unexplained in the source.
    "drift_summa_utfall_2022_mot_rr",
    # Tjänsteskrivelse and Sammanfattning: "april-december 2022 som var 8,17"; Processkvalitet:
    # "april 2022 ... till december 2022 som var 7,77". Same measure, same period.
    "kunddialog_samlad_2022_sammanfattning",
    "kunddialog_samlad_2022_tjansteskrivelse",
    # Different periods, not errors: the text's rolling Dec–Nov figures 7,3 and 6,5 against the
    # table's "Totalt helår 2022" 7.0% and "Totalt 2023" 6.1%.
    "sjukfranvaro_rullande_mot_helar_2022",
    "sjukfranvaro_rullande_mot_helar_2023",
    # Område 3 is -3,2 mnkr; the text gives ekonomiservice with bokslut och analys -3,5 and upphandling
    # +0,9 = -2,6 and says nothing of nämnd och registratur: -0,6 mnkr unexplained.
    "enheter_omrade_3",
    # Both internal-control summaries: "Stickprovskontrollerna ... påvisar inga avvikelser", but risk 1 found
    # "I tre fall har direktupphandling skett som inte följt kommunens policy" (15, 8 and 51 tkr).
    "ik_stickprov_avvikelser_vb",
    "ik_stickprov_avvikelser_slutrapport",
}

# Figures that differ from the computed ones by rounding only (source figures quoted).
FEE_SUBSCRIPTIONS_WITHIN_ROUNDING = {
    # "Skillnad mot föregående år": one row (4,6 / 2,0 / 2,2 / 5,3 / 8,0 %) that is exact for heldygn
    # (3649 → 3817 → 3893 → 3978 → 4189 → 4524); small fees rounded to whole kronor drift from it,
    # e.g. halvdag 59 × 1,046 = 61,71 → 62 kr (+5,1 %), and lunch 5 dagar 1349 → 1378 is +2,15 %.
    "forandring_2020": ["kortis_trygghet_vaxelvard", "dagverksamhet_heldygn", "dagverksamhet_halvdag"],
    "forandring_2021": ["kortis_trygghet_vaxelvard", "dagverksamhet_heldygn", "dagverksamhet_halvdag"],
    "forandring_2022": [
        "lunch_5_dagar",
        "kortis_trygghet_vaxelvard",
        "dagverksamhet_heldygn",
        "dagverksamhet_halvdag",
    ],
    "forandring_2023": ["dagverksamhet_heldygn", "dagverksamhet_halvdag"],
    "forandring_2024": ["kortis_trygghet_vaxelvard", "dagverksamhet_heldygn", "dagverksamhet_halvdag"],
    # "Skillnad mot 2019" (4,6 / 6,7 / 9,0 / 14,8 / 24,0 %): e.g. halvdag 72 / 59 = +22,0 % by 2024.
    # "sedan_2019_2020" is the yearly change of 2020, checked once as "forandring_2020".
    "sedan_2019_2021": [
        "lunch_5_dagar",
        "kortis_trygghet_vaxelvard",
        "dagverksamhet_heldygn",
        "dagverksamhet_halvdag",
    ],
    "sedan_2019_2022": [
        "lunch_5_dagar",
        "kortis_trygghet_vaxelvard",
        "dagverksamhet_heldygn",
        "dagverksamhet_halvdag",
    ],
    "sedan_2019_2023": [
        "lunch_5_dagar",
        "lunch_middag_7_dagar",
        "kortis_trygghet_vaxelvard",
        "dagverksamhet_heldygn",
        "dagverksamhet_halvdag",
    ],
    "sedan_2019_2024": [
        "lunch_5_dagar",
        "lunch_middag_7_dagar",
        "kortis_trygghet_vaxelvard",
        "dagverksamhet_heldygn",
        "dagverksamhet_halvdag",
    ],
}
EXPECTED_WITHIN_ROUNDING = {
    "rr_summa_intakter_utfall_2022",  # 0,7 + 759,1 = 759,8; printed 759,9
    "rr_summa_kostnader_utfall_2022",  # −415,6 − 60,8 − 1,5 − 278,4 = −756,3; printed −756,4
    "rr_summa_kostnader_utfall_2023",  # −460,4 − 66,0 − 1,7 − 298,4 = −826,5; printed −826,6
    "rr_summa_kostnader_avvikelse_2023",  # −826,5 − (−804,5) = −22,0; printed −22,1
    "rr_personalkostnader_avvikelse_2023",  # −460,4 − (−459,2) = −1,2; printed −1,3
    "rr_lokalkostnader_avvikelse_2023",  # −66,0 − (−66,3) = 0,3; printed 0,2
    "rr_finansnetto_avvikelse_2023",  # 0,3 − 0,2 = 0,1; printed 0,0
    "rr_resultat_exkl_utfall_2023",  # 806,6 − 826,5 + 0,3 = −19,6; printed −19,7
    "rr_resultat_exkl_budget_2023",  # 804,2 − 804,5 + 0,2 = −0,1; printed 0,0
    "rr_resultat_exkl_avvikelse_2023",  # −19,6 − (−0,1) = −19,5; printed −19,7
    "rr_summa_rr_utfall_2023",  # −19,6 + 4,8 = −14,8; printed −14,9
    "rr_summa_rr_budget_2023",  # −0,1; printed 0,0
    "rr_summa_rr_avvikelse_2023",  # −14,8 − (−0,1) = −14,7; printed −14,9
    "drift_summa_utfall_2022",  # 6,1 + 6,6 + 4,0 + 0,3 − 8,6 + 2,5 = 10,9; printed 11,0
    "inv_summa_avvikelse_helar",  # −20,3 − (−37,4) = 17,1 (and the row says 17,1); printed Summa 17,0
    "enheter_omrade_2",  # HR-enheterna +5,3 (Ekonomi) and kommunikationsenheten −1,4 = 3,9; table 4,0
    # The year's own: the income statement's −14,8 (−19,6 + 4,8) against the areas' 2,3 − 3,5 + 4,0 − 3,2
    # − 13,2 − 1,3 = −14,9; its budget −0,1 against the areas' 0,0. Both sums of rounded rows.
    "resultat_rr_mot_drift_utfall_2023",
    "resultat_rr_mot_drift_budget_2023",
} | {
    f"brukaravgift_{group}_{code}"
    for group, codes in FEE_SUBSCRIPTIONS_WITHIN_ROUNDING.items()
    for code in codes
}


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_real_data_statuses(checks_2023):
    statuses = {c.id: c.status for c in checks_2023}
    assert {i for i, s in statuses.items() if s == AVVIKER} == EXPECTED_DIFFERING
    assert {i for i, s in statuses.items() if s == INOM_AVRUNDNING} == EXPECTED_WITHIN_ROUNDING


@pytest.mark.slow  # runs every rule once more
def test_the_number_of_checks_is_what_the_rules_make(checks_2023):
    """The count is not typed in anywhere: it is what the rules make of the data, rule by rule, and no
    rule is silent on the document's year (a rule that stopped finding its rows would lower the count)."""
    src = Sources.load()
    document = src.at(checks.document_year(src.folder))
    made = {rule.id: apply(rule, document) for rule in (*run.YEAR_RULES, *run.DOCUMENT_RULES)}
    # Rows with nothing to check: the hours' input, the optional sjukfranvaro_timmar.csv, is not in data/;
    # and the two claims named by alias (drift_text_ms_ao_resultat, rr_text_inhyrd_konsulter) are both
    # sums of their parts, so the alias row for a repeated item finds none (each claim is one or the other).
    assert not (src.folder / "sjukfranvaro_timmar.csv").exists()
    assert [name for name, found in made.items() if not found] == [
        "sjukfranvaro_timmar",
        "forklarad_post_alias",
    ]
    assert sum(len(found) for found in made.values()) == len(checks_2023)
    assert {c.rule for c in checks_2023} == {name for name, found in made.items() if found}


def test_real_data_holding_figures_quoted_from_the_source(checks_2023, by_id):
    found = by_id(checks_2023)
    # 71,9 % for the year (Transporter) is printed as 72 % in the summary: rounding, so it holds.
    assert found["fossilfritt_sammanfattning"].status == STAMMER
    assert found["fossilfritt_sammanfattning"].actual == pytest.approx(71.9)
    # The table prints the change −0.9% with a percent sign; 6,1 − 7,0 = −0,9 procentenheter.
    assert found["sjukfranvaro_forandring_totalt_tabell"].unit == "procentenheter"
    assert found["sjukfranvaro_forandring_totalt_tabell"].status == STAMMER
    # 469 / 764 = 61,39 % of the furniture reused; 7 635 / 115 / 12 = 5,5 stops per point and month.
    assert found["mobler_aterbruk_andel"].status == STAMMER
    assert found["livsmedelstransporter_stopp_per_punkt"].actual == pytest.approx(7635 / 115 / 12)
    # 165 cars × 1 hour a week = 4,1 full-time posts of 40 hours: "mer än 4 årsarbetare".
    assert found["ekonomi_elbilar_arsarbetare"].status == STAMMER
    # 797,3 = 806,6 − 9,3 and 451,1 = 460,4 − 9,3; −6,9 and +8,1 against budget 804,2 and 459,2.
    for cid in (
        "rr_text_intakter_justerade",
        "rr_text_personal_justerade",
        "rr_text_intakter_avvikelse_justerad",
    ):
        assert found[cid].status == STAMMER
    # Heldygn matches the one printed fee row exactly (e.g. 4524 / 4189 − 1 = 8,0 %).
    heldygn = [
        c for c in checks_2023 if re.fullmatch(r"brukaravgift_(forandring|sedan_\d{4})_\d{4}_heldygn", c.id)
    ]
    assert len(heldygn) == 9 and all(c.status == STAMMER for c in heldygn)


def test_differing_first_and_every_differing_check_explained(checks_2023):
    ranks = [checks.STATUS_ORDER.index(c.status) for c in checks_2023]  # differing first
    assert ranks == sorted(ranks)
    for check in checks_2023:
        if check.status != STAMMER:
            assert check.explanation, check.id
        assert check.tolerance_reason and check.inputs, check.id


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_every_stored_claim_has_a_check():
    assert checks.unchecked_claims() == []


def test_unverifiable_claims_are_stored_and_explained():
    listed = checks.unverifiable_claims()
    with (ROOT / "data" / "pastaenden.csv").open(encoding="utf-8", newline="") as handle:
        stored = {row["id"]: row["ej_avstambar"] for row in csv.DictReader(handle) if row["ej_avstambar"]}
    assert len(stored) == 9 and {c.id: reason for c, reason in listed} == stored
    assert all(reason.startswith("Källan anger") for _, reason in listed)
    # No rule judges them, and they are not counted as claims without a rule.
    covered = {claim_id for check in checks.run_all(ar=2023) for claim_id in check.claim_ids}
    assert not covered & set(stored) and checks.unchecked_claims() == []


def test_summary_counts_and_line(checks_2023):
    counted = Counter(c.status for c in checks_2023)
    total, holding, within, differing = (
        len(checks_2023),
        counted[STAMMER],
        counted[INOM_AVRUNDNING],
        counted[AVVIKER],
    )
    # Which checks differ or hold within rounding is pinned by id (test_real_data_statuses); the counts follow.
    assert (differing, within) == (len(EXPECTED_DIFFERING), len(EXPECTED_WITHIN_ROUNDING))
    assert checks.summary(checks_2023) == {
        "kontroller": total,
        "stammer": holding,
        "inom_avrundning": within,
        "avviker": differing,
        "kan_inte_goras": 0,  # 2023 has every input
    }
    assert total == holding + within + differing
    assert checks.summary_line(checks_2023) == (
        f"Avstämningar: {total} kontroller, {holding} stämmer, {within} stämmer inom avrundning, "
        f"{differing} avviker."
    )
    values = checks.checks_values(checks_2023)
    assert values.haller == str(holding + within) and values.avviker == str(differing)
    assert values.mening.startswith(f"Av {total} avstämningar av årets data och av källdokumentets uppgifter")
    assert f"{differing} avviker" in values.mening
    assert values.mening._repr_markdown_() == str(values.mening)
