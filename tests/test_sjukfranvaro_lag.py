"""Statutory sick leave from hours: shares, long-term share, suppression (10 vs 11, subtraction), table."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

from servicenamnden.domain import sjukfranvaro
from servicenamnden.errors import DataError
from servicenamnden.io import data
from servicenamnden.present import tables

FIXTURE = Path(__file__).parent / "fixtures" / "data_2024"
COLUMNS = [
    "ar",
    "grupp",
    "antal_anstallda",
    "ordinarie_timmar",
    "sjuktimmar",
    "sjuktimmar_60_dagar_eller_mer",
]


def hours(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["antal_anstallda"] = frame["antal_anstallda"].astype("Int64")
    return frame


# Hand-made: genders and age groups each add up to the total (employees, ordinary and sick hours).
HOURS = hours(
    [
        (2024, "totalt", 250, 400_000.0, 24_000.0, 9_600.0),  # 6,0 %; long-term 9 600 / 24 000 = 40,0 %
        (2024, "kvinnor", 180, 290_000.0, 20_300.0, None),  # 7,0 %
        (2024, "man", 70, 110_000.0, 3_700.0, None),  # 3,3636… %
        (2024, "-29", 10, 14_000.0, 700.0, None),  # 5,0 %, but 10 employees: hidden
        (2024, "30-49", 110, 186_000.0, 10_230.0, None),  # 5,5 %, hidden: else -29 = total − the rest
        (2024, "50-", 130, 200_000.0, 13_070.0, None),  # 6,535 %
        (2023, "totalt", 240, 380_000.0, 24_700.0, 9_000.0),  # 6,5 %; long-term 36,437… %
        (2023, "-29", 11, 16_000.0, 800.0, None),  # 5,0 %, 11 employees: shown
    ]
)


def row(frame: pd.DataFrame, ar: int, grupp: str) -> pd.Series:
    return frame.set_index(["ar", "grupp"]).astype(object).loc[(ar, grupp)]


def test_shares_are_sick_hours_over_ordinary_hours():
    shares = sjukfranvaro.statutory_shares(HOURS)
    assert math.isclose(row(shares, 2024, "totalt")["sjukfranvaro_procent"], 6.0)
    assert math.isclose(row(shares, 2024, "kvinnor")["sjukfranvaro_procent"], 7.0)
    assert math.isclose(row(shares, 2024, "man")["sjukfranvaro_procent"], 3700 / 110000 * 100)
    assert math.isclose(row(shares, 2024, "50-")["sjukfranvaro_procent"], 6.535)
    assert math.isclose(row(shares, 2023, "totalt")["sjukfranvaro_procent"], 6.5)


def test_long_term_share_is_of_all_sick_hours_and_only_where_given():
    shares = sjukfranvaro.statutory_shares(HOURS)
    assert math.isclose(row(shares, 2024, "totalt")["langtid_procent"], 40.0)
    assert math.isclose(row(shares, 2023, "totalt")["langtid_procent"], 9000 / 24700 * 100)
    assert math.isnan(row(shares, 2024, "kvinnor")["langtid_procent"])


def test_statutory_order_total_first():
    shares = sjukfranvaro.statutory_shares(HOURS)
    assert list(shares[shares["ar"] == 2024]["grupp"]) == ["totalt", "kvinnor", "man", "-29", "30-49", "50-"]


def test_no_ordinary_hours_gives_a_missing_share_not_an_error():
    shares = sjukfranvaro.statutory_shares(hours([(2024, "-29", 0, 0.0, 0.0, None)]))
    assert math.isnan(shares["sjukfranvaro_procent"].iloc[0])


def test_group_of_ten_is_hidden_and_of_eleven_shown():
    flagged = sjukfranvaro.suppress_identifying(sjukfranvaro.statutory_shares(HOURS))
    ten, eleven = row(flagged, 2024, "-29"), row(flagged, 2023, "-29")
    assert ten["dold"] and math.isnan(ten["sjukfranvaro_procent"])
    assert ten["dold_orsak"] == "gruppen har 10 anställda (högst 10 visas inte)"
    assert not eleven["dold"] and math.isclose(eleven["sjukfranvaro_procent"], 5.0)


def test_the_smallest_other_age_group_is_hidden_so_the_small_one_cannot_be_derived():
    flagged = sjukfranvaro.suppress_identifying(sjukfranvaro.statutory_shares(HOURS))
    middle, oldest = row(flagged, 2024, "30-49"), row(flagged, 2024, "50-")
    assert middle["dold"] and math.isnan(middle["sjukfranvaro_procent"])
    assert "29 år och yngre" in middle["dold_orsak"] and "totalen" in middle["dold_orsak"]
    assert not oldest["dold"]
    assert not row(flagged, 2024, "kvinnor")["dold"] and not row(flagged, 2024, "totalt")["dold"]


def test_a_small_gender_hides_the_other_gender_but_not_the_total():
    small = hours(
        [
            (2024, "totalt", 40, 64_000.0, 3_200.0, 1_000.0),
            (2024, "kvinnor", 31, 50_000.0, 2_700.0, None),
            (2024, "man", 9, 14_000.0, 500.0, None),
        ]
    )
    flagged = sjukfranvaro.suppress_identifying(sjukfranvaro.statutory_shares(small))
    assert row(flagged, 2024, "man")["dold"] and row(flagged, 2024, "kvinnor")["dold"]
    assert "män" in row(flagged, 2024, "kvinnor")["dold_orsak"]
    assert math.isclose(row(flagged, 2024, "totalt")["sjukfranvaro_procent"], 5.0)


def test_two_small_groups_need_no_third_hidden():
    small = hours(
        [
            (2024, "totalt", 317, 500_000.0, 30_000.0, None),
            (2024, "-29", 8, 12_000.0, 600.0, None),
            (2024, "30-49", 9, 14_000.0, 700.0, None),
            (2024, "50-", 300, 474_000.0, 28_700.0, None),
        ]
    )
    flagged = sjukfranvaro.suppress_identifying(sjukfranvaro.statutory_shares(small))
    assert row(flagged, 2024, "-29")["dold"] and row(flagged, 2024, "30-49")["dold"]
    assert not row(flagged, 2024, "50-")["dold"]


def test_a_hidden_total_hides_its_long_term_share():
    tiny = hours([(2024, "totalt", 9, 14_000.0, 700.0, 300.0)])
    flagged = sjukfranvaro.suppress_identifying(sjukfranvaro.statutory_shares(tiny))
    assert row(flagged, 2024, "totalt")["dold"]
    assert math.isnan(row(flagged, 2024, "totalt")["langtid_procent"])


def test_comparison_in_procentenheter_with_the_long_term_share_as_its_own_row():
    comp = sjukfranvaro.compare_statutory(sjukfranvaro.statutory_shares(HOURS), 2024).set_index("rad")
    assert list(comp.index) == ["totalt", "kvinnor", "man", "-29", "30-49", "50-", "langtid"]
    assert math.isclose(comp.loc["totalt", "forandring_pe"], -0.5)
    assert math.isclose(comp.loc["langtid", "forandring_pe"], 40.0 - 9000 / 24700 * 100)
    assert comp.loc["-29", "dold_ar"] and not comp.loc["-29", "dold_foregaende_ar"]
    assert math.isclose(comp.loc["-29", "foregaende_ar"], 5.0)
    assert math.isnan(comp.loc["-29", "forandring_pe"])  # a hidden year hides the change


def _cells(html: str, label: str) -> list[str]:
    """The three figure cells of the row headed ``label``."""
    match = re.search(rf">{re.escape(label)}</th>(.*?)</tr>", html, re.S)
    assert match, label
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


def test_table_shows_dash_and_note_for_hidden_groups_and_the_long_term_row():
    html = tables.statutory_sjukfranvaro_table(sjukfranvaro.statutory_shares(HOURS), 2024).as_raw_html()
    nb = "\u00a0"
    # The year before first, then the year (years run one way in every table).
    assert _cells(html, "Totalt") == [f"6,5{nb}%", f"6,0{nb}%", f"\u22120,5{nb}p.e."]
    assert _cells(html, "29 år och yngre") == [f"5,0{nb}%", "–", "–"]
    assert _cells(html, "30–49 år")[1] == "–"
    assert _cells(html, "Långtidssjukfrånvaro, andel av sjukfrånvaron") == [
        f"36,4{nb}%",
        f"40,0{nb}%",
        f"+3,6{nb}p.e.",
    ]
    assert "29 år och yngre 2024: gruppen har 10 anställda (högst 10 visas inte)." in html
    assert "30–49 år 2024: uppgiften för 29 år och yngre skulle annars kunna räknas fram ur totalen." in html
    assert "uppgift saknas för 2023: kvinnor, män, 30–49 år, 50 år och äldre" in html


def test_table_without_hidden_groups_has_no_suppression_note():
    html = tables.statutory_sjukfranvaro_table(
        sjukfranvaro.statutory_shares(HOURS[HOURS["grupp"] == "totalt"]), 2024
    )
    assert "visas inte" not in html.as_raw_html()


def test_the_source_percentages_by_gender_still_work(root):
    comp = sjukfranvaro.compare_years(data.load("sjukfranvaro", root / "data"), 2023).set_index("grupp")
    assert comp.loc["kvinnor", "ar"] == 6.8 and comp.loc["man", "ar"] == 4.4
    assert math.isclose(comp.loc["totalt", "forandring_pe"], -0.9)


def test_hours_file_is_optional(data_copy):
    assert not (data_copy / "sjukfranvaro_timmar.csv").exists()
    assert data.load_optional("sjukfranvaro_timmar") is None
    assert "sjukfranvaro_timmar" in data.optional_files()


def test_optional_file_without_its_dictionary_is_validated_with_the_packaged_one(data_copy):
    (data_copy / "sjukfranvaro_timmar.csv").write_text(
        ",".join(COLUMNS) + "\n2024,totalt,12,19000,950,\n2024,alla,12,19000,950,\n", encoding="utf-8"
    )
    with pytest.raises(DataError) as info:
        data.load_optional("sjukfranvaro_timmar")
    assert str(info.value).startswith('Fel i data/sjukfranvaro_timmar.csv, rad 3, kolumn "grupp"')


def test_invented_2024_hours_agree_with_the_percentages_and_hide_the_small_age_group():
    shares = sjukfranvaro.statutory_shares(data.load_optional("sjukfranvaro_timmar", FIXTURE))
    comp = sjukfranvaro.compare_statutory(shares, 2024).set_index("rad")
    percent = data.load("sjukfranvaro", FIXTURE)
    for grupp in ("kvinnor", "man", "totalt"):
        printed = sjukfranvaro.value(percent, 2024, grupp)
        assert round(comp.loc[grupp, "ar"], 1) == printed, grupp
    assert comp.loc["-29", "dold_ar"] and comp.loc["30-49", "dold_ar"] and not comp.loc["50-", "dold_ar"]
    assert not comp.loc["-29", "dold_foregaende_ar"]  # 11 employees in 2023
    assert math.isclose(comp.loc["langtid", "ar"], 28698 / 69995 * 100)
