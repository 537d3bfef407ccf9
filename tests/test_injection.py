"""Issue 21, injection: text from data reaches every reader as text, never as Markdown or HTML, and a
formula-like text never becomes a live formula in the open data."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path

import pytest

from servicenamnden.domain.years import MissingYearError
from servicenamnden.io import data
from servicenamnden.present.inline import Md, md, shown_text, text_md
from servicenamnden.present.show import or_note
from servicenamnden.present.values.base import collect, notes_of
from servicenamnden.render.static_checks import CROSSREF

# What a hostile or careless data text may hold: live HTML, script, emphasis, a link, a cross-reference.
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
BOLD = "**bold**"
LINK = "[l](javascript:x)"
REF = "se @tbl-x"
# What the article's own syntax looks like: a shortcode, a traced span, a formula, an emphasis.
SHORTCODE = '{{< meta title >}} [x]{.hv data-v="y"} =SUM(A1) *k*'
PAYLOADS = (IMG, SCRIPT, BOLD, LINK, REF, SHORTCODE)


def rewrite(path: Path, change) -> None:
    """Rewrite a data file's rows with ``change(rows)`` (header first), as a controller's editor would."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(path: Path, where: dict[str, str], column: str, value: str) -> None:
    """Set ``column`` of the rows whose columns match ``where``."""

    def change(rows: list[list[str]]) -> None:
        header = rows[0]
        hits = 0
        for row in rows[1:]:
            if all(row[header.index(k)] == v for k, v in where.items()):
                row[header.index(column)] = value
                hits += 1
        assert hits, (path.name, where)

    rewrite(path, change)


# --- Unit: the building blocks ------------------------------------------------------------------


@pytest.mark.parametrize("text", PAYLOADS)
def test_a_data_text_in_a_value_group_is_escaped_and_shows_as_itself(text):
    group = collect("prov", {"namn": lambda: text})
    value = group.namn
    assert isinstance(value, Md)
    assert shown_text(value) == text  # the reader sees the characters …
    for char in "<>*[]@":
        assert char not in value.replace(f"\\{char}", "")  # … and none of them is markup


def test_a_value_built_as_markdown_on_purpose_stays_markdown():
    group = collect("prov", {"fet": lambda: md("**fet**")})
    assert group.fet == "**fet**"


def test_line_breaks_and_leading_markers_cannot_start_a_block():
    assert text_md("# Rubrik") == "\\# Rubrik"
    assert text_md("- punkt") == "\\- punkt"
    assert text_md("1. punkt") == "1\\. punkt"
    assert text_md("::: {.x}") == "\\::: \\{.x\\}"
    assert "\n" not in text_md("rad ett\n\n# rad två")


def test_notes_that_name_data_are_escaped():
    group = collect("prov", {"x": lambda: (_ for _ in ()).throw(MissingYearError(f"{SCRIPT} saknas"))})
    note = notes_of([group])
    assert (
        note is not None
        and "<script>" not in note.replace("\\<", "")
        and shown_text(note.strip("*")) == f"{SCRIPT} saknas"
    )

    def build() -> None:
        raise MissingYearError(IMG)

    assert or_note(build) == "*\\<img src=x onerror=alert(1)\\>*"


def test_an_escaped_at_sign_is_not_a_cross_reference():
    assert CROSSREF.findall(text_md(REF)) == []
    assert CROSSREF.findall("se @tbl-x") == ["tbl-x"]


def test_the_title_page_facts_are_escaped_for_pandoc(root):
    from servicenamnden.render.metadata import report_metadata

    rapport = data.load("rapport", root / "data").copy()
    rapport["namnd"] = rapport["namnd"].astype(object)
    rapport.loc[rapport.index[-1], "namnd"] = SCRIPT
    block = report_metadata(int(rapport["ar"].max()), rapport)["rapport"]
    assert block["namnd"] == text_md(SCRIPT)


# --- End to end: hostile data texts in the executed article and in the preview ---------------------


def hostile_data(folder: Path) -> None:
    """Put the payloads into data texts the prose inserts: a fact, an area's name, a risk, a category.

    The risk is one of a closed list and the area's name has a declared pattern, so their dictionaries
    are widened here: what a dictionary lets through must still reach the reader as text."""
    risks = folder / "internkontroll_risker.yml"
    risks.write_text(
        risks.read_text(encoding="utf-8").replace(
            "tillatna: [", f'tillatna: ["Felaktiga inköp {SCRIPT}", ', 1
        ),
        encoding="utf-8",
    )
    areas = folder / "omraden.yml"
    areas.write_text(
        areas.read_text(encoding="utf-8").replace('monster: "Område \\\\d+|', 'monster: "Område .+|'),
        encoding="utf-8",
    )
    set_cell(folder / "fakta.csv", {"fakta": "elbilar_byte_period"}, "varde", f"{IMG} {BOLD} {SHORTCODE}")
    set_cell(folder / "omraden.csv", {"omrade": "omrade_1"}, "benamning", f"Område 1 {REF} {LINK}")
    set_cell(folder / "internkontroll_risker.csv", {"nr": "1"}, "risk", f"Felaktiga inköp {SCRIPT}")
    set_cell(folder / "kostnadsslag.csv", {"kategori": "personal"}, "benamning", f"Personal {IMG}")


@pytest.fixture(scope="module")
def executed_hostile(root, project, tmp_path_factory):
    import shutil

    from servicenamnden.render.build import execute_documents

    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(root / "data", folder)
    hostile_data(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SN_DATA", str(folder))
        data.clear_cache()
        data.validate_all(folder)
        try:
            yield execute_documents(project.documents)
        finally:
            data.clear_cache()


LIVE = (
    re.compile(r"<img\s+src=x", re.I),
    re.compile(r"<script>alert", re.I),
    re.compile(r"<strong>bold|<b>bold"),
    re.compile(r"href=\"?javascript:", re.I),
    re.compile(r"<a href=\"#tbl-x\""),
)


def test_the_article_shows_data_markup_as_text(executed_hostile, project):
    article = executed_hostile[project.article]
    text = "\n".join(c.source for c in article.notebook.cells if c.cell_type == "markdown")
    assert "\\<img src=x onerror=alert(1)\\> \\*\\*bold\\*\\*" in text  # the fact, escaped in the prose
    # the article's own syntax in data: no shortcode, span or emphasis for Quarto's reader (nor the preview's)
    assert '\\{\\{\\< meta title \\>\\}\\} \\[x\\]\\{.hv data-v="y"\\} =SUM(A1) \\*k\\*' in text
    assert "Område 1 se \\@tbl-x \\[l\\](javascript:x)" in text  # the area's name
    assert "\\<script\\>alert(1)\\</script\\>" in text  # the risk (lower-cased in the prose)
    everything = "\n".join(d.markdown() for d in executed_hostile.values())
    for live in (r"<img src=x", r"<script>", r"\*\*bold", r"\]\(javascript:", r"@tbl-x"):
        assert not re.search(rf"(?<![\\\w]){live}", everything), live  # only ever escaped


def test_the_preview_has_no_live_element_from_data(executed_hostile, project, tmp_path):
    from servicenamnden.render.preview import build_pages
    from servicenamnden.render.static_checks import check_project

    assert check_project(project, executed_hostile) == []  # no dangling @tbl-x from data
    pages = build_pages(project, executed_hostile, tmp_path)
    article = pages["index.html"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in article  # shown as the characters it is
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "{{&lt; meta title &gt;}} [x]{.hv data-v=" in article and "=SUM(A1) *k*" in article
    for name, page in pages.items():
        for pattern in LIVE:
            assert not pattern.search(page), (name, pattern.pattern)


# --- Formulas in the open data --------------------------------------------------------------------

FORMULAS = ('=HYPERLINK("http://x","klicka")', "=1+1", "+cmd", "-2+3", "@SUM(A1)", "\t=1")


def formula_payload() -> dict:
    """A table's numbers as the downloads get them: formula-like texts and a negative number."""
    return {
        "header": ["Post", "Belopp"],
        "rows": [[text, -4682.5] for text in FORMULAS] + [["-29", -3]],
        "decimals": [None, 1],
        "unit": "tkr",
        "caption": "=2+2",
    }


def test_a_formula_like_text_is_text_in_the_workbook(tmp_path):
    import zipfile

    from openpyxl import load_workbook

    from servicenamnden.present.opendata import write_workbook

    path = write_workbook({"tbl-prov": formula_payload()}, tmp_path / "tabeller.xlsx")
    with zipfile.ZipFile(path) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in book.read(n) or b"<f " in book.read(n) for n in sheets)  # no formula
    sheet = load_workbook(path).active
    texts = [sheet.cell(row=3 + i, column=1) for i in range(len(FORMULAS))]
    assert [c.value for c in texts] == list(FORMULAS)
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)
    assert sheet["A1"].data_type == "s"  # the caption too
    assert sheet.cell(row=3, column=2).value == -4682.5  # numbers stay numbers
    assert sheet.cell(row=3 + len(FORMULAS), column=1).value == "-29"  # a number-like text as it is


def test_a_formula_like_text_is_neutralised_in_the_csv():
    from servicenamnden.present.opendata import to_csv

    rows = list(csv.reader(io.StringIO(to_csv(formula_payload()))))
    assert [r[0] for r in rows[1 : 1 + len(FORMULAS)]] == [f"'{t}" for t in FORMULAS]
    assert rows[1][1] == "-4682.5"  # a negative number is not mangled
    assert rows[-1] == ["-29", "-3"]


@pytest.mark.slow  # the whole reconciliation on a copy of the data
def test_a_formula_like_text_is_neutralised_in_the_list_of_checks(tmp_path):
    from servicenamnden.reconcile import checks

    listed = checks.run_all(ar=2023)
    listed[0] = dataclasses.replace(listed[0], id="=1+1")
    path = checks.write_csv(listed, tmp_path / "avstamningar.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[1][0] == "'=1+1"
