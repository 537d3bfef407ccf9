"""Tracers of the tables of goals, environment, staff, internal control, MS ÄO and fees (issue 20).

The same contract as :mod:`.provenance` (which registers these on import): for each numeric cell of a
table's frame, the data cells and the rule that give its number.
"""

from __future__ import annotations

import pandas as pd

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import miljo, ms_ao, sjukfranvaro
from servicenamnden.domain.provenance import (
    Traced,
    differens,
    forandring_procent,
    index,
    marginal,
    medel,
    medel_av_summor,
    produkt,
    select,
    uppraknad,
)
from servicenamnden.present.tables import registry
from servicenamnden.present.tables.costs import INDEX_LABELS
from servicenamnden.present.tables.goals import WASTE_LABELS
from servicenamnden.present.tables.provenance import Cells, rows_by, traces
from servicenamnden.present.tables.spec import Table
from servicenamnden.present.tables.staff import DIALOGUE_LABELS, INJURY_LABELS, SURVEY_LABELS


def codes(labels: dict[str, str]) -> dict[str, str]:
    """Label shown → the data's code."""
    return {label: code for code, label in labels.items()}


def two_years(
    frame: pd.DataFrame, key: str, value: str, labels: dict[str, str], table: Table, ar: int
) -> Cells:
    """The year before, the year and the change (the year minus the year before), per labelled row."""
    code = codes(labels)
    out: Cells = {}
    for i, label in enumerate(table.frame["matt"]):
        before = select(frame, value, **{key: code[label]}, ar=ar - 1)
        now = select(frame, value, **{key: code[label]}, ar=ar)
        out.update({(i, "foregaende_ar"): before, (i, "ar"): now, (i, "forandring"): differens(now, before)})
    return out


@traces("tbl-kunddialog")
def dialogue(d: registry.Files, ar: int, table: Table) -> Cells:
    return two_years(d["kunddialog"], "matt", "betyg", DIALOGUE_LABELS, table, ar)


@traces("tbl-arbetsskador")
def injuries(d: registry.Files, ar: int, table: Table) -> Cells:
    return two_years(d["arbetsmiljo"], "handelse", "antal", INJURY_LABELS, table, ar)


@traces("tbl-medarbetarenkat")
def survey(d: registry.Files, ar: int, table: Table) -> Cells:
    return two_years(d["medarbetarenkat"], "matt", "varde", SURVEY_LABELS, table, ar)


@traces("tbl-sjukfranvaro")
def sick_leave(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each group's sick leave both years (none where the group is too small), and the change in p.e."""
    frame, code = d["sjukfranvaro"], codes(sjukfranvaro.GROUP_LABELS)
    out: Cells = {}
    for i, label in enumerate(table.frame["grupp"]):
        before = sjukfranvaro.traced_value(frame, ar - 1, code[label])
        now = sjukfranvaro.traced_value(frame, ar, code[label])
        out.update({(i, "foregaende_ar"): before, (i, "ar"): now})
        if before.terms and now.terms:
            out[(i, "forandring_pe")] = differens(now, before).in_unit("p.e.")
    return out


@traces("tbl-risker")
def risks(d: registry.Files, ar: int, table: Table) -> Cells:
    """Probability and consequence as assessed; the risk value their product."""
    frame = d["internkontroll_risker"]
    out: Cells = {}
    for i, risk in enumerate(table.frame["risk"]):
        nr = int(str(risk).split(".", 1)[0])
        chance = select(frame, "sannolikhet", ar=ar, nr=nr)
        effect = select(frame, "konsekvens", ar=ar, nr=nr)
        out.update(
            {(i, "sannolikhet"): chance, (i, "konsekvens"): effect, (i, "riskvarde"): produkt(chance, effect)}
        )
    return out


@traces("tbl-ataganden")
def commitments(d: registry.Files, ar: int, table: Table) -> Cells:
    """The degree of completion as the data state it."""
    frame = d["ataganden"]
    part = frame[frame["ar"] == ar].sort_values("nr").reset_index(drop=True)
    return {
        (i, "fardiggrad"): select(frame, "fardiggrad", ar=ar, nr=int(nr)).in_unit("%")
        for i, nr in enumerate(part["nr"])
    }


SCHOOLS = ("forskola", "grundskola", "gymnasiet")


def waste(frame: pd.DataFrame, ar: int, forms: str | list[str], kinds: str | list[str]) -> Traced:
    return select(frame, "andel_procent", ar=ar, verksamhet=forms, svinntyp=kinds).in_unit("%")


@traces("tbl-matsvinn")
def food_waste(d: registry.Files, ar: int, table: Table) -> Cells:
    """Serving and plate waste as measured, their sum; the school row the mean of the three school forms
    (its total the mean of the three forms' sums)."""
    frame, code = d["matsvinn"], codes(WASTE_LABELS)
    out: Cells = {}
    for i, label in enumerate(table.frame["verksamhet"]):
        if label in code:
            out[(i, "servering")] = waste(frame, ar, code[label], "servering")
            out[(i, "tallrik")] = waste(frame, ar, code[label], "tallrik")
            out[(i, "totalt")] = waste(frame, ar, code[label], ["servering", "tallrik"])
        else:
            out[(i, "servering")] = medel(waste(frame, ar, list(SCHOOLS), "servering"))
            out[(i, "tallrik")] = medel(waste(frame, ar, list(SCHOOLS), "tallrik"))
            out[(i, "totalt")] = medel_av_summor(
                {form: waste(frame, ar, form, ["servering", "tallrik"]) for form in SCHOOLS}
            )
    return out


def goal_outcome(d: registry.Files, ar: int, goal: str, unit: str) -> Traced | None:
    """A goal's outcome as stated, else as computed: the furniture reuse from counts, the food waste as the
    school forms' mean total (as the food-waste table)."""
    stated = select(d["miljomal"], "utfall", ar=ar, mal_id=goal)
    if stated.terms:
        return stated.in_unit("%" if unit == "procent" else unit)
    if goal == "mobelaterbruk":
        return miljo.traced_furniture_reuse(d["miljo_nyckeltal"], ar)
    if goal == "matsvinn":
        return medel_av_summor(
            {form: waste(d["matsvinn"], ar, form, ["servering", "tallrik"]) for form in SCHOOLS}
        )
    return None


@traces("tbl-miljomal")
def environmental_goals(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each goal's outcome as stated, the furniture reuse computed from counts."""
    part = d["miljomal"][d["miljomal"]["ar"] == ar].sort_values("ordning").reset_index(drop=True)
    found = {
        i: goal_outcome(d, ar, goal, str(unit))
        for i, (goal, unit) in enumerate(zip(part["mal_id"], part["enhet"], strict=True))
    }
    return {(i, "utfall"): traced for i, traced in found.items() if traced is not None}


@traces("tbl-miljomal-avstand")
def goal_margins(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each measurable goal's outcome, its target (a goal to increase: last year's value) and the margin
    between them in percent of the target."""
    goals = d["miljomal"]
    margins = miljo.goal_margins(miljo.goals(goals, d["matsvinn"], d["miljo_nyckeltal"], ar))
    out: Cells = {}
    for i, row in enumerate(margins.itertuples()):
        outcome = goal_outcome(d, ar, row.mal_id, str(row.enhet))
        column = "jamforelsevarde" if row.riktning == "oka" else "malvarde"
        target = select(goals, column, ar=ar, mal_id=row.mal_id).in_unit(outcome.unit if outcome else "")
        out[(i, "referens")] = target
        if outcome is not None:
            out[(i, "utfall")] = outcome
            out[(i, "marginal_procent")] = marginal(outcome, target, highest=row.riktning == "max")
    return out


@traces("tbl-miljo-nyckeltal")
def environment_key_figures(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each key figure from its own file; furniture reuse computed from counts."""
    figures, rows = d["miljo_nyckeltal"], rows_by(table, "nyckeltal")
    fossil = d["fossilfritt"]

    def kf(name: str) -> Traced:
        return miljo.traced_key_figure(figures, name, ar)

    found = {
        "Klimatbelastning, måltidsservice totalt": select(
            d["klimatbelastning"], "kg_co2e_per_kg", ar=ar, skolform="totalt"
        ),
        "Ekologiska livsmedel, andel av kostnaden": kf("ekologiska_livsmedel_kostnad"),
        "Nära livsmedelsinköp, andel av kostnaden": select(
            d["nara_livsmedel"], "andel_procent", ar=ar
        ).in_unit("%"),
        "Fossilfritt drivmedel, andel av inköpen": select(
            fossil, "andel_procent", ar=ar, period="helar", typ="utfall"
        ).in_unit("%"),
        "Laddpunkter": kf("laddpunkter"),
        "Livsmedelstransporter, körsträcka": kf("livsmedelstransporter_km"),
        "Livsmedelstransporter, stopp": kf("livsmedelstransporter_stopp"),
        "Möbler till OLC, återbrukade": miljo.traced_furniture_reuse(figures, ar),
        "Avtalstrohet, serviceförvaltningen": kf("avtalstrohet_forvaltningen"),
        "Enheter med Greenhack-aktivitet": kf("greenhack_andel_enheter"),
    }
    return {(rows[label], "varde"): traced for label, traced in found.items() if label in rows}


# --- MS ÄO and fees ----------------------------------------------------------------------------------


def cost(costs: pd.DataFrame, year: int, kategori: str | None = None) -> Traced:
    """The year's MS ÄO cost: one category, or all (the total)."""
    return select(costs, "belopp_tkr", ar=year, **({"kategori": kategori} if kategori else {}))


def index_cost(indices: pd.DataFrame, serie: str, year: int) -> Traced:
    return select(indices, "kostnad_enligt_index_tkr", serie=serie, ar=year)


def year_columns(table: Table) -> list[tuple[str, int]]:
    return [(c.key, int(c.key[1:])) for c in table.columns if c.key.startswith("y")]


@traces("tbl-ms-ao-kostnader")
def ms_ao_costs(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each category's cost, the total, and the base year's total raised by each index's development."""
    costs, indices = d["ms_ao_kostnader"], d["ms_ao_index"]
    names = dict(zip(d["kostnadsslag"]["benamning"], d["kostnadsslag"]["kategori"], strict=True))
    series = codes(INDEX_LABELS)
    base = ms_ao.base_year(costs)
    out: Cells = {}
    for i, label in enumerate(table.frame["kostnadsslag"]):
        for key, year in year_columns(table):
            if label in series:
                s = series[label]
                out[(i, key)] = uppraknad(
                    cost(costs, base), index_cost(indices, s, year), index_cost(indices, s, base)
                )
            else:
                out[(i, key)] = cost(costs, year, names.get(label))
    return out


SERIES = {label: code for code, label in ms_ao.SERIES_LABELS.items()}


def series_index(costs: pd.DataFrame, indices: pd.DataFrame, serie: str, year: int, base: int) -> Traced:
    """A series with the base year = 100: the actual cost, or an index's amounts."""
    if serie == "kostnad":
        return index(cost(costs, year), cost(costs, base))
    return index(index_cost(indices, serie, year), index_cost(indices, serie, base))


@traces("tbl-ms-ao-index")
def ms_ao_index(d: registry.Files, ar: int, table: Table) -> Cells:
    costs, indices = d["ms_ao_kostnader"], d["ms_ao_index"]
    base = ms_ao.base_year(costs)
    return {
        (i, key): series_index(costs, indices, SERIES[label], year, base)
        for i, label in enumerate(table.frame["serie"])
        for key, year in year_columns(table)
    }


@traces("tbl-ms-ao-forandring")
def ms_ao_change(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each category's cost at the start and the end, the change in tkr and in percent."""
    costs = d["ms_ao_kostnader"]
    names = dict(zip(d["kostnadsslag"]["benamning"], d["kostnadsslag"]["kategori"], strict=True))
    start = ms_ao.base_year(costs)
    out: Cells = {}
    for i, label in enumerate(table.frame["kostnadsslag"]):
        before, now = cost(costs, start, names.get(label)), cost(costs, ar, names.get(label))
        out.update(
            {
                (i, "start_tkr"): before,
                (i, "slut_tkr"): now,
                (i, "forandring_tkr"): differens(now, before),
                (i, "forandring_procent"): forandring_procent(now, before),
            }
        )
    return out


def fee(fees: pd.DataFrame, code: str, year: int) -> Traced:
    return select(fees, "avgift_kr_per_manad", abonnemang=code, ar=year)


@traces("tbl-brukaravgifter")
def fees(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each fee as it stands, its change from the year before and since the first year, in percent."""
    frame = d["brukaravgifter"]
    names = dict(zip(d["abonnemang"]["benamning"], d["abonnemang"]["abonnemang"], strict=True))
    years = sorted(int(c.key.rsplit("_", 1)[1]) for c in table.columns if c.key.startswith("avgift_"))
    out: Cells = {}
    for i, label in enumerate(table.frame["abonnemang"]):
        code = names[label]
        for year in years:
            out[(i, f"avgift_{year}")] = fee(frame, code, year)
            if year > years[0]:
                out[(i, f"forandring_{year}")] = forandring_procent(
                    fee(frame, code, year), fee(frame, code, year - 1)
                )
        out[(i, "sedan_bas")] = forandring_procent(fee(frame, code, years[-1]), fee(frame, code, years[0]))
    return out


@traces("tbl-avgift-mot-kostnad")
def fees_against_costs(d: registry.Files, ar: int, table: Table) -> Cells:
    """Each fee's change from the cost series' base year, and the cost's and each index's change."""
    frame, costs, indices = d["brukaravgifter"], d["ms_ao_kostnader"], d["ms_ao_index"]
    names = dict(zip(d["abonnemang"]["benamning"], d["abonnemang"]["abonnemang"], strict=True))
    base = ms_ao.base_year(costs)
    out: Cells = {}
    for i, label in enumerate(table.frame["post"]):
        if label in names:
            found = forandring_procent(fee(frame, names[label], ar), fee(frame, names[label], base))
        elif SERIES.get(label) == "kostnad":
            found = forandring_procent(cost(costs, ar), cost(costs, base))
        else:
            found = forandring_procent(
                index_cost(indices, SERIES[label], ar), index_cost(indices, SERIES[label], base)
            )
        out[(i, "forandring_procent")] = found
    return out


@traces("tbl-brukaravgifter-index")
def fee_and_cost_index(d: registry.Files, ar: int, table: Table) -> Cells:
    """The fee with its first year = 100, MS ÄO's cost and each index with their base year = 100."""
    fees, costs, indices = d["brukaravgifter"], d["ms_ao_kostnader"], d["ms_ao_index"]
    values = bav.fee_and_cost_index(fees, d["abonnemang"], costs, indices)
    first = int(values[bav.FEE_SERIES].first_valid_index())
    base = ms_ao.base_year(costs)
    out: Cells = {}
    for i, serie in enumerate(values.columns):
        for key, year in year_columns(table):
            if serie == bav.FEE_SERIES:
                out[(i, key)] = index(fee(fees, bav.CHARTED, year), fee(fees, bav.CHARTED, first))
            else:
                out[(i, key)] = series_index(costs, indices, serie, year, base)
    return out
