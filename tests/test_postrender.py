"""The post-render step on the markup Quarto 1.11 writes (samples cut from a real render), without Quarto."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from servicenamnden.render import postrender

ROOT = Path(__file__).resolve().parents[1]

ARTICLE = """<!DOCTYPE html><html><head>
<link href="site_libs/bootstrap/bootstrap-icons.css" rel="stylesheet">
<script src="site_libs/bootstrap/bootstrap.min.js"></script>
</head>
<body class="quarto-light">
<header id="title-block-header" class="quarto-title-block default toc-left page-columns page-full">
<div class="quarto-alternate-formats"><p><a href="report.pdf"><i class="bi bi-file-pdf"></i>PDF</a></p></div>
</header><div id="quarto-content" class="page-columns page-rows-contents page-layout-article toc-left">
<div id="quarto-sidebar-toc-left" class="sidebar toc-left">
  <nav id="TOC" role="doc-toc" class="toc-active">
    <h2 id="toc-title">Innehåll</h2>
  <ul>
  <li><a href="#sec-a" id="toc-sec-a" class="nav-link active" data-scroll-target="#sec-a"><span class="header-section-number">1</span> A</a>
  <ul class="collapse">
  <li><a href="#sec-b" id="toc-sec-b" class="nav-link" data-scroll-target="#sec-b">B</a></li>
  </ul></li>
  </ul>
<div class="quarto-alternate-notebooks"><h2>Beräkningar (notebooks)</h2><ul><li><a href="notebooks/x-preview.html"><i class="bi bi-journal-code"></i>X</a></li></ul></div></nav>
</div>
<main class="content" id="quarto-document-content">
<div id="tbl-a" class="cell quarto-float">
<figure class="quarto-float quarto-float-tbl figure">
<figcaption class="quarto-float-caption-top" id="tbl-a-caption-1">
Tabell&nbsp;12: Resultaträkning (mnkr)
</figcaption>
<div class="sn-table" id="tbl-a-gt"><table></table></div></figure></div>
<div id="fig-b" class="cell quarto-float">
<figure class="quarto-float quarto-float-fig figure"><div><img src="x.svg" alt="x"></div>
<figcaption class="quarto-float-caption-bottom" id="fig-b-caption-1">Figur&nbsp;3: Avvikelse</figcaption></figure></div>
</main></div></body></html>"""

NOTEBOOK = """<!DOCTYPE html><html><head></head>
  <body class="quarto-notebook quarto-light">
    <div id="quarto-embed-header" class="headroom fixed-top bg-primary">
      <a onclick="window.quartoBackToArticle(); return false;" class="btn btn-primary quarto-back-link" href=""><i class="bi bi-caret-left"></i> Tillbaka till rapporten</a>
      <h6><i class="bi bi-journal-code"></i> Ekonomi</h6>
    </div>
<main class="content" id="quarto-document-content">
<p>Se <a href="#tbl-a" class="quarto-xref">Tabell&nbsp;1</a>.</p>
<div id="tbl-a" class="cell quarto-float"><figure class="quarto-float quarto-float-tbl figure">
<figcaption class="quarto-float-caption-top" id="tbl-a-caption-2">
Tabell&nbsp;1: Resultaträkning (mnkr)
</figcaption><table></table></figure></div>
<div id="tbl-only-here" class="cell quarto-float"><figure class="quarto-float quarto-float-tbl figure">
<figcaption class="quarto-float-caption-top" id="tbl-only-here-caption-2">
Tabell&nbsp;2: Bara på sidan
</figcaption><table></table></figure></div>
<div id="fig-b" class="cell quarto-float"><figure class="quarto-float quarto-float-fig figure"><div><img src="x.svg" alt="x"></div>
<figcaption class="quarto-float-caption-bottom" id="fig-b-caption-2">Figur&nbsp;1: Avvikelse</figcaption></figure></div>
</main></body></html>"""


def test_the_skip_link_is_the_first_thing_in_the_body_once():
    page = postrender.add_skip_link(ARTICLE)
    after_body = page.split('<body class="quarto-light">', 1)[1].lstrip()
    assert after_body.startswith(
        '<a class="sn-skip visually-hidden-focusable" href="#quarto-document-content">'
    )
    assert postrender.add_skip_link(page) == page


def test_the_contents_are_copied_above_the_text_for_a_phone():
    page = postrender.phone_contents(ARTICLE)
    copy = page[page.index('<details class="sn-toc">') : page.index("</details>")]
    assert (
        page.index("</header>") < page.index('<details class="sn-toc">') < page.index('<main class="content"')
    )
    assert 'href="#sec-a"' in copy and 'href="#sec-b"' in copy and "notebooks/x-preview.html" in copy
    assert " id=" not in copy and "collapse" not in copy and "toc-title" not in copy  # no duplicate ids
    assert postrender.phone_contents(page) == page


def test_no_icon_font_and_no_bootstrap_script_where_nothing_uses_it():
    page = postrender.drop_icons(ARTICLE)
    assert "bootstrap-icons" not in page and 'class="bi' not in page and "bootstrap.min.js" not in page
    assert ">PDF</a>" in page
    uses_tooltip = ARTICLE.replace("</body>", '<button data-bs-toggle="tooltip"></button></body>')
    assert "bootstrap.min.js" in postrender.drop_icons(uses_tooltip)


def test_a_tables_box_is_a_region_a_keyboard_reaches():
    page = postrender.scrollable_tables(ARTICLE)
    assert (
        '<div class="sn-table" id="tbl-a-gt" role="region" tabindex="0" aria-labelledby="tbl-a-caption-1">'
        in page
    )
    assert postrender.scrollable_tables(page) == page


def test_a_table_whose_cell_takes_the_page_width_is_marked_wide_on_its_notebook_page(tmp_path: Path):
    """The notebook page drops the cell's ``column: page-right``; the tables whose cell has it are marked
    there (``sn-bred``) so that the theme gives them the page's width, and only those."""
    cells = [
        {"cell_type": "code", "source": ["#| label: tbl-a\n", "#| column: page-right\n", 'visa("tbl-a")']},
        {"cell_type": "code", "source": ["#| label: tbl-b\n", 'visa("tbl-b")']},
        {"cell_type": "markdown", "source": ["#| label: tbl-c\n", "#| column: page-right\n"]},
    ]
    notebook = tmp_path / "x.ipynb"
    notebook.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert postrender.wide_tables([notebook, tmp_path / "saknas.ipynb"]) == {"tbl-a"}
    page = NOTEBOOK.replace(
        "</figcaption><table></table>",
        '</figcaption><div class="sn-table" id="tbl-a-gt"><table></table></div>',
        1,
    )
    marked = postrender.mark_wide_tables(page, {"tbl-a"})
    assert '<div class="sn-table sn-bred" id="tbl-a-gt">' in marked
    assert postrender.mark_wide_tables(marked, {"tbl-a"}) == marked
    assert postrender.mark_wide_tables(page, set()) == page


def test_back_to_the_report_is_a_plain_link():
    page = postrender.link_back_to_article(NOTEBOOK, "../index.html")
    assert '<a class="btn btn-primary quarto-back-link" href="../index.html">' in page
    assert "onclick" not in page


def test_notebook_pages_get_the_articles_numbers():
    numbers = postrender.numbers(ARTICLE)
    assert numbers == {"tbl-a": "Tabell&nbsp;12", "fig-b": "Figur&nbsp;3"}
    page = postrender.number_as_article(NOTEBOOK, numbers)
    assert "Tabell&nbsp;12: Resultaträkning" in page and "Figur&nbsp;3: Avvikelse" in page
    assert '<a href="#tbl-a" class="quarto-xref">Tabell&nbsp;12</a>' in page
    assert "Tabell&nbsp;2" not in page and "Bara på sidan" in page  # not in the article: no number


def test_the_whole_site_and_unused_files(tmp_path: Path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "site_libs" / "bootstrap").mkdir(parents=True)
    (tmp_path / "index.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notebooks" / "x-preview.html").write_text(NOTEBOOK, encoding="utf-8")
    for name in ("bootstrap-icons.css", "bootstrap-icons.woff", "bootstrap.min.js", "bootstrap-1.min.css"):
        (tmp_path / "site_libs" / "bootstrap" / name).write_text("x", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        ARTICLE.replace(
            "</head>", '<link href="site_libs/bootstrap/bootstrap-1.min.css" rel="stylesheet"></head>'
        ),
        encoding="utf-8",
    )
    changed = postrender.process_site(tmp_path)
    assert len(changed) == 2
    notebook = (tmp_path / "notebooks" / "x-preview.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in notebook and "Tabell&nbsp;12" in notebook
    assert sorted(p.name for p in (tmp_path / "site_libs").rglob("*") if p.is_file()) == [
        "bootstrap-1.min.css"
    ]
    assert postrender.process_site(tmp_path) == []  # a second run changes nothing


# --- Issue 18: the post-render step starts without the heavy libraries ---------------------------------

HEAVY = ("pandas", "numpy", "great_tables", "matplotlib", "nbformat", "nbclient", "jupytext", "openpyxl")


def heavy_loaded(code: str, env: dict[str, str] | None = None) -> list[str]:
    """The heavy libraries a fresh interpreter has loaded after running ``code``."""
    script = f"{code}\nimport sys\nprint('\\n' + ' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env, cwd=ROOT
    )
    return done.stdout.splitlines()[-1].split()  # the last line: what the code printed comes before


def test_importing_the_post_render_step_loads_no_heavy_library():
    assert heavy_loaded("import servicenamnden.render.postrender") == []


def test_the_whole_post_render_step_loads_no_heavy_library(tmp_path: Path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "index.html").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notebooks" / "x-preview.html").write_text(NOTEBOOK, encoding="utf-8")
    env = {**os.environ, "QUARTO_PROJECT_OUTPUT_DIR": str(tmp_path)}
    code = "from servicenamnden.render import postrender\npostrender.main()"
    assert heavy_loaded(code, env) == []
    assert "Hoppa till texten" in (tmp_path / "index.html").read_text(encoding="utf-8")  # it did run
