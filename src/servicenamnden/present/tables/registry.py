"""The registry: every table and figure of the report, by its label, with the data files it reads.

One entry per table or chart: its label (``tbl-…``, ``fig-…``, as in the notebook cell and in
``report.qmd``), the data files it reads (by file name, ``resultatrakning.csv``) and the builder that
goes from those files to the table (data → domain → table). The notebooks show ``build(label, …)``,
the tests iterate over :data:`ENTRIES`, and the pre-render step writes the open data from the same
builders without a kernel. A builder can read only the files its entry names (:class:`Files`), so the
list stays true. The result keeps its numbers: a :class:`~servicenamnden.present.tables.spec.Table`'s
``frame`` (before formatting), a chart's data. Where the year's data are missing the result is the
table's or chart's place saying so (:mod:`servicenamnden.present.show`), never a traceback.

Adding a table is one :class:`Entry` here (and its cell in a notebook and its embed in the article).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from servicenamnden.domain import ekonomi, fakta, ms_ao, years
from servicenamnden.io import data as data_io
from servicenamnden.present import figures, tables
from servicenamnden.present.show import or_note
from servicenamnden.present.tables.spec import Published, Table

OPTIONAL = ("sjukfranvaro_timmar",)  # a file the data may lack; its table then says so


class FolderData(Mapping):
    """The data files of a folder (``data/`` by default), each loaded and validated when first asked for."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = (
            data_io.load_optional(name, self.folder) if name in OPTIONAL else data_io.load(name, self.folder)
        )
        if frame is None:
            raise KeyError(name)
        return frame

    def __iter__(self) -> Iterator[str]:
        return iter(data_io.data_files(self.folder))

    def __len__(self) -> int:
        return len(data_io.data_files(self.folder))


class Files:
    """The data a builder may read: only the files its entry names, so the entry's list stays true."""

    def __init__(self, source: Mapping[str, pd.DataFrame], label: str, files: tuple[str, ...]) -> None:
        self.source, self.label, self.files = source, label, files

    def _allowed(self, name: str) -> None:
        if f"{name}.csv" not in self.files:
            raise KeyError(
                f"{self.label} läser {name}.csv, som inte står bland filerna i dess post i registret"
            )

    def __getitem__(self, name: str) -> pd.DataFrame:
        """The file ``name`` (without ``.csv``); it must be one of the entry's files."""
        self._allowed(name)
        return self.source[name]

    def get(self, name: str) -> pd.DataFrame | None:
        """The file ``name``, or ``None`` when the data lack it (an optional file)."""
        self._allowed(name)
        return self.source.get(name)


Builder = Callable[[Files, int], object]


@dataclass(frozen=True)
class Entry:
    """One table or chart: its label, the data files it reads (file names) and its builder."""

    label: str
    files: tuple[str, ...]
    builder: Builder

    @property
    def kind(self) -> str:
        """``table`` or ``figure``, from the label."""
        return "table" if self.label.startswith("tbl-") else "figure"

    def build(self, data: Mapping[str, pd.DataFrame], ar: int) -> object:
        """The table or chart for ``ar`` from ``data`` (name → frame), or its place saying what is missing."""
        return self.builder(Files(data, self.label, self.files), ar)


def entry(label: str, *files: str) -> Callable[[Builder], Entry]:
    """Declare a builder as the entry ``label`` reading ``files`` (names without ``.csv``)."""
    return lambda builder: Entry(label, tuple(f"{name}.csv" for name in files), builder)


def shown_from(label: str, *files: str, build: Callable[..., object]) -> Entry:
    """The entry ``label`` that gives ``build`` its ``files`` in order and the year (a note in its place
    when the year is missing): the files are named once, for the reading and for the declaration."""
    return entry(label, *files)(lambda d, ar: or_note(build, *(d[name] for name in files), ar))


# --- Economy ---------------------------------------------------------------------------------------


def income_statement(d: Files, ar: int) -> object:
    """The year's income statement (a note in its place when the year is missing)."""
    return or_note(ekonomi.income_statement, d["resultatrakning"], d["konton"], ar)


def areas(d: Files, ar: int) -> object:
    """The year's result per area."""
    return or_note(ekonomi.result_per_area, d["driftredovisning"], d["omraden"], ar)


def investments(d: Files, ar: int) -> object:
    """The year's investments, or a note in the tables' place when the year is missing."""
    return or_note(
        ekonomi.investments, or_note(years.for_year, d["investeringar"], ar, "investeringarna"), ar
    )


ECONOMY = (
    entry("tbl-resultatrakning", "resultatrakning", "konton", "driftredovisning", "omraden")(
        lambda d, ar: or_note(tables.income_statement_table, income_statement(d, ar), ar, areas(d, ar))
    ),
    entry("tbl-justerad-jamforelse", "resultatrakning", "konton", "ekonomi_justeringar")(
        lambda d, ar: or_note(
            tables.adjusted_comparison_table,
            or_note(ekonomi.adjusted_comparison, income_statement(d, ar), d["ekonomi_justeringar"], ar),
        )
    ),
    entry("tbl-driftredovisning", "driftredovisning", "omraden")(
        lambda d, ar: or_note(tables.result_per_area_table, areas(d, ar), ar)
    ),
    entry("fig-driftredovisning", "driftredovisning", "omraden")(
        lambda d, ar: or_note(figures.result_per_area_chart, areas(d, ar), ar)
    ),
    entry("tbl-omraden", "omraden")(lambda d, ar: or_note(tables.area_units_table, d["omraden"])),
    shown_from(
        "tbl-forklarade-avvikelser", "avvikelser_omraden", "omraden", build=tables.area_explanations_table
    ),
    entry("tbl-investeringar", "investeringar", "fakta")(
        lambda d, ar: or_note(
            tables.investments_table,
            investments(d, ar),
            ar,
            fakta.fact(d["fakta"], "investeringar_prognos", ar),
        )
    ),
)


@entry("tbl-investeringar-orsaker", "investeringar", "investeringar_orsaker")
def investment_reasons(d: Files, ar: int) -> object:
    """The stated reasons for the investments' deviation, against the deviation itself."""
    deviation = or_note(lambda inv: float(inv["avvikelse_helar"].iloc[-1]), investments(d, ar))
    reasons = or_note(
        ekonomi.deviation_reasons,
        or_note(years.for_year, d["investeringar_orsaker"], ar, "orsakerna"),
        deviation,
        ar,
    )
    return or_note(tables.investment_reasons_table, reasons, deviation)


# --- Goals, environment, staff, customers, internal control ----------------------------------------

OTHERS = (
    shown_from("tbl-processmal", "processmal", build=tables.process_goals_table),
    shown_from("tbl-huvudprocesser", "huvudprocesser", build=tables.main_processes_table),
    shown_from("tbl-ataganden", "ataganden", build=tables.commitments_table),
    entry("tbl-miljomal", "miljomal", "matsvinn", "miljo_nyckeltal")(
        lambda d, ar: or_note(
            tables.environmental_goals_for_year, d["miljomal"], d["matsvinn"], d["miljo_nyckeltal"], ar
        )
    ),
    entry("fig-miljomal", "miljomal", "matsvinn", "miljo_nyckeltal")(
        lambda d, ar: or_note(
            figures.goals_chart_for_year, d["miljomal"], d["matsvinn"], d["miljo_nyckeltal"], ar
        )
    ),
    entry("tbl-miljomal-avstand", "miljomal", "matsvinn", "miljo_nyckeltal")(
        lambda d, ar: or_note(
            tables.goal_margins_for_year, d["miljomal"], d["matsvinn"], d["miljo_nyckeltal"], ar
        )
    ),
    shown_from("tbl-matsvinn", "matsvinn", "miljomal", build=tables.food_waste_for_year),
    shown_from("fig-matsvinn", "matsvinn", "miljomal", build=figures.food_waste_chart_for_year),
    entry("tbl-miljo-nyckeltal", "miljo_nyckeltal", "klimatbelastning", "nara_livsmedel", "fossilfritt")(
        lambda d, ar: or_note(
            tables.environment_key_figures_table,
            d["miljo_nyckeltal"],
            d["klimatbelastning"],
            d["nara_livsmedel"],
            d["fossilfritt"],
            ar,
        )
    ),
    shown_from("tbl-kunddialog", "kunddialog", build=tables.dialogue_table),
    shown_from("tbl-arbetsskador", "arbetsmiljo", build=tables.injuries_table),
    shown_from("tbl-medarbetarenkat", "medarbetarenkat", build=tables.survey_table),
    shown_from("tbl-sjukfranvaro", "sjukfranvaro", build=tables.sjukfranvaro_table),
    entry("tbl-sjukfranvaro-lag", "sjukfranvaro_timmar")(
        lambda d, ar: or_note(tables.statutory_sjukfranvaro_for_year, d.get("sjukfranvaro_timmar"), ar)
    ),
    shown_from("fig-sjukfranvaro", "sjukfranvaro", build=figures.sjukfranvaro_chart),
    shown_from("tbl-risker", "internkontroll_risker", build=tables.risks_table),
    shown_from("fig-riskmatris", "internkontroll_risker", build=figures.risk_matrix_chart),
    shown_from("tbl-direktupphandlingar", "internkontroll_avvikelser", build=tables.purchases_table),
)

# --- MS ÄO and fees ----------------------------------------------------------------------------------

COSTS = (
    entry("tbl-ms-ao-kostnader", "ms_ao_kostnader", "kostnadsslag", "ms_ao_index")(
        lambda d, ar: or_note(
            tables.ms_ao_cost_table, d["ms_ao_kostnader"], d["kostnadsslag"], d["ms_ao_index"], ar
        )
    ),
    shown_from("tbl-ms-ao-index", "ms_ao_kostnader", "ms_ao_index", build=tables.ms_ao_index_table),
    entry("tbl-ms-ao-forandring", "ms_ao_kostnader", "kostnadsslag")(
        lambda d, ar: or_note(
            tables.ms_ao_change_table,
            d["ms_ao_kostnader"],
            d["kostnadsslag"],
            ms_ao.base_year(d["ms_ao_kostnader"]),
            ar,
        )
    ),
    shown_from("fig-ms-ao-index", "ms_ao_kostnader", "ms_ao_index", build=figures.ms_ao_index_chart),
    entry("tbl-brukaravgifter", "brukaravgifter", "abonnemang")(
        lambda d, ar: or_note(tables.brukaravgifter_table, d["brukaravgifter"], d["abonnemang"])
    ),
    entry("tbl-avgift-mot-kostnad", "brukaravgifter", "abonnemang", "ms_ao_kostnader", "ms_ao_index")(
        lambda d, ar: or_note(
            tables.fee_comparison_table,
            d["brukaravgifter"],
            d["abonnemang"],
            d["ms_ao_kostnader"],
            d["ms_ao_index"],
            ar,
        )
    ),
    entry("tbl-brukaravgifter-index", "brukaravgifter", "abonnemang", "ms_ao_kostnader", "ms_ao_index")(
        lambda d, ar: or_note(
            tables.fee_index_table,
            d["brukaravgifter"],
            d["abonnemang"],
            d["ms_ao_kostnader"],
            d["ms_ao_index"],
        )
    ),
    entry("fig-brukaravgifter", "brukaravgifter", "abonnemang", "ms_ao_kostnader", "ms_ao_index")(
        lambda d, ar: or_note(
            figures.brukaravgifter_chart,
            d["brukaravgifter"],
            d["abonnemang"],
            d["ms_ao_kostnader"],
            d["ms_ao_index"],
        )
    ),
)


def numbers(result: object) -> pd.DataFrame | None:
    """The numbers behind a built table, before formatting: a :class:`Table`'s frame, a published GT's
    data; ``None`` for a chart or a table whose data lack the year."""
    if isinstance(result, Table):
        return result.frame
    if isinstance(result, Published):
        return result.data
    return None


def by_label(entries: Iterable[Entry]) -> dict[str, Entry]:
    """Label → entry; a label given twice stops (two tables would share one CSV file)."""
    found: dict[str, Entry] = {}
    for item in entries:
        if item.label in found:
            raise ValueError(f"registret har etiketten {item.label} två gånger")
        found[item.label] = item
    return found


ENTRIES: dict[str, Entry] = by_label([*ECONOMY, investment_reasons, *OTHERS, *COSTS])
# Each chart and the table of the values it draws (issue 20: a chart's values open through its table). The
# table stands beside the chart in the article, or on the chart's notebook page, linked under the chart.
CHART_VALUES = {
    "fig-driftredovisning": "tbl-driftredovisning",
    "fig-miljomal": "tbl-miljomal-avstand",
    "fig-matsvinn": "tbl-matsvinn",
    "fig-sjukfranvaro": "tbl-sjukfranvaro",
    "fig-riskmatris": "tbl-risker",
    "fig-ms-ao-index": "tbl-ms-ao-index",
    "fig-brukaravgifter": "tbl-brukaravgifter-index",
}


def for_year(
    ar: int | None = None,
    data: Mapping[str, pd.DataFrame] | None = None,
    entries: Mapping[str, Entry] = ENTRIES,
) -> Callable[[str], object]:
    """What a notebook shows: label → the table or chart for ``ar`` (default: the report year) from ``data``
    (default: ``data/``), each file loaded once for all of them."""
    year = years.resolve_year(ar)
    source = FolderData() if data is None else data
    return lambda label: entries[label].build(source, year)


def build_tables(
    data: Mapping[str, pd.DataFrame] | None, ar: int, entries: Mapping[str, Entry] = ENTRIES
) -> dict[str, object]:
    """Every table and figure of the year by its label, built from ``data`` (default: ``data/``)."""
    show = for_year(ar, data, entries)
    return {label: show(label) for label in entries}
