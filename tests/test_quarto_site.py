"""The site and the PDF as real Quarto renders them, read as a council member on a phone (390 px) and a
journalist on a laptop (1366 px) would: Debian's Chromium, axe-core, pdftotext.

Runs only where ``quarto`` is on PATH (CI and a fresh clone have none: every test here is then skipped,
with the reason in pytest's summary). The site is rendered once for the module, with plain
``quarto render`` in a copy of the project. ``SN_QUARTO_SITE=_manuscript`` tests a site you have just
rendered instead (``make report`` with Quarto), which saves a render of two to five minutes.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from servicenamnden.render import statement
from servicenamnden.render.metadata import METADATA_FILE
from servicenamnden.render.project import load_project

ROOT = Path(__file__).resolve().parents[1]
QUARTO = shutil.which("quarto")
pytestmark = pytest.mark.skipif(
    QUARTO is None,
    reason="Quarto finns inte på PATH: den riktiga renderingen (sidorna i Chromium, PDF:en) prövas där Quarto finns",
)

VIEWPORTS = {"mobil": {"width": 390, "height": 844}, "dator": {"width": 1366, "height": 900}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MIN_CONTRAST = 4.5
ARTICLE = "index.html"
NOTEBOOK_PAGES = [f"notebooks/{nb.stem}-preview.html" for nb, _ in load_project(ROOT).notebooks]
# The accessibility statement is a notebook-type page too. The article has no notebook view: it holds
# no code (its values come from the pre-render step), so Quarto makes no report-preview.html.
PAGES = [ARTICLE, "tillganglighet-preview.html", *NOTEBOOK_PAGES]
WEIGHT_GOAL_GZIP = 250_000
EXCEL_LINK = "Tabellen i Excel"
CSV_LINK = "Tabellens data för program"

# The accessibility statement claims only what this module measured (servicenamnden.render.statement):
# each claim's test records its cases here, and the results file is written after the module's tests.
# A claim holds when all its cases were measured and held; a failed case makes it "inte uppfyllt", and a
# claim whose tests did not all run (``-k``, an error) is "inte mätt".
CLAIM_CASES = {
    "axe": len(PAGES) * len(VIEWPORTS),
    "sidled": len(PAGES),
    "innehall-tacker-inte": len(PAGES) * len(VIEWPORTS),
    "innehall-mobil": 1,
    "hoppa-lank": len(PAGES),
    "kontrast-sidhuvud": (len(PAGES) - 1) * len(VIEWPORTS),
    "tillbaka-lank": len(PAGES) - 1,
    "breda-tabeller": 1,
    "inget-utifran": len(PAGES),
    "pdf": 1,
}
_MEASURED: dict[str, list[bool]] = {}


def measured(claim: str, ok: bool) -> bool:
    """Record one measured case of a claim of the accessibility statement; returns ``ok``."""
    _MEASURED.setdefault(claim, []).append(bool(ok))
    return bool(ok)


def measures(claim: str) -> Callable:
    """A test that measures one case of ``claim`` as a whole: held when none of its assertions fails."""

    def wrap(test: Callable) -> Callable:
        @functools.wraps(test)
        def run(*args, **kwargs) -> None:
            try:
                test(*args, **kwargs)
            except AssertionError:
                measured(claim, False)
                raise
            measured(claim, True)

        return run

    return wrap


# --- The rendered site ------------------------------------------------------------------------------


def render_copy(target: Path) -> Path:
    """Plain ``quarto render`` in a copy of the project, with this environment's Python first on PATH
    (as ``make report`` runs it); returns the output folder."""
    shutil.copytree(
        ROOT,
        target,
        ignore=shutil.ignore_patterns(".venv", "_build", "_preview", "_manuscript", ".quarto", ".git"),
    )
    # A working folder where a preview was built before: nothing of it may reach the site.
    (target / "_preview" / "downloads").mkdir(parents=True)
    (target / "_preview" / "downloads" / "tbl-forhandsvisning.csv").write_text("a\n1\n", encoding="utf-8")
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    subprocess.run([QUARTO, "render"], cwd=target, env=env, check=True, timeout=1800, capture_output=True)
    return target / "_manuscript"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    given = os.environ.get("SN_QUARTO_SITE")
    if given:
        folder = Path(given).resolve()
        assert (folder / ARTICLE).exists(), f"SN_QUARTO_SITE={given}: ingen {ARTICLE} där"
        return folder
    return render_copy(tmp_path_factory.mktemp("quarto") / "projekt")


@pytest.fixture(scope="module", autouse=True)
def statement_results(site_dir) -> Iterator[None]:
    """After the module's tests: write what they measured to the results file the statement is built from."""
    yield
    version = subprocess.run([QUARTO, "--version"], capture_output=True, text=True).stdout.strip()
    results = {claim: statement.outcome(_MEASURED.get(claim, []), n) for claim, n in CLAIM_CASES.items()}
    document = statement.results_document(results, datetime.date.today(), version, len(PAGES))
    statement.write_results(ROOT, document)


@pytest.fixture(scope="module")
def metadata(site_dir) -> dict:
    """The metadata the pre-render step wrote for the rendered year (beside the output folder)."""
    path = site_dir.parent / METADATA_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


@pytest.fixture(scope="module")
def site(site_dir, serve) -> str:
    return serve(site_dir)


@dataclass
class Visit:
    page: object
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    bodies: dict[str, bytes] = field(default_factory=dict)


@pytest.fixture(scope="module")
def visit(browser, site) -> Iterator[Callable[[str, str], Visit]]:
    """Load a page once per viewport (cached): console errors, requests outside the site, every body."""
    cache: dict[tuple[str, str], Visit] = {}
    contexts = []

    def load(rel: str, viewport: str = "dator") -> Visit:
        if (rel, viewport) not in cache:
            context = browser.new_context(viewport=VIEWPORTS[viewport], locale="sv-SE", accept_downloads=True)
            contexts.append(context)
            page = context.new_page()
            result = Visit(page)

            def record(response) -> None:
                try:
                    result.bodies[response.url] = response.body()
                except Exception:  # a redirect or an aborted load has no body
                    pass

            page.on("response", record)
            page.on("console", lambda m: result.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: result.errors.append(str(e)))
            page.on(
                "request",
                lambda r: (
                    None if r.url.startswith((site, "data:", "blob:")) else result.outside.append(r.url)
                ),
            )
            page.goto(site + rel, wait_until="networkidle")
            cache[(rel, viewport)] = result
        return cache[(rel, viewport)]

    yield load
    for context in contexts:
        context.close()


COLOURS = """(el) => {
    let background = 'rgb(255, 255, 255)';
    for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) { background = c; break; }
    }
    return [getComputedStyle(el).color, background];
}"""


def contrast(locator, ratio: Callable[[str, str], float]) -> float:
    return ratio(*locator.evaluate(COLOURS))


# --- Phone: contents, reflow ---------------------------------------------------------------------------


@pytest.mark.parametrize("rel", PAGES)
def test_no_page_scrolls_sideways_on_a_phone(visit, rel):
    width = visit(rel, "mobil").page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert measured("sidled", width[0] <= width[1]), (
        f"{rel}: sidan är {width[0]} px bred på en {width[1]} px bred skärm"
    )


OVERLAPS = """() => {
    const shown = e => getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0;
    const boxes = [...document.querySelectorAll('#TOC, .sn-toc')].filter(shown).map(e => e.getBoundingClientRect());
    const text = [...document.querySelectorAll('main :is(p, h1, h2, h3, h4, li, figure, table, .sn-table)')]
        .filter(shown).map(e => [e, e.getBoundingClientRect()]);
    const hit = (a, b) => !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
    return text.filter(([e, r]) => boxes.some(b => hit(b, r)))
        .map(([e, r]) => e.tagName + ' ' + (e.id || e.textContent.trim().slice(0, 40))).slice(0, 5);
}"""


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("rel", PAGES)
def test_the_contents_never_cover_the_text(visit, rel, viewport):
    covered = visit(rel, viewport).page.evaluate(OVERLAPS)
    assert measured("innehall-tacker-inte", covered == []), f"{rel} ({viewport}): {covered}"


GAP_ABOVE_TEXT = """() => {
    const shown = e => e && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0;
    const above = [document.querySelector('#title-block-header'), document.querySelector('.sn-toc')].filter(shown);
    const first = [...document.querySelectorAll('main :is(p, h2, h3, table, figure, details)')].find(shown);
    return first.getBoundingClientRect().top - Math.max(...above.map(e => e.getBoundingClientRect().bottom));
}"""
# The article leaves 34 px between its title block and the first paragraph at 1366 px.
MAX_GAP_ABOVE_TEXT = 48


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("rel", PAGES)
def test_the_text_starts_right_under_the_title_block(visit, rel, viewport):
    """Quarto's script on the notebook pages pads <main> by the header bar's height although the title
    block under the bar is already padded: a blank gap of 84 px (1366) to 200 px (390) above the text."""
    gap = visit(rel, viewport).page.evaluate(GAP_ABOVE_TEXT)
    assert gap <= MAX_GAP_ABOVE_TEXT, f"{rel} ({viewport}): {gap:.0f} px tomt ovanför texten"


@measures("innehall-mobil")
def test_a_phone_reader_opens_the_contents_above_the_text(visit):
    page = visit(ARTICLE, "mobil").page
    summary = page.get_by_text("Innehåll", exact=True).locator("visible=true").first
    assert summary.is_visible(), "ingen synlig innehållsförteckning på mobilen"
    box, main = summary.bounding_box(), page.locator("main").bounding_box()
    assert box["y"] + box["height"] <= main["y"], "innehållet ska stå ovanför texten"
    summary.click()
    links = page.locator(".sn-toc a[href^='#']")
    assert links.count() >= 10
    targets = links.evaluate_all("ls => ls.map(a => !!document.getElementById(a.hash.slice(1)))")
    assert all(targets)
    assert page.locator(".sn-toc a[href$='tillganglighet-preview.html']").is_visible()


# --- Contrast, axe, screen readers -----------------------------------------------------------------------


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("rel", PAGES)
def test_axe_finds_no_violation(visit, rel, viewport):
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(visit(rel, viewport).page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    found = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in result.response["violations"]
    ]
    assert measured("axe", found == []), f"{rel} ({viewport}): {found}"


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("rel", [p for p in PAGES if p != ARTICLE])
def test_the_notebook_header_has_contrast(visit, rel, viewport, contrast_ratio):
    page = visit(rel, viewport).page
    low = {}
    for selector in (".quarto-back-link", "#quarto-embed-header h6", ".quarto-download-embed"):
        element = page.locator(selector)
        if element.count() and element.first.is_visible():
            ratio = contrast(element.first, contrast_ratio)
            if ratio < MIN_CONTRAST:
                low[selector] = round(ratio, 2)
    assert measured("kontrast-sidhuvud", low == {}), f"{rel} ({viewport}): {low}"


@pytest.mark.parametrize("rel", PAGES)
def test_no_english_anchor_labels(visit, rel):
    assert visit(rel).page.locator("[aria-label='Anchor']").count() == 0


@pytest.mark.parametrize("rel", PAGES)
def test_the_first_tab_reaches_a_skip_link_to_the_text(browser, site, rel):
    context = browser.new_context(viewport=VIEWPORTS["dator"])
    page = context.new_page()
    page.goto(site + rel, wait_until="networkidle")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.textContent.trim(), document.activeElement.hash || '']")
    context.close()
    ok = focused == ["Hoppa till texten", "#quarto-document-content"]
    assert measured("hoppa-lank", ok), f"{rel}: första tabbstoppet är {focused!r}"


@pytest.mark.parametrize("rel", [p for p in PAGES if p != ARTICLE])
def test_back_to_the_report_is_a_link_to_the_article(visit, rel, site):
    link = visit(rel).page.locator(".quarto-back-link")
    ok = link.get_attribute("onclick") is None and link.evaluate("a => a.href") == site + ARTICLE
    assert measured("tillbaka-lank", ok), f"{rel}: {link.evaluate('a => a.outerHTML')}"


def test_the_site_holds_nothing_of_the_preview_or_other_builds(site_dir):
    """Quarto matched ``downloads/*.csv`` in every folder and published ``_preview/downloads/``."""
    stray = sorted(
        str(p.relative_to(site_dir)) for p in site_dir.rglob("*") if p.name in ("_preview", "_build")
    )
    assert stray == []


def test_the_article_has_no_notebook_view_and_nothing_links_to_one(site_dir):
    """An article without code gets no notebook view from Quarto (report-preview.html, report.out.ipynb),
    so no page may link to one: the pre-render step computes the article's values."""
    assert not (site_dir / "report-preview.html").exists() and not (site_dir / "report.out.ipynb").exists()
    linking = sorted(
        str(p.relative_to(site_dir))
        for p in site_dir.rglob("*.html")
        if "report-preview" in p.read_text(encoding="utf-8")
        or "report.out.ipynb" in p.read_text(encoding="utf-8")
    )
    assert linking == []


def test_the_article_shows_its_values_not_shortcodes(site_dir):
    """Every value shortcode of report.qmd was filled in (assets/varden.lua): none is left as text."""
    html = (site_dir / ARTICLE).read_text(encoding="utf-8")
    assert "{{&lt;" not in html and "{{<" not in html and "{python}" not in html
    assert html.count(' popovertarget="hv-') > 100  # the traced figures are buttons with their popovers


# --- Title block ----------------------------------------------------------------------------------------


def test_other_formats_list_the_pdf_once(visit):
    formats = visit(ARTICLE).page.locator(".quarto-alternate-formats")
    assert "Typst" not in formats.inner_text()
    hrefs = formats.locator("a").evaluate_all(
        "ls => ls.map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )
    assert hrefs == [["PDF", "report.pdf"]]


def test_the_title_block_has_the_title_pages_facts(visit, metadata):
    block = visit(ARTICLE).page.locator("#title-block-header").inner_text()
    facts = metadata.get("rapport", {})
    assert facts, "metadata saknas"
    for label, key in (
        ("Rapportperiod", "rapportperiod"),
        ("Beslutas av", "beslutsorgan"),
        ("Sammanträde", "sammantradesdatum"),
        ("Diarienummer", "diarienummer"),
        ("Ansvarig", "ansvarig-rad"),
    ):
        if key in facts:
            assert label.lower() in block.lower() and facts[key] in block, label
        else:
            assert label.lower() not in block.lower(), f"{label} utan värde"


WORDS_ON_ONE_LINE = """(el) => {
    const text = el.firstChild;
    const words = [...text.textContent.matchAll(/\\S+/g)];
    return words.filter(m => {
        const range = document.createRange();
        range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
    }).map(m => m[0]);
}"""


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_title_breaks_between_words_only(visit, viewport):
    broken = visit(ARTICLE, viewport).page.locator("h1.title").evaluate(WORDS_ON_ONE_LINE)
    assert broken == []


# --- Tables -----------------------------------------------------------------------------------------------

WIDE_TABLES = """() => [...document.querySelectorAll('.sn-table')].map(box => {
    const first = box.querySelector('tbody tr > :first-child:not([colspan])');
    return {id: box.id, scroll: box.scrollWidth, client: box.clientWidth,
            right: Math.round(box.getBoundingClientRect().right),
            sticky: first ? getComputedStyle(first).position : null};
})"""


def test_wide_tables_keep_their_first_column_on_a_phone(visit):
    tables = visit(ARTICLE, "mobil").page.evaluate(WIDE_TABLES)
    wide = [t for t in tables if t["scroll"] > t["client"] + 1]
    assert wide, "ingen bred tabell på mobilen (testet prövar inget)"
    loose = [t["id"] for t in wide if t["sticky"] != "sticky"]
    assert measured("breda-tabeller", loose == []), loose


def test_wide_tables_are_not_cut_on_a_desktop(visit):
    tables = visit(ARTICLE, "dator").page.evaluate(WIDE_TABLES)
    assert [(t["id"], t["scroll"], t["client"]) for t in tables if t["scroll"] > t["client"] + 1] == []


@pytest.mark.parametrize("rel", NOTEBOOK_PAGES)
def test_notebook_pages_give_wide_tables_the_page_width(visit, rel):
    """At 1366 px a wide table on its notebook page scrolled in its own box while about 350 px beside it
    stayed empty: there it is not cut either, and it reaches exactly as far right as in the article."""
    article = {t["id"]: t["right"] for t in visit(ARTICLE, "dator").page.evaluate(WIDE_TABLES)}
    tables = visit(rel, "dator").page.evaluate(WIDE_TABLES)
    assert [(t["id"], t["scroll"], t["client"]) for t in tables if t["scroll"] > t["client"] + 1] == []
    assert [
        (t["id"], t["right"], article[t["id"]])
        for t in tables
        if t["right"] != article.get(t["id"], t["right"])
    ] == []


def test_every_table_offers_excel_and_csv(visit, site_dir):
    page = visit(ARTICLE).page
    tables = page.locator("table.gt_table").count()
    excel = page.locator(f"a:text-matches('^{EXCEL_LINK}')")
    csv_links = page.locator(f"a:text-matches('^{CSV_LINK}')")
    assert excel.count() >= tables - 2 and csv_links.count() == excel.count()  # the data checks: one list
    from openpyxl import load_workbook

    for href in excel.evaluate_all("ls => ls.map(a => a.getAttribute('href'))"):
        assert href.endswith(".xlsx"), href
        book = load_workbook(site_dir / href, read_only=True)
        assert len(book.sheetnames) == 1, href
    for href in csv_links.evaluate_all("ls => ls.map(a => a.getAttribute('href'))"):
        raw = (site_dir / href).read_bytes()
        assert href.endswith(".csv") and not raw.startswith(b"\xef\xbb\xbf"), href


# --- Charts --------------------------------------------------------------------------------------------

CHART_TEXT = """async () => {
    const imgs = [...document.querySelectorAll('picture.chart img')];
    await Promise.all(imgs.map(i => i.decode().catch(() => null)));
    return imgs.map(i => ({id: i.closest('[id^=fig-]') ? i.closest('[id^=fig-]').id : '',
                          src: i.currentSrc, width: i.getBoundingClientRect().width,
                          height: i.getBoundingClientRect().height}));
}"""


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_risk_matrix_is_sized_like_the_other_charts(visit, viewport):
    from urllib.parse import unquote

    charts = visit(ARTICLE, viewport).page.evaluate(CHART_TEXT)

    def text_px(chart) -> float:
        svg = unquote(chart["src"].split(",", 1)[1])
        width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
        return max(float(v) for v in re.findall(r"font-size:\s*([\d.]+)px", svg)) * chart["width"] / width

    matrix = next(c for c in charts if c["id"] == "fig-riskmatris")
    others = [text_px(c) for c in charts if c["id"] != "fig-riskmatris"]
    # Before: 719 × 728 px with 24–26 px labels at 1366 px. Now its largest text (the risks' numbers, in
    # the body size) is within 15 % of the other charts' largest, and it is no taller than it is wide.
    assert text_px(matrix) <= 1.15 * max(others), f"{text_px(matrix):.0f} px mot högst {max(others):.0f} px"
    assert matrix["height"] <= 1.05 * matrix["width"] and matrix["width"] < 0.9 * max(
        c["width"] for c in charts
    )


# --- Weight ------------------------------------------------------------------------------------------


def test_the_article_with_everything_it_loads_is_at_most_250_kb_gzipped(visit):
    loaded = visit(ARTICLE)
    assert loaded.outside == []
    compressed = sum(len(gzip.compress(body, 9)) for body in loaded.bodies.values())
    sizes = sorted(
        ((len(gzip.compress(b, 9)), u.rsplit("/", 1)[-1]) for u, b in loaded.bodies.items()), reverse=True
    )
    assert compressed <= WEIGHT_GOAL_GZIP, f"{compressed} byte gzip i {len(loaded.bodies)} filer: {sizes[:5]}"


@pytest.mark.parametrize("rel", PAGES)
def test_pages_load_without_errors_or_outside_requests(visit, rel):
    loaded = visit(rel)
    assert measured("inget-utifran", loaded.errors == [] and loaded.outside == []), (
        loaded.errors,
        loaded.outside,
    )


# --- Notebook pages ---------------------------------------------------------------------------------------


PROMPT_LINES = """() => [...document.querySelectorAll('.cell-decorator')]
    .filter(d => d.checkVisibility() && d.textContent.trim())
    .map(d => {
        const tops = new Set();
        const walker = document.createTreeWalker(d, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim()) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            [...range.getClientRects()].forEach(r => tops.add(Math.round(r.top)));
        }
        return [d.textContent.trim(), tops.size];
    })
    .filter(([, lines]) => lines > 1)"""


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("rel", NOTEBOOK_PAGES)
def test_cell_prompts_are_shown_once_and_on_one_line(visit, rel, viewport):
    """A table's output cell has a cell container of its own inside the cell: Quarto drew "In [14]:" a
    second time there, squeezed to three lines beside the table at 1366 px."""
    page = visit(rel, viewport).page
    assert page.evaluate(PROMPT_LINES) == [], f"{rel} ({viewport})"
    shown = page.evaluate(
        "() => [...document.querySelectorAll('.cell-decorator')].filter(d => d.checkVisibility())"
        ".map(d => d.textContent.trim()).filter(t => t)"
    )
    assert len(shown) == len(set(shown)), f"{rel} ({viewport}): {shown}"


@pytest.mark.parametrize("rel", NOTEBOOK_PAGES)
def test_a_notebook_page_opens_with_what_it_computes(visit, rel):
    page = visit(rel).page
    first = page.locator("main").evaluate(
        "m => { const e = m.querySelector('p, table, pre, figure, img'); return [e.tagName, e.textContent.trim()]; }"
    )
    assert first[0] == "P" and first[1].endswith("."), f"{rel}: sidan börjar med {first}"
    code = page.locator("main pre code")
    assert code.count() == 0 or not any(code.evaluate_all("cs => cs.map(c => c.checkVisibility())")), (
        f"{rel}: koden ska vara hopfälld"
    )


def captions(page) -> dict[str, str]:
    return dict(
        page.evaluate(
            """() => [...document.querySelectorAll('[id^=tbl-] > figure > figcaption, [id^=fig-] > figure > figcaption')]
                .map(c => [c.parentElement.parentElement.id, (c.textContent.match(/^\\s*(\\S+\\s\\d+)/) || ['', ''])[1]])"""
        )
    )


@pytest.mark.parametrize("rel", NOTEBOOK_PAGES)
def test_notebook_pages_number_tables_and_figures_as_the_article(visit, rel):
    article = captions(visit(ARTICLE).page)
    here = captions(visit(rel).page)
    assert here
    for label, number in here.items():
        assert number == article.get(label, ""), (
            f"{rel}: {label} är {number!r} här, {article.get(label)!r} i artikeln"
        )


# --- The accessibility statement ------------------------------------------------------------------------


def test_the_accessibility_statement_has_date_contact_and_a_link_to_digg(visit, metadata):
    page = visit("tillganglighet-preview.html").page
    text = page.locator("main").inner_text()
    assert re.search(r"\d{1,2} \w+ 20\d\d|20\d\d-\d\d-\d\d", text), "datum saknas"
    assert page.locator("a[href*='digg.se']").count() >= 1
    contact = metadata.get("rapport", {}).get("kontakt")
    assert (contact and contact in text) or "ingen kontaktväg" in text


def test_the_statement_claims_what_its_results_file_says_and_nothing_else(visit, site_dir):
    """The statement was built from the results file in the rendered project (the one this module writes
    after its tests): its date, each held claim in the list of what held, and no other claim there."""
    results = statement.read_results(site_dir.parent)
    text = " ".join(visit("tillganglighet-preview.html").page.locator("main").inner_text().split())
    if not results.get("datum"):
        assert "har ännu inte mätts" in text
        return
    assert statement.swedish_date(datetime.date.fromisoformat(str(results["datum"]))) in text
    held = text.split("Mätningarna visade att", 1)[1].split("Detta ", 1)[0] if "visade att" in text else ""
    for claim, sentence in statement.CLAIMS.items():
        assert (sentence in held) == (results["resultat"].get(claim) == statement.HELD), claim


# --- The PDF ---------------------------------------------------------------------------------------------


@measures("pdf")
def test_the_pdf_is_tagged_and_poppler_reads_it(site_dir):
    """Tagged (a structure tree, /MarkInfo /Marked true) and read by pdftotext without a syntax error.
    An older poppler printed "Suspects object is wrong type (boolean)" for a valid /Suspects false."""
    from pypdf import PdfReader
    from pypdf.generic import BooleanObject

    pdf = site_dir / "report.pdf"
    catalog = PdfReader(pdf).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert type(catalog["/MarkInfo"].get("/Suspects", False)).__name__ in ("bool", "BooleanObject")
    assert catalog["/Lang"] == "sv-SE"
    result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    assert [line for line in result.stderr.splitlines() if "Error" in line] == []
    # pdfinfo (poppler 22.12) prints "Syntax Error: Suspects object is wrong type (boolean)": its
    # Catalog::getMarkInfo takes only a true /Suspects as a boolean. Typst writes /Suspects false, which
    # PDF 32000-1 (14.7.1) allows; any other syntax error is a fault.
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    suspects_false = catalog["/MarkInfo"].get("/Suspects") == BooleanObject(False)
    known = "Suspects object is wrong type (boolean)"
    assert [
        line
        for line in info.stderr.splitlines()
        if "Error" in line and not (suspects_false and known in line)
    ] == []


def _words(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of every word on one page, from ``pdftotext -bbox``."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (float(a), float(b), html.unescape(w))
        for a, b, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out
        )
    ]


def test_pdf_tables_have_labels_left_and_figures_right(site_dir):
    """Issue 18: typst centred every cell. In the income statement, the figures of a column end at one
    x (right-aligned) and the row labels start at one x (left-aligned); centred, neither holds."""
    from collections import Counter

    pdf = site_dir / "report.pdf"
    pages = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        ).group(1)
    )
    labels = {"Övriga", "Personalkostnader", "Lokalkostnader", "Köp", "Finansnetto", "Summa"}
    # The table's page: the one where its row labels stand (the word "Resultaträkning" is in the prose too).
    page = next(p for p in range(1, pages + 1) if len(labels & {w for _, _, w in _words(pdf, p)}) >= 5)
    words = _words(pdf, page)
    figures = Counter(round(x1) for _, x1, w in words if re.fullmatch(r"[−+]?\d{1,3}(?:\s\d{3})*,\d", w))
    assert figures.most_common(1)[0][1] >= 8, (
        f"sidan {page}: ingen kolumn med högerställda tal {figures.most_common(3)}"
    )
    starts = Counter(round(x0) for x0, _, w in words if w in labels)
    assert starts.most_common(1)[0][1] >= 5, f"sidan {page}: radernas namn börjar inte i en kant {starts}"


def test_nothing_in_the_pdf_runs_into_the_right_margin(site_dir):
    """A table that takes the page's width on the web (column: page-right) keeps the text's width in the
    PDF: no word ends right of the text column (A4, 2 cm margins: 595 − 57 pt, 1 pt of slack)."""
    pdf = site_dir / "report.pdf"
    pages = int(
        re.search(
            r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        ).group(1)
    )
    beyond = [(p, w, x1) for p in range(1, pages + 1) for _, x1, w in _words(pdf, p) if x1 > 595.3 - 56.7 + 1]
    assert beyond == []


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_a_check_link_from_a_popover_lands_on_its_row_in_sight(browser, site, viewport):
    """A reader follows a figure's avstämningar from its popover to its block on the text's provenance
    page, and on to a check's row in the complete list: the row stands in sight, below the page's fixed
    header, not hidden under it (issue 20)."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="sv-SE")
    page = context.new_page()
    page.goto(site + ARTICLE, wait_until="networkidle")
    details = page.eval_on_selector_all(
        '[popover] a[href*="harledning/text.html#"]', "as => as.map(a => a.getAttribute('href'))"
    )
    assert details, "inga länkar från artikelns rutor till textens härledningssida"
    page.goto(site + details[0], wait_until="networkidle")
    assert page.locator(f"section#{details[0].partition('#')[2]}").count() == 1
    hrefs = page.eval_on_selector_all('a[href*="#ak-"]', "as => as.map(a => a.getAttribute('href'))")
    assert hrefs, "inga länkar till avstämningar på textens härledningssida"
    for href in sorted(set(hrefs))[:5]:
        page.goto(site + href.removeprefix("../"), wait_until="networkidle")
        anchor = href.partition("#")[2]
        row = page.locator(f"[id='{anchor}']").bounding_box()
        header = page.evaluate(
            "() => Math.max(0, ...[...document.querySelectorAll('header, .headroom, #quarto-header')]"
            ".filter(e => ['fixed', 'sticky'].includes(getComputedStyle(e).position))"
            ".map(e => e.getBoundingClientRect().bottom))"
        )
        assert row is not None and row["y"] >= header - 1, (
            f"{href}: raden står under sidhuvudet ({row}, {header})"
        )
    context.close()


def test_the_article_tables_cells_open_their_provenance(browser, site, site_dir):
    """Issue 20 for the tables, under real Quarto: the post-render step found the embedded tables and
    made each traced cell a link; each link lands on a block of its table's page, and a cell opened by
    keyboard shows its block, whose first data-row link lands on its row."""
    article = (site_dir / ARTICLE).read_text(encoding="utf-8")
    links = set(re.findall(r'<a href="(harledning/tbl-[\w-]+\.html)#(r\d+c\d+)">', article))
    assert len(links) >= 300, f"bara {len(links)} tabellceller är länkar"
    for target, anchor in links:
        assert f'id="{anchor}"' in (site_dir / target).read_text(encoding="utf-8"), f"{target}#{anchor}"
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(site + ARTICLE, wait_until="networkidle")
    page.locator("#tbl-resultatrakning-gt td > a").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    block = page.locator(f"section#{page.url.partition('#')[2]}")
    assert block.evaluate("e => e.matches(':target')") and "(oavrundat)" in block.inner_text()
    href = block.locator("a[href*='datafiler/']").first.get_attribute("href")
    page.goto(page.url.rsplit("/", 1)[0] + "/" + href, wait_until="networkidle")
    assert page.locator(f"[id='{href.partition('#')[2]}']").evaluate("e => e.matches(':target')")
    context.close()


def test_under_two_charts_a_link_opens_the_table_of_their_values(browser, site, site_dir):
    """Issue 20 for the charts whose values stand in no table of the article, under real Quarto: the link
    under the chart lands on its table on the notebook page (Quarto names it ``-preview``), where every
    traced figure is a link to its block, which names its rows."""
    article = (site_dir / ARTICLE).read_text(encoding="utf-8")
    links = re.findall(r'<p class="diagramvarden"><a href="(notebooks/[\w-]+\.html)#(tbl-[\w-]+)">', article)
    assert sorted(t for _, t in links) == ["tbl-brukaravgifter-index", "tbl-miljomal-avstand"]
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    for target, table in links:
        shown = (site_dir / target).read_text(encoding="utf-8")
        start = shown.index(f'id="{table}-gt"')
        cells = re.findall(
            r'<a href="(\.\./harledning/[\w-]+\.html)#(r\d+c\d+)">',
            shown[start : shown.index("</table>", start)],
        )
        assert len(cells) >= 6, table
        for href, anchor in cells:
            assert f'<section id="{anchor}"' in (site_dir / "notebooks" / href).read_text(encoding="utf-8")
        page.goto(site + ARTICLE, wait_until="networkidle")
        page.locator(f'p.diagramvarden a[href$="#{table}"]').focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(f"[id='{table}']").evaluate("e => e.matches(':target')"), page.url
    context.close()
