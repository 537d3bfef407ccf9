"""Quarto's ``post-render`` step: what no Quarto option does, done to the rendered site in ``_manuscript/``.

``_quarto.yml`` runs ``python -m servicenamnden.render.postrender`` after every render. Each change is a
small, idempotent edit of the markup Quarto 1.11 writes, and each is tested on that markup
(``tests/test_postrender.py``) and on the real site where Quarto is installed (``tests/test_quarto_site.py``):

1. **A skip link** ("Hoppa till texten") as the first thing in ``<body>``, to ``<main>``. Quarto's
   ``include-before-body`` lands inside ``<main>``, after the contents, where it skips nothing.
2. **The contents on a phone**: Quarto hides its left column below 768 px. A copy of it (sections, the
   notebooks, the accessibility statement) is put between the title block and the text as a closed
   ``<details>``, shown only on narrow screens (``assets/theme.scss``).
3. **"Tillbaka till rapporten"** on the notebook pages is a link to the article. Quarto writes
   ``onclick="window.quartoBackToArticle()"`` with an empty ``href``: it goes back in the browser's
   history, and a reader who came from a link lands outside the report.
4. **The article's numbers on the notebook pages**: Quarto numbers each page from 1, so the article's
   Tabell 12 was "Tabell 1" on its notebook page. Captions and cross-references there get the
   article's number; a table the article does not show keeps its caption without a number.
5. **Tables a keyboard can scroll**: each table's box scrolls sideways when the table is wider than the
   screen; it becomes a named region with ``tabindex="0"`` (the preview's tables are the same).
6. **Wide tables on the notebook pages**: the article gives a wide table the page's width (the cell's
   ``column: page-right``); its notebook page drops that class, and at 1366 px the table scrolled in its
   own box while about 350 px beside it stayed empty. The tables whose cell has that option are marked
   ``sn-bred`` on the notebook pages, where ``assets/theme.scss`` gives them the page's width too.
7. **No icon font**: Quarto links Bootstrap's icon font (176 kB) and its CSS (97 kB) on every page for
   a few decorative icons beside texts that say the same. The icons and the two links are removed, and
   Bootstrap's JavaScript too on a page that uses none of it (``code-copy: false`` removed its only user).
   Files in ``site_libs/`` that no page uses any more are deleted, so the published folder holds only
   what the pages load.

Then the provenance (issue 20): popovers on the article's figures, the provenance pages and a page per
data file, written from what the pre-render step computed into ``_build/`` (``harledning.json``,
``datafiler.json``). The step reads no data and imports neither pandas, numpy, great_tables, matplotlib
nor nbformat (issue 18: starting those took most of its two seconds); ``tests/test_postrender.py`` runs it
in a fresh interpreter to keep it so.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

from servicenamnden.render import datafiler, harledning  # issue 20; no pandas (issue 18)
from servicenamnden.render.project import load_project

SKIP_TEXT = "Hoppa till texten"
SKIP_TARGET = "quarto-document-content"
ARTICLE_PAGE = "index.html"
TOC_TITLE = "Innehåll"

_BODY = re.compile(r"<body\b[^>]*>")
_BACK = re.compile(r"<a\b[^>]*\bquarto-back-link\b[^>]*>")
_ICON = re.compile(r'<i class="bi(?: [^"]*)?"[^>]*></i>\s?')
_ICON_CSS = re.compile(r'<link\b[^>]*href="[^"]*bootstrap-icons\.css"[^>]*>\n?')
_BOOTSTRAP_JS = re.compile(r'<script\b[^>]*src="[^"]*bootstrap\.min\.js"[^>]*></script>\n?')
_BOOTSTRAP_API = re.compile(r"\bbootstrap\.[A-Z]")  # new bootstrap.Tooltip(…) and the like
_TABLE_BOX = re.compile(r'<div class="sn-table([^"]*)" id="((?:tbl-[\w-]+?))-gt"(?![^>]*\brole=)')
_WIDE_OPTION = re.compile(r"^#\|\s*column:\s*page-right\s*$", re.M)
_LABEL_OPTION = re.compile(r"^#\|\s*label:\s*(tbl-[\w-]+)\s*$", re.M)
_TOC = re.compile(r'<nav id="TOC"[^>]*>(.*?)</nav>', re.S)
_TITLE_BLOCK_END = re.compile(r'</header>(?=\s*<div id="quarto-content")')
_LABELLED = re.compile(r'<div id="((?:tbl|fig)-[\w-]+)"')
_CAPTION_NUMBER = re.compile(r"(<figcaption\b[^>]*>\s*)((?:Tabell|Figur)&nbsp;\d+(?:\.\d+)?)(:\s*)")
_XREF = re.compile(r'(<a href="#((?:tbl|fig)-[\w-]+)" class="quarto-xref">)((?:Tabell|Figur)&nbsp;\d+)(</a>)')


def add_skip_link(page: str) -> str:
    """A skip link to ``<main>`` as the first element of ``<body>`` (once)."""
    if f">{SKIP_TEXT}</a>" in page or f'id="{SKIP_TARGET}"' not in page:
        return page
    link = f'<a class="sn-skip visually-hidden-focusable" href="#{SKIP_TARGET}">{SKIP_TEXT}</a>'
    return _BODY.sub(lambda m: f"{m.group(0)}\n{link}", page, count=1)


def link_back_to_article(page: str, href: str) -> str:
    """Quarto's back button on a notebook page as a plain link to the article."""
    return _BACK.sub(f'<a class="btn btn-primary quarto-back-link" href="{html.escape(href)}">', page)


def drop_icons(page: str) -> str:
    """No icon font: the decorative ``<i class="bi …">`` and the icon CSS go; Bootstrap's script goes when
    nothing on the page calls it."""
    page = _ICON.sub("", _ICON_CSS.sub("", page))
    if "data-bs-" not in page and not _BOOTSTRAP_API.search(page):
        page = _BOOTSTRAP_JS.sub("", page)
    return page


def scrollable_tables(page: str) -> str:
    """Every table's box (``div.sn-table``, which scrolls when the table is wider than the screen) as a
    region a keyboard can reach and scroll, named by the table's caption (axe: scrollable-region-focusable)."""

    def repl(match: re.Match) -> str:
        label = match.group(2)
        caption = re.search(rf'<figcaption\b[^>]*\bid="({re.escape(label)}-caption-[^"]*)"', page)
        name = f'aria-labelledby="{caption.group(1)}"' if caption else 'aria-label="Tabell"'
        return f'<div class="sn-table{match.group(1)}" id="{label}-gt" role="region" tabindex="0" {name}'

    return _TABLE_BOX.sub(repl, page)


def wide_tables(notebooks: list[Path]) -> set[str]:
    """The labels of the notebooks' tables that take the page's width (cell option ``column: page-right``)."""
    wide = set()
    for path in notebooks:
        if path.suffix != ".ipynb" or not path.exists():
            continue
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            source = "".join(cell.get("source", []))
            label = _LABEL_OPTION.search(source)
            if cell.get("cell_type") == "code" and label and _WIDE_OPTION.search(source):
                wide.add(label.group(1))
    return wide


def mark_wide_tables(page: str, wide: set[str]) -> str:
    """A notebook page's tables that are wide in the article, marked ``sn-bred`` for the theme."""

    def repl(match: re.Match) -> str:
        classes, label = match.group(1), match.group(2)
        if label not in wide or "sn-bred" in classes.split():
            return match.group(0)
        return f'<div class="sn-table{classes} sn-bred" id="{label}-gt"'

    return re.sub(r'<div class="sn-table([^"]*)" id="(tbl-[\w-]+?)-gt"', repl, page)


def phone_contents(page: str) -> str:
    """A copy of the left column's contents as ``<details class="sn-toc">`` after the title block."""
    if 'class="sn-toc"' in page:
        return page
    toc = _TOC.search(page)
    end = _TITLE_BLOCK_END.search(page)
    if not toc or not end or "<li" not in toc.group(1):
        return page
    inner = re.sub(r'<h2 id="toc-title">.*?</h2>', "", toc.group(1), flags=re.S)
    inner = re.sub(r'\s(?:id|data-scroll-target)="[^"]*"', "", inner)
    inner = re.sub(r'<ul class="collapse">', "<ul>", inner)
    inner = re.sub(r'\sclass="nav-link(?: active)?"', "", inner)
    copy = (
        f'<details class="sn-toc"><summary>{TOC_TITLE}</summary>'
        f'<nav aria-label="{TOC_TITLE}">{inner.strip()}</nav></details>\n'
    )
    return page[: end.end()] + "\n" + copy + page[end.end() :]


def numbers(page: str) -> dict[str, str]:
    """Label → its number as the page shows it (``tbl-resultatrakning`` → ``Tabell&nbsp;12``)."""
    found = {}
    for match in _LABELLED.finditer(page):
        caption = _CAPTION_NUMBER.search(page, match.end())
        if caption and not _LABELLED.search(page, match.end(), caption.start()):
            found[match.group(1)] = caption.group(2)
    return found


def number_as_article(page: str, article: dict[str, str]) -> str:
    """Captions and cross-references with the article's numbers; a label the article lacks loses its number."""
    edits: list[tuple[int, int, str]] = []
    for match in _LABELLED.finditer(page):
        caption = _CAPTION_NUMBER.search(page, match.end())
        if not caption or _LABELLED.search(page, match.end(), caption.start()):
            continue
        label = match.group(1)
        if label in article:
            edits.append((caption.start(2), caption.end(2), article[label]))
        else:
            edits.append((caption.start(2), caption.end(3), ""))
    for start, end, text in sorted(edits, reverse=True):
        page = page[:start] + text + page[end:]

    def xref(m: re.Match) -> str:
        return f"{m.group(1)}{article.get(m.group(2), m.group(3))}{m.group(4)}"

    return _XREF.sub(xref, page)


def unused_site_libs(site: Path) -> list[Path]:
    """Files in ``site_libs/`` that no page or stylesheet of the site names (by file name)."""
    libs = site / "site_libs"
    if not libs.is_dir():
        return []
    texts = [
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.suffix in (".html", ".css")
    ]
    unused = []
    for path in sorted(p for p in libs.rglob("*") if p.is_file()):
        if not any(path.name in text for text in texts if text is not None):
            unused.append(path)
    return unused


def process_site(site: Path, wide: set[str] | None = None) -> list[Path]:
    """Apply every change to the HTML pages of ``site`` (``wide``: the labels of the tables that take the
    page's width, :func:`wide_tables`); returns the pages changed."""
    article_path = site / ARTICLE_PAGE
    article = article_path.read_text(encoding="utf-8") if article_path.exists() else ""
    article_numbers = numbers(article)
    changed = []
    for path in sorted(site.rglob("*.html")):
        if "site_libs" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        new = scrollable_tables(phone_contents(drop_icons(add_skip_link(text))))
        if "quarto-back-link" in new:
            new = link_back_to_article(new, os.path.relpath(article_path, path.parent).replace(os.sep, "/"))
            new = number_as_article(new, article_numbers)
            new = mark_wide_tables(new, wide or set())
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    for _ in range(3):  # a stylesheet removed may leave its font unused
        unused = unused_site_libs(site)
        for path in unused:
            path.unlink()
        if not unused:
            break
    return changed


def output_dir() -> Path:
    """The folder Quarto rendered into (``QUARTO_PROJECT_OUTPUT_DIR``), else the project's ``output-dir``."""
    given = os.environ.get("QUARTO_PROJECT_OUTPUT_DIR")
    if given:
        return Path(given)
    project = load_project()
    return project.root / project.config.get("project", {}).get("output-dir", "_manuscript")


def main() -> int:
    site = output_dir()
    if not (site / ARTICLE_PAGE).exists():
        print(f"Post-render: ingen {ARTICLE_PAGE} i {site}; inget ändrat.", flush=True)
        return 0
    project = load_project()
    changed = process_site(site, wide_tables([path for path, _ in project.notebooks]))
    # issue 20: popovers on the article's traced figures and a page per data file (render/harledning.py),
    # from what the pre-render step computed into _build/ (issue 18: this step loads no data)
    found, pages = harledning.read_records(project.root), datafiler.read_bodies(project.root)
    harledning.finish_site(site, ARTICLE_PAGE, found, pages)
    print(
        f"Post-render: {len(changed)} sidor i {site.name}/ justerade (hoppa-länk, innehåll på mobil, "
        "tillbaka-länk, artikelns tabellnummer, breda tabeller, inga ikontypsnitt).",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
