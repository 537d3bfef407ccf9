"""The provenance of the appendix's two tables of avstämningar (issue 20), in the tables' vocabulary.

The summary per kind and family shows counts of checks: a count's rows are the checks it counts (rows of
the complete list, :func:`servicenamnden.reconcile.summary.counted`). The table of differing checks shows,
per check, the stated figure, the computed one and the difference: each is computed from the data cells
the check read (``Check.stated_cells``, ``Check.cells``) where their sum is the check's own number, else
it is the check's row of the complete list as it stands (``avstamningar.csv``, its column ``uppgift``,
``beraknat`` or ``skillnad``). A record per cell, as :mod:`.harledning_tabeller` gives the registry's
tables, so the same links, pages and open data follow. Great-tables writes a heading row per kind before
its rows: a cell's row (``rad``) counts them, as the link in the page does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from servicenamnden.domain.provenance import Cell, Term, Traced, differens, key_value
from servicenamnden.io import data
from servicenamnden.present import fmt
from servicenamnden.reconcile.model import (
    AVVIKER,
    KINDS,
    Check,
    Claim,
    difference_unit,
)
from servicenamnden.reconcile.run import ordered
from servicenamnden.reconcile.summary import CHECKS_FILE, COUNTS, check_cell, counted, family_summary
from servicenamnden.reconcile.tables import SUMMARY_LABELS
from servicenamnden.render import harledning_checks
from servicenamnden.render.harledning import traced_fields

SUMMARY = "tbl-avstamningar-sammanfattning"
DIFFERING = "tbl-avstamningar-avviker"
LABELS = (SUMMARY, DIFFERING)


def body_rows(groups: list[str]) -> list[int]:
    """Each frame row's place among the table body's rows as great-tables writes a table grouped by
    ``groups``: the groups in the order they first come, each its heading row, then its rows in order."""
    place: dict[int, int] = {}
    n = 0
    for group in dict.fromkeys(groups):
        n += 1  # the group's heading row
        for i, g in enumerate(groups):
            if g == group:
                place[i] = n
                n += 1
    return [place[i] for i in range(len(groups))]


def record(label: str, row: int, column: str, position: int, place: str, shown: str, traced: Traced) -> dict:
    """One cell's record, with the fields a registry table's cell has (:func:`.harledning_tabeller.records`)."""
    return {
        "id": f"{label}.r{row}-{column}",
        "avsnitt": f"{label}: {place}",
        "visas": shown,
        **traced_fields(traced),
        "kontroller": [],
        "tabell": label,
        "rad": row,
        "kolumn": column,
        "anker": f"r{row}c{position}",
        "tabell_id": f"{label}-gt",
        "rubrik": "",
    }


def summary_records(checks: list[Check]) -> list[dict]:
    """A record per count of the summary: the checks of its kind and family (and status) as its rows."""
    frame = family_summary(checks)
    counts = [c for c in frame.columns if c not in ("slag", "familj")]
    rows = body_rows(list(frame["slag"]))
    out = []
    for i, (kind, family) in enumerate(zip(frame["slag"], frame["familj"], strict=True)):
        for j, column in enumerate(counts):
            traced = counted(checks, COUNTS[column], slag=kind, familj=family)
            place = f"{family} ({kind}), {SUMMARY_LABELS[column]}"
            out.append(record(SUMMARY, rows[i], column, j, place, fmt.count(int(traced.value)), traced))
    return out


def read_cells(cells: tuple[Cell, ...], frames: Mapping[str, pd.DataFrame]) -> Traced | None:
    """The sum of ``cells`` read from the data (their file, their row by key), or ``None`` when a cell is
    not one row of a loaded file."""
    terms = []
    for cell in cells:
        frame = frames.get(cell.fil)
        if frame is None:
            return None
        hit = pd.Series(True, index=frame.index)
        for key, value in cell.nyckel:
            if key not in frame:
                return None
            hit &= frame[key].map(key_value) == value
        rows = frame.loc[hit, cell.kolumn] if cell.kolumn in frame else pd.Series(dtype=float)
        if len(rows) != 1 or pd.isna(rows.iloc[0]):
            return None
        terms.append(Term(cell, float(rows.iloc[0])))
    if not terms:
        return None
    value = sum(t.value for t in terms)
    return Traced(value, "", "varde" if len(terms) == 1 else "summa", tuple(terms))


def as_listed(check: Check, column: str, value: float) -> Traced:
    """A check's figure as its row of the complete list states it (the value as it stands there)."""
    return Traced(round(value, 6), check.unit, "varde", (Term(check_cell(check, column), round(value, 6)),))


def figure(check: Check, traced: Traced | None, value: float, column: str) -> Traced:
    """The check's figure from the cells it read when they give its number, else from its listed row."""
    if traced is not None and math.isclose(traced.value, value, rel_tol=1e-9, abs_tol=1e-9):
        return Traced(traced.value, check.unit, traced.rule, traced.terms)
    return as_listed(check, column, value)


def check_figures(check: Check, frames: Mapping[str, pd.DataFrame]) -> dict[str, Traced]:
    """The stated figure, the computed one and the difference (stated minus computed) of ``check``."""
    stated = figure(check, read_cells(check.stated_cells, frames), check.expected, "uppgift")
    computed = figure(check, read_cells(check.cells, frames), check.actual, "beraknat")
    both_cells = all(t.cell.fil != CHECKS_FILE for t in stated.terms + computed.terms)
    difference = (
        differens(stated, computed) if both_cells else as_listed(check, "skillnad", check.difference)
    ).in_unit(difference_unit(check.unit))
    return {"Uppgift": stated, "Beräknat": computed, "Skillnad": difference}


def differing_records(
    checks: list[Check], claims: Mapping[str, Claim], frames: Mapping[str, pd.DataFrame]
) -> list[dict]:
    """A record per figure of the differing checks, each with the check itself as its avstämning."""
    rows = [c for c in ordered(checks) if c.status == AVVIKER]
    places = body_rows([KINDS[c.kind] for c in rows])
    out = []
    for check, row in zip(rows, places, strict=True):
        texts = {
            "Uppgift": check.expected_text,
            "Beräknat": check.actual_text,
            "Skillnad": check.difference_text,
        }
        for j, (column, traced) in enumerate(check_figures(check, frames).items()):
            found = record(DIFFERING, row, column, j, f"{check.description}, {column}", texts[column], traced)
            found["kontroller"] = [harledning_checks.check_record(check, dict(claims))]
            out.append(found)
    return out


def loaded(checks: list[Check]) -> dict[str, pd.DataFrame]:
    """The data files the differing checks read, loaded (a file that does not load is left out)."""
    names = {c.fil for k in checks if k.status == AVVIKER for c in (*k.cells, *k.stated_cells)}
    frames = {}
    for name in sorted(names):
        try:
            frames[name] = data.load(name)
        except (OSError, KeyError, ValueError):
            continue
    return frames


def records(
    labels: list[str], checks: list[Check], claims: Mapping[str, Claim], captions: Mapping[str, str]
) -> list[dict]:
    """The records of the appendix's tables of avstämningar that ``labels`` name, in their order."""
    out = []
    for label in labels:
        if label == SUMMARY:
            found = summary_records(checks)
        elif label == DIFFERING:
            found = differing_records(checks, claims, loaded(checks))
        else:
            continue
        for r in found:
            r["rubrik"] = captions.get(label, "")
        out += found
    return out
