"""The provenance of the article tables' figures (issue 20): a record per cell, a page per table, links.

Each numeric cell of an article table (:mod:`servicenamnden.present.tables.provenance`) becomes one
record beside the prose's figures (the same fields, so ``downloads/harledning.csv`` and the workbook's
sheet gain a row per cell, its place given as table label, row and column). In the site, the cell's
figure becomes a plain link to its block on the table's provenance page (``harledning/LABEL.html#rIcJ``:
row I of the frame, its J-th data cell) rather than a popover of its own: a table of a hundred figures
would otherwise carry a hundred popovers (the page-weight budget). The page shows, per cell, what a prose
popover shows: the value unrounded with its unit, what it is, each data row as a link to its row on the
data file's page, and the avstämningar.
The post-render step and the preview call :func:`finish_site` on the written HTML, after the popovers.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from servicenamnden.render import harledning_checks
from servicenamnden.render.harledning import (
    DATA_PAGES,
    PROVENANCE_PAGES,
    TEXT_PAGE,
    checks_html,
    popover_id,
    rows_html,
    traced_fields,
    value_text,
)
from servicenamnden.render.harledning_checks import counts_checks

if TYPE_CHECKING:  # the post-render step writes the pages from the records and loads no pandas: issue 18
    import pandas as pd

PAGES = PROVENANCE_PAGES  # the site's folder of the tables' provenance pages
NOTEBOOKS = "notebooks"  # the site's folder of the notebooks' pages
KIND = "Härledning"  # what the preview's page says it is, under its title
TABLE_KEY = "tabell"  # a record of a table cell carries its table's label under this key
PAGE_KEY = "notebook"  # … and the notebook (stem) whose page shows it, where the article does not
CHART_KEY = "diagram"  # … and there the chart whose values it holds (a link under the chart leads to it)
VALUES_LINK = "Diagrammets värden i en tabell, där varje tal visar var det kommer ifrån"
ARTICLE_TABLE = re.compile(r"embed\s+[^#\s]+#(tbl-[\w-]+)")
ARTICLE_CHART = re.compile(r"embed\s+[^#\s]+#(fig-[\w-]+)")
# A cell's link carries no class (a table of a hundred figures: every byte counts); the shared stylesheet
# (assets/tables.css) finds it by its target.
LINK = re.compile(r'<a href="' + PAGES + r'/[^"#]*#r\d+c\d+">(.*?)</a>', re.S)
PAGE_STYLE = (
    "section{border-top:1px solid #bbb;padding:.4rem 0}section:target{background:#ffe58a;"
    "outline:3px solid #7a5a00}section h2{font-size:1.05rem;margin:.2rem 0}section ul{margin:.2rem 0}"
    "section p{margin:.2rem 0}"
)
TBODY = re.compile(r"<tbody\b[^>]*>(.*?)</tbody>", re.S)
ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
DATA_CELL = re.compile(r"(<td\b[^>]*>)(.*?)(</td>)", re.S)


def article_tables(qmd: str) -> list[str]:
    """The labels of the registry's tables the article embeds, in its order, each once (the appendix's
    tables of avstämningar are built by the checks themselves, not by the registry: their cells'
    provenance is :mod:`.harledning_avstamningar`'s)."""
    from servicenamnden.present.tables import registry

    return [label for label in dict.fromkeys(ARTICLE_TABLE.findall(qmd)) if label in registry.ENTRIES]


def chart_tables(qmd: str) -> list[str]:
    """The tables of the values of the charts the article ``qmd`` embeds that the article does not embed
    itself: they stand on their notebook pages, linked under the chart (``registry.CHART_VALUES``)."""
    from servicenamnden.present.tables import registry

    embedded = set(ARTICLE_TABLE.findall(qmd))
    charts = dict.fromkeys(ARTICLE_CHART.findall(qmd))
    return [
        registry.CHART_VALUES[c]
        for c in charts
        if c in registry.CHART_VALUES and registry.CHART_VALUES[c] not in embedded
    ]


def article_records(
    qmd: str, notebooks: list[Path], ar: int, checks: list | None = None, claims: dict | None = None
) -> list[dict]:
    """The records of every traced cell of the tables the article ``qmd`` embeds, then of the tables of its
    charts' values on the notebook pages, each with its table's caption from ``notebooks`` (the pre-render
    step and the preview); the appendix's tables of avstämningar last (:mod:`.harledning_avstamningar`)."""
    from servicenamnden.render import harledning_avstamningar
    from servicenamnden.render.downloads import table_cells

    cells = table_cells(notebooks)
    found = {label: caption for label, (caption, _) in cells.items()}
    embedded = list(dict.fromkeys(ARTICLE_TABLE.findall(qmd)))
    elsewhere = chart_tables(qmd)
    pages = {label: cells[label][1].stem for label in elsewhere if label in cells}
    return records(
        article_tables(qmd) + elsewhere, ar, checks, claims, captions=found, pages=pages
    ) + harledning_avstamningar.records(embedded, list(checks or []), claims or {}, found)


def records(
    labels: list[str],
    ar: int,
    checks: list | None = None,
    claims: dict | None = None,
    data: Mapping[str, pd.DataFrame] | None = None,
    captions: Mapping[str, str] | None = None,
    pages: Mapping[str, str] | None = None,
) -> list[dict]:
    """One record per traced numeric cell of the tables ``labels``, with the avstämningar that compute its
    quantity (:mod:`.harledning_checks`, as for the prose); ``pages``: label → the notebook (stem) whose
    page shows a table the article does not (a chart's values: the record names the chart)."""
    from servicenamnden.present.tables import provenance, registry

    chart_of = {table: chart for chart, table in registry.CHART_VALUES.items()}
    source = registry.FolderData() if data is None else data
    cells: list[provenance.TracedCell] = []
    table_ids: dict[str, str] = {}
    positions: dict[str, dict[str, int]] = {}
    for label in labels:
        table, traced = provenance.traced_table(label, source, ar)
        if table is not None:
            cells.extend(provenance.cell_list(label, table, traced))
            table_ids[label] = table.table_id
            positions[label] = {c.key: i for i, c in enumerate(table.columns)}
    involved = harledning_checks.involved({c.ident: c.traced for c in cells}, checks or [])
    return [
        {
            "id": c.ident,
            "avsnitt": f"{c.label}: {c.row_label}, {c.column_label}",
            "visas": c.shown,
            **traced_fields(c.traced),
            "kontroller": [harledning_checks.check_record(k, claims or {}) for k in involved[c.ident]],
            TABLE_KEY: c.label,
            "rad": c.row,
            "kolumn": c.column,
            "anker": f"r{c.row}c{positions[c.label][c.column]}",
            "tabell_id": table_ids[c.label],
            "rubrik": (captions or {}).get(c.label, ""),
            PAGE_KEY: (pages or {}).get(c.label, ""),
            CHART_KEY: chart_of.get(c.label, "") if (pages or {}).get(c.label) else "",
        }
        for c in cells
    ]


def by_table(found: list[dict]) -> dict[str, list[dict]]:
    """The table cells' records by table label, in the article's order."""
    out: dict[str, list[dict]] = {}
    for record in found:
        if TABLE_KEY in record:
            out.setdefault(record[TABLE_KEY], []).append(record)
    return out


def page_href(label: str, href: str = f"{PAGES}/") -> str:
    return f"{href}{label}.html"


# --- The article: each traced cell a link --------------------------------------------------------------


def linked_table(table_html: str, cells: list[dict], target: str) -> str:
    """One table's HTML with each traced cell's figure a link to its block on ``target``: row I's J-th data
    cell for the anchor ``rIcJ`` (the stub is a header cell, not counted)."""
    wanted = {(r["rad"], int(r["anker"].split("c")[1])): r["anker"] for r in cells}
    body = TBODY.search(table_html)
    if not body:
        return table_html
    row_index = itertools.count()

    def row(match: re.Match) -> str:
        i = next(row_index)
        column_index = itertools.count()

        def cell(m: re.Match) -> str:
            anchor = wanted.get((i, next(column_index)))
            if anchor is None:
                return m.group(0)
            return f'{m.group(1)}<a href="{target}#{anchor}">{m.group(2)}</a>{m.group(3)}'

        return match.group(0).replace(match.group(1), DATA_CELL.sub(cell, match.group(1)), 1)

    linked = ROW.sub(row, body.group(1))
    return table_html[: body.start(1)] + linked + table_html[body.end(1) :]


def with_cell_links(page: str, found: list[dict], href: str = f"{PAGES}/") -> str:
    """``page`` with the traced cells of each article table as links to their provenance blocks."""
    for label, cells in by_table(found).items():
        start = page.find(f'id="{cells[0]["tabell_id"]}"')
        if start < 0:
            continue
        end = page.find("</table>", start)
        if end < 0:
            continue
        linked = linked_table(page[start:end], cells, page_href(label, href))
        page = page[:start] + linked + page[end:]
    return page


def with_chart_table_links(page: str, tables: dict[str, list[dict]], notebook_page: str) -> str:
    """``page`` with a link under each chart whose table of values stands on a notebook page: to that table."""
    for label, cells in tables.items():
        chart, notebook = cells[0].get(CHART_KEY), cells[0].get(PAGE_KEY)
        start = page.find(f'id="{chart}"') if chart and notebook else -1
        end = page.find("</figure>", start) if start >= 0 else -1
        if end < 0:
            continue
        end += len("</figure>")
        href = f"{notebook_page.format(notebook)}#{label}"
        page = f'{page[:end]}<p class="diagramvarden"><a href="{href}">{VALUES_LINK}</a></p>{page[end:]}'
    return page


def without_cell_links(page: str) -> str:
    """``page`` without the cells' links (what they weigh is the difference)."""
    return LINK.sub(r"\1", page)


# --- The tables' provenance pages ---------------------------------------------------------------------


def block(record: dict, data_href: str, checks_href: str, anchor: str = "", heading: str = "") -> str:
    """One figure's provenance on a provenance page: where it stands, the value unrounded, the rule, the
    rows and its avstämningar in full; a table cell's by default, a prose figure's with its popover's id
    and the sentence's words as ``anchor`` and ``heading``."""
    place = html.escape(heading or record["avsnitt"].split(": ", 1)[1])
    return (
        f'<section id="{anchor or record["anker"]}" tabindex="-1"><h2>{place}: {html.escape(record["visas"])}</h2>'
        f"<p>{value_text(record)}. {html.escape(record['beskrivning'][:1].upper() + record['beskrivning'][1:])}.</p>"
        f"{rows_html(record, data_href, checks_href)}{checks_html(record, checks_href)}</section>"
    )


def body(label: str, cells: list[dict], article: str, data_href: str, checks_href: str) -> str:
    """What a table's provenance page says: how to read it, then a block per cell. ``article`` is the page
    the table stands on (the article, or a chart's table's notebook page)."""
    where = "på notebooksidan" if cells[0].get(PAGE_KEY) else "i rapporten"
    return (
        f"<style>{PAGE_STYLE}</style>"
        f'<p><a href="{article}#{label}">Tillbaka till tabellen {where}</a></p>'
        "<p>Varje tal i tabellen, oavrundat och med sin enhet, vad det är och vilka rader i vilka datafiler "
        "det är räknat ur; varje rad är en länk till raden på datafilens sida.</p>"
        + "".join(block(r, data_href, checks_href) for r in cells)
    )


def text_body(found: list[dict], article: str, data_href: str, checks_href: str) -> str:
    """The text's provenance page: a block per prose figure that has avstämningar, under its popover's id,
    so that a popover's short list of checks can link the whole list with explanations."""
    blocks = [
        block(r, data_href, checks_href, popover_id(n), r["avsnitt"] or "Texten")
        for n, r in enumerate(found)
        if TABLE_KEY not in r and (r.get("kontroller") or counts_checks(r))
    ]
    return (
        f"<style>{PAGE_STYLE}</style>"
        f'<p><a href="{article}">Tillbaka till rapporten</a></p>'
        "<p>Talen i rapportens text som har avstämningar: varje tal oavrundat och med sin enhet, vilka rader "
        "det är räknat ur och varje avstämning med sin status och förklaring, med länk till bilagans rad. "
        "Där talet räknar avstämningar är raderna avstämningarna själva, var och en med länk till sin rad i "
        "bilagans fullständiga lista.</p>" + "".join(blocks)
    )


def title(label: str, caption: str = "") -> str:
    """The page's title: the table's caption where known (``Härledning: Resultaträkning (mnkr)``)."""
    return f"Härledning: {caption}" if caption else f"Härledning av tabellen {label}"


def standalone(title_text: str, content: str) -> str:
    """A standalone page (the site Quarto built), as the data files' pages are."""
    return (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title_text)}</title><style>body{{font-family:system-ui,sans-serif;"
        "margin:1rem auto;max-width:60rem;padding:0 1rem;color:#111}a{color:#0b4f8a}</style></head><body>"
        f"<main><h1>{html.escape(title_text)}</h1>{content}</main></body></html>\n"
    )


def finish_site(
    site: Path,
    article_page: str,
    found: list[dict],
    wrap: Callable[..., str] | None = None,
    checks_href: str = "",
    notebook_page: str = "notebooks/{}.html",
) -> None:
    """The traced table cells of the article and of the notebook pages as links, a link under each chart
    whose table of values stands on its notebook page (``notebook_page`` names it by the notebook's stem),
    and a provenance page per table (``harledning/``): standalone, or each (title, body) wrapped by
    ``wrap`` in the site's own page (the preview)."""
    tables = by_table(found)
    (site / PAGES).mkdir(parents=True, exist_ok=True)
    content = text_body(found, f"../{article_page}", f"../{DATA_PAGES}/", f"../{checks_href}")
    name = "Härledning: talen i texten"
    (site / TEXT_PAGE).write_text(wrap(name, content, KIND) if wrap else standalone(name, content), "utf-8")
    if not tables:
        return
    path = site / article_page
    article = with_cell_links(path.read_text(encoding="utf-8"), found)
    path.write_text(with_chart_table_links(article, tables, notebook_page), encoding="utf-8")
    for page in sorted((site / NOTEBOOKS).glob("*.html")):  # the same tables there, and the charts' own
        page.write_text(with_cell_links(page.read_text(encoding="utf-8"), found, f"../{PAGES}/"), "utf-8")
    (site / PAGES).mkdir(parents=True, exist_ok=True)
    for label, cells in tables.items():
        stands = notebook_page.format(cells[0][PAGE_KEY]) if cells[0].get(PAGE_KEY) else article_page
        content = body(label, cells, f"../{stands}", f"../{DATA_PAGES}/", f"../{checks_href}")
        name = title(label, cells[0].get("rubrik", ""))
        text = wrap(name, content, KIND) if wrap else standalone(name, content)
        (site / PAGES / f"{label}.html").write_text(text, encoding="utf-8")
