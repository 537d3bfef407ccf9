"""Notebooks share a kernel in turn (the pre-render step and make check): each starts from an empty
namespace in its own folder, as in a new kernel, and an article still gets a kernel of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager

from servicenamnden.render.build import execute_documents, kernel_groups
from servicenamnden.render.quarto_exec import ExecutionError, shared_kernel


def notebook(path: Path, *cells: str) -> Path:
    """A small notebook of code cells at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def printed(result, cell: int) -> str:
    return "".join(o.get("text", "") for o in result.notebook.cells[cell].outputs).strip()


def test_articles_get_their_own_kernel_and_notebooks_share_in_turn():
    docs = [Path(f"n{i}.ipynb") for i in range(5)] + [Path("report.qmd")]
    groups = kernel_groups(docs, 2)
    assert groups[0] == [Path("report.qmd")]
    assert sorted(p.name for g in groups[1:] for p in g) == [f"n{i}.ipynb" for i in range(5)]
    assert len(groups) == 3 and all(p.suffix == ".ipynb" for g in groups[1:] for p in g)


@pytest.mark.slow
def test_a_shared_kernel_starts_each_notebook_afresh_in_its_folder(tmp_path):
    first = notebook(tmp_path / "a" / "first.ipynb", "import os\nsecret = 1\nprint(os.getpid())")
    second = notebook(tmp_path / "b" / "second.ipynb", "import os\nprint(os.getpid())", "print(os.getcwd())")
    leaky = notebook(tmp_path / "b" / "leaky.ipynb", "print(secret)")
    with shared_kernel() as run:
        one, two = run(first), run(second)
        with pytest.raises(ExecutionError, match="NameError"):
            run(leaky)  # a name from an earlier notebook is gone, as in a new kernel
    assert printed(one, 0) == printed(two, 0)  # one kernel for both
    assert printed(two, 1) == str(tmp_path / "b")


@pytest.mark.slow
def test_documents_come_back_in_the_given_order_whatever_kernel_ran_them(tmp_path):
    paths = [notebook(tmp_path / f"n{i}.ipynb", f"print({i})") for i in range(5)]
    executed = execute_documents(paths, jobs=2)
    assert list(executed) == paths
    assert [printed(executed[p], 0) for p in paths] == [str(i) for i in range(5)]


def alive(pid: int) -> bool:
    """Whether process ``pid`` is running (a zombie, ended but not yet reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # the state follows the command name in parentheses


@pytest.fixture()
def started_kernels(monkeypatch) -> list[int]:
    """Process ids of the kernels this test starts, recorded as each kernel manager launches one.

    Counting only these, not every ``ipykernel_launcher`` on the machine, keeps the test true while
    another ``make check`` runs in another folder (its kernels come and go as they please)."""
    pids: list[int] = []
    launch = KernelManager._async_launch_kernel

    async def recording(self: KernelManager, *args: object, **kwargs: object) -> None:
        await launch(self, *args, **kwargs)
        pids.append(self.provisioner.pid)

    monkeypatch.setattr(KernelManager, "_async_launch_kernel", recording)
    return pids


@pytest.mark.slow
def test_no_kernel_is_left_running_when_a_notebook_fails(tmp_path, started_kernels):
    broken = notebook(tmp_path / "broken.ipynb", "raise ValueError('fel i data')")
    with pytest.raises(ExecutionError, match="fel i data"), shared_kernel() as run:
        run(broken)  # the first notebook of the kernel fails
    assert len(started_kernels) == 1  # the kernel was started and seen
    assert [pid for pid in started_kernels if alive(pid)] == []


@pytest.mark.slow
def test_a_kernel_started_elsewhere_meanwhile_is_not_counted(tmp_path, started_kernels):
    """A process that looks like a kernel and outlives the run (another build's kernel) is not ours."""
    ready = notebook(tmp_path / "ok.ipynb", "print(1)")
    with shared_kernel() as run:
        run(ready)
        other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "ipykernel_launcher"])
    try:
        assert alive(other.pid)  # still running after ours ended
        assert other.pid not in started_kernels and len(started_kernels) == 1
        assert [pid for pid in started_kernels if alive(pid)] == []
    finally:
        other.kill()
        other.wait()
