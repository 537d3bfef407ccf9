"""Tables of the internal control: the year's risks and the direct purchases that broke the policy."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain.internkontroll import risk_values
from servicenamnden.domain.rounding import shown_sum_difference
from servicenamnden.domain.years import for_year
from servicenamnden.present.tables.spec import Column, Table, text


def risks_table(risks: pd.DataFrame, ar: int) -> Table:
    """The year's internal-control risks: probability, consequence, computed risk value and result."""
    part = risk_values(for_year(risks, ar, "internkontrollens risker")).reset_index(drop=True)
    frame = pd.DataFrame(
        {
            "risk": [f"{int(r.nr)}. {r.risk}" for r in part.itertuples()],
            "sannolikhet": part["sannolikhet"].astype(float),
            "konsekvens": part["konsekvens"].astype(float),
            "riskvarde": part["riskvarde"].astype(float),
            "kontroll": [
                f"{m} ({'stickprov' if k == 'stickprov' else 'utvecklingspunkt'})"
                for m, k in zip(part["kontrollmoment"], part["kontrollmetod"], strict=True)
            ],
            "resultat": part["resultat"],
        }
    )
    columns = (
        Column("sannolikhet", "Sannolikhet"),
        Column("konsekvens", "Konsekvens"),
        Column("riskvarde", "Riskvärde"),
        text("kontroll", "Kontroll"),
        text("resultat", "Resultat"),
    )
    return Table(frame, text("risk", "Risk"), columns, "tbl-risker-gt", "Risk", font_size="80%").with_notes(
        "Riskvärde = sannolikhet × konsekvens, beräknat ur bedömningarna (båda på en skala 1–5)."
    )


def purchases_table(deviations: pd.DataFrame, ar: int) -> Table:
    """Direct purchases that broke the policy, with amounts in tkr and their sum."""
    part = for_year(deviations, ar, "avvikande direktupphandlingar").reset_index(drop=True)
    total = float(part["belopp_tkr"].sum())
    frame = pd.DataFrame(
        {
            "fall": [f"Fall {int(v)}" for v in part["fall"]] + ["Summa"],
            "beskrivning": [*part["beskrivning"], ""],
            "belopp_tkr": [*part["belopp_tkr"].astype(float), total],
        }
    )
    columns = (text("beskrivning", "Beskrivning"), Column("belopp_tkr", "Belopp, tkr", unit="tkr"))
    table = Table(
        frame,
        text("fall", "Fall"),
        columns,
        "tbl-direktupphandlingar-gt",
        "Fall",
        unit="tkr",
        bold_rows=(len(frame) - 1,),
    )
    difference = shown_sum_difference(part["belopp_tkr"].tolist(), total, 0)
    if difference:
        table = table.with_notes(
            f"Summan är beräknad ur de oavrundade beloppen och skiljer {abs(difference):g} tkr från summan av "
            "de visade beloppen."
        )
    return table
