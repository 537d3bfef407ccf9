"""The open data of a run: every table the notebooks show as a CSV file and a workbook of its own, and all
of them in one workbook, written into ``downloads/`` (the files themselves are
:mod:`servicenamnden.present.opendata`'s).

No kernel is needed: each table is built by its registry entry (:mod:`servicenamnden.render.registry`)
from the data, and its caption is read from the notebook cell that shows it (where Quarto reads it), in
the notebooks' order, which is the order of the workbook's sheets.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from servicenamnden.present.opendata import WORKBOOK_NAME, to_csv, write_workbook
from servicenamnden.reconcile import checks
from servicenamnden.render.quarto_exec import options, read_document
from servicenamnden.render.registry import REPORT_ENTRIES, ReportData


def table_cells(notebooks: Iterable[Path]) -> dict[str, tuple[str, Path]]:
    """Label → (caption, notebook) of every ``tbl-`` cell of ``notebooks``, in order, from the cells' options."""
    found: dict[str, tuple[str, Path]] = {}
    for path in notebooks:
        notebook, _ = read_document(path)
        for cell in notebook.cells:
            opts = options(cell) if cell.cell_type == "code" else {}
            label = str(opts.get("label", ""))
            if label.startswith("tbl-"):
                found[label] = (str(opts.get("tbl-cap", "")), path)
    return found


def captions(notebooks: Iterable[Path]) -> dict[str, str]:
    """Label → caption of every ``tbl-`` cell of ``notebooks``, in order."""
    return {label: caption for label, (caption, _) in table_cells(notebooks).items()}


def open_tables(
    notebooks: Iterable[Path], ar: int, folder: Path | None = None, ran: list[checks.Check] | None = None
) -> dict[str, dict]:
    """Label → the table's numbers with its caption, for every table of ``notebooks`` that publishes
    numbers for ``ar`` (a table whose data lack the year publishes none); ``ran``: the year's
    avstämningar when they have been run already."""
    source = ReportData(ar, folder, ran)
    found: dict[str, dict] = {}
    for label, caption in captions(notebooks).items():
        table = REPORT_ENTRIES[label].build(source, ar)
        if hasattr(table, "data_payload"):
            found[label] = {**table.data_payload(), "caption": caption}
    return found


def write_tables(tables: dict[str, dict], folder: Path) -> list[Path]:
    """Write one CSV and one workbook per table (a double-click opens it right in Swedish Excel), and the
    workbook of all tables, into ``folder`` (old files there are removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.csv"), *folder.glob("*.xlsx")]:
        old.unlink()
    written = []
    for label, payload in tables.items():
        target = folder / f"{label}.csv"
        target.write_text(to_csv(payload), encoding="utf-8")
        written.append(target)
        written.append(write_workbook({label: payload}, folder / f"{label}.xlsx"))
    if tables:
        written.append(write_workbook(tables, folder / WORKBOOK_NAME))
    return written


def write_downloads(
    notebooks: Iterable[Path], folder: Path, ar: int, ran: list[checks.Check] | None = None
) -> list[Path]:
    """The open data of every table ``notebooks`` show for ``ar``, written into ``folder`` from the data."""
    return write_tables(open_tables(notebooks, ar, ran=ran), folder)
