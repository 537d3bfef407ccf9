"""A preview of the manuscript without Quarto: HTML pages and a PDF built from the executed documents.

It is clearly marked as a preview. It numbers tables and figures in order and links cross-references,
but is not a second Quarto: no callout styling or layout beyond what falls out of plain HTML.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path

import mistune
import nbformat

from servicenamnden.domain.years import resolve_year
from servicenamnden.present.opendata import (
    DOWNLOADS_DIR,
    EXCEL_LINK_TEXT,
    LINK_TEXT,
    csv_size,
    download_href,
    file_link_text,
    link_text,
    sheet_href,
    table_data,
)
from servicenamnden.present.svg import DATA_URI, data_uri, svg_of
from servicenamnden.reconcile import checks
from servicenamnden.render import datafiler, harledning  # issue 20
from servicenamnden.render.downloads import write_downloads
from servicenamnden.render.markdown import (
    Numbering,
    Section,
    fenced_divs,
    markdown_to_html,
    number_sections,
    plain_markdown,
)
from servicenamnden.render.metadata import read_metadata
from servicenamnden.render.project import Project
from servicenamnden.render.quarto_exec import ExecutedDocument, options
from servicenamnden.render.static_checks import EMBED
from servicenamnden.render.yeartext import filter_markdown

PREVIEW_DIR = "_preview"
# The shared stylesheet, then the preview's own layout (never included by Quarto).
PREVIEW_STYLESHEETS = ("report.css", "tables.css", "preview.css")
BANNER = (
    "Förhandsvisning byggd utan Quarto. Den slutliga webbplatsen och PDF:en byggs med "
    "Quarto (version 1.5 eller senare)."
)
ACCESSIBILITY_PAGE = "tillganglighet.qmd"
ACCESSIBILITY_TITLE = "Tillgänglighetsredogörelse"
FIGURE_DIR = "figurer"
TOC_DEPTH = 3


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
            src = data_uri(data["image/svg+xml"])
            parts.append(f'<img src="{src}" alt="{html.escape(_alt(output, opts))}">')
        elif "image/png" in data:
            parts.append(
                f'<img src="data:image/png;base64,{data["image/png"]}" alt="{html.escape(_alt(output, opts))}">'
            )
        elif "text/markdown" in data:  # a block may hold a fenced div (a link for the web page only)
            parts.append(plain_markdown(fenced_divs(filter_markdown(str(data["text/markdown"]), None))))
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
    ar: int | None = None,
    flags: dict[str, bool] | None = None,
) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = harledning.markdown_spans_to_html(filter_markdown(cell.source, ar, flags))  # issue 20
            rendered = markdown_to_html(source, numbering)
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
    """The links placed right after a table: its sheet for Excel and its CSV for programs; each text
    states format and size (the sheet's size is set from the written file by :func:`sized_authored_links`)."""
    text = link_text("CSV", size) if size else f"{LINK_TEXT} (CSV)"
    excel = f"{EXCEL_LINK_TEXT} (XLSX)"
    return (
        f'<p class="data-link"><a href="{sheet_href(label, depth)}" download '
        f'aria-label="{excel}, {name}">{excel}</a> · '
        f'<a href="{download_href(label, depth)}" download '
        f'aria-label="{text}, {name}">{text}</a></p>'
    )


def data_links(body: str, depth: int) -> str:
    """Put a CSV link after every table, unless the page's own text already links to that CSV."""

    def repl(match: re.Match) -> str:
        label, size, name = match.group(1), int(match.group(2) or 0), match.group(3)
        authored = f'href="{download_href(label, depth)}"' in body
        return "" if authored else data_link(label, name, depth, size)

    return re.sub(r"<!--DATA-LINK ([\w-]+) (?:(\d+) )?([^>]*?)-->", repl, body)


def sized_authored_links(body: str, folder: Path) -> str:
    """Give an authored link to a file in downloads/ the size of the file as written.

    The article states format and size through an inline value when Quarto renders it (the pre-render
    step has written the files); the harness executes the article beside the notebooks, before the
    files exist, so the preview sets the size from the written file.
    """

    def repl(match: re.Match) -> str:
        href, attrs, text = match.group(1), match.group(2), match.group(3)
        path = folder / href.rsplit("/", 1)[-1]
        if not path.exists():
            return match.group(0)
        plain = html.unescape(text)
        what = re.sub(r"\s*\([^()]*\)\s*$", "", plain)
        kind = re.search(r"\((\w+)(?:,[^()]*)?\)\s*$", plain)
        new = link_text(kind.group(1), path.stat().st_size, what) if kind else file_link_text(path, what)
        attrs = re.sub(
            r'aria-label="[^"]*?(, [^"]*)?"',
            lambda a: f'aria-label="{html.escape(new)}{a.group(1) or ""}"',
            attrs,
        )
        return f'<a href="{href}"{attrs}>{html.escape(new)}</a>'

    return re.sub(r'<a href="((?:\.\./)*downloads/[^"]+)"([^>]*)>([^<]*)</a>', repl, body)


def toc(sections: list[Section], depth: int = TOC_DEPTH) -> str:
    """The table of contents: numbered headings down to ``depth``, nested as the headings are."""
    items = [s for s in sections if s.level <= depth]
    if not items:
        return ""
    out, open_levels = [], []
    for section in items:
        while open_levels and open_levels[-1] > section.level:
            out.append("</li></ul>")
            open_levels.pop()
        if open_levels and open_levels[-1] == section.level:
            out.append("</li>")
        else:
            out.append("<ul>")
            open_levels.append(section.level)
        number = f'<span class="toc-section-number">{section.number}</span> ' if section.number else ""
        title = mistune.html(section.title).strip()[3:-4]
        out.append(f'<li><a href="#{section.ident}">{number}{title}</a>')
    out.extend("</li></ul>" for _ in open_levels)
    return (
        '<nav id="TOC" class="toc" aria-labelledby="toc-title">'
        f'<h2 id="toc-title">Innehåll</h2>{"".join(out)}</nav>'
    )


def footer(depth: int) -> str:
    """The footer of every page: the link to the accessibility statement."""
    href = "../" * depth + "tillganglighet.html"
    return f'<footer class="site-footer"><p><a href="{href}">{ACCESSIBILITY_TITLE}</a></p></footer>'


def page(
    title: str, body: str, nav: str, css: str, subtitle: str = "", contents: str = "", depth: int = 0
) -> str:
    """A complete, self-contained HTML page (no external requests).

    Every part sits in a landmark: the site links (navigation), the preview notice (a complementary
    region outside the document), the document (main) and the footer (contentinfo).
    """
    sub = f"<p>{html.escape(subtitle)}</p>" if subtitle else ""
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n"
        f'<nav class="site" aria-label="Webbplatsen">{nav}</nav>\n'
        f'<aside class="preview-banner" aria-label="Om förhandsvisningen"><p>{BANNER}</p></aside>\n<main>\n'
        f'<header class="title-block"><h1>{html.escape(title)}</h1>{sub}</header>\n{contents}\n{body}\n</main>\n'
        f"{footer(depth)}\n</body>\n</html>\n"
    )


def externalize_images(pages: dict[str, str]) -> tuple[dict[str, str], dict[str, bytes]]:
    """SVG data URIs → files under ``figurer/`` referenced relative to each page (one load per drawing).

    A ``<picture>`` then loads only the drawing that fits the screen, and the page stays light.
    """
    files: dict[str, bytes] = {}

    def repl(match: re.Match, depth: int) -> str:
        data = svg_of(match.group()).encode("utf-8")
        name = f"{FIGURE_DIR}/{hashlib.sha256(data).hexdigest()[:16]}.svg"
        files[name] = data
        return "../" * depth + name

    out = {}
    for rel, text in pages.items():
        depth = rel.count("/")
        out[rel] = re.sub(DATA_URI, lambda m, d=depth: repl(m, d), text)
    return out, files


def internalize_images(page: str, folder: Path) -> str:
    """The inverse of :func:`externalize_images` for one page: each drawing back as a data URI.

    This is the article as Quarto carries it (both drawings of every chart inside the page), which is
    what its weight is measured on.
    """
    pattern = rf'(?<=")((?:\.\./)*{FIGURE_DIR}/[0-9a-f]+\.svg)(?=")'
    return re.sub(pattern, lambda m: data_uri((folder / m.group(1)).read_text(encoding="utf-8")), page)


def accessibility_page(project: Project, css: str) -> str | None:
    """The accessibility statement (``tillganglighet.qmd``, plain Markdown) as a page of the site."""
    source = project.root / ACCESSIBILITY_PAGE
    if not source.exists():
        return None
    text = source.read_text(encoding="utf-8")
    front = re.match(r"^---\n(.*?)\n---\n", text, flags=re.S)
    title = ACCESSIBILITY_TITLE
    if front:
        found = re.search(r'^title:\s*"?([^"\n]+)"?', front.group(1), flags=re.M)
        title = found.group(1).strip() if found else title
        text = text[front.end() :]
    text = with_includes(text, project.root)
    body = markdown_to_html(with_metadata(text, read_metadata(project.root)), Numbering())
    return page(title, body, _nav(project, 0), css)


_INCLUDE = re.compile(r"^\{\{<\s*include\s+(\S+)\s*>\}\}[ \t]*$", re.M)


def with_includes(text: str, root: Path) -> str:
    """What Quarto does with ``{{< include file >}}`` on a line of its own (the file from the project)."""
    return _INCLUDE.sub(lambda m: (root / m.group(1)).read_text(encoding="utf-8").strip(), text)


_META = re.compile(r"\{\{<\s*meta\s+([\w.-]+)\s*>\}\}")
_META_DIV = re.compile(
    r'^:::+[ \t]*\{\.(content-visible|content-hidden)[ \t]+when-meta="([\w.-]+)"\}[ \t]*\n(.*?)^:::+[ \t]*$\n?',
    re.M | re.S,
)


def _meta_value(meta: dict, key: str) -> object:
    value: object = meta
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def with_metadata(text: str, meta: dict) -> str:
    """What Quarto does with a page's ``{{< meta key >}}`` and ``when-meta`` divs (one level, a boolean key)."""

    def div(match: re.Match) -> str:
        holds = _meta_value(meta, match.group(2)) is True
        shown = holds if match.group(1) == "content-visible" else not holds
        return match.group(3) if shown else ""

    text = _META_DIV.sub(div, text)
    return _META.sub(lambda m: html.escape(str(_meta_value(meta, m.group(1)) or "")), text)


def _nav(project: Project, depth: int) -> str:
    up = "../" * depth
    items = [f'<li><a href="{up}index.html">Rapporten</a></li>', f'<li><a href="{up}report.pdf">PDF</a></li>']
    for nb_path, title in _notebooks(project):
        items.append(
            f'<li><a href="{up}notebooks/{nb_path.stem}.html">Notebook: {html.escape(title)}</a></li>'
        )
    return "<ul>" + "".join(items) + "</ul>"


def _notebooks(project: Project) -> list[tuple[Path, str]]:
    """The notebooks shown as notebook pages (the accessibility statement is a page of its own)."""
    return [(nb, title) for nb, title in project.notebooks if nb.name != ACCESSIBILITY_PAGE]


def build_pages(
    project: Project, executed: dict[Path, ExecutedDocument], downloads: Path | None = None
) -> dict[str, str]:
    """Relative path → HTML for the article and every notebook; link sizes from the files in ``downloads``."""
    from servicenamnden.render.static_checks import cell_labels

    css = "\n".join(
        (project.root / "assets" / name).read_text(encoding="utf-8") for name in PREVIEW_STYLESHEETS
    )
    article = executed[project.article]
    numbering = Numbering(
        sections=number_sections([c.source for c in article.notebook.cells if c.cell_type == "markdown"])
    )
    embedded: dict[str, str] = {}
    # Quarto numbers floats in the order they appear, whatever the text refers to first.
    for target, label in EMBED.findall(project.article.read_text(encoding="utf-8")):
        cell = cell_labels(executed[(project.root / target).resolve()].notebook).get(label)
        if cell is not None:
            embedded[label] = labelled_block(cell, label, numbering)
    front = {**read_metadata(project.root), **article.front_matter}  # the title with the year
    ar = int(front.get("rapport", {}).get("ar", 0)) or None
    flags = front.get("villkor") or {}
    body = data_links(
        _cells_html(article.notebook, numbering, embedded, show_code=False, ar=ar, flags=flags), 0
    )
    body = sized_authored_links(body, downloads or project.root / DOWNLOADS_DIR)
    pages = {
        "index.html": page(
            str(front.get("title", "Rapport")),
            body,
            _nav(project, 0),
            css,
            str(front.get("subtitle", "")),
            contents=toc(numbering.sections),
        )
    }
    statement = accessibility_page(project, css)
    if statement:
        pages["tillganglighet.html"] = statement
    for nb_path, title in _notebooks(project):
        cells = [c for c in executed[nb_path].notebook.cells if c.cell_type != "raw"]
        nb_body = data_links(
            _cells_html(nbformat.v4.new_notebook(cells=cells), Numbering(), {}, show_code=True), 1
        )
        nb_body = sized_authored_links(nb_body, downloads or project.root / DOWNLOADS_DIR)
        pages[f"notebooks/{nb_path.stem}.html"] = page(
            title, nb_body, _nav(project, 1), css, "Notebook", depth=1
        )
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


def write_preview(project: Project, executed: dict[Path, ExecutedDocument], ar: int | None = None) -> Path:
    """Write ``_preview/index.html``, a page per notebook and for the accessibility statement, the charts'
    SVG files, the tables' CSV files and ``_preview/report.pdf``."""
    out = project.root / PREVIEW_DIR
    ran = checks.run_all(ar=ar)
    write_downloads([nb for nb, _ in project.notebooks], out / DOWNLOADS_DIR, resolve_year(ar), ran)
    checks.write_csv(ran, out / DOWNLOADS_DIR / checks.CHECKS_CSV)  # the complete list
    pages, images = externalize_images(build_pages(project, executed, out / DOWNLOADS_DIR))
    shutil.rmtree(out / FIGURE_DIR, ignore_errors=True)  # this render's drawings only, none left over
    for rel, data in images.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    for rel, text in pages.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    write_pdf(pages["index.html"], out / "report.pdf")
    # issue 20: provenance of the figures, popovers in the site's article (not the PDF), data-file pages
    found = harledning.year_records(project.root, project.article, resolve_year(ar), out / DOWNLOADS_DIR)
    css = "\n".join((project.root / "assets" / n).read_text(encoding="utf-8") for n in PREVIEW_STYLESHEETS)
    harledning.finish_site(
        out,
        "index.html",
        found,
        datafiler.read_bodies(project.root),  # as the pre-render step wrote them, as for Quarto
        lambda t, b, kind="Datafil": page(t, b, _nav(project, 1), css, kind, depth=1),
        checks_href=harledning.PREVIEW_CHECKS_PAGE,
        notebook_page=harledning.PREVIEW_NOTEBOOK_PAGE,
    )
    return out
