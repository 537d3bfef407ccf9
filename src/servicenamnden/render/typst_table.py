"""A table's HTML (as the project's great-tables tables write it) as a typst table, for the PDF.

Quarto turns every raw HTML table into a typst table when it renders the PDF: it inlines the table's
CSS with juice, a separate ``quarto run`` (1–2 s each, 27 tables) and parses the HTML with pandoc. The
pre-render step gives Quarto the typst table ready-made instead, in a ```` ```{=typst} ```` block
beside the HTML, and marks the HTML block ``<!--| quarto-html-table-processing: none -->``, so Quarto
leaves it as it is on the web page and drops it from the PDF, without juice or pandoc. The typst table is what Quarto made of these tables:
column widths in percent, labels left and figures right, bold rows bold, the header rows repeated on
every page of a long table, the notes in a footer (once, at the end).

Only what these tables hold is handled: ``thead``/``tbody``/``tfoot``, ``th``/``td`` with ``colspan``
and ``rowspan``, the classes ``gt_left``/``gt_right``/``gt_center``, ``gt_group_heading``,
``gt_indent_N`` and ``font-weight: bold``, and text (``span`` and other inline tags keep their text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT_SIZE = "0.9em"  # as Quarto set the tables it converted (their class "small")
INDENT_EM = 0.6


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    align: str = "left"
    bold: bool = False
    indent: int = 0


@dataclass
class Table:
    widths: list[str] = field(default_factory=list)
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)
    foot: list[list[Cell]] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.table = Table()
        self.section = "body"
        self.row: list[Cell] | None = None
        self.cell: Cell | None = None
        self.depth = 0  # nested tables are not expected; only the first table is read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.depth += 1
        if self.depth != 1:
            return
        if tag == "col":
            width = re.search(r"width:\s*([\d.]+%)", values.get("style", ""))
            self.table.widths.append(width.group(1) if width else "auto")
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr":
            self.row = []
            getattr(self.table, self.section).append(self.row)
        elif tag in ("th", "td") and self.row is not None:
            classes = set(values.get("class", "").split())
            align = next((a for a in ("right", "center", "left") if f"gt_{a}" in classes), "left")
            if classes & {"gt_group_heading", "gt_sourcenote"}:
                align = "left"
            indent = next((int(c.rsplit("_", 1)[1]) for c in classes if re.fullmatch(r"gt_indent_\d", c)), 0)
            self.cell = Cell(
                colspan=int(values.get("colspan") or 1),
                rowspan=int(values.get("rowspan") or 1),
                align=align,
                bold=("bold" in values.get("style", ""))
                or "gt_group_heading" in classes
                or self.section == "head",
                indent=indent,
            )
            self.row.append(self.cell)
        elif tag == "br" and self.cell is not None:
            self.cell.text += " "

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
        elif tag in ("th", "td"):
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None and self.depth == 1:
            self.cell.text += data


def parse(html: str) -> Table:
    """The first table of ``html``."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    for section in (parser.table.head, parser.table.body, parser.table.foot):
        for row in section:
            for cell in row:
                cell.text = re.sub(r"[ \t\r\n]+", " ", cell.text).strip()
    return parser.table


def typst_string(text: str) -> str:
    """``text`` as a typst string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _cell(cell: Cell) -> str:
    args = [f"align: {cell.align}"]
    if cell.colspan > 1:
        args.append(f"colspan: {cell.colspan}")
    if cell.rowspan > 1:
        args.append(f"rowspan: {cell.rowspan}")
    if cell.indent:
        args.append(f"inset: (rest: 5pt, left: 5pt + {cell.indent * INDENT_EM:g}em)")
    body = typst_string(cell.text)
    if cell.bold:
        body = f'text(weight: "bold", {body})'
    return f"table.cell({', '.join(args)}, {body})"


def _rows(rows: list[list[Cell]]) -> str:
    """The cells of ``rows``, one row per line, separated by commas (no trailing comma)."""
    return ",\n".join("    " + ", ".join(_cell(c) for c in row) for row in rows if row)


def to_typst(html: str) -> str:
    """Typst code for the first table of ``html``: ``#{set text(size: …); table(…)}``."""
    table = parse(html)
    count = len(table.widths) or max(
        (sum(c.colspan for c in row) for row in table.head + table.body if row), default=1
    )
    widths = table.widths if len(table.widths) == count else ["auto"] * count
    first = next((row for row in table.body if len(row) == count), None)
    aligns = [c.align for c in first] if first else ["left"] * count
    parts = [
        f"columns: ({', '.join(widths)},)",
        f"align: ({', '.join(aligns)},)",
    ]
    if table.head:
        parts.append("table.header(\n" + _rows(table.head) + "\n  )")
        parts.append("table.hline()")
    if table.body:
        parts.append(_rows(table.body).strip())
    if table.foot:
        parts.append("table.hline()")
        parts.append("table.footer(repeat: false,\n" + _rows(table.foot) + "\n  )")
    return f"#{{set text(size: {TEXT_SIZE}); table(\n  " + ",\n  ".join(parts) + ",\n)}"
