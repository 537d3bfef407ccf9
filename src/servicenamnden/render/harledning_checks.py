"""Which avstämningar involve a figure of the prose (issue 20, phase 2): computed, never typed.

A check does not name the cells it reads, only its files (``Check.inputs``) and the figure it computes
(``Check.actual``). So a check involves a traced figure when it computes the same quantity as far as the
data let us tell: every file the check reads is a file the figure is computed from, the computed value
is the figure's value (float noise aside) and the units agree. Where several figures of the prose with
different cells pass for one check (a small count in a file of many facts), the check names which: a
figure stays linked only if one of its rows' keys is the check's rule id or begins with it
(``ovriga_nyckeltal``: row ``forskningsprojekt_enheter``, rule ``forskningsprojekt_enheter``); when
none does the check is left out, as it cannot be told apart. A whole count (a number of risks, a
score) is too common a value to be told by itself: it is linked only when the check's rule names its row
in the same way (precision before recall: a count the rule does not name shows no check). For the year the transcribed document
reports on, a matching check of a claim (stämmer, or inom avrundning) also tells where the document
printed the figure: the claim's section.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

from servicenamnden.domain.provenance import Traced
from servicenamnden.reconcile.model import AVVIKER, DOCUMENT, SAKNAS, UNIT_LABELS, Check, Claim, section_name

COUNT_UNITS = {"", "-", "antal", "poäng"}  # counts and scores: a figure's file often leaves the unit out


def unit_key(unit: str) -> str:
    """A unit as both sides can compare it: ``procent`` and ``%`` alike."""
    return UNIT_LABELS.get(unit, unit).strip()


def same_unit(figure: str, check: str) -> bool:
    """Whether a figure's unit and a check's are the same (``betyg på skalan 1–10`` is a ``betyg``)."""
    a, b = unit_key(figure), unit_key(check)
    if a in COUNT_UNITS and b in COUNT_UNITS:
        return True
    return bool(a) and bool(b) and (a == b or a.startswith(b + " ") or b.startswith(a + " "))


def computes(check: Check, traced: Traced) -> bool:
    """Whether ``check`` computes ``traced``'s quantity: its files, its value and its unit."""
    files = {c.fil for c in traced.cells}
    inputs = {name.removesuffix(".csv") for name in check.inputs}
    if not inputs or not inputs <= files or check.status == SAKNAS:
        return False
    if not math.isclose(check.actual, traced.value, rel_tol=1e-9, abs_tol=1e-9):
        return False
    return same_unit(traced.unit, check.unit)


def is_count(traced: Traced) -> bool:
    """Whether a figure is a whole count or score, a value many unrelated quantities share."""
    return unit_key(traced.unit) in COUNT_UNITS and float(traced.value).is_integer()


def names(check: Check, traced: Traced) -> bool:
    """Whether one of the figure's rows is named by the check's rule: its key is the rule id or begins
    with it."""
    keys = {v for c in traced.cells for _, v in c.nyckel}
    return any(k == check.rule or k.startswith(check.rule + "_") for k in keys)


def involved(traced: dict[str, Traced], checks: Iterable[Check]) -> dict[str, list[Check]]:
    """figure id → the checks that compute its quantity, in the checks' order (see the module's text)."""
    found: dict[str, list[Check]] = {ident: [] for ident in traced}
    for check in checks:
        matching = [ident for ident, t in traced.items() if t.named and computes(check, t)]
        if len({traced[i].cells for i in matching}) > 1 or (matching and is_count(traced[matching[0]])):
            matching = [i for i in matching if names(check, traced[i])]  # the check must tell which
        for ident in matching:
            found[ident].append(check)
    return found


def source_section(check: Check, claims: dict[str, Claim]) -> str:
    """The source's section that printed the claim ``check`` judges; ``""`` for the year's own data."""
    if check.kind != DOCUMENT or not check.claim_ids:
        return ""
    claim = claims.get(check.claim_ids[0])
    return section_name(claim.avsnitt) if claim else ""


def check_record(check: Check, claims: dict[str, Claim]) -> dict:
    """One check as the popover shows it: id, description, status, explanation when it differs, the
    source's section (a claim's check) and whether the source printed the same figure there."""
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
