"""The controller's workbook to fill for a report year (``make mall AR=2024``).

One sheet per data file the year needs (every file with a year column, the published document's claims
excepted), named like the file, with the data dictionary's headers in row 1. Each header carries a comment
with the column's description, type, unit and rules, and each column's cells show a short version when
selected (Excel's input message), with a drop-down list where the dictionary lists the allowed values.
Below the headers stand last year's rows, in grey italics, as an example: they are in ``data/`` already, so
importing the workbook unchanged changes nothing (``make import``). The workbook remembers its year, so the
dry run can list every data file that still lacks rows for it.

    python -m servicenamnden.io.template [--ar 2024] [--fil mall-2024.xlsx]
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from servicenamnden.errors import DataError
from servicenamnden.io import data
from servicenamnden.io.schema import Column, Schema, read_schema
from servicenamnden.paths import data_dir

YEAR_COLUMN = "ar"
MARK = "servicenamnden-mall ar="  # the workbook's keywords: which year it was made for
EXAMPLE_FONT = Font(italic=True, color="595959")
EXAMPLE_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FONT = Font(bold=True)
TEMPLATE_ROWS = 500  # rows below the header that get the columns' help and lists
PROMPT_MAX, PROMPT_TITLE_MAX, LIST_MAX = 255, 32, 250  # Excel's limits for a validation's texts
TYPE_WORDS = {
    "text": "text",
    "heltal": "heltal",
    "tal": "tal (decimalkomma och mellanslag mellan tusental går bra)",
    "ar": "årtal, t.ex. 2024",
    "procent": "procent, t.ex. 6,1 eller 6,1 %",
}


# --- Which files a year needs, and which of them lack it --------------------------------------------


def is_claims(schema: Schema) -> bool:
    """The published document's claims (``pastaenden``): a transcription, never filled in for a new year."""
    return "dokumentets_ar" in schema.extra


def year_schemas(folder: Path | None = None) -> dict[str, Schema]:
    """The dictionaries of the data files a report year needs rows in (every file, present or optional,
    with a year column; the claims excepted), by name; each dictionary read once."""
    folder = Path(folder or data_dir())
    found = {}
    for path in sorted(folder.glob("*.yml")):
        schema = read_schema(path)
        present = path.with_suffix(".csv").exists() or schema.optional
        if present and not is_claims(schema) and any(c.name == YEAR_COLUMN for c in schema.columns):
            found[path.stem] = schema
    return found


def register_schemas(folder: Path | None = None) -> dict[str, Schema]:
    """The registers (files without a year) that a year's file refers to, by name: a new project or
    subscription named in the year's rows must be added there, so the workbook offers their sheets."""
    folder = Path(folder or data_dir())
    named = {
        col.reference.file
        for schema in year_schemas(folder).values()
        for col in schema.columns
        if col.reference is not None
    }
    found = {}
    for name in sorted(named):
        path = folder / f"{name}.yml"
        if path.exists():
            schema = read_schema(path)
            if all(c.name != YEAR_COLUMN for c in schema.columns):
                found[name] = schema
    return found


def year_files(folder: Path | None = None) -> list[str]:
    """The names of the data files a report year needs rows in (see :func:`year_schemas`)."""
    return list(year_schemas(folder))


def missing_for_year(frames: Mapping[str, pd.DataFrame | None], ar: int) -> list[str]:
    """The files among ``frames`` (a file absent: ``None``) that have no row for ``ar``, in order."""
    return [name for name, frame in frames.items() if frame is None or not (frame[YEAR_COLUMN] == ar).any()]


def missing_line(missing: list[str], ar: int, needed: int, optional: Iterable[str] = ()) -> str:
    """One line for the controller: every data file still without rows for the year, all at once."""
    if not missing:
        return f"Alla {needed} datafiler som {ar} behöver har rader för {ar}."
    optional = set(optional)
    names = [f"{name} (frivillig)" if name in optional else name for name in missing]
    return (
        f"Saknas för {ar}: {', '.join(names)} ({len(missing)} av {needed} datafiler har inga rader för {ar})."
    )


def template_year(path: Path) -> int | None:
    """The year a workbook was made for by ``make mall``, else ``None`` (any other workbook or a CSV)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        return None  # unreadable: the import itself says so
    try:
        keywords = str(book.properties.keywords or "")
    finally:
        book.close()
    value = keywords.partition(MARK)[2].split()[:1]
    return int(value[0]) if value and value[0].isdigit() else None


# --- The help a column carries ------------------------------------------------------------------------


def column_rules(col: Column, schema: Schema) -> list[str]:
    """The column's rules in words: type, unit, allowed values, bounds, whether it may be empty, references."""
    rules = [f"Typ: {TYPE_WORDS[col.typ]}."]
    if col.typ in ("tal", "procent") and schema.unit not in ("", "-"):
        rules.append(f"Enhet: {schema.unit}.")
    if col.allowed:
        rules.append(f"Tillåtna värden: {', '.join(col.allowed)}.")
    rules.extend(f"Form: {form.text}." for form in col.forms)
    if col.forms_by is not None:
        other, forms = col.forms_by
        rules.extend(f"När {other} är {value}: {form.text}." for value, form in forms.items())
    low, high = col.bounds() if col.typ != "ar" else (None, None)
    if low is not None:
        rules.append(f"Minst {low:g}.")
    if high is not None:
        rules.append(f"Högst {high:g}.")
    if col.reference is not None:
        rules.append(f"Ska finnas i {col.reference.file} (kolumnen {col.reference.column}).")
    if col.missing_requires:
        rules.append(f"Får vara tom om kolumnen {col.missing_requires} säger varför.")
    elif col.missing_allowed:
        rules.append("Får vara tom.")
    else:
        rules.append("Måste fyllas i.")
    if col.name in schema.key:
        rules.append(
            f"Ingår i radens nyckel ({', '.join(schema.key)}): en rad med samma nyckel ersätter raden i data/."
        )
    return rules


def column_help(col: Column, schema: Schema) -> str:
    """The header's comment: what the column holds and its rules."""
    about = col.description.strip() or col.name
    return "\n".join([about, *column_rules(col, schema)])


def prompt_text(col: Column, schema: Schema) -> str:
    """The short help shown when a cell of the column is selected (Excel allows 255 characters)."""
    text = ""
    for rule in column_rules(col, schema):
        candidate = f"{text} {rule}".strip()
        if len(candidate) > PROMPT_MAX:
            break
        text = candidate
    return text


def allowed_list(col: Column) -> DataValidation | None:
    """A drop-down of the allowed values that warns (never stops) on another value; none if too long."""
    if not col.allowed:
        return None
    formula = '"' + ",".join(col.allowed) + '"'
    if len(formula) > LIST_MAX or any("," in value or '"' in value for value in col.allowed):
        return None
    return DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning")


# --- Writing the workbook ---------------------------------------------------------------------------


def cell_value(value: object, col: Column) -> object:
    """A stored value as a spreadsheet cell: numbers as numbers, a year or whole number as an integer."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar → Python
    if col.typ in ("ar", "heltal") and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def example_rows(frame: pd.DataFrame | None, schema: Schema, ar: int) -> list[list[object]]:
    """Last year's rows of a data file, in the dictionary's column order."""
    if frame is None:
        return []
    rows = frame[frame[YEAR_COLUMN] == ar - 1]
    return [[cell_value(row[c.name], c) for c in schema.columns] for _, row in rows.iterrows()]


def register_rows(frame: pd.DataFrame | None, schema: Schema) -> list[list[object]]:
    """Every row of a register, in the dictionary's column order: the names a year's rows may use."""
    if frame is None:
        return []
    return [[cell_value(row[c.name], c) for c in schema.columns] for _, row in frame.iterrows()]


def write_sheet(
    book: openpyxl.Workbook, schema: Schema, rows: list[list[object]], ar: int, register: bool = False
) -> None:
    """One data file's sheet: the headers with their help, last year's rows (a register's rows) marked as
    an example."""
    sheet = book.create_sheet(schema.name)
    sheet.append([c.name for c in schema.columns])
    for index, col in enumerate(schema.columns, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = HEADER_FONT
        header.comment = Comment(column_help(col, schema), "Servicenämnden", width=320, height=220)
        letter = get_column_letter(index)
        area = f"{letter}2:{letter}{TEMPLATE_ROWS}"
        prompt = DataValidation(allow_blank=True, showInputMessage=True)
        prompt.promptTitle, prompt.prompt = col.name[:PROMPT_TITLE_MAX], prompt_text(col, schema)
        listed = allowed_list(col)
        if listed is not None:
            listed.showInputMessage, listed.promptTitle, listed.prompt = (
                True,
                prompt.promptTitle,
                prompt.prompt,
            )
            prompt = listed
        prompt.add(area)
        sheet.add_data_validation(prompt)
        sheet.column_dimensions[letter].width = max(12, min(40, len(col.name) + 4))
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            cell.font, cell.fill = EXAMPLE_FONT, EXAMPLE_FILL
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text, never a formula
    if rows:
        note = (
            "Registret som det står i data/, grått; det ändrar inget vid import. Lägg till nya rader under "
            f"(till exempel ett projekt som {ar} års rader nämner)."
            if register
            else f"Exempel: förra årets rader ({ar - 1}), grå. De finns redan i data/ och ändrar inget vid "
            f"import. Skriv raderna för {ar} under dem eller skriv över dem."
        )
        sheet.cell(row=2, column=1).comment = Comment(
            note,
            "Servicenämnden",
            width=320,
            height=120,
        )
    sheet.freeze_panes = "A2"


def write_template(ar: int, target: Path, folder: Path | None = None) -> Path:
    """The workbook to fill for report year ``ar``: a sheet per file the year needs, then the registers
    its files refer to; returns ``target``."""
    folder = Path(folder or data_dir())
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, schema in year_schemas(folder).items():
        write_sheet(book, schema, example_rows(data.load_optional(name, folder), schema, ar), ar)
    for name, schema in register_schemas(folder).items():
        write_sheet(book, schema, register_rows(data.load_optional(name, folder), schema), ar, register=True)
    book.properties.title = f"Servicenämnden: data för {ar}"
    book.properties.keywords = f"{MARK}{ar}"
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def default_year() -> int:
    """The year after the latest year with complete data: the next report's year."""
    return data.latest_complete_year() + 1


def main(argv: list[str] | None = None, say: Callable[[str], None] = print) -> int:
    """``make mall``: write the workbook; exit 0, or 1 with one Swedish line."""
    parser = argparse.ArgumentParser(
        prog="python -m servicenamnden.io.template",
        description="Skriv arbetsboken att fylla i för ett rapportår.",
    )
    parser.add_argument("--ar", type=int, default=None, help="rapportåret (standard: året efter det senaste)")
    parser.add_argument(
        "--fil", type=Path, default=None, help="arbetsboken att skriva (standard: mall-ÅR.xlsx)"
    )
    args = parser.parse_args(argv)
    try:
        ar = args.ar if args.ar is not None else default_year()
        target = write_template(ar, args.fil or Path(f"mall-{ar}.xlsx"))
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Kunde inte skriva {exc.filename}: {exc.strerror}.", file=sys.stderr)
        return 1
    sheets = len(year_files())
    say(
        f"Skrev {target}: {sheets} blad, ett per datafil som {ar} behöver, med förra årets rader ({ar - 1}) "
        f"i grått som exempel. Fyll i raderna för {ar} och provkör: make import FILE={target} DRY=1"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
