"""Execute a ``.qmd`` or ``.ipynb`` the way Quarto's Jupyter engine does, without Quarto.

Quarto turns a ``.qmd`` into a notebook, runs its code cells in a Jupyter kernel, and evaluates each
markdown cell's inline ``{python} expr`` as ``user_expressions`` of an empty execute request, taking
``text/markdown`` if given, else ``text/plain`` with a string's quotes stripped. Parameters replace the
values of the cell tagged ``parameters``, papermill style. The source files are never written.
"""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat
import yaml
from jupyter_client.manager import KernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

ANSI = re.compile(r"\x1b\[[0-9;]*m")
INLINE = re.compile(r"(?:^|[^`])`\{python\}[ \t]([^`]+)`")
OPTION = re.compile(r"^#\|\s?(.*)$")


KERNEL_STARTS = 2  # a kernel that dies at start-up (a loaded machine) is started once more
QUIET = logging.getLogger("servicenamnden.kernel")
QUIET.addHandler(logging.NullHandler())
QUIET.propagate = False  # nbclient logs a failed start itself; the controller gets one Swedish line


class ExecutionError(Exception):
    """A cell or an inline expression failed; ``str()`` is one line naming the document and the place.

    ``detail`` keeps the cell's whole traceback for whoever debugs the code (``SN_FELSOK=1``).
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


# A data error raised inside a cell, as its one Swedish line (the traceback ends with it).
DATA_ERROR_LINE = re.compile(r"(Fel i .*?Inget har ändrats\.)\s*$", re.M)
KERNEL_DIED = (
    "{where}: Jupyter-kärnan avslutades mitt i körningen (det är inte cellens kod som är fel; "
    "kärnprocessen dog, till exempel av minnesbrist) – försök igen"
)


def cell_error(where: str, exc: BaseException) -> ExecutionError:
    """The one-line error for a cell that failed: a data error's own line when the cell raised one,
    a dead kernel said plainly, else the exception's last line; the traceback kept as ``detail``."""
    text = ANSI.sub("", str(exc))
    if isinstance(exc, DeadKernelError) or text.strip() == "Kernel died":
        return ExecutionError(KERNEL_DIED.format(where=where), text)
    found = DATA_ERROR_LINE.findall(text)
    if found:
        return ExecutionError(found[-1].split("DataError: ", 1)[-1], text)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return ExecutionError(f"{where}: koden gav fel: {lines[-1] if lines else type(exc).__name__}", text)


@dataclass
class ExecutedDocument:
    """A document after execution: its notebook with outputs, and its markdown with values filled in."""

    path: Path
    notebook: nbformat.NotebookNode
    front_matter: dict = field(default_factory=dict)
    inline_values: list[tuple[str, str]] = field(default_factory=list)

    def markdown(self) -> str:
        """Its Markdown as a reader's renderer gets it: markdown cells (inline values filled in) and the
        Markdown outputs of code cells, in order."""
        parts = []
        for cell in self.notebook.cells:
            if cell.cell_type == "markdown":
                parts.append(cell.source)
            for output in cell.get("outputs", []):
                parts.append(output.get("data", {}).get("text/markdown", ""))
        return "\n".join(parts)


def cell_options(source: str) -> dict:
    """The ``#|`` options at the top of a code cell, as YAML."""
    lines = []
    for line in source.splitlines():
        match = OPTION.match(line)
        if not match:
            break
        lines.append(match.group(1))
    if not lines:
        return {}
    try:
        return yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        raise ExecutionError(f"Ogiltiga cellalternativ (#|): {exc}") from None


def read_document(path: Path) -> tuple[nbformat.NotebookNode, dict]:
    """A document as a notebook (jupytext reads ``.qmd`` as R Markdown) and its front matter."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        front = {}
        if nb.cells and nb.cells[0].cell_type == "raw" and nb.cells[0].source.startswith("---"):
            front = yaml.safe_load(nb.cells[0].source.strip().strip("-")) or {}
        return nb, front
    text = path.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="Rmd")
    front = {}
    if text.startswith("---"):
        front = yaml.safe_load(text.split("---", 2)[1]) or {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata["quarto_options"] = cell_options(cell.source)
    nb.metadata.setdefault(
        "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
    )
    return nb, front


def options(cell: nbformat.NotebookNode) -> dict:
    """A code cell's Quarto options (``#|`` comments)."""
    return cell.metadata.get("quarto_options") or cell_options(cell.source)


def is_parameters_cell(cell: nbformat.NotebookNode) -> bool:
    tags = set(cell.metadata.get("tags", [])) | set(options(cell).get("tags", []) or [])
    return cell.cell_type == "code" and "parameters" in tags


def inject_parameters(nb: nbformat.NotebookNode, params: dict) -> None:
    """Insert a cell after the ``parameters`` cell that overrides its values, as papermill does."""
    if not params:
        return
    for index, cell in enumerate(nb.cells):
        if is_parameters_cell(cell):
            source = "# Injected parameters\n" + "\n".join(f"{k} = {v!r}" for k, v in params.items())
            injected = nbformat.v4.new_code_cell(source)
            injected.metadata["tags"] = ["injected-parameters"]
            nb.cells.insert(index + 1, injected)
            return
    raise ExecutionError("Dokumentet har ingen cell märkt 'parameters' men fick parametrar.")


def _inline_value(result: dict, expr: str, where: str) -> str:
    if result.get("status") != "ok":
        raise ExecutionError(
            f"{where}: inline-uttrycket `{expr}` gav fel: {result.get('ename')}: {result.get('evalue')}"
        )
    data = result.get("data", {})
    if "text/markdown" in data:
        return data["text/markdown"]
    text = data.get("text/plain", "")
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return text


def _request(client: NotebookClient, code: str, expressions: dict[str, str] | None = None) -> dict:
    """Send ``code`` (and user expressions) outside the notebook's cells; the reply's content."""
    msg_id = client.kc.execute(code, silent=False, store_history=False, user_expressions=expressions or {})
    while True:
        reply = run_sync(client.kc.get_shell_msg)(timeout=client.timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def _evaluate_inline(client: NotebookClient, exprs: list[str], where: str) -> list[str]:
    try:
        reply = _request(client, "", {str(i): e for i, e in enumerate(exprs)})
    except Exception as exc:  # no reply: the kernel died (or hung past the timeout)
        if client.km is not None and not run_sync(client.km.is_alive)():
            raise ExecutionError(KERNEL_DIED.format(where=where), str(exc)) from None
        raise
    results = reply.get("user_expressions", {})
    return [_inline_value(results[str(i)], e, where) for i, e in enumerate(exprs)]


def _start_afresh(client: NotebookClient, folder: Path, name: str) -> None:
    """In a kernel that ran another notebook: an empty namespace and the notebook's folder as working
    directory, as a new kernel would give (imported modules stay loaded, which is the point)."""
    code = f"get_ipython().run_line_magic('reset', '-f'); __import__('os').chdir({str(folder)!r})"
    if _request(client, code).get("status") != "ok":
        raise ExecutionError(f"{name}: kärnan kunde inte tömmas inför notebooken")


def substitute_inline(source: str, values: list[str]) -> str:
    """Replace each inline expression in ``source``, in order, by its value.

    As Quarto does, an expression whose value is empty is left as it was written, so a reader would see
    the literal `` `{python} x` ``: an inline value must never be empty.
    """
    it = iter(values)

    def repl(match: re.Match) -> str:
        value = next(it)
        if value == "":
            return match.group(0)
        lead = match.group(0)[: match.start(1) - match.start(0) - len("`{python} ")]
        return lead + value

    return INLINE.sub(repl, source)


@contextmanager
def started_kernel(client: NotebookClient, name: str, keep: bool = False) -> Iterator[None]:
    """``client.setup_kernel()``, started once more if the kernel dies before it replies; then one line.

    With ``keep`` the kernel outlives the client (:func:`shared_kernel` shuts it down)."""
    options = {"cleanup_kc": False} if keep else {}
    with ExitStack() as stack:
        for attempt in range(1, KERNEL_STARTS + 1):
            try:
                stack.enter_context(client.setup_kernel(stderr=subprocess.DEVNULL, **options))
                break
            except Exception as exc:  # nbclient has cleaned up the dead kernel before it raises
                if attempt == KERNEL_STARTS:
                    reason = ANSI.sub("", str(exc)).strip().split("\n")[0] or type(exc).__name__
                    raise ExecutionError(
                        f"{name}: Jupyter-kärnan startade inte, inte heller andra gången ({reason}); "
                        "datorn är troligen hårt belastad – försök igen om en stund"
                    ) from None
        yield


def execute(path: Path, params: dict | None = None, timeout: int = 600) -> ExecutedDocument:
    """Run ``path`` in a fresh ``python3`` kernel with its folder as working directory (as Quarto does)."""
    return _execute(path, params, timeout)


@contextmanager
def shared_kernel(timeout: int = 600) -> Iterator[Callable[..., ExecutedDocument]]:
    """One kernel for several notebooks in turn: ``run(path, params)`` executes each from an empty
    namespace in its own folder. Saves a kernel start and the imports per notebook; every kernel it
    started is shut down at the end, also after an error."""
    managers: list[KernelManager] = []

    def run(path: Path, params: dict | None = None) -> ExecutedDocument:
        return _execute(path, params, timeout, managers)

    try:
        yield run
    finally:
        for km in managers:
            if km.has_kernel:
                run_sync(km.shutdown_kernel)(now=True)


def _execute(
    path: Path, params: dict | None, timeout: int, shared: list[KernelManager] | None = None
) -> ExecutedDocument:
    """Run ``path``; with ``shared`` in the last kernel listed there (started and listed if none), kept."""
    path = Path(path).resolve()
    nb, front = read_document(path)
    inject_parameters(nb, params or {})
    client = NotebookClient(
        nb,
        km=shared[-1] if shared else None,
        kernel_name="python3",
        timeout=timeout,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
        log=QUIET,
    )
    executed = ExecutedDocument(path=path, notebook=nb, front_matter=front)
    try:
        # The kernel's own stderr only carries start-up noise; cell errors arrive as messages.
        with started_kernel(client, path.name, keep=shared is not None):
            if shared is not None:
                _start_afresh(client, path.parent, path.name)
            _run_cells(client, executed)
    finally:
        if shared is not None:
            if client.kc is not None:
                client.kc.stop_channels()  # this notebook's connection; the kernel goes on
            if client.km is not None and all(client.km is not km for km in shared):
                shared.append(client.km)
    return executed


def _run_cells(client: NotebookClient, executed: ExecutedDocument) -> None:
    """Code cells in order; between them, each markdown cell's inline expressions, filled in."""
    name = executed.path.name
    for index, cell in enumerate(executed.notebook.cells):
        where = f"{name}, cell {index + 1}"
        if cell.cell_type == "code":
            try:
                client.execute_cell(cell, index)
            except Exception as exc:  # nbclient raises CellExecutionError with the traceback
                raise cell_error(where, exc) from None
        elif cell.cell_type == "markdown":
            exprs = [m.group(1).strip() for m in INLINE.finditer(cell.source)]
            if exprs:
                values = _evaluate_inline(client, exprs, where)
                executed.inline_values.extend(zip(exprs, values, strict=True))
                cell.metadata["quarto_source"] = cell.source
                cell.source = substitute_inline(cell.source, values)
