"""Tables of the staff and the customers: sick leave, work injuries, the employee survey, customer dialogue."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import jamforelser, sjukfranvaro
from servicenamnden.domain.periods import period_words
from servicenamnden.domain.years import MissingYearError, require_years
from servicenamnden.present import fmt
from servicenamnden.present.tables.spec import Column, Table, text


def share_comparison(
    labels: list[str], comp: pd.DataFrame, ar: int, table_id: str, stubhead: str = "Grupp"
) -> Table:
    """Shares (percent) for the year before and the year, and the change in procentenheter, per row."""
    frame = pd.DataFrame(
        {
            "grupp": labels,
            "foregaende_ar": comp["foregaende_ar"].to_numpy(),
            "ar": comp["ar"].to_numpy(),
            "forandring_pe": comp["forandring_pe"].to_numpy(),
        }
    )
    columns = (
        Column("foregaende_ar", str(ar - 1), "percent", 1),
        Column("ar", str(ar), "percent", 1),
        Column("forandring_pe", "Förändring", "pp", 1, sign=True),
    )
    return Table(frame, text("grupp", "Grupp"), columns, table_id, stubhead, unit="procent")


def sjukfranvaro_table(frame: pd.DataFrame, ar: int) -> Table:
    """Sick leave by group: the year before, the year, change in procentenheter."""
    require_years(frame[frame["period"] == sjukfranvaro.FULL_YEAR], [ar, ar - 1], "sjukfrånvaro")
    comp = sjukfranvaro.compare_years(frame, ar)
    labels = [sjukfranvaro.GROUP_LABELS[g] for g in comp["grupp"]]
    table = share_comparison(labels, comp, ar, "tbl-sjukfranvaro-gt").with_notes(
        "Sjukfrånvarotimmar i procent av ordinarie arbetstid, medel för årets tolv månader. "
        "Förändringen anges i procentenheter (p.e.). Grupper med tio anställda eller färre visas inte (–)."
    )
    if comp["dold"].any():
        table = table.with_notes("– = uppgiften visas inte eftersom gruppen är för liten.")
    return table


def statutory_sjukfranvaro_table(shares: pd.DataFrame, ar: int) -> Table:
    """Statutory sick leave: every group and the long-term share, the year before and the year, in p.e."""
    comp = sjukfranvaro.compare_statutory(shares, ar)
    labels = {**sjukfranvaro.GROUP_LABELS, sjukfranvaro.LONG_TERM: sjukfranvaro.LONG_TERM_LABEL}
    table = share_comparison([labels[k] for k in comp["rad"]], comp, ar, "tbl-sjukfranvaro-lag-gt")
    table = table.with_notes(
        "Sjukfrånvarotimmar i procent av gruppens ordinarie arbetstid, januari–december. Långtidssjukfrånvaron "
        "är den andel av alla sjukfrånvarotimmar som ingår i en sammanhängande sjukfrånvaro på 60 dagar eller "
        "mer. Förändringen anges i procentenheter (p.e.)."
    )
    hidden, missing = [], {ar: [], ar - 1: []}
    for row in comp.itertuples():
        for year, value, dold, orsak in (
            (ar - 1, row.foregaende_ar, row.dold_foregaende_ar, row.orsak_foregaende_ar),
            (ar, row.ar, row.dold_ar, row.orsak_ar),
        ):
            if dold:
                hidden.append(f"– {labels[row.rad]} {year}: {orsak}.")
            elif fmt.is_missing(value):
                missing[year].append(labels[row.rad].lower())
    if hidden:
        table = table.with_notes(
            "– = uppgiften visas inte, så att ingen enskild kan pekas ut. Grupper med tio anställda eller "
            "färre visas inte, och inte heller en grupp som annars kan räknas fram ur totalen.",
            *hidden,
        )
    for year in (ar - 1, ar):
        if missing[year]:
            table = table.with_notes(f"– = uppgift saknas för {year}: {', '.join(missing[year])}.")
    return table


def statutory_sjukfranvaro_for_year(hours: pd.DataFrame | None, ar: int) -> Table:
    """The statutory sick-leave table from hours, or a note when the year's hours are not in the data."""
    if hours is None or not (hours["ar"] == ar).any():
        raise MissingYearError(
            f"Sjukfrånvaro per åldersgrupp och långtidssjukfrånvaro redovisas inte för {ar}: underlaget "
            "finns inte. Tabellen ovan visar sjukfrånvaron per kön."
        )
    return statutory_sjukfranvaro_table(sjukfranvaro.statutory_shares(hours), ar)


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


def two_year_table(
    comparison: pd.DataFrame,
    ar: int,
    table_id: str,
    stubhead: str,
    decimals: int = 0,
    change_in: str = "antal",
) -> Table:
    """Label, the year before, the year and the change (:func:`jamforelser.two_years`); change as a count or in p.e."""
    change = (
        Column("forandring", "Förändring", "pp", decimals, sign=True)
        if change_in == "pe"
        else Column("forandring", "Förändring", "number", decimals, sign=True)
    )
    columns = (
        Column("foregaende_ar", str(ar - 1), decimals=decimals),
        Column("ar", str(ar), decimals=decimals),
        change,
    )
    return Table(comparison.reset_index(drop=True), text("matt", "Mått"), columns, table_id, stubhead)


def injuries_table(injuries: pd.DataFrame, ar: int) -> Table:
    """Work injuries and incidents, the year before against the year."""
    require_years(injuries, [ar, ar - 1], "arbetsskador")
    rows = jamforelser.two_years(injuries, "handelse", "antal", INJURY_LABELS, ar)
    return two_year_table(rows, ar, "tbl-arbetsskador-gt", "Anmälningar")


def survey_table(survey: pd.DataFrame, ar: int) -> Table:
    """Employee-survey indices, the year before against the year."""
    require_years(survey, [ar, ar - 1], "medarbetarenkäten")
    rows = jamforelser.two_years(survey, "matt", "varde", SURVEY_LABELS, ar)
    return two_year_table(rows, ar, "tbl-medarbetarenkat-gt", "Mått").with_notes(
        "Index på en skala 0–100; förändringen anges i indexenheter."
    )


def dialogue_period_note(dialogue: pd.DataFrame, ar: int) -> str:
    """A note for a year measured over part of the year only (from the data's period), else ''."""
    notes = []
    first = int(dialogue["ar"].min())
    for year in (ar - 1, ar):
        periods = set(dialogue.loc[dialogue["ar"] == year, "period"].dropna())
        partial = sorted(p for p in periods if p != "jan-dec")
        if partial:
            started = ", då mätningen började" if year == first else ""
            notes.append(f"{year} avser {period_words(partial[0])} {year}{started}.")
    return " ".join(notes)


def dialogue_table(dialogue: pd.DataFrame, ar: int) -> Table:
    """Customer-dialogue scores (scale 1–10), the year before against the year."""
    require_years(dialogue, [ar, ar - 1], "kunddialoger")
    rows = jamforelser.two_years(dialogue, "matt", "betyg", DIALOGUE_LABELS, ar)
    table = two_year_table(rows, ar, "tbl-kunddialog-gt", "Betyg (1–10)", decimals=2)
    return table.with_notes(dialogue_period_note(dialogue, ar))
