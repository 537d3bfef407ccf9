"""Read the controller's own files as tables for the data files: Excel workbooks and Excel's Swedish CSV.

A workbook has one sheet per data file, named like it (``brukaravgifter``); a workbook with a single
sheet may instead carry the name in its file name. A Swedish CSV (semicolon, decimal comma, Windows-1252
or UTF-8 with BOM) is named like the data file (``brukaravgifter.csv``). Every cell is converted to the
canonical text of ``data/`` (decimal point, ISO dates); validation is left to the data dictionary.
"""

from __future__ import annotations

import codecs
import datetime as dt
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import InvalidFileException

from servicenamnden.errors import DataError, quoted
from servicenamnden.io import data, xlsx_scan
from servicenamnden.io.numbers import canonical_number
from servicenamnden.io.schema import CUT_OFF_QUOTE, YEAR_RANGE, Column, Schema, read_schema
from servicenamnden.io.text import CutOff, csv_rows, nearest

FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", " ": "_", "-": "_"})


@dataclass(frozen=True)
class Source:
    """One table read from the controller's file, in canonical text: target data file, header, rows."""

    name: str
    label: str
    schema: Schema
    header: list[str]
    rows: list[list[str]]


@dataclass
class Dictionaries:
    """The data dictionaries of a data folder, by data file name, read when first asked for."""

    folder: Path
    names: list[str]
    cache: dict[str, Schema] = field(default_factory=dict)

    def get(self, name: str) -> Schema | None:
        """``NAME``'s dictionary, or ``None`` if there is no such data file."""
        if name not in self.names:
            return None
        if name not in self.cache:
            self.cache[name] = read_schema(data.schema_path(name, self.folder))
        return self.cache[name]

    def nearest(self, name: str) -> str | None:
        """The data file ``name`` was probably meant to be (å, ä, ö and spaces folded); ``None`` when
        no name is close ("Blad1", "Instruktioner"), so the message offers no noise."""
        return nearest(name.strip().lower().translate(FOLD), self.names)

    def hint(self, name: str) -> str:
        """``; närmast är NAME`` when a data file's name is close to ``name``, else nothing."""
        near = self.nearest(name)
        return f"; närmast är {near}" if near else ""


def dictionaries(folder: Path) -> Dictionaries:
    """Every data file in ``folder``, and every optional one whose file is still absent."""
    return Dictionaries(Path(folder), sorted(set(data.data_files(folder)) | set(data.optional_files(folder))))


# --- Cells --------------------------------------------------------------------------------------------


def _float_text(value: float) -> str:
    """A spreadsheet number as text: ``2024.0`` → ``2024``, binary noise rounded away."""
    if isinstance(value, int):
        return str(value)
    value = round(float(value), 9)
    return str(int(value)) if value.is_integer() else repr(value)


def _date_text(value: dt.datetime | dt.date, col: Column | None) -> str:
    """A date cell: the year in a year column (also a year typed into a date-formatted cell), else ISO."""
    if col is not None and col.typ == "ar":
        serial = to_excel(value)
        return str(int(serial)) if YEAR_RANGE[0] <= serial <= YEAR_RANGE[1] else str(value.year)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    return value.isoformat()


def cell_text(value: object, col: Column | None, number_format: str = "General") -> str:
    """One cell (from a workbook or a CSV) as canonical text for its column.

    Text that does not become a number is returned as typed, so the validator's error quotes it.
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value, col)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if col is not None and col.typ == "procent" and "%" in number_format:
            value = value * 100  # a cell formatted as percent holds 0.061 for 6,1 %
        return _float_text(value)
    text = str(value).strip()
    if col is None or not col.numeric or not text:
        return text
    number = canonical_number(text, percent=col.typ == "procent", whole=col.typ in ("heltal", "ar"))
    return text if number is None else number


def header_text(value: object) -> str:
    """A header cell: stray spaces and capitals removed."""
    return "" if value is None else str(value).strip().lower()


def _table(label: str, name: str, schema: Schema, raw_rows: list[list[tuple[Any, str]]]) -> Source:
    """Header and rows of (value, number format) cells → a canonical :class:`Source`."""
    if raw_rows and not any(v not in (None, "") for v, _ in raw_rows[0]) and len(raw_rows) > 1:
        raise DataError(
            label, "rubrikraden ska stå på första raden (bladet eller filen börjar med en tom rad)", 1
        )
    header = [header_text(v) for v, _ in raw_rows[0]] if raw_rows else []
    columns = [schema_column(schema, h) for h in header]
    rows = [
        [cell_text(v, columns[i] if i < len(columns) else None, f) for i, (v, f) in enumerate(r)]
        for r in raw_rows[1:]
    ]
    width = max([len(header), *(len(r) for r in rows)])
    header += [""] * (width - len(header))
    rows = [r + [""] * (width - len(r)) for r in rows]
    used = [False] * width
    for r in rows:
        for i, cell in enumerate(r):
            used[i] = used[i] or bool(cell)
    keep = [i for i in range(width) if header[i] or used[i]]  # stray empty columns go
    header = [header[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    while rows and not any(rows[-1]):  # trailing empty rows go; inner ones keep the row numbers right
        rows.pop()
    return Source(name, label, schema, header, rows)


def schema_column(schema: Schema, name: str) -> Column | None:
    """The column ``name`` of ``schema``, or ``None``."""
    return next((c for c in schema.columns if c.name == name), None)


# --- Swedish CSV --------------------------------------------------------------------------------------


def _decode(raw: bytes, label: str) -> str:
    """Excel's CSV text: UTF-8 with or without BOM, else Windows-1252 (Excel's 'CSV (semikolonavgränsad)')."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if raw.startswith(codecs.BOM_UTF8):
            line = raw[: exc.start].count(b"\n") + 1
            raise DataError(
                label, "filen börjar som UTF-8 men innehåller tecken som inte är UTF-8", line
            ) from None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            label, "filen är varken UTF-8 eller Windows-1252; spara den från Excel som CSV igen", line
        ) from None


def read_csv(path: Path, name: str, schema: Schema) -> Source:
    """A CSV exported by Excel (semicolon and decimal comma, or already canonical) as a :class:`Source`."""
    label = str(path)
    text = _decode(path.read_bytes(), label)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if ";" in first else ","
    try:
        rows = csv_rows(text, delimiter)
    except CutOff as cut:
        raise DataError(label, CUT_OFF_QUOTE, cut.line) from None
    if rows and not text.endswith(("\n", "\r")) and 0 < len(rows[-1]) < len(rows[0]):
        raise DataError(
            label,
            f"sista raden har {len(rows[-1])} fält men rubrikraden har {len(rows[0])}, och filen slutar "
            "utan radbrytning: filen kan vara avkortad",
            len(rows),
        )
    if rows and text.strip() and not text.endswith(("\n", "\r")):  # Excel ends every row with a line break
        raise DataError(
            label,
            "filen slutar mitt i en rad (radbrytning saknas efter sista raden), så filen kan vara "
            "avkortad; kontrollera sista raden och spara filen igen",
            len(rows),
        )
    return _table(label, name, schema, [[(cell, "General") for cell in row] for row in rows])


# --- Excel workbooks ----------------------------------------------------------------------------------


def _load_workbook(path: Path, label: str) -> Any:
    """Open a workbook read-only for its saved values (a formula gives the result Excel last saved)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            return openpyxl.load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise DataError(label, "filen går inte att läsa som Excel-arbetsbok (.xlsx)") from None


def _column_name(header: list[str], column: int) -> str:
    """A column's header text, else its letter (``C``)."""
    return header[column - 1] if column <= len(header) and header[column - 1] else get_column_letter(column)


def _check_sheet(path: Path, part: str | None, label: str, header: list[str]) -> None:
    """Refuse merged cells (a merged header hides a column's name) and formulas Excel never computed."""
    if part is None:
        return
    try:
        merged, unsaved = xlsx_scan.scan(path, part)
    except BROKEN:
        return  # openpyxl read the sheet; nothing more to learn
    for cells in merged:
        column = _column_name(header, cells.column)
        if cells.row == 1:
            raise DataError(
                label,
                f"rubriken är sammanfogad över cellerna {cells.ref}; varje kolumn behöver en egen "
                "rubrikcell – dela upp sammanfogningen",
                1,
                column,
            )
        raise DataError(
            label,
            f"cellerna {cells.ref} är sammanfogade; dela upp dem och skriv värdet i varje cell",
            cells.row,
            column,
        )
    for cell in unsaved:
        formula = f"formeln {quoted(cell.formula)[1:-1]}" if len(cell.formula) > 1 else "en formel"
        raise DataError(
            label,
            f"cellen har {formula} men Excel har aldrig sparat dess värde; öppna arbetsboken "
            "i Excel, låt den räkna klart och spara den igen",
            cell.row,
            _column_name(header, cell.column),
        )


# What a workbook cut in half or damaged raises while its parts are read: broken XML (ParseError and
# lxml's errors are SyntaxErrors), a broken zip member, a part that is missing.
BROKEN = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError)
BROKEN_RULE = (
    "arbetsboken är skadad eller avkortad (innehållet går inte att läsa till slut); öppna den i Excel "
    "och spara den igen"
)


def read_workbook(path: Path, known: Dictionaries) -> list[Source]:
    """The sheets of a workbook, each named like a data file; a single sheet may be named by the file."""
    label = str(path)
    book = _load_workbook(path, label)
    try:
        sheets = [(ws, ws.title.strip().lower()) for ws in book.worksheets]
        if len(sheets) == 1 and known.get(sheets[0][1]) is None and known.get(path.stem.lower()) is not None:
            sheets = [(sheets[0][0], path.stem.lower())]  # a lone sheet ("Blad1") named by the file
        for ws, name in sheets:
            if known.get(name) is None:
                raise DataError(
                    f'{label}, blad "{ws.title}"',
                    f"ingen datafil heter så{known.hint(name)} – döp bladet exakt som "
                    "datafilen (utan å, ä, ö) eller ta bort bladet",
                )
        try:
            parts = xlsx_scan.sheet_parts(path)
        except BROKEN:
            raise DataError(label, BROKEN_RULE) from None
        return [_read_sheet(path, ws, name, parts, known) for ws, name in sheets]
    finally:
        book.close()


def _read_sheet(path: Path, ws: Any, name: str, parts: dict[str, str], known: Dictionaries) -> Source:
    """One sheet as a :class:`Source`; a sheet whose XML breaks off is one line, not a traceback."""
    sheet_label = f'{path}, blad "{ws.title}"'
    try:
        raw = [[(c.value, c.number_format or "General") for c in row] for row in ws.iter_rows(min_row=1)]
    except BROKEN:
        raise DataError(sheet_label, BROKEN_RULE) from None
    _check_sheet(path, parts.get(ws.title), sheet_label, [header_text(v) for v, _ in raw[0]] if raw else [])
    return _table(sheet_label, name, known.get(name), raw)  # type: ignore[arg-type]


def read_sources(paths: Iterable[Path], folder: Path) -> list[Source]:
    """Every table in the given files, each matched to its data file; raises :class:`DataError`."""
    known = dictionaries(folder)
    sources: list[Source] = []
    for path in paths:
        label = str(path)
        if not path.is_file():
            raise DataError(label, "filen finns inte")
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            sources += read_workbook(path, known)
        elif suffix == ".csv":
            schema = known.get(path.stem.lower())
            if schema is None:
                raise DataError(
                    label,
                    f"filnamnet motsvarar ingen datafil{known.hint(path.stem)} – döp filen "
                    "efter datafilen, t.ex. brukaravgifter.csv",
                )
            sources.append(read_csv(path, path.stem.lower(), schema))
        elif suffix == ".xls":
            raise DataError(
                label, "det gamla Excel-formatet .xls läses inte; spara som Excel-arbetsbok (.xlsx)"
            )
        else:
            raise DataError(
                label, "okänd filtyp; importen läser Excel-arbetsböcker (.xlsx) och CSV-filer (.csv)"
            )
    seen: dict[str, str] = {}
    for source in sources:
        if source.name in seen:
            raise DataError(
                source.label,
                f"datafilen {source.name} finns redan i {seen[source.name]}; importera en i taget",
            )
        seen[source.name] = source.label
    return sources
