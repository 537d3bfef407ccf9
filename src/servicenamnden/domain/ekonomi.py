"""The economy: income statement, result per område, the substitute-pool adjustment and investments."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain.provenance import Traced, differens, select, summa

GROUP_ORDER = ["intakt", "kostnad", "finans", "resultatfond"]
FULL_TIME_HOURS_PER_WEEK = 40  # assumption for turning saved hours into full-time staff
GROUP_TOTALS = {"intakt": "Summa intäkter", "kostnad": "Summa kostnader"}


def full_time_posts(hours_per_week: float) -> float:
    """Hours a week as full-time posts of :data:`FULL_TIME_HOURS_PER_WEEK` hours.

    >>> full_time_posts(165 * 1.0)
    4.125
    """
    return hours_per_week / FULL_TIME_HOURS_PER_WEEK


def column_key(ar: int, typ: str) -> str:
    """The income statement's column name for a year and type: ``utfall_2023``."""
    return f"{typ}_{ar}"


def income_statement(rows: pd.DataFrame, accounts: pd.DataFrame, ar: int) -> pd.DataFrame:
    """Accounts × (utfall previous year, utfall, budget, deviation) in mnkr, with computed sums.

    Returns a frame with a ``rad`` label column, a ``niva`` column (``konto`` or ``summa``) and one
    column per figure. Blank cells of the source are missing (NaN), never zero.
    """
    names = dict(zip(accounts["konto"], accounts["benamning"], strict=True))
    order = dict(zip(accounts["konto"], accounts["ordning"], strict=True))
    cols = [("utfall", ar - 1), ("utfall", ar), ("budget", ar)]
    wide = rows.pivot_table(
        index=["grupp", "konto"], columns=["typ", "ar"], values="belopp_mnkr", aggfunc="sum"
    )
    out_rows = []

    def values_of(frame: pd.DataFrame) -> dict[str, float]:
        result = {}
        for typ, year in cols:
            key = (typ, year)
            result[column_key(year, typ)] = frame[key].sum(min_count=1) if key in frame else float("nan")
        return result

    running = {column_key(y, t): float("nan") for t, y in cols}  # no row yet: missing, never 0
    for group in GROUP_ORDER:
        if group not in wide.index.get_level_values(0):
            continue
        part = wide.loc[group]
        part = part.loc[sorted(part.index, key=lambda k: order.get(k, 99))]
        for konto in part.index:
            vals = values_of(part.loc[[konto]])
            out_rows.append({"rad": names.get(konto, konto), "konto": konto, "niva": "konto", **vals})
        sums = values_of(part)
        if group in GROUP_TOTALS:
            out_rows.append({"rad": GROUP_TOTALS[group], "konto": f"summa_{group}", "niva": "summa", **sums})
        if group == "finans":
            for key in running:
                running[key] = plus(running[key], sums[key])
            out_rows.append(
                {
                    "rad": "Årets resultat exkl. över-/underskott",
                    "konto": "resultat_exkl",
                    "niva": "summa",
                    **running,
                }
            )
            continue
        if group == "resultatfond":
            total = {k: plus(running[k], sums[k]) for k in running}
            out_rows.append({"rad": "Årets resultat", "konto": "resultat", "niva": "summa", **total})
            continue
        for key in running:
            running[key] = plus(running[key], sums[key])
    table = pd.DataFrame(out_rows)
    table["avvikelse"] = table[column_key(ar, "utfall")] - table[column_key(ar, "budget")]
    return table


def plus(total: float, part: float) -> float:
    """``total + part`` where a missing one adds nothing; missing (NaN) only when both are: a result of a
    column without any row is missing, never 0."""
    if pd.isna(part):
        return total
    return part if pd.isna(total) else total + part


def line(statement: pd.DataFrame, konto: str, column: str) -> float:
    """One figure of the income statement."""
    hit = statement.loc[statement["konto"] == konto, column]
    return float(hit.iloc[0]) if len(hit) else float("nan")


def adjusted_comparison(statement: pd.DataFrame, adjustments: pd.DataFrame, ar: int) -> pd.DataFrame:
    """Revenue and personnel costs less the internal substitute pool, against budget (mnkr); without the
    year's pool the pool, the adjusted outcome and the deviation are missing."""
    rows = []
    for konto, sign, label in (
        ("ovriga_intakter", 1, "Övriga intäkter"),
        ("personalkostnader", -1, "Personalkostnader"),
    ):
        # No row for the year is a missing figure (NaN), never a pool of 0,0.
        pool = adjustments[(adjustments["konto"] == konto) & (adjustments["ar"] == ar)]["belopp_mnkr"].sum(
            min_count=1
        )
        actual = line(statement, konto, column_key(ar, "utfall"))
        budget = line(statement, konto, column_key(ar, "budget"))
        adjusted = actual - sign * pool
        rows.append(
            {
                "post": label,
                "utfall": actual,
                "vikariepool": pool,
                "justerat_utfall": adjusted,
                "budget": budget,
                "avvikelse": adjusted - budget,
            }
        )
    return pd.DataFrame(rows)


def result_per_area(results: pd.DataFrame, areas: pd.DataFrame, ar: int) -> pd.DataFrame:
    """Per område: last year's and this year's result, budget and deviation (mnkr), and a total row."""
    wide = results.pivot_table(index="omrade", columns=["typ", "ar"], values="belopp_mnkr", aggfunc="sum")
    ordered = areas.sort_values("ordning")
    out = pd.DataFrame({"omrade": ordered["omrade"].tolist()})
    out["benamning"] = ordered["benamning"].tolist()
    out["kortnamn"] = ordered["kortnamn"].fillna("").tolist()
    for typ, year, name in (
        ("utfall", ar - 1, "utfall_fg"),
        ("utfall", ar, "utfall"),
        ("budget", ar, "budget"),
    ):
        column = wide[(typ, year)] if (typ, year) in wide else pd.Series(dtype=float)
        out[name] = [column.get(a, float("nan")) for a in out["omrade"]]
    out["avvikelse"] = out["utfall"] - out["budget"]
    total = {"omrade": "summa", "benamning": "Summa Servicenämnden", "kortnamn": ""}
    for name in ("utfall_fg", "utfall", "budget", "avvikelse"):
        total[name] = out[name].sum(min_count=1)
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)


def investments(rows: pd.DataFrame, ar: int) -> pd.DataFrame:
    """Per project: accumulated outcome, the year's budget and outcome, deviation (outcome − budget)
    and the deviation from the year's forecast as printed (NaN where the source has an empty cell)."""
    part = rows[rows["ar"] == ar]
    wide = part.pivot_table(index="projekt", columns="matt", values="belopp_mnkr", aggfunc="sum", sort=False)
    for needed in ("utfall_ack_totalt", "budget_helar", "utfall_ack_helar", "prognosavvikelse"):
        if needed not in wide:
            wide[needed] = float("nan")
    wide["avvikelse_helar"] = wide["utfall_ack_helar"] - wide["budget_helar"]
    wide.loc["Summa investeringar"] = wide.sum(min_count=1)
    return wide.reset_index()


def deviation_reasons(reasons: pd.DataFrame, deviation: float, ar: int) -> pd.DataFrame:
    """The listed reasons for the investment deviation and the share of it each explains (percent)."""
    part = reasons[reasons["ar"] == ar].sort_values("ordning").copy()
    part["andel_av_avvikelsen"] = part["belopp_mnkr"] / deviation * 100
    return part


def area_explanations(explanations: pd.DataFrame, area: str) -> pd.DataFrame:
    """The explained items of one område with their amounts (parents without an amount get the sum of parts)."""
    part = explanations[explanations["omrade"] == area].copy()
    for idx, row in part.iterrows():
        if pd.isna(row["belopp_mnkr"]) and row["post_id"] in set(part["overordnad"]):
            children = part[(part["overordnad"] == row["post_id"]) & (part["relation"] == "del")]
            if len(children):
                part.loc[idx, "belopp_mnkr"] = children["belopp_mnkr"].sum()
    return part


# --- Traced forms (issue 20): the same figures as above, carrying the data cells they come from ----------


def drift_cells(results: pd.DataFrame, typ: str, year: int, omrade: str | list[str] | None = None) -> Traced:
    """The driftredovisning's ``typ`` for ``year``: all areas (the committee's total), one or a list."""
    where: dict[str, object] = {"typ": typ, "ar": year}
    if omrade is not None:
        where["omrade"] = omrade
    return select(results, "belopp_mnkr", **where)


def area_deviation(results: pd.DataFrame, ar: int, omrade: str | list[str] | None = None) -> Traced:
    """Outcome minus budget (mnkr), as in :func:`result_per_area`."""
    return differens(drift_cells(results, "utfall", ar, omrade), drift_cells(results, "budget", ar, omrade))


def explanation_amount(explanations: pd.DataFrame, post_id: str, ar: int) -> Traced:
    """An explained item's amount, or the sum of its parts where it has none (as :func:`area_explanations`)."""
    own = select(explanations, "belopp_mnkr", ar=ar, post_id=post_id)
    if own.terms:
        return own
    return select(explanations, "belopp_mnkr", ar=ar, overordnad=post_id, relation="del")


def traced_remainder(explanations: pd.DataFrame, results: pd.DataFrame, area: str, ar: int) -> Traced:
    """An area's budget deviation minus its top-level explained items (see ``fakta.unexplained_remainder``)."""
    items = area_explanations(explanations[explanations["ar"] == ar], area)
    roots = set(items.loc[items["overordnad"].isna(), "post_id"])
    top = [str(p) for p in items.loc[items["overordnad"].isin(roots), "post_id"]]
    deviation = area_deviation(results, ar, area)
    parts = [explanation_amount(explanations, p, ar) for p in top]
    return differens(deviation, summa(*parts)) if parts else deviation
