"""Issue 21: a run that stops says so in one Swedish line and leaves every output as it was: a full disk
or a read-only folder while writing, a dead kernel, a data error raised inside a document."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

import pytest

from servicenamnden import cli
from servicenamnden.errors import os_error_line
from servicenamnden.io import importer, transaction
from servicenamnden.render import build, outputs, prerender
from servicenamnden.render.quarto_exec import ExecutionError, cell_error

FULL = OSError(errno.ENOSPC, "No space left on device")


def digest(root: Path, names: tuple[str, ...] = outputs.OUTPUTS) -> dict[str, str]:
    """sha256 of every output file under ``root``."""
    found = {}
    for name in names:
        path = root / name
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for p in files:
            found[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def fake_outputs(root: Path) -> None:
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "a.ipynb").write_text("källa", encoding="utf-8")
    (root / "downloads").mkdir()
    (root / "downloads" / "tbl-a.csv").write_text("gammal", encoding="utf-8")
    (root / "_rapport.yml").write_text("title: gammal", encoding="utf-8")


def test_a_run_that_fails_half_way_leaves_every_output_as_it_was(tmp_path):
    fake_outputs(tmp_path)
    before = digest(tmp_path)
    with pytest.raises(OSError), outputs.preserved(tmp_path):
        (tmp_path / "notebooks" / "a.ipynb").write_text("körd", encoding="utf-8")
        (tmp_path / "downloads" / "tbl-a.csv").unlink()
        (tmp_path / "downloads" / "tbl-b.csv").write_text("ny", encoding="utf-8")
        (tmp_path / "_build").mkdir()
        (tmp_path / "_build" / "x.ipynb").write_text("ny", encoding="utf-8")
        raise FULL
    assert digest(tmp_path) == before
    assert not (tmp_path / "_build").exists() and not (tmp_path / outputs.BACKUP).exists()


def test_a_run_that_succeeds_keeps_its_outputs_and_no_copy(tmp_path):
    fake_outputs(tmp_path)
    with outputs.preserved(tmp_path):
        (tmp_path / "downloads" / "tbl-a.csv").write_text("ny", encoding="utf-8")
    assert (tmp_path / "downloads" / "tbl-a.csv").read_text(encoding="utf-8") == "ny"
    assert not (tmp_path / outputs.BACKUP).exists()


def test_a_copy_that_cannot_be_made_stops_before_anything_is_written(tmp_path, monkeypatch):
    fake_outputs(tmp_path)
    before = digest(tmp_path)

    def full(*args, **kwargs):
        raise FULL

    monkeypatch.setattr(outputs.shutil, "copytree", full)
    ran = []
    with pytest.raises(OSError), outputs.preserved(tmp_path):
        ran.append(True)
    assert ran == [] and digest(tmp_path) == before and not (tmp_path / outputs.BACKUP).exists()


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disken är full"),
        (OSError(errno.EROFS, "Read-only file system", "_preview/index.html"), "filsystemet är skrivskyddat"),
        (PermissionError(errno.EACCES, "Permission denied", "downloads/tabeller.xlsx"), "behörighet saknas"),
    ],
)
def test_an_output_that_cannot_be_written_is_one_line(error, reason):
    line = prerender.stop_line(error)
    assert reason in line and "None" not in line and "\n" not in line
    assert line.endswith("kör igen.") and line.count("Inget har ändrats") == 1
    if error.filename:
        assert error.filename in line


def test_a_data_error_inside_a_document_is_its_own_line():
    traceback = (
        "An error occurred while executing the following cell:\n------------------\nv = x()\n"
        "------------------\n\n\x1b[0;31mDataError\x1b[0m: Fel i data/processmal.csv, rad 2, kolumn "
        '"period_start": perioden stämmer inte. Inget har ändrats.\n'
    )
    error = cell_error("notebooks/mal.ipynb, cell 3", Exception(traceback))
    assert str(error) == (
        'Fel i data/processmal.csv, rad 2, kolumn "period_start": perioden stämmer inte. Inget har ändrats.'
    )
    assert prerender.stop_line(error) == str(error) and error.detail


def test_a_cell_error_is_one_line_with_the_exception():
    error = cell_error("report.qmd, cell 5", Exception("Traceback …\n  File x\nValueError: något"))
    assert prerender.stop_line(error) == (
        "Körningen stoppade: report.qmd, cell 5: koden gav fel: ValueError: något. Inget har ändrats."
    )


def test_a_dead_kernel_is_said_in_swedish_without_blaming_the_code():
    from nbclient.exceptions import DeadKernelError

    line = prerender.stop_line(cell_error("report.qmd, cell 5", DeadKernelError("Kernel died")))
    assert "Jupyter-kärnan avslutades" in line and "koden gav fel" not in line and "Kernel died" not in line
    assert "\n" not in line and line.endswith(". Inget har ändrats.")


@pytest.mark.slow  # starts a kernel that dies
def test_a_kernel_that_dies_in_a_cell_stops_with_one_swedish_line(tmp_path):
    from servicenamnden.render import quarto_exec

    document = tmp_path / "prov.qmd"
    document.write_text(
        "---\ntitle: Prov\n---\n\n```{python}\nimport os\nos._exit(1)\n```\n", encoding="utf-8"
    )
    with pytest.raises(ExecutionError) as info:
        quarto_exec.execute(document, timeout=60)
    assert str(info.value).startswith("prov.qmd, cell ")
    assert "Jupyter-kärnan avslutades" in str(info.value) and "\n" not in str(info.value)


def test_an_import_on_a_full_disk_is_one_line_and_changes_nothing(data_copy, tmp_path, monkeypatch, capsys):
    source = tmp_path / "brukaravgifter.csv"
    source.write_text("abonnemang;ar;avgift_kr_per_manad\nheldygn;2025;4\u00a0682\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in data_copy.iterdir() if p.is_file()}

    def full(path: Path, content: bytes) -> None:
        path.write_bytes(content[:3])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(transaction, "_write_synced", full)
    assert importer.main([str(source), "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == os_error_line(OSError(errno.ENOSPC, "No space left on device")) and "None" not in err
    assert {p.name: p.read_bytes() for p in data_copy.iterdir() if p.is_file()} == before
    assert not (data_copy / transaction.STAGING).exists()


@pytest.mark.slow  # runs every document
def test_make_check_on_a_full_disk_leaves_every_output_as_it_was(project, monkeypatch, capsys):
    """The downloads fail while the notebooks run (after an earlier run wrote notebooks/ and _build/):
    all three are put back."""
    root = project.root
    assert cli.main(["check"]) == 0  # outputs in place, as after an earlier run
    capsys.readouterr()
    before = digest(root)

    def full(notebooks, folder, *rest):
        (folder / "tbl-halv.csv").write_text("halv", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "tabeller.xlsx"))

    monkeypatch.setattr(build, "write_downloads", full)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("Kunde inte skriva eller läsa") and "disken är full" in err and "\n" not in err
    assert digest(root) == before
