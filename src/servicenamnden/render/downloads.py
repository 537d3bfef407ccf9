"""The open data of a run: every labelled table of the executed documents as a CSV file and all of them in
one workbook, written into ``downloads/`` (the files themselves are :mod:`servicenamnden.present.opendata`'s).

It reads what the kernels returned (each ``tbl-`` cell's options and the numbers its output carries), so it
belongs with the execution, not with the presentation below it.
"""

from __future__ import annotations

from pathlib import Path

from servicenamnden.present.opendata import WORKBOOK_NAME, table_data, to_csv, write_workbook
from servicenamnden.render.quarto_exec import ExecutedDocument, options


def labelled_tables(executed: dict[Path, ExecutedDocument]) -> dict[str, dict]:
    """Label → the table's numbers (with its caption), for every ``tbl-`` cell whose output carries them."""
    found: dict[str, dict] = {}
    for document in executed.values():
        for cell in document.notebook.cells:
            if cell.cell_type != "code":
                continue
            opts = options(cell)
            label = str(opts.get("label", ""))
            payload = table_data(cell) if label.startswith("tbl-") else None
            if payload is not None:
                found[label] = {**payload, "caption": str(opts.get("tbl-cap", ""))}
    return found


def write_downloads(executed: dict[Path, ExecutedDocument], folder: Path) -> list[Path]:
    """Write one CSV and one workbook per table (a double-click opens it right in Swedish Excel), and the
    workbook of all tables, into ``folder`` (old files there are removed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.csv"), *folder.glob("*.xlsx")]:
        old.unlink()
    tables = labelled_tables(executed)
    written = []
    for label, payload in tables.items():
        target = folder / f"{label}.csv"
        target.write_text(to_csv(payload), encoding="utf-8")
        written.append(target)
        written.append(write_workbook({label: payload}, folder / f"{label}.xlsx"))
    if tables:
        written.append(write_workbook(tables, folder / WORKBOOK_NAME))
    return written
