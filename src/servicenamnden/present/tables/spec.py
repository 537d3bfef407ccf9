"""A table as data plus how to present it: numbers stay numbers until great-tables formats them.

A table function returns a :class:`Table`: a frame whose figures are plain numbers (NaN when missing)
and a small spec (columns with kind, unit and decimals, the stub, spanners, notes). great-tables
formats the figures at the edge with :mod:`servicenamnden.present.fmt` and shows a missing value as
``–``; the open-data CSV and workbook are written from the same frame (:meth:`Table.data`), never
from HTML. Column widths are given in percent, fitted to the content, so that they survive Quarto's
conversion to Typst, and the HTML carries no stylesheet of its own (``assets/tables.css`` is shared).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd
from great_tables import GT, loc, style

from servicenamnden.domain.rounding import round_half_up
from servicenamnden.present import fmt

METADATA_KEY = "servicenamnden/table"  # where a displayed table carries its numbers for open data
CSS_CLASS = "sn-table"
KINDS = ("text", "number", "percent", "pp", "quantity")
KIND_UNITS = {"percent": "%", "pp": "p.e."}
STUB_MAX_CHARS = 34  # a label column is given room for about this many characters per line
TEXT_MAX_CHARS = 30
CELL_PADDING_CHARS = 2.5  # a cell's inset on both sides, in characters
LINE_CHARS = 100  # characters of body text across the page (A4, about 10–11 pt)
HEADER_WIDTH = 1.2  # a bold header letter against a digit of the body
UNIT_COLUMN = "enhet"  # the open data's column of units, where a column's unit varies by row
INDENT_MARK = "· "  # before a part, once per level under its item
_STYLE = re.compile(r"<style>.*?</style>\s*", re.S)
_CELL_HEADERS = re.compile(r' headers="[^"]*"')
_SPAN_OF_ONE = re.compile(r' (?:rowspan|colspan)="1"')
_LINE_BETWEEN_TAGS = re.compile(r">\n\s*<")
_HEADER_ID = re.compile(r'(<th\b[^>]*?) id="[^"]*"')


@dataclass(frozen=True)
class Column:
    """One column: the frame's key, the header shown, and how its values are formatted.

    ``kind`` is ``text``, ``number``, ``percent`` (a share already in percent), ``pp`` (a change in
    procentenheter) or ``quantity`` (a number whose decimals and unit vary by row, ``row_formats``).
    """

    key: str
    label: str
    kind: str = "number"
    decimals: int = 0
    sign: bool = False
    unit: str = ""
    spanner: str = ""
    row_formats: tuple[tuple[int, str], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"okänd kolumntyp {self.kind!r}")

    @property
    def numeric(self) -> bool:
        """True for a column of figures (right-aligned, narrow, a number in the data)."""
        return self.kind != "text"

    @property
    def data_unit(self) -> str:
        """The unit that goes into the open-data header: ``%``, ``p.e.``, ``tkr`` …"""
        return self.unit or KIND_UNITS.get(self.kind, "")

    def decimals_for(self, row: int) -> int:
        """How many decimals the value of ``row`` is shown (and published) with."""
        return self.row_formats[row][0] if self.kind == "quantity" else self.decimals

    def format(self, value: object, row: int = 0) -> str:
        """The value as the reader sees it, through the one Swedish formatter."""
        if self.kind == "text":
            return fmt.MISSING if fmt.is_missing(value) else str(value)
        if self.kind == "percent":
            return fmt.percent(value, self.decimals, sign=self.sign)  # type: ignore[arg-type]
        if self.kind == "pp":
            return fmt.pp(value, self.decimals, sign=self.sign, short=True)  # type: ignore[arg-type]
        if self.kind == "quantity":
            decimals, unit = self.row_formats[row]
            text = fmt.number(value, decimals, sign=self.sign)  # type: ignore[arg-type]
            return text if not unit or text == fmt.MISSING else f"{text}{fmt.NBSP}{unit}"
        return fmt.number(value, self.decimals, sign=self.sign)  # type: ignore[arg-type]


def text(key: str, label: str | None = None) -> Column:
    """A text column."""
    return Column(key, label if label is not None else key, "text")


@dataclass(frozen=True)
class Table:
    """A table's numbers and how to show them; displays as great-tables HTML, publishes its numbers."""

    frame: pd.DataFrame
    stub: Column
    columns: tuple[Column, ...]
    table_id: str
    stubhead: str = ""
    unit: str = ""
    notes: tuple[str, ...] = ()
    bold_rows: tuple[int, ...] = ()
    indent: str | None = None
    font_size: str = "90%"
    widths: dict[str, float] = field(default_factory=dict)

    def with_notes(self, *notes: str) -> Table:
        """The same table with more notes below it."""
        return replace(self, notes=self.notes + tuple(n for n in notes if n))

    def shown(self) -> list[Column]:
        """The stub and the columns a reader sees, in order."""
        return [self.stub, *self.columns]

    def cells(self) -> list[list[str]]:
        """The body as the reader sees it: one list of formatted cells per row (stub first)."""
        return [
            [column.format(self.frame[column.key].iloc[i], i) for column in self.shown()]
            for i in range(len(self.frame))
        ]

    def column_widths(self) -> dict[str, float]:
        """Percent per shown column, fitted to its content (see :func:`fit_widths`)."""
        return self.widths or fit_widths(self)

    def gt(self) -> GT:
        """The great-tables table: figures formatted by :mod:`fmt`, ``–`` for missing, widths in percent."""
        keys = [c.key for c in self.shown()]
        body = self.frame[keys].reset_index(drop=True)
        table = GT(body, rowname_col=self.stub.key, id=self.table_id).tab_stubhead(self.stubhead)
        labels = {c.key: c.label for c in self.columns}
        table = table.cols_label(cases=labels) if labels else table
        for column in self.columns:
            table = _format_column(table, column)
        figures = [c.key for c in self.columns if c.numeric]
        words = [c.key for c in self.columns if not c.numeric]
        if figures:
            table = table.cols_align("right", columns=figures)
        if words:
            table = table.cols_align("left", columns=words)
        table = table.sub_missing(missing_text=fmt.MISSING)
        for spanner, members in _spanners(self.columns):
            table = table.tab_spanner(spanner, columns=members)
        if self.indent is not None:
            for depth in sorted({int(d) for d in self.frame[self.indent] if int(d) > 0}):
                rows = [i for i, d in enumerate(self.frame[self.indent]) if int(d) == depth]
                table = table.tab_stub_indent(rows=rows, indent=min(depth * 2, 5))
                # A mark that survives where the indentation does not (Typst, a screen reader, plain text).
                table = table.text_transform(loc.stub(rows=rows), _marked(depth))
        if self.bold_rows:
            rows = list(self.bold_rows)
            table = table.tab_style(
                style=style.text(weight="bold"), locations=[loc.body(rows=rows), loc.stub(rows=rows)]
            )
        widths = self.column_widths()
        table = table.cols_width(cases={k: f"{widths[k]:g}%" for k in keys})
        table = table.tab_options(table_font_size=self.font_size)
        for note in self.notes:
            table = table.tab_source_note(note)
        return table

    def as_raw_html(self) -> str:
        """The table's HTML without great-tables' stylesheet (``assets/tables.css`` styles every table)."""
        return with_font_size(shared_style_html(self.gt()), self.font_size)

    def _repr_html_(self) -> str:
        return self.as_raw_html()

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> tuple[dict, dict]:
        """HTML for the reader, and the table's numbers in the output's metadata for the open data."""
        return {"text/html": self.as_raw_html()}, {METADATA_KEY: self.data_payload()}

    def published_columns(self) -> list[tuple[str, list[object], int | None]]:
        """(header, values, decimals) per published column: what the reader sees, figures as numbers.

        Figures are rounded as they are shown (half up), so the file and the page agree; a missing value
        is empty (None). A unit shared by a column goes into its header; where the unit varies by row, a
        column ``…, enhet`` follows with each row's unit. A part carries its mark, as in the table.
        """
        out: list[tuple[str, list[object], int | None]] = []
        for column in self.shown():
            name = column.label if column is not self.stub else (self.stubhead or column.label)
            if column.spanner and column.spanner not in name:
                name = f"{column.spanner}: {name}"
            raw = self.frame[column.key].tolist()
            row_units = {u for _, u in column.row_formats if u} if column.kind == "quantity" else set()
            unit = column.data_unit or (next(iter(row_units)) if len(row_units) == 1 else "")
            if unit and unit not in name:
                name = f"{name} ({unit})"
            if not column.numeric:
                values = [None if fmt.is_missing(v) else str(v) for v in raw]
                if column is self.stub and self.indent is not None:
                    depths = [int(d) for d in self.frame[self.indent]]
                    values = [
                        None if v is None else INDENT_MARK * d + v
                        for v, d in zip(values, depths, strict=True)
                    ]
                out.append((name, values, None))
                continue
            decimals = [column.decimals_for(i) for i in range(len(raw))]
            out.append(
                (
                    name,
                    [_published(v, d) for v, d in zip(raw, decimals, strict=True)],
                    decimals[0] if len(set(decimals)) == 1 else None,
                )
            )
            if len(row_units) > 1:
                units = [
                    None if fmt.is_missing(v) else (column.row_formats[i][1] or None)
                    for i, v in enumerate(raw)
                ]
                out.append((f"{name}, {UNIT_COLUMN}", units, None))
        return out

    def data(self) -> pd.DataFrame:
        """The published numbers as a frame (see :meth:`published_columns`)."""
        return pd.DataFrame({name: values for name, values, _ in self.published_columns()})

    def data_payload(self) -> dict:
        """The numbers as JSON-ready data: header, decimals per column, rows, the table's unit and notes."""
        columns = self.published_columns()
        rows = list(zip(*(values for _, values, _ in columns), strict=True)) if columns else []
        return {
            "id": self.table_id,
            "unit": self.unit,
            "header": [name for name, _, _ in columns],
            "decimals": [decimals for _, _, decimals in columns],
            "rows": [[_json(v) for v in row] for row in rows],
            "notes": list(self.notes),
        }


def _published(value: object, decimals: int) -> float | int | None:
    if fmt.is_missing(value):
        return None
    rounded = round_half_up(float(value), decimals)  # type: ignore[arg-type]
    return int(rounded) if decimals == 0 else rounded


def _json(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _format_column(table: GT, column: Column) -> GT:
    if column.kind == "text":
        return table
    if column.kind == "quantity":
        for row in range(len(column.row_formats)):
            table = table.fmt(fns=_bound(column, row), columns=[column.key], rows=[row])
        return table
    return table.fmt(fns=_bound(column, 0), columns=[column.key])


def _bound(column: Column, row: int) -> Callable[[object], str]:
    return lambda value: column.format(value, row)


def _marked(depth: int) -> Callable[[str], str]:
    return lambda label: f"{INDENT_MARK * depth}{label}"


def _spanners(columns: Sequence[Column]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for column in columns:
        if column.spanner:
            groups.setdefault(column.spanner, []).append(column.key)
    return list(groups.items())


def shared_style_html(table: GT) -> str:
    """GT's HTML with its per-table ``<style>`` removed and the shared class on the wrapper.

    The wrapper may scroll sideways on a narrow screen; ``assets/tables.css`` gives it a visible cue.
    A table without column spanners or row groups names its headers by scope alone
    (:func:`headers_by_scope`); the others keep each cell's list of its headers. Spans
    of one cell and the line breaks between tags, which change nothing on the page, are left out.
    """
    raw = _STYLE.sub("", table.as_raw_html(), count=1)
    complex_headers = "gt_column_spanner" in raw or "gt_group_heading" in raw
    raw = raw if complex_headers else headers_by_scope(raw)
    raw = _LINE_BETWEEN_TAGS.sub("><", _SPAN_OF_ONE.sub("", raw))  # defaults and layout whitespace
    return raw.replace("<div id=", f'<div class="{CSS_CLASS}" id=', 1)


def headers_by_scope(html: str) -> str:
    """A simple table (one header row, a stub column) without per-cell header lists and header ids.

    Its header cells carry ``scope`` (col or row), which is all a screen reader needs (WCAG H63); the
    lists repeated the same two ids on every cell and were a quarter of the article's bytes.
    """
    return _HEADER_ID.sub(r"\1", _CELL_HEADERS.sub("", html))


def with_font_size(html: str, font_size: str) -> str:
    """The table element's own font size, inline, where Quarto's Typst conversion reads it."""
    return re.sub(
        r'<table style="([^"]*)"',
        lambda m: f'<table style="{m.group(1).rstrip("; ")}; font-size: {font_size};"',
        html,
        count=1,
    )


def _longest_word(text: str) -> int:
    return max((len(w) for w in re.split(r"[ \u2013-]+", text) if w), default=0)


def _need(column: Column, cells: list[str], stub: bool) -> float:
    """Characters a column needs: a figure on one line, a label over a few lines, never a broken word."""
    header = _longest_word(column.label) * HEADER_WIDTH  # bold letters are wider than digits
    if column.numeric:
        return max([len(c) for c in cells] + [header]) + CELL_PADDING_CHARS
    longest = max([len(c) for c in cells] + [1])
    words = max([_longest_word(c) for c in cells] + [header, 1])
    cap = STUB_MAX_CHARS if stub else TEXT_MAX_CHARS
    return max(words, min(longest, cap)) + CELL_PADDING_CHARS


def fit_widths(table: Table) -> dict[str, float]:
    """Percent widths that fit the content: figures as wide as their widest value, labels the rest.

    Every column gets at least its longest word (so no word is broken inside), the label column up to
    about :data:`STUB_MAX_CHARS` characters per line; the widths add up to 100.
    """
    cells = table.cells()
    shown = table.shown()
    needs = {}
    for index, column in enumerate(shown):
        values = [row[index] for row in cells]
        label_column = column is table.stub
        need = _need(column, values, label_column)
        if label_column:
            need = max(need, _longest_word(table.stubhead) + CELL_PADDING_CHARS)
        needs[column.key] = need
    needs = _within_line(needs, table, cells)
    total = sum(needs.values())
    widths = {k: math.floor(v / total * 1000) / 10 for k, v in needs.items()}
    widths[table.stub.key] = round(100 - sum(w for k, w in widths.items() if k != table.stub.key), 1)
    return widths


def line_chars(font_size: str) -> float:
    """Characters of a table's text that fit across the page at the table's font size (``"80%"``)."""
    return LINE_CHARS * 100 / float(font_size.rstrip("%"))


def _within_line(needs: dict[str, float], table: Table, cells: list[list[str]]) -> dict[str, float]:
    """Where the columns need more than a line, the label and text columns give up room, down to their
    longest word, so that the figures keep theirs."""
    excess = sum(needs.values()) - line_chars(table.font_size)
    if excess <= 0:
        return needs
    out = dict(needs)
    for index, column in enumerate(table.shown()):
        if column.numeric or excess <= 0:
            continue
        words = [_longest_word(row[index]) for row in cells] + [_longest_word(column.label)]
        if column is table.stub:
            words.append(_longest_word(table.stubhead))
        floor = max(words) + CELL_PADDING_CHARS
        give = min(excess, max(0.0, out[column.key] - floor))
        out[column.key] -= give
        excess -= give
    return out


@dataclass(frozen=True)
class Published:
    """A table built elsewhere (a plain GT) shown as it is, with the numbers it publishes given beside it.

    For tables that are not :class:`Table` yet (the appendix's check tables): ``data`` is the published
    frame (headers with units, figures as numbers rounded as shown, None for missing), one row per row
    of the table; the open data are written from it, never from the HTML.
    """

    table: GT
    data: pd.DataFrame
    unit: str = ""
    decimals: tuple[int | None, ...] = ()

    def as_raw_html(self) -> str:
        """The table's HTML without great-tables' stylesheet."""
        return shared_style_html(self.table)

    def _repr_html_(self) -> str:
        return self.as_raw_html()

    def data_payload(self) -> dict:
        """The numbers as JSON-ready data, as :meth:`Table.data_payload` gives them."""
        return {
            "id": "",
            "unit": self.unit,
            "header": [str(c) for c in self.data.columns],
            "decimals": list(self.decimals) or [None] * len(self.data.columns),
            "rows": [[_json(v) for v in row] for row in self.data.itertuples(index=False)],
            "notes": [],
        }

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> tuple[dict, dict]:
        """HTML for the reader, and the given numbers in the output's metadata for the open data."""
        return {"text/html": self.as_raw_html()}, {METADATA_KEY: self.data_payload()}


def published(
    table: GT, data: pd.DataFrame, unit: str = "", decimals: tuple[int | None, ...] = ()
) -> Published:
    """Show a plain GT with the numbers it publishes (see :class:`Published`)."""
    return Published(table, data, unit, decimals)
