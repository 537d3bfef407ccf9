"""Quarto's pre-render step, as plain `quarto render` and the harness run it: validation first (one
Swedish line, non-zero exit, nothing written), the year's title metadata, the notebooks executed once
into place with outputs Quarto renders without executing them again and without CDN scripts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from servicenamnden import cli
from servicenamnden.render import metadata, prerender

# Quarto adds require.js and jQuery from a CDN to a page whose notebook has an output of one of these
# types (its Jupyter widget detection, src/core/jupyter/widgets.ts, haveOutputType).
WIDGET_TRIGGERS = ("text/html", "application/javascript")
GT_HTML = '<div id="x"><style>#x table { color: red; }</style><table class="gt_table"><tr><td>1</td></tr></table></div>'


def _break_a_file(folder: Path) -> None:
    path = folder / "sjukfranvaro.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("ar")] = "tjugotjugotre"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_html_output_reaches_quarto_as_markdown_with_a_raw_html_block():
    output = nbformat.v4.new_output("display_data", data={"text/html": GT_HTML, "text/plain": "GT"})
    result = prerender.output_for_quarto(output)
    assert set(result["data"]) == {"text/markdown", "text/plain"}
    markdown = result["data"]["text/markdown"]
    assert markdown.startswith("```{=html}\n") and markdown.endswith("\n```")
    assert GT_HTML in markdown
    assert output["data"]["text/html"] == GT_HTML  # the executed document itself is left as it was


def test_scripts_are_dropped_and_other_outputs_kept():
    svg = nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg/>", "text/plain": "F"})
    js = nbformat.v4.new_output(
        "display_data", data={"application/javascript": "define()", "text/plain": "J"}
    )
    assert prerender.output_for_quarto(svg)["data"] == svg["data"]
    assert set(prerender.output_for_quarto(js)["data"]) == {"text/plain"}


def test_a_raw_block_fence_is_longer_than_any_backticks_inside():
    block = prerender.raw_html_block("<code>````</code>")
    assert block.startswith("`````{=html}") and block.endswith("\n`````")


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_broken_data_file_stops_plain_quarto_render_in_pre_render(data_copy, root, tmp_path):
    """Quarto runs ``python -m servicenamnden.render.prerender``; a wrong file stops it (non-zero exit,
    so Quarto renders nothing) with one Swedish line, and nothing is written."""
    _break_a_file(data_copy)
    stamp = {p: p.stat().st_mtime_ns for p in (root / "notebooks").glob("*.ipynb")}
    meta = root / metadata.METADATA_FILE
    meta_before = meta.read_text(encoding="utf-8") if meta.exists() else None
    run = subprocess.run(
        [sys.executable, "-m", "servicenamnden.render.prerender"],
        cwd=root,
        env={**os.environ, "SN_DATA": str(data_copy)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fel i data/sjukfranvaro.csv, rad 2"), run.stderr
    assert "Traceback" not in run.stderr
    assert {p: p.stat().st_mtime_ns for p in stamp} == stamp
    assert (meta.read_text(encoding="utf-8") if meta.exists() else None) == meta_before


def test_a_broken_data_file_stops_the_harness_in_the_same_step(data_copy, capsys, monkeypatch):
    _break_a_file(data_copy)
    ran = []
    monkeypatch.setattr(cli, "execute_all", lambda project, params: ran.append(1) or {})
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Fel i data/sjukfranvaro.csv, rad 2") and "\n" not in err
    assert ran == []  # no document ran


def test_a_wrong_year_variable_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("SN_AR", "tjugo")
    assert prerender.main([]) == 1
    assert capsys.readouterr().err.strip() == "Fel i SN_AR: 'tjugo' är inte ett årtal. Inget har ändrats."


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_the_harness_runs_the_pre_render_step(monkeypatch, capsys, root):
    """`make check` prepares (validation, metadata) and executes through the pre-render's function."""
    calls = []
    monkeypatch.setattr(cli, "execute_all", lambda project, params: calls.append(params) or {})
    monkeypatch.setattr(cli, "check_project", lambda project, executed: [])
    assert cli.main(["check", "--ar", "2023"]) == 0
    assert calls == [{"ar": 2023}]
    assert cli.execute_all is not None and prerender.execute_for_render.__name__ == "execute_for_render"
    written = yaml.safe_load((root / metadata.METADATA_FILE).read_text(encoding="utf-8"))
    assert written["title"].endswith(" 2023")


@pytest.fixture(scope="module")
def rendered_copy(root, tmp_path_factory):
    """A copy of the project after the pre-render step, run as Quarto runs it."""
    target = tmp_path_factory.mktemp("quarto") / "project"
    shutil.copytree(
        root,
        target,
        ignore=shutil.ignore_patterns(
            ".venv", "_build", "_preview", "_manuscript", ".git", "downloads", "_rapport.yml"
        ),
    )
    env = {k: v for k, v in os.environ.items() if k not in ("SN_DATA", "SN_PROJECT", "SN_AR")}
    run = subprocess.run(
        [sys.executable, "-m", "servicenamnden.render.prerender"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr
    return target, run


@pytest.mark.slow
def test_pre_render_executes_every_notebook_into_place(rendered_copy, project):
    target, run = rendered_copy
    assert "Pre-render: data validerade, rapportår 2023, 10 notebooks körda" in run.stdout
    for nb_path, _ in project.notebooks:
        nb = nbformat.read(target / nb_path.relative_to(project.root), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), nb_path.name
        assert any(c.outputs for c in code), nb_path.name


@pytest.mark.slow
def test_no_notebook_output_makes_quarto_add_cdn_scripts(rendered_copy, project):
    target, _ = rendered_copy
    tables = 0
    for nb_path, _ in project.notebooks:
        nb = nbformat.read(target / nb_path.relative_to(project.root), as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                bundle = output.get("data", {})
                assert not set(bundle) & set(WIDGET_TRIGGERS), (nb_path.name, list(bundle))
                markdown = str(bundle.get("text/markdown", ""))
                if "<table" in markdown:
                    tables += 1
                    assert markdown.startswith("```{=html}") and "<script" not in markdown
    assert tables >= 20


@pytest.mark.slow
def test_stripping_the_outputs_gives_back_the_committed_notebooks(rendered_copy, project, committed):
    """Only outputs and execution counts change, so a git filter that strips them sees no change."""
    target, _ = rendered_copy
    for nb_path, _ in project.notebooks:
        nb = json.loads((target / nb_path.relative_to(project.root)).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
        assert nb == json.loads(committed(nb_path)), nb_path.name


@pytest.mark.slow
def test_pre_render_writes_the_title_with_the_year_and_the_downloads(rendered_copy):
    target, _ = rendered_copy
    written = yaml.safe_load((target / metadata.METADATA_FILE).read_text(encoding="utf-8"))
    assert (
        written["title"] == "Servicenämndens verksamhetsberättelse och slutrapport för intern kontroll 2023"
    )
    assert written["rapport"]["kort-titel"] == "Verksamhetsberättelse 2023"
    assert len(list((target / "downloads").glob("tbl-*.csv"))) >= 20


def test_make_report_with_quarto_runs_quarto_once_and_nothing_else(tmp_path, monkeypatch, capsys):
    """With Quarto present, `make report` leaves all execution to `quarto render` (its pre-render
    step runs the notebooks, Quarto the article): the harness executes nothing itself."""
    log = tmp_path / "quarto.log"
    fake = tmp_path / "bin" / "quarto"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$@|$SN_AR|$(command -v python)" >> {log}\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("SN_FORCE_PREVIEW", raising=False)
    monkeypatch.setattr(cli, "execute_all", lambda *a, **k: pytest.fail("the harness executed documents"))
    assert cli.main(["report", "--ar", "2024"]) == 0
    args, year, python = log.read_text(encoding="utf-8").strip().split("|")
    assert args == "render -P ar:2024" and year == "2024"
    assert Path(python).parent == Path(sys.executable).parent  # pre-render's `python` is this one
