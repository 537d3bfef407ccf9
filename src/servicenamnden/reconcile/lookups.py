"""Figures the rules look up in the data: a line of the income statement, an area's result,
a cell of the investment table, an explained item of the area texts.
"""

from __future__ import annotations

import re

import pandas as pd

from servicenamnden.domain import ekonomi
from servicenamnden.domain.provenance import Cell, select
from servicenamnden.errors import CheckDefinitionError
from servicenamnden.reconcile.model import CLAIMS
from servicenamnden.reconcile.sources import Sources

RR_LINES = {  # claim post → (line of ekonomi.income_statement, groups of accounts summed, label)
    "summa_intakter": ("summa_intakt", ("intakt",), "summa intäkter"),
    "summa_kostnader": ("summa_kostnad", ("kostnad",), "summa kostnader"),
    "resultat_exkl": (
        "resultat_exkl",
        ("intakt", "kostnad", "finans"),
        "årets resultat exkl. över-/underskott",
    ),
    "summa_rr": ("resultat", ("intakt", "kostnad", "finans", "resultatfond"), "resultat inkl. resultatfond"),
}
TYPE_LABELS = {"utfall": "utfall", "budget": "budget", "avvikelse": "budgetavvikelse"}
# The rules ask for some fifty lines of the same few income statements: each is computed once per set of
# loaded files (the frames are kept with it, so an id is never reused while its entry lives).
_STATEMENTS: dict[tuple[int, int, int], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = {}
_STATEMENTS_KEPT = 8


def income_statement(rows: pd.DataFrame, accounts: pd.DataFrame, ar: int) -> pd.DataFrame:
    """:func:`ekonomi.income_statement`, computed once for these very frames and year."""
    key = (id(rows), id(accounts), ar)
    kept = _STATEMENTS.get(key)
    if kept is not None and kept[0] is rows and kept[1] is accounts:
        return kept[2]
    statement = ekonomi.income_statement(rows, accounts, ar)
    _STATEMENTS[key] = (rows, accounts, statement)
    while len(_STATEMENTS) > _STATEMENTS_KEPT:
        del _STATEMENTS[next(iter(_STATEMENTS))]
    return statement


def rr_figure(rows: pd.DataFrame, accounts: pd.DataFrame, post: str, ar: int, typ: str) -> tuple[float, int]:
    """A line of the income statement for a year and type, and how many rounded accounts it sums.

    ``avvikelse`` is utfall minus budget, a blank budget counting as zero (as the source's column does).
    """
    if typ == "avvikelse":
        actual, n_actual = rr_figure(rows, accounts, post, ar, "utfall")
        budget, n_budget = rr_figure(rows, accounts, post, ar, "budget")
        return actual - (0.0 if pd.isna(budget) else budget), n_actual + n_budget
    line, groups, _ = RR_LINES.get(post, (post, None, ""))
    statement = income_statement(rows, accounts, ar)
    value = ekonomi.line(statement, line, ekonomi.column_key(ar, typ))
    selected = rows["grupp"].isin(groups) if groups else rows["konto"] == post
    n = int((selected & (rows["ar"] == ar) & (rows["typ"] == typ)).sum())
    return (value if n else float("nan")), n


def rr_cells(rows: pd.DataFrame, post: str, ar: int, typ: str) -> tuple[Cell, ...]:
    """The cells :func:`rr_figure` sums: the accounts of the line, for the year and type (both, for
    ``avvikelse``)."""
    if typ == "avvikelse":
        return rr_cells(rows, post, ar, "utfall") + rr_cells(rows, post, ar, "budget")
    _, groups, _ = RR_LINES.get(post, (post, None, ""))
    where: dict[str, object] = {"grupp": list(groups)} if groups else {"konto": post}
    return select(rows, "belopp_mnkr", ar=ar, typ=typ, **where).cells


def area_code(code: str) -> str:
    """The short area code of a claim id (``nls``, ``o3``) as in driftredovisning.csv."""
    if code == "nls":
        return "namnd_ledning_stod"
    match = re.fullmatch(r"o(\d)", code)
    if not match:
        raise CheckDefinitionError(f"Okänd områdeskod '{code}' i ett påstående i data/{CLAIMS}.")
    return f"omrade_{match[1]}"


def area_result(results: pd.DataFrame, omrade: str | None, ar: int, typ: str) -> tuple[float, int]:
    """An area's (or with ``None`` the committee's) utfall, budget or deviation, and the rows it sums."""
    part = results if omrade is None else results[results["omrade"] == omrade]
    if typ == "avvikelse":
        actual, n_actual = area_result(results, omrade, ar, "utfall")
        budget, n_budget = area_result(results, omrade, ar, "budget")
        return actual - budget, n_actual + n_budget
    rows = part[(part["ar"] == ar) & (part["typ"] == typ)]
    return (float(rows["belopp_mnkr"].sum()) if len(rows) else float("nan")), len(rows)


def area_cells(results: pd.DataFrame, omrade: str | None, ar: int, typ: str) -> tuple[Cell, ...]:
    """The cells :func:`area_result` sums: an area's (or every area's) rows of the year and type."""
    if typ == "avvikelse":
        return area_cells(results, omrade, ar, "utfall") + area_cells(results, omrade, ar, "budget")
    where: dict[str, object] = {} if omrade is None else {"omrade": omrade}
    return select(results, "belopp_mnkr", ar=ar, typ=typ, **where).cells


INVESTMENT_ROWS = {  # claim row code → (column to select on, value or None for all rows, label)
    "fastighet": ("projekt", "Fastighetsinvesteringar (kf)", "fastighetsinvesteringar"),
    "namnd": ("projekt", "Nämndbeslutad investering", "nämndbeslutad investering"),
    "anlaggning_summa": ("grupp", "Anläggningsinvesteringar (kf)", "summa anläggningsinvesteringar"),
    "summa": (None, None, "summa investeringsredovisning"),
}
INVESTMENT_MEASURES = {  # claim measure → (outcome measure, budget measure or None, label)
    "utfall_ack_totalt": ("utfall_ack_totalt", None, "utfall ack. totalt"),
    "utfall_ack_helar": ("utfall_ack_helar", None, "utfall ack. december"),
    "budget_helar": ("budget_helar", None, "budget helår"),
    "avvikelse": ("utfall_ack_totalt", "total_projektbudget", "avvikelse mot total projektbudget"),
    "avvikelse_helar": ("utfall_ack_helar", "budget_helar", "avvikelse helår"),
}


def investment_rows(rows: pd.DataFrame, code: str, ar: int) -> pd.DataFrame:
    """The rows of the investment table a claim's row code names, for one year."""
    column, value, _ = INVESTMENT_ROWS[code]
    part = rows[rows["ar"] == ar]
    return part if column is None else part[part[column] == value]


def investment_figure(rows: pd.DataFrame, code: str, measure: str, ar: int) -> tuple[float, int]:
    """A line and column of the investment table (a blank budget counts as zero), and the rows summed."""
    outcome, budget, _ = INVESTMENT_MEASURES[measure]
    part = investment_rows(rows, code, ar)
    used = part[part["matt"] == outcome]
    if not len(used):
        return float("nan"), 0
    value = float(used["belopp_mnkr"].sum())
    n = len(used)
    if budget:
        budgets = part[part["matt"] == budget]
        value -= float(budgets["belopp_mnkr"].sum())
        n += len(budgets)
    return value, n


def investment_cells(rows: pd.DataFrame, code: str, measure: str, ar: int) -> tuple[Cell, ...]:
    """The cells :func:`investment_figure` reads: the rows' outcome measure and, for a deviation, budget."""
    outcome, budget, _ = INVESTMENT_MEASURES[measure]
    column, value, _ = INVESTMENT_ROWS[code]
    where: dict[str, object] = {} if column is None else {column: value}
    found = select(rows, "belopp_mnkr", ar=ar, matt=outcome, **where).cells
    if budget and found:
        found += select(rows, "belopp_mnkr", ar=ar, matt=budget, **where).cells
    return found


def report_year(src: Sources) -> int:
    """The year the rules run for; inline test data without a year use the latest budget year."""
    if src.year is not None:
        return src.year
    results = src.table("driftredovisning")
    return int(results.loc[results["typ"] == "budget", "ar"].max())


def explanation_tree(src: Sources) -> pd.DataFrame:
    """The area explanations of the year the sources are read for, keyed by post."""
    return src.table("avvikelser_omraden").set_index("post_id")


def explained_amount(tree: pd.DataFrame, results: pd.DataFrame, post: str, ar: int) -> tuple[float, int, str]:
    """An explained item's amount: stored, an area's result (a root), or the sum of its parts.

    Returns the amount, the number of rounded figures behind it and where it comes from.
    """
    if post not in tree.index:
        raise CheckDefinitionError(f"data/avvikelser_omraden.csv har ingen post '{post}'.")
    row = tree.loc[post]
    if not pd.isna(row["belopp_mnkr"]):
        return float(row["belopp_mnkr"]), 1, str(row["avsnitt"])
    if pd.isna(row["overordnad"]) and row["omrade"] in set(results["omrade"]):
        value, n = area_result(results, row["omrade"], ar, "avvikelse")
        return value, n, "driftredovisningen"
    parts = tree[(tree["overordnad"] == post) & (tree["relation"] == "del")]
    if not len(parts):
        raise CheckDefinitionError(
            f"Posten '{post}' i data/avvikelser_omraden.csv har varken belopp eller delposter."
        )
    amounts = [explained_amount(tree, results, p, ar) for p in parts.index]
    return sum(a for a, _, _ in amounts), sum(n for _, n, _ in amounts), "summan av delposterna"


def explained_cells(src: Sources, post: str, ar: int) -> tuple[Cell, ...]:
    """The cells :func:`explained_amount` reads: a stored item's amount, an area's result, or its parts'."""
    tree, results = explanation_tree(src), src.table("driftredovisning")
    row = tree.loc[post]
    if not pd.isna(row["belopp_mnkr"]):
        return src.cells("avvikelser_omraden", "belopp_mnkr", post_id=post)
    if pd.isna(row["overordnad"]) and row["omrade"] in set(results["omrade"]):
        return area_cells(results, row["omrade"], ar, "avvikelse")
    parts = tree[(tree["overordnad"] == post) & (tree["relation"] == "del")]
    return tuple(c for p in parts.index for c in explained_cells(src, p, ar))


ADJUSTED_POSTS = {  # claim post → (income statement line, sign making amounts positive, label)
    "intakter": ("summa_intakter", 1, "intäkter"),
    "personal": ("personalkostnader", -1, "personalkostnader"),
}
