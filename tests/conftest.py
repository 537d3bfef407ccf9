"""Shared fixtures: the project, a scratch copy of its data, and one execution of every document.

Tests that execute documents in a Jupyter kernel or drive a browser are marked ``slow``: those that use
a fixture named ``executed…`` or ``preview…`` or live in one of SLOW_MODULES are marked here, the others
carry ``@pytest.mark.slow``. ``make test-fast`` deselects them, and a test that starts a kernel without the
mark then fails, so the fast loop cannot silently grow slow.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from jupyter_client.manager import KernelManager

from servicenamnden.domain.years import resolve_year
from servicenamnden.io import data
from servicenamnden.present.values import Arsvarden, arets_varden
from servicenamnden.reconcile import checks
from servicenamnden.render.build import execute_all
from servicenamnden.render.harledning import without_spans
from servicenamnden.render.metadata import write_metadata
from servicenamnden.render.project import load_project

ROOT = Path(__file__).resolve().parents[1]
# Fixtures that run documents in a kernel (executed, executed_2024, …) or build the preview from them.
SLOW_FIXTURE_PREFIXES = ("executed", "preview")
# Chromium; the preview's PDFs; a year rendered end to end in every test.
SLOW_MODULES = frozenset({"test_browser.py", "test_pdf.py", "test_any_year.py"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark as slow every test that needs the executed documents, the preview or a browser."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if any(f.startswith(SLOW_FIXTURE_PREFIXES) for f in fixtures) or item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def kernels_only_in_slow_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under ``-m "not slow"``, starting a Jupyter kernel fails the test: it must be marked slow."""
    if "not slow" not in (request.config.getoption("markexpr") or ""):
        return

    async def refuse(self: KernelManager, *args: object, **kwargs: object) -> None:
        raise RuntimeError(f"{request.node.nodeid} startar en Jupyter-kärna: märk testet @pytest.mark.slow")

    monkeypatch.setattr(KernelManager, "_async_launch_kernel", refuse)


def committed_text(path: Path) -> str:
    """A file as committed (HEAD). A rendered work tree holds notebook outputs, which is normal; what the
    repository stores never does, and that is what tests of the committed notebooks must read."""
    rel = path.resolve().relative_to(ROOT).as_posix()
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"HEAD:{rel}"], capture_output=True, text=True)
    return shown.stdout if shown.returncode == 0 else path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def committed() -> Callable[[Path], str]:
    """:func:`committed_text`, for tests."""
    return committed_text


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


# --- Helpers the test modules share (fixtures, since the tests are not a package) ----------------------


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An .xlsx with one sheet per entry, written the way Excel stores the cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture(scope="session")
def workbook() -> Callable[[Path, dict[str, list[list[object]]]], Path]:
    """:func:`write_workbook`: ``workbook(path, {"sheet": [[header…], [row…]]})``."""
    return write_workbook


def checks_by_id(found: Iterable[checks.Check]) -> dict[str, checks.Check]:
    return {c.id: c for c in found}


@pytest.fixture(scope="session")
def by_id() -> Callable[[Iterable[checks.Check]], dict[str, checks.Check]]:
    """:func:`checks_by_id`: the checks of a run by their id."""
    return checks_by_id


# --- The real data of the document's year (2023), computed once ------------------------------------


@pytest.fixture(scope="module")
def real_data() -> dict[str, pd.DataFrame]:
    """Every data file, loaded (module scope: a test may change a frame for the rest of its module)."""
    data.clear_cache()
    return {name: data.load(name) for name in data.data_files()}


@pytest.fixture(scope="session")
def checks_2023() -> tuple[checks.Check, ...]:
    """Every avstämning of the 2023 report on the real data (one run for the session)."""
    data.clear_cache()
    return tuple(checks.run_all(ar=2023))


@pytest.fixture(scope="session")
def v() -> Arsvarden:
    """The prose's values for 2023, as report.qmd gets them (one call for the session)."""
    data.clear_cache()
    return arets_varden(2023)


@pytest.fixture(scope="session")
def article_markdown(executed, project) -> str:
    """The executed article's markdown cells, inline values filled in, joined by line breaks; a traced
    figure's span (issue 20, ``[−14,9 mnkr]{.hv data-v="…"}``) as the text it shows."""
    cells = executed[project.article].notebook.cells
    return without_spans("\n".join(c.source for c in cells if c.cell_type == "markdown"))


@pytest.fixture(scope="session")
def executed(project):
    """Every document executed once with the real data, as Quarto would (notebooks, then article).

    The year's metadata is written first, as the pre-render step does, so a ``_rapport.yml`` left by an
    earlier run for another year (``make check AR=2024``) cannot give the preview another title.
    """
    write_metadata(project.root, resolve_year(None))
    return execute_all(project)


@pytest.fixture(scope="session")
def preview(project, executed):
    from servicenamnden.render.preview import write_preview

    return write_preview(project, executed)


def _partial_2024_module():
    """tests/fixtures/partial_2024.py (the tests are not a package: loaded by path)."""
    spec = importlib.util.spec_from_file_location(
        "partial_2024", ROOT / "tests" / "fixtures" / "partial_2024.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PARTIAL_2024 = _partial_2024_module()


@pytest.fixture(scope="session")
def partial_2024_builder():
    """The module that builds the partial 2024 case (its PRESENT and ABSENT files, ``build``)."""
    return PARTIAL_2024


@pytest.fixture()
def partial_2024(tmp_path, monkeypatch) -> Path:
    """data/ with the partial 2024 workbook imported (economy and sick leave only), used for one test."""
    target = PARTIAL_2024.build(tmp_path)
    monkeypatch.setenv("SN_DATA", str(target))
    data.clear_cache()
    yield target
    data.clear_cache()


# --- Browser tests (the preview's and the real render's): one Chromium, local servers, contrast ----------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless; the tests are skipped (with the reason) only where it is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium saknas ({CHROMIUM}); installera Debian-paketet chromium (.ci/run gör det)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No access log in the test output."""


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1 (a free port): ``serve(folder)`` gives its base URL; stopped at the end."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _relative_luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1) of ``#rrggbb``, ``rgb(…)`` or ``rgba(…)``."""
    if colour.startswith("#"):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    else:
        channels = [float(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.fixture(scope="session")
def contrast_ratio() -> Callable[[str, str], float]:
    """The WCAG contrast ratio of two colours (``#rrggbb`` or CSS ``rgb(…)``), e.g. 4.5 for AA text."""

    def ratio(a: str, b: str) -> float:
        high, low = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    return ratio
