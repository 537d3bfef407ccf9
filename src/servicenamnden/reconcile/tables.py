"""The appendix Datakontroller as tables: a summary per kind and family, the differing checks in full,
the complete list (for the site) and the document's claims that cannot be checked.

The document (HTML and PDF) shows the summary and the differing checks; the complete list is a page
of the site and a CSV download (:func:`servicenamnden.reconcile.summary.write_csv`). The notes that
explain the columns and statuses stand under the short summary table, never under a long table that
splits across pages (where a table foot would repeat on every page). Self-contained on great_tables:
widths in percent so they survive Quarto's conversion to typst; every figure through
:mod:`servicenamnden.present.fmt` (the summary's counts as numbers, formatted by GT with ``fmt.count``;
a check's figures by the check, since each row has its own unit and precision).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from great_tables import GT

from servicenamnden.domain.rounding import round_half_up
from servicenamnden.present import fmt
from servicenamnden.present.tables.spec import Published, published
from servicenamnden.reconcile.model import (
    AVVIKER,
    FAMILIES,
    KINDS,
    STATUS_ORDER,
    Check,
    Claim,
    difference_unit,
    format_amount,
)
from servicenamnden.reconcile.run import ordered
from servicenamnden.reconcile.summary import family_label, family_summary

TABLE_WIDTH = "100%"
FONT_SIZE = "90%"
SMALL_FONT_SIZE = "80%"
ROW_PADDING = "3px"

SUMMARY_LABELS = {
    "familj": "Slag av kontroll",
    "kontroller": "Kontroller",
    "stammer": "Stämmer",
    "inom_avrundning": "Inom avrundning",
    "avviker": "Avviker",
    "kan_inte_goras": "Kan inte göras",
}
SUMMARY_WIDTHS = {
    "familj": "38%",
    "kontroller": "14%",
    "stammer": "14%",
    "inom_avrundning": "20%",
    "avviker": "14%",
}
# With checks that cannot be made (a year whose data lack an input), one column more.
SUMMARY_WIDTHS_MISSING = {
    "familj": "32%",
    "kontroller": "12%",
    "stammer": "12%",
    "inom_avrundning": "16%",
    "avviker": "12%",
    "kan_inte_goras": "16%",
}
DETAIL_WIDTHS = {
    "Kontroll": "28%",
    "Uppgift": "12%",
    "Beräknat": "12%",
    "Skillnad": "11%",
    "Förklaring": "37%",
}
COMPLETE_WIDTHS = {
    "Kontroll": "40%",
    "Uppgift": "13%",
    "Beräknat": "13%",
    "Skillnad": "12%",
    "Status": "22%",
}
UNVERIFIABLE_WIDTHS = {"Uppgift": "34%", "Avsnitt": "22%", "Källans uppgift": "12%", "Varför": "32%"}

NOTE_KINDS = (
    "Årets data: årets datafiler stäms av mot varandra, till exempel resultaträkningen mot "
    "driftredovisningens områden och förklaringarnas delposter mot områdets resultat. "
    "Källdokumentets uppgifter: de summor, förändringar och upprepade tal som verksamhetsberättelsen "
    "trycker, räknade om ur datafilerna; de prövas bara för det år dokumentet redovisar."
)
NOTE_COLUMNS = (
    "Uppgift är det angivna talet (i källdokumentet eller i en av datafilerna), Beräknat samma storhet "
    "räknad ur delarna eller hämtad från det andra stället där den står, och Skillnad uppgift minus "
    "beräknat; mellan två procenttal anges den i procentenheter (p.e.)."
)
NOTE_STATUS = (
    "Stämmer: det beräknade värdet, avrundat som uppgiften, är lika med uppgiften. Stämmer inom "
    "avrundning: skillnaden ryms i avrundningen av uppgiften och av de avrundade tal den räknas ur, "
    "till exempel högst 0,05 mnkr för varje belopp som anges med en decimal. Avviker: skillnaden är "
    "större än så. Antal ska stämma exakt."
)
NOTE_MISSING = (
    "Kan inte göras: årets datafiler saknar ett av talen som kontrollen jämför, så den kan inte "
    "göras förrän uppgifterna har lagts in; hela listan visar vilka."
)


def _table(frame: pd.DataFrame, table_id: str, stub: str, numeric: Sequence[str], **groups: str) -> GT:
    """A GT with a stub of row headers, right-aligned figures, percent widths and our common options."""
    table = GT(frame, rowname_col=stub, id=table_id, **groups).tab_stubhead(stub)
    if numeric:
        table = table.cols_align("right", columns=list(numeric))
    return table.tab_options(table_width=TABLE_WIDTH, table_font_size=FONT_SIZE)


def _rows_stay_whole(table: GT, table_id: str) -> GT:
    """Keep each row on one page in print: a long explanation never leaves a fragment of a row behind."""
    return table.opt_css(f"#{table_id} tr {{ break-inside: avoid; page-break-inside: avoid; }}")


def _empty(message: str, table_id: str) -> GT:
    """A one-line table saying there is nothing to list (a notebook cell must still show a table)."""
    return GT(pd.DataFrame({"Avstämningar": [message]}), id=table_id).tab_options(
        table_width=TABLE_WIDTH, table_font_size=FONT_SIZE
    )


def summary_table(checks: Iterable[Check]) -> GT:
    """Per kind and family: checks, holding, within rounding, differing (counts as numbers); the notes."""
    frame = family_summary(checks)
    if frame.empty:
        return _empty("Inga avstämningar för året.", "tbl-avstamningar-sammanfattning-gt")
    counts = [c for c in frame.columns if c not in ("slag", "familj")]
    missing = "kan_inte_goras" in counts
    table = (
        _table(frame, "tbl-avstamningar-sammanfattning-gt", "familj", counts, groupname_col="slag")
        .tab_stubhead(SUMMARY_LABELS["familj"])
        .cols_label(**{k: v for k, v in SUMMARY_LABELS.items() if k in counts})
        .fmt(fmt.count, columns=counts)
        .cols_width(SUMMARY_WIDTHS_MISSING if missing else SUMMARY_WIDTHS)
        .tab_source_note(NOTE_KINDS)
        .tab_source_note(NOTE_COLUMNS)
        .tab_source_note(NOTE_STATUS)
    )
    return table.tab_source_note(NOTE_MISSING) if missing else table


def _detail_frame(rows: Sequence[Check]) -> pd.DataFrame:
    """The checks' figures as the checks format them (each row has its own unit and precision)."""
    return pd.DataFrame(
        {
            "Kontroll": [c.description for c in rows],
            "Uppgift": [c.expected_text for c in rows],
            "Beräknat": [c.actual_text for c in rows],
            "Skillnad": [c.difference_text for c in rows],
        }
    )


def differing_table(checks: Iterable[Check]) -> GT:
    """The checks that differ, in full, grouped by kind: both figures, the difference and an explanation; no notes."""
    rows = [c for c in ordered(list(checks)) if c.status == AVVIKER]
    if not rows:
        return _empty("Ingen avstämning avviker.", "tbl-avstamningar-avviker-gt")
    frame = _detail_frame(rows).assign(
        Förklaring=[c.explanation or fmt.MISSING for c in rows], Slag=[KINDS[c.kind] for c in rows]
    )
    table = (
        _table(
            frame,
            "tbl-avstamningar-avviker-gt",
            "Kontroll",
            ["Uppgift", "Beräknat", "Skillnad"],
            groupname_col="Slag",
        )
        .cols_width(DETAIL_WIDTHS)
        .tab_options(table_font_size=SMALL_FONT_SIZE, data_row_padding=ROW_PADDING)
    )
    return _rows_stay_whole(table, "tbl-avstamningar-avviker-gt")


def complete_table(checks: Iterable[Check]) -> GT:
    """Every check, one line each, grouped by kind and family: the complete list for the site."""
    kinds, families = list(KINDS), list(FAMILIES)
    rows = sorted(
        checks,
        key=lambda c: (kinds.index(c.kind), families.index(c.family), STATUS_ORDER.index(c.status)),
    )
    if not rows:
        return _empty("Inga avstämningar för året.", "tbl-avstamningar-alla-gt")
    frame = _detail_frame(rows).assign(
        Status=[c.status.short for c in rows], Slag=[family_label(c) for c in rows]
    )
    return (
        _table(
            frame,
            "tbl-avstamningar-alla-gt",
            "Kontroll",
            ["Uppgift", "Beräknat", "Skillnad"],
            groupname_col="Slag",
        )
        .cols_width(COMPLETE_WIDTHS)
        .tab_options(
            table_font_size=SMALL_FONT_SIZE, data_row_padding=ROW_PADDING, row_group_padding=ROW_PADDING
        )
    )


def unverifiable_table(
    claims: Iterable[tuple[Claim, str]], ar: int | None = None, document_year: int | None = None
) -> GT:
    """Figures the source states without anything to check them against, and why.

    In another year's report than the document's, the document's claims are not judged: the table says so.
    """
    rows = list(claims)
    if not rows:
        message = (
            f"Källdokumentets uppgifter gäller {document_year} och stäms bara av i rapporten för det året."
            if ar is not None and document_year is not None and ar != document_year
            else "Alla uppgifter i källdokumentet har något att stämmas av mot."
        )
        return _empty(message, "tbl-avstamningar-utan-underlag-gt")
    frame = pd.DataFrame(
        {
            "Uppgift": [f"{c.beskrivning} ({c.ar})" for c, _ in rows],
            "Avsnitt": [c.avsnitt for c, _ in rows],
            "Källans uppgift": [format_amount(c.value, c.unit, c.decimals) for c, _ in rows],
            "Varför": [reason for _, reason in rows],
        }
    )
    return (
        _table(frame, "tbl-avstamningar-utan-underlag-gt", "Uppgift", ["Källans uppgift"])
        .cols_label(**{"Varför": "Varför den inte kan stämmas av"})
        .cols_width(UNVERIFIABLE_WIDTHS)
        .tab_options(table_font_size=SMALL_FONT_SIZE, data_row_padding=ROW_PADDING)
    )


# --- The numbers each table publishes (open data: CSV and workbook), never read back from the HTML ---


def _shown_unit(unit: str) -> str:
    """The unit as a figure of ``unit`` shows it (``tkr``, ``%``, ``p.e.``); empty for a bare number."""
    text = format_amount(1.0, unit, 0)
    return text.split(fmt.NBSP, 1)[1] if fmt.NBSP in text else ""


def _rounded(value: float, decimals: int) -> float | None:
    """A figure rounded as the table shows it (half up); None where it is missing."""
    return None if fmt.is_missing(value) else round_half_up(value, decimals)


def _detail_data(rows: Sequence[Check], group: Sequence[str], last: dict[str, list[str]]) -> pd.DataFrame:
    """Each check's figures as numbers, rounded as shown, each followed by the unit it is shown in."""
    return pd.DataFrame(
        {
            "Grupp": list(group),
            "Kontroll": [c.description for c in rows],
            "Uppgift": [_rounded(c.expected, c.decimals) for c in rows],
            "Uppgift, enhet": [_shown_unit(c.unit) for c in rows],
            "Beräknat": [_rounded(c.actual, c.shown_decimals) for c in rows],
            "Beräknat, enhet": [_shown_unit(c.unit) for c in rows],
            "Skillnad": [_rounded(c.difference, c.shown_decimals) for c in rows],
            "Skillnad, enhet": [_shown_unit(difference_unit(c.unit)) for c in rows],
            **last,
        }
    )


def published_summary(checks: Iterable[Check]) -> Published | GT:
    """:func:`summary_table` with its counts as open data."""
    checks = list(checks)
    frame = family_summary(checks)
    if frame.empty:
        return summary_table(checks)
    data = frame.rename(columns={"slag": "Grupp", **SUMMARY_LABELS})
    return published(summary_table(checks), data)


def published_differing(checks: Iterable[Check]) -> Published | GT:
    """:func:`differing_table` with its figures as open data."""
    checks = list(checks)
    rows = [c for c in ordered(checks) if c.status == AVVIKER]
    if not rows:
        return differing_table(checks)
    explanation = [c.explanation or None for c in rows]
    data = _detail_data(rows, [KINDS[c.kind] for c in rows], {"Förklaring": explanation})
    return published(differing_table(checks), data)


def published_complete(checks: Iterable[Check]) -> Published | GT:
    """:func:`complete_table` with its figures as open data."""
    checks = list(checks)
    kinds, families = list(KINDS), list(FAMILIES)
    rows = sorted(
        checks,
        key=lambda c: (kinds.index(c.kind), families.index(c.family), STATUS_ORDER.index(c.status)),
    )
    if not rows:
        return complete_table(checks)
    data = _detail_data(rows, [family_label(c) for c in rows], {"Status": [c.status.short for c in rows]})
    return published(complete_table(checks), data)


def published_unverifiable(
    claims: Iterable[tuple[Claim, str]], ar: int | None = None, document_year: int | None = None
) -> Published | GT:
    """:func:`unverifiable_table` with the source's figures as open data."""
    rows = list(claims)
    table = unverifiable_table(rows, ar, document_year)
    if not rows:
        return table
    data = pd.DataFrame(
        {
            "Uppgift": [f"{c.beskrivning} ({c.ar})" for c, _ in rows],
            "Avsnitt": [c.avsnitt for c, _ in rows],
            "Källans uppgift": [_rounded(c.value, c.decimals) for c, _ in rows],
            "Källans uppgift, enhet": [_shown_unit(c.unit) for c, _ in rows],
            "Varför den inte kan stämmas av": [reason for _, reason in rows],
        }
    )
    return published(table, data)
