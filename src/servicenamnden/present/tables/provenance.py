"""Where each figure of a table comes from (issue 20): a traced value per numeric cell.

A table's builder computes a frame of numbers; its tracer here names, for every numeric cell of that
frame, the data cells and the rule (:mod:`servicenamnden.domain.provenance`) that give the same number.
A tracer reads the same files through the same :class:`~.registry.Files` as the builder (only the
files its registry entry names) and uses the domain's traced functions where they exist, so a cell's
provenance is computed from the data, never typed. That the two agree is not assumed:
:func:`traced_table` checks every traced value against the table's own number, and
``tests/test_provenance_tables.py`` fails for a numeric cell of an article table without provenance.

>>> {"tbl-resultatrakning", "tbl-brukaravgifter"} <= set(TRACERS)  # the modules register their tracers
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from servicenamnden.domain import ekonomi as eko
from servicenamnden.domain.provenance import Traced, andel, differens, select
from servicenamnden.present import fmt
from servicenamnden.present.tables import registry
from servicenamnden.present.tables.spec import INDENT_MARK, Table

Cells = dict[tuple[int, str], Traced]  # (row of the frame, column key) → the cell's provenance
Tracer = Callable[[registry.Files, int, Table], Cells]
TRACERS: dict[str, Tracer] = {}
TOLERANCE = 1e-9


def traces(*labels: str) -> Callable[[Tracer], Tracer]:
    """Register a tracer for the tables ``labels``."""

    def register(tracer: Tracer) -> Tracer:
        for label in labels:
            TRACERS[label] = tracer
        return tracer

    return register


@dataclass(frozen=True)
class TracedCell:
    """One numeric cell of an article table: where it stands, what it shows and where it comes from."""

    label: str
    row: int
    column: str
    row_label: str
    column_label: str
    shown: str
    traced: Traced

    @property
    def ident(self) -> str:
        """The cell's id in the provenance file: ``tbl-resultatrakning.r3-utfall_2023``."""
        return f"{self.label}.r{self.row}-{self.column}"


def numeric_cells(table: Table) -> list[tuple[int, str]]:
    """(row, column key) of every numeric cell that shows a number (a missing one shows ``–``)."""
    return [
        (i, c.key)
        for c in table.columns
        if c.numeric
        for i, v in enumerate(table.frame[c.key])
        if not fmt.is_missing(v)
    ]


def same(shown: float, traced: Traced) -> bool:
    """Whether a traced value is the table's number (float noise aside)."""
    return math.isclose(float(shown), traced.value, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def traced_table(label: str, data: Mapping[str, pd.DataFrame], ar: int) -> tuple[Table | None, Cells]:
    """The table ``label`` for ``ar`` and its cells' provenance; a traced value that is not the table's
    number is left out (so a test names the cell), as is every cell of a table without a tracer."""
    entry = registry.ENTRIES[label]
    table = entry.build(data, ar)
    if not isinstance(table, Table) or label not in TRACERS:
        return (table if isinstance(table, Table) else None), {}
    found = TRACERS[label](registry.Files(data, label, entry.files), ar, table)
    return table, {
        (i, key): t
        for (i, key), t in found.items()
        if (i, key) in set(numeric_cells(table)) and t.named and same(table.frame[key].iloc[i], t)
    }


def cell_list(label: str, table: Table, cells: Cells) -> list[TracedCell]:
    """The traced cells of ``table`` in reading order, with their row's and column's names."""
    labels = {c.key: (f"{c.spanner}: {c.label}" if c.spanner else c.label) for c in table.columns}
    shown = table.cells()
    keys = [c.key for c in table.shown()]
    out = []
    for i in range(len(table.frame)):
        for key in keys[1:]:
            if (i, key) in cells:
                stub = str(table.frame[table.stub.key].iloc[i]).removeprefix(INDENT_MARK)
                out.append(
                    TracedCell(label, i, key, stub, labels[key], shown[i][keys.index(key)], cells[(i, key)])
                )
    return out


def rows_by(table: Table, column: str) -> dict[object, int]:
    """A frame column's value → its row (the row a code or name stands on)."""
    return {v: i for i, v in enumerate(table.frame[column])}


# --- Economy -----------------------------------------------------------------------------------------


@traces("tbl-resultatrakning")
def income_statement(d: registry.Files, ar: int, table: Table) -> Cells:
    """Accounts as they stand, group sums, results (the areas' total where the table anchors to it)."""
    rows, areas = d["resultatrakning"], d["driftredovisning"]
    kinds = {
        f"utfall_{ar - 1}": ("utfall", ar - 1),
        f"utfall_{ar}": ("utfall", ar),
        f"budget_{ar}": ("budget", ar),
    }
    groups = {f"summa_{g}": g for g in set(rows["grupp"])}
    own = [k for k in set(rows["konto"]) if k != "over_underskott"]
    out: Cells = {}
    for i, konto in enumerate(table.frame["konto"]):
        for key, (typ, year) in kinds.items():
            cell = dict(typ=typ, ar=year)
            fund = select(rows, "belopp_mnkr", konto="over_underskott", **cell)
            if konto in groups:
                found = select(rows, "belopp_mnkr", grupp=groups[konto], **cell)
            elif konto in ("resultat", "resultat_exkl"):
                # The table shows the areas' total where the statement's rows agree with it within their
                # rounding (resultatrakning.anchored_statement), else the rows' own sum: name the one shown.
                anchored = eko.drift_cells(areas, typ, year)
                anchored = anchored - fund if konto == "resultat_exkl" and fund.terms else anchored
                mine = {"konto": own} if konto == "resultat_exkl" else {}
                statement = select(rows, "belopp_mnkr", **mine, **cell)
                shown = table.frame[key].iloc[i]
                found = anchored if anchored.terms and same(shown, anchored) else statement
            else:
                found = select(rows, "belopp_mnkr", konto=konto, **cell)
            out[(i, key)] = found
        actual, budget = out[(i, f"utfall_{ar}")], out[(i, f"budget_{ar}")]
        out[(i, "avvikelse")] = actual - budget if budget.terms else actual
    return out


@traces("tbl-justerad-jamforelse")
def adjusted(d: registry.Files, ar: int, table: Table) -> Cells:
    """Outcome, the pool, outcome less the pool (a cost: plus), budget and the deviation."""
    rows, pool = d["resultatrakning"], d["ekonomi_justeringar"]
    names = dict(zip(d["konton"]["benamning"], d["konton"]["konto"], strict=True))
    out: Cells = {}
    for i, post in enumerate(table.frame["post"]):
        konto = names[post]
        actual = select(rows, "belopp_mnkr", konto=konto, typ="utfall", ar=ar)
        budget = select(rows, "belopp_mnkr", konto=konto, typ="budget", ar=ar)
        internal = select(pool, "belopp_mnkr", konto=konto, ar=ar)
        cost = (rows.loc[rows["konto"] == konto, "grupp"] == "kostnad").any()  # a cost is stored negative
        fixed = actual + internal if cost else actual - internal
        out.update(
            {
                (i, "utfall"): actual,
                (i, "vikariepool"): internal,
                (i, "justerat_utfall"): fixed,
                (i, "budget"): budget,
                (i, "avvikelse"): fixed - budget,
            }
        )
    return out


@traces("tbl-driftredovisning")
def areas(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each area's cells (the total row: all areas), and the deviation outcome − budget."""
    results = d["driftredovisning"]
    out: Cells = {}
    for i, omrade in enumerate(table.frame["omrade"]):
        which = None if i == len(table.frame) - 1 else str(omrade)
        out[(i, "utfall_fg")] = eko.drift_cells(results, "utfall", ar - 1, which)
        out[(i, "utfall")] = eko.drift_cells(results, "utfall", ar, which)
        out[(i, "budget")] = eko.drift_cells(results, "budget", ar, which)
        out[(i, "avvikelse")] = eko.area_deviation(results, ar, which)
    return out


@traces("tbl-forklarade-avvikelser")
def explanations(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each explained item's amount (its parts' sum where it has none)."""
    found = d["avvikelser_omraden"]
    return {
        (i, "belopp_mnkr"): eko.explanation_amount(found, str(post), ar)
        for i, post in enumerate(table.frame["post_id"])
    }


INVESTMENT_MEASURES = ("utfall_ack_totalt", "budget_helar", "utfall_ack_helar", "prognosavvikelse")


def investment(rows: pd.DataFrame, ar: int, measure: str, projekt: str | None) -> Traced:
    """A measure of one project (or all, ``None``); the deviation is outcome − budget."""
    where: dict[str, object] = {"ar": ar, **({"projekt": projekt} if projekt else {})}
    if measure == "avvikelse_helar":
        return differens(
            select(rows, "belopp_mnkr", matt="utfall_ack_helar", **where),
            select(rows, "belopp_mnkr", matt="budget_helar", **where),
        )
    return select(rows, "belopp_mnkr", matt=measure, **where)


@traces("tbl-investeringar")
def investments(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each project's measures; the total row sums the projects."""
    rows, last = d["investeringar"], len(table.frame) - 1
    return {
        (i, m): investment(rows, ar, m, None if i == last else str(p))
        for i, p in enumerate(table.frame["projekt"])
        for m in (*INVESTMENT_MEASURES, "avvikelse_helar")
    }


@traces("tbl-investeringar-orsaker")
def investment_reasons(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each reason's amount, their sum, the rest of the deviation; each as a share of the deviation."""
    reasons = d["investeringar_orsaker"]
    deviation = investment(d["investeringar"], ar, "avvikelse_helar", None)
    listed = reasons[reasons["ar"] == ar].sort_values("ordning")
    every = select(reasons, "belopp_mnkr", ar=ar)
    amounts = [select(reasons, "belopp_mnkr", ar=ar, orsak_id=o) for o in listed["orsak_id"]]
    amounts += [every, differens(deviation, every)]
    out: Cells = {}
    for i, amount in enumerate(amounts[: len(table.frame)]):
        out[(i, "belopp_mnkr")] = amount
        out[(i, "andel_procent")] = andel(amount, deviation)
    return out


@traces("tbl-direktupphandlingar")
def purchases(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each purchase's amount and their sum."""
    rows, last = d["internkontroll_avvikelser"], len(table.frame) - 1
    out: Cells = {}
    for i, fall in enumerate(table.frame["fall"]):
        which = {} if i == last else {"fall": int(str(fall).removeprefix("Fall "))}
        out[(i, "belopp_tkr")] = select(rows, "belopp_tkr", ar=ar, **which)
    return out


from servicenamnden.present.tables import provenance_more  # noqa: E402,F401  (registers its tracers)
