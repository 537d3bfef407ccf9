"""The preview as a reader's browser sees it: Debian's Chromium, headless, driven by Playwright.

Every page is served from a local http.server on 127.0.0.1 and checked for console errors, requests
that leave the local server, images without pixels or alt text, tables without header cells or
caption, and axe-core's WCAG 2.1 A and AA rules (on a desktop and a phone viewport). Every table's CSV
link is followed and the file compared with the table.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, Route

from servicenamnden.domain import ekonomi
from servicenamnden.io import data
from servicenamnden.present import figures
from servicenamnden.present.fmt import MISSING, NBSP
from servicenamnden.present.opendata import EXCEL_LINK_TEXT, LINK_TEXT, UNIT_COLUMN, parse_quantity
from servicenamnden.present.svg import data_uri
from servicenamnden.render.project import load_project

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["index.html", "tillganglighet.html"] + [
    f"notebooks/{nb.stem}.html" for nb, _ in load_project(ROOT).notebooks if nb.suffix == ".ipynb"
]
VIEWPORTS = {"dator": {"width": 1366, "height": 900}, "mobil": {"width": 390, "height": 844}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
# Minor or moderate axe findings that have been looked at, with why they may stay (rule id → reason).
# A finding not listed here fails the test until someone has looked at it and explained it here.
EXPLAINED: dict[str, str] = {}


class AxeNotice(UserWarning):
    """An accepted axe finding or one axe could not decide, shown in pytest's warnings summary."""


@dataclass
class Visit:
    """A loaded page and what happened while it loaded."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site(preview: Path, serve) -> str:
    """The built preview served on 127.0.0.1 (a free port): the base URL."""
    return serve(preview)


@pytest.fixture(scope="module")
def visit(browser: Browser, site: str) -> Iterator[Callable[[str, str], Visit]]:
    """Load a page once per viewport (cached), recording console errors and every request."""
    cache: dict[tuple[str, str], Visit] = {}
    contexts = []

    def load(rel: str, viewport: str = "dator") -> Visit:
        if (rel, viewport) in cache:
            return cache[(rel, viewport)]
        context = browser.new_context(viewport=VIEWPORTS[viewport], accept_downloads=True, locale="sv-SE")
        contexts.append(context)
        page = context.new_page()
        result = Visit(page)

        def route(route: Route) -> None:
            if route.request.url.startswith(site):
                route.continue_()
            else:
                result.outside_requests.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        page.on("console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: result.console_errors.append(str(e)))
        page.on("requestfailed", lambda r: result.failed.append(f"{r.url}: {r.failure}"))
        page.on(
            "response", lambda r: result.failed.append(f"{r.url}: {r.status}") if r.status >= 400 else None
        )
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith((site, "data:", "blob:")) else result.outside_requests.append(r.url)
            ),
        )
        page.goto(site + rel, wait_until="networkidle")
        cache[(rel, viewport)] = result
        return result

    yield load
    for context in contexts:
        context.close()


@pytest.mark.parametrize("rel", PAGES)
def test_page_loads_without_errors_or_outside_requests(visit, rel: str) -> None:
    loaded = visit(rel)
    assert loaded.console_errors == [], f"{rel}: fel i konsolen"
    assert loaded.failed == [], f"{rel}: förfrågningar som misslyckades"
    assert sorted(set(loaded.outside_requests)) == [], f"{rel}: förfrågningar utanför den lokala servern"
    assert loaded.page.title(), f"{rel}: sidan saknar titel"


@pytest.mark.parametrize("rel", PAGES)
def test_page_fits_a_phone_without_sideways_scrolling(visit, rel: str) -> None:
    """WCAG 1.4.10 (reflow): only wide tables scroll, inside their own region, never the whole page."""
    widths = visit(rel, "mobil").page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{rel}: sidan är {widths[0]} px bred på en {widths[1]} px bred skärm"


@pytest.mark.parametrize("rel", PAGES)
def test_images_load_and_have_alt_text(visit, rel: str) -> None:
    page = visit(rel).page
    images = page.evaluate(
        """async () => {
            const imgs = [...document.images];
            await Promise.all(imgs.map(i => i.decode().catch(() => null)));
            return imgs.map(i => ({src: i.currentSrc.slice(0, 40), width: i.naturalWidth,
                                    alt: (i.getAttribute('alt') || '').trim()}));
        }"""
    )
    if rel == "index.html":
        assert len(images) >= 3, "artikeln ska ha sina diagram"
    for image in images:
        assert image["width"] > 0, f"{rel}: bilden laddades inte: {image['src']}"
        assert image["alt"], f"{rel}: bilden saknar alt-text: {image['src']}"
        assert "No description" not in image["alt"], f"{rel}: nbconverts platshållare som alt-text"


@pytest.mark.parametrize("rel", PAGES)
def test_tables_have_header_cells_and_caption(visit, rel: str) -> None:
    tables = visit(rel).page.evaluate(
        """() => [...document.querySelectorAll('table')].map(t => ({
            id: t.closest('[id]') ? t.closest('[id]').id : '',
            headers: t.querySelectorAll('thead th').length,
            caption: t.caption ? t.caption.textContent.trim() : ''}))"""
    )
    if rel == "index.html":
        assert len(tables) >= 5, "artikeln ska ha sina tabeller"
    for table in tables:
        assert table["headers"] > 0, f"{rel}: tabellen {table['id']} saknar rubrikceller (th)"
        assert table["caption"], f"{rel}: tabellen {table['id']} saknar caption"


def _describe(violation: dict) -> str:
    targets = ", ".join(" ".join(n["target"]) for n in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} st): {violation['help']} [{targets}]"


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("rel", PAGES)
def test_axe_finds_nothing_serious(visit, rel: str, viewport: str, contrast_ratio) -> None:
    page = visit(rel, viewport).page
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations", "incomplete"]}
    result = Axe().run(page, options=options).response
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{rel} ({viewport}): " + "; ".join(_describe(v) for v in blocking)
    unexplained = [
        v for v in result["violations"] if v["impact"] not in BLOCKING and v["id"] not in EXPLAINED
    ]
    assert not unexplained, f"{rel} ({viewport}), förklara eller åtgärda: " + "; ".join(
        map(_describe, unexplained)
    )
    for violation in result["violations"]:
        warnings.warn(
            AxeNotice(f"{rel} ({viewport}): {_describe(violation)} – {EXPLAINED[violation['id']]}"),
            stacklevel=1,
        )
    for item in result["incomplete"]:
        if item["id"] == "color-contrast":  # axe could not tell where boxes overlap: measure it here
            ratios = [contrast_of(page, node["target"][-1], contrast_ratio) for node in item["nodes"]]
            low = [(n["target"], r) for n, r in zip(item["nodes"], ratios, strict=True) if r < MIN_CONTRAST]
            assert not low, f"{rel} ({viewport}): för låg kontrast {low}"
            detail = f"mätt här i stället: minst {min(ratios):.1f}:1"
        else:
            detail = "granskas för hand"
        warnings.warn(
            AxeNotice(f"{rel} ({viewport}): axe kunde inte avgöra, {detail}: {_describe(item)}"), stacklevel=1
        )


LANDMARK_RULES = ["region", "landmark-one-main", "landmark-unique", "landmark-no-duplicate-contentinfo"]


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("rel", PAGES)
def test_everything_sits_in_a_landmark(visit, rel: str, viewport: str) -> None:
    """axe's landmark rules (best practice, not WCAG tags): the preview notice included."""
    page = visit(rel, viewport).page
    options = {"runOnly": {"type": "rule", "values": LANDMARK_RULES}}
    result = Axe().run(page, options=options).response
    assert not result["violations"], f"{rel} ({viewport}): " + "; ".join(map(_describe, result["violations"]))


CHARTS = """async () => {
    const imgs = [...document.querySelectorAll('picture.chart img')];
    await Promise.all(imgs.map(i => i.decode().catch(() => null)));
    return imgs.map(i => {
        const column = i.closest('main');
        const style = getComputedStyle(column);
        const inner = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        const phone = matchMedia('(max-width: 47.99rem)').matches;
        const share = parseFloat(getComputedStyle(i.closest('picture'))
            .getPropertyValue(phone ? '--sn-share-mobil' : '--sn-share-dator')) || 1;
        return {src: i.currentSrc, width: i.getBoundingClientRect().width, column: inner, share: share,
                figure: i.closest('figure') ? i.closest('figure').getBoundingClientRect().width : inner};
    });
}"""


def svg_text_px(svg: str, shown_width: float, largest: bool = False) -> float:
    """The smallest (or largest) text of an SVG drawn ``shown_width`` CSS px wide, in CSS px."""
    width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
    sizes = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    assert sizes, "diagrammet har ingen text"
    return (max(sizes) if largest else min(sizes)) * shown_width / width


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_charts_fill_the_column_with_text_of_at_least_12_px(visit, viewport: str) -> None:
    """Issue 11: on a 390 px phone and a 1366 px desktop, each chart is SVG, fills its column and its
    smallest text is 12 CSS px or more. Issue 18: a drawing narrower than its layout (the square risk
    matrix) takes only its share of the column, and its largest text (the risks' numbers, in the body size)
    is within 15 % of the other charts' largest (it was drawn twice as large before)."""
    page = visit("index.html", viewport).page
    charts = page.evaluate(CHARTS)
    assert len(charts) >= 5, "artikeln ska ha sina diagram"
    for chart in charts:
        where = f"{viewport}: {chart['src'].rsplit('/', 1)[-1]}"
        response = page.request.get(chart["src"])
        assert response.ok and response.headers["content-type"].startswith("image/svg+xml"), where
        assert chart["width"] >= 0.98 * chart["share"] * chart["column"], (
            f"{where}: {chart['width']:.0f} av {chart['column']:.0f} px"
        )
        smallest = svg_text_px(response.text(), chart["width"])
        assert smallest >= 12, f"{where}: minsta text {smallest:.1f} px"
        chart["largest"] = svg_text_px(response.text(), chart["width"], largest=True)
    full = [c["largest"] for c in charts if c["share"] == 1]
    for chart in charts:
        assert chart["largest"] <= 1.15 * max(full), (
            f"{viewport}: text {chart['largest']:.0f} px, övriga högst {max(full):.0f} px"
        )


def test_phone_and_desktop_get_their_own_drawing(visit) -> None:
    phone = {c["src"] for c in visit("index.html", "mobil").page.evaluate(CHARTS)}
    desktop = {c["src"] for c in visit("index.html", "dator").page.evaluate(CHARTS)}
    assert phone and desktop and not phone & desktop


COLOURS = """(selector) => {
    const el = document.querySelector(selector);
    let background = 'rgb(255, 255, 255)';
    for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        if (c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) { background = c; break; }
    }
    return [getComputedStyle(el).color, background];
}"""
MIN_CONTRAST = 4.5  # WCAG 1.4.3 for normal text; every flagged node here is small table text


def contrast_of(page: Page, selector: str, ratio: Callable[[str, str], float]) -> float:
    """Contrast ratio between an element's text colour and the nearest background colour behind it."""
    return ratio(*page.evaluate(COLOURS, selector))


# --- Open data: the CSV beside each table ------------------------------------------------------------

# A table whose year's data are missing (class sn-saknas) says so and has no figures: no CSV, no link.
TABLE_DATA = """(linkText) => {
    const tables = [...document.querySelectorAll('table:not(.sn-saknas)')];
    const links = [...document.querySelectorAll('a')].filter(a => a.textContent.trim().startsWith(linkText));
    links.forEach((a, i) => { a.dataset.csvLink = String(i); });
    const after = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    const found = tables.map((table, i) => {
        const next = tables[i + 1];
        const link = links.find(a => after(table, a) && (!next || after(a, next)));
        const rows = [...table.tBodies].flatMap(b => [...b.rows])
            .filter(r => !(r.cells.length === 1 && r.cells[0].colSpan > 1))
            .map(r => [...r.cells].map(c => c.textContent.trim()));
        return {id: table.closest('[id]') ? table.closest('[id]').id : String(i),
                headers: [...(table.tHead ? table.tHead.querySelectorAll('th') : [])].map(th => th.textContent.trim()),
                rows: rows, link: link ? link.getAttribute('href') : null, linkIndex: links.indexOf(link)};
    });
    return {tables: found, links: links.length};
}"""


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """A downloaded CSV: UTF-8, a header row, then the rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def assert_cell_matches(shown: str, value: str, column: str, unit: str | None, where: str) -> None:
    """A CSV field holds the table cell's figure with a decimal point, or its text; ``–`` is empty."""
    if shown == MISSING:
        assert value == "", f"{where}: {shown!r} ska vara tomt i CSV, är {value!r}"
        return
    quantity = parse_quantity(shown)
    if quantity is None:
        assert value == shown.replace(NBSP, " "), f"{where}: texten {shown!r} blev {value!r}"
        return
    assert "," not in value and "\u2212" not in value and NBSP not in value, f"{where}: {value!r}"
    assert float(value) == float(quantity.value), f"{where}: tabellen visar {shown!r}, CSV har {value!r}"
    shown_unit = quantity.unit
    if shown_unit:
        assert shown_unit in column or unit == shown_unit, f"{where}: enheten {shown_unit!r} saknas i CSV"


def compare_with_table(table: dict, header: list[str], rows: list[list[str]], where: str) -> None:
    """The CSV has the table's columns (plus unit columns), its rows, and the same figures."""
    for text in table["headers"]:
        assert any(text.replace(NBSP, " ") in name for name in header), f"{where}: rubriken {text!r} saknas"
    unit_columns = {i for i, name in enumerate(header) if name.endswith(f", {UNIT_COLUMN}")}
    data_columns = [i for i in range(len(header)) if i not in unit_columns]
    assert len(rows) == len(table["rows"]), (
        f"{where}: {len(rows)} rader i CSV, {len(table['rows'])} i tabellen"
    )
    for r, (shown_row, csv_row) in enumerate(zip(table["rows"], rows, strict=True)):
        assert len(csv_row) == len(header), f"{where}, rad {r + 1}: fel antal fält"
        offset = len(data_columns) - len(shown_row)  # 1 where row groups became a first column "Grupp"
        assert offset == 0 or (offset == 1 and header[0] == "Grupp"), (
            f"{where}, rad {r + 1}: kolumnerna stämmer inte"
        )
        for shown, index in zip(shown_row, data_columns[offset:], strict=True):
            unit = csv_row[index + 1] if index + 1 in unit_columns else None
            assert_cell_matches(shown, csv_row[index], header[index], unit, f"{where}, rad {r + 1}")


@pytest.mark.parametrize("rel", PAGES)
def test_every_table_has_a_csv_link_that_gives_its_figures(visit, rel: str, tmp_path: Path) -> None:
    page = visit(rel).page
    found = page.evaluate(TABLE_DATA, LINK_TEXT)
    tables = found["tables"]
    assert found["links"] == len(tables), f"{rel}: {found['links']} CSV-länkar men {len(tables)} tabeller"
    for number, table in enumerate(tables):
        where = f"{rel}, {table['id']}"
        assert table["link"], f"{where}: ingen länk '{LINK_TEXT}' efter tabellen"
        assert table["link"].endswith(".csv") and "//" not in table["link"], f"{where}: {table['link']}"
        link = page.locator(f'a[data-csv-link="{table["linkIndex"]}"]')
        if number == 0:  # a reader's click; Chromium stops a page's downloads after about ten
            with page.expect_download() as download:
                link.click()
            path = Path(download.value.path())
        else:  # the same link, resolved by the browser against the page, fetched directly
            response = page.request.get(link.evaluate("a => a.href"))
            assert response.ok, f"{where}: {table['link']} gav {response.status}"
            path = tmp_path / f"{number}.csv"
            path.write_bytes(response.body())
        assert path.read_bytes()[:3] != b"\xef\xbb\xbf", f"{where}: CSV ska vara UTF-8 utan BOM"
        header, rows = read_csv(path)
        compare_with_table(table, header, rows, where)


@pytest.mark.parametrize("rel", PAGES)
def test_every_csv_link_has_the_tables_sheet_for_excel_beside_it(visit, rel: str, preview: Path) -> None:
    """Issue 18: a double-click on the Excel link opens the table right in Swedish Excel (an .xlsx of one
    sheet: caption and unit, headers, numbers as numbers); the CSV beside it is for programs."""
    from openpyxl import load_workbook

    links = visit(rel).page.evaluate(
        "() => [...document.querySelectorAll('a[href*=\"downloads/tbl-\"]')].map(a => [a.textContent.trim(), a.getAttribute('href')])"
    )
    csv_links = {
        href.rsplit("/", 1)[-1][: -len(".csv")]: text for text, href in links if href.endswith(".csv")
    }
    excel = {href.rsplit("/", 1)[-1][: -len(".xlsx")]: text for text, href in links if href.endswith(".xlsx")}
    assert set(csv_links) == set(excel), f"{rel}: CSV utan Excel eller tvärtom"
    for label, text in excel.items():
        assert text.startswith(f"{EXCEL_LINK_TEXT} (XLSX, ") and csv_links[label].startswith(
            f"{LINK_TEXT} (CSV, "
        )
        sheet = load_workbook(preview / "downloads" / f"{label}.xlsx", read_only=True)
        assert len(sheet.sheetnames) == 1, label
        header, _ = read_csv(preview / "downloads" / f"{label}.csv")
        rows = list(sheet.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True))
        assert [str(v) for v in rows[0]] == header, label


def test_sick_leave_csv_has_the_hand_checked_figures(preview: Path) -> None:
    header, rows = read_csv(preview / "downloads" / "tbl-sjukfranvaro.csv")
    # Checked by hand against the source: total sick leave 6,1 % in 2023, 7,0 % in 2022, −0,9 p.e.
    totalt = dict(zip(header, next(r for r in rows if r[0] == "Totalt"), strict=True))
    assert totalt["2023 (%)"] == "6.1" and totalt["2022 (%)"] == "7.0"
    assert totalt["Förändring (p.e.)"] == "-0.9"


# --- The charts as Quarto carries them (both drawings inside the page) ----------------------------------


@pytest.fixture(scope="module")
def charts() -> dict[str, object]:
    """Every chart of the report year, drawn from the data as the notebooks draw them."""
    ar = 2023
    areas = ekonomi.result_per_area(data.load("driftredovisning"), data.load("omraden"), ar)
    return {
        "sjukfranvaro": figures.sjukfranvaro_chart(data.load("sjukfranvaro"), ar),
        "driftredovisning": figures.result_per_area_chart(areas, ar),
        "riskmatris": figures.risk_matrix_chart(data.load("internkontroll_risker"), ar),
    }


def _screenshot_of(page: Page, markup: str) -> bytes:
    page.set_content(f'<body style="margin:0;background:#fff">{markup}</body>')
    page.wait_for_function("Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    return page.locator("img").screenshot()


def test_a_compacted_drawing_looks_like_matplotlibs_own(browser: Browser, charts) -> None:
    """Issue 11: making the SVG small (no ids, groups or per-text fonts) changes no pixel a reader sees."""
    import io

    import matplotlib
    from PIL import Image, ImageChops

    from servicenamnden.present import chart as chart_module

    page = browser.new_page(viewport={"width": 900, "height": 900})
    for name, chart in charts.items():
        buffer = io.StringIO()
        with matplotlib.rc_context(chart_module.STYLE):
            chart.figure.savefig(buffer, format="svg", bbox_inches="tight", pad_inches=0.05)
        shots = [
            Image.open(io.BytesIO(_screenshot_of(page, f'<img src="{data_uri(text)}" width="800">'))).convert(
                "L"
            )
            for text in (buffer.getvalue(), chart.svg())
        ]
        assert shots[0].size == shots[1].size, name
        difference = ImageChops.difference(*shots)
        strong = sum(count for value, count in enumerate(difference.histogram()) if value > 64)
        assert strong <= 0.002 * shots[0].width * shots[0].height, f"{name}: {strong} px differ"
    page.close()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_charts_inside_the_page_show_the_drawing_for_the_screen(browser: Browser, charts, viewport) -> None:
    """As Quarto writes them (data URIs in a <picture>): each chart decodes, and the phone gets the phone
    drawing, the desktop the desktop one."""
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    for name, chart in charts.items():
        page.set_content(f"<main>{chart.html()}</main>")
        page.wait_for_function("document.images[0].complete")
        shown = page.evaluate("[document.images[0].currentSrc, document.images[0].naturalWidth]")
        expected = chart.svg(figures.PHONE if viewport == "mobil" else figures.DESKTOP)
        assert shown[1] > 0, f"{name}: the drawing does not decode"
        assert shown[0] == data_uri(expected), f"{name} ({viewport}): the wrong drawing"
    page.close()
