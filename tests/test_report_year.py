"""Configuration in one place: the report year is resolved by one function (``domain.years``), which alone
reads ``SN_AR``; a constant lives with the domain that uses it, so importing the checks loads no Jupyter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from servicenamnden import cli
from servicenamnden.domain import years
from servicenamnden.errors import DataError
from servicenamnden.io import data

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "servicenamnden"


def environment_reads(tree: ast.AST) -> list[int]:
    """Lines that read an environment variable (``os.environ.get``, ``os.environ[…]``, ``os.getenv``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in {"os.environ.get", "os.getenv"}:
            found.append(node.lineno)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            found.append(node.lineno)
    return found


def test_the_year_variable_is_read_in_one_place():
    readers = []
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "environ" not in text and "getenv" not in text:
            continue
        lines = text.splitlines()
        for lineno in environment_reads(ast.parse(text)):
            if "SN_AR" in lines[lineno - 1] or "YEAR_VARIABLE" in lines[lineno - 1]:
                readers.append(f"{path.relative_to(SRC)}:{lineno}")
    assert [r.split(":")[0] for r in readers] == ["domain/years.py"], readers


def test_the_argument_wins_then_the_variable_then_the_data(monkeypatch):
    monkeypatch.setenv("SN_AR", "2022")
    assert years.resolve_year(2024) == 2024 and years.resolve_year("2024") == 2024
    assert years.requested_year(None) == years.requested_year("") == years.resolve_year(None) == 2022
    monkeypatch.delenv("SN_AR")
    assert years.requested_year(None) is None
    assert years.resolve_year(None) == data.latest_complete_year() == 2023


@pytest.mark.parametrize(("variable", "argument"), [("tjugo", None), ("", "tjugo")])
def test_a_year_that_is_no_year_stops_with_one_line_wherever_it_comes_from(monkeypatch, variable, argument):
    """Before, SN_AR=tjugo gave one line in the pre-render step but a ValueError traceback in a notebook
    (``resolve_year`` read the variable again, with ``int()``)."""
    monkeypatch.setenv("SN_AR", variable)
    with pytest.raises(DataError) as stopped:
        years.resolve_year(argument)
    where = "SN_AR" if variable else "ar"
    assert str(stopped.value) == f"Fel i {where}: 'tjugo' är inte ett årtal. Inget har ändrats."


def test_make_varden_with_a_wrong_year_variable_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("SN_AR", "tjugo")
    assert cli.main(["varden"]) == 1
    assert capsys.readouterr().err.strip() == "Fel i SN_AR: 'tjugo' är inte ett årtal. Inget har ändrats."


@pytest.mark.slow  # a subprocess: a fresh interpreter, so that nothing is imported already
def test_importing_the_checks_loads_no_jupyter_and_no_rendering():
    code = (
        "import sys, servicenamnden.reconcile.checks\n"
        "loaded = [m for m in ('nbclient', 'jupyter_client', 'nbformat', 'servicenamnden.render',"
        " 'servicenamnden.present.values', 'matplotlib') if m in sys.modules]\n"
        "print(loaded)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert shown.stdout.strip() == "[]"
