"""Open data: CSV files and one Excel workbook written from the tables' numbers, never from HTML."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

from servicenamnden.io import data
from servicenamnden.present import fmt, tables
from servicenamnden.present.opendata import (
    EXCEL_LINK_TEXT,
    LINK_TEXT,
    UNIT_COLUMN,
    WORKBOOK_NAME,
    file_link_text,
    link_text,
    parse_quantity,
    sheet_name,
    size_text,
    table_data,
    table_links,
    to_csv,
    write_workbook,
)
from servicenamnden.present.tables.spec import METADATA_KEY, Column, Table, text
from servicenamnden.render.downloads import captions, write_tables

NB = "\u00a0"


def _table() -> Table:
    frame = pd.DataFrame(
        {
            "post": ["Intäkter", "Kostnader", "Saknas"],
            "fg": [759.1, -756.3, float("nan")],
            "ar": [806.64, -826.55, 1234.0],
            "andel": [6.1, -0.5, float("nan")],
            "not": ["text, med komma", "", None],
        }
    )
    columns = (
        Column("fg", "2022", decimals=1, spanner="Utfall"),
        Column("ar", "2023", decimals=1, spanner="Utfall"),
        Column("andel", "Andel", "percent", 1),
        text("not", "Not"),
    )
    return Table(frame, text("post", "Post"), columns, "t", "Post (mnkr)", unit="mnkr", notes=("En not.",))


def _tables(*outputs: tuple[str, str, Table]) -> dict[str, dict]:
    """Label → the numbers a table publishes with its caption, as the pre-render step collects them."""
    return {label: {**table.data_payload(), "caption": caption} for label, caption, table in outputs}


def test_the_csv_holds_the_numbers_as_shown_with_units_in_the_header() -> None:
    assert to_csv(_table().data_payload()) == (
        "Post (mnkr),Utfall: 2022,Utfall: 2023,Andel (%),Not\n"
        'Intäkter,759.1,806.6,6.1,"text, med komma"\n'
        "Kostnader,-756.3,-826.6,-0.5,\n"  # rounded half up as shown (−826,55 → −826,6)
        "Saknas,,1234.0,,\n"
    )


def test_the_numbers_travel_in_the_output_metadata_not_in_html() -> None:
    """The preview reads a shown table's numbers from its output's metadata, never from its HTML."""
    bundle, metadata = _table()._repr_mimebundle_()
    cell = nbformat.v4.new_code_cell("#| label: tbl-x\ntable")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle, metadata=metadata)]
    cell.outputs[0]["data"]["text/html"] = "<p>ingen tabell här</p>"  # the HTML is never read
    assert table_data(cell)["rows"][1][2] == -826.6
    assert table_data(nbformat.v4.new_code_cell("1")) is None


def test_the_captions_are_read_from_the_notebook_cells_without_a_kernel(tmp_path: Path) -> None:
    cells = [
        nbformat.v4.new_code_cell('#| label: tbl-x\n#| tbl-cap: "En tabell"\nvisa("tbl-x")'),
        nbformat.v4.new_code_cell('#| label: fig-y\n#| fig-cap: "Ett diagram"\nvisa("fig-y")'),
        nbformat.v4.new_code_cell('#| label: tbl-z\n#| tbl-cap: "En annan"\nvisa("tbl-z")'),
    ]
    path = tmp_path / "x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    assert captions([path]) == {"tbl-x": "En tabell", "tbl-z": "En annan"}


def test_a_plain_output_gives_no_table_data() -> None:
    cell = nbformat.v4.new_code_cell("#| label: tbl-y\nx")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<table></table>"})]
    assert table_data(cell) is None


def test_write_tables_writes_csv_and_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("gammal", encoding="utf-8")
    written = write_tables(
        _tables(("tbl-x", "En tabell", _table()), ("tbl-y", "En annan", _table())), tmp_path
    )
    assert sorted(p.name for p in written) == [
        "tabeller.xlsx",
        "tbl-x.csv",
        "tbl-x.xlsx",
        "tbl-y.csv",
        "tbl-y.xlsx",
    ]
    assert not (tmp_path / "old.csv").exists()
    rows = list(csv.reader(io.StringIO((tmp_path / "tbl-x.csv").read_text(encoding="utf-8"))))
    assert rows[0][0] == "Post (mnkr)" and rows[2][2] == "-826.6"


def test_each_table_gets_a_workbook_of_its_own_with_one_sheet(tmp_path: Path) -> None:
    write_tables(_tables(("tbl-x", "En tabell", _table()), ("tbl-y", "En annan", _table())), tmp_path)
    book = load_workbook(tmp_path / "tbl-x.xlsx")
    assert book.sheetnames == ["x"]
    sheet = book["x"]
    assert sheet["A1"].value.startswith("En tabell") and sheet["A2"].value == "Post (mnkr)"
    assert isinstance(sheet["C3"].value, float)  # a number Excel computes with, not text


def test_the_links_under_a_table_say_which_file_is_for_whom(tmp_path: Path) -> None:
    assert table_links("tbl-x", tmp_path) == (
        f"[{EXCEL_LINK_TEXT} (XLSX)](downloads/tbl-x.xlsx) · [{LINK_TEXT} (CSV)](downloads/tbl-x.csv)"
    )
    write_tables(_tables(("tbl-x", "En tabell", _table())), tmp_path / "downloads")
    written = table_links("tbl-x", tmp_path)
    assert re.fullmatch(
        rf"\[Tabellen i Excel \(XLSX, \d+{NB}kB\)\]\(downloads/tbl-x\.xlsx\) · "
        rf"\[Tabellens data för program \(CSV, 1{NB}kB\)\]\(downloads/tbl-x\.csv\)",
        written,
    ), written


def test_the_workbook_has_a_sheet_per_table_numbers_as_numbers_and_caption_and_unit_first(
    tmp_path: Path,
) -> None:
    tables_ = _tables(("tbl-x", "En tabell", _table()), ("tbl-y", "En annan", _table()))
    book = load_workbook(write_workbook(tables_, tmp_path / WORKBOOK_NAME))
    assert book.sheetnames == ["x", "y"]
    sheet = book["x"]
    assert sheet["A1"].value == "En tabell (enhet: mnkr)"
    assert [c.value for c in sheet[2]] == ["Post (mnkr)", "Utfall: 2022", "Utfall: 2023", "Andel (%)", "Not"]
    assert sheet["C4"].value == -826.6 and isinstance(sheet["C4"].value, float)
    assert sheet["B5"].value is None  # missing stays empty, never 0
    assert sheet["C3"].number_format == "#,##0.0"


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    first = sheet_name("tbl-" + "a" * 40, taken)
    taken.add(first)
    second = sheet_name("tbl-" + "a" * 40, taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert sheet_name("tbl-a/b:c", set()) == "a-b-c"


def test_download_links_state_format_and_size(tmp_path: Path) -> None:
    assert link_text("CSV", 1800) == f"{LINK_TEXT} (CSV, 2{NB}kB)"
    assert size_text(200) == f"1{NB}kB" and size_text(2_345_678) == f"2,3{NB}MB"
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"x" * 5200)
    assert file_link_text(path, "Alla tabeller") == f"Alla tabeller (Excel, 5{NB}kB)"


def test_every_real_table_publishes_what_it_shows() -> None:
    """For real tables: every shown figure equals the published number, and text stays text."""
    data.clear_cache()
    real = {name: data.load(name) for name in data.data_files()}
    for table in (
        tables.brukaravgifter_table(real["brukaravgifter"], real["abonnemang"]),
        tables.ms_ao_cost_table(real["ms_ao_kostnader"], real["kostnadsslag"], real["ms_ao_index"], 2023),
        tables.environment_key_figures_table(
            real["miljo_nyckeltal"],
            real["klimatbelastning"],
            real["nara_livsmedel"],
            real["fossilfritt"],
            2023,
        ),
    ):
        payload = table.data_payload()
        shown = table.cells()
        assert len(payload["rows"]) == len(shown)
        values_at = [i for i, h in enumerate(payload["header"]) if not h.endswith(f", {UNIT_COLUMN}")]
        for shown_row, row in zip(shown, payload["rows"], strict=True):
            for cell, value in zip(shown_row, [row[i] for i in values_at], strict=True):
                quantity = parse_quantity(cell)
                if cell == fmt.MISSING:
                    assert value is None
                elif isinstance(value, str):
                    assert value == cell
                else:
                    assert quantity is not None and float(quantity.value) == pytest.approx(value), (
                        cell,
                        value,
                    )


def test_preview_links_each_table_once_with_its_size_and_keeps_an_authored_link() -> None:
    from servicenamnden.render.markdown import Numbering, markdown_to_html
    from servicenamnden.render.preview import data_links

    automatic = data_links("<table></table>\n<!--DATA-LINK tbl-y 1800 Tabell 2-->", depth=1)
    assert 'href="../downloads/tbl-y.csv"' in automatic and f">{LINK_TEXT} (CSV, 2{NB}kB)</a>" in automatic
    authored = markdown_to_html(
        '<!--DATA-LINK tbl-x 900 Tabell 1-->\n\n::: {.content-visible when-format="html"}\n'
        f"[{LINK_TEXT}](downloads/tbl-x.csv)\n:::\n\nMer text.\n",
        Numbering(),
    )
    page = data_links(authored, depth=0)
    assert page.count('href="downloads/tbl-x.csv"') == 1
    assert '<div class="content-visible when-html">' in page and "<p>Mer text.</p>" in page


def test_a_unit_that_varies_by_row_gets_a_column_after_its_figures() -> None:
    data.clear_cache()
    real = {name: data.load(name) for name in data.data_files()}
    payload = tables.environment_key_figures_table(
        real["miljo_nyckeltal"], real["klimatbelastning"], real["nara_livsmedel"], real["fossilfritt"], 2023
    ).data_payload()
    assert payload["header"][:3] == ["Nyckeltal", "Värde", "Värde, enhet"]
    first = payload["rows"][0]
    assert first[1] == 1.8 and first[2] == "kg CO₂e/kg" and payload["decimals"][1] is None


def test_link_texts_for_written_files_state_their_size(tmp_path: Path) -> None:
    from servicenamnden.present.opendata import download_link_text, workbook_link_text

    assert download_link_text("tbl-x", tmp_path) == f"{LINK_TEXT} (CSV)"  # not written yet: never empty
    write_tables(_tables(("tbl-x", "En tabell", _table())), tmp_path / "downloads")
    assert download_link_text("tbl-x", tmp_path) == f"{LINK_TEXT} (CSV, 1{NB}kB)"
    assert workbook_link_text(tmp_path).startswith("Alla tabeller (Excel, ")


def test_a_plain_gt_publishes_the_numbers_given_beside_it(tmp_path: Path) -> None:
    from great_tables import GT

    shown = pd.DataFrame({"Kontroll": ["a"], "Källans uppgift": [f"1{NB}000,5{NB}tkr"]})
    numbers = pd.DataFrame({"Kontroll": ["a"], "Källans uppgift (tkr)": [1000.5]})
    display = tables.published(GT(shown, id="c"), numbers, unit="tkr", decimals=(None, 1))
    bundle, metadata = display._repr_mimebundle_()
    assert "<style" not in bundle["text/html"]
    cell = nbformat.v4.new_code_cell("#| label: tbl-c\nx")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle, metadata=metadata)]
    assert to_csv(table_data(cell)) == "Kontroll,Källans uppgift (tkr)\na,1000.5\n"


def test_metadata_key_is_namespaced() -> None:
    assert METADATA_KEY.startswith("servicenamnden/")
