"""A great-tables table's HTML as a typst table for the PDF (render/typst_table.py), compiled by typst."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from servicenamnden.render import prerender, typst_table

HTML = """<div class="sn-table" id="tbl-x-gt"><table style="table-layout: fixed;" class="gt_table"
 data-quarto-disable-processing="false" data-quarto-bootstrap="false">
<colgroup><col style="width:50%;"><col style="width:25%;"><col style="width:25%;"></colgroup>
<thead><tr class="gt_col_headings gt_spanner_row">
<th class="gt_col_heading gt_left" rowspan="2" scope="col">Post (mnkr)</th>
<th class="gt_center gt_column_spanner_outer" colspan="2" scope="colgroup"><span class="gt_column_spanner">År</span></th></tr>
<tr class="gt_col_headings"><th class="gt_col_heading gt_right" scope="col">2022</th>
<th class="gt_col_heading gt_right" scope="col">2023</th></tr></thead>
<tbody class="gt_table_body">
<tr class="gt_group_heading_row"><th class="gt_group_heading" colspan="3" scope="colgroup">Intäkter</th></tr>
<tr><th scope="row" class="gt_row gt_left gt_stub gt_indent_2">Övriga "intäkter" \\ #1</th>
<td class="gt_row gt_right">759,1</td><td class="gt_row gt_right">806,6</td></tr>
<tr><th style="font-weight: bold;" scope="row" class="gt_row gt_left gt_stub">Summa</th>
<td style="font-weight: bold;" class="gt_row gt_right">−1&nbsp;234,5</td><td style="font-weight: bold;" class="gt_row gt_right">–</td></tr>
</tbody><tfoot><tr class="gt_sourcenotes"><td class="gt_sourcenote" colspan="3"><span class="gt_from_md">En not.</span></td></tr></tfoot>
</table></div>"""


def test_the_table_keeps_widths_alignment_bold_rows_spans_and_notes():
    code = typst_table.to_typst(HTML)
    assert "columns: (50%, 25%, 25%,)" in code and "align: (left, right, right,)" in code
    assert 'table.cell(align: left, rowspan: 2, text(weight: "bold", "Post (mnkr)"))' in code
    assert 'table.cell(align: center, colspan: 2, text(weight: "bold", "År"))' in code
    assert 'table.cell(align: left, colspan: 3, text(weight: "bold", "Intäkter"))' in code
    assert r'inset: (rest: 5pt, left: 5pt + 1.2em), "Övriga \"intäkter\" \\ #1")' in code
    assert 'table.cell(align: right, text(weight: "bold", "−1\u00a0234,5"))' in code
    assert 'table.footer(repeat: false,\n    table.cell(align: left, colspan: 3, "En not.")\n  )' in code
    assert code.index("table.header(") < code.index("Intäkter") < code.index("table.footer(")


def test_quarto_gets_the_html_untouched_and_the_typst_table_beside_it():
    markdown = prerender.table_markdown(HTML)
    html_block, typst_block = re.findall(r"^(`{3,})\{=(\w+)\}\n(.*?)\n\1$", markdown, flags=re.S | re.M)
    assert html_block[1] == "html" and html_block[2].startswith(
        "<!--| quarto-html-table-processing: none -->\n"
    )
    assert html_block[2].endswith(HTML.strip())  # the table's HTML itself is not changed
    assert typst_block[1] == "typst" and typst_block[2].startswith("#{set text(size: 0.9em); table(")
    output = {"output_type": "display_data", "data": {"text/html": HTML, "text/plain": "x"}, "metadata": {}}
    import nbformat

    converted = prerender.output_for_quarto(nbformat.from_dict(output))
    assert set(converted["data"]) == {"text/markdown", "text/plain"}
    assert converted["data"]["text/markdown"] == markdown


@pytest.mark.skipif(shutil.which("typst") is None, reason="typst finns inte på PATH")
def test_typst_compiles_the_table(tmp_path: Path):
    source = tmp_path / "t.typ"
    source.write_text('#set text(lang: "sv")\n' + typst_table.to_typst(HTML) + "\n", encoding="utf-8")
    subprocess.run(
        ["typst", "compile", str(source), str(tmp_path / "t.pdf")], check=True, capture_output=True
    )
    assert (tmp_path / "t.pdf").stat().st_size > 1000
