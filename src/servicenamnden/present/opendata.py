"""Open data: every table of the report as a CSV file beside it, in the spirit of Lag 2022:818.

A CSV is made from the table as it is published: the header cells, the stub and the body of the
table's HTML, each figure read back from its Swedish formatting by :func:`parse_number`, the inverse of
:mod:`servicenamnden.present.fmt`. So the file holds exactly the numbers the reader sees, with a decimal
point, a plain minus and no thousands separator; a missing value (``–``) is an empty field; a unit
shared by a column goes into its header, and mixed units get a column of their own.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from servicenamnden.present.fmt import MINUS, MISSING, NBSP
from servicenamnden.render.quarto_exec import ExecutedDocument, options

DOWNLOADS_DIR = "downloads"
LINK_TEXT = "Ladda ner tabellens data (CSV)"
UNIT_COLUMN = "enhet"

# A number as fmt.number writes it (digits grouped by NBSP, decimal comma, U+2212 minus, + or ± when
# signed), optionally followed by a unit of at most two words without digits (%, p.e., tkr, kg CO₂e/kg).
_UNIT = rf"(?:[ {NBSP}](?P<unit>[^\s\d,;:()]+(?: [^\s\d,;:()]+)?))?"
_QUANTITY = re.compile(
    rf"(?P<sign>[+{MINUS}\u00b1]?)(?P<int>\d{{1,3}}(?:{NBSP}\d{{3}})+|\d+)(?:,(?P<frac>\d+))?{_UNIT}"
)
_MISSING = re.compile(rf"{MISSING}{_UNIT}")


@dataclass(frozen=True)
class Quantity:
    """A figure read from a table cell: its value as a decimal-point string (None if missing) and unit."""

    value: str | None
    unit: str = ""


@dataclass(frozen=True)
class Table:
    """A table's column names (stub first) and body rows of cell texts."""

    header: list[str]
    rows: list[list[str]]


def parse_quantity(text: str) -> Quantity | None:
    """Read a cell formatted by :mod:`fmt`; None when it is not a number.

    >>> parse_quantity("\u2212102\u00a0386,5\u00a0tkr")
    Quantity(value='-102386.5', unit='tkr')
    >>> parse_quantity("\u2013")
    Quantity(value=None, unit='')
    >>> parse_quantity("uppfyllt") is None
    True
    """
    text = text.strip()
    missing = _MISSING.fullmatch(text)
    if missing:
        return Quantity(None, missing["unit"] or "")
    match = _QUANTITY.fullmatch(text)
    if not match:
        return None
    sign = "-" if match["sign"] == MINUS else ""
    digits = match["int"].replace(NBSP, "")
    fraction = f".{match['frac']}" if match["frac"] else ""
    return Quantity(f"{sign}{digits}{fraction}", match["unit"] or "")


def parse_number(text: str) -> float | None:
    """The inverse of :mod:`fmt`: ``'−0,9 p.e.'`` → ``-0.9``, ``'6,1 %'`` → ``6.1``, ``'–'`` → None.

    >>> parse_number("\u22120,9\u00a0p.e.")
    -0.9
    >>> parse_number("+8,0\u00a0%")
    8.0
    """
    quantity = parse_quantity(text)
    if quantity is None:
        raise ValueError(f"Inte ett tal i svensk form: {text!r}")
    return None if quantity.value is None else float(quantity.value)


# --- Reading tables from HTML ----------------------------------------------------------------------


@dataclass
class _Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


class _TableParser(HTMLParser):
    """Collects each ``<table>``'s header rows (thead) and body rows (tbody); caption and tfoot are skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, list[list[_Cell]]]] = []
        self._section: str | None = None
        self._cell: _Cell | None = None
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append({"head": [], "body": []})
            self._section = "body"
        elif tag in ("thead", "tbody", "tfoot", "caption") and self.tables:
            self._section = {"thead": "head", "tbody": "body"}.get(tag)
        elif tag == "tr" and self._section and self.tables:
            self.tables[-1][self._section].append([])
        elif tag in ("td", "th") and self._section and self.tables and self.tables[-1][self._section]:
            values = dict(attrs)
            self._cell = _Cell("", _span(values.get("colspan")), _span(values.get("rowspan")))
            self._parts = []
        elif tag == "br" and self._cell is not None:
            self._parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self._cell.text = _clean("".join(self._parts))
            self.tables[-1][self._section][-1].append(self._cell)  # type: ignore[index]
            self._cell = None
        elif tag in ("thead", "tbody", "tfoot", "caption"):
            self._section = "body"
        elif tag == "table":
            self._section = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._parts.append(data)


def _span(value: str | None) -> int:
    return int(value) if value and value.isdigit() and int(value) > 0 else 1


def _clean(text: str) -> str:
    """Collapse ordinary whitespace (not the non-breaking spaces inside numbers)."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def _grid(rows: list[list[_Cell]]) -> list[list[str]]:
    """Expand colspan/rowspan: every cell's text in every grid slot it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in grid:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid[(r + dr, c + dc)] = cell.text
            c += cell.colspan
    width = max((c for _, c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]


def _column_names(head: list[list[str]], width: int) -> list[str]:
    """One name per column: the header texts above it from top to bottom, repeats dropped."""
    names = []
    for c in range(width):
        parts: list[str] = []
        for row in head:
            text = row[c] if c < len(row) else ""
            if text and text not in parts:
                parts.append(text)
        names.append(": ".join(parts))
    return names


def _is_spanning(row: list[_Cell], width: int) -> bool:
    return width > 1 and len(row) == 1 and row[0].colspan >= width


def read_tables(html: str) -> list[Table]:
    """Every table in ``html``: header names from thead, rows from the body; row-group labels as a column."""
    parser = _TableParser()
    parser.feed(html)
    tables = []
    for raw in parser.tables:
        width = max((sum(c.colspan for c in row) for row in raw["head"] + raw["body"]), default=0)
        head = [row for row in raw["head"] if not _is_spanning(row, width)]  # drop title rows
        header = _column_names(_grid(head), width)
        rows, group, grouped = [], "", False
        for row in _grid_rows(raw["body"], width):
            if isinstance(row, str):
                group, grouped = row, True
                continue
            rows.append([group, *row] if grouped else row)
        if grouped:
            header = ["Grupp", *header]
            rows = [r if len(r) == len(header) else ["", *r] for r in rows]
        tables.append(Table(header, rows))
    return tables


def _grid_rows(body: list[list[_Cell]], width: int) -> list[list[str] | str]:
    """Body rows as texts; a row that is one cell across the whole table is a group label (a str)."""
    out: list[list[str] | str] = []
    block: list[list[_Cell]] = []
    for row in body:
        if _is_spanning(row, width):
            out.extend(_grid(block))
            block = []
            out.append(row[0].text)
        else:
            block.append(row)
    out.extend(_grid(block))
    return out


# --- Writing CSV -----------------------------------------------------------------------------------


def _text(cell: str) -> str:
    return "" if cell.strip() == MISSING else cell.replace(NBSP, " ")


def csv_columns(table: Table) -> list[tuple[str, list[str]]]:
    """(name, values) per CSV column: figures with a decimal point, units in the header or a column of their own."""
    columns = []
    for index, name in enumerate(table.header):
        cells = [row[index] if index < len(row) else "" for row in table.rows]
        parsed = [parse_quantity(c) for c in cells]
        if index == 0 or not cells or any(p is None for p in parsed):
            columns.append((_text(name), [_text(c) for c in cells]))
            continue
        values = ["" if p.value is None else p.value for p in parsed]  # type: ignore[union-attr]
        units = {p.unit for p in parsed if p.value is not None}  # type: ignore[union-attr]
        name = _text(name)
        if len(units) > 1:
            columns.append((name, values))
            unit_values = ["" if p.value is None else p.unit for p in parsed]  # type: ignore[union-attr]
            columns.append((f"{name}, {UNIT_COLUMN}", unit_values))
            continue
        unit = next(iter(units), "")
        columns.append((f"{name} ({unit})" if unit and unit not in name else name, values))
    return columns


def to_csv(table: Table) -> str:
    """The table as CSV text: a header row, then one row per body row."""
    columns = csv_columns(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    writer.writerows(zip(*(values for _, values in columns), strict=True))
    return buffer.getvalue()


# --- From executed documents to files --------------------------------------------------------------


def cell_html(cell: nbformat.NotebookNode) -> str:
    """The HTML outputs of a code cell, joined."""
    return "\n".join(
        str(out.get("data", {}).get("text/html", "")) for out in cell.get("outputs", []) if "data" in out
    )


def labelled_tables(executed: dict[Path, ExecutedDocument]) -> dict[str, Table]:
    """Label → table, for every ``tbl-`` cell of every executed document whose output holds a table."""
    found: dict[str, Table] = {}
    for document in executed.values():
        for cell in document.notebook.cells:
            if cell.cell_type != "code":
                continue
            label = str(options(cell).get("label", ""))
            tables = read_tables(cell_html(cell)) if label.startswith("tbl-") else []
            if tables:
                found[label] = tables[0]
    return found


def download_href(label: str, depth: int = 0) -> str:
    """The relative link from a page ``depth`` folders below the site root to a table's CSV."""
    return f"{'../' * depth}{DOWNLOADS_DIR}/{label}.csv"


def write_downloads(executed: dict[Path, ExecutedDocument], folder: Path) -> list[Path]:
    """Write one CSV per labelled table into ``folder`` (old CSV files there are removed first)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    written = []
    for label, table in labelled_tables(executed).items():
        target = folder / f"{label}.csv"
        target.write_text(to_csv(table), encoding="utf-8")
        written.append(target)
    return written
