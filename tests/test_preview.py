"""The preview pages and PDF contain the computed values, correctly formatted."""

from __future__ import annotations

import gzip
import html as htmllib
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from servicenamnden.present import svg
from servicenamnden.render.harledning import without_popovers
from servicenamnden.render.preview import externalize_images, internalize_images

NB = "\u00a0"


def page_text(path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", text, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", text))


def test_preview_writes_article_notebooks_and_pdf(preview, project):
    assert (preview / "index.html").exists()
    assert (preview / "report.pdf").stat().st_size > 10_000
    for nb_path, _ in project.notebooks:
        assert (preview / "notebooks" / f"{nb_path.stem}.html").exists()


def test_article_shows_computed_values(preview):
    text = page_text(preview / "index.html")
    # Checked by hand against the source: MS ÄO 2023 total 103 941 tkr; categories of 2019 sum to 101 386 tkr.
    assert f"103{NB}941" in text
    assert f"101{NB}386" in text
    # Sick leave table 2023 vs 2022.
    assert f"6,1{NB}%" in text and f"7,0{NB}%" in text
    # Heldygn fee 2019 and 2024, change 2023→2024 +8,0 %.
    assert f"3{NB}649" in text and f"4{NB}524" in text and f"+8,0{NB}%" in text
    assert "Förhandsvisning" in text


def test_tables_and_figures_are_numbered_and_captioned(preview):
    page = (preview / "index.html").read_text(encoding="utf-8")
    captions = re.findall(r"<caption>(.*?)</caption>", page)
    assert captions and captions[0].startswith("Tabell 1:")
    assert re.search(r"<figcaption>Figur 1:", page)
    for alt in re.findall(r'<img [^>]*alt="([^"]*)"', page):
        assert len(alt) > 40 and "No description" not in alt


def test_no_external_requests_in_pages(preview):
    """Nothing is loaded from outside; a link a reader may follow (digg.se in the statement) is no request."""
    for page in preview.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r'<(?!a\b)\w+\b[^>]*\b(src|href|srcset)="(https?:)?//', text), page.name
        assert "@import" not in text and "googleapis" not in text, page.name


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) saknas")
def test_pdf_text_has_swedish_letters_and_minus(preview):
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(preview / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Måltidsservice" in text or "måltidsservice" in text
    assert "\u2212" in text
    assert "Sjukfrånvaro" in text


# --- Issue 11: sections numbered and cross-referenced as Quarto does, contents, footer, statement -------


def test_number_sections_follows_quarto():
    from servicenamnden.render.markdown import number_sections

    text = "# A {#sec-a}\n## B {#sec-b}\n## C\n# D {.unnumbered}\n# E {#sec-e}\n### F\n"
    found = [(s.number, s.ident) for s in number_sections([text])]
    assert found == [
        ("1", "sec-a"),
        ("1.1", "sec-b"),
        ("1.2", "c"),
        ("", "d"),
        ("2", "sec-e"),
        ("2.0.1", "f"),
    ]


def test_sections_are_numbered_and_references_name_their_number(preview, project):
    page = (preview / "index.html").read_text(encoding="utf-8")
    assert not re.search(r">\s*avsnittet\s*</a>", page), "hänvisning utan nummer"
    numbers = dict(
        re.findall(r'<h[2-4] id="(sec-[\w-]+)"><span class="header-section-number">([\d.]+)</span>', page)
    )
    source = project.article.read_text(encoding="utf-8")
    referenced = set(re.findall(r"@(sec-[\w-]+)", source))
    assert referenced and referenced <= set(numbers)
    for label in referenced:
        assert f'<a href="#{label}">Avsnitt {numbers[label]}</a>' in page
    # The report's own order: Tjänsteskrivelse is section 1, its Förslag till beslut 1.1.
    assert numbers["sec-tjansteskrivelse"] == "1" and numbers["sec-forslag"] == "1.1"


def test_article_has_a_table_of_contents_linking_every_numbered_section(preview):
    page = (preview / "index.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav id="TOC".*?</nav>', page, flags=re.S)
    assert toc and "Innehåll" in toc.group(0)
    headings = re.findall(r'<h[23] id="([\w-]+)"><span class="header-section-number">', page)
    assert headings and all(f'href="#{h}"' in toc.group(0) for h in headings)


def test_every_page_links_the_accessibility_statement_from_its_footer(preview):
    pages = sorted(preview.rglob("*.html"))
    assert preview / "tillganglighet.html" in pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        foot = re.search(r'<footer class="site-footer">(.*?)</footer>', text, flags=re.S)
        assert foot, f"{path.name}: sidfot saknas"
        href = re.search(r'href="([^"]+)">Tillgänglighetsredogörelse<', foot.group(1)).group(1)
        assert (path.parent / href).resolve() == (preview / "tillganglighet.html").resolve()


def test_accessibility_statement_has_the_parts_of_digg_template(preview):
    text = page_text(preview / "tillganglighet.html")
    for part in (
        "Hur tillgänglig är webbplatsen",
        "Kända brister",
        "Hur vi har testat webbplatsen",
        "Om du hittar fler brister",
        "Myndigheten för digital förvaltning (DIGG)",
        "2018:1937",
        "WCAG 2.1",
    ):
        assert part in text, part


def test_preview_notice_is_a_landmark_outside_the_document(preview):
    for path in preview.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        notice = re.search(r'<aside class="preview-banner" aria-label="[^"]+">.*?</aside>', text, flags=re.S)
        assert notice and "Förhandsvisning" in notice.group(0), path.name
        main = re.search(r"<main>.*</main>", text, flags=re.S).group(0)
        assert "Förhandsvisning byggd" not in main, path.name


INTERNAL = re.compile(
    r"symbolen föll bort i textversionen|\\(källans\\)|README|quarto render|[\\w/]+\\.(csv|ipynb|py|yml|qmd)\\b"
)


def test_nothing_internal_reaches_a_reader_from_figures_and_preview(preview):
    """What the charts and the preview itself print (alt texts, captions, chart text, notice, navigation,
    footer) names no file and no transcription detail. Table and prose notes are tested with them."""
    for path in preview.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        printed = re.findall(r'alt="([^"]*)"', text) + re.findall(
            r"<figcaption>(.*?)</figcaption>", text, flags=re.S
        )
        for part in ("aside", "nav", "footer"):
            printed += re.findall(rf"<{part}\b.*?</{part}>", text, flags=re.S)
        for item in printed:
            shown = htmllib.unescape(re.sub(r"<[^>]+>", " ", item))
            assert not INTERNAL.search(shown), f"{path.name}: {shown[:120]!r}"
    for drawing in (preview / "figurer").glob("*.svg"):
        shown = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", drawing.read_text(encoding="utf-8")))
        assert not INTERNAL.search(shown), drawing.name


def test_charts_are_svg_files_in_both_drawings(preview):
    page = (preview / "index.html").read_text(encoding="utf-8")
    pictures = re.findall(r'<picture class="chart">(.*?)</picture>', page, flags=re.S)
    assert len(pictures) >= 5
    for picture in pictures:
        files = re.findall(r'(?:srcset|src)="(figurer/[0-9a-f]+\.svg)"', picture)
        assert len(files) == 2 and all(
            ET.fromstring((preview / f).read_text(encoding="utf-8")).tag == f"{{{svg.SVG_NS}}}svg"
            for f in files
        )
    assert "data:image/svg+xml" not in page


def test_every_download_link_states_format_and_size(preview):
    """The authored links of the article and the links under the tables: "(CSV, 2 kB)", "(XLSX, 5 kB)",
    "(Excel, 28 kB)"."""
    pages = [preview / "index.html", *sorted((preview / "notebooks").glob("*.html"))]
    links = [
        (page.name, href, text)
        for page in pages
        for href, text in re.findall(
            r'<a href="((?:\.\./)*downloads/[^"]+)">([^<]*)</a>', page.read_text("utf-8")
        )
    ]
    assert len(links) > 25
    assert any(href.endswith("tabeller.xlsx") for _, href, _ in links)  # the workbook beside the tables
    wrong = [link for link in links if not re.search(r"\((CSV|XLSX|Excel), \d+\u00a0kB\)$", link[2])]
    assert wrong == []


# Quarto carries each chart's two drawings inside the article (data URIs); its own files come on top.
# Measured 2026-12-01: 299 kB for 2023 (it was about 760 kB under real Quarto before the shared table
# stylesheet, about 450 kB before the charts and tables were made small).
# Issue 11's goal for the article as Quarto carries it. It stood at 320 kB while the text was a short
# retelling; carrying every statement of the source (issue 17) added about 35 kB of text, which
# compresses to a few kB: the reader's real cost is measured gzipped under Quarto (README, make bench).
ARTICLE_BUDGET = 400_000
PROVENANCE_BUDGET = 0.20  # issue 20: provenance adds at most 20 % to the article, gzipped


def test_the_article_as_quarto_carries_it_stays_light(preview, root):
    """Issue 11, page weight: the article with both drawings of every chart inline, as Quarto writes the
    page, and the project's two stylesheets stays within 400 kB (it was about 760 kB). Issue 20 gives the
    figures' provenance (buttons and popovers) its own budget: at most 20 % more, gzipped."""
    inline = internalize_images((preview / "index.html").read_text(encoding="utf-8"), preview)
    assert inline.count(svg.DATA_URI_PREFIX) >= 10  # the charts are in it, both drawings each
    stylesheets = sum(len((root / "assets" / name).read_bytes()) for name in ("report.css", "tables.css"))
    bare = without_popovers(inline)
    weight = len(bare.encode("utf-8")) + stylesheets
    assert weight <= ARTICLE_BUDGET, f"{weight / 1000:.0f} kB"
    added = len(gzip.compress(inline.encode("utf-8"))) / len(gzip.compress(bare.encode("utf-8"))) - 1
    assert 0 < added <= PROVENANCE_BUDGET, f"härledningen lägger till {added:.1%}"


def test_every_drawing_in_the_site_is_one_a_page_shows(preview):
    """A render replaces the drawings: none is left from an earlier render (a stale chart in the site)."""
    pages = " ".join(
        p.read_text("utf-8") for p in [preview / "index.html", *(preview / "notebooks").glob("*.html")]
    )
    files = sorted((preview / "figurer").glob("*.svg"))
    assert files and [f.name for f in files if f.name not in pages] == []


def test_drawings_taken_out_of_a_page_come_back_the_same(tmp_path):
    """What the page-weight test measures is the page as it was before its drawings became files."""
    drawing = '<svg xmlns="http://www.w3.org/2000/svg"><text>Män −1,3</text></svg>'
    pages = {"notebooks/a.html": f'<img src="{svg.data_uri(drawing)}" alt="x">'}
    files_out, files = externalize_images(pages)
    for rel, data in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    (tmp_path / "notebooks").mkdir()
    assert "data:" not in files_out["notebooks/a.html"]
    assert (
        internalize_images(files_out["notebooks/a.html"], tmp_path / "notebooks") == pages["notebooks/a.html"]
    )
