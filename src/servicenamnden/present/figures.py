"""Charts as pure functions: data in, a :class:`~servicenamnden.present.chart.Chart` out.

One theme for all charts (see :mod:`servicenamnden.present.chart`): Okabe–Ito colours, every series
also told apart by line style, marker or hatch and labelled directly, so nothing rests on colour alone;
a phone and a desktop drawing with text of at least 12 CSS px; tick labels that show their tick's value.
A budget year is drawn and named as budget, never as an outcome.
"""

from __future__ import annotations

import matplotlib.patches
import pandas as pd
from matplotlib.figure import Figure

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import internkontroll, miljo, ms_ao, sjukfranvaro
from servicenamnden.domain.years import MissingYearError, for_year, missing_text, require_years
from servicenamnden.present import fmt
from servicenamnden.present.chart import (  # noqa: F401 – re-exported for notebooks and tests
    COLOURS,
    DESKTOP,
    LAYOUTS,
    PHONE,
    PHONE_MEDIA,
    Chart,
    Layout,
    SvFormatter,
    legend_above,
    new_figure,
    tick_decimals,
    value_axis,
    year_axis,
)

# --- Lines, with budget years told apart ------------------------------------------------------------


# A row's name sits on white, so the zero line and grid stop short of the text instead of crossing it.
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 1.5}
LINE_STYLES = {
    "kostnad": dict(color=COLOURS["bla"], linestyle="-", marker="o", linewidth=2.4),
    "budgetindex": dict(color=COLOURS["orange"], linestyle="--", marker="s", linewidth=1.8),
    "storkoksindex": dict(color=COLOURS["gron"], linestyle=":", marker="^", linewidth=1.8),
    "avgift": dict(color=COLOURS["lila"], linestyle="-.", marker="D", linewidth=1.8),
}
BUDGET_LABEL = "Budget"
BUDGET_SERIES_LABEL = "Budgeterad kostnad"


def _plot_series(
    ax,
    series: pd.Series,
    style_key: str,
    label: str,
    layout: Layout,
    budget_years: frozenset[int] = frozenset(),
) -> None:
    """A line of actual values; budget years continue it dashed with open markers, labelled as budget."""
    points = series.dropna()
    style = LINE_STYLES[style_key]
    actual = points[~points.index.isin(budget_years)]
    budget = points[points.index.isin(budget_years)]
    ax.plot(actual.index, actual.values, label=label, **style)
    if len(budget) and len(actual):
        xs = [actual.index[-1], *budget.index]
        ys = [actual.values[-1], *budget.values]
        dashed = {
            **style,
            "linestyle": (0, (3, 2)),
            "markerfacecolor": "white",
            "markevery": list(range(1, len(xs))),
        }
        ax.plot(xs, ys, label=BUDGET_SERIES_LABEL, **dashed)
    if len(points) and not layout.narrow:
        x, y = points.index[-1], points.values[-1]
        text = f"{BUDGET_LABEL} {int(x)}: {fmt.number(y, 1)}" if x in budget_years else f"{fmt.number(y, 1)}"
        ax.annotate(
            text,
            (x, y),
            xytext=(7, 0),
            textcoords="offset points",
            va="center",
            fontsize=layout.small,
            color=style["color"],
        )


# --- The charts -------------------------------------------------------------------------------------


def ms_ao_index_chart(costs: pd.DataFrame, indices: pd.DataFrame, ar: int) -> Chart:
    """MS ÄO's actual cost against the budget index and the storköksindex, base year = 100."""
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    series = ms_ao.index_series(costs, indices, ar)
    base = ms_ao.base_year(costs)
    budgets = ms_ao.budget_years(costs)

    def draw(layout: Layout) -> Figure:
        fig, ax = new_figure(layout, 1.0 if layout.narrow else 0.5)
        for serie in series.columns:
            budget = budgets if serie == "kostnad" else frozenset()
            _plot_series(ax, series[serie], serie, ms_ao.SERIES_LABELS[serie], layout, budget)
        year_axis(ax, list(series.index))
        ax.set_ylabel(f"Index, {base} = 100")
        ax.set_xlim(series.index.min() - 0.3, series.index.max() + (0.3 if layout.narrow else 0.9))
        value_axis(ax.yaxis)
        legend_above(fig, layout)
        return fig

    parts = [
        f"{_series_name(s, ar, budgets)} {fmt.number(series.loc[ar, s], 1)}"
        for s in series.columns
        if not pd.isna(series.loc[ar, s])
    ]
    missing = [ms_ao.SERIES_LABELS[s].lower() for s in series.columns if pd.isna(series.loc[ar, s])]
    alt = (
        f"Linjediagram över MS ÄO:s kostnad och två index {base}–{ar}, med {base} = 100. "
        f"År {ar} är värdena: {', '.join(parts)}."
    )
    if missing:
        alt += f" Värde för {ar} saknas för {', '.join(missing)}."
    return Chart(draw, alt)


def _series_name(serie: str, ar: int, budget_years: frozenset[int]) -> str:
    """The series' name for a year in prose: the cost of a budget year is the budgeted cost."""
    if serie == "kostnad" and ar in budget_years:
        return f"MS ÄO:s budgeterade kostnad (budget, inte utfall) {ar}"
    return ms_ao.SERIES_LABELS[serie].lower()


def brukaravgifter_chart(
    fees: pd.DataFrame,
    subscriptions: pd.DataFrame,
    costs: pd.DataFrame,
    indices: pd.DataFrame,
    subscription: str = bav.CHARTED,
) -> Chart:
    """One subscription's fee next to MS ÄO's cost and the indices, all with the base year = 100."""
    values = bav.fee_and_cost_index(fees, subscriptions, costs, indices, subscription)
    fee_index = values[bav.FEE_SERIES].dropna()
    base, last = int(fee_index.index[0]), int(fee_index.index[-1])
    series = values.drop(columns=bav.FEE_SERIES)
    budgets = ms_ao.budget_years(costs)
    name = bav.labels(subscriptions)[subscription]

    def draw(layout: Layout) -> Figure:
        fig, ax = new_figure(layout, 1.15 if layout.narrow else 0.52)
        _plot_series(ax, fee_index, "avgift", "Brukaravgift", layout)
        for serie in series.columns:
            budget = budgets if serie == "kostnad" else frozenset()
            _plot_series(ax, series[serie], serie, ms_ao.SERIES_LABELS[serie], layout, budget)
        year_axis(ax, [int(y) for y in fee_index.index])
        ax.set_ylabel(f"Index, {base} = 100")
        ax.set_xlim(base - 0.3, last + (0.3 if layout.narrow else 1.5))
        value_axis(ax.yaxis)
        legend_above(fig, layout)
        return fig

    cost = series["kostnad"].dropna()
    cost_actual = cost[~cost.index.isin(budgets)]
    budget_index = series["budgetindex"].dropna()
    alt = (
        f"Linjediagram med {base} = 100. Brukaravgiften för {name.lower()} stiger till "
        f"{fmt.number(fee_index[last], 1)} år {last}. MS ÄO:s verkliga kostnad ligger på "
        f"{fmt.number(cost_actual.iloc[-1], 1)} år {int(cost_actual.index[-1])}"
    )
    planned = cost[cost.index.isin(budgets)]
    if len(planned):
        alt += (
            f"; budgeten för {int(planned.index[-1])} motsvarar {fmt.number(planned.iloc[-1], 1)} "
            "(streckad linje och ofylld markör)"
        )
    alt += (
        f". Det generella budgetindexet ligger på {fmt.number(budget_index.iloc[-1], 1)} "
        f"år {int(budget_index.index[-1])}."
    )
    return Chart(draw, alt)


def sjukfranvaro_chart(frame: pd.DataFrame, ar: int) -> Chart:
    """Sick leave by group, the year against the year before, as paired bars."""
    require_years(frame[frame["period"] == sjukfranvaro.FULL_YEAR], [ar, ar - 1], "sjukfrånvaro")
    comp = sjukfranvaro.compare_years(frame, ar)
    comp = comp[~comp["dold"]]
    labels = [sjukfranvaro.GROUP_LABELS[g] for g in comp["grupp"]]

    def draw(layout: Layout) -> Figure:
        fig, ax = new_figure(layout, 0.75 if layout.narrow else 0.5)
        xs = range(len(labels))
        width = 0.4
        before = ax.bar(
            [x - width / 2 for x in xs],
            comp["foregaende_ar"],
            width,
            label=str(ar - 1),
            color="white",
            edgecolor=COLOURS["gra"],
            hatch="///",
            linewidth=1.2,
        )
        now = ax.bar([x + width / 2 for x in xs], comp["ar"], width, label=str(ar), color=COLOURS["bla"])
        for bars in (before, now):
            ax.bar_label(
                bars,
                labels=[fmt.number(v, 1) if layout.narrow else fmt.percent(v) for v in bars.datavalues],
                padding=2,
                fontsize=layout.small,
            )
        ax.set_xticks(list(xs), labels)
        ax.set_ylabel("Procent av arbetstiden" if layout.narrow else "Procent av ordinarie arbetstid")
        ax.set_ylim(0, max(comp["ar"].max(), comp["foregaende_ar"].max()) * 1.18)
        value_axis(ax.yaxis)
        legend_above(fig, layout, ncols=2)
        return fig

    facts = "; ".join(
        f"{sjukfranvaro.GROUP_LABELS[g].lower()} {fmt.percent(a)} mot {fmt.percent(b)}"
        for g, a, b in zip(comp["grupp"], comp["ar"], comp["foregaende_ar"], strict=True)
    )
    return Chart(draw, f"Stapeldiagram över sjukfrånvaron {ar} jämfört med {ar - 1}: {facts}.")


def _names_above_bars(ax, ys, texts, layout, offset: float, zero_width: float) -> None:
    """Each bar's text above it at the left edge (long names fit a phone), a zero line, no y axis."""
    for y, text in zip(ys, texts, strict=True):
        ax.text(
            0,
            y + offset,
            text,
            va="bottom",
            ha="left",
            fontsize=layout.small,
            transform=ax.get_yaxis_transform(),
            bbox=LABEL_BOX,
        )
    ax.axvline(0, color="#333333", linewidth=zero_width)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="y", visible=False)


def result_per_area_chart(areas: pd.DataFrame, ar: int) -> Chart:
    """Deviation from budget per område (mnkr) as horizontal bars, labelled with their values."""
    if areas["avvikelse"].isna().all():
        raise MissingYearError(missing_text("utfall och budget per område", [ar]))
    part = areas[areas["omrade"] != "summa"].iloc[::-1]
    names = [
        f"{b} ({k})" if isinstance(k, str) and k and k != b else b
        for b, k in zip(part["benamning"], part["kortnamn"], strict=True)
    ]
    values = part["avvikelse"].tolist()

    def draw(layout: Layout) -> Figure:
        fig, ax = new_figure(layout, 1.25 if layout.narrow else 0.62)
        colours = [COLOURS["bla"] if v >= 0 else COLOURS["orange"] for v in values]
        hatches = ["" if v >= 0 else "///" for v in values]
        ys = [2 * i for i in range(len(values))]
        bars = ax.barh(ys, values, height=0.9, color=colours, hatch=hatches, edgecolor="white")
        ax.bar_label(
            bars, labels=[fmt.number(v, 1, sign=True) for v in values], padding=3, fontsize=layout.small
        )
        _names_above_bars(ax, ys, names, layout, 0.62, 0.8)  # long names fit a phone
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_xlabel(f"Avvikelse mot budget {ar}, mnkr\n(streckad stapel = underskott)")
        lo, hi = min(values + [0]), max(values + [0])
        span = hi - lo
        ax.set_xlim(lo - 0.22 * span, hi + 0.22 * span)
        ax.set_ylim(-0.8, ys[-1] + 1.9)
        value_axis(ax.xaxis)
        return fig

    total = areas.loc[areas["omrade"] == "summa", "avvikelse"].iloc[0]
    facts = "; ".join(
        f"{b} {fmt.mnkr(v, sign=True)}" for b, v in zip(part["benamning"][::-1], values[::-1], strict=True)
    )
    alt = f"Liggande stapeldiagram över avvikelsen mot budget {ar} per område, totalt {fmt.mnkr(total, sign=True)}: {facts}."
    return Chart(draw, alt)


SCHOOL_FORMS = {"forskola": "Förskola", "grundskola": "Grundskola", "gymnasiet": "Gymnasiet"}


def food_waste_chart(waste: pd.DataFrame, target: float) -> Chart:
    """Serving and plate waste stacked per school form, against the target (a labelled line)."""
    if waste.empty or waste["totalt"].isna().all():
        raise MissingYearError("Matsvinn redovisas inte för året: underlaget finns inte.")
    part = waste[waste["totalt"].notna()]
    labels = [SCHOOL_FORMS.get(v, v) for v in part["verksamhet"]]
    target_label = f"Mål: högst {fmt.percent(target, 0)}"

    def draw(layout: Layout) -> Figure:
        fig, ax = new_figure(layout, 0.8 if layout.narrow else 0.5)
        # The total sits under each form's name, so no value label can meet the target line.
        ticks = [f"{lab}\n{fmt.percent(t)}" for lab, t in zip(labels, part["totalt"], strict=True)]
        ax.bar(ticks, part["servering"], 0.55, label="Serveringssvinn", color=COLOURS["bla"])
        ax.bar(
            ticks,
            part["tallrik"],
            0.55,
            bottom=part["servering"],
            label="Tallrikssvinn",
            color="white",
            edgecolor=COLOURS["orange"],
            hatch="///",
            linewidth=1.2,
        )
        ax.axhline(target, color="#222222", linestyle="--", linewidth=1.4, label=target_label)
        ax.set_ylabel("Matsvinn, procent (summa under namnet)" if not layout.narrow else "Matsvinn, procent")
        ax.set_ylim(0, max(part["totalt"].max(), target) * 1.1)
        value_axis(ax.yaxis)
        legend_above(fig, layout, ncols=1 if layout.narrow else 3)
        return fig

    facts = "; ".join(
        f"{lab.lower()} {fmt.percent(t)} ({fmt.percent(s)} servering, {fmt.percent(p)} tallrik)"
        for lab, t, s, p in zip(labels, part["totalt"], part["servering"], part["tallrik"], strict=True)
    )
    over = [lab.lower() for lab, t in zip(labels, part["totalt"], strict=True) if t > target]
    alt = (
        f"Staplat stapeldiagram över matsvinn per skolform mot målet högst {fmt.percent(target, 0)}, "
        f"som en streckad linje: {facts}."
    )
    if over:
        alt += f" Över målet: {', '.join(over)}."
    return Chart(draw, alt)


def _goal_value(value: float, unit: str) -> str:
    decimals = 2 if unit != "procent" and value < 10 else (1 if value % 1 else 0)
    return fmt.percent(value, decimals) if unit == "procent" else f"{fmt.number(value, decimals)} {unit}"


def _goal_target_text(row) -> str:
    ref = _goal_value(row.referens, row.enhet)
    if row.riktning == "oka":
        year = f" år {int(row.jamforelse_ar)}" if not pd.isna(row.jamforelse_ar) else ""
        return f"mål: öka från {ref}{year}"
    return f"mål: {'högst' if row.riktning == 'max' else 'minst'} {ref}"


def goals_chart(assessed: pd.DataFrame) -> Chart:
    """How far each measurable environmental goal's outcome lies from its target (percent of target)."""
    margins = miljo.goal_margins(assessed)
    if margins.empty:
        raise MissingYearError("Inget miljömål har både målvärde och utfall för året; diagrammet utgår.")
    part = margins.iloc[::-1]
    left_out = [m for m in assessed["mal"] if m not in set(margins["mal"])]

    def draw(layout: Layout) -> Figure:
        fig, ax = new_figure(layout, 0.24 * len(part) + 0.3 if layout.narrow else 0.08 * len(part) + 0.2)
        step = 3 if layout.narrow else 2
        ys = [step * i for i in range(len(part))]
        values = part["marginal_procent"].tolist()
        colours = [COLOURS["gron"] if m else COLOURS["orange"] for m in part["uppfyllt"]]
        hatches = ["" if m else "///" for m in part["uppfyllt"]]
        bars = ax.barh(ys, values, height=0.9, color=colours, hatch=hatches, edgecolor="white")
        ax.bar_label(
            bars, labels=[fmt.number(v, 0, sign=True) for v in values], padding=3, fontsize=layout.small
        )
        texts = []
        for row in part.itertuples():
            sep = "\n" if layout.narrow else " "
            texts.append(f"{row.mal}:{sep}{_goal_value(row.utfall, row.enhet)} ({_goal_target_text(row)})")
        _names_above_bars(ax, ys, texts, layout, 0.6, 0.9)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_xlabel(
            "Utfallets avstånd till målet, procent av målvärdet\n(höger = bättre än målet, streckad = ej uppfyllt)"
        )
        lo, hi = min(values + [0]), max(values + [0])
        ax.set_xlim(lo - 0.25 * (hi - lo) - 5, hi + 0.25 * (hi - lo) + 5)
        ax.set_ylim(-0.8, ys[-1] + (2.6 if layout.narrow else 1.9))
        value_axis(ax.xaxis)
        return fig

    facts = "; ".join(
        f"{r.mal.lower()} {_goal_value(r.utfall, r.enhet)} ({_goal_target_text(r)}), "
        f"{'uppfyllt' if r.uppfyllt else 'ej uppfyllt'}"
        for r in margins.itertuples()
    )
    met, total = miljo.goals_met(assessed)
    alt = (
        f"Liggande stapeldiagram över hur långt utfallet ligger från målvärdet för de miljömål som har ett "
        f"mätbart mål; {met} av {total} miljömål är uppfyllda. {facts}."
    )
    if left_out:
        alt += f" Utan mätbart mål och därför inte i diagrammet: {', '.join(m.lower() for m in left_out)}."
    return Chart(draw, alt)


def risk_matrix_chart(risks: pd.DataFrame, ar: int) -> Chart:
    """The 5 × 5 risk matrix (probability × consequence) with each risk's number in its cell."""
    risks = internkontroll.risk_values(for_year(risks, ar, "internkontrollens risker"))

    def draw(layout: Layout) -> Figure:
        fig, ax = new_figure(layout, 0.85 if layout.narrow else 0.6)
        shades = ["#f7f7f7", "#d9d9d9", "#bdbdbd", "#969696", "#737373"]
        for p in internkontroll.SCALE:
            for c in internkontroll.SCALE:
                value = p * c
                shade = shades[min(4, (value - 1) // 5)]
                ax.add_patch(
                    matplotlib.patches.Rectangle((c - 0.5, p - 0.5), 1, 1, facecolor=shade, edgecolor="white")
                )
                ax.text(  # the cell's risk value in its top left corner, clear of the risk's circle
                    c - 0.46,
                    p + 0.44,
                    fmt.count(value),
                    fontsize=layout.small,
                    ha="left",
                    va="top",
                    color="white" if shade == shades[-1] else "#222222",  # 4.5:1 or more on every shade
                )
        for (p, c), numbers in internkontroll.matrix(risks).items():
            x, y = c + 0.1, p - 0.1  # nudged away from the corner that holds the cell's risk value
            ax.scatter(
                [x],
                [y],
                s=(layout.font * 1.9) ** 2,
                color="white",
                edgecolor=COLOURS["bla"],
                linewidth=2,
                zorder=3,
            )
            ax.text(
                x,
                y,
                ", ".join(str(n) for n in numbers),
                ha="center",
                va="center",
                fontsize=layout.font,
                weight="bold",
                color=COLOURS["bla"],
                zorder=4,
            )
        ax.set_xlim(0.5, 5.5)
        ax.set_ylim(0.5, 5.5)
        ax.set_xticks(list(internkontroll.SCALE))
        ax.set_yticks(list(internkontroll.SCALE))
        ax.xaxis.set_major_formatter(SvFormatter())
        ax.yaxis.set_major_formatter(SvFormatter())
        ax.set_xlabel("Konsekvens")
        ax.set_ylabel("Sannolikhet")
        ax.grid(False)
        ax.set_aspect("equal")
        return fig

    facts = "; ".join(
        f"risk {int(r.nr)}: sannolikhet {int(r.sannolikhet)}, konsekvens {int(r.konsekvens)}, riskvärde {int(r.riskvarde)}"
        for r in risks.sort_values("nr").itertuples()
    )
    return Chart(draw, f"Riskmatris 5 × 5 med sannolikhet uppåt och konsekvens åt höger. {facts}.")


def goals_chart_for_year(goals: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, ar: int) -> Chart:
    """:func:`goals_chart` for the year, from the raw files."""
    return goals_chart(miljo.goals(goals, waste, figures, ar))


def food_waste_chart_for_year(waste: pd.DataFrame, goals: pd.DataFrame, ar: int) -> Chart:
    """:func:`food_waste_chart` for the year, with the year's target, from the raw files."""
    return food_waste_chart(miljo.food_waste_for_year(waste, ar), miljo.food_waste_target(goals, ar))
