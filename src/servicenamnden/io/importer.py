"""Import the controller's own files into ``data/``: Excel workbooks and Excel's Swedish CSV.

A workbook has one sheet per data file, named like it (``brukaravgifter``); a workbook with a single
sheet may instead carry the name in its file name. A Swedish CSV (semicolon, decimal comma, Windows-1252
or UTF-8 with BOM) is named like the data file (``brukaravgifter.csv``). Every source is converted to the
canonical form, validated against the same data dictionary as ``data/``, and compared with the data file
by the dictionary's key: rows are added or updated, never deleted. Nothing is written until every source
is valid, and then each file is replaced atomically.

    python -m servicenamnden.io.importer FILE [FILE...] [--dry-run] [--data DIR]
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import io
import os
import re
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from servicenamnden.errors import DataError
from servicenamnden.io import data
from servicenamnden.io.schema import _NUMBER, YEAR_RANGE, Column, Schema, read_schema, validate_text
from servicenamnden.paths import data_dir

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

SHOWN_ROWS = 25  # rows listed per file and kind of change; the rest are counted
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_WHOLE_FLOAT = re.compile(r"^([+-]?\d+)\.0*$")


@dataclass(frozen=True)
class Source:
    """One table read from the controller's file, in canonical text: target data file, header, rows."""

    name: str
    label: str
    schema: Schema
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class FileChange:
    """What importing one source does to its data file, and the file's new bytes."""

    name: str
    label: str
    path: Path
    added: list[str]
    changed: list[str]
    unchanged: int
    kept: int
    new_file: bool
    content: bytes
    schema_source: Path | None = None  # the package's dictionary, copied next to a new optional file

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed)


# --- Cells --------------------------------------------------------------------------------------------


def _number_text(text: str, col: Column) -> str:
    """A number as the controller typed it (``1 234,5``, ``−3``, ``6,1 %``) in canonical form (``1234.5``).

    Text that does not become a number is returned as typed, so the validator's error quotes it.
    """
    value = text.strip().replace("\u2212", "-")
    if col.typ == "procent":
        value = value.removesuffix("%").strip()
    value = _THOUSANDS.sub("", value)
    if _DECIMAL_COMMA.match(value):
        value = value.replace(",", ".")
    whole = _WHOLE_FLOAT.match(value)
    if whole and col.typ in ("heltal", "ar"):
        value = whole.group(1)
    return value if _NUMBER.match(value) else text.strip()


def _float_text(value: float) -> str:
    """A spreadsheet number as text: ``2024.0`` → ``2024``, binary noise rounded away."""
    if isinstance(value, int):
        return str(value)
    value = round(float(value), 9)
    return str(int(value)) if value.is_integer() else repr(value)


def _date_text(value: dt.datetime | dt.date, col: Column | None) -> str:
    """A date cell: the year in a year column (also a year typed into a date-formatted cell), else ISO."""
    if col is not None and col.typ == "ar":
        from openpyxl.utils.datetime import to_excel

        serial = to_excel(value)
        return str(int(serial)) if YEAR_RANGE[0] <= serial <= YEAR_RANGE[1] else str(value.year)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    return value.isoformat()


def cell_text(value: object, col: Column | None, number_format: str = "General") -> str:
    """One cell (from a workbook or a CSV) as canonical text for its column."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return _date_text(value, col)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if col is not None and col.typ == "procent" and "%" in number_format:
            value = value * 100  # a cell formatted as percent holds 0.061 for 6,1 %
        return _float_text(value)
    text = str(value).strip()
    return _number_text(text, col) if col is not None and col.numeric and text else text


def header_text(value: object) -> str:
    """A header cell: stray spaces and capitals removed."""
    return "" if value is None else str(value).strip().lower()


# --- Reading ------------------------------------------------------------------------------------------


def _table(label: str, name: str, schema: Schema, raw_rows: list[list[tuple[object, str]]]) -> Source:
    """Header and rows of (value, number format) cells → a canonical :class:`Source`."""
    if raw_rows and not any(v not in (None, "") for v, _ in raw_rows[0]) and len(raw_rows) > 1:
        raise DataError(
            label, "rubrikraden ska stå på första raden (bladet eller filen börjar med en tom rad)", 1
        )
    header = [header_text(v) for v, _ in raw_rows[0]] if raw_rows else []
    columns = {c.name: c for c in schema.columns}
    rows = [
        [cell_text(v, columns.get(header[i]) if i < len(header) else None, f) for i, (v, f) in enumerate(r)]
        for r in raw_rows[1:]
    ]
    width = max([len(header), *(len(r) for r in rows)])
    header += [""] * (width - len(header))
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [i for i, h in enumerate(header) if h or any(r[i] for r in rows)]  # stray empty columns go
    header = [header[i] for i in keep]
    rows = [[r[i] for i in keep] for r in rows]
    while rows and not any(rows[-1]):  # trailing empty rows go; inner ones keep the row numbers right
        rows.pop()
    return Source(name, label, schema, header, rows)


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
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return _table(label, name, schema, [[(cell, "General") for cell in row] for row in rows])


def _load_workbook(path: Path, label: str) -> Workbook:
    """Open a workbook for its values (formulas give their last computed result)."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            return openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise DataError(label, "filen går inte att läsa som Excel-arbetsbok (.xlsx)") from None


def read_workbook(
    path: Path, schemas: Callable[[str], Schema | None], say: Callable[[str], None] = print
) -> list[Source]:
    """The sheets of a workbook that name a data file; a single sheet may be named by the file name."""
    label = str(path)
    book = _load_workbook(path, label)
    sheets = [(ws, ws.title.strip().lower()) for ws in book.worksheets]
    if len(sheets) == 1 and schemas(sheets[0][1]) is None:
        sheets = [(sheets[0][0], path.stem.lower())]  # a lone sheet ("Blad1") named by the file
    matching = [(ws, name, schema) for ws, name in sheets if (schema := schemas(name)) is not None]
    if not matching:
        raise DataError(
            label,
            "inget blad heter som en datafil; döp bladet (eller en arbetsbok med ett enda blad) "
            "efter datafilen, t.ex. brukaravgifter",
        )
    for ws, _ in sheets:
        if all(ws is not m for m, _, _ in matching):
            say(f'Bladet "{ws.title}" i {label} hoppas över: det finns ingen datafil med det namnet.')
    return [
        _table(
            f'{label}, blad "{ws.title}"',
            name,
            schema,
            [[(c.value, c.number_format) for c in row] for row in ws.iter_rows(min_row=1)],
        )
        for ws, name, schema in matching
    ]


def schema_lookup(folder: Path) -> Callable[[str], Schema | None]:
    """Name → data dictionary for every data file in ``folder`` and every optional one, else None."""
    names = set(data.data_files(folder)) | set(data.optional_files())
    cache: dict[str, Schema] = {}

    def lookup(name: str) -> Schema | None:
        if name not in names:
            return None
        if name not in cache:
            cache[name] = read_schema(data.schema_path(name, folder))
        return cache[name]

    return lookup


def read_sources(paths: Iterable[Path], folder: Path, say: Callable[[str], None] = print) -> list[Source]:
    """Every table in the given files, each matched to its data file; raises :class:`DataError`."""
    schemas = schema_lookup(folder)
    sources: list[Source] = []
    for path in paths:
        label = str(path)
        if not path.is_file():
            raise DataError(label, "filen finns inte")
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            sources += read_workbook(path, schemas, say)
        elif suffix == ".csv":
            schema = schemas(path.stem.lower())
            if schema is None:
                raise DataError(
                    label,
                    "filnamnet motsvarar ingen datafil; döp filen efter datafilen, t.ex. brukaravgifter.csv",
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


# --- Comparing and writing ----------------------------------------------------------------------------


def canonical_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    """Rows as the data files store them: comma, decimal point, UTF-8, LF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _plain(value: object) -> object:
    """A typed cell made comparable: missing → None, numbers → float, text as it is."""
    if isinstance(value, str):
        return value
    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]


def _text_rows(raw: bytes) -> tuple[list[str], list[list[str]]]:
    """Header and non-empty rows of canonical CSV bytes, aligned with :func:`validate_text`'s frame."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return [h.strip() for h in rows[0]], [r for r in rows[1:] if any(cell.strip() for cell in r)]


def _insert(merged: list[tuple[tuple, list[str]]], key: tuple, row: list[str]) -> None:
    """Add a row after the last one sharing the longest leading part of its key (else at the end).

    So a new year of a subscription lands next to that subscription's earlier years.
    """
    for length in range(len(key) - 1, 0, -1):
        same = [i for i, (k, _) in enumerate(merged) if k[:length] == key[:length]]
        if same:
            merged.insert(same[-1] + 1, (key, row))
            return
    merged.append((key, row))


@dataclass
class _Merge:
    """The data file's rows (key, text) while incoming rows are merged in, and what happened."""

    rows: list[tuple[tuple, list[str]]]
    added: list[str]
    changed: list[str]
    unchanged: int = 0


def _merge(
    header: list[str],
    key_cols: list[str],
    old: list[tuple[dict, list[str]]],
    new: list[tuple[dict, list[str]]],
) -> tuple[_Merge, int]:
    """Merge ``new`` (typed record, text row) into ``old`` by key; returns the result and rows kept."""

    def key_of(record: dict) -> tuple:
        return tuple(_plain(record[k]) for k in key_cols)

    position = {key_of(record): i for i, (record, _) in enumerate(old)}
    result = _Merge([(key_of(record), list(row)) for record, row in old], [], [])
    touched: set[int] = set()
    for record, row in new:
        key = key_of(record)
        shown_key = ", ".join(row[header.index(k)] for k in key_cols)
        if key not in position:
            _insert(result.rows, key, row)
            result.added.append(shown_key)
            continue
        j = position[key]
        touched.add(j)
        old_record, old_row = old[j]
        diffs = [
            f"{c} {old_row[i] or '(tomt)'} → {row[i] or '(tomt)'}"
            for i, c in enumerate(header)
            if _plain(old_record[c]) != _plain(record[c])
        ]
        if diffs:
            result.rows[[k for k, _ in result.rows].index(key)] = (key, row)
            result.changed.append(f"{shown_key}: {'; '.join(diffs)}")
        else:
            result.unchanged += 1
    return result, len(old) - len(touched)


def plan(source: Source, folder: Path) -> FileChange:
    """Validate ``source`` and work out its data file after the import: rows added, changed and kept."""
    schema = source.schema
    incoming_raw = canonical_bytes(source.header, source.rows)
    incoming = validate_text(incoming_raw, schema, source.label)
    path = folder / f"{source.name}.csv"
    label = f"data/{path.name}"
    new_file = not path.exists()
    header, old = [c.name for c in schema.columns], []
    if not new_file:
        existing_raw = path.read_bytes()
        existing = validate_text(existing_raw, schema, label)
        header, existing_rows = _text_rows(existing_raw)
        old = list(zip(existing.to_dict("records"), existing_rows, strict=True))
    in_header, in_rows = _text_rows(incoming_raw)
    order = [in_header.index(h) for h in header]
    new = list(
        zip(incoming.to_dict("records"), [[r[i].strip() for i in order] for r in in_rows], strict=True)
    )
    merged, kept = _merge(header, list(schema.key) or header, old, new)
    content = canonical_bytes(header, [row for _, row in merged.rows])
    validate_text(content, schema, label)  # the file we would write is itself valid
    packaged = data.SCHEMA_DIR / f"{source.name}.yml"
    copy_schema = new_file and not (folder / f"{source.name}.yml").exists() and packaged.exists()
    return FileChange(
        name=source.name,
        label=source.label,
        path=path,
        added=merged.added,
        changed=merged.changed,
        unchanged=merged.unchanged,
        kept=kept,
        new_file=new_file,
        content=content,
        schema_source=packaged if copy_schema else None,
    )


def _listed(sign: str, items: list[str]) -> list[str]:
    lines = [f"  {sign} {item}" for item in items[:SHOWN_ROWS]]
    if len(items) > SHOWN_ROWS:
        lines.append(f"  … och {len(items) - SHOWN_ROWS} till")
    return lines


def describe(change: FileChange) -> list[str]:
    """What the import does to one data file, in Swedish: counts, then the rows added and changed."""
    target = f"data/{change.path.name}" + (" (ny fil)" if change.new_file else "")
    counts = (
        f"nya rader {len(change.added)}, ändrade {len(change.changed)}, oförändrade {change.unchanged}, "
        f"bara i data/ (behålls) {change.kept}"
    )
    lines = [f"{target} ← {change.label}: {counts}"]
    return lines + _listed("ny:", change.added) + _listed("ändrad:", change.changed)


def _write_atomic(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file next to ``path``, then rename it over ``path``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(change: FileChange) -> None:
    """Replace the data file (and put the dictionary next to a new optional file first)."""
    if change.schema_source is not None:
        _write_atomic(change.path.with_suffix(".yml"), change.schema_source.read_bytes())
    _write_atomic(change.path, change.content)


def _files(count: int) -> str:
    return f"{count} datafil" if count == 1 else f"{count} datafiler"


def run(
    paths: Iterable[Path],
    folder: Path | None = None,
    dry_run: bool = False,
    say: Callable[[str], None] = print,
) -> list[FileChange]:
    """Read, validate and compare every file, show the changes, then write (unless ``dry_run``)."""
    folder = Path(folder or data_dir())
    sources = read_sources(paths, folder, say)
    changes = [plan(s, folder) for s in sources]
    for change in changes:
        for line in describe(change):
            say(line)
    pending = [c for c in changes if c.has_changes]
    if dry_run:
        say(f"Provkörning: {_files(len(pending))} skulle ändras. Inget har skrivits.")
        return changes
    for change in pending:
        write(change)
    data.clear_cache()
    say(
        f"Klart: {_files(len(pending))} uppdaterade. Kör make check för att pröva rapporten med de nya siffrorna."
    )
    return changes


def main(argv: list[str] | None = None) -> int:
    """``python -m servicenamnden.io.importer``: exit code 0, or 1 with one Swedish line and nothing written."""
    parser = argparse.ArgumentParser(
        prog="python -m servicenamnden.io.importer",
        description="Importera Excel-arbetsböcker (.xlsx) och CSV-filer från Excel till data/.",
    )
    parser.add_argument("files", nargs="*", type=Path, metavar="FIL", help="filer att importera")
    parser.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle ändras")
    parser.add_argument("--data", type=Path, default=None, help="datamappen (standard: data/ eller SN_DATA)")
    args = parser.parse_args(argv)
    if not args.files:
        print("Ange minst en fil att importera, t.ex. make import FILE=brukaravgifter.xlsx", file=sys.stderr)
        return 2
    try:
        run(args.files, args.data, args.dry_run)
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"Kunde inte skriva {exc.filename}: {exc.strerror}. Kontrollera behörigheten och försök igen.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
