"""The key figures behind the environmental goals: one value per row, in its own unit, with a comment."""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import miljo
from servicenamnden.domain.periods import period_words
from servicenamnden.present import fmt
from servicenamnden.present.tables.spec import Column, Table, text

GREENHACK_PEAK = "greenhack_aktiviteter_mars"  # the data's key names the month with most activities
Row = tuple[str, float, int, str, str]  # label, value, decimals, unit, comment


def key_figures_table(rows: list[Row], table_id: str, stubhead: str) -> Table:
    """A small table of labelled key figures: the value a number in its unit, the comment text."""
    frame = pd.DataFrame(
        {
            "nyckeltal": [r[0] for r in rows],
            "varde": [float(r[1]) for r in rows],
            "kommentar": [r[4] for r in rows],
        }
    )
    columns = (
        Column("varde", "Värde", "quantity", row_formats=tuple((r[2], r[3]) for r in rows)),
        text("kommentar", "Kommentar"),
    )
    return Table(frame, text("nyckeltal", "Nyckeltal"), columns, table_id, stubhead)


def against_year_before(change: float, year_before: int, more: str, fewer: str, unit: str) -> str:
    """``10 884 km kortare än 2022``: the change in words that fit its sign; empty when it is not known."""
    if fmt.is_missing(change):
        return ""
    return f"{fmt.directed(change, more, fewer, unit=unit, decimals=0)} än {year_before}"


def environment_key_figures_table(
    figures: pd.DataFrame, climate: pd.DataFrame, local: pd.DataFrame, fossil: pd.DataFrame, ar: int
) -> Table:
    """The figures behind the environmental goals, with shares and ratios computed from counts."""

    def kf(name: str, year: int = ar) -> float:
        return miljo.key_figure(figures, name, year)

    clim_rows = climate[climate["ar"] == ar].set_index("skolform")
    clim = clim_rows["kg_co2e_per_kg"]
    clim_period = clim_rows["period"].get("totalt") if "period" in clim_rows else None
    clim_when = (
        f"; {period_words(clim_period)}" if isinstance(clim_period, str) and clim_period != "jan-dec" else ""
    )
    loc_share = local.set_index("ar")["andel_procent"]
    fossil_rows = fossil.set_index(["ar", "period", "typ"])["andel_procent"]
    charge_before, charge_now = kf("laddpunkter", ar - 1), kf("laddpunkter", ar)

    def change(name: str, more: str, fewer: str, unit: str) -> str:
        return against_year_before(
            miljo.change_from_year_before(figures, name, ar), ar - 1, more, fewer, unit
        )

    stops_change = change("livsmedelstransporter_stopp", "fler", "färre", "")
    stops_before = f"{stops_change}; " if stops_change else ""
    co2 = "kg CO₂e/kg"
    rows: list[Row] = [
        (
            "Klimatbelastning, måltidsservice totalt",
            clim.get("totalt", float("nan")),
            2,
            co2,
            f"förskola {fmt.number(clim.get('forskola'), 2)}, grundskola {fmt.number(clim.get('grundskola'), 2)}"
            f"{clim_when}",
        ),
        (
            "Ekologiska livsmedel, andel av kostnaden",
            kf("ekologiska_livsmedel_kostnad"),
            0,
            "%",
            f"andel av vikten {fmt.percent(kf('ekologiska_livsmedel_vikt'), 0)}",
        ),
        (
            "Nära livsmedelsinköp, andel av kostnaden",
            loc_share.get(ar, float("nan")),
            0,
            "%",
            f"{ar - 1}: {fmt.percent(loc_share.get(ar - 1), 0)}; {ar - 2}: {fmt.percent(loc_share.get(ar - 2), 0)}",
        ),
        (
            "Fossilfritt drivmedel, andel av inköpen",
            fossil_rows.get((ar, "helar", "utfall"), float("nan")),
            1,
            "%",
            f"mål {fmt.percent(fossil_rows.get((ar, 'helar', 'mal')), 0)}; {ar - 1}: "
            f"{fmt.percent(fossil_rows.get((ar - 1, 'helar', 'utfall')), 0)}; delår 2: "
            f"{fmt.percent(fossil_rows.get((ar, 'delar_2', 'utfall')))}",
        ),
        (
            "Laddpunkter",
            charge_now,
            0,
            "",
            f"{fmt.count(charge_before)} året före, {fmt.number(charge_now / charge_before, 1)} gånger så många",
        ),
        (
            "Livsmedelstransporter, körsträcka",
            kf("livsmedelstransporter_km"),
            0,
            "km",
            change("livsmedelstransporter_km", "längre", "kortare", "km"),
        ),
        (
            "Livsmedelstransporter, stopp",
            kf("livsmedelstransporter_stopp"),
            0,
            "",
            stops_before
            + f"{fmt.number(miljo.stops_per_point_and_month(figures, ar), 1)} stopp per leveranspunkt och månad "
            f"({fmt.count(kf('livsmedelstransporter_leveransenheter'))} leveranspunkter)",
        ),
        (
            "Möbler till OLC, återbrukade",
            miljo.furniture_reuse_share(figures, ar),
            1,
            "%",
            f"{fmt.count(kf('mobler_inkomna'))} inkomna, {fmt.count(kf('mobler_kasserade'))} kasserade",
        ),
        (
            "Avtalstrohet, serviceförvaltningen",
            kf("avtalstrohet_forvaltningen"),
            0,
            "%",
            f"hela kommunen {fmt.percent(kf('avtalstrohet_kommunen'), 0)}; endast påverkbar spend "
            f"{fmt.percent(kf('avtalstrohet_kommunen_paverkbar'), 0)}",
        ),
        (
            "Enheter med Greenhack-aktivitet",
            kf("greenhack_andel_enheter"),
            0,
            "%",
            f"flest aktiviteter i {GREENHACK_PEAK.rsplit('_', 1)[1]}: {fmt.count(kf(GREENHACK_PEAK))}",
        ),
    ]
    return key_figures_table(rows, "tbl-miljo-nyckeltal-gt", "Nyckeltal").with_notes(
        "Stopp per leveranspunkt och månad, möbelåterbruk och ökningen av laddpunkter är beräknade ur antalen."
    )
