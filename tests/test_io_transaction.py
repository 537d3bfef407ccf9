"""An import is one transaction (issue 12): killed with SIGKILL at any step, data/ ends with all files new
or all files old as soon as anything reads it again; and the data folder is locked while it runs."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from servicenamnden.io import data, importer, transaction

ROOT = Path(__file__).resolve().parents[1]

# Runs the importer with os.replace watched: SIGKILL itself just before the chosen step.
KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from servicenamnden.io import importer

    when, source, folder = sys.argv[1], sys.argv[2], sys.argv[3]
    real_replace = os.replace
    replaced = 0

    def replace(src, dst):
        global replaced
        dst = Path(dst)
        if when == "commit" and dst.name == "KLAR":
            os.kill(os.getpid(), signal.SIGKILL)
        if dst.parent.name != ".import-ny":  # a data file is being replaced
            if replaced == int(when if when.isdigit() else -1):
                os.kill(os.getpid(), signal.SIGKILL)
            replaced += 1
        real_replace(src, dst)

    os.replace = replace
    sys.exit(importer.main([source, "--data", folder]))
    """
)


def csv_digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


def three_files(path: Path) -> Path:
    """A workbook that changes three data files."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {
        "arbetsmiljo": [["ar", "handelse", "antal"], [2024, "tillbud", 74]],
        "brukaravgifter": [["abonnemang", "ar", "avgift_kr_per_manad"], ["heldygn", 2025, 4682]],
        "nara_livsmedel": [["ar", "andel_procent"], [2024, 31.5]],
    }
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


@pytest.fixture()
def expected(tmp_path) -> tuple[Path, dict[str, str], dict[str, str]]:
    """The workbook, and data/'s CSV digests before and after importing it undisturbed."""
    source = three_files(tmp_path / "arsdata.xlsx")
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "data", reference)
    before = csv_digest(reference)
    importer.run([source], reference, say=lambda _: None)
    after = csv_digest(reference)
    assert len([n for n in after if after[n] != before[n]]) == 3
    return source, before, after


def killed_import(when: str, source: Path, folder: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", KILLER, when, str(source), str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr


@pytest.mark.parametrize("step", ["0", "1", "2"])
@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_killed_while_replacing_files_rolls_forward_on_the_next_read(data_copy, expected, step):
    source, before, after = expected
    killed_import(step, source, data_copy)
    on_disk = csv_digest(data_copy)
    new = {n for n in on_disk if on_disk[n] == after[n] and before[n] != after[n]}
    assert len(new) == int(step)  # the kill really came between the replacements
    assert transaction.pending(data_copy)
    data.validate_all(data_copy)  # any reader finishes the committed import first
    assert csv_digest(data_copy) == after
    assert not transaction.pending(data_copy)


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_killed_before_the_commit_rolls_back(data_copy, expected):
    source, before, _ = expected
    killed_import("commit", source, data_copy)
    assert transaction.pending(data_copy)
    data.clear_cache()
    data.load("brukaravgifter", data_copy)  # a single read also tidies up
    assert csv_digest(data_copy) == before
    assert not transaction.pending(data_copy)


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_the_next_import_finishes_a_killed_one_first(data_copy, expected, tmp_path):
    source, _, after = expected
    killed_import("1", source, data_copy)
    other = tmp_path / "kunddialog.csv"
    other.write_text("matt;ar;period;betyg\n", encoding="utf-8")  # header only: refused, nothing written
    with pytest.raises(Exception, match="inga datarader"):
        importer.run([other], data_copy, say=lambda _: None)
    assert csv_digest(data_copy) == after


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_a_second_import_waits_for_the_first(data_copy, tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from servicenamnden.io.lock import locked\n"
            "with locked(sys.argv[1]):\n    print('held', flush=True); time.sleep(2)",
            str(data_copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout.readline().strip() == "held"
    source = tmp_path / "nara_livsmedel.csv"
    source.write_text("ar;andel_procent\n2024;31,5\n", encoding="utf-8")
    messages: list[str] = []
    started = time.perf_counter()
    importer.run([source], data_copy, say=messages.append)
    waited = time.perf_counter() - started
    holder.wait(timeout=30)
    assert waited > 1, waited
    assert messages[0].startswith("Väntar på att en annan körning i")


def test_the_staging_folder_is_ignored_by_git():
    assert "data/.import-ny/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
