"""Issue 20 in the built preview: figures taken at random from the page are recomputed from the very
rows their provenance names, by this test's own rules; and a reader opens one by keyboard and follows
its links to the rows."""

from __future__ import annotations

import csv
import html
import json
import random
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from servicenamnden.render import harledning

ROOT = Path(__file__).resolve().parents[1]
# A button names its popover by the position of the figure's record in _build/harledning.json.
BUTTON = re.compile(r'<button [^>]*popovertarget="hv-(\d+)"[^>]*>(.*?)</button>')
CELL_LINK = re.compile(r'<a href="harledning/(tbl-[\w-]+)\.html#(r\d+c\d+)">(.*?)</a>')
NOTEBOOK_CELL_LINK = re.compile(r'<a href="\.\./harledning/(tbl-[\w-]+)\.html#(r\d+c\d+)">(.*?)</a>')
NUMBER = re.compile(r"([+\u2212±]?)(\d[\d\u00a0 ]*)(?:,(\d+))?")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# A count of avstämningar names checks as its rows: rows of the complete list the site offers as CSV.
CHECKS = "avstamningar"
CHECKS_CSV = ROOT / "_preview" / "downloads" / f"{CHECKS}.csv"
# A count's condition names columns of the list and the values they must have, as the list writes them:
# ``slag ”Årets data”, familj ”Summor” och status ”Stämmer” eller ”Avviker”``.
CONDITION = re.compile(r"(\w+) ((?:”[^”]+”(?: eller )?)+)")


def rows_of(fil: str) -> list[dict]:
    """The rows of ``data/FILE.csv``, or of the site's complete list of avstämningar."""
    path = CHECKS_CSV if fil == CHECKS else ROOT / "data" / f"{fil}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_cell(cell: dict) -> float:
    """The cell's value read straight from ``data/FILE.csv`` by its key (this test's own reading); a check
    counts as one."""
    hits = [row for row in rows_of(cell["fil"]) if all(row[k] == v for k, v in cell["nyckel"].items())]
    assert len(hits) == 1, f"{cell['fil']}.csv: {len(hits)} rader har nyckeln {cell['nyckel']}"
    if cell["fil"] == CHECKS and cell["kolumn"] == "status":
        return 1.0  # a check a count counts
    return float(hits[0][cell["kolumn"]])


def count_checks(record: dict) -> int:
    """A count of avstämningar recomputed from the complete list: the rows with the values the condition
    names (none named: every row), which must be exactly the rows the record names (none for a zero)."""
    wanted = {
        name: re.findall(r"”([^”]+)”", values) for name, values in CONDITION.findall(record["beskrivning"])
    }
    rows = [r for r in rows_of(CHECKS) if all(r[name] in values for name, values in wanted.items())]
    assert {r["id"] for r in rows} == {c["nyckel"]["id"] for c in record["celler"]}, record["id"]
    return len(rows)


def recompute(record: dict) -> float | list[float]:
    """The rule applied to the cells, written here independently of the package (a list: its values)."""
    values = [(c, c["tecken"] * read_cell(c)) for c in record["celler"]]
    if record["regel"] == "antal" and all(c["fil"] == CHECKS for c in record["celler"]):
        return count_checks(record)  # its rows are checks (a zero names none)

    def part(name: str) -> float:
        return sum(v for c, v in values if c["del"] == name)

    rule = record["regel"]
    if rule in ("marginal_over", "marginal_under"):  # the outcome (its own rule over its cells), the target
        cells = [c for c in record["celler"] if c["del"] != "mal"]
        inner = [{**c, "del": c["del"].partition("/")[2]} for c in cells]
        outcome = recompute({**record, "regel": record["delregel"] or "summa", "celler": inner})
        goal = part("mal")
        return (goal - outcome if rule == "marginal_under" else outcome - goal) / goal * 100
    if rule == "lista":
        return [v for _, v in values]
    if rule == "spann_forandring_procent":  # pairs of cells, new before old: the least and the most change
        pairs = [(values[i], values[i + 1]) for i in range(0, len(values), 2)]
        assert all(n["del"] == "nytt" and o["del"] == "gammalt" for (n, _), (o, _) in pairs)
        same = [{k: x for k, x in c["nyckel"].items() if k != "ar"} for (c, _) in values]
        assert all(same[i] == same[i + 1] for i in range(0, len(same), 2)), "ett par är inte samma rad två år"
        changes = [(new - old) / old * 100 for (_, new), (_, old) in pairs]
        return [min(changes), max(changes)]
    if rule == "komplement":
        return 100 - sum(v for _, v in values)
    if rule == "medel_av_summor":  # each group (the cell's part) summed, then the groups' plain mean
        groups: dict[str, float] = {}
        for c, v in values:
            groups[c["del"]] = groups.get(c["del"], 0.0) + v
        return sum(groups.values()) / len(groups)
    if rule == "kvot_av_produkt":
        below = 1.0
        for c, v in values:
            below *= v if c["del"] == "namnare" else 1.0
        return part("taljare") / below
    if rule in ("varde", "motsatt", "summa", "differens"):
        return sum(v for _, v in values)
    if rule == "medel":
        return sum(v for _, v in values) / len(values)
    if rule == "antal":
        return len({(c["fil"], tuple(c["nyckel"].items())) for c, _ in values})
    if rule == "kvot":
        return part("taljare") / part("namnare")
    if rule == "andel":
        return part("taljare") / part("namnare") * 100
    if rule == "produkt":
        product = 1.0
        for _, v in values:
            product *= v
        return product / record["delare"]
    if rule == "uppraknad":
        return part("bas") * part("nytt") / part("gammalt")
    if rule == "index":
        return part("nytt") / part("gammalt") * 100
    if rule == "avvikelse_mot_uppraknad":
        return part("verkligt") - part("bas") * part("nytt") / part("gammalt")
    if rule == "forandring_procent":
        return (part("nytt") - part("gammalt")) / part("gammalt") * 100
    raise AssertionError(f"okänd regel {rule}")


def shown_number(text: str) -> tuple[str, Decimal, int]:
    """The sign, the number and its decimals of a figure as the page shows it (``−14,9 mnkr``)."""
    match = NUMBER.search(html.unescape(text))
    assert match, text
    sign, whole, fraction = match.groups()
    number = Decimal(re.sub(r"\D", "", whole) + ("." + fraction if fraction else ""))
    return sign, (-number if sign == "\u2212" else number), len(fraction or "")


def matches(text: str, value: float) -> bool:
    """Whether ``value``, rounded as the page shows ``text`` (its first number), is that number."""
    sign, number, decimals = shown_number(text)
    exact = Decimal(str(value))
    if not sign:  # a figure in words ("2,4 mnkr högre") shows its size
        exact = abs(exact)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) == number


def shown_in_order(text: str, values: list[float]) -> bool:
    """Whether the page's text states ``values`` one after another (``27 för risk 1, 15 för risk 2 …``)."""
    numbers = iter(m.group(0) for m in NUMBER.finditer(html.unescape(text)))
    return all(any(matches(n, v) for n in numbers) for v in values)


def reads_as(text: str, values: list[float]) -> bool:
    """Whether the page states ``values`` in order, or one number they all round to (a range whose ends
    agree reads as one value)."""
    return shown_in_order(text, values) or all(matches(text, v) for v in values)


def test_thirty_figures_are_recomputed_from_the_rows_they_name(preview: Path) -> None:
    page = (preview / "index.html").read_text(encoding="utf-8")
    records = dict(enumerate(json.loads((ROOT / "_build" / "harledning.json").read_text())))
    shown = BUTTON.findall(page)
    assert len(shown) >= 30, f"bara {len(shown)} spårade tal i artikeln"
    for position, text in random.Random(20).sample(shown, 30):
        record = records[int(position)]
        value = recompute(record)
        if isinstance(value, list):
            assert value and reads_as(text, value), f"{record['id']}: sidan visar {text}, raderna ger {value}"
        else:
            assert matches(text, value), f"{record['id']}: sidan visar {text}, raderna ger {value}"


def test_every_rule_a_figure_names_is_recomputed_here(preview: Path) -> None:
    """The random figures above may miss a rule: every figure of the article is recomputed once too."""
    page = (preview / "index.html").read_text(encoding="utf-8")
    records = dict(enumerate(json.loads((ROOT / "_build" / "harledning.json").read_text())))
    wrong = []
    for position, text in BUTTON.findall(page):
        record = records[int(position)]
        value = recompute(record)
        ok = reads_as(text, value) if isinstance(value, list) else matches(text, value)
        if not ok:
            wrong.append(f"{record['id']}: {text}")
    assert not wrong, wrong


def test_thirty_table_cells_are_recomputed_from_the_rows_they_name(preview: Path) -> None:
    """The same for the tables: 30 linked cells at random, each recomputed by this test's own rules."""
    page = (preview / "index.html").read_text(encoding="utf-8")
    records = {
        (r["tabell"], r["anker"]): r
        for r in json.loads((ROOT / "_build" / "harledning.json").read_text())
        if "tabell" in r and not r.get("notebook")
    }
    shown = CELL_LINK.findall(page)
    assert len(shown) >= 300, f"bara {len(shown)} länkade tabellceller i artikeln"
    assert len(shown) == len(records)
    for label, anchor, text in random.Random(20).sample(shown, 30):
        value = recompute(records[(label, anchor)])
        assert matches(text, value), f"{label}#{anchor}: tabellen visar {text}, raderna ger {value}"


def test_every_figure_of_the_charts_tables_on_the_notebook_pages_is_recomputed(preview: Path) -> None:
    """The tables of two charts' values stand on their notebook pages (the fee index, the environmental
    goals' margins): every linked cell there, recomputed by this test's rules from the rows it names."""
    records = [r for r in json.loads((ROOT / "_build" / "harledning.json").read_text()) if r.get("notebook")]
    assert {r["tabell"] for r in records} == {"tbl-brukaravgifter-index", "tbl-miljomal-avstand"}
    by_place = {(r["tabell"], r["anker"]): r for r in records}
    shown = []
    for notebook in sorted({r["notebook"] for r in records}):
        page = (preview / "notebooks" / f"{notebook}.html").read_text(encoding="utf-8")
        shown += [s for s in NOTEBOOK_CELL_LINK.findall(page) if s[:2] in by_place]
    assert len(shown) == len(records)
    assert {by_place[s[:2]]["regel"] for s in shown} >= {"index", "marginal_over", "marginal_under"}
    for label, anchor, text in shown:
        value = recompute(by_place[(label, anchor)])
        assert matches(text, value), f"{label}#{anchor}: tabellen visar {text}, raderna ger {value}"


def test_every_figure_of_the_appendixs_tables_of_avstamningar_is_recomputed(preview: Path) -> None:
    """The counts per kind and family (from avstamningar.csv) and the differing checks' figures (from the
    data rows the check read, or its row of the list): every cell of the two tables, by this test's rules."""
    page = (preview / "index.html").read_text(encoding="utf-8")
    records = {
        (r["tabell"], r["anker"]): r
        for r in json.loads((ROOT / "_build" / "harledning.json").read_text())
        if r.get("tabell", "").startswith("tbl-avstamningar-")
    }
    shown = [s for s in CELL_LINK.findall(page) if s[0].startswith("tbl-avstamningar-")]
    assert len(shown) == len(records) and {label for label, _, _ in shown} == {
        "tbl-avstamningar-sammanfattning",
        "tbl-avstamningar-avviker",
    }
    for label, anchor, text in shown:
        value = recompute(records[(label, anchor)])
        assert matches(text, value), f"{label}#{anchor}: tabellen visar {text}, raderna ger {value}"


def test_a_table_cell_opens_its_provenance_by_keyboard_and_reaches_its_row(
    preview: Path, browser, serve
) -> None:
    """A reader tabs to a figure in a table, opens it with Enter, lands on its block, and follows a row."""
    site = serve(preview)
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(site + "index.html")
    link = page.locator("#tbl-resultatrakning-gt td > a").nth(5)
    link.focus()
    assert page.evaluate("() => document.activeElement.closest('td') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    anchor = page.url.split("#")[1]
    assert "harledning/tbl-resultatrakning.html" in page.url
    block = page.locator(f"section#{anchor}")
    assert block.evaluate("e => e.matches(':target')") and "(oavrundat)" in block.inner_text()
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
    assert not [v["id"] for v in result["violations"]], page.url
    row_link = block.locator("a[href*='datafiler/']").first
    href = row_link.get_attribute("href")
    row_link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    row = page.locator(f"#{href.split('#')[1]}")
    assert row.count() == 1 and row.evaluate("e => e.matches(':target') && e.tagName === 'TR'"), href
    context.close()


def test_the_provenance_csv_has_a_row_per_traced_figure(preview: Path) -> None:
    page = (preview / "index.html").read_text(encoding="utf-8")
    with (preview / "downloads" / "harledning.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = json.loads((ROOT / "_build" / "harledning.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    # figures with the same provenance share the popover of the first of them
    assert {int(i) for i, _ in BUTTON.findall(page)} <= set(range(len(rows)))
    assert all(r["regel"] and r["avsnitt"] for r in rows)
    # a figure names its rows; only a count of no checks names none (its condition says which it sought)
    assert all(r["data"] or (r["regel"] == "antal" and float(r["varde"]) == 0) for r in rows)
    # and a row per linked table cell, saying where it stands: table label, row, column
    cells = [r for r in records if "tabell" in r and not r.get("notebook")]
    assert len(CELL_LINK.findall(page)) == len(cells)
    by_id = {r["id"]: r for r in rows}
    assert {r["id"] for r in cells} <= set(by_id)
    assert by_id["tbl-resultatrakning.r11-utfall_2023"]["avsnitt"].startswith(
        "tbl-resultatrakning: Årets resultat"
    )


def test_a_popover_opens_by_keyboard_and_its_links_reach_their_rows(preview: Path, browser, serve) -> None:
    site = serve(preview)
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(site + "index.html")
    button = page.locator("button[popovertarget]").first
    button.focus()
    page.keyboard.press("Enter")
    target = button.get_attribute("popovertarget")
    box = page.locator(f"#{target}")
    assert box.evaluate("e => e.matches(':popover-open')")
    assert "Härledning" in box.inner_text()
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
    assert not [v["id"] for v in result["violations"]]  # open: a plain popover, no dialog role of its own
    page.keyboard.press("Escape")
    assert not box.evaluate("e => e.matches(':popover-open')")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
    assert not [v["id"] for v in result["violations"]]
    links = page.locator(".hv-rutor a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # the data rows (the links to the complete list and to a figure's block are followed by other tests)
    unique = [href for href in dict.fromkeys(links) if href.startswith("datafiler/")]
    assert len(unique) >= 10
    for href in random.Random(10).sample(unique, 10):
        page.goto(site + href)
        row = page.locator(f"#{href.split('#')[1]}")
        assert row.count() == 1 and row.evaluate("e => e.matches(':target') && e.tagName === 'TR'"), href
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
    assert not [v["id"] for v in result["violations"]], page.url
    context.close()


@pytest.mark.parametrize("name", ["driftredovisning", "resultatrakning"])
def test_a_data_page_says_what_the_file_is(preview: Path, name: str) -> None:
    page = (preview / "datafiler" / f"{name}.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in page and "<h1>" in page and "Källa" in page and "Enhet" in page


def test_every_check_a_popover_links_is_a_row_of_the_complete_list(preview: Path) -> None:
    """A popover states its checks in short and links the appendix's complete list; where it has more to
    say, it links the figure's block on the text's provenance page, and every check there lands on its
    own anchored row of the complete list."""
    page = (preview / "index.html").read_text(encoding="utf-8")
    boxes = page[page.index('class="hv-rutor"') :]
    appendix = set(re.findall(r'href="(notebooks/[^"#]+)#([^"]+)">Avstämningar<', boxes))
    assert len(appendix) == 1
    (target, table_id) = appendix.pop()
    assert f'id="{table_id}"' in (preview / target).read_text(encoding="utf-8")
    details = re.findall(r'href="(harledning/text\.html)#(hv-\d+)"', boxes)
    assert len(details) >= 10  # the document's year: many figures have checks beyond the same printed figure
    text_page = (preview / details[0][0]).read_text(encoding="utf-8")
    assert all(f'<section id="{anchor}"' in text_page for _, anchor in details)
    links = set(re.findall(r'href="\.\./(notebooks/[^"#]+)#(ak-[^"]+)"', text_page))
    assert len(links) >= 20  # dozens of figures have avstämningar
    for target, anchor in links:
        assert f'<tr id="{anchor}">' in (preview / target).read_text(encoding="utf-8"), anchor


def test_a_popover_names_the_sections_printing_its_figure_and_links_more_only_when_there_is_more() -> None:
    """The source's sections that print the same figure stand in the popover itself (issue 20); the link
    to the figure's full block is there only when a check differs, explains or is not a matching section."""
    same = {"samma_tal": True, "kallans_avsnitt": "Ekonomi", "status": "stämmer", "forklaring": ""}
    other = {"samma_tal": False, "kallans_avsnitt": "", "status": "avviker", "forklaring": "Olika perioder."}
    only_same = harledning.checks_summary({"kontroller": [same]}, "harledning/text.html#hv-3", "k.html")
    assert "samma tal i källdokumentet (Ekonomi): stämmer" in only_same and "text.html" not in only_same
    assert f'<a href="k.html#{harledning.CHECKS_TABLE}">Avstämningar</a>' in only_same
    mixed = harledning.checks_summary({"kontroller": [same, other]}, "harledning/text.html#hv-3", "k.html")
    assert "andra: 1 avviker" in mixed and '<a href="harledning/text.html#hv-3">' in mixed
    alone = harledning.checks_summary({"kontroller": [other]}, "harledning/text.html#hv-3", "k.html")
    assert "</a>: 1 avviker. " in alone and "andra" not in alone  # "andra" only beside the source's sections


def test_every_link_on_a_tables_provenance_page_lands(preview: Path) -> None:
    """Each table's page links each cell's rows to their data file's rows, its checks to their rows in
    the complete list, and back to the table in the article: every target exists."""
    pages = sorted((preview / "harledning").glob("tbl-*.html"))
    assert len(pages) >= 20
    article = (preview / "index.html").read_text(encoding="utf-8")
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for target, anchor in set(re.findall(r'href="\.\./([^"#]+)#([^"]+)"', text)):
            found = article if target == "index.html" else (preview / target).read_text(encoding="utf-8")
            assert f'id="{anchor}"' in found, f"{path.name}: {target}#{anchor}"
