"""Tables of the economy: resultaträkning, driftredovisning per område, investments and explanations."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import forklaringar, investeringar, resultatrakning
from servicenamnden.domain.rounding import shown_sum_difference
from servicenamnden.domain.years import MissingYearError, for_year, missing_text
from servicenamnden.present import fmt
from servicenamnden.present.tables.spec import Column, Table, text


def sum_note(total_label: str, difference: float, parts_sum: float, unit: str = "mnkr") -> str:
    """The note where the shown parts do not add up to the shown total: the exact difference."""
    return (
        f"{total_label}: de visade delarna summerar till {fmt.number(parts_sum, 1)} {unit}; totalen är "
        f"beräknad ur de oavrundade beloppen och skiljer {fmt.number(abs(difference), 1)} {unit} "
        "från summan av de avrundade delarna."
    )


def total_row_notes(frame: pd.DataFrame, columns: tuple[Column, ...], decimals: int = 1) -> list[str]:
    """A :func:`sum_note` for each column whose shown parts (all rows but the last) miss the shown total."""
    last = len(frame) - 1
    notes = []
    for column in columns:
        total = frame[column.key].iloc[last]
        difference = shown_sum_difference(frame[column.key].iloc[:last].tolist(), total, decimals)
        if difference:
            notes.append(sum_note(f"Summa, {column.label.lower()}", difference, total - difference))
    return notes


def _result(frame: pd.DataFrame, column: str) -> float:
    hit = frame.loc[frame["konto"] == "resultat", column] if column in frame else []
    return float(hit.iloc[0]) if len(hit) else float("nan")


def result_notes(
    statement: pd.DataFrame,
    anchored: pd.DataFrame,
    per_area: pd.DataFrame | None,
    ar: int,
    anchored_shown: bool = True,
) -> list[str]:
    """Which result each outcome column of the resultaträkning shows, where it matters.

    The year's result is the areas' total (said when the rows then miss it, ``anchored_shown``); the
    year before shows the statement's own result, and where that differs from the areas' total for that
    year (2022: 10,3 against 10,9 mnkr) the note gives both.
    """
    if per_area is None or not len(per_area):
        return []
    total = per_area.iloc[-1]
    notes = []
    if anchored_shown:
        years = [
            str(year)
            for year, area_column in ((ar - 1, "utfall_fg"), (ar, "utfall"))
            if not pd.isna(shown := _result(anchored, f"utfall_{year}"))
            and abs(shown - float(total.get(area_column, float("nan")))) < 1e-9
        ]
        if years:
            notes.append(
                f"Årets resultat för {' och '.join(years)} är nämndens resultat enligt driftredovisningen per område."
            )
    own, areas = _result(anchored, f"utfall_{ar - 1}"), float(total.get("utfall_fg", float("nan")))
    if not (pd.isna(own) or pd.isna(areas)) and fmt.number(own, 1) != fmt.number(areas, 1):
        notes.append(
            f"För {ar - 1} visar tabellen resultaträkningens eget resultat, {fmt.mnkr(own)}; "
            f"områdenas resultat i driftredovisningen per område summerar det året till {fmt.mnkr(areas)}."
        )
    return notes


def income_statement_table(statement: pd.DataFrame, ar: int, per_area: pd.DataFrame | None = None) -> Table:
    """Resultaträkning in mnkr: the year before, the year, budget and deviation; results as the report uses them.

    With ``per_area`` (:func:`servicenamnden.domain.ekonomi.result_per_area`) the year's result is the
    areas' total wherever the rows agree with it within their rounding, so this table, the per-area table
    and the text show the same result; a note gives the exact amount by which the rows miss it.
    """
    if statement[f"utfall_{ar}"].isna().all():
        raise MissingYearError(missing_text("resultaträkningen", [ar]))
    anchored = resultatrakning.anchored_statement(statement, per_area, ar).reset_index(drop=True)
    columns = (
        Column(f"utfall_{ar - 1}", f"Utfall {ar - 1}", decimals=1),
        Column(f"utfall_{ar}", f"Utfall {ar}", decimals=1),
        Column(f"budget_{ar}", f"Budget {ar}", decimals=1),
        Column("avvikelse", "Avvikelse", decimals=1, sign=True),
    )
    sums = tuple(i for i, n in enumerate(anchored["niva"]) if n == "summa")
    table = Table(
        anchored,
        text("rad", "Post"),
        columns,
        "tbl-resultatrakning-gt",
        "Post (mnkr)",
        unit="mnkr",
        bold_rows=sums,
    )
    notes = []
    differences = resultatrakning.shown_differences(anchored, [c.key for c in columns[:3]])
    for found in differences:
        year = found["kolumn"].split("_")[1]
        kind = "utfall" if found["kolumn"].startswith("utfall") else "budget"
        notes.append(
            f"{found['rad']}, {kind} {year}: raderna ovanför summerar till {fmt.number(found['delarnas_summa'], 1)} "
            f"mnkr; skillnaden {fmt.number(abs(found['skillnad']), 1)} mnkr beror på att raderna är avrundade."
        )
    anchored_shown = any(r in {d["konto"] for d in differences} for r in resultatrakning.RESULT_ROWS)
    notes.extend(result_notes(statement, anchored, per_area, ar, anchored_shown))
    return table.with_notes(
        *notes,
        "Avvikelse = utfall − budget; en rad utan budget jämförs med noll. – = inget belopp.",
    )


POOL_MISSING = (
    "Vikariepoolens interna poster saknas i årets data, så det justerade utfallet och avvikelsen kan inte "
    "räknas fram (–)."
)


def adjusted_comparison_table(comparison: pd.DataFrame) -> Table:
    """Revenue and personnel costs less the internal substitute pool, against budget."""
    columns = (
        Column("utfall", "Utfall", decimals=1),
        Column("vikariepool", "Vikariepool", decimals=1),
        Column("justerat_utfall", "Justerat utfall", decimals=1),
        Column("budget", "Budget", decimals=1),
        Column("avvikelse", "Avvikelse", decimals=1, sign=True),
    )
    return Table(
        comparison.reset_index(drop=True),
        text("post", "Post"),
        columns,
        "tbl-justerad-jamforelse-gt",
        "Post (mnkr)",
        unit="mnkr",
    ).with_notes(
        "Vikariepoolens interna intäkt och motsvarande personalkostnad ingår inte i budgeten och räknas därför bort.",
        POOL_MISSING if comparison["vikariepool"].isna().any() else "",
    )


def area_name(benamning: str, kortnamn: object) -> str:
    """``Område 4 – Måltidsservice``; the name alone where the short name adds nothing."""
    return (
        f"{benamning} – {kortnamn}"
        if isinstance(kortnamn, str) and kortnamn and kortnamn != benamning
        else benamning
    )


def result_per_area_table(areas: pd.DataFrame, ar: int) -> Table:
    """Driftredovisning per område: results and budget deviation in mnkr; the total computed from the areas."""
    if areas["utfall"].isna().all():
        raise MissingYearError(missing_text("driftredovisningen", [ar]))
    frame = areas.reset_index(drop=True).copy()
    frame["namn"] = [area_name(b, k) for b, k in zip(frame["benamning"], frame["kortnamn"], strict=True)]
    columns = (
        Column("utfall_fg", f"Utfall {ar - 1}", decimals=1),
        Column("utfall", f"Utfall {ar}", decimals=1),
        Column("budget", f"Budget {ar}", decimals=1),
        Column("avvikelse", "Avvikelse", decimals=1, sign=True),
    )
    last = len(frame) - 1
    table = Table(
        frame,
        text("namn", "Område"),
        columns,
        "tbl-driftredovisning-gt",
        "Område (mnkr)",
        unit="mnkr",
        bold_rows=(last,),
    )
    notes = total_row_notes(frame, columns)
    return table.with_notes(
        "Summan är beräknad ur områdenas resultat. Nämnd, ledning och stöd inkluderar uttaget ur resultatfonden.",
        *notes,
    )


def area_units_table(areas: pd.DataFrame) -> Table:
    """Which units each område consists of."""
    part = areas.sort_values("ordning").reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "namn": [area_name(b, k) for b, k in zip(part["benamning"], part["kortnamn"], strict=True)],
            "enheter": [
                ", ".join(e.split("; ")) if isinstance(e, str) and e else None for e in part["enheter"]
            ],
        }
    )
    table = Table(frame, text("namn", "Område"), (text("enheter", "Enheter"),), "tbl-omraden-gt", "Område")
    if frame["enheter"].isna().any():
        table = table.with_notes("– = inga enheter redovisas för området.")
    return table


def investments_table(invest: pd.DataFrame, ar: int, forecast: str | None = None) -> Table:
    """Investeringsredovisning in mnkr; deviation = outcome − budget (positive = less spent), and the
    deviation from the year's forecast (``forecast`` names it, e.g. "årsprognos november")."""
    frame = invest.reset_index(drop=True)
    columns = (
        Column("utfall_ack_totalt", "Utfall ack. totalt", decimals=1),
        Column("budget_helar", f"Budget {ar}", decimals=1),
        Column("utfall_ack_helar", f"Utfall {ar}", decimals=1),
        Column("avvikelse_helar", f"Avvikelse {ar}", decimals=1, sign=True),
        Column("prognosavvikelse", f"Avvikelse mot {forecast or 'prognos'}", decimals=1, sign=True),
    )
    last = len(frame) - 1
    table = Table(
        frame,
        text("projekt", "Projekt"),
        columns,
        "tbl-investeringar-gt",
        "Projekt (mnkr)",
        unit="mnkr",
        bold_rows=(last,),
    )
    notes = total_row_notes(frame, columns)
    return table.with_notes(
        "Utgifter har negativt tecken. Avvikelse = utfall − budget; ett positivt värde betyder att mindre "
        "än budgeterat har investerats. Prognosen själv finns inte i underlaget; avvikelsen mot den står "
        "med underlagets tecken. – = inget belopp.",
        *notes,
    )


def investment_reasons_table(reasons: pd.DataFrame, deviation: float) -> Table:
    """The listed reasons for the investment deviation and how much of it they explain."""
    frame = investeringar.reasons_with_totals(reasons, deviation)
    columns = (
        Column("belopp_mnkr", "Belopp", decimals=1),
        Column("andel_procent", "Andel av avvikelsen", "percent", 0),
    )
    total_row = list(frame["niva"]).index("summa")
    table = Table(
        frame,
        text("post", "Orsak"),
        columns,
        "tbl-investeringar-orsaker-gt",
        "Orsak (mnkr)",
        unit="mnkr",
        bold_rows=(total_row,),
    )
    notes = [f"Andelarna är räknade på hela avvikelsen {fmt.mnkr(deviation)}."]
    explained = float(frame["belopp_mnkr"].iloc[total_row])
    difference = shown_sum_difference(reasons["belopp_mnkr"].tolist(), explained, 1)
    if difference:
        notes.append(sum_note("Summa angivna orsaker", difference, explained - difference))
    return table.with_notes(*notes)


def area_explanations_table(explanations: pd.DataFrame, areas: pd.DataFrame, ar: int) -> Table:
    """The deviations per område that the text explains, with amounts (mnkr); parts indented under their item."""
    part = for_year(explanations, ar, "förklarade avvikelser per område")
    rows = forklaringar.explained_rows(part, areas)
    decimals = tuple((2 if abs(v * 10 - round(v * 10)) > 1e-9 else 1, "") for v in rows["belopp_mnkr"])
    columns = (
        text("omrade", "Område"),
        text("forklaring", "Förklaring"),
        Column("belopp_mnkr", "Belopp", "quantity", sign=True, unit="mnkr", row_formats=decimals),
    )
    return Table(
        rows,
        text("post", "Post"),
        columns,
        "tbl-forklarade-avvikelser-gt",
        "Post (mnkr)",
        unit="mnkr",
        indent="niva",
        font_size="85%",
    ).with_notes(
        "Poster med · är delar av posten ovanför. Posterna förklarar områdets avvikelse mot budget men "
        "summerar inte alltid till den; se Datakontroller."
    )
