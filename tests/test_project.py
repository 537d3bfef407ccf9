"""Project files: environment in step with pyproject, every data file documented, Quarto render where Quarto exists."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from servicenamnden.io import data
from servicenamnden.render.project import load_project


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_and_pyproject_name_the_same_packages(root):
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {_name(r) for r in project["dependencies"]} | {
        _name(r) for r in project["optional-dependencies"]["dev"]
    }
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    pip = next((d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d), [])
    named = {_name(d) for d in env["dependencies"] if isinstance(d, str)} | {
        _name(d) for d in pip if not d.startswith("-")
    }
    assert named - {"python", "quarto", "pip"} == wanted
    assert any(isinstance(d, str) and d.startswith("quarto") for d in env["dependencies"])


def test_quarto_config_is_a_manuscript_without_freeze(project):
    config = project.config
    assert config["project"]["type"] == "manuscript"
    assert config["manuscript"]["article"] == "report.qmd"
    assert config["lang"] == "sv-SE"
    assert config["execute"]["freeze"] is False
    assert set(config["format"]) >= {"html", "typst"}
    assert config["format"]["typst"]["papersize"] == "a4"


def test_every_data_file_is_documented(root):
    folder = root / "data"
    for name in data.data_files(folder):
        schema = data.schema_of(name, folder)
        assert schema.title and schema.source and schema.unit, name
        assert schema.key, f"{name}: ingen nyckel"
        header = (folder / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [c.name for c in schema.columns], name


def test_all_data_validates(root):
    counts = data.validate_all(root / "data")
    assert len(counts) >= 25 and all(n > 0 for n in counts.values())


def test_claims_are_not_inputs(root):
    """No data file (claims aside) stores a printed total row."""
    for name in data.data_files(root / "data"):
        if name == "pastaenden":
            continue
        text = (root / "data" / f"{name}.csv").read_text(encoding="utf-8").lower()
        assert not re.search(r"(^|,)(summa|totalt?)[ ,]", text.replace("totalt,", "")) or name in {
            "sjukfranvaro",
            "klimatbelastning",
            "medarbetarenkat",
            "matsvinn",
        }, name


@pytest.mark.skipif(
    shutil.which("quarto") is None,
    reason="Quarto finns inte på maskinen; den riktiga renderingen prövas där Quarto är installerat",
)
def test_quarto_renders_html_and_pdf(root, tmp_path):
    """Plain `quarto render`, twice (the second with the first's outputs in place): the title carries
    the year, the language is sv-SE, and no page loads a script, stylesheet or font from outside."""
    target = tmp_path / "project"
    shutil.copytree(
        root, target, ignore=shutil.ignore_patterns(".venv", "_build", "_preview", "_manuscript", ".git")
    )
    # The pre-render step runs `python -m servicenamnden…`: this environment's Python first on PATH, as
    # `make report` puts it (pytest is run as .venv/bin/python -m pytest, without the environment activated).
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    for _ in range(2):
        subprocess.run(["quarto", "render"], cwd=target, check=True, timeout=1800, env=env)
    out = target / "_manuscript"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<title>[^<]*intern kontroll 2023</title>", page)
    assert 'lang="sv-SE"' in page
    assert list(out.glob("*.pdf"))
    external = re.compile(r"<(?:script|link)\b[^>]*(?:src|href)=\"(?:https?:)?//|@import", re.I)
    for path in [*out.rglob("*.html"), *out.rglob("*.css")]:
        assert not external.search(path.read_text(encoding="utf-8", errors="replace")), path.name


def test_the_accessibility_statement_is_a_page_quarto_lists_on_every_page(root):
    """A manuscript ignores website footers; its list of notebooks is on every page, so the statement is
    listed there. It is a page, not an analysis: the harness and the pre-render step don't execute it."""
    project = load_project(root)
    pages = {path.name: title for path, title in project.pages}
    assert pages == {"tillganglighet.qmd": "Tillgänglighetsredogörelse"}
    assert (root / "tillganglighet.qmd").exists()
    assert all(path.suffix == ".ipynb" for path, _ in project.notebooks)
