"""The appendix Datakontroller: the avstämningar as tables an auditor can read on A4.

Three tables: the checks that differ, in full (both figures, the difference and a plain explanation);
a compact list of all the others grouped by family; and the claims that cannot be checked. Every
figure is formatted by :mod:`servicenamnden.present.fmt` (through the check itself), widths are in percent so
they survive Quarto's conversion to Typst.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
from great_tables import GT

from servicenamnden.present.tables import TABLE_WIDTH, _gt
from servicenamnden.reconcile import checks as chk
from servicenamnden.reconcile.checks import AVVIKER, FAMILIES, STATUS_ORDER, Check, Claim

STATUS_WORDS = {
    chk.STAMMER: "Stämmer",
    chk.INOM_AVRUNDNING: "Stämmer inom avrundning",
    chk.AVVIKER: "Avviker",
}
DETAIL_WIDTHS = {
    "Kontroll": "22%",
    "Källans uppgift": "12%",
    "Beräknat": "12%",
    "Skillnad": "11%",
    "Status": "9%",
    "Förklaring": "34%",
}
OVERVIEW_WIDTHS = {"Kontroll": "58%", "Källans uppgift": "13%", "Beräknat": "13%", "Status": "16%"}
SHORT_STATUS = {chk.STAMMER: "Stämmer", chk.INOM_AVRUNDNING: "Inom avrundning"}
ROW_PADDING = "3px"
UNVERIFIABLE_WIDTHS = {"Uppgift": "34%", "Avsnitt": "22%", "Källans uppgift": "12%", "Varför": "32%"}

NOTE_DIFFERENCE = (
    "Skillnad = källans uppgift minus beräknat värde; mellan två procenttal anges den i procentenheter (p.e.). "
    "För en uppgift som står på två ställen är Beräknat värdet på det andra stället."
)
NOTE_STATUS = (
    "Stämmer: det beräknade värdet, avrundat som källan avrundar, är lika med källans uppgift. "
    "Stämmer inom avrundning: skillnaden ryms i avrundningen av källans uppgift och av de avrundade tal den "
    "räknas ur, till exempel högst 0,05 mnkr för varje belopp som källan anger med en decimal. "
    "Avviker: skillnaden är större än så."
)
NOTE_TOLERANCES = (
    "Stämmer: det beräknade värdet, avrundat som källan avrundar, är lika med källans uppgift. "
    "Inom avrundning: skillnaden ryms i avrundningen. Toleranser: ett belopp som källan anger med en "
    "decimal kan avvika 0,05 mnkr från det exakta, och en summa av sådana belopp lika mycket för varje "
    "tal; en procentsats med en decimal 0,05 procentenheter. "
    "Brukaravgifterna är avrundade till hela kronor, så en gemensam procentsats ger små avgifter en annan "
    "förändring (högst 0,5 kr av avgiften, för varje höjning). Antal ska stämma exakt, och en uppgift som "
    "står på två ställen får bara skilja så mycket som de två avrundningarna tillåter."
)


def ordered(checks: Iterable[Check]) -> list[Check]:
    """Differing first, then within rounding, then holding; by family within each status."""
    families = list(FAMILIES)
    return sorted(checks, key=lambda c: (STATUS_ORDER.index(c.status), families.index(c.family)))


def checks_table(checks: Sequence[Check], table_id: str = "tbl-avstamningar-gt") -> GT:
    """Every given check in full: both figures, the difference, the status in words and the explanation."""
    rows = ordered(checks)
    if not rows:
        return _empty("Ingen avstämning avviker.", table_id)
    shown = pd.DataFrame(
        {
            "Kontroll": [c.description for c in rows],
            "Källans uppgift": [c.expected_text for c in rows],
            "Beräknat": [c.actual_text for c in rows],
            "Skillnad": [c.difference_text for c in rows],
            "Status": [STATUS_WORDS[c.status] for c in rows],
            "Förklaring": [c.explanation or "–" for c in rows],
        }
    )
    return (
        _gt(shown, table_id, "Kontroll", "Kontroll")
        .cols_width(DETAIL_WIDTHS)
        .cols_align("left", columns=["Status", "Förklaring"])
        .tab_options(table_font_size="80%", data_row_padding=ROW_PADDING)
        .tab_source_note(NOTE_DIFFERENCE)
        .tab_source_note(NOTE_STATUS)
    )


def differing_table(checks: Iterable[Check]) -> GT:
    """The checks that differ, in full, for the appendix."""
    return checks_table([c for c in checks if c.status == AVVIKER], "tbl-avstamningar-avviker-gt")


def overview_table(checks: Iterable[Check]) -> GT:
    """All checks that hold (exactly or within rounding), one line each, grouped by family."""
    rows = [c for c in ordered(checks) if c.status != AVVIKER]
    if not rows:
        return _empty("Ingen avstämning stämmer.", "tbl-avstamningar-alla-gt")
    families = list(FAMILIES)
    rows.sort(key=lambda c: families.index(c.family))  # stable: within rounding stays first in its family
    shown = pd.DataFrame(
        {
            "Slag": [FAMILIES[c.family] for c in rows],
            "Kontroll": [c.description for c in rows],
            "Källans uppgift": [c.expected_text for c in rows],
            "Beräknat": [c.actual_text for c in rows],
            "Status": [SHORT_STATUS[c.status] for c in rows],
        }
    )
    return (
        GT(shown, rowname_col="Kontroll", groupname_col="Slag", id="tbl-avstamningar-alla-gt")
        .tab_stubhead("Kontroll")
        .cols_align("right", columns=["Källans uppgift", "Beräknat"])
        .cols_align("left", columns=["Status"])
        .cols_width(OVERVIEW_WIDTHS)
        .tab_options(
            table_width=TABLE_WIDTH,
            table_font_size="80%",
            data_row_padding=ROW_PADDING,
            row_group_padding=ROW_PADDING,
        )
        .tab_source_note(NOTE_TOLERANCES)
    )


def unverifiable_table(claims: Iterable[tuple[Claim, str]]) -> GT:
    """Figures the source states without anything to check them against, and why."""
    rows = list(claims)
    if not rows:
        return _empty(
            "Alla uppgifter i källan har något att stämmas av mot.", "tbl-avstamningar-utan-underlag-gt"
        )
    shown = pd.DataFrame(
        {
            "Uppgift": [f"{c.beskrivning} ({c.ar})" for c, _ in rows],
            "Avsnitt": [c.avsnitt for c, _ in rows],
            "Källans uppgift": [chk.format_amount(c.value, c.unit, c.decimals) for c, _ in rows],
            "Varför": [reason for _, reason in rows],
        }
    )
    return (
        _gt(shown, "tbl-avstamningar-utan-underlag-gt", "Uppgift", "Uppgift")
        .cols_label(**{"Varför": "Varför den inte kan stämmas av"})
        .cols_align("left", columns=["Avsnitt", "Varför"])
        .cols_width(UNVERIFIABLE_WIDTHS)
        .tab_options(table_font_size="80%", data_row_padding=ROW_PADDING)
    )


def _empty(message: str, table_id: str) -> GT:
    """A one-line table saying there is nothing to list (a notebook cell must still show a table)."""
    return GT(pd.DataFrame({"Avstämningar": [message]}), id=table_id).tab_options(
        table_width=TABLE_WIDTH, table_font_size="90%"
    )
