"""Prose values for the facts of the year: checked against the source, and never empty for a year without data."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from servicenamnden.io import data
from servicenamnden.present import fmt
from servicenamnden.present.inline import shown_text
from servicenamnden.present.values import arets_varden
from servicenamnden.present.values.fakta import GROUPS, fakta_groups

NB = "\u00a0"


@pytest.fixture(scope="module")
def facts():
    return SimpleNamespace(**fakta_groups(2023, data.load))


def names(group) -> list[str]:
    return [n for n in dir(group) if n != "noter"]


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_every_group_reaches_the_year_values():
    year = arets_varden(2023)
    assert all(hasattr(year, g) for g in GROUPS)
    assert year.samhallsbyggnad.miljoplan_period == "2024\u20132030"


def test_facts_of_the_year(facts):
    assert facts.samhallsbyggnad.miljoplan_period == "2024\u20132030"  # "plan för miljö 2024-2030"
    assert facts.samhallsbyggnad.miljoplan_beslutsmanad == "augusti"
    assert facts.samhallsbyggnad.cirkular_basar == "2021"
    assert facts.samhallsbyggnad.elbilar_byte == "det senaste halvåret"
    assert facts.symboler.fardiggrad_steg == f"0, 20, 80 och 100{NB}%"
    assert facts.naringsliv.nui_pris_manad == "april"
    assert facts.avtalstrohet.nytt_matt_ar == "2024"
    assert facts.processkvalitet.faktura_upphandlingsar == "2024"
    assert facts.personal.enkat_manad == "september"
    assert facts.personal.tempomatning == facts.kontroll_perioder.tempomatning == "ett halvår"
    assert facts.investeringsprognos.prognos == "årsprognos november"
    assert facts.kontroll_perioder.verksamhetsmal == "2024\u20132027"


def test_direction_words_come_with_unsigned_amounts(facts):
    # Source, Ekonomi: "-7,9 mnkr från lägre intäkter", "Kostnaderna är -5,3 mnkr sämre än budget beroende
    # främst på transporter, -3,2 mnkr", "Kostnaden för livsmedel är +2 mnkr bättre än budget".
    assert facts.maltidsekonomi.intakter == f"7,9{NB}mnkr lägre"
    assert facts.maltidsekonomi.kostnader == f"5,3{NB}mnkr högre"
    assert facts.maltidsekonomi.transporter == f"3,2{NB}mnkr mer"
    assert facts.maltidsekonomi.livsmedel == f"2,0{NB}mnkr mindre"
    assert facts.omradesekonomi.personal == f"4,8{NB}mnkr över"  # "överskrider budget med -4,8 mnkr"
    assert facts.omradesekonomi.el == f"0,75{NB}mnkr över"  # "överstiger budget med -0,75 mnkr"
    assert facts.investeringsprognos.mot_budget == f"17,1{NB}mnkr mindre"  # budget 37,4 − utfall 20,3
    assert facts.drivmedel.forandring == f"800{NB}tkr lägre"  # "minskade med ca 800 tkr"
    assert facts.samhallsbyggnad.kemikalier == f"20{NB}% färre"  # "lyckats ta bort 20%"
    assert (
        facts.omradesekonomi.von_kostnad == f"2,0{NB}mnkr i ökade kostnader"
    )  # "ökade kostnader … ca -2 mnkr"
    for group in (facts.maltidsekonomi, facts.omradesekonomi, facts.drivmedel, facts.investeringsprognos):
        for name in names(group):
            assert fmt.direction_conflicts(f"kostnaden blev {getattr(group, name)} budget") == [], name


def test_the_economy_beside_the_tables(facts):
    assert facts.omradesekonomi.o1_avvikelse == f"\u22123,5{NB}mnkr"
    assert facts.omradesekonomi.o1_kapital_datorer == f"\\+1,2{NB}mnkr"  # a leading + is escaped (no list)
    assert shown_text(facts.omradesekonomi.o1_kapital_datorer) == f"+1,2{NB}mnkr"
    assert facts.omradesekonomi.o1_ej_forklarat == f"\u22125,7{NB}mnkr"  # −3,5 − (−4,9 + 5,6 + 2,5 − 1,0)
    assert facts.omradesekonomi.o1_balans_ar == "2024"
    assert shown_text(facts.omradesekonomi.o2_avvikelse) == f"+4,0{NB}mnkr"
    assert (facts.omradesekonomi.lonekostnader, facts.omradesekonomi.lonekostnader_fg) == (
        f"113,6{NB}mnkr",
        f"113,7{NB}mnkr",
    )
    assert facts.omradesekonomi.lonekostnader_jamfort == "lägre än"
    assert facts.omradesekonomi.kok_besparing == f"15{NB}mnkr"
    assert (
        shown_text(facts.omradesekonomi.restauranger_effekt),
        shown_text(facts.omradesekonomi.restauranger_netto),
    ) == (
        f"+4,0{NB}mnkr",
        f"+2,0{NB}mnkr",
    )
    assert (facts.omradesekonomi.transport_prisokning, facts.omradesekonomi.transport_prisokning_budget) == (
        f"12{NB}%",
        f"4{NB}%",
    )
    assert facts.omradesekonomi.kylda_matlador_ar == "2025"
    assert facts.investeringsprognos.avvikelse == f"\u22126,8{NB}mnkr"


def test_ranks_periods_and_ranges(facts):
    assert (
        facts.processkvalitet.touchless_placering == "tredje"
    )  # "tredje största andelen touchless fakturor"
    assert (facts.avtalstrohet.paverkbar, facts.avtalstrohet.kommunen) == (f"92{NB}%", f"94{NB}%")
    assert facts.processkvalitet.kunddialog_period_fg == "april\u2013december"
    assert (facts.naringsliv.utbildningshalvdagar, facts.naringsliv.forskningsprojekt_ar) == ("2", "2")
    assert facts.kontroll_perioder.inkop == "november 2022 \u2013 april 2023"
    assert facts.kontroll_perioder.handlingar == "maj 2023"
    assert facts.kontroll_perioder.apt_datum == "1 december 2022"  # "Uppföljningen som gjordes 2022-12-01"
    # 2024's fees rose 7,5–8,0 % by subscription (rounded fees); "mellan" only when the ends differ
    assert facts.avgiftsintervall.okning_sista_ar == f"mellan 7,5{NB}% och 8,0{NB}%"


def test_a_year_without_data_gives_dashes_and_notes_never_empty_values():
    groups = fakta_groups(2031, data.load)
    for name, group in groups.items():
        values = [getattr(group, n) for n in names(group)]
        assert values and all(str(value).strip() for value in values), name
        assert group.noter, name
        assert all(".csv" not in note for note in group.noter), name
