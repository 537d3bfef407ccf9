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
def v():
    return SimpleNamespace(**fakta_groups(2023, data.load))


def names(group) -> list[str]:
    return [n for n in dir(group) if n != "noter"]


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_every_group_reaches_the_year_values():
    year = arets_varden(2023)
    assert all(hasattr(year, g) for g in GROUPS)
    assert year.samhallsbyggnad.miljoplan_period == "2024\u20132030"


def test_facts_of_the_year(v):
    assert v.samhallsbyggnad.miljoplan_period == "2024\u20132030"  # "plan för miljö 2024-2030"
    assert v.samhallsbyggnad.miljoplan_beslutsmanad == "augusti"
    assert v.samhallsbyggnad.cirkular_basar == "2021"
    assert v.samhallsbyggnad.elbilar_byte == "det senaste halvåret"
    assert v.symboler.fardiggrad_steg == f"0, 20, 80 och 100{NB}%"
    assert v.naringsliv.nui_pris_manad == "april"
    assert v.avtalstrohet.nytt_matt_ar == "2024"
    assert v.processkvalitet.faktura_upphandlingsar == "2024"
    assert v.personal.enkat_manad == "september"
    assert v.personal.tempomatning == v.kontroll_perioder.tempomatning == "ett halvår"
    assert v.investeringsprognos.prognos == "årsprognos november"
    assert v.kontroll_perioder.verksamhetsmal == "2024\u20132027"


def test_direction_words_come_with_unsigned_amounts(v):
    # Source, Ekonomi: "-7,9 mnkr från lägre intäkter", "Kostnaderna är -5,3 mnkr sämre än budget beroende
    # främst på transporter, -3,2 mnkr", "Kostnaden för livsmedel är +2 mnkr bättre än budget".
    assert v.maltidsekonomi.intakter == f"7,9{NB}mnkr lägre"
    assert v.maltidsekonomi.kostnader == f"5,3{NB}mnkr högre"
    assert v.maltidsekonomi.transporter == f"3,2{NB}mnkr mer"
    assert v.maltidsekonomi.livsmedel == f"2,0{NB}mnkr mindre"
    assert v.omradesekonomi.personal == f"4,8{NB}mnkr över"  # "överskrider budget med -4,8 mnkr"
    assert v.omradesekonomi.el == f"0,75{NB}mnkr över"  # "överstiger budget med -0,75 mnkr"
    assert v.investeringsprognos.mot_budget == f"17,1{NB}mnkr mindre"  # budget 37,4 − utfall 20,3
    assert v.drivmedel.forandring == f"800{NB}tkr lägre"  # "minskade med ca 800 tkr"
    assert v.samhallsbyggnad.kemikalier == f"20{NB}% färre"  # "lyckats ta bort 20%"
    assert v.omradesekonomi.von_kostnad == f"2,0{NB}mnkr i ökade kostnader"  # "ökade kostnader … ca -2 mnkr"
    for group in (v.maltidsekonomi, v.omradesekonomi, v.drivmedel, v.investeringsprognos):
        for name in names(group):
            assert fmt.direction_conflicts(f"kostnaden blev {getattr(group, name)} budget") == [], name


def test_the_economy_beside_the_tables(v):
    assert v.omradesekonomi.o1_avvikelse == f"\u22123,5{NB}mnkr"
    assert v.omradesekonomi.o1_kapital_datorer == f"\\+1,2{NB}mnkr"  # a leading + is escaped (no list)
    assert shown_text(v.omradesekonomi.o1_kapital_datorer) == f"+1,2{NB}mnkr"
    assert v.omradesekonomi.o1_ej_forklarat == f"\u22125,7{NB}mnkr"  # −3,5 − (−4,9 + 5,6 + 2,5 − 1,0)
    assert v.omradesekonomi.o1_balans_ar == "2024"
    assert shown_text(v.omradesekonomi.o2_avvikelse) == f"+4,0{NB}mnkr"
    assert (v.omradesekonomi.lonekostnader, v.omradesekonomi.lonekostnader_fg) == (
        f"113,6{NB}mnkr",
        f"113,7{NB}mnkr",
    )
    assert v.omradesekonomi.lonekostnader_jamfort == "lägre än"
    assert v.omradesekonomi.kok_besparing == f"15{NB}mnkr"
    assert (
        shown_text(v.omradesekonomi.restauranger_effekt),
        shown_text(v.omradesekonomi.restauranger_netto),
    ) == (
        f"+4,0{NB}mnkr",
        f"+2,0{NB}mnkr",
    )
    assert (v.omradesekonomi.transport_prisokning, v.omradesekonomi.transport_prisokning_budget) == (
        f"12{NB}%",
        f"4{NB}%",
    )
    assert v.omradesekonomi.kylda_matlador_ar == "2025"
    assert v.investeringsprognos.avvikelse == f"\u22126,8{NB}mnkr"


def test_ranks_periods_and_ranges(v):
    assert v.processkvalitet.touchless_placering == "tredje"  # "tredje största andelen touchless fakturor"
    assert (v.avtalstrohet.paverkbar, v.avtalstrohet.kommunen) == (f"92{NB}%", f"94{NB}%")
    assert v.processkvalitet.kunddialog_period_fg == "april\u2013december"
    assert (v.naringsliv.utbildningshalvdagar, v.naringsliv.forskningsprojekt_ar) == ("2", "2")
    assert v.kontroll_perioder.inkop == "november 2022 \u2013 april 2023"
    assert v.kontroll_perioder.handlingar == "maj 2023"
    assert v.kontroll_perioder.apt_datum == "1 december 2022"  # "Uppföljningen som gjordes 2022-12-01"
    # 2024's fees rose 7,5–8,0 % by subscription (rounded fees); "mellan" only when the ends differ
    assert v.avgiftsintervall.okning_sista_ar == f"mellan 7,5{NB}% och 8,0{NB}%"


def test_a_year_without_data_gives_dashes_and_notes_never_empty_values():
    groups = fakta_groups(2031, data.load)
    for name, group in groups.items():
        values = [getattr(group, n) for n in names(group)]
        assert values and all(str(value).strip() for value in values), name
        assert group.noter, name
        assert all(".csv" not in note for note in group.noter), name
