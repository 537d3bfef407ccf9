"""The data-check appendix: in the document a summary per kind and family and the differing checks; on
the site the complete list, and the complete list as a CSV with numbers as numbers. (The layout of the
package, this stage's with the others', is tests/test_architecture.py's.)
"""

from __future__ import annotations

import html
import inspect
import re
from pathlib import Path

import pandas as pd
import pytest

from servicenamnden.reconcile import checks
from servicenamnden.reconcile import tables as check_tables
from servicenamnden.reconcile.checks import AVVIKER
from servicenamnden.render import artikelvarden

ROOT = Path(__file__).resolve().parents[1]
NB = "\u00a0"


def differing(found) -> int:
    """How many of the checks differ (which ones is pinned by id in test_reconcile_claims)."""
    return sum(c.status == AVVIKER for c in found)


def body_rows(gt) -> list[list[str]]:
    raw = gt.as_raw_html()
    body = raw[raw.index("<tbody") : raw.index("</tbody>")]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def source_notes(gt) -> str:
    raw = gt.as_raw_html()
    return " ".join(re.findall(r'class="gt_sourcenote[^"]*"[^>]*>(.*?)</td>', raw, re.S))


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_summary_per_kind_and_family_with_the_notes(checks_2023):
    gt = check_tables.summary_table(checks_2023)
    rows = body_rows(gt)
    groups = [r[0] for r in rows if len(r) == 1]
    assert groups == ["Årets data", "Källdokumentets uppgifter"]
    counted = [r for r in rows if len(r) == 5]
    assert sum(int(r[1]) for r in counted) == len(checks_2023)
    assert sum(int(r[4]) for r in counted) == differing(checks_2023)  # as in the differing table
    # Each row adds up: holding + within rounding + differing = checks.
    assert all(int(r[2]) + int(r[3]) + int(r[4]) == int(r[1]) for r in counted)
    notes = source_notes(gt)
    assert "Stämmer inom avrundning" in notes and "procentenheter" in notes and "Årets data" in notes


def test_the_differing_table_is_in_full_and_carries_no_repeating_notes(checks_2023):
    gt = check_tables.differing_table(checks_2023)
    rows = [r for r in body_rows(gt) if len(r) == 5]
    assert len(rows) == differing(checks_2023)
    assert [r[0] for r in body_rows(gt) if len(r) == 1] == ["Årets data", "Källdokumentets uppgifter"]
    # The year's own checks come first: the index rows that start from the printed 102 386.
    first = rows[0]
    assert first[1:4] == [f"102{NB}386{NB}tkr", f"101{NB}386{NB}tkr", f"+1{NB}000{NB}tkr"]
    assert "Indexraden börjar på" in first[4]
    assert source_notes(gt) == ""  # a table that may split across pages has no foot to repeat
    assert (
        "#tbl-avstamningar-avviker-gt tr { break-inside: avoid;" in gt.as_raw_html()
    )  # no orphaned fragment
    assert "width:28%" in gt.as_raw_html().replace(" ", "")


@pytest.mark.slow  # a whole-data run, a subprocess or a wait: not a unit test
def test_the_complete_list_for_the_site(checks_2023):
    gt = check_tables.complete_table(checks_2023)
    rows = [r for r in body_rows(gt) if len(r) == 5]
    assert len(rows) == len(checks_2023)
    assert {r[4] for r in rows} == {"Stämmer", "Inom avrundning", "Avviker"}
    raw = gt.as_raw_html()
    assert "Årets data: samma uppgift på två ställen" in raw
    assert "Källdokumentets uppgifter: summor" in raw
    assert not re.search(r"\d\.\d", " ".join(r[1] + r[2] for r in rows))  # decimal comma only


def test_the_complete_list_as_csv_keeps_numbers_as_numbers(checks_2023, tmp_path):
    path = checks.write_csv(checks_2023, tmp_path / "downloads" / checks.CHECKS_CSV)
    assert path.read_bytes()[:3] != b"\xef\xbb\xbf"
    frame = pd.read_csv(path, encoding="utf-8")
    assert len(frame) == len(checks_2023) and list(frame.columns) == list(checks.checks_frame([]).columns)
    total = frame.set_index("id").loc["ms_ao_totalt_2019"]
    # MS ÄO 2019: printed 102 386 tkr, the six categories sum to 101 386 tkr.
    assert total["uppgift"] == 102386 and total["beraknat"] == 101386 and total["skillnad"] == 1000
    assert total["status"] == "Avviker" and total["enhet"] == "tkr" and "skrivfel" in total["forklaring"]
    assert pd.api.types.is_float_dtype(frame["uppgift"]) and pd.api.types.is_float_dtype(frame["tolerans"])
    assert set(frame["slag"]) == {"Årets data", "Källdokumentets uppgifter"}


def test_unverifiable_claims_only_in_the_documents_year():
    listed = checks.unverifiable_claims(ar=2023)
    assert len(body_rows(check_tables.unverifiable_table(listed, 2023, 2023))) == len(listed) == 9
    other = check_tables.unverifiable_table(checks.unverifiable_claims(ar=2024), 2024, 2023)
    assert body_rows(other) == [
        ["Källdokumentets uppgifter gäller 2023 och stäms bara av i rapporten för det året."]
    ]


def test_empty_tables_say_so():
    assert "Ingen avstämning avviker" in check_tables.differing_table([]).as_raw_html()
    assert "Inga avstämningar" in check_tables.summary_table([]).as_raw_html()


def test_the_document_embeds_the_summary_and_the_differing_checks_only():
    text = (ROOT / "report.qmd").read_text(encoding="utf-8")
    appendix = text[text.index("{#sec-datakontroller}") :]
    appendix = appendix[: appendix.index("\n# ")]
    embeds = re.findall(r"datakontroller\.ipynb#([\w-]+)", appendix)
    assert embeds == ["tbl-avstamningar-sammanfattning", "tbl-avstamningar-avviker"]
    assert f"downloads/{checks.CHECKS_CSV}" in appendix
    # the appendix and the summary sentence follow the report year: the pre-render step counts the year's checks
    assert "{{< v kontroll.antal >}}" in text
    assert "run_all(ar=ar)" in inspect.getsource(artikelvarden.article_values)


def test_the_differing_checks_are_explained(checks_2023):
    for check in checks_2023:
        if check.status == AVVIKER:
            assert check.explanation, check.id


@pytest.mark.slow
def test_notebook_executes_with_its_labelled_tables(committed):
    import nbformat

    from servicenamnden.render.quarto_exec import execute
    from servicenamnden.render.static_checks import cell_labels

    path = ROOT / "notebooks" / "datakontroller.ipynb"
    stored = nbformat.reads(committed(path), as_version=4)  # as committed: a render leaves outputs here
    assert all(c.outputs == [] for c in stored.cells if c.cell_type == "code")
    assert any("parameters" in c.metadata.get("tags", []) for c in stored.cells)
    labels = cell_labels(execute(path, {}).notebook)
    for label in (
        "tbl-avstamningar-sammanfattning",
        "tbl-avstamningar-avviker",
        "tbl-avstamningar-alla",
        "tbl-avstamningar-utan-underlag",
    ):
        assert any("text/html" in o.get("data", {}) for o in labels[label].outputs), label


def _rows_split_in_print(checks_shown: list[checks.Check], table_html: str, spacer_mm: int) -> list[str]:
    """Render the table on A4 below a spacer; the checks whose row begins on one page and ends on another."""
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    page = f'<html><body><div style="height:{spacer_mm}mm"></div>{table_html}</body></html>'
    pdf = HTML(string=page).write_pdf()
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    tails = {c.id: re.sub(r"\s+", "", c.explanation)[-12:] for c in checks_shown}
    unique = {i: tail for i, tail in tails.items() if list(tails.values()).count(tail) == 1}
    split = []
    for check in checks_shown:
        if check.id not in unique:
            continue  # two rows end alike (the two index rows): their ends cannot be told apart in the text
        head = re.sub(r"\s+", "", check.description)[:26]
        tail = unique[check.id]
        if [i for i, p in enumerate(pages) if head in p] != [i for i, p in enumerate(pages) if tail in p]:
            split.append(check.id)
    return split


@pytest.mark.slow
@pytest.mark.parametrize("spacer_mm", [150, 200, 240])
def test_no_row_of_the_differing_table_is_split_across_pages(checks_2023, spacer_mm):
    differing = [c for c in checks_2023 if c.status == AVVIKER]
    html_table = check_tables.differing_table(checks_2023).as_raw_html()
    assert _rows_split_in_print(differing, html_table, spacer_mm) == []


def test_no_file_name_reaches_a_reader(checks_2023):
    for check in checks_2023:
        for text in (check.description, check.explanation, check.tolerance_reason):
            assert not re.search(r"\.csv|data/", text), f"{check.id}: {text}"
