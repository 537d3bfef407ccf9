"""Issue 21: a run killed with SIGKILL (a closed window, ``kill -9``) cannot put its outputs back itself; the
next run does it from the copy the killed run made aside, so the last good outputs are never lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from servicenamnden.render import outputs

# A run as cli.main makes it: the outputs copied aside, then written half-way, then killed for real. The
# child says where it is on stdout and waits there; the test sends SIGKILL.
RUN = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from servicenamnden.render import outputs

    root, when = Path(sys.argv[1]), sys.argv[2]
    if when == "copying":
        real = outputs.shutil.copy2

        def slow(*args, **kwargs):
            print("kopierar", flush=True)
            time.sleep(60)

        outputs.shutil.copy2 = slow
    with outputs.preserved(root):
        (root / "notebooks" / "a.ipynb").write_text("halvkörd", encoding="utf-8")
        (root / "downloads" / "tbl-a.csv").unlink()
        (root / "downloads" / "tbl-ny.csv").write_text("halv", encoding="utf-8")
        print("skriver", flush=True)
        time.sleep(60)
    """
)


def old_outputs(root: Path) -> dict[str, str]:
    """The outputs of the last good run."""
    files = {"notebooks/a.ipynb": "källa", "downloads/tbl-a.csv": "gammal", "_rapport.yml": "title: gammal"}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return files


def contents(root: Path) -> dict[str, str]:
    """Every output file under ``root`` and its text."""
    found = {}
    for name in outputs.OUTPUTS:
        path = root / name
        for p in [path] if path.is_file() else sorted(q for q in path.rglob("*") if q.is_file()):
            found[p.relative_to(root).as_posix()] = p.read_text(encoding="utf-8")
    return found


def kill_run(root: Path, when: str, wait_for: str) -> None:
    """Start a run in ``root``, SIGKILL it once it prints ``wait_for``."""
    child = subprocess.Popen(
        [sys.executable, "-c", RUN, str(root), when], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == wait_for
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()


@pytest.mark.slow  # starts a Python process per test
def test_the_run_after_one_killed_while_writing_restores_the_last_good_outputs(tmp_path, capsys):
    before = old_outputs(tmp_path)
    kill_run(tmp_path, "writing", "skriver")
    assert contents(tmp_path) != before and (tmp_path / outputs.BACKUP).exists()  # half-written, as killed
    seen = []
    with outputs.preserved(tmp_path):
        seen.append(contents(tmp_path))
    assert seen == [before] and contents(tmp_path) == before
    assert not (tmp_path / outputs.BACKUP).exists()
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and "avbröts" in said[0] and "återställ" in said[0]


@pytest.mark.slow  # starts a Python process per test
def test_a_run_killed_while_copying_aside_changed_nothing_and_its_copy_is_dropped(tmp_path, capsys):
    before = old_outputs(tmp_path)
    kill_run(tmp_path, "copying", "kopierar")
    assert contents(tmp_path) == before and (tmp_path / outputs.BACKUP).exists()
    with outputs.preserved(tmp_path):
        assert contents(tmp_path) == before
    assert not (tmp_path / outputs.BACKUP).exists() and capsys.readouterr().err == ""


def test_a_copy_half_removed_after_a_good_run_is_not_restored(tmp_path):
    """The copy is marked complete last and unmarked first: a run killed while removing it after success
    leaves a copy without the mark, and the next run keeps the new outputs."""
    old_outputs(tmp_path)
    with outputs.preserved(tmp_path):
        (tmp_path / "downloads" / "tbl-a.csv").write_text("ny", encoding="utf-8")
    backup = tmp_path / outputs.BACKUP
    (backup / "downloads").mkdir(parents=True)
    (backup / "downloads" / "tbl-a.csv").write_text("gammal", encoding="utf-8")
    with outputs.preserved(tmp_path):
        pass
    assert (tmp_path / "downloads" / "tbl-a.csv").read_text(encoding="utf-8") == "ny"


def test_a_restore_killed_half_way_can_be_done_again(tmp_path):
    """Putting back copies the saved files and leaves the copy whole, so a second restore gives the same."""
    before = old_outputs(tmp_path)
    with pytest.raises(RuntimeError), outputs.preserved(tmp_path):
        (tmp_path / "downloads" / "tbl-a.csv").write_text("ny", encoding="utf-8")
        backup = tmp_path / outputs.BACKUP
        outputs.restore(tmp_path, backup, outputs.OUTPUTS)
        assert contents(backup) == before
        outputs.restore(tmp_path, backup, outputs.OUTPUTS)
        raise RuntimeError
    assert contents(tmp_path) == before
