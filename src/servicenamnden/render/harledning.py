"""The provenance of the article's figures (issue 20): the file, the open data and the popovers.

Each traced prose figure reaches the page as ``<span class="hv" data-v="resultat.resultat">…</span>``
(Quarto makes that of the Markdown span the value inserts; the preview does the same). The pre-render
step writes what every figure is computed from (:func:`write_files`: ``_build/harledning.json`` and
``downloads/harledning.csv``); the post-render step and the preview turn each span into a button that
opens a popover (the HTML ``popover`` attribute: no script) with the unrounded value, its rule and a
link to each data row on the data file's page (:mod:`servicenamnden.render.datafiler`).
What only the pre-render step does (records, checks, data) imports its libraries inside its functions:
the post-render step imports this module and must not load pandas (issue 18, ``tests/test_postrender.py``).
"""

from __future__ import annotations

import csv
import html
import json
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from servicenamnden.io.text import neutralised
from servicenamnden.present import fmt
from servicenamnden.present.inline import TRACED_CLASS
from servicenamnden.reconcile.checks_file import CHECKS_FILE
from servicenamnden.render import harledning_checks
from servicenamnden.render.harledning_checks import (
    CHECKS_TABLE,
    anchor_checks,
    counted_rows,
    counts_checks,
    only_checks,
)

if TYPE_CHECKING:  # the post-render step reads the records as JSON and loads no pandas: issue 18
    from servicenamnden.domain.provenance import Traced

JSON_PATH = Path("_build") / "harledning.json"
CSV_NAME = "harledning.csv"
DATA_PAGES = "datafiler"  # the site's folder of data-file pages
# The text's figures in full (their checks with explanation and link): a block each, ``#hv-N`` as their
# popover; beside the tables' provenance pages (render/harledning_tabeller.py).
PROVENANCE_PAGES = "harledning"  # the site's folder of provenance pages (the text's, a table's each)
TEXT_PAGE = f"{PROVENANCE_PAGES}/text.html"
# A notebook's page in the site by its file's stem: Quarto names it ``-preview``, the preview does not.
NOTEBOOK_PAGE = "notebooks/{}-preview.html"
PREVIEW_NOTEBOOK_PAGE = "notebooks/{}.html"
CHECKS_PAGE = NOTEBOOK_PAGE.format("datakontroller")
PREVIEW_CHECKS_PAGE = PREVIEW_NOTEBOOK_PAGE.format("datakontroller")
INLINE = re.compile(r"\{\{<\s*v\s+(\w+)\.(\w+)\s*>\}\}")  # {{< v group.key >}}, kontroll.* too
MD_SPAN = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\{\." + TRACED_CLASS + r' data-v="([\w.]+)"\}')
HTML_SPAN = re.compile(r'<span class="' + TRACED_CLASS + r'" data-v="([\w.]+)">(.*?)</span>', re.S)
PART_WORDS = {
    "taljare": "täljare",
    "namnare": "nämnare",
    "nytt": "nytt",
    "gammalt": "gammalt",
    "bas": "bas",
    "faktor": "faktor",
    "verkligt": "verkligt",
    "utfall": "utfall",
    "mal": "mål",
}
# A unit as the popover states it after the value: the data's codes in words, counts without a unit.
UNIT_WORDS = {
    "procent": "%",
    "antal": "",
    "-": "",
    "ar": "år",
    "manader": "månader",
    "arsarbetskrafter": "årsarbetskrafter",
    "kg CO2e/kg": "kg CO\u2082e/kg",
}
UNROUNDED_DECIMALS = 10  # an unrounded figure's decimals at most: beyond them is float noise
CSV_COLUMNS = ("id", "avsnitt", "visas", "varde", "enhet", "regel", "beskrivning", "data", "avstamningar")
SHEET = "harledning"  # the provenance's sheet in the workbook of all tables
SHEET_CAPTION = "Härledning: varje beräknat tal i rapportens text, med regel, datarader och avstämningar"


def sections_of(qmd: str) -> dict[str, str]:
    """``group.key`` → the title of the article section where it first stands."""
    from servicenamnden.render.markdown import HEADING, heading_parts

    found: dict[str, str] = {}
    section = ""
    for line in qmd.splitlines():
        heading = HEADING.match(line)
        if heading:
            section = heading_parts(heading.group(2))[0]
        for group, key in INLINE.findall(line):
            found.setdefault(f"{group}.{key}", section)
    return found


def cell_record(traced: Traced) -> list[dict]:
    """The cells of a figure as records: file, key, column, value, sign, part, row id."""
    return [
        {
            "fil": t.cell.fil,
            "nyckel": dict(t.cell.nyckel),
            "kolumn": t.cell.kolumn,
            "varde": t.value,
            "tecken": t.sign,
            "del": t.part,
            "rad_id": harledning_checks.row_anchor(t.cell),
        }
        for t in traced.terms
    ]


def traced_fields(traced: Traced) -> dict:
    """How a figure is computed, as every record says it (prose and table cells alike): the value unrounded
    (a list's or range's numbers instead), unit, rule and a computed part's rule, in words, divisor, cells."""
    return {
        "varde": without_noise(traced.value) if math.isfinite(traced.value) else None,
        "varden": [without_noise(x) for x in traced.values],
        "enhet": traced.unit,
        "regel": traced.rule,
        "delregel": traced.inner,
        "beskrivning": traced.description,
        "delare": traced.divisor,
        "celler": cell_record(traced),
    }


def records(values: object, qmd: str, checks: list | None = None, claims: dict | None = None) -> list[dict]:
    """One record per traced figure the article uses, in the order it first stands, with the avstämningar
    that compute its quantity (:mod:`.harledning_checks`). A count of avstämningar (its rows are checks,
    :class:`.artikelvarden.ArticleValues`' ``kontroll``) is no quantity a check computes."""
    traced = values.harledning()  # type: ignore[attr-defined]
    quantities = {k: t for k, t in traced.items() if not only_checks([c.fil for c in t.cells])}
    involved = harledning_checks.involved(quantities, checks or [])
    out = []
    for ident, section in sections_of(qmd).items():
        if ident not in traced:
            continue
        group, key = ident.split(".")
        t = traced[ident]
        out.append(
            {
                "id": ident,
                "avsnitt": section,
                "visas": str(getattr(getattr(values, group), key)).replace("\\", ""),
                **traced_fields(t),
                "kontroller": [
                    harledning_checks.check_record(c, claims or {}) for c in involved.get(ident, [])
                ],
            }
        )
    return out


def without_noise(value: float) -> float:
    """``value`` to ten decimals, as the popover states it: a sum of binary fractions such as
    ``-5.200000000000001`` is the figure ``-5.2``."""
    return round(value, UNROUNDED_DECIMALS) if math.isfinite(value) else value


def data_text(record: dict) -> str:
    """A figure's cells in one line for the CSV: ``fil.csv: nyckel; kolumn`` joined by `` | ``."""
    return " | ".join(
        f"{'−' if c['tecken'] < 0 else ''}{c['fil']}.csv: "
        + ", ".join(f"{k} {v}" for k, v in c["nyckel"].items())
        + f"; {c['kolumn']}"
        + (f" ({part_word(c['del'])})" if c["del"] else "")
        for c in record["celler"]
    )


def checks_text(record: dict) -> str:
    """A figure's avstämningar in one line: ``id (status)`` joined by `` | ``."""
    return " | ".join(f"{c['id']} ({c['status']})" for c in record.get("kontroller") or [])


def row_of(record: dict) -> list:
    """A figure as one row of the CSV and the workbook's sheet (the value a number; missing: empty)."""
    value = record["varde"]
    value = None if value is None or (isinstance(value, float) and math.isnan(value)) else value
    head = [record[c] for c in CSV_COLUMNS[:3]] + [value] + [record[c] for c in CSV_COLUMNS[4:7]]
    return [*head, data_text(record), checks_text(record)]


def sheet_payload(found: list[dict]) -> dict:
    """The provenance as a table of the workbook: its caption, header and rows."""
    return {"caption": SHEET_CAPTION, "header": list(CSV_COLUMNS), "rows": [row_of(r) for r in found]}


def write_files(
    values: object,
    qmd: str,
    root: Path,
    downloads: Path,
    checks: list | None = None,
    claims: dict | None = None,
    table_cells: list[dict] | None = None,
) -> list[dict]:
    """Write ``_build/harledning.json`` and ``downloads/harledning.csv``, and the provenance as a sheet of
    the workbook of all tables when the downloads have it (written before); returns the records. The
    tables' cells (:mod:`.harledning_tabeller`) follow the prose's figures."""
    from servicenamnden.present import opendata

    found = records(values, qmd, checks, claims) + list(table_cells or [])
    (root / JSON_PATH).parent.mkdir(parents=True, exist_ok=True)
    (root / JSON_PATH).write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    downloads.mkdir(parents=True, exist_ok=True)
    with (downloads / CSV_NAME).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        writer.writerows([neutralised(v) if isinstance(v, str) else v for v in row_of(r)] for r in found)
    if (downloads / opendata.WORKBOOK_NAME).exists():
        opendata.add_sheet(downloads / opendata.WORKBOOK_NAME, SHEET, sheet_payload(found))
    return found


def read_records(root: Path) -> list[dict]:
    """The records the pre-render step wrote; none when it has not run."""
    path = root / JSON_PATH
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


# --- The page ----------------------------------------------------------------------------------------


def markdown_spans_to_html(markdown: str) -> str:
    """The preview's Markdown: each traced figure's span as the HTML span Quarto makes of it."""
    return MD_SPAN.sub(
        lambda m: f'<span class="{TRACED_CLASS}" data-v="{m.group(2)}">{m.group(1)}</span>', markdown
    )


def without_spans(markdown: str) -> str:
    """Markdown with each traced figure's span as the text it shows (what the prose reads)."""
    return MD_SPAN.sub(lambda m: m.group(1), markdown)


def unrounded(value: float) -> str:
    """A value in Swedish notation with all the decimals it has (up to ten): ``−14,87``."""
    text = f"{value:.{UNROUNDED_DECIMALS}f}".rstrip("0").rstrip(".")
    decimals = len(text.partition(".")[2])
    return fmt.number(value, decimals)


def popover_id(position: int) -> str:
    """A popover's id: ``hv-`` and the position of its figure's record in the records given to
    :func:`with_popovers` (= in ``_build/harledning.json``); short, as every button names it too."""
    return f"hv-{position}"


def value_text(record: dict) -> str:
    """The value unrounded with its unit (``−14,87 mnkr``); a list's or a range's values one by one
    (``0; 20; 80; 100 %``, ``4,6875 till 5,3134962806 %``)."""
    unit = UNIT_WORDS.get(record["enhet"], record["enhet"])
    unit = f"\u00a0{html.escape(unit)}" if unit else ""
    if record["varde"] is None:
        between = " till " if record["regel"].startswith("spann") else "; "
        return between.join(unrounded(x) for x in record.get("varden") or []) + unit
    return f"{unrounded(record['varde'])}{unit} (oavrundat)"


def part_word(part: str) -> str:
    """A cell's part in the rule, in words; a group's name (an unweighted mean of groups) as ``grupp X``;
    a part of a computed part (a margin's outcome that is a share) as ``utfall, täljare``."""
    if "/" in part:
        outer, inner = part.split("/", 1)
        return f"{part_word(outer)}, {part_word(inner)}" if inner else part_word(outer)
    return PART_WORDS.get(part, f"grupp {part}")


def check_item(check: dict, checks_href: str) -> str:
    """One avstämning in the popover (not a matching claim: see :func:`same_figure_items`): a claim's by
    the source's section, the year's own by its description; its status, and why when it differs."""
    if check["kallans_avsnitt"]:
        label = f"källdokumentet, {check['kallans_avsnitt']}"
    else:
        label = check["beskrivning"]
    why = f". {html.escape(check['forklaring'])}" if check["forklaring"] else ""
    return f'<li><a href="{checks_href}#{check.get("anker", CHECKS_TABLE)}">{html.escape(label)}</a>: {html.escape(check["status"])}{why}</li>'


def same_figure_items(found: list[dict], checks_href: str) -> list[str]:
    """The sections of the source printing the same figure, one item per status with a link per section
    (``Samma tal i källdokumentet, stämmer: A, B``): the words once, not once a section (page weight)."""
    by_status: dict[str, list[str]] = {}
    for c in found:
        link = (
            f'<a href="{checks_href}#{c.get("anker", CHECKS_TABLE)}">{html.escape(c["kallans_avsnitt"])}</a>'
        )
        by_status.setdefault(c["status"], []).append(link)
    return [
        f"<li>Samma tal i källdokumentet, {html.escape(status)}: {', '.join(links)}</li>"
        for status, links in by_status.items()
    ]


def checks_html(record: dict, checks_href: str) -> str:
    """The avstämningar of a figure in the popover, each a link to its row in the complete list."""
    found = record.get("kontroller") or []
    if not found:
        return ""
    same = [c for c in found if c["samma_tal"]]
    items = same_figure_items(same, checks_href) + [
        check_item(c, checks_href) for c in found if not c["samma_tal"]
    ]
    return f"<p>Avstämningar:</p><ul>{''.join(items)}</ul>"


def checks_summary(record: dict, detail_href: str, checks_href: str) -> str:
    """The avstämningar of a figure in short, for its popover (page weight, issue 20): the source's sections
    that print the same figure with their status, the other checks counted by status. ``Avstämningar``
    links the complete list in the appendix; where there is more than matching sections (other checks,
    an explanation), a second link leads to the figure's block on the text's provenance page, where each
    check stands with its explanation and a link to its own row."""
    found = record.get("kontroller") or []
    if not found:
        return ""
    sections: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for c in found:
        if c["samma_tal"]:
            sections.setdefault(c["status"], []).append(html.escape(c["kallans_avsnitt"]))
        else:
            counts[c["status"]] = counts.get(c["status"], 0) + 1
    parts = [f"samma tal i källdokumentet ({', '.join(s)}): {html.escape(st)}" for st, s in sections.items()]
    if counts:
        counted = ", ".join(f"{n} {html.escape(st)}" for st, n in counts.items())
        parts.append(f"andra: {counted}" if parts else counted)
    more = counts or any(c["forklaring"] for c in found)
    detail = f' <a href="{detail_href}">Alla, med förklaring</a>' if more else ""
    return f'<p><a href="{checks_href}#{CHECKS_TABLE}">Avstämningar</a>: {"; ".join(parts)}.{detail}</p>'


def rows_html(record: dict, href: str, checks_href: str = CHECKS_PAGE) -> str:
    """A figure's data rows, each a link to its row on its file's page (``href`` the pages' folder), grouped
    by file and column (``driftredovisning.csv, kolumnen belopp_mnkr:`` then the rows' keys); a check (a
    count of avstämningar) links its row in the complete list (``checks_href``)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for c in record["celler"]:
        words = html.escape(", ".join(str(v) for v in c["nyckel"].values()))
        part = f" ({html.escape(part_word(c['del']))})" if c["del"] else ""
        sign = "minus " if c["tecken"] < 0 else ""
        page = checks_href if c["fil"] == CHECKS_FILE else f"{href}{c['fil']}.html"
        link = f'<a href="{page}#{c["rad_id"]}">{words}</a>'
        groups.setdefault((c["fil"], c["kolumn"]), []).append(f"<li>{sign}{link}{part}</li>")
    return "".join(
        f"<p>{html.escape(fil)}.csv, kolumnen {html.escape(kolumn)}:</p><ul>{''.join(items)}</ul>"
        for (fil, kolumn), items in groups.items()
    )


def popover(record: dict, ident: str, href: str, checks_href: str = "", detail_href: str = "") -> str:
    """The popover of one figure: value unrounded, what it is, and each data row as a link, grouped by
    file and column (``driftredovisning.csv, belopp_mnkr:`` then the rows' keys); its checks in full, or in
    short with a link to ``detail_href`` where one is given. Escape, a tap beside it or the figure again
    close it (the popover's light dismiss), so it carries no close button of its own (page weight). It is
    a plain popover (no dialog role, no label of its own: it opens with the word Härledning)."""
    rows = (
        counted_rows(record, detail_href, checks_href)
        if detail_href and counts_checks(record)
        else rows_html(record, href, checks_href)
    )
    checks = (
        checks_summary(record, detail_href, checks_href) if detail_href else checks_html(record, checks_href)
    )
    content = (
        f"<p><strong>Härledning</strong>: {value_text(record)}</p>"
        f"<p>{html.escape(record['beskrivning'][:1].upper() + record['beskrivning'][1:])}.</p>{rows}{checks}"
    )
    return f'<div id="{ident}" popover>{without_optional_end_tags(content)}</div>'


def without_optional_end_tags(content: str) -> str:
    """A popover's HTML without the end tags of paragraphs and list items, which HTML lets out (the same
    page for the browser, less to load: page weight, issue 20). Escaped text never holds a tag."""
    return content.replace("</li>", "").replace("</p>", "")


def same_content(record: dict) -> str:
    """What makes two figures' popovers the same: value, unit, rule and cells (not the name in the text)."""
    return json.dumps(
        [record[k] for k in ("varde", "enhet", "beskrivning", "celler")] + [record.get("kontroller")],
        sort_keys=True,
    )


HINT_ID = "hvh"  # every button names it: short (page weight)
HINT = f'<span id="{HINT_ID}" hidden>Visar var talet kommer ifrån</span>'


STYLE = (
    "<style>[popovertarget]{font:inherit;color:inherit;background:none;border:0;padding:0;margin:0;"
    "border-bottom:1px dotted currentColor;cursor:pointer}[popovertarget]:focus-visible{outline:2px solid;"
    "outline-offset:2px}.hv-rutor>div{max-width:min(32rem,92vw);padding:.75rem 1rem;border:1px solid #444;"
    "background:#fff;color:#111;font-size:.95rem}.hv-rutor ul{padding-left:1.2rem;margin:.25rem 0}"
    ".hv-rutor p{margin:0 0 .25rem}</style>"
)


def with_popovers(
    page: str,
    found: list[dict],
    href: str = f"{DATA_PAGES}/",
    checks_href: str = CHECKS_PAGE,
    detail_page: str = "",
) -> str:
    """``page`` with each traced span as a button opening its popover; figures with the same provenance
    share one popover; all popovers stand at the end of ``<main>`` (else of ``<body>``), ordered by their
    first data row so that alike ones are near (page weight, gzipped); a span without a record stays
    plain text. Screen readers hear the figure, then the hint that it shows where it comes from. With a
    ``detail_page`` (:data:`TEXT_PAGE`), a popover states its checks in short and links its block there."""
    by_id = {r["id"]: r for r in found}
    position = {r["id"]: n for n, r in enumerate(found)}
    shared: dict[str, str] = {}  # same_content → popover id
    boxes: list[tuple[tuple[str, str], str]] = []  # (first data row, popover)

    def button(match: re.Match) -> str:
        ident, text = match.group(1), match.group(2)
        if ident not in by_id:
            return text
        content = same_content(by_id[ident])
        if content not in shared:
            shared[content] = popover_id(position[ident])
            first = by_id[ident]["celler"][0]
            detail = f"{detail_page}#{shared[content]}" if detail_page else ""
            box = popover(by_id[ident], shared[content], href, checks_href, detail)
            boxes.append(((first["fil"], first["rad_id"]), box))
        # the same attribute first: gzip finds a longer repeat in every button (page weight)
        return f'<button aria-describedby="{HINT_ID}" popovertarget="{shared[content]}">{text}</button>'

    page = HTML_SPAN.sub(button, page)
    if not boxes:
        return page
    page = page.replace("</head>", STYLE + "</head>", 1)
    # Popovers of the same rows next to each other: what repeats within gzip's 32 kB window weighs little.
    block = (
        f'<div class="hv-rutor">{HINT}{"".join(box for _, box in sorted(boxes, key=lambda b: b[0]))}</div>'
    )
    end = "</main>" if "</main>" in page else "</body>"  # inside the main landmark where there is one
    at = page.rindex(end)
    return page[:at] + block + page[at:]


def without_popovers(page: str) -> str:
    """``page`` as it was before :func:`with_popovers`: each figure as its text, no popovers, no style
    (what the provenance weighs is the difference), and no links from the tables' cells."""
    from servicenamnden.render import harledning_tabeller

    page = harledning_tabeller.without_cell_links(page)
    page = re.sub(r"<button [^>]*popovertarget=[^>]*>(.*?)</button>", r"\1", page, flags=re.S)
    if '<div class="hv-rutor">' in page:
        start = page.index('<div class="hv-rutor">')
        end = page.index("</main>" if "</main>" in page[start:] else "</body>", start)
        page = page[:start] + page[end:]
    return page.replace(STYLE, "", 1)


def year_records(root: Path, article: Path, ar: int, downloads: Path) -> list[dict]:
    """Compute the year's figures and write their provenance (the pre-render step and the preview)."""
    from servicenamnden.reconcile import checks
    from servicenamnden.render import harledning_tabeller
    from servicenamnden.render.artikelvarden import article_values

    claims = {c.id: c for c in checks.read_claims()} if ar == checks.document_year() else {}
    text = article.read_text(encoding="utf-8")
    ran = checks.run_all(ar=ar)
    notebooks = sorted((root / "notebooks").glob("*.ipynb"))
    cells = harledning_tabeller.article_records(text, notebooks, ar, ran, claims)
    return write_files(article_values(ar), text, root, downloads, ran, claims, cells)


def finish_site(
    site: Path,
    article_page: str,
    found: list[dict],
    data_pages: Mapping[str, tuple[str, str]],
    wrap: Callable[..., str] | None = None,
    checks_href: str = CHECKS_PAGE,
    notebook_page: str = NOTEBOOK_PAGE,
) -> None:
    """The site's article with its popovers, and the data files' pages beside it (``datafiler/``), each
    (title, body) of ``data_pages`` (:func:`.datafiler.bodies`) as a standalone page, or wrapped by
    ``wrap`` in the site's own page (the preview); ``notebook_page`` names a notebook's page by its stem."""
    from servicenamnden.render import datafiler, harledning_tabeller

    anchor_checks(site / checks_href, found)
    path = site / article_page
    path.write_text(
        with_popovers(
            path.read_text(encoding="utf-8"), found, checks_href=checks_href, detail_page=TEXT_PAGE
        ),
        encoding="utf-8",
    )
    harledning_tabeller.finish_site(site, article_page, found, wrap, checks_href, notebook_page)
    if wrap is None:
        datafiler.write_standalone(site / DATA_PAGES, data_pages)
        return
    (site / DATA_PAGES).mkdir(parents=True, exist_ok=True)
    for name, (title, body) in data_pages.items():
        (site / DATA_PAGES / f"{name}.html").write_text(wrap(title, body), encoding="utf-8")
