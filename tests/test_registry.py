"""The registry: every table and figure of the report is one entry (label, data files, builder), and the
notebooks, the open data and the tests all build from it, for the document's year, for the invented 2024
data and for a partial 2024."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd
import pytest
from great_tables import GT

from servicenamnden.io import data
from servicenamnden.present.chart import Chart
from servicenamnden.present.show import MissingChart, MissingTable
from servicenamnden.present.tables import registry
from servicenamnden.present.tables.spec import Published, Table
from servicenamnden.render import harledning_tabeller
from servicenamnden.render import registry as report_registry
from servicenamnden.render.downloads import captions
from servicenamnden.render.quarto_exec import options, read_document

ROOT = Path(__file__).resolve().parents[1]
# A check table with no rows for the year is a plain GT saying so (it publishes no numbers).
KINDS = {"table": (Table, Published, GT, MissingTable), "figure": (Chart, MissingChart)}


class Reads(Mapping):
    """Data files that remember which of them were read."""

    def __init__(self, frames: Mapping[str, pd.DataFrame]) -> None:
        self.frames, self.read = frames, set()

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = self.frames[name]
        self.read.add(f"{name}.csv")
        return frame

    def __iter__(self) -> Iterator[str]:
        return iter(self.frames)

    def __len__(self) -> int:
        return len(self.frames)


def lacks_year(folder: Path, name: str, ar: int) -> bool:
    """Whether data file ``name`` is absent from ``folder`` or has rows by year but none for ``ar``."""
    frame = data.load_optional(name.removesuffix(".csv"), folder)
    return frame is None or ("ar" in frame.columns and not (frame["ar"] == ar).any())


def built(folder: Path, ar: int, monkeypatch) -> dict[str, object]:
    """Every entry of the report's registry built for ``ar`` from ``folder``."""
    monkeypatch.setenv("SN_DATA", str(folder))
    data.clear_cache()
    return report_registry.build_tables(ar, folder)


def assert_every_entry_in_its_place(results: dict[str, object], folder: Path, ar: int) -> None:
    """Each result is of its label's kind, and a table or chart says its data are missing only when a file
    its entry names lacks the year (a table may also show a missing figure as – with a note)."""
    assert set(results) == set(report_registry.REPORT_ENTRIES)
    for label, result in results.items():
        entry = report_registry.REPORT_ENTRIES[label]
        assert isinstance(result, KINDS[entry.kind]), (label, type(result).__name__)
        if entry.files == report_registry.EVERY_FILE:
            continue
        missing = isinstance(result, MissingTable | MissingChart)
        assert not missing or any(lacks_year(folder, name, ar) for name in entry.files), label


def test_every_entry_is_built_for_the_documents_year(monkeypatch):
    assert_every_entry_in_its_place(built(ROOT / "data", 2023, monkeypatch), ROOT / "data", 2023)


@pytest.mark.slow  # a whole-data run: every table and chart and all avstämningar
def test_every_entry_is_built_for_the_invented_2024(monkeypatch):
    folder = ROOT / "tests" / "fixtures" / "data_2024"
    results = built(folder, 2024, monkeypatch)
    assert_every_entry_in_its_place(results, folder, 2024)
    assert not any(isinstance(r, MissingTable | MissingChart) for r in results.values())  # a full year


@pytest.mark.slow  # imports a workbook, then a whole-data run
def test_every_entry_is_built_for_a_partial_2024(partial_2024, partial_2024_builder, monkeypatch):
    results = built(partial_2024, 2024, monkeypatch)
    assert_every_entry_in_its_place(results, partial_2024, 2024)
    missing = {label for label, r in results.items() if isinstance(r, MissingTable | MissingChart)}
    brought = {f"{name}.csv" for name in partial_2024_builder.PRESENT}
    # only a table or chart that needs a file the workbook did not bring says its data are missing
    assert missing and all(set(registry.ENTRIES[label].files) - brought for label in missing)
    assert "tbl-resultatrakning" not in missing and "tbl-kunddialog" in missing


def test_an_entry_reads_exactly_the_files_it_names(real_data):
    for label, entry in registry.ENTRIES.items():
        source = Reads(real_data)
        entry.build(source, 2023)
        present = {name for name in entry.files if name.removesuffix(".csv") in real_data}
        assert source.read == present, label


def test_a_builder_cannot_read_a_file_its_entry_does_not_name():
    sneaky = registry.Entry("tbl-x", ("a.csv",), lambda d, ar: d["b"])
    with pytest.raises(KeyError, match="tbl-x läser b.csv"):
        sneaky.build({"a": pd.DataFrame(), "b": pd.DataFrame()}, 2023)


def test_a_label_cannot_be_given_twice():
    entry = registry.Entry("tbl-x", (), lambda d, ar: None)
    with pytest.raises(ValueError, match="tbl-x två gånger"):
        registry.by_label([entry, entry])


def test_every_table_keeps_its_numbers_before_formatting(real_data):
    for label, result in registry.build_tables(real_data, 2023).items():
        frame = registry.numbers(result)
        if isinstance(result, Table):
            assert frame is result.frame and len(frame) == len(result.data_payload()["rows"]), label
        else:
            assert frame is None, label  # a chart, or a table whose data lack the year


def test_every_labelled_cell_of_the_notebooks_shows_its_entry_and_nothing_else():
    """A notebook is thin: each tbl-/fig- cell is its options and one call, and every entry has one cell."""
    shown = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook, _ = read_document(path)
        for cell in notebook.cells:
            label = str(options(cell).get("label", "")) if cell.cell_type == "code" else ""
            if label.startswith(("tbl-", "fig-")):
                code = [line for line in cell.source.splitlines() if not line.startswith("#|")]
                assert code == [f'visa("{label}")'], (path.name, label)
                shown.append(label)
    assert sorted(shown) == sorted(report_registry.REPORT_ENTRIES)


def test_the_open_data_take_their_captions_from_the_notebooks(project):
    found = captions(nb for nb, _ in project.notebooks)
    assert set(found) == {label for label in report_registry.REPORT_ENTRIES if label.startswith("tbl-")}
    assert all(found.values())


def test_every_table_embed_of_the_article_brings_its_download_links():
    """The links under a table are one shortcode after its embed (the markup is written once, in
    opendata.download_block); the appendix's check tables link the complete list of checks instead."""
    article = (ROOT / "report.qmd").read_text(encoding="utf-8")
    embeds = re.findall(
        r"\{\{< embed notebooks/[\w-]+\.ipynb#(tbl-[\w-]+) >\}\}(?=\n+(.{0,60}))", article, re.S
    )
    assert {label for label, _ in embeds} == {
        label for label in report_registry.REPORT_ENTRIES if label.startswith("tbl-")
    } - {"tbl-avstamningar-alla", "tbl-avstamningar-utan-underlag"} - set(  # shown on the notebook page only
        harledning_tabeller.chart_tables(article)  # a chart's values, linked under the chart
    )
    without = [
        label
        for label, after in embeds
        if not after.startswith(f"{{{{< lank {label} >}}}}") and label not in report_registry.CHECK_ENTRIES
    ]
    assert without == []
