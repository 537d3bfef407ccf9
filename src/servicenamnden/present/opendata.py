"""Open data: every table of the report as a CSV file and as a sheet of one Excel workbook.

A table gives its numbers as :meth:`Table.data_payload`: figures as numbers rounded as the reader sees
them, units in the headers, a missing value empty. The pre-render step builds every table from the
registry (:mod:`servicenamnden.present.tables.registry`) and writes the files from those numbers, never
from the table's HTML; a displayed table carries the same numbers in its output's metadata
(:data:`~servicenamnden.present.tables.spec.METADATA_KEY`), which the preview reads. CSV is for machines (UTF-8, comma, decimal point); the
workbooks are for people: each table as its own ``.xlsx`` (one sheet, numbers as numbers, caption and
unit in the first row), which a double-click opens right in Swedish Excel, where a CSV with commas and
decimal points lands in one column with å, ä, ö garbled; and all tables in one workbook.

No text becomes a formula: a text cell that begins like one (``=``, ``+``, ``-``, ``@``) is written as
text in the workbook (with Excel's quote prefix) and with a leading ``'`` in the CSV, as the usual
guidance on CSV injection says. Numbers are never touched: a negative number stays a number.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import nbformat
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from servicenamnden.domain.rounding import round_half_up
from servicenamnden.errors import visible
from servicenamnden.io.text import formula_like, neutralised
from servicenamnden.present import fmt
from servicenamnden.present.fmt import MINUS, MISSING, NBSP
from servicenamnden.present.tables.spec import METADATA_KEY
from servicenamnden.present.tables.spec import UNIT_COLUMN as UNIT_COLUMN

DOWNLOADS_DIR = "downloads"
WORKBOOK_NAME = "tabeller.xlsx"
# The two links under every table; each says who it is for.
LINK_TEXT = "Tabellens data för program"
EXCEL_LINK_TEXT = "Tabellen i Excel"
SHEET_NAME_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# --- The numbers a table carries ---------------------------------------------------------------------


def table_data(cell: nbformat.NotebookNode) -> dict | None:
    """The numbers a code cell's table output carries, or None when it shows no such table."""
    for output in cell.get("outputs", []):
        payload = output.get("metadata", {}).get(METADATA_KEY)
        if payload:
            return dict(payload)
    return None


# --- CSV -------------------------------------------------------------------------------------------


def _csv_value(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return neutralised(str(value).replace(NBSP, " "))


def to_csv(payload: dict) -> str:
    """The table as CSV text: a header row, then one row per table row (decimal point, empty = missing)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralised(str(h).replace(NBSP, " ")) for h in payload["header"]])
    for row in payload["rows"]:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue()


# --- Excel -----------------------------------------------------------------------------------------


def sheet_name(label: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a table label: ``tbl-ms-ao-index`` → ``ms-ao-index``."""
    base = _SHEET_FORBIDDEN.sub("-", label.removeprefix("tbl-"))[:SHEET_NAME_MAX] or "tabell"
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f"-{n}"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    return name


def title_row(payload: dict) -> str:
    """The first row of a sheet: the caption and the unit of the table's figures."""
    caption = payload.get("caption") or payload.get("id", "")
    unit = payload.get("unit", "")
    return f"{caption} (enhet: {unit})" if unit else caption


def number_format(decimals: int | None) -> str:
    """Excel's display format for a column with ``decimals`` decimals: ``0.0``; text stays General."""
    if decimals is None:
        return "General"
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def cell_text(text: str) -> str:
    """A text for a workbook cell: plain spaces, and a control character Excel's XML cannot hold shown
    as ``\\x07`` (openpyxl would otherwise stop the whole build with IllegalCharacterError)."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: visible(m.group()), text.replace(NBSP, " "))


def as_text(sheet: Worksheet) -> None:
    """Every text cell of ``sheet`` stays text: one that begins like a formula is marked as a string
    with Excel's quote prefix (openpyxl would otherwise store ``=…`` as a formula)."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def fill_sheet(sheet: Worksheet, payload: dict) -> None:
    """A table on ``sheet``: caption and unit in row 1, headers in row 2, numbers as numbers below, text
    as text (a formula-like text marked as such)."""
    sheet.append([cell_text(title_row(payload))])
    sheet["A1"].font = Font(bold=True)
    sheet.append([cell_text(str(h)) for h in payload["header"]])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    decimals = payload.get("decimals") or [None] * len(payload["header"])
    for row in payload["rows"]:
        sheet.append([None if v is None else (cell_text(v) if isinstance(v, str) else v) for v in row])
    for index, places in enumerate(decimals, start=1):
        if places is None:
            continue
        for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
            cell.number_format = number_format(places)
    sheet.column_dimensions["A"].width = 40
    as_text(sheet)


def write_workbook(tables: dict[str, dict], target: Path) -> Path:
    """One sheet per table: caption and unit in row 1, headers in row 2, numbers as numbers below."""
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for label, payload in tables.items():
        name = sheet_name(label, taken)
        taken.add(name)
        fill_sheet(book.create_sheet(name), payload)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def add_sheet(target: Path, label: str, payload: dict) -> Path:
    """``target``'s workbook with one sheet more, last, for a table written after it (the provenance);
    a sheet of that name is replaced. Without the workbook, one of that sheet alone."""
    if not target.exists():
        return write_workbook({label: payload}, target)
    book = load_workbook(target)
    for old in [n for n in book.sheetnames if n == sheet_name(label, set())]:
        del book[old]
    fill_sheet(book.create_sheet(sheet_name(label, set(book.sheetnames))), payload)
    book.save(target)
    return target


# --- Files and links -------------------------------------------------------------------------------


def size_text(n_bytes: int) -> str:
    """A file size as a reader reads it: ``2 kB``, ``1,4 MB`` (never ``0 kB``).

    >>> size_text(1800), size_text(120), size_text(1_440_000)
    ('2\\xa0kB', '1\\xa0kB', '1,4\\xa0MB')
    """
    if n_bytes >= 1_000_000:
        return f"{fmt.number(n_bytes / 1_000_000, 1)}{NBSP}MB"
    return f"{fmt.count(max(1.0, round_half_up(n_bytes / 1000)))}{NBSP}kB"


def link_text(kind: str, n_bytes: int, what: str = LINK_TEXT) -> str:
    """The text of a download link, with format and size: ``Tabellens data för program (CSV, 2 kB)``."""
    return f"{what} ({kind}, {size_text(n_bytes)})"


def file_link_text(path: Path, what: str = LINK_TEXT) -> str:
    """:func:`link_text` for a written file: its format from the suffix, its size from the disk."""
    kinds = {".csv": "CSV", ".xlsx": "Excel", ".pdf": "PDF"}
    return link_text(
        kinds.get(path.suffix.lower(), path.suffix.lstrip(".").upper()), path.stat().st_size, what
    )


def download_link_text(label: str, root: Path | None = None) -> str:
    """The text of the link to a table's CSV as written under ``root/downloads``: format and size.

    For the article's authored links (``[…](downloads/tbl-x.csv)``); the CSV must have been written
    before the article runs (the build writes the downloads after the notebooks). Without the file the
    text still names the format, never an empty string.
    """
    path = (root or Path.cwd()) / DOWNLOADS_DIR / f"{label}.csv"
    return file_link_text(path) if path.exists() else f"{LINK_TEXT} (CSV)"


def table_links(label: str, root: Path | None = None, depth: int = 0, only_written: bool = False) -> str:
    """The Markdown under a table: its sheet for Excel and its CSV for programs, each with format and size.

    ``[Tabellen i Excel (XLSX, 6 kB)](downloads/tbl-x.xlsx) · [Tabellens data för program (CSV, 2 kB)](…)``.
    Written before the article runs (the pre-render step writes the files); without them the texts
    still name the format.
    """
    folder = (root or Path.cwd()) / DOWNLOADS_DIR
    links = []
    for suffix, kind, what in ((".xlsx", "XLSX", EXCEL_LINK_TEXT), (".csv", "CSV", LINK_TEXT)):
        path = folder / f"{label}{suffix}"
        if only_written and not path.exists():
            continue  # never a link to a file that is not there
        text = link_text(kind, path.stat().st_size, what) if path.exists() else f"{what} ({kind})"
        links.append(f"[{text}]({'../' * depth}{DOWNLOADS_DIR}/{label}{suffix})")
    return " · ".join(links)


def download_block(label: str, root: Path | None = None) -> str | None:
    """The article's link to a table's CSV, for the web page only, as a Markdown block; ``None`` when the
    pre-render step wrote no CSV for the table (the year's data lacked it), so no link leads nowhere."""
    path = (root or Path.cwd()) / DOWNLOADS_DIR / f"{label}.csv"
    if not path.exists():
        return None
    return f'::: {{.content-visible when-format="html"}}\n{table_links(label, root, only_written=True)}\n:::'


def workbook_link_text(root: Path | None = None, what: str = "Alla tabeller") -> str:
    """The text of the link to the workbook of all tables: ``Alla tabeller (Excel, 14 kB)``."""
    path = (root or Path.cwd()) / DOWNLOADS_DIR / WORKBOOK_NAME
    return file_link_text(path, what) if path.exists() else f"{what} (Excel)"


def csv_size(payload: dict) -> int:
    """The size in bytes of a table's CSV file (UTF-8), known before it is written."""
    return len(to_csv(payload).encode("utf-8"))


def download_href(label: str, depth: int = 0) -> str:
    """The relative link from a page ``depth`` folders below the site root to a table's CSV."""
    return f"{'../' * depth}{DOWNLOADS_DIR}/{label}.csv"


def sheet_href(label: str, depth: int = 0) -> str:
    """The relative link from a page ``depth`` folders below the site root to a table's own workbook."""
    return f"{'../' * depth}{DOWNLOADS_DIR}/{label}.xlsx"


def workbook_href(depth: int = 0) -> str:
    """The relative link from a page ``depth`` folders below the site root to the workbook."""
    return f"{'../' * depth}{DOWNLOADS_DIR}/{WORKBOOK_NAME}"


# --- Reading a shown figure (for tests that compare a page with its file) --------------------------

_UNIT = rf"(?:[ {NBSP}](?P<unit>[^\s\d,;:()]+(?: [^\s\d,;:()]+)?))?"
_QUANTITY = re.compile(
    rf"(?P<sign>[+{MINUS}\u00b1]?)(?P<int>\d{{1,3}}(?:{NBSP}\d{{3}})+|\d+)(?:,(?P<frac>\d+))?{_UNIT}"
)
_MISSING = re.compile(rf"{MISSING}{_UNIT}")


class Quantity(tuple):
    """A figure read from a shown cell: ``value`` as a decimal-point string (None if missing), ``unit``."""

    __slots__ = ()

    def __new__(cls, value: str | None, unit: str = "") -> Quantity:
        return super().__new__(cls, (value, unit))

    @property
    def value(self) -> str | None:
        return self[0]

    @property
    def unit(self) -> str:
        return self[1]


def parse_quantity(text: str) -> Quantity | None:
    """Read a cell as :mod:`fmt` writes it, or None when it is not a figure; used only to check pages.

    >>> parse_quantity("\u2212102\u00a0386,5\u00a0tkr")
    ('-102386.5', 'tkr')
    """
    text = text.strip()
    missing = _MISSING.fullmatch(text)
    if missing:
        return Quantity(None, missing["unit"] or "")
    match = _QUANTITY.fullmatch(text)
    if not match:
        return None
    sign = "-" if match["sign"] == MINUS else ""
    fraction = f".{match['frac']}" if match["frac"] else ""
    return Quantity(f"{sign}{match['int'].replace(NBSP, '')}{fraction}", match["unit"] or "")
