"""Any year: the invented 2024 data render end to end, say 2024 throughout, and a year with missing
inputs shows every figure it has, with a note where each missing one would have been."""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from servicenamnden.io import data
from servicenamnden.render.build import execute_all
from servicenamnden.render.harledning import without_spans
from servicenamnden.render.static_checks import check_project

NB = "\u00a0"
LITERAL = re.compile(r"`\{python\}[^`]*`")
NOTE = "redovisas inte för"


def section(text: str, heading: str) -> str:
    """The text from a heading to the next heading of any level."""
    start = text.index(heading)
    following = re.search(r"^#{1,6} ", text[start + len(heading) :], re.M)
    return text[start : start + len(heading) + (following.start() if following else len(text))]


def subset(project, *names: str):
    """The project with only the named notebooks (and the article), to execute less."""
    notebooks = tuple((nb, title) for nb, title in project.notebooks if nb.stem in names)
    return type(project)(project.root, project.config, project.article, notebooks, project.environment)


@pytest.fixture(scope="module")
def executed_2024(root, project):
    with pytest.MonkeyPatch.context() as patch:  # only while executing: other fixtures use the real data
        patch.setenv("SN_DATA", str(root / "tests" / "fixtures" / "data_2024"))
        data.clear_cache()
        executed = execute_all(project, {"ar": 2024})
    data.clear_cache()
    return executed


def test_invented_2024_data_renders_end_to_end(project, executed_2024, root, monkeypatch):
    monkeypatch.setenv("SN_DATA", str(root / "tests" / "fixtures" / "data_2024"))
    data.clear_cache()
    assert data.latest_complete_year() == 2024  # the default year follows the data
    assert check_project(project, executed_2024) == []
    text = without_spans(executed_2024[project.article].markdown())
    assert "Verksamhetsberättelsen för 2024 godkänns" in text
    # The invented data are complete; only the 2023 sentence on risk 2 (handlingar for other nämnder)
    # asks for a figure the new risk 2 of 2024 does not have, and says so.
    notes = re.findall(rf"\*([^*]*{NOTE}[^*]*)\*", text)
    assert set(notes) == {"Antalet nämnder för risk 2 redovisas inte för 2024: underlaget finns inte."}
    # The invented 2024 result (driftredovisning sums to −5,2 mnkr) replaces 2023's −14,9 mnkr.
    assert f"\u22125,2{NB}mnkr" in text and f"\u221214,9{NB}mnkr" not in text
    # The process goals' period comes from the data: 2024–2027, the first year of four.
    assert "perioden\n2024–2027, och 2024 är periodens\nförsta år av fyra" in text
    # The statutory table from hours: the age group 29 and under has ten employees in 2024 and is hidden.
    nb = next(d for d in executed_2024 if d.name == "sjukfranvaro.ipynb")
    cell = next(c for c in executed_2024[nb].notebook.cells if "label: tbl-sjukfranvaro-lag" in c.source)
    table = "".join(o["data"].get("text/html", "") for o in cell.outputs if "data" in o)
    assert "29 år och yngre" in table and "\u2013" in table


def test_no_inline_expression_is_left_as_code(executed, executed_2024):
    """Quarto leaves an empty inline value as literal code; no document may contain one, in any year."""
    for run in (executed, executed_2024):
        assert LITERAL.findall("\n".join(d.markdown() for d in run.values())) == []


# A paragraph written for another year stands in ``::: {.arstext ar="2023"}`` and is shown as not yet
# updated (issue 17 §4): its years are the facts of the year it was written for, not leaks.
OTHER_YEARS_TEXT = re.compile(r'^::: \{\.arstext ar="(?!2024")\d{4}"[^}]*\}\n.*?^:::$', re.S | re.M)


def test_the_2024_prose_says_2023_only_as_the_comparison_year(project, executed_2024):
    text = OTHER_YEARS_TEXT.sub("", without_spans(executed_2024[project.article].markdown()))
    allowed = [r"december 2023 till november 2024"]  # the rolling period ends in the report year
    rest = text
    for pattern in allowed:
        rest = re.sub(pattern, "", rest)
    rest = re.sub(
        r"^:::.*$", "", rest, flags=re.M
    )  # a fenced div's attributes (arstext ar="2023") are no prose
    leaks = [rest[max(0, m.start() - 60) : m.end() + 20] for m in re.finditer(r"2023", rest)]
    assert leaks == []
    assert "Källans tabell" not in text  # the 2023 document's claims never speak in another year's report


def _drop_year(folder, name: str, year: int) -> None:
    path = folder / f"{name}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[frame["ar"] != str(year)].to_csv(path, index=False)


@pytest.fixture(scope="module")
def executed_2024_gaps(root, project, tmp_path_factory):
    """The invented 2024 data with investments, work injuries and the survey lacking 2024."""
    folder = tmp_path_factory.mktemp("gaps") / "data"
    shutil.copytree(root / "tests" / "fixtures" / "data_2024", folder)
    for name in ("investeringar", "investeringar_orsaker", "arbetsmiljo", "medarbetarenkat"):
        _drop_year(folder, name, 2024)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SN_DATA", str(folder))
        data.clear_cache()
        executed = execute_all(subset(project, "ekonomi", "medarbetare"), {"ar": 2024})
    data.clear_cache()
    return executed


def test_missing_inputs_blank_only_what_depends_on_them(project, executed_2024_gaps):
    text = without_spans(executed_2024_gaps[project.article].markdown())
    assert LITERAL.findall("\n".join(d.markdown() for d in executed_2024_gaps.values())) == []
    # The result does not depend on investments: it is shown (issue: "nämndens resultat blev –").
    assert f"Nämndens resultat blev \u22125,2{NB}mnkr." in text
    # Customer dialogues have 2024 data: shown although injuries and the survey lack it.
    assert re.search(r"kunddialogerna \w+\s+från 8,40 till 8,52", text)
    # Environmental goals are counted although other files lack the year.
    assert re.search(r"\d+ av \d+ miljömål är uppfyllda", text)


def test_each_note_stands_where_the_missing_figure_would_have_been(project, executed_2024_gaps):
    text = without_spans(executed_2024_gaps[project.article].markdown())
    injuries = "Arbetsskador och tillbud redovisas inte för 2024: underlaget finns inte."
    survey = "Medarbetarenkätens resultat redovisas inte för 2024: underlaget finns inte."
    investments = "Investeringarna redovisas inte för 2024: underlaget finns inte."
    medarbetare = section(text, "## Medarbetare")
    assert injuries in medarbetare and survey in medarbetare
    assert medarbetare.index(injuries) < medarbetare.index("Sjukfrånvaron under")  # right after its paragraph
    for heading in ("## Processkvalitet", "## Resultaträkning", "## Ekonomi {"):
        part = section(text, heading)
        assert injuries not in part and investments not in part, heading
    assert investments in section(text, "## Investeringsredovisning")
    for note in re.findall(rf"\*([^*]*{NOTE}[^*]*)\*", text):  # notes speak of the figure, not the file
        assert ".csv" not in note and "data/" not in note and "(källans)" not in note, note


def test_a_section_without_the_years_data_says_so_once_and_shows_no_figures(project, executed_2024_gaps):
    text = without_spans(executed_2024_gaps[project.article].markdown())
    part = section(text, "## Investeringsredovisning")
    assert part.count("redovisas inte för 2024") == 1
    nb = next(d for d in executed_2024_gaps if d.name == "ekonomi.ipynb")
    for label in ("tbl-investeringar", "tbl-investeringar-orsaker"):
        cell = next(c for c in executed_2024_gaps[nb].notebook.cells if f"label: {label}\n" in c.source)
        html = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
        # The table keeps its place and caption (issue 17: no reference to a table that is not there),
        # as one header cell saying the year's data are missing, without figures to publish.
        assert html.count("<th scope") == 1 and "<td" not in html, label
        assert "Uppgifterna för 2024 finns inte i underlaget." in html, label
        assert not any("servicenamnden/table" in o.get("metadata", {}) for o in cell.outputs), label


def test_a_year_with_missing_sections_says_so_without_failing(project):
    data.clear_cache()
    executed = execute_all(project, {"ar": 2022})
    text = without_spans(executed[project.article].markdown())
    assert "Verksamhetsberättelsen för 2022 godkänns" in text
    assert "Sjukfrånvaron för helår redovisas inte för 2021: underlaget finns inte." in text
    assert LITERAL.findall("\n".join(d.markdown() for d in executed.values())) == []
    for document, result in executed.items():
        for cell in result.notebook.cells:
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", document.name
