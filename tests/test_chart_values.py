"""Issue 20 for the charts: the values a chart shows can be opened through its table. Every chart of the
article has a table of its values (beside it in the article, or on its notebook page with a link under the
chart); the numbers the chart draws are numbers of that table, and every numeric cell of it has provenance."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from matplotlib.container import BarContainer

from servicenamnden.present import chart
from servicenamnden.present.tables import provenance, registry

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (ROOT / "report.qmd").read_text(encoding="utf-8")
CHARTS = list(dict.fromkeys(re.findall(r"embed\s+[^#\s]+#(fig-[\w-]+)", ARTICLE)))
RELATIVE = 1e-9


def drawn_numbers(figure) -> list[float]:
    """The numbers a matplotlib figure draws as data: each line's points, each bar's value and each marker's
    place (this test's own reading of the drawing, not the package's)."""
    found: list[float] = []
    for axes in figure.axes:
        for line in axes.lines:
            if line.get_transform() == axes.transData:  # not a rule across the axes (axvline, axhline)
                found += [float(y) for y in line.get_ydata() if not math.isnan(float(y))]
        for points in axes.collections:  # the risk matrix: a marker stands in its cell, moved a little off
            found += [float(round(v)) for v in points.get_offsets().ravel()]  # its centre not to cover others
        for bars in axes.containers:
            if isinstance(bars, BarContainer):
                found += [float(v) for v in bars.datavalues if not math.isnan(float(v))]
    return found


def table_numbers(label: str) -> list[float]:
    frame = registry.numbers(registry.for_year(2023)(label))
    assert frame is not None, label
    return [float(v) for v in frame.select_dtypes("number").to_numpy().ravel() if not math.isnan(float(v))]


def test_the_article_has_charts() -> None:
    assert len(CHARTS) >= 7 and "fig-brukaravgifter" in CHARTS


def test_every_chart_of_the_article_has_a_table_of_its_values() -> None:
    assert [c for c in CHARTS if c not in registry.CHART_VALUES] == []


@pytest.mark.parametrize("label", CHARTS)
def test_what_a_chart_draws_stands_in_its_table(label: str) -> None:
    drawing = registry.for_year(2023)(label)
    assert isinstance(drawing, chart.Chart)
    drawn = drawn_numbers(drawing.figure_for(chart.DESKTOP))
    numbers = table_numbers(registry.CHART_VALUES[label])
    missing = [v for v in drawn if not any(math.isclose(v, n, rel_tol=RELATIVE) for n in numbers)]
    assert len(drawn) >= 5 and missing == []


@pytest.mark.parametrize("label", ["fig-brukaravgifter", "fig-miljomal"])
def test_every_number_of_a_charts_table_has_its_provenance(label: str) -> None:
    table, traced = provenance.traced_table(registry.CHART_VALUES[label], registry.FolderData(), 2023)
    assert table is not None
    cells = provenance.numeric_cells(table)
    assert len(cells) >= 6 and [c for c in cells if c not in traced] == []


# --- In the built site -------------------------------------------------------------------------------

ELSEWHERE = [c for c in CHARTS if f"#{registry.CHART_VALUES.get(c, c)} " not in ARTICLE.replace(">}}", " ")]


def test_two_charts_have_their_table_on_their_notebook_page() -> None:
    """The fee chart's and the environmental goals' chart's values stand on their notebook pages."""
    assert ELSEWHERE == ["fig-miljomal", "fig-brukaravgifter"]


@pytest.mark.parametrize("label", ELSEWHERE)
def test_under_a_chart_a_link_opens_its_table_whose_figures_open_their_rows(preview, label: str) -> None:
    """The reader follows the link under the chart to the table of its values on the notebook page; each
    number there is a link to its block on the table's provenance page, which names its rows."""
    table = registry.CHART_VALUES[label]
    article = (preview / "index.html").read_text(encoding="utf-8")
    after = article[article.index(f'id="{label}"') :]
    link = re.search(r'<a href="(notebooks/[\w-]+\.html)#' + table + r'">([^<]+)</a>', after)
    assert link and after.index(link.group(0)) < after.index("</figure>") + 200, label
    page = (preview / link.group(1)).read_text(encoding="utf-8")
    assert f'id="{table}"' in page
    start = page.index(f'id="{table}-gt"')
    shown = page[start : page.index("</table>", start)]
    cells = re.findall(r'<a href="\.\./harledning/' + table + r'\.html#(r\d+c\d+)">', shown)
    _, traced = provenance.traced_table(table, registry.FolderData(), 2023)
    assert len(cells) == len(traced)
    blocks = (preview / "harledning" / f"{table}.html").read_text(encoding="utf-8")
    for anchor in cells:
        block = blocks[blocks.index(f'<section id="{anchor}"') :]
        assert "../datafiler/" in block[: block.index("</section>")], anchor
    assert f'href="../{link.group(1)}#{table}"' in blocks  # back to the table where it stands
