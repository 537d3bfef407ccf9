"""Data dictionaries (``data/NAME.yml``) as schemas, and validation of a CSV file against one.

Validation works on the raw text, so every error can name the file's line number, and it never
writes anything. The result is a typed pandas DataFrame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd
import yaml

from servicenamnden.errors import DataError, quoted
from servicenamnden.io.numbers import has_decimal_comma, is_canonical, is_whole, shown
from servicenamnden.io.rules import (
    Complete,
    Form,
    Relation,
    allowed_rule,
    form_by_rule,
    form_rule,
    incomplete_year,
    listed,
    parse_complete,
    parse_forms,
    parse_forms_by,
    parse_relation,
    relation_rule,
    shown_key,
)
from servicenamnden.io.text import CutOff, control_characters, csv_rows, formula_like

TYPES = ("text", "heltal", "tal", "ar", "procent")
YEAR_RANGE = (2000, 2100)
MAX_TEXT_LENGTH = 500  # characters in a text cell unless the dictionary says otherwise (max_langd)
MAX_NUMBER_CHARS = 30  # a number written with more characters is a mistake, not a figure
CUT_OFF_QUOTE = (
    "ett citattecken i raden avslutas aldrig, så filen tar slut inne i en cell; filen kan vara avkortad "
    "eller ett citattecken saknas"
)
MAX_MAGNITUDE = 1e15  # larger figures do not occur in the report; they would overflow its rounding


@dataclass(frozen=True)
class Reference:
    """A column whose values must be keys of another file (``abonnemang`` → ``abonnemang.csv``).

    ``within`` names columns both files share (e.g. ``ar``) that must match as well.
    """

    file: str
    column: str
    within: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column of a data file: its type, bounds and whether it may be empty."""

    name: str
    typ: str
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None
    missing_allowed: bool = False
    missing_requires: str | None = None
    reference: Reference | None = None
    max_length: int = MAX_TEXT_LENGTH
    formula_allowed: bool = False
    forms: tuple[Form, ...] = ()
    forms_by: tuple[str, dict[str, Form]] | None = field(default=None, compare=False)

    @cached_property
    def allowed_set(self) -> frozenset[str] | None:
        """The allowed values as a set: a long list (claim ids, new key figures) is checked in constant time."""
        return None if self.allowed is None else frozenset(self.allowed)

    @property
    def numeric(self) -> bool:
        return self.typ in ("heltal", "tal", "ar", "procent")

    def bounds(self) -> tuple[float | None, float | None]:
        """Declared bounds, plus the implied ones of years and percentages."""
        lo, hi = self.minimum, self.maximum
        if self.typ == "ar":
            lo = YEAR_RANGE[0] if lo is None else lo
            hi = YEAR_RANGE[1] if hi is None else hi
        if self.typ == "procent":
            lo = 0 if lo is None else lo
            hi = 100 if hi is None else hi
        return lo, hi


@dataclass(frozen=True)
class Schema:
    """What a data file must look like, read from its data dictionary."""

    name: str
    title: str
    description: str
    source: str
    unit: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    computed: str = ""
    optional: bool = False
    complete: tuple[Complete, ...] = ()
    relations: tuple[Relation, ...] = ()
    extra: dict = field(default_factory=dict, compare=False)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def read_schema(path: Path) -> Schema:
    """Parse a ``NAME.yml`` data dictionary into a :class:`Schema`.

    The file is read every time; the parsed dictionary is kept per file name and text, so a changed
    file is parsed again and an unchanged one (read many times in a run) is parsed once."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        label = f"data/{path.name}"
        raise DataError(label, "dataordlistan saknas (varje datafil ska ha en .yml bredvid sig)") from None
    return parse_schema(path.name, text)


@lru_cache(maxsize=256)
def parse_schema(filename: str, text: str) -> Schema:
    """The :class:`Schema` of the data dictionary ``filename`` (``NAME.yml``) whose text is ``text``."""
    label = f"data/{filename}"
    path = Path(filename)
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise DataError(
            label, "dataordlistan är inte giltig YAML", None if line is None else line + 1
        ) from None
    if not isinstance(spec, dict) or "kolumner" not in spec:
        raise DataError(label, "dataordlistan saknar nyckeln 'kolumner'")
    columns = []
    for name, col in spec["kolumner"].items():
        col = col or {}
        typ = col.get("typ", "text")
        if typ not in TYPES:
            raise DataError(label, f"okänd typ '{typ}' (tillåtna: {', '.join(TYPES)})", column=name)
        allowed = col.get("tillatna")
        reference = _reference(col, label, name)
        columns.append(
            Column(
                name=name,
                typ=typ,
                description=str(col.get("beskrivning", "")),
                minimum=col.get("min"),
                maximum=col.get("max"),
                allowed=tuple(str(a) for a in allowed) if allowed else None,
                missing_allowed=bool(col.get("saknas_tillaten", False)),
                missing_requires=col.get("saknas_kraver"),
                reference=reference,
                max_length=_positive(col.get("max_langd", MAX_TEXT_LENGTH), label, name),
                formula_allowed=bool(col.get("formel_tillaten", False)),
                forms=parse_forms(col, label, name),
                forms_by=parse_forms_by(col, set(spec["kolumner"]), label, name),
            )
        )
    key = tuple(spec.get("nyckel") or ())
    names = {c.name for c in columns}
    for k in key:
        if k not in names:
            raise DataError(label, f"nyckelkolumnen '{k}' finns inte bland kolumnerna", column=k)
    return Schema(
        name=path.stem,
        title=str(spec.get("titel", path.stem)),
        description=str(spec.get("beskrivning", "")).strip(),
        source=str(spec.get("kalla", "")),
        unit=str(spec.get("enhet", "")),
        key=key,
        columns=tuple(columns),
        computed=str(spec.get("berakras", "")),
        optional=bool(spec.get("frivillig", False)),
        complete=tuple(
            parse_complete(c, {col.name: col.allowed for col in columns}, label)
            for c in listed(spec.get("komplett_per_ar"))
        ),
        relations=tuple(parse_relation(r, names, label) for r in listed(spec.get("relationer"))),
        extra={k: v for k, v in spec.items() if k not in {"kolumner"}},
    )


def _positive(value: object, label: str, name: str) -> int:
    """A dictionary's ``max_langd``: a whole number above zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DataError(
            label, f"max_langd ska vara ett heltal större än 0, inte {quoted(value)}", column=name
        )
    return value


def _reference(col: dict, label: str, name: str) -> Reference | None:
    """A column's ``referens: fil.kolumn`` (and ``referens_inom: [ar]``), checked for its form."""
    target = col.get("referens")
    if not target:
        return None
    file, _, column = str(target).partition(".")
    if not file or not column:
        raise DataError(label, f"referensen '{target}' ska skrivas fil.kolumn", column=name)
    return Reference(file, column, tuple(col.get("referens_inom") or ()))


def _decode(raw: bytes, label: str) -> str:
    """UTF-8 (a byte-order mark is accepted); anything else is refused with the line it fails on."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            label,
            "filen är inte sparad som UTF-8 (troligen Windows-1252/ANSI från Excel); "
            "spara om den som 'CSV UTF-8'",
            line,
        ) from None


def bounds_rule(text: str, col: Column) -> str | None:
    """Why ``text`` (a number of ``col``) is outside its bounds, in Swedish; ``None`` if it is inside."""
    value = float(text)
    lo, hi = col.bounds()
    if (lo is None or value >= lo) and (hi is None or value <= hi):
        return None
    if col.typ == "procent" and hi == 100 and value > 100:
        return f"andelen {text} % är över 100 %"
    if lo is not None and hi is not None:
        return f"{quoted(text)} ligger utanför det tillåtna intervallet {shown(lo)}–{shown(hi)}"
    if lo is not None:
        return f"{quoted(text)} är mindre än det minsta tillåtna värdet {shown(lo)}"
    return f"{quoted(text)} är större än det största tillåtna värdet {shown(hi)}"  # type: ignore[arg-type]


def _parse_number(text: str, col: Column, label: str, line: int) -> float:
    if has_decimal_comma(text):
        raise DataError(
            label,
            f"{quoted(text)} har decimalkomma; datafilerna använder decimalpunkt "
            f"({quoted(text.replace(',', '.'))[1:-1]})",
            line,
            col.name,
        )
    if len(text) > MAX_NUMBER_CHARS and is_canonical(text):
        raise DataError(
            label,
            f"{quoted(text)} har {len(text)} tecken; ett tal har högst {MAX_NUMBER_CHARS}",
            line,
            col.name,
        )
    if not is_canonical(text):
        raise DataError(label, f"{quoted(text)} är inte ett tal", line, col.name)
    value = float(text)
    if not math.isfinite(value) or abs(value) >= MAX_MAGNITUDE:
        raise DataError(label, f"{quoted(text)} är orimligt stort för ett tal i datafilerna", line, col.name)
    if col.typ in ("heltal", "ar") and not is_whole(text):
        what = "ett årtal" if col.typ == "ar" else "ett heltal"
        raise DataError(label, f"{quoted(text)} är inte {what}", line, col.name)
    rule = bounds_rule(text, col)
    if rule:
        raise DataError(label, rule, line, col.name)
    return value


def text_rule(raw: str, col: Column) -> str | None:
    """Why a cell's text is refused whatever its column's type, in Swedish; ``None`` if it is fine.

    A control character is invisible and makes a key fail to match (a row would silently drop out);
    an over-long text is a paste gone wrong; a formula-like text would run in a spreadsheet.
    """
    found = control_characters(raw)
    if found:
        return f"{quoted(raw)} innehåller styrtecknet {found[0]}, som inte syns; ta bort det"
    value = raw.strip()
    if not col.numeric and len(value) > col.max_length:
        return f"texten har {len(value)} tecken; högst {col.max_length} är tillåtna i kolumnen"
    if not col.numeric and not col.formula_allowed and formula_like(value):
        return (
            f"{quoted(value)} börjar som en formel ({quoted(value[0])}); en text i datafilerna får inte "
            "börja med =, +, - eller @ – skriv om texten"
        )
    return None if col.numeric else form_rule(value, col.forms)


def validate_text(raw: bytes, schema: Schema, label: str) -> pd.DataFrame:
    """Check a CSV file's bytes against ``schema``; return it typed, or raise :class:`DataError`."""
    return validate_lines(raw, schema, label)[0]


def validate_lines(
    raw: bytes, schema: Schema, label: str, complete: bool = True
) -> tuple[pd.DataFrame, list[int]]:
    """Like :func:`validate_text`, with each row's line in the file (for errors found later).

    ``complete=False`` skips the ``komplett_per_ar`` sets: an import's incoming rows may be a part of a
    year; the file they make together with data/ is checked whole.
    """
    text = _decode(raw, label)
    if not text.strip():
        raise DataError(label, "filen är tom (en rubrikrad och minst en datarad behövs)")
    rows = _rows(text, label)
    header = [h.strip() for h in rows[0]]
    if len(header) == 1 and ";" in header[0]:
        raise DataError(
            label,
            "filen använder semikolon som avgränsare; datafilerna använder kommatecken",
            1,
        )
    expected = [c.name for c in schema.columns]
    for name in expected:
        if name not in header:
            raise DataError(label, "kolumnen saknas i rubrikraden", 1, name)
    for name in header:
        if name not in expected:
            raise DataError(label, "okänd kolumn (finns inte i dataordlistan)", 1, _header_name(name))
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise DataError(label, "kolumnen förekommer två gånger", 1, dup)
    data_rows = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(cell.strip() for cell in r)]
    if not data_rows:
        raise DataError(label, "filen har en rubrikrad men inga datarader")
    records: list[dict[str, object]] = []
    lines: list[int] = []
    seen: dict[tuple, int] = {}
    for line, row in data_rows:
        if len(row) != len(header):
            raise _field_count_error(row, header, schema, label, line)
        raw_cells = dict(zip(header, row, strict=True))
        cells = {h: v.strip() for h, v in raw_cells.items()}
        record: dict[str, object] = {}
        for col in schema.columns:
            broken = text_rule(raw_cells[col.name], col)
            if broken:
                raise DataError(label, broken, line, col.name)
            value = cells[col.name]
            if value == "":
                if col.missing_requires:
                    if not cells.get(col.missing_requires, ""):
                        raise DataError(
                            label,
                            f"värde saknas utan förklaring i kolumnen '{col.missing_requires}'",
                            line,
                            col.name,
                        )
                elif not col.missing_allowed:
                    raise DataError(label, "värde saknas", line, col.name)
                record[col.name] = None
                continue
            if col.allowed_set is not None and value not in col.allowed_set:
                raise DataError(label, allowed_rule(value, col.allowed), line, col.name)
            record[col.name] = _parse_number(value, col, label, line) if col.numeric else value
        for col in (c for c in schema.columns if c.forms_by):
            broken = form_by_rule(record, col.name, col.forms_by)  # type: ignore[arg-type]
            if broken:
                raise DataError(label, broken, line, col.name)
        for relation in schema.relations:
            left, right = record[relation.left], record[relation.right]
            if left is not None and right is not None and not relation.holds(left, right):  # type: ignore[arg-type]
                raise DataError(label, relation_rule(relation, left, right), line, relation.left)  # type: ignore[arg-type]
        if schema.key:
            key = tuple(record[k] for k in schema.key)
            if key in seen:
                raise DataError(
                    label,
                    f"nyckeln ({', '.join(quoted(shown_key(k))[1:-1] for k in key)}) finns redan på rad {seen[key]}",
                    line,
                    schema.key[-1],
                )
            seen[key] = line
        records.append(record)
        lines.append(line)
    if complete:
        gap = incomplete_year(records, lines, schema.complete)
        if gap:
            raise DataError(label, gap[2], gap[0], gap[1])
    return _typed_frame(records, schema), lines


def _rows(text: str, label: str) -> list[list[str]]:
    """A data file's rows; a file cut off (in a quoted cell, or without the line break every row of a
    data file ends with) is refused, since its last value may be only part of what was written."""
    try:
        rows = csv_rows(text)
    except CutOff as cut:
        raise DataError(label, CUT_OFF_QUOTE, cut.line) from None
    if not text.endswith(("\n", "\r")):
        raise DataError(
            label,
            "filen slutar mitt i en rad (radbrytning saknas efter sista raden), så den kan vara avkortad; "
            "kontrollera sista raden och avsluta den med en radbrytning",
            text.count("\n") + 1,
        )
    return rows


def _header_name(name: str) -> str:
    """A header cell as a message names it: control characters shown, empty as ``(tom)``."""
    return quoted(name, 10_000)[1:-1] if name else "(tom)"


def _fits(row: list[str], header: list[str], schema: Schema) -> bool:
    """Whether every numeric cell of ``row`` parses as its column's type."""
    for name, value in zip(header, row, strict=True):
        col = next((c for c in schema.columns if c.name == name), None)
        if col and col.numeric and value.strip():
            if not is_canonical(value.strip()):
                return False
            if col.typ in ("heltal", "ar") and not is_whole(value.strip()):
                return False
    return True


def _field_count_error(row: list[str], header: list[str], schema: Schema, label: str, line: int) -> DataError:
    """Too many or too few fields; an unquoted decimal comma is the usual cause, so name it."""
    rule = f"raden har {len(row)} fält men rubrikraden har {len(header)}"
    if len(row) == len(header) + 1:
        for i in range(len(header)):
            merged = row[:i] + [f"{row[i]}.{row[i + 1]}"] + row[i + 2 :]
            if row[i].strip().isdigit() and row[i + 1].strip().isdigit() and _fits(merged, header, schema):
                return DataError(
                    label,
                    f"{rule}; {quoted(row[i] + ',' + row[i + 1])} ser ut som ett tal med decimalkomma – "
                    "datafilerna använder decimalpunkt",
                    line,
                    header[i],
                )
    return DataError(label, rule, line)


def _typed_frame(records: list[dict[str, object]], schema: Schema) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in schema.columns])
    for col in schema.columns:
        if col.typ in ("heltal", "ar"):
            frame[col.name] = frame[col.name].astype("Int64")
        elif col.numeric:
            frame[col.name] = frame[col.name].astype("Float64").astype(float)
        else:
            frame[col.name] = frame[col.name].astype(object)
    frame.attrs["schema"] = schema.name
    return frame
