"""Which avstämningar involve a figure of the prose (issue 20): found by the data cells, never typed.

Each check records the cells it read (``Check.cells`` for the figure it computes, ``Check.stated_cells``
for the stated figure when the data or a claim's row state it), in the vocabulary of
:mod:`servicenamnden.domain.provenance`. A check belongs to a traced figure when it read the cells the
figure is computed from: the same set of cells on one side of the comparison. A count is the one
quantity a check reads more cells for than the figure names: the figure names the rows counted
(the areas in balance), the check reads every row to tell which count; so a count also belongs to a
check whose side read its cells among others and counted the same number. Two figures that merely
share a value never meet: their cells differ (an area's result and its deviation from a budget of zero
are two quantities, though one number). For
the year the transcribed document reports on, a matching check of a claim (stämmer, or inom avrundning)
also tells where the document printed the figure: the claim's section.

A count of avstämningar in the prose (``kontroll.antal``) names the checks themselves as its rows: each
links its row in the complete list, which :func:`anchor_checks` gives an anchor.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from servicenamnden.present import fmt
from servicenamnden.reconcile.checks_file import CHECKS_FILE

if TYPE_CHECKING:  # the post-render step anchors rows and loads no checks (pandas): issue 18
    from servicenamnden.domain.provenance import Cell, Traced
    from servicenamnden.reconcile.model import Check, Claim

# The complete list of avstämningar on the Datakontroller notebook's page (Quarto names it ``-preview``);
# a check's row has its own anchor (``ak-`` and its id) where :func:`anchor_checks` could give it one.
CHECKS_TABLE = "tbl-avstamningar-alla"


def belongs(check: Check, traced: Traced) -> bool:
    """Whether ``check`` read the cells ``traced`` is computed from (see the module's text)."""
    from servicenamnden.reconcile.model import SAKNAS

    if not traced.named or check.status == SAKNAS:
        return False
    figure = set(traced.cells)
    for side, value in ((check.cells, check.actual), (check.stated_cells, check.expected)):
        cells = set(side)
        if figure == cells:
            return True
        counted = traced.rule == "antal" and figure < cells
        if counted and math.isclose(value, traced.value, rel_tol=1e-9, abs_tol=1e-9):
            return True
    return False


def involved(traced: dict[str, Traced], checks: Iterable[Check]) -> dict[str, list[Check]]:
    """figure id → the checks that read its cells, in the checks' order."""
    found: dict[str, list[Check]] = {ident: [] for ident in traced}
    for check in checks:
        for ident, figure in traced.items():
            if belongs(check, figure):
                found[ident].append(check)
    return found


def source_section(check: Check, claims: dict[str, Claim]) -> str:
    """The source's section that printed the claim ``check`` judges; ``""`` for the year's own data."""
    from servicenamnden.reconcile.model import DOCUMENT, section_name

    if check.kind != DOCUMENT or not check.claim_ids:
        return ""
    claim = claims.get(check.claim_ids[0])
    return section_name(claim.avsnitt) if claim else ""


def check_record(check: Check, claims: dict[str, Claim]) -> dict:
    """One check as the popover shows it: id, description, status, explanation when it differs, the
    source's section (a claim's check) and whether the source printed the same figure there."""
    from servicenamnden.reconcile.model import AVVIKER

    section = source_section(check, claims)
    return {
        "id": check.id,
        "beskrivning": check.description,
        "status": check.status.value,
        "forklaring": check.explanation if check.status == AVVIKER else "",
        "kallans_avsnitt": section,
        "samma_tal": bool(section) and check.status != AVVIKER,
    }


# --- Anchors in the complete list ---------------------------------------------------------------------

COMPLETE_TABLE_ID = "tbl-avstamningar-alla-gt"  # the complete list's table (reconcile/tables.py)
STUB_ROW = re.compile(r"<tr(?: id=\"ak-[^\"]*\")?>(\s*<th[^>]*\bgt_stub\b[^>]*>)(.*?)</th>", re.S)


def anchor_id(check_id: str) -> str:
    """The stable anchor of a check's row in the complete list: ``ak-`` and the check's id."""
    return "ak-" + re.sub(r"[^0-9A-Za-z_-]+", "-", check_id)


def row_anchor(cell: Cell) -> str:
    """Where a cell's row has its address: a data file's row on its page, a check's row (a count of
    checks) in the complete list of avstämningar (``ak-`` and its id)."""
    return anchor_id(dict(cell.nyckel)["id"]) if cell.fil == CHECKS_FILE else cell.row_id


def counts_checks(record: dict) -> bool:
    """Whether a figure counts avstämningar: its rows are checks, rows of the complete list."""
    return only_checks([c["fil"] for c in record["celler"]])


def only_checks(files: list[str]) -> bool:
    """Whether rows from ``files`` are all checks (and there is one at least): a count of avstämningar."""
    return bool(files) and all(f == CHECKS_FILE for f in files)


def with_anchors(page: str, wanted: dict[str, str]) -> tuple[str, set[str]]:
    """``page`` with an id on each row of the complete list whose check ``wanted`` names (description →
    check id), where that description stands on exactly one row; returns the page and the ids anchored."""
    start = page.find(f'id="{COMPLETE_TABLE_ID}"')
    if start < 0:
        return page, set()
    end = page.find("</table>", start)
    table = page[start:end]
    counts: dict[str, int] = {}
    for _, text in STUB_ROW.findall(table):
        key = html.unescape(text).strip()
        counts[key] = counts.get(key, 0) + 1
    done: set[str] = set()

    def row(match: re.Match) -> str:
        key = html.unescape(match.group(2)).strip()
        if key in wanted and counts[key] == 1:
            done.add(wanted[key])
            return f'<tr id="{anchor_id(wanted[key])}">{match.group(1)}{match.group(2)}</th>'
        return match.group(0)

    return page[:start] + STUB_ROW.sub(row, table) + page[end:], done


def counted_rows(record: dict, detail_href: str, checks_href: str) -> str:
    """A count of avstämningar's rows in short, for its popover (page weight: a hundred checks are not a
    hundred links): how many, a link to the complete list and one to the figure's block, which has them all."""
    return (
        f"<p>Raderna: {fmt.count(len(record['celler']))} avstämningar i "
        f'<a href="{checks_href}#{CHECKS_TABLE}">hela listan</a>, '
        f'<a href="{detail_href}">var och en med länk</a>.</p>'
    )


def anchor_checks(page: Path, found: list[dict]) -> None:
    """Give the rows of the checks the popovers link to an anchor on the complete list's page, and each
    such check in ``found`` its ``anker`` (without one the link goes to the table)."""
    linked = [c for r in found for c in r.get("kontroller") or []]
    counted = [c for r in found for c in r["celler"] if c["fil"] == CHECKS_FILE]  # a count's rows: checks
    if not (linked or counted) or not page.exists():
        return
    wanted = {c["beskrivning"]: c["id"] for c in linked}
    wanted.update({c["nyckel"]["kontroll"]: c["nyckel"]["id"] for c in counted})
    text, done = with_anchors(page.read_text(encoding="utf-8"), wanted)
    page.write_text(text, encoding="utf-8")
    for c in linked:
        if c["id"] in done:
            c["anker"] = anchor_id(c["id"])
    for c in counted:
        if c["nyckel"]["id"] not in done:  # a description on two rows has no anchor: the list itself
            c["rad_id"] = CHECKS_TABLE
