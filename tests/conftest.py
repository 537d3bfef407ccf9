"""Shared fixtures: the project, a scratch copy of its data, and one execution of every document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from servicenamnden.io import data
from servicenamnden.render.build import execute_all
from servicenamnden.render.project import load_project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def project():
    return load_project(ROOT)


@pytest.fixture()
def data_copy(tmp_path, monkeypatch) -> Path:
    """A writable copy of data/, used instead of the real folder for the duration of a test."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("SN_DATA", str(target))
    data.clear_cache()
    yield target
    data.clear_cache()


@pytest.fixture(scope="session")
def executed(project):
    """Every document executed once with the real data, as Quarto would (notebooks, then article)."""
    return execute_all(project)


@pytest.fixture(scope="session")
def preview(project, executed):
    from servicenamnden.render.preview import write_preview

    return write_preview(project, executed)
