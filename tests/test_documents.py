"""Every notebook and the article execute as Quarto's Jupyter engine would, and pass the static checks."""

from __future__ import annotations

import re

import pytest

from servicenamnden.render.static_checks import check_project, embeds

MISSING_REPR = re.compile(r"\b(nan|NaN|None|<NA>)\b")


def test_every_document_executes(project, executed):
    assert set(executed) == set(project.documents)
    for document, result in executed.items():
        code_cells = [c for c in result.notebook.cells if c.cell_type == "code"]
        assert code_cells, document
        assert all(c.get("execution_count") for c in code_cells), document


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
