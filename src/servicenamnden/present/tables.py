"""Tables as pure functions: data in, a ``great_tables.GT`` out, every cell formatted in Swedish.

Cells are formatted with :mod:`servicenamnden.present.fmt` before they reach great-tables, so tables and
prose share one formatter. The caption comes from the notebook cell's ``tbl-cap``.
"""

from __future__ import annotations

import pandas as pd
from great_tables import GT

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import ms_ao, sjukfranvaro
from servicenamnden.domain.goals import process_goal_period
from servicenamnden.domain.ms_ao import SERIES_LABELS
from servicenamnden.domain.years import for_year, require_years
from servicenamnden.present import fmt

TABLE_WIDTH = "100%"


def _gt(
    frame: pd.DataFrame,
    table_id: str,
    stub: str,
    stubhead: str,
    numeric: list[str] | None = None,
    font_size: str = "90%",
) -> GT:
    """A GT with a stub of row headers (``th scope=row``), right-aligned figures and our common options.

    ``numeric`` names the columns of figures; by default every column but the stub.
    """
    figures = [c for c in frame.columns if c != stub] if numeric is None else numeric
    table = GT(frame, rowname_col=stub, id=table_id).tab_stubhead(stubhead)
    if figures:
        table = table.cols_align("right", columns=figures)
    return table.tab_options(table_width=TABLE_WIDTH, table_font_size=font_size)


def _share_comparison(labels: list[str], comp: pd.DataFrame, ar: int) -> pd.DataFrame:
    """Shares (percent) for the year and the year before, and the change in procentenheter, per row."""
    return pd.DataFrame(
        {
            "Grupp": labels,
            str(ar): [fmt.percent(v) for v in comp["ar"]],
            str(ar - 1): [fmt.percent(v) for v in comp["foregaende_ar"]],
            "Förändring": [fmt.pp(v, short=True) for v in comp["forandring_pe"]],
        }
    )


def sjukfranvaro_table(frame: pd.DataFrame, ar: int) -> GT:
    """Sick leave by group: the year, the year before, change in procentenheter."""
    require_years(frame[frame["period"] == sjukfranvaro.FULL_YEAR], [ar, ar - 1], "sjukfrånvaro")
    comp = sjukfranvaro.compare_years(frame, ar)
    shown = _share_comparison([sjukfranvaro.GROUP_LABELS[g] for g in comp["grupp"]], comp, ar)
    table = _gt(shown, "tbl-sjukfranvaro-gt", "Grupp", "Grupp").tab_source_note(
        "Sjukfrånvarotimmar i procent av ordinarie arbetstid, medel för årets tolv månader. "
        "Förändringen anges i procentenheter (p.e.). Grupper med tio anställda eller färre visas inte (–)."
    )
    if comp["dold"].any():
        table = table.tab_source_note("– = uppgiften visas inte eftersom gruppen är för liten.")
    return table


def ms_ao_cost_table(costs: pd.DataFrame, categories: pd.DataFrame, indices: pd.DataFrame, ar: int) -> GT:
    """MS ÄO cost per category and year (tkr), computed total, and both indices as tkr series."""
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    last = int(costs["ar"].max())
    table = ms_ao.cost_table(costs, categories, last)
    types = ms_ao.year_types(costs)
    index_rows = indices[indices["ar"] <= last].pivot(
        index="serie", columns="ar", values="kostnad_enligt_index_tkr"
    )
    labels = {"budgetindex": "Enligt generellt budgetindex", "storkoksindex": "Enligt storköksindex"}
    body = table.copy()
    for serie in ("budgetindex", "storkoksindex"):
        if serie in index_rows.index:
            body.loc[labels[serie]] = index_rows.loc[serie].reindex(body.columns)
    years = list(body.columns)
    shown = pd.DataFrame({"Kostnadsslag": body.index})
    for year in years:
        head = f"Budget {year}" if types.get(year) == "budget" else f"Utfall {year}"
        shown[head] = [fmt.number(v) for v in body[year]]
    gt = _gt(shown, "tbl-ms-ao-gt", "Kostnadsslag", "Kostnadsslag (tkr)")
    notes = [
        "Totalt är summan av kostnadsslagen, beräknad ur data. Indexraderna visar vad "
        f"{ms_ao.base_year(costs)} års kostnad hade blivit om den följt respektive index."
    ]
    for year, serie, note in ms_ao.missing_index_notes(indices, last):
        notes.append(f"– {SERIES_LABELS[serie]} {year}: {note}")
    for note in notes:
        gt = gt.tab_source_note(note)
    return gt


def ms_ao_index_table(costs: pd.DataFrame, indices: pd.DataFrame, ar: int) -> GT:
    """Cost and indices with the base year = 100, up to ``ar``."""
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    series = ms_ao.index_series(costs, indices, ar)
    shown = pd.DataFrame({"Serie": [SERIES_LABELS[s] for s in series.columns]})
    for year in series.index:
        shown[str(year)] = [fmt.number(series.loc[year, s], 1) for s in series.columns]
    base = ms_ao.base_year(costs)
    gt = _gt(shown, "tbl-ms-ao-index-gt", "Serie", f"Index ({base} = 100)")
    for year, serie, note in ms_ao.missing_index_notes(indices, ar):
        gt = gt.tab_source_note(f"– {SERIES_LABELS[serie]} {year}: {note}")
    return gt


def ms_ao_change_table(costs: pd.DataFrame, categories: pd.DataFrame, start: int, end: int) -> GT:
    """Change per category from ``start`` to ``end``: tkr and percent."""
    require_years(costs[costs["typ"] == "utfall"], end, "kostnader för MS ÄO")
    change = ms_ao.category_change(costs, categories, start, end)
    shown = pd.DataFrame(
        {
            "Kostnadsslag": change.index,
            str(start): [fmt.number(v) for v in change["start_tkr"]],
            str(end): [fmt.number(v) for v in change["slut_tkr"]],
            "Förändring, tkr": [fmt.number(v, sign=True) for v in change["forandring_tkr"]],
            "Förändring, %": [fmt.percent(v, sign=True) for v in change["forandring_procent"]],
        }
    )
    return _gt(shown, "tbl-ms-ao-forandring-gt", "Kostnadsslag", "Kostnadsslag (tkr)")


def brukaravgifter_table(fees: pd.DataFrame, subscriptions: pd.DataFrame) -> GT:
    """Fee per subscription and year, with yearly change and change since the base year."""
    table = bav.wide(fees, subscriptions)
    yearly = bav.yearly_change(table)
    since = bav.change_since_base(table)
    names = bav.labels(subscriptions)
    base, last = table.columns[0], table.columns[-1]
    shown = pd.DataFrame({"Abonnemang": [names[c] for c in table.index]})
    for year in table.columns:
        shown[str(year)] = [fmt.number(v) for v in table[year]]
    for year in table.columns[1:]:
        shown[f"Δ {year}"] = [fmt.percent(v, sign=True) for v in yearly[year]]
    shown[f"Sedan {base}"] = [fmt.percent(v, sign=True) for v in since[last]]
    gt = _gt(shown, "tbl-brukaravgifter-gt", "Abonnemang", "Abonnemang (kr per månad)")
    gt = gt.tab_spanner("Avgift, kr per månad", columns=[str(y) for y in table.columns])
    gt = gt.tab_spanner("Förändring mot året före", columns=[f"Δ {y}" for y in table.columns[1:]])
    return gt.tab_source_note(
        f"Förändringarna är beräknade för varje abonnemang ur avgifterna; Sedan {base} avser {last} mot {base}."
    )


def fees_against_costs_table(
    comparison: pd.DataFrame, subscriptions: pd.DataFrame, start: int, end: int
) -> GT:
    """Fee increases next to the cost and index development over the same years."""
    names = {**bav.labels(subscriptions), **{k: v for k, v in SERIES_LABELS.items()}}
    shown = pd.DataFrame(
        {
            "Post": [names.get(p, p) for p in comparison["post"]],
            f"Förändring {start}–{end}": [
                fmt.percent(v, sign=True) for v in comparison["forandring_procent"]
            ],
        }
    )
    gt = _gt(shown, "tbl-avgift-mot-kostnad-gt", "Post", "Avgift eller kostnad")
    if comparison["forandring_procent"].isna().any():
        gt = gt.tab_source_note(f"– = indexet för {end} är inte publicerat.")
    return gt


# --- Måluppfyllelse -------------------------------------------------------------------------------

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


def process_goals_table(goals: pd.DataFrame, ar: int) -> GT:
    """The four-year process goals and their assessment."""
    part = for_year(goals, ar, "processmålen").sort_values("ordning")
    shown = pd.DataFrame(
        {
            "Processmål": part["processmal"].tolist(),
            "Perspektiv": part["perspektiv"].tolist(),
            "Bedömning": [in_words(v) for v in part["bedomning"]],
        }
    )
    start, end = process_goal_period(goals, ar)
    return _gt(
        shown, "tbl-processmal-gt", "Processmål", f"Processmål {start}–{end}", numeric=[]
    ).tab_source_note("● uppfyllt, ◐ delvis uppfyllt, ○ ej uppfyllt.")


def main_processes_table(processes: pd.DataFrame, ar: int) -> GT:
    """Main processes with assessment and trend; lost symbols shown as 'ej angivet'."""
    part = for_year(processes, ar, "huvudprocesserna").sort_values("ordning")
    shown = pd.DataFrame(
        {
            "Huvudprocess": part["huvudprocess"].tolist(),
            "Avsnitt": part["avsnitt"].tolist(),
            "Bedömning": [in_words(v) for v in part["bedomning"]],
            "Trend": [in_words(v) for v in part["trend"]],
        }
    )
    table = _gt(shown, "tbl-huvudprocesser-gt", "Huvudprocess", "Huvudprocess", numeric=[])
    if (part["bedomning"] == "ej angivet").any():
        table = table.tab_source_note(
            "ej angivet = bedömningen finns inte i det underlag rapporten bygger på (symbolen föll bort i textversionen)."
        )
    return table.tab_source_note("Trenden jämför med december föregående år.")


def commitments_table(commitments: pd.DataFrame, ar: int) -> GT:
    """The one-year commitments with status and degree of completion."""
    part = for_year(commitments, ar, "de ettåriga åtagandena").sort_values("nr")
    section = [
        f"{a} – {d}" if isinstance(d, str) and d else a
        for a, d in zip(part["avsnitt"], part["delavsnitt"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "Åtagande": part["atagande"].tolist(),
            "Avsnitt": section,
            "Status": [in_words(v) for v in part["status"]],
            "Färdiggrad": [fmt.percent(v, 0) for v in part["fardiggrad"]],
        }
    )
    table = _gt(
        shown, "tbl-ataganden-gt", "Åtagande", "Ettåriga åtaganden", numeric=["Färdiggrad"], font_size="85%"
    ).cols_width({"Åtagande": "46%", "Avsnitt": "26%", "Status": "16%", "Färdiggrad": "12%"})
    return table.tab_source_note(
        "– = färdiggraden finns inte i underlaget; ej angivet = statusen finns inte i underlaget."
    )


# --- Miljömål --------------------------------------------------------------------------------------


def _goal_value(value: float, unit: str) -> str:
    if fmt.is_missing(value):
        return fmt.MISSING
    if unit == "procent":
        return fmt.percent(value, 1 if value % 1 else 0)
    if unit == "kg CO2e/kg":
        return f"{fmt.number(value, 2)}{fmt.NBSP}kg CO₂e/kg"
    return fmt.number(value, 1)


def _goal_target(row) -> str:
    value = _goal_value(row.malvarde, row.enhet)
    if row.riktning == "max":
        return f"högst {value}"
    if row.riktning == "min":
        return f"minst {value}"
    if row.riktning == "oka":
        return f"öka från {_goal_value(row.jamforelsevarde, row.enhet)} ({int(row.jamforelse_ar)})"
    if row.riktning == "hog":
        return "fortsatt hög"
    return "kvalitativt mål"


def environmental_goals_table(assessed: pd.DataFrame) -> GT:
    """Environmental goals: target, outcome and whether it was met (computed where figures allow)."""
    shown = pd.DataFrame(
        {
            "Miljömål": assessed["mal"].tolist(),
            "Målnivå": [_goal_target(r) for r in assessed.itertuples()],
            "Utfall": [_goal_value(r.utfall, r.enhet) for r in assessed.itertuples()],
            "Bedömning": [
                f"{in_words(b)}" + (" (källans)" if g != "beräknad" else "")
                for b, g in zip(assessed["bedomning"], assessed["bedomning_grund"], strict=True)
            ],
        }
    )
    return (
        _gt(shown, "tbl-miljomal-gt", "Miljömål", "Miljömål", numeric=["Utfall"], font_size="88%")
        .cols_width({"Miljömål": "38%", "Målnivå": "24%", "Utfall": "14%", "Bedömning": "24%"})
        .tab_source_note(
            "Bedömningen är beräknad ur målnivå och utfall där båda är siffror; för mål utan siffersatt nivå "
            "återges källans bedömning (källans). Matsvinnet avser skolverksamheten; möbelåterbruket är "
            "beräknat ur antal inkomna och kasserade möbler."
        )
    )


WASTE_LABELS = {
    "forskola": "Förskola",
    "grundskola": "Grundskola",
    "gymnasiet": "Gymnasiet",
    "aldreomsorg": "Äldreomsorg",
}


def food_waste_table(waste: pd.DataFrame, school: dict, target: float) -> GT:
    """Serving and plate waste by school form, their sum, and the school total against the target."""
    rows = [
        (WASTE_LABELS.get(r.verksamhet, r.verksamhet), r.servering, r.tallrik, r.totalt)
        for r in waste.itertuples()
    ]
    rows.append(("Skolverksamheten (medel)", school["servering"], school["tallrik"], school["totalt"]))
    shown = pd.DataFrame(
        {
            "Verksamhet": [r[0] for r in rows],
            "Serveringssvinn": [fmt.percent(r[1]) for r in rows],
            "Tallrikssvinn": [fmt.percent(r[2]) for r in rows],
            "Totalt": [fmt.percent(r[3]) for r in rows],
            "Mot målet": [
                fmt.MISSING if fmt.is_missing(r[3]) else ("klarar målet" if r[3] <= target else "över målet")
                for r in rows
            ],
        }
    )
    return (
        _gt(shown, "tbl-matsvinn-gt", "Verksamhet", "Verksamhet")
        .cols_align("left", columns=["Mot målet"])
        .tab_source_note(
            f"Målet är högst {fmt.percent(target, 0)} matsvinn. Totalt = serveringssvinn + tallrikssvinn. "
            "Skolverksamhetens värde är medelvärdet av de tre skolformerna. – = inte mätt; äldreomsorgens "
            "serveringssvinn mättes våren 2023 med en osäker metod."
        )
    )


def key_figures_table(rows: list[tuple[str, str, str]], table_id: str, stubhead: str) -> GT:
    """A small table of labelled, already formatted key figures: (label, value, comment)."""
    shown = pd.DataFrame(
        {"Nyckeltal": [r[0] for r in rows], "Värde": [r[1] for r in rows], "Kommentar": [r[2] for r in rows]}
    )
    return (
        _gt(shown, table_id, "Nyckeltal", stubhead)
        .cols_align("left", columns=["Kommentar"])
        .cols_width({"Nyckeltal": "40%", "Värde": "18%", "Kommentar": "42%"})
    )


def two_year_table(
    rows: list[tuple[str, float, float]],
    ar: int,
    table_id: str,
    stubhead: str,
    decimals: int = 0,
    change_in: str = "antal",
) -> GT:
    """Label, the year before, the year and the change; change as a count or in procentenheter."""
    shown = pd.DataFrame(
        {
            "Mått": [r[0] for r in rows],
            str(ar - 1): [fmt.number(r[1], decimals) for r in rows],
            str(ar): [fmt.number(r[2], decimals) for r in rows],
            "Förändring": [
                fmt.pp(r[2] - r[1], decimals, short=True)
                if change_in == "pe"
                else fmt.number(r[2] - r[1], decimals, sign=True)
                for r in rows
            ],
        }
    )
    return _gt(shown, table_id, "Mått", stubhead)


# --- Ekonomi ---------------------------------------------------------------------------------------


def income_statement_table(statement: pd.DataFrame, ar: int) -> GT:
    """Resultaträkning in mnkr: the year before, the year, budget and deviation; sums computed."""
    if statement[f"utfall_{ar}"].isna().all():
        from servicenamnden.domain.years import MissingYearError

        raise MissingYearError(
            f"Uppgifter om resultaträkningen för {ar} saknas i data; avsnittet visar därför inga siffror för året."
        )
    shown = pd.DataFrame(
        {
            "Post": statement["rad"].tolist(),
            f"Utfall {ar - 1}": [fmt.number(v, 1) for v in statement[f"utfall_{ar - 1}"]],
            f"Utfall {ar}": [fmt.number(v, 1) for v in statement[f"utfall_{ar}"]],
            f"Budget {ar}": [fmt.number(v, 1) for v in statement[f"budget_{ar}"]],
            "Avvikelse": [fmt.number(v, 1, sign=True) for v in statement["avvikelse"]],
        }
    )
    table = _gt(shown, "tbl-resultatrakning-gt", "Post", "Post (mnkr)")
    sums = [i for i, n in enumerate(statement["niva"]) if n == "summa"]
    from great_tables import loc, style

    table = table.tab_style(
        style=style.text(weight="bold"), locations=[loc.body(rows=sums), loc.stub(rows=sums)]
    )
    return table.tab_source_note(
        "Summorna är beräknade ur de avrundade raderna och kan skilja 0,1 mnkr från källans summor "
        "(se Datakontroller). Avvikelse = utfall − budget. – = inget belopp."
    )


def adjusted_comparison_table(comparison: pd.DataFrame) -> GT:
    """Revenue and personnel costs less the internal substitute pool, against budget."""
    shown = pd.DataFrame(
        {
            "Post": comparison["post"].tolist(),
            "Utfall": [fmt.number(v, 1) for v in comparison["utfall"]],
            "Vikariepool": [fmt.number(v, 1) for v in comparison["vikariepool"]],
            "Justerat utfall": [fmt.number(v, 1) for v in comparison["justerat_utfall"]],
            "Budget": [fmt.number(v, 1) for v in comparison["budget"]],
            "Avvikelse": [fmt.number(v, 1, sign=True) for v in comparison["avvikelse"]],
        }
    )
    return _gt(shown, "tbl-justerad-jamforelse-gt", "Post", "Post (mnkr)").tab_source_note(
        "Vikariepoolens interna intäkt och motsvarande personalkostnad ingår inte i budgeten och räknas därför bort."
    )


def result_per_area_table(areas: pd.DataFrame, ar: int) -> GT:
    """Driftredovisning per område: results and budget deviation in mnkr, with the units of each."""
    if areas["utfall"].isna().all():
        from servicenamnden.domain.years import MissingYearError

        raise MissingYearError(
            f"Uppgifter om driftredovisningen för {ar} saknas i data; avsnittet visar därför inga siffror för året."
        )
    names = [
        f"{b} – {k}" if k and k != b else b
        for b, k in zip(areas["benamning"], areas["kortnamn"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "Område": names,
            f"Utfall {ar - 1}": [fmt.number(v, 1) for v in areas["utfall_fg"]],
            f"Utfall {ar}": [fmt.number(v, 1) for v in areas["utfall"]],
            f"Budget {ar}": [fmt.number(v, 1) for v in areas["budget"]],
            "Avvikelse": [fmt.number(v, 1, sign=True) for v in areas["avvikelse"]],
        }
    )
    from great_tables import loc, style

    last = [len(shown) - 1]
    return (
        _gt(shown, "tbl-driftredovisning-gt", "Område", "Område (mnkr)")
        .tab_style(style=style.text(weight="bold"), locations=[loc.body(rows=last), loc.stub(rows=last)])
        .tab_source_note(
            "Summan är beräknad ur områdenas resultat. Nämnd, ledning och stöd inkluderar uttaget ur resultatfonden."
        )
    )


def area_units_table(areas: pd.DataFrame) -> GT:
    """Which units each område consists of."""
    part = areas.sort_values("ordning")
    shown = pd.DataFrame(
        {
            "Område": [
                f"{b} – {k}" if isinstance(k, str) and k and k != b else b
                for b, k in zip(part["benamning"], part["kortnamn"], strict=True)
            ],
            "Enheter": [
                ", ".join(e.split("; ")) if isinstance(e, str) and e else fmt.MISSING for e in part["enheter"]
            ],
        }
    )
    return _gt(shown, "tbl-omraden-gt", "Område", "Område", numeric=[]).tab_source_note(
        "– = källan listar inga enheter."
    )


def investments_table(invest: pd.DataFrame, ar: int) -> GT:
    """Investeringsredovisning in mnkr; deviation = outcome − budget (positive = less spent)."""
    shown = pd.DataFrame(
        {
            "Projekt": invest["projekt"].tolist(),
            "Utfall ack. totalt": [fmt.number(v, 1) for v in invest["utfall_ack_totalt"]],
            f"Budget {ar}": [fmt.number(v, 1) for v in invest["budget_helar"]],
            f"Utfall {ar}": [fmt.number(v, 1) for v in invest["utfall_ack_helar"]],
            f"Avvikelse {ar}": [fmt.number(v, 1, sign=True) for v in invest["avvikelse_helar"]],
        }
    )
    return _gt(shown, "tbl-investeringar-gt", "Projekt", "Projekt (mnkr)").tab_source_note(
        "Utgifter har negativt tecken. Avvikelse = utfall − budget; ett positivt värde betyder att mindre "
        "än budgeterat har investerats. – = inget belopp."
    )


def investment_reasons_table(reasons: pd.DataFrame, deviation: float) -> GT:
    """The listed reasons for the investment deviation and how much of it they explain."""
    explained = reasons["belopp_mnkr"].sum()
    shown = pd.DataFrame(
        {
            "Orsak": [
                f"{p} ({'försenat' if o == 'forsening' else 'uteblir'})"
                for p, o in zip(reasons["projekt"], reasons["orsak"], strict=True)
            ]
            + ["Summa angivna orsaker", "Ej förklarat"],
            "Belopp": [fmt.number(v, 1) for v in reasons["belopp_mnkr"]]
            + [fmt.number(explained, 1), fmt.number(deviation - explained, 1)],
            "Andel av avvikelsen": [fmt.percent(v, 0) for v in reasons["andel_av_avvikelsen"]]
            + [
                fmt.percent(explained / deviation * 100, 0),
                fmt.percent((deviation - explained) / deviation * 100, 0),
            ],
        }
    )
    return _gt(shown, "tbl-investeringar-orsaker-gt", "Orsak", "Orsak (mnkr)").tab_source_note(
        f"Andelarna är räknade på hela avvikelsen {fmt.mnkr(deviation)}."
    )


# --- Intern kontroll -------------------------------------------------------------------------------


def risks_table(risks: pd.DataFrame, ar: int) -> GT:
    """The year's internal-control risks: probability, consequence, computed risk value and result."""
    from servicenamnden.domain.internkontroll import risk_values

    risks = risk_values(for_year(risks, ar, "internkontrollens risker"))
    shown = pd.DataFrame(
        {
            "Risk": [f"{int(r.nr)}. {r.risk}" for r in risks.itertuples()],
            "Sannolikhet": [fmt.count(v) for v in risks["sannolikhet"]],
            "Konsekvens": [fmt.count(v) for v in risks["konsekvens"]],
            "Riskvärde": [fmt.count(v) for v in risks["riskvarde"]],
            "Kontroll": [
                f"{m} ({'stickprov' if k == 'stickprov' else 'utvecklingspunkt'})"
                for m, k in zip(risks["kontrollmoment"], risks["kontrollmetod"], strict=True)
            ],
            "Resultat": risks["resultat"].tolist(),
        }
    )
    return (
        _gt(
            shown,
            "tbl-risker-gt",
            "Risk",
            "Risk",
            numeric=["Sannolikhet", "Konsekvens", "Riskvärde"],
            font_size="80%",
        )
        .cols_width(
            {
                "Risk": "20%",
                "Sannolikhet": "9%",
                "Konsekvens": "9%",
                "Riskvärde": "11%",
                "Kontroll": "23%",
                "Resultat": "28%",
            }
        )
        .tab_source_note(
            "Riskvärde = sannolikhet × konsekvens, beräknat ur bedömningarna (båda på en skala 1–5)."
        )
    )


def purchases_table(deviations: pd.DataFrame, ar: int) -> GT:
    """Direct purchases that broke the policy, with amounts in tkr."""
    deviations = for_year(deviations, ar, "avvikande direktupphandlingar")
    shown = pd.DataFrame(
        {
            "Fall": [f"Fall {int(v)}" for v in deviations["fall"]] + ["Summa"],
            "Beskrivning": deviations["beskrivning"].tolist() + [""],
            "Belopp, tkr": [fmt.number(v) for v in deviations["belopp_tkr"]]
            + [fmt.number(deviations["belopp_tkr"].sum())],
        }
    )
    return _gt(shown, "tbl-direktupphandlingar-gt", "Fall", "Fall").cols_align(
        "left", columns=["Beskrivning"]
    )


# --- Composite key-figure tables (notebooks stay thin) ---------------------------------------------


def environment_key_figures_table(
    figures: pd.DataFrame, climate: pd.DataFrame, local: pd.DataFrame, fossil: pd.DataFrame, ar: int
) -> GT:
    """The figures behind the environmental goals, with shares and ratios computed from counts."""
    from servicenamnden.domain import miljo

    kf = lambda name, year=ar: miljo.key_figure(figures, name, year)  # noqa: E731
    clim = climate[climate["ar"] == ar].set_index("skolform")["kg_co2e_per_kg"]
    loc_share = local.set_index("ar")["andel_procent"]
    fossil_rows = fossil.set_index(["ar", "period", "typ"])["andel_procent"]
    charge_before, charge_now = kf("laddpunkter", ar - 1), kf("laddpunkter", ar)
    rows = [
        (
            "Klimatbelastning, måltidsservice totalt",
            f"{fmt.number(clim.get('totalt'), 2)} kg CO₂e/kg",
            f"förskola {fmt.number(clim.get('forskola'), 2)}, grundskola {fmt.number(clim.get('grundskola'), 2)}; januari–november",
        ),
        (
            "Ekologiska livsmedel, andel av kostnaden",
            fmt.percent(kf("ekologiska_livsmedel_kostnad"), 0),
            f"andel av vikten {fmt.percent(kf('ekologiska_livsmedel_vikt'), 0)}",
        ),
        (
            "Nära livsmedelsinköp, andel av kostnaden",
            fmt.percent(loc_share.get(ar), 0),
            f"{ar - 1}: {fmt.percent(loc_share.get(ar - 1), 0)}; {ar - 2}: {fmt.percent(loc_share.get(ar - 2), 0)}",
        ),
        (
            "Fossilfritt drivmedel, andel av inköpen",
            fmt.percent(fossil_rows.get((ar, "helar", "utfall"))),
            f"mål {fmt.percent(fossil_rows.get((ar, 'helar', 'mal')), 0)}; {ar - 1}: "
            f"{fmt.percent(fossil_rows.get((ar - 1, 'helar', 'utfall')), 0)}; delår 2: {fmt.percent(fossil_rows.get((ar, 'delar_2', 'utfall')))}",
        ),
        (
            "Laddpunkter",
            fmt.count(charge_now),
            f"{fmt.count(charge_before)} året före, {fmt.number(charge_now / charge_before, 1)} gånger så många",
        ),
        ("Livsmedelstransporter, körsträcka", f"{fmt.count(kf('livsmedelstransporter_km'))} km", ""),
        (
            "Livsmedelstransporter, stopp",
            fmt.count(kf("livsmedelstransporter_stopp")),
            f"{fmt.number(miljo.stops_per_point_and_month(figures, ar), 1)} stopp per leveranspunkt och månad "
            f"({fmt.count(kf('livsmedelstransporter_leveransenheter'))} leveranspunkter)",
        ),
        (
            "Möbler till OLC, återbrukade",
            fmt.percent(miljo.furniture_reuse_share(figures, ar)),
            f"{fmt.count(kf('mobler_inkomna'))} inkomna, {fmt.count(kf('mobler_kasserade'))} kasserade",
        ),
        (
            "Avtalstrohet, serviceförvaltningen",
            fmt.percent(kf("avtalstrohet_forvaltningen"), 0),
            f"hela kommunen {fmt.percent(kf('avtalstrohet_kommunen'), 0)}; endast påverkbar spend "
            f"{fmt.percent(kf('avtalstrohet_kommunen_paverkbar'), 0)}",
        ),
        (
            "Enheter med Greenhack-aktivitet",
            fmt.percent(kf("greenhack_andel_enheter"), 0),
            f"flest aktiviteter i mars: {fmt.count(kf('greenhack_aktiviteter_mars'))}",
        ),
    ]
    return key_figures_table(rows, "tbl-miljo-nyckeltal-gt", "Nyckeltal").tab_source_note(
        "Stopp per leveranspunkt och månad, möbelåterbruk och ökningen av laddpunkter är beräknade ur antalen."
    )


INJURY_LABELS = {
    "arbetsskada_utan_franvaro": "Arbetsskador utan frånvaro",
    "arbetsskada_med_franvaro": "Arbetsskador med frånvaro",
    "tillbud": "Tillbud",
}
SURVEY_LABELS = {
    "hme_totalt": "Hållbart medarbetarengagemang (HME), totalt",
    "motivation": "Delindex motivation",
    "ledarskap": "Delindex ledarskap",
    "styrning": "Delindex styrning",
    "roda_enheter": "Enheter med rött resultat (antal)",
    "gula_enheter": "Enheter med gult resultat (antal)",
}
DIALOGUE_LABELS = {
    "samlad_bedomning": "Samlad bedömning",
    "aterkoppling": "Återkoppling",
    "motsvarad_forvantan": "Motsvarad förväntan",
    "bemotande": "Bemötande",
}


def _pairs(
    frame: pd.DataFrame, key: str, value: str, labels: dict[str, str], ar: int
) -> list[tuple[str, float, float]]:
    wide = frame.pivot_table(index=key, columns="ar", values=value, aggfunc="sum")
    return [
        (label, wide.loc[k].get(ar - 1, float("nan")), wide.loc[k].get(ar, float("nan")))
        for k, label in labels.items()
        if k in wide.index
    ]


def injuries_table(injuries: pd.DataFrame, ar: int) -> GT:
    """Work injuries and incidents, the year against the year before."""
    require_years(injuries, [ar, ar - 1], "arbetsskador")
    return two_year_table(
        _pairs(injuries, "handelse", "antal", INJURY_LABELS, ar), ar, "tbl-arbetsskador-gt", "Anmälningar"
    )


def survey_table(survey: pd.DataFrame, ar: int) -> GT:
    """Employee-survey indices, the year against the year before."""
    require_years(survey, [ar, ar - 1], "medarbetarenkäten")
    return two_year_table(
        _pairs(survey, "matt", "varde", SURVEY_LABELS, ar), ar, "tbl-medarbetarenkat-gt", "Mått"
    ).tab_source_note("Index på en skala 0–100; förändringen anges i indexenheter.")


def dialogue_table(dialogue: pd.DataFrame, ar: int) -> GT:
    """Customer-dialogue scores (scale 1–10), the year against the year before."""
    require_years(dialogue, [ar, ar - 1], "kunddialoger")
    return two_year_table(
        _pairs(dialogue, "matt", "betyg", DIALOGUE_LABELS, ar),
        ar,
        "tbl-kunddialog-gt",
        "Betyg (1–10)",
        decimals=2,
    ).tab_source_note(f"Året före avser april–december {ar - 1}, då mätningen började.")


def fee_comparison_table(
    fees: pd.DataFrame, subscriptions: pd.DataFrame, costs: pd.DataFrame, indices: pd.DataFrame, ar: int
) -> GT:
    """Fee increases from the base year to ``ar`` next to the MS ÄO cost and the indices."""
    require_years(fees, ar, "brukaravgifter")
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    base = ms_ao.base_year(costs)
    comparison = bav.fees_against_costs(
        bav.wide(fees, subscriptions), ms_ao.index_series(costs, indices, ar), base, ar
    )
    return fees_against_costs_table(comparison, subscriptions, base, ar)


# --- Sjukfrånvaro enligt lag (ur timmar) -----------------------------------------------------------


def statutory_sjukfranvaro_table(shares: pd.DataFrame, ar: int) -> GT:
    """Statutory sick leave: every group and the long-term share, the year and the year before, in p.e."""
    comp = sjukfranvaro.compare_statutory(shares, ar)
    labels = {**sjukfranvaro.GROUP_LABELS, sjukfranvaro.LONG_TERM: sjukfranvaro.LONG_TERM_LABEL}
    shown = _share_comparison([labels[k] for k in comp["rad"]], comp, ar)
    table = _gt(shown, "tbl-sjukfranvaro-lag-gt", "Grupp", "Grupp").tab_source_note(
        "Sjukfrånvarotimmar i procent av gruppens ordinarie arbetstid, januari–december. Långtidssjukfrånvaron "
        "är den andel av alla sjukfrånvarotimmar som ingår i en sammanhängande sjukfrånvaro på 60 dagar eller "
        "mer. Förändringen anges i procentenheter (p.e.)."
    )
    hidden, missing = [], {ar: [], ar - 1: []}
    for row in comp.itertuples():
        for year, value, dold, orsak in (
            (ar, row.ar, row.dold_ar, row.orsak_ar),
            (ar - 1, row.foregaende_ar, row.dold_foregaende_ar, row.orsak_foregaende_ar),
        ):
            if dold:
                hidden.append(f"– {labels[row.rad]} {year}: {orsak}.")
            elif fmt.is_missing(value):
                missing[year].append(labels[row.rad].lower())
    if hidden:
        table = table.tab_source_note(
            "– = uppgiften visas inte, så att ingen enskild kan pekas ut. Grupper med tio anställda eller "
            "färre visas inte, och inte heller en grupp som annars kan räknas fram ur totalen."
        )
    for note in hidden:
        table = table.tab_source_note(note)
    for year in (ar, ar - 1):
        if missing[year]:
            table = table.tab_source_note(f"– = uppgift saknas för {year}: {', '.join(missing[year])}.")
    return table


def environmental_goals_for_year(
    goals: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, ar: int
) -> GT:
    """:func:`environmental_goals_table` for the year, from the raw files."""
    from servicenamnden.domain import miljo

    return environmental_goals_table(miljo.goals(goals, waste, figures, ar))


def food_waste_for_year(waste: pd.DataFrame, goals: pd.DataFrame, ar: int) -> GT:
    """:func:`food_waste_table` for the year, with the year's target, from the raw files."""
    from servicenamnden.domain import miljo

    per_form = miljo.food_waste_for_year(waste, ar)
    return food_waste_table(per_form, miljo.school_food_waste(per_form), miljo.food_waste_target(goals, ar))


def statutory_sjukfranvaro_for_year(hours: pd.DataFrame | None, ar: int) -> GT:
    """The statutory sick-leave table from hours, or a note when the year's hours are not in the data."""
    if hours is None or not (hours["ar"] == ar).any():
        from servicenamnden.domain.years import MissingYearError

        raise MissingYearError(
            f"Timuppgifter för sjukfrånvaron {ar} (sjukfranvaro_timmar.csv) saknas i data; därför redovisas "
            "inte åldersgrupperna och långtidssjukfrånvaron. Tabellen ovan visar procentsatserna per kön."
        )
    return statutory_sjukfranvaro_table(sjukfranvaro.statutory_shares(hours), ar)


def area_explanations_table(explanations: pd.DataFrame, areas: pd.DataFrame, ar: int) -> GT:
    """The deviations per område that the text explains, with amounts (mnkr); parts indented under their item."""
    part = for_year(explanations, ar, "förklarade avvikelser per område")
    part = part[part["belopp_mnkr"].notna() | part["overordnad"].notna()]
    from servicenamnden.domain import ekonomi

    names = dict(zip(areas["omrade"], areas["benamning"], strict=True))
    rows = []
    for area in [a for a in areas.sort_values("ordning")["omrade"] if a in set(part["omrade"])]:
        items = ekonomi.area_explanations(part, area)
        for r in items.itertuples():
            if pd.isna(r.belopp_mnkr):
                continue
            depth = 0
            parent = r.overordnad
            while (
                isinstance(parent, str)
                and parent in set(items["post_id"])
                and not parent.endswith("_resultat")
            ):
                depth += 1
                parent = items.loc[items["post_id"] == parent, "overordnad"].iloc[0]
            label = ("· " * depth) + str(r.post)
            rows.append(
                (
                    names.get(area, area),
                    label,
                    r.forklaring if isinstance(r.forklaring, str) else "",
                    r.belopp_mnkr,
                )
            )
    shown = pd.DataFrame(
        {
            "Post": [r[1] for r in rows],
            "Område": [r[0] for r in rows],
            "Förklaring": [r[2] for r in rows],
            "Belopp": [
                fmt.number(r[3], 2 if abs(r[3] * 10 - round(r[3] * 10)) > 1e-9 else 1, sign=True)
                for r in rows
            ],
        }
    )
    return (
        _gt(shown, "tbl-forklarade-avvikelser-gt", "Post", "Post (mnkr)", numeric=["Belopp"], font_size="85%")
        .cols_width({"Post": "30%", "Område": "18%", "Förklaring": "40%", "Belopp": "12%"})
        .tab_source_note(
            "Poster med · är delar av posten ovanför. Posterna förklarar områdets avvikelse mot budget men "
            "summerar inte alltid till den; se Datakontroller."
        )
    )
