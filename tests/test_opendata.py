"""Open data: Swedish formatting read back exactly, and great-tables HTML turned into CSV."""

from __future__ import annotations

import pandas as pd
import pytest
from great_tables import GT

from servicenamnden.present import fmt
from servicenamnden.present.opendata import (
    LINK_TEXT,
    csv_columns,
    parse_number,
    parse_quantity,
    read_tables,
    to_csv,
)

VALUES = [0, 3, -7, 12.34, -0.94, 999.96, 1234.5678, -102386.27, 4524, 10_000_000.1]


@pytest.mark.parametrize("decimals", [0, 1, 2])
@pytest.mark.parametrize("value", VALUES)
def test_parse_number_inverts_every_formatter(value: float, decimals: int) -> None:
    expected = round(value, decimals)
    for text in (
        fmt.number(value, decimals),
        fmt.number(value, decimals, sign=True),
        fmt.percent(value, decimals),
        fmt.pp(value, decimals),
        fmt.pp(value, decimals, short=True),
        fmt.mnkr(value, decimals),
        fmt.tkr(value, decimals, sign=True),
        fmt.kr(value, decimals),
    ):
        assert parse_number(text) == pytest.approx(expected, abs=1e-9), text


def test_parse_number_reads_units_signs_and_missing_values() -> None:
    assert parse_quantity("\u22120,9\u00a0p.e.").unit == "p.e."  # type: ignore[union-attr]
    assert parse_number("\u00b10,0\u00a0%") == 0.0
    assert parse_number(fmt.percent(None)) is None
    assert parse_number("\u2013 km") is None
    assert parse_quantity("1,80 kg CO₂e/kg") == parse_quantity("1,80\u00a0kg CO₂e/kg")


@pytest.mark.parametrize(
    "text", ["uppfyllt", "högst 25\u00a0%", "1-2", "-5", "3 inkomna, 2 kasserade", "", "12 345"]
)
def test_parse_number_refuses_what_fmt_does_not_write(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def _table() -> GT:
    shown = pd.DataFrame(
        {
            "Post": ["Intäkter", "Kostnader", "Saknas"],
            "2022": [fmt.number(759.1, 1), fmt.number(-756.3, 1), fmt.MISSING],
            "2023": [fmt.number(806.6, 1), fmt.number(-826.5, 1), fmt.number(1234, 1)],
            "Andel": [fmt.percent(6.1), fmt.percent(-0.5), fmt.MISSING],
            "Värde": [fmt.tkr(102386), fmt.percent(33, 0), "12"],
            "Not": ["text, med komma", "", "3\u00a0st"],
        }
    )
    return (
        GT(shown, rowname_col="Post", id="t")
        .tab_header("En rubrik som inte är data")
        .tab_stubhead("Post (mnkr)")
        .tab_spanner("Utfall", columns=["2022", "2023"])
        .tab_source_note("En källnot som inte är data.")
    )


def test_great_tables_html_becomes_csv_with_the_shown_figures() -> None:
    [table] = read_tables(_table().as_raw_html())
    assert table.header == ["Post (mnkr)", "Utfall: 2022", "Utfall: 2023", "Andel", "Värde", "Not"]
    assert to_csv(table) == (
        'Post (mnkr),Utfall: 2022,Utfall: 2023,Andel (%),Värde,"Värde, enhet",Not\n'
        'Intäkter,759.1,806.6,6.1,102386,tkr,"text, med komma"\n'
        "Kostnader,-756.3,-826.5,-0.5,33,%,\n"
        "Saknas,,1234.0,,12,,3 st\n"
    )


def test_a_text_column_stays_text() -> None:
    [table] = read_tables(_table().as_raw_html())
    columns = dict(csv_columns(table))
    assert columns["Post (mnkr)"] == ["Intäkter", "Kostnader", "Saknas"]
    assert columns["Not"][0] == "text, med komma"


def test_preview_links_each_table_once_and_keeps_an_authored_link() -> None:
    from servicenamnden.render.preview import Numbering, data_links, markdown_to_html

    automatic = data_links("<table></table>\n<!--DATA-LINK tbl-y Tabell 2-->", depth=1)
    assert 'href="../downloads/tbl-y.csv"' in automatic and f">{LINK_TEXT}</a>" in automatic
    authored = markdown_to_html(
        '<!--DATA-LINK tbl-x Tabell 1-->\n\n::: {.content-visible when-format="html"}\n'
        f"[{LINK_TEXT}](downloads/tbl-x.csv)\n:::\n\nMer text.\n",
        Numbering(),
    )
    page = data_links(authored, depth=0)
    assert page.count('href="downloads/tbl-x.csv"') == 1
    assert '<div class="content-visible when-html">' in page and "<p>Mer text.</p>" in page
