"""The report's whole registry: every table and figure of :mod:`servicenamnden.present.tables.registry`
plus the appendix's check tables, which are built from the avstämningar (a later stage than present).

The check tables read every data file (the avstämningar compare them all); their entries say so with
:data:`EVERY_FILE`. The avstämningar are run once per :class:`ReportData`, however many tables use them.
This module sits with the render tools only because the check tables' stage (reconcile) comes after
present; it holds no wiring of its own beyond these four entries.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from servicenamnden.domain.years import resolve_year
from servicenamnden.present.tables import registry
from servicenamnden.present.tables.registry import ENTRIES, Entry, Files, FolderData, by_label
from servicenamnden.present.tables.registry import for_year as present_for_year
from servicenamnden.reconcile import checks
from servicenamnden.reconcile import tables as check_tables

EVERY_FILE = ("*.csv",)  # an entry that reads every data file of the folder


class ReportData(FolderData):
    """The data files of a folder and the year's avstämningar on them, run once when first asked for."""

    def __init__(self, ar: int, folder: Path | None = None, ran: list[checks.Check] | None = None) -> None:
        super().__init__(folder)
        self.ar = ar
        if ran is not None:
            self.__dict__["avstamningar"] = ran

    @cached_property
    def avstamningar(self) -> list[checks.Check]:
        """Every avstämning of the year on these data."""
        return checks.run_all(self.folder, ar=self.ar)


def avstamningar(d: Files, ar: int) -> list[checks.Check]:
    """The year's avstämningar: those already run on the data, else run now."""
    source = d.source
    if isinstance(source, ReportData) and source.ar == ar:
        return source.avstamningar
    return checks.run_all(ar=ar)


CHECK_ENTRIES = by_label(
    [
        Entry(
            "tbl-avstamningar-sammanfattning",
            EVERY_FILE,
            lambda d, ar: check_tables.published_summary(avstamningar(d, ar)),
        ),
        Entry(
            "tbl-avstamningar-avviker",
            EVERY_FILE,
            lambda d, ar: check_tables.published_differing(avstamningar(d, ar)),
        ),
        Entry(
            "tbl-avstamningar-alla",
            EVERY_FILE,
            lambda d, ar: check_tables.published_complete(avstamningar(d, ar)),
        ),
        Entry(
            "tbl-avstamningar-utan-underlag",
            ("pastaenden.csv",),
            lambda d, ar: check_tables.published_unverifiable(
                checks.unverifiable_claims(ar=ar), ar, checks.document_year()
            ),
        ),
    ]
)

REPORT_ENTRIES: dict[str, Entry] = by_label([*ENTRIES.values(), *CHECK_ENTRIES.values()])


def for_year(ar: int | None = None, folder: Path | None = None) -> Callable[[str], object]:
    """What a notebook shows: label → the report's table or chart for ``ar`` (default: the report year),
    the avstämningar run once for all of them."""
    year = resolve_year(ar)
    return present_for_year(year, ReportData(year, folder), REPORT_ENTRIES)


def build_tables(
    ar: int, folder: Path | None = None, ran: list[checks.Check] | None = None
) -> dict[str, object]:
    """Every table and figure of the report for ``ar`` by its label (``ran``: the avstämningar, if run)."""
    return registry.build_tables(ReportData(ar, folder, ran), ar, REPORT_ENTRIES)
