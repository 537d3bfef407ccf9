"""Tables of the goals: process goals, main processes, commitments, environmental goals and food waste."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import jamforelser, miljo
from servicenamnden.domain.periods import period_words
from servicenamnden.domain.years import MissingYearError, for_year
from servicenamnden.present import fmt
from servicenamnden.present.tables.spec import Column, Table, text

SYMBOLS = {
    "uppfyllt": "● uppfyllt",
    "delvis uppfyllt": "◐ delvis uppfyllt",
    "ej uppfyllt": "○ ej uppfyllt",
    "klart": "✓ klart",
    "försenat": "försenat",
    "bättre": "↗ bättre",
    "oförändrad": "→ oförändrad",
    "sämre": "↘ sämre",
    "ej angivet": "ej angivet",
    "kvalitativt": "kvalitativt",
}


def in_words(value: object) -> str:
    """An assessment as symbol and word together, so it survives print, greyscale and screen readers."""
    if fmt.is_missing(value) or value == "":
        return "ej angivet"
    return SYMBOLS.get(str(value), str(value))


def goal_period(goals: pd.DataFrame) -> str:
    """The goals' period from the data (``period_start``–``period_slut``), or '' when the data lack it."""
    if {"period_start", "period_slut"} <= set(goals.columns) and len(goals):
        start, end = goals["period_start"].dropna(), goals["period_slut"].dropna()
        if len(start) and len(end):
            return f"{int(start.min())}–{int(end.max())}"
    return ""


def process_goals_table(goals: pd.DataFrame, ar: int) -> Table:
    """The four-year process goals and their assessment."""
    part = for_year(goals, ar, "processmålen").sort_values("ordning").reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "processmal": part["processmal"],
            "perspektiv": part["perspektiv"],
            "bedomning": [in_words(v) for v in part["bedomning"]],
        }
    )
    period = goal_period(part)
    return Table(
        frame,
        text("processmal", "Processmål"),
        (text("perspektiv", "Perspektiv"), text("bedomning", "Bedömning")),
        "tbl-processmal-gt",
        f"Processmål {period}" if period else "Processmål",
    ).with_notes("● uppfyllt, ◐ delvis uppfyllt, ○ ej uppfyllt.")


def main_processes_table(processes: pd.DataFrame, ar: int) -> Table:
    """Main processes with assessment and trend; an assessment the data lack is shown as 'ej angivet'."""
    part = for_year(processes, ar, "huvudprocesserna").sort_values("ordning").reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "huvudprocess": part["huvudprocess"],
            "avsnitt": part["avsnitt"],
            "bedomning": [in_words(v) for v in part["bedomning"]],
            "trend": [in_words(v) for v in part["trend"]],
        }
    )
    columns = (text("avsnitt", "Avsnitt"), text("bedomning", "Bedömning"), text("trend", "Trend"))
    table = Table(
        frame, text("huvudprocess", "Huvudprocess"), columns, "tbl-huvudprocesser-gt", "Huvudprocess"
    )
    if (part["bedomning"] == "ej angivet").any():
        table = table.with_notes("ej angivet = bedömningen redovisas inte för processen.")
    return table.with_notes("Trenden jämför med december året före.")


def commitments_table(commitments: pd.DataFrame, ar: int) -> Table:
    """The one-year commitments with status and degree of completion."""
    part = for_year(commitments, ar, "de ettåriga åtagandena").sort_values("nr").reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "atagande": part["atagande"],
            "avsnitt": [
                f"{a} – {d}" if isinstance(d, str) and d else a
                for a, d in zip(part["avsnitt"], part["delavsnitt"], strict=True)
            ],
            "status": [in_words(v) for v in part["status"]],
            "fardiggrad": part["fardiggrad"].astype(float),
        }
    )
    columns = (
        text("avsnitt", "Avsnitt"),
        text("status", "Status"),
        Column("fardiggrad", "Färdiggrad", "percent", 0),
    )
    return Table(
        frame,
        text("atagande", "Åtagande"),
        columns,
        "tbl-ataganden-gt",
        "Ettåriga åtaganden",
        font_size="85%",
    ).with_notes("– = färdiggraden redovisas inte; ej angivet = statusen redovisas inte.")


def _goal_value(value: float, unit: str) -> str:
    if fmt.is_missing(value):
        return fmt.MISSING
    if unit == "procent":
        return fmt.percent(value, 1 if value % 1 else 0)
    if unit == "kg CO2e/kg":
        return f"{fmt.number(value, 2)}{fmt.NBSP}kg CO₂e/kg"
    return fmt.number(value, 1)


def goal_target(row: object) -> str:
    """The goal's level in words: ``högst 12 %``, ``öka från 45 % (2022)``, ``fortsatt hög``."""
    value = _goal_value(row.malvarde, row.enhet)  # type: ignore[attr-defined]
    direction = row.riktning  # type: ignore[attr-defined]
    if direction == "max":
        return f"högst {value}"
    if direction == "min":
        return f"minst {value}"
    if direction == "oka":
        before = _goal_value(row.jamforelsevarde, row.enhet)  # type: ignore[attr-defined]
        return f"öka från {before} ({int(row.jamforelse_ar)})"  # type: ignore[attr-defined]
    if direction == "hog":
        return "fortsatt hög"
    return "kvalitativt mål"


def _outcome_format(value: float, unit: str) -> tuple[int, str]:
    if unit == "procent":
        return (0 if fmt.is_missing(value) or not value % 1 else 1), "%"
    if unit == "kg CO2e/kg":
        return 2, "kg CO₂e/kg"
    return 1, ""


def environmental_goals_table(assessed: pd.DataFrame) -> Table:
    """Environmental goals: target, outcome and whether it was met (computed where figures allow)."""
    part = assessed.reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "mal": part["mal"],
            "malniva": [goal_target(r) for r in part.itertuples()],
            "utfall": part["utfall"].astype(float),
            "bedomning": [in_words(b) for b in part["bedomning"]],
            "grund": ["beräknad" if g == "beräknad" else "bedömd" for g in part["bedomning_grund"]],
        }
    )
    formats = tuple(_outcome_format(v, u) for v, u in zip(part["utfall"], part["enhet"], strict=True))
    columns = (
        text("malniva", "Målnivå"),
        Column("utfall", "Utfall", "quantity", row_formats=formats),
        text("bedomning", "Bedömning"),
        text("grund", "Grund"),
    )
    return Table(
        frame,
        text("mal", "Miljömål"),
        columns,
        "tbl-miljomal-gt",
        "Miljömål",
        font_size="88%",
    ).with_notes(
        "Grund: beräknad = bedömningen följer av målnivå och utfall; bedömd = målet saknar siffersatt nivå "
        "och bedömningen är förvaltningens. Matsvinnet avser skolverksamheten; möbelåterbruket är beräknat "
        "ur antal inkomna och kasserade möbler."
    )


def goal_margins_table(assessed: pd.DataFrame) -> Table:
    """The environmental-goal chart's values: each measurable goal's outcome, the value it is measured
    against and how far the outcome lies from it, in percent of that value."""
    margins = miljo.goal_margins(assessed)
    if margins.empty:
        raise MissingYearError("Inget miljömål har både målvärde och utfall för året; tabellen utgår.")
    formats = tuple(_outcome_format(v, u) for v, u in zip(margins["utfall"], margins["enhet"], strict=True))
    frame = margins[["mal", "utfall", "referens", "marginal_procent"]].reset_index(drop=True)
    columns = (
        Column("utfall", "Utfall", "quantity", row_formats=formats),
        Column("referens", "Målvärde", "quantity", row_formats=formats),
        Column("marginal_procent", "Avstånd, % av målvärdet", "percent", 1, sign=True),
    )
    return Table(frame, text("mal", "Miljömål"), columns, "tbl-miljomal-avstand-gt", "Miljömål").with_notes(
        "Avstånd: hur långt utfallet ligger på rätt sida om målvärdet, i procent av målvärdet; ett negativt "
        "tal betyder sämre än målet. För ett mål att öka är målvärdet föregående års utfall. Mål utan "
        "siffersatt nivå ingår inte."
    )


def goal_margins_for_year(goals: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, ar: int) -> Table:
    """:func:`goal_margins_table` for the year, from the raw files."""
    return goal_margins_table(miljo.goals(goals, waste, figures, ar))


WASTE_LABELS = {
    "forskola": "Förskola",
    "grundskola": "Grundskola",
    "gymnasiet": "Gymnasiet",
    "aldreomsorg": "Äldreomsorg",
}


def measured_periods_note(raw: pd.DataFrame, ar: int) -> str:
    """Where a verksamhet's waste was measured for part of the year only, say when (from the data)."""
    part = raw[(raw["ar"] == ar) & raw["period"].notna() & (raw["period"] != "ej_angiven")]
    notes = []
    for row in part.itertuples():
        kind = "serveringssvinn" if row.svinntyp == "servering" else "tallrikssvinn"
        sentence = f"{WASTE_LABELS.get(row.verksamhet, row.verksamhet)}s {kind} mättes {period_words(row.period)} {ar}"
        remark = row.anmarkning if isinstance(row.anmarkning, str) and row.anmarkning else ""
        notes.append(f"{sentence}. {remark}".strip())
    return " ".join(notes)


def food_waste_table(waste: pd.DataFrame, school: dict, target: float) -> Table:
    """Serving and plate waste by school form, their sum, and the school total against the target."""
    frame = pd.DataFrame(
        {
            "verksamhet": [WASTE_LABELS.get(v, v) for v in waste["verksamhet"]]
            + ["Skolverksamheten (medel)"],
            "servering": [*waste["servering"].astype(float), school["servering"]],
            "tallrik": [*waste["tallrik"].astype(float), school["tallrik"]],
            "totalt": [*waste["totalt"].astype(float), school["totalt"]],
        }
    )
    frame["mot_malet"] = [jamforelser.against_max_target(v, target) for v in frame["totalt"]]
    columns = (
        Column("servering", "Serveringssvinn", "percent", 1),
        Column("tallrik", "Tallrikssvinn", "percent", 1),
        Column("totalt", "Totalt", "percent", 1),
        text("mot_malet", "Mot målet"),
    )
    return Table(
        frame, text("verksamhet", "Verksamhet"), columns, "tbl-matsvinn-gt", "Verksamhet", unit="procent"
    ).with_notes(
        f"Målet är högst {fmt.percent(target, 0)} matsvinn. Totalt = serveringssvinn + tallrikssvinn. "
        "Skolverksamheten (medel) är rapportens ovägda medelvärde av de tre skolformerna; källan anger "
        "inte hur dess total för skolverksamheten räknades. – = inte mätt."
    )


def environmental_goals_for_year(
    goals: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, ar: int
) -> Table:
    """:func:`environmental_goals_table` for the year, from the raw files."""
    return environmental_goals_table(miljo.goals(goals, waste, figures, ar))


def food_waste_for_year(waste: pd.DataFrame, goals: pd.DataFrame, ar: int) -> Table:
    """:func:`food_waste_table` for the year, with the year's target and measuring periods, from the raw files."""
    per_form = miljo.food_waste_for_year(waste, ar)
    table = food_waste_table(per_form, miljo.school_food_waste(per_form), miljo.food_waste_target(goals, ar))
    return table.with_notes(measured_periods_note(waste, ar))
