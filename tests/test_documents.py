"""Every notebook and the article execute as Quarto's Jupyter engine would, and pass the static checks."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from servicenamnden.domain import miljo
from servicenamnden.io import data
from servicenamnden.render.static_checks import check_project, embeds

ROOT = Path(__file__).resolve().parents[1]
MISSING_REPR = re.compile(r"\b(nan|NaN|None|<NA>)\b")
NB = "\u00a0"
MINUS = "\u2212"


def swedish(value: float, unit: str, decimals: int = 1) -> str:
    """A figure as the article writes it, spelled out here rather than taken from ``fmt``:
    decimal comma, a real minus sign, a non-breaking space before the unit."""
    return f"{value:.{decimals}f}".replace(".", ",").replace("-", MINUS) + NB + unit


def test_every_document_executes(project, executed, article_markdown, checks_2023):
    assert set(executed) == set(project.documents)
    for document, result in executed.items():
        code_cells = [c for c in result.notebook.cells if c.cell_type == "code"]
        if document == project.article:  # no code: its values were filled in from the pre-render step's file
            assert code_cells == [] and len(result.inline_values) > 400, document
            continue
        assert code_cells, document
        assert all(c.get("execution_count") for c in code_cells), document

    # The article's key figures, computed here from data/ and found in the executed text: the cells ran
    # and said the right thing.
    ar = 2023
    areas = pd.read_csv(ROOT / "data" / "driftredovisning.csv")
    result = areas.query("ar == @ar and typ == 'utfall'")["belopp_mnkr"].sum()
    statement = pd.read_csv(ROOT / "data" / "resultatrakning.csv")
    fund = statement.query("ar == @ar and typ == 'utfall' and konto == 'over_underskott'")[
        "belopp_mnkr"
    ].sum()
    sick = pd.read_csv(ROOT / "data" / "sjukfranvaro.csv").query("period == 'jan-dec' and grupp == 'totalt'")
    sick = sick.set_index("ar")["sjukfranvaro_procent"]
    met, goals = miljo.goals_met(
        miljo.goals(data.load("miljomal"), data.load("matsvinn"), data.load("miljo_nyckeltal"), ar)
    )
    # (The source printed −14,9 mnkr, −19,7 mnkr without the fund, 6,1 % and 7 av 9.)
    text = re.sub(r"[ \t\n]+", " ", article_markdown)  # line breaks of the source; no-break spaces stay
    for sentence in (
        f"Nämndens resultat blev {swedish(result, 'mnkr')}",
        f"utan uttaget blir resultatet {swedish(result - fund, 'mnkr')}",
        f"Sjukfrånvaron under {ar} var {swedish(sick[ar], '%')} av den ordinarie arbetstiden, "
        f"mot {swedish(sick[ar - 1], '%')} året före, "
        f"en förändring med {swedish(sick[ar] - sick[ar - 1], 'procentenheter')}",
        f"Nämnden når {met} av {goals} miljömål",
        f"Av {len(checks_2023)} avstämningar av rapportens data",
    ):
        assert sentence in text, sentence


def test_static_checks_hold(project, executed):
    assert check_project(project, executed) == []


def test_article_embeds_the_three_headline_analyses(project):
    labels = {label for _, label in embeds(project.article.read_text(encoding="utf-8"))}
    assert {
        "tbl-sjukfranvaro",
        "tbl-ms-ao-kostnader",
        "fig-ms-ao-index",
        "tbl-brukaravgifter",
        "fig-brukaravgifter",
    } <= labels


def test_inline_values_are_formatted_text_not_reprs(executed, project):
    values = executed[project.article].inline_values
    assert len(values) >= 30
    for expr, value in values:
        assert "\\xa0" not in value and "\\u2212" not in value, (expr, value)
        assert not MISSING_REPR.search(value), (expr, value)
        assert not value.startswith(("'", '"')), (expr, value)


def test_inline_values_use_swedish_number_style(executed, project):
    text = "\n".join(c.source for c in executed[project.article].notebook.cells if c.cell_type == "markdown")
    assert "`{python}" not in text
    assert "6,1\u00a0%" in text  # total sick leave 2023 (source: Medarbetare, table)
    assert "7,0\u00a0%" in text  # 2022 full year
    assert "\u22120,9\u00a0procentenheter" in text
    assert re.search(r"\d\.\d", re.sub(r"`[^`]*`|\{[^}]*\}|\(@[^)]*\)", "", text)) is None


def test_notebooks_are_committed_without_outputs(project):
    """The committed notebooks (git's index, where git is present) carry no outputs; the work tree
    may, since the pre-render step executes the notebooks into place as Quarto renders them."""
    import subprocess

    import nbformat

    for nb_path, _ in project.notebooks:
        rel = nb_path.relative_to(project.root).as_posix()
        staged = subprocess.run(["git", "show", f":{rel}"], cwd=project.root, capture_output=True, text=True)
        text = staged.stdout if staged.returncode == 0 else nb_path.read_text(encoding="utf-8")
        nb = nbformat.reads(text, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, nb_path.name


@pytest.mark.slow
def test_parameter_selects_the_year(project):
    """The `parameters` cell is honoured: the article for 2022 compares 2022 with 2021 where data exist."""
    from servicenamnden.render.quarto_exec import execute

    result = execute(project.root / "notebooks" / "sjukfranvaro.ipynb", {"ar": 2023})
    injected = [c for c in result.notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "ar = 2023" in injected[0].source
