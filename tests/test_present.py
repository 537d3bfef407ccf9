"""Missing data: a plain note on the figure, each prose value on its own, and never an empty inline value."""

import pandas as pd
import pytest

from servicenamnden.domain.years import MissingYearError, for_year, require_years
from servicenamnden.present.show import or_note
from servicenamnden.present.values import notera
from servicenamnden.present.values.base import MISSING_SPAN, EmptyValueError, collect, need
from servicenamnden.render.quarto_exec import substitute_inline

FRAME = pd.DataFrame({"ar": [2022, 2023], "v": [1, 2]})


def test_require_and_filter_years():
    require_years(FRAME, [2022, 2023], "x")
    assert for_year(FRAME, 2023, "x")["v"].tolist() == [2]
    with pytest.raises(MissingYearError) as caught:
        require_years(FRAME, [2021, 2022], "kunddialogernas betyg")
    assert str(caught.value) == "Kunddialogernas betyg redovisas inte för 2021: underlaget finns inte."


def test_a_note_speaks_of_the_figure_not_the_file():
    with pytest.raises(MissingYearError) as caught:
        require_years(FRAME, 2030, "sjukfrånvaro per åldersgrupp")
    text = str(caught.value)
    assert text == "Sjukfrånvaro per åldersgrupp redovisas inte för 2030: underlaget finns inte."
    assert ".csv" not in text and "data/" not in text and "(källans)" not in text


def test_or_note_returns_a_markdown_note():
    note = or_note(for_year, FRAME, 2030, "matsvinnet")
    assert note._repr_markdown_() == "*Matsvinnet redovisas inte för 2030: underlaget finns inte.*"
    assert or_note(lambda: 5) == 5


def test_each_value_is_blanked_on_its_own():
    values = collect(
        "prov",
        {
            "i_ar": lambda: int(need(FRAME, 2023, "provet")["v"].iloc[-1]),
            "aret_fore": lambda: int(need(FRAME, [2021], "provet året före")["v"].iloc[0]),
            "flagga": lambda: True,
        },
    )
    assert values.i_ar == "2" and values.aret_fore == MISSING_SPAN and values.flagga is True
    assert values.noter == ["Provet året före redovisas inte för 2021: underlaget finns inte."]
    assert notera(values) == "*Provet året före redovisas inte för 2021: underlaget finns inte.*"
    complete = collect("hel", {"a": lambda: "1"})
    assert notera(complete) is None  # a block without output, not an empty inline value


def test_a_value_that_would_be_empty_is_refused():
    with pytest.raises(EmptyValueError, match="prov.tom"):
        collect("prov", {"tom": lambda: ""})


def test_an_unknown_value_name_lists_the_names_there_are():
    values = collect("sjukfranvaro", {"totalt": lambda: "6,1 %", "kvinnor": lambda: "6,8 %"})
    with pytest.raises(
        AttributeError, match="'sjukfranvaro' har inget värde 'total'. Det finns: kvinnor, totalt."
    ):
        _ = values.total


def test_the_harness_leaves_an_empty_inline_value_as_code_as_quarto_does():
    source = "Resultatet blev `{python} v.resultat`. `{python} v.saknas`\n"
    assert (
        substitute_inline(source, ["−14,9 mnkr", ""]) == "Resultatet blev −14,9 mnkr. `{python} v.saknas`\n"
    )


def test_the_process_goal_period_is_a_fact_of_the_data():
    from servicenamnden.domain.goals import process_goal_period
    from servicenamnden.errors import DataError

    goals = pd.DataFrame({"ar": [2024, 2024], "period_start": [2024, 2024], "period_slut": [2027, 2027]})
    assert process_goal_period(goals, 2024) == (2024, 2027)  # not ar − 3
    outside = goals.assign(period_start=[2020, 2020], period_slut=[2023, 2023])
    with pytest.raises(
        DataError, match=r"data/processmal.csv, rad 2, kolumn \"ar\": året 2024 ligger utanför"
    ):
        process_goal_period(outside, 2024)
    mixed = goals.assign(period_slut=[2027, 2028])
    with pytest.raises(DataError, match="olika perioder"):
        process_goal_period(mixed, 2024)


def test_an_unknown_group_lists_the_groups_there_are(v):  # v: the 2023 values (conftest.py)
    with pytest.raises(
        AttributeError,
        match="ingen grupp 'sjuk'. Det finns: ar, fg_ar, nasta_ar, har_kalldokument, processmal",
    ):
        _ = v.sjuk
    assert v.sjukfranvaro.totalt == "6,1\u00a0%"  # source: Medarbetare, the sick-leave table


def test_a_note_passes_through_the_steps_that_needed_its_data():
    from servicenamnden.present.show import Note

    rows = or_note(for_year, FRAME, 2030, "investeringarna")
    assert isinstance(rows, Note)
    summed = or_note(lambda frame: frame["v"].sum(), rows)
    assert summed is rows  # the table's place shows the one note, not a traceback or an empty table
