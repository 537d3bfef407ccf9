"""What openpyxl's fast read-only mode does not tell about a sheet: its merged cells, and the formulas
whose result Excel never saved (they read as empty). Found by one scan of the sheet's XML, so reading a
workbook stays a single pass, linear in its rows.

The sheet's part in the ``.xlsx`` (a zip) is found from ``xl/workbook.xml`` and its relationships.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils.cell import coordinate_from_string, range_boundaries

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# A cell element with content (not self-closing), any namespace prefix: <c r="C2" t="n">…</c>
CELL = re.compile(rb"<(?:\w+:)?c\b((?:[^>/]|/(?!>))*)>(.*?)</(?:\w+:)?c>", re.S)
REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
FORMULA = re.compile(rb"<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>(.*?)</(?:\w+:)?f>)", re.S)
VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
EMPTY_TEXT = re.compile(rb'\bt="str"')  # a formula whose saved result is the empty string: <v></v>
MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


@dataclass(frozen=True)
class Merged:
    """A merged range: its reference (``A1:B1``), first row and first column (1-based)."""

    ref: str
    row: int
    column: int


@dataclass(frozen=True)
class UnsavedFormula:
    """A formula cell without a saved result: row and column (1-based) and the formula as typed."""

    row: int
    column: int
    formula: str


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet title → the sheet's XML part in the zip (``xl/worksheets/sheet1.xml``)."""
    with zipfile.ZipFile(path) as book:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PKG_REL}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(f"{REL}id"), "")
        part = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
        parts[sheet.get("name", "")] = part
    return parts


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - ord("A") + 1
    return number


def scan(path: Path, part: str) -> tuple[list[Merged], list[UnsavedFormula]]:
    """The merged ranges and the unsaved formulas of one sheet, each in sheet order."""
    with zipfile.ZipFile(path) as book:
        xml = book.read(part)
    merged = []
    for match in MERGE.finditer(xml):
        ref = match.group(1).decode()
        min_col, min_row, _, _ = range_boundaries(ref)
        merged.append(Merged(ref, min_row, min_col))
    unsaved = []
    if b"<f" in xml or b":f" in xml:
        for cell in CELL.finditer(xml):
            attrs, body = cell.groups()
            formula = FORMULA.search(body)
            if formula is None or VALUE.search(body):
                continue
            if EMPTY_TEXT.search(attrs) and re.search(rb"<(?:\w+:)?v\b", body):
                continue
            ref = REF.search(attrs)
            if ref is None:
                continue
            letters, row = coordinate_from_string(ref.group(1).decode())
            text = (formula.group(1) or b"").decode("utf-8", "replace")
            unsaved.append(UnsavedFormula(row, _column_number(letters), "=" + _unescape(text)))
    return sorted(merged, key=lambda m: (m.row, m.column)), unsaved


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
