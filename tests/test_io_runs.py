"""Runs in one clone (issue 12): two ``make check``/``make report`` wait for each other instead of one
failing with a traceback, and a Jupyter kernel that dies at start-up is started once more, then stops the
run with one Swedish line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbclient import NotebookClient

from servicenamnden.render import quarto_exec

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = "---\ntitle: Prov\n---\n\n```{python}\nx = 1 + 1\n```\n\nVärdet är `{python} x`.\n"


def hold_lock(folder: Path, seconds: float) -> subprocess.Popen:
    """Another process holding ``folder``'s lock for ``seconds``; returns once it holds it."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from servicenamnden.io.lock import locked\n"
            "with locked(sys.argv[1]):\n    print('held', flush=True); time.sleep(float(sys.argv[2]))",
            str(folder),
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_check_waits_while_another_run_holds_the_clone(data_copy):
    (data_copy / "brukaravgifter.csv").write_text("abonnemang,ar,avgift_kr_per_manad\nheldygn,2024,-1\n")
    holder = hold_lock(ROOT, 8)  # longer than the package takes to import on a loaded machine
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "servicenamnden", "check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    waited = time.perf_counter() - started
    holder.wait(timeout=30)
    assert waited > 7, waited
    assert result.stdout.startswith("Väntar på att en annan körning i"), (
        result.stdout,
        result.stderr,
        waited,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr  # then it ran: the bad file stops it
    assert result.stderr.strip().startswith("Fel i data/brukaravgifter.csv, rad 2")


def test_the_lock_is_released_when_the_holder_is_killed(tmp_path):
    holder = hold_lock(tmp_path, 60)
    holder.kill()
    holder.wait(timeout=30)
    from servicenamnden.io.lock import locked

    started = time.perf_counter()
    with locked(tmp_path):
        pass
    assert time.perf_counter() - started < 5


@pytest.fixture()
def document(tmp_path) -> Path:
    path = tmp_path / "prov.qmd"
    path.write_text(DOCUMENT, encoding="utf-8")
    return path


def failing_starts(monkeypatch, failures: int) -> list[int]:
    """Make the first ``failures`` kernel starts die the way a loaded machine makes them die."""
    real = NotebookClient.start_new_kernel_client
    calls: list[int] = []

    def start(self):
        calls.append(1)
        if len(calls) <= failures:
            self.kc = self.km.client()
            self._cleanup_kernel()  # what nbclient does when wait_for_ready fails
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self)

    monkeypatch.setattr(NotebookClient, "start_new_kernel_client", start)
    return calls


@pytest.mark.slow
def test_a_kernel_that_dies_at_start_up_is_started_once_more(document, monkeypatch):
    calls = failing_starts(monkeypatch, 1)
    executed = quarto_exec.execute(document)
    assert len(calls) == 2
    assert executed.inline_values == [("x", "2")]


@pytest.mark.slow
def test_a_kernel_that_dies_twice_stops_with_one_swedish_line(document, monkeypatch):
    calls = failing_starts(monkeypatch, 2)
    with pytest.raises(quarto_exec.ExecutionError) as info:
        quarto_exec.execute(document)
    assert len(calls) == 2
    message = str(info.value)
    assert message == (
        "prov.qmd: Jupyter-kärnan startade inte, inte heller andra gången (Kernel died before replying to "
        "kernel_info); datorn är troligen hårt belastad – försök igen om en stund"
    )
    assert info.value.__cause__ is None and info.value.__suppress_context__
