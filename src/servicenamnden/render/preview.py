"""A preview of the manuscript without Quarto: HTML pages and a PDF built from the executed documents.

It is clearly marked as a preview. It numbers tables and figures in order and links cross-references,
but is not a second Quarto: no callout styling or layout beyond what falls out of plain HTML.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import mistune
import nbformat

from servicenamnden.present.opendata import (
    DOWNLOADS_DIR,
    LINK_TEXT,
    csv_size,
    download_href,
    link_text,
    table_data,
    write_downloads,
)
from servicenamnden.render.project import Project
from servicenamnden.render.quarto_exec import ExecutedDocument, options
from servicenamnden.render.static_checks import EMBED

PREVIEW_DIR = "_preview"
PREFIX = {"tbl": "Tabell", "fig": "Figur"}
BANNER = (
    "Förhandsvisning byggd utan Quarto. Den slutliga webbplatsen och PDF:en byggs med "
    "<code>quarto render</code> (Quarto 1.5 eller senare, se README)."
)
_markdown = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


@dataclass
class Numbering:
    """Numbers of tables and figures in order of appearance, as Quarto gives them."""

    numbers: dict[str, int] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=lambda: {"tbl": 0, "fig": 0})

    def assign(self, label: str) -> int:
        kind = label.split("-", 1)[0]
        if label not in self.numbers and kind in self.counters:
            self.counters[kind] += 1
            self.numbers[label] = self.counters[kind]
        return self.numbers.get(label, 0)

    def name(self, label: str) -> str:
        return f"{PREFIX[label.split('-', 1)[0]]} {self.numbers[label]}"


def _heading_markup(text: str, shift: int) -> str:
    """``# Title {#sec-x}`` → an ``<hN id>``; headings shift down so the page title stays the only h1."""

    def repl(match: re.Match) -> str:
        level = min(6, len(match.group(1)) + shift)
        title = match.group(2).strip()
        ident = re.search(r"\{#([\w-]+)[^}]*\}", title)
        title = re.sub(r"\s*\{[^}]*\}\s*$", "", title)
        attr = f' id="{ident.group(1)}"' if ident else ""
        return f"<h{level}{attr}>{mistune.html(title).strip()[3:-4]}</h{level}>"

    return re.sub(r"^(#{1,6})\s+(.+)$", repl, text, flags=re.M)


def _div_open(match: re.Match) -> str:
    """``::: {.name when-format="html"}`` → ``<div class="name when-html">``, blank line after it."""
    classes = match.group(1)
    if re.search(r'when-format="?html', match.group(0)):
        classes += " when-html"
    return f'\n<div class="{classes}">\n\n'


def _divs(text: str) -> str:
    """Pandoc fenced divs as HTML blocks, with blank lines around them so Markdown inside is rendered."""
    text = re.sub(r"^:::+[ \t]*\{?\.?([\w-]+)[^}\n]*\}?[ \t]*$", _div_open, text, flags=re.M)
    return re.sub(r"^:::+[ \t]*$", "\n</div>\n", text, flags=re.M)


def markdown_to_html(text: str, numbering: Numbering, shift: int = 1) -> str:
    """Quarto-flavoured Markdown → HTML: headings with ids, divs, cross-references as links."""
    text = _divs(_heading_markup(text, shift))
    text = EMBED.sub(lambda m: f"\n<!--EMBED {m.group(1)}#{m.group(2)}-->\n", text)

    def ref(match: re.Match) -> str:
        label = match.group(1)
        if label.startswith("sec-"):
            return f'<a href="#{label}">avsnittet</a>'
        numbering.assign(label)
        return f'<a href="#{label}">{numbering.name(label)}</a>'

    text = re.sub(r"(?<![\w@])@((?:tbl|fig|sec)-[\w-]+)", ref, text)
    return _markdown(text)


def _alt(output: dict, cell_opts: dict) -> str:
    meta = output.get("metadata", {})
    for mime in ("image/svg+xml", "image/png"):
        alt = meta.get(mime, {}).get("alt")
        if alt:
            return alt
    return str(cell_opts.get("fig-alt", ""))


def output_html(cell: nbformat.NotebookNode) -> str:
    """A code cell's outputs as HTML; images get alt text (the computed one before the static one)."""
    opts = options(cell)
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "text/html" in data:
            parts.append(data["text/html"])
        elif "image/svg+xml" in data:
            svg = data["image/svg+xml"].encode("utf-8")
            src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
            parts.append(f'<img src="{src}" alt="{html.escape(_alt(output, opts))}">')
        elif "image/png" in data:
            parts.append(
                f'<img src="data:image/png;base64,{data["image/png"]}" alt="{html.escape(_alt(output, opts))}">'
            )
        elif "text/markdown" in data:
            parts.append(_markdown(data["text/markdown"]))
    return "\n".join(parts)


def labelled_block(cell: nbformat.NotebookNode, label: str, numbering: Numbering) -> str:
    """A table (with ``<caption>``) or a figure (with ``<figcaption>``) carrying its label as id.

    A table sits in a labelled region that can be scrolled with the keyboard on narrow screens, and is
    followed by a marker where :func:`data_links` puts the link to its CSV (when the output is a table).
    """
    opts = options(cell)
    numbering.assign(label)
    body = output_html(cell)
    if label.startswith("tbl-"):
        name = numbering.name(label)
        caption = f"{name}: {html.escape(str(opts.get('tbl-cap', '')))}"
        body = re.sub(r"<table\b[^>]*>", lambda m: f"{m.group(0)}<caption>{caption}</caption>", body, count=1)
        return (
            f'<div class="table-wrap" id="{label}" role="region" tabindex="0" aria-label="{caption}">'
            f"{body}</div>"
            + (f"\n<!--DATA-LINK {label} {csv_size(data)} {name}-->" if (data := table_data(cell)) else "")
        )
    if label.startswith("fig-"):
        caption = f"{numbering.name(label)}: {html.escape(str(opts.get('fig-cap', '')))}"
        return f'<figure id="{label}">{body}<figcaption>{caption}</figcaption></figure>'
    return body


def _cells_html(
    nb: nbformat.NotebookNode,
    numbering: Numbering,
    embedded: dict[str, str],
    show_code: bool,
) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            rendered = markdown_to_html(cell.source, numbering)
            rendered = re.sub(
                r"<!--EMBED ([^#]+)#([\w-]+)-->", lambda m: embedded.get(m.group(2), ""), rendered
            )
            parts.append(rendered)
        elif cell.cell_type == "code":
            opts = options(cell)
            tags = set(cell.metadata.get("tags", [])) | set(opts.get("tags", []) or [])
            if show_code and "injected-parameters" not in tags:
                code = re.sub(r"^#\|.*\n", "", cell.source, flags=re.M)
                parts.append(
                    f'<details class="code"><summary>Kod</summary><pre><code>{html.escape(code)}</code></pre></details>'
                )
            if opts.get("include") is False or opts.get("output") is False:
                continue
            label = opts.get("label")
            parts.append(labelled_block(cell, str(label), numbering) if label else output_html(cell))
    return "\n".join(parts)


def data_link(label: str, name: str, depth: int, size: int = 0) -> str:
    """The link to a table's CSV, placed right after the table; its text states format and size."""
    text = link_text("CSV", size) if size else LINK_TEXT
    return (
        f'<p class="data-link"><a href="{download_href(label, depth)}" download '
        f'aria-label="{text}, {name}">{text}</a></p>'
    )


def data_links(body: str, depth: int) -> str:
    """Put a CSV link after every table, unless the page's own text already links to that CSV."""

    def repl(match: re.Match) -> str:
        label, size, name = match.group(1), int(match.group(2) or 0), match.group(3)
        authored = f'href="{download_href(label, depth)}"' in body
        return "" if authored else data_link(label, name, depth, size)

    return re.sub(r"<!--DATA-LINK ([\w-]+) (?:(\d+) )?([^>]*?)-->", repl, body)


def page(title: str, body: str, nav: str, css: str, subtitle: str = "") -> str:
    """A complete, self-contained HTML page (no external requests)."""
    sub = f"<p>{html.escape(subtitle)}</p>" if subtitle else ""
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n"
        f'<nav class="site" aria-label="Webbplatsen">{nav}</nav>\n'
        f'<p class="preview-banner" role="note">{BANNER}</p>\n<main>\n'
        f'<header class="title-block"><h1>{html.escape(title)}</h1>{sub}</header>\n{body}\n</main>\n</body>\n</html>\n'
    )


def _nav(project: Project, depth: int) -> str:
    up = "../" * depth
    items = [f'<li><a href="{up}index.html">Rapporten</a></li>', f'<li><a href="{up}report.pdf">PDF</a></li>']
    for nb_path, title in project.notebooks:
        items.append(
            f'<li><a href="{up}notebooks/{nb_path.stem}.html">Notebook: {html.escape(title)}</a></li>'
        )
    return "<ul>" + "".join(items) + "</ul>"


def build_pages(project: Project, executed: dict[Path, ExecutedDocument]) -> dict[str, str]:
    """Relative path → HTML for the article and every notebook."""
    from servicenamnden.render.static_checks import cell_labels

    css = "\n".join(  # the report's stylesheet and the one all tables share
        (project.root / "assets" / name).read_text(encoding="utf-8") for name in ("report.css", "tables.css")
    )
    article = executed[project.article]
    numbering = Numbering()
    embedded: dict[str, str] = {}
    # Quarto numbers floats in the order they appear, whatever the text refers to first.
    for target, label in EMBED.findall(project.article.read_text(encoding="utf-8")):
        cell = cell_labels(executed[(project.root / target).resolve()].notebook).get(label)
        if cell is not None:
            embedded[label] = labelled_block(cell, label, numbering)
    body = data_links(_cells_html(article.notebook, numbering, embedded, show_code=False), 0)
    front = article.front_matter
    pages = {
        "index.html": page(
            str(front.get("title", "Rapport")), body, _nav(project, 0), css, str(front.get("subtitle", ""))
        )
    }
    for nb_path, title in project.notebooks:
        cells = [c for c in executed[nb_path].notebook.cells if c.cell_type != "raw"]
        nb_body = data_links(
            _cells_html(nbformat.v4.new_notebook(cells=cells), Numbering(), {}, show_code=True), 1
        )
        pages[f"notebooks/{nb_path.stem}.html"] = page(title, nb_body, _nav(project, 1), css, "Notebook")
    return pages


def write_pdf(article_html: str, target: Path) -> Path:
    """The article as an A4 PDF (WeasyPrint), tagged for accessibility where WeasyPrint supports it."""
    from weasyprint import HTML

    document = HTML(string=article_html, base_url=str(target.parent))
    try:
        document.write_pdf(target, pdf_variant="pdf/ua-1")
    except (TypeError, ValueError):
        document.write_pdf(target)
    return target


def write_preview(project: Project, executed: dict[Path, ExecutedDocument]) -> Path:
    """Write ``_preview/index.html``, one page per notebook, the tables' CSV files and ``_preview/report.pdf``."""
    out = project.root / PREVIEW_DIR
    pages = build_pages(project, executed)
    write_downloads(executed, out / DOWNLOADS_DIR)
    for rel, text in pages.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    write_pdf(pages["index.html"], out / "report.pdf")
    return out
