"""Charts as pure functions: data in, a :class:`Chart` (matplotlib Figure + alt text) out.

One theme for all charts: Okabe–Ito colours (safe for colour-blind readers), and every series also
told apart by line style, marker or hatch, and labelled directly, so nothing rests on colour alone.
Charts display as SVG (sharp in print) with a PNG fallback, carrying their alt text as metadata.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib
import matplotlib.patches

matplotlib.use("Agg")
import pandas as pd
from matplotlib.figure import Figure

from servicenamnden.domain import brukaravgifter as bav
from servicenamnden.domain import ms_ao, sjukfranvaro
from servicenamnden.domain.years import MissingYearError, require_years
from servicenamnden.present import fmt

# Okabe–Ito; all three have at least 3:1 contrast against white.
COLOURS = {"bla": "#0072B2", "orange": "#D55E00", "gron": "#009E73", "lila": "#CC79A7", "gra": "#595959"}
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "xtick.color": "#222222",
    "ytick.color": "#222222",
    "svg.fonttype": "none",
    "svg.hashsalt": "servicenamnden",
}
WIDTH_IN, HEIGHT_IN = 7.0, 3.6


@dataclass
class Chart:
    """A figure and the alt text that states its facts."""

    figure: Figure
    alt: str

    def svg(self) -> str:
        """The chart as SVG text, reproducible between runs (no date, fixed ids); drawn once."""
        if getattr(self, "_svg", None) is None:
            self._svg = self._draw_svg()
        return self._svg

    def _draw_svg(self) -> str:
        buffer = io.StringIO()
        with matplotlib.rc_context(STYLE):
            self.figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        # SVG only: sharp on screen and in print, and Quarto (fig-format: svg) needs nothing else.
        data = {"image/svg+xml": self.svg(), "text/plain": f"Diagram: {self.alt}"}
        meta = {"image/svg+xml": {"alt": self.alt}}
        return data, meta


def _figure() -> tuple[Figure, object]:
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), layout="constrained")
        ax = fig.add_subplot()
    for key, value in STYLE.items():
        if key.startswith("axes.spines."):
            ax.spines[key.rsplit(".", 1)[1]].set_visible(value)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _sv_ticks(ax, decimals: int = 0) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v, decimals)))


LINE_STYLES = {
    "kostnad": dict(color=COLOURS["bla"], linestyle="-", marker="o", linewidth=2.4),
    "budgetindex": dict(color=COLOURS["orange"], linestyle="--", marker="s", linewidth=1.8),
    "storkoksindex": dict(color=COLOURS["gron"], linestyle=":", marker="^", linewidth=1.8),
    "avgift": dict(color=COLOURS["lila"], linestyle="-.", marker="D", linewidth=1.8),
}


def _plot_series(ax, series: pd.Series, style_key: str, label: str) -> None:
    points = series.dropna()
    ax.plot(points.index, points.values, label=label, **LINE_STYLES[style_key])
    if len(points):
        x, y = points.index[-1], points.values[-1]
        ax.annotate(
            f"{label} {fmt.number(y, 1)}",
            (x, y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            color=LINE_STYLES[style_key]["color"],
        )


def ms_ao_index_chart(costs: pd.DataFrame, indices: pd.DataFrame, ar: int) -> Chart:
    """MS ÄO's actual cost against the budget index and the storköksindex, base year = 100."""
    require_years(costs[costs["typ"] == "utfall"], ar, "kostnader för MS ÄO")
    series = ms_ao.index_series(costs, indices, ar)
    base = ms_ao.base_year(costs)
    fig, ax = _figure()
    for serie in series.columns:
        _plot_series(ax, series[serie], serie, ms_ao.SERIES_LABELS[serie])
    ax.set_xticks(list(series.index))
    ax.set_ylabel(f"Index, {base} = 100")
    ax.set_xlim(series.index.min() - 0.2, series.index.max() + 1.6)
    _sv_ticks(ax)
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    parts = [
        f"{ms_ao.SERIES_LABELS[s].lower()} {fmt.number(series.loc[ar, s], 1)}"
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
    return Chart(fig, alt)


def brukaravgifter_chart(
    fees: pd.DataFrame,
    subscriptions: pd.DataFrame,
    costs: pd.DataFrame,
    indices: pd.DataFrame,
    subscription: str = "heldygn",
) -> Chart:
    """One subscription's fee next to MS ÄO's cost and the indices, all with the base year = 100."""
    table = bav.wide(fees, subscriptions)
    fee = table.loc[subscription]
    base = int(table.columns[0])
    last = int(table.columns[-1])
    fee_index = fee / fee[base] * 100
    series = ms_ao.index_series(costs, indices, last)
    name = bav.labels(subscriptions)[subscription]
    fig, ax = _figure()
    _plot_series(ax, fee_index, "avgift", "Brukaravgift")
    for serie in series.columns:
        _plot_series(ax, series[serie], serie, ms_ao.SERIES_LABELS[serie])
    ax.set_xticks(list(fee_index.index))
    ax.set_ylabel(f"Index, {base} = 100")
    ax.set_xlim(base - 0.2, last + 1.9)
    _sv_ticks(ax)
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    alt = (
        f"Linjediagram med {base} = 100. Brukaravgiften för {name.lower()} stiger till "
        f"{fmt.number(fee_index[last], 1)} år {last}. MS ÄO:s kostnad ligger på "
        f"{fmt.number(series['kostnad'].dropna().iloc[-1], 1)} år {int(series['kostnad'].dropna().index[-1])} "
        f"och det generella budgetindexet på {fmt.number(series['budgetindex'].dropna().iloc[-1], 1)} "
        f"år {int(series['budgetindex'].dropna().index[-1])}."
    )
    return Chart(fig, alt)


def sjukfranvaro_chart(frame: pd.DataFrame, ar: int) -> Chart:
    """Sick leave by group, the year against the year before, as paired bars."""
    require_years(frame[frame["period"] == sjukfranvaro.FULL_YEAR], [ar, ar - 1], "sjukfrånvaro")
    comp = sjukfranvaro.compare_years(frame, ar)
    comp = comp[~comp["dold"]]
    labels = [sjukfranvaro.GROUP_LABELS[g] for g in comp["grupp"]]
    fig, ax = _figure()
    xs = range(len(labels))
    width = 0.38
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
        ax.bar_label(bars, labels=[fmt.percent(v) for v in bars.datavalues], padding=2, fontsize=9)
    ax.set_xticks(list(xs), labels)
    ax.set_ylabel("Procent av ordinarie arbetstid")
    _sv_ticks(ax)
    ax.legend(frameon=False, fontsize=9)
    facts = "; ".join(
        f"{sjukfranvaro.GROUP_LABELS[g].lower()} {fmt.percent(a)} mot {fmt.percent(b)}"
        for g, a, b in zip(comp["grupp"], comp["ar"], comp["foregaende_ar"], strict=True)
    )
    return Chart(fig, f"Stapeldiagram över sjukfrånvaron {ar} jämfört med {ar - 1}: {facts}.")


def result_per_area_chart(areas: pd.DataFrame, ar: int) -> Chart:
    """Deviation from budget per område (mnkr) as horizontal bars, labelled with their values."""
    if areas["avvikelse"].isna().all():
        raise MissingYearError(
            f"Uppgifter om utfall och budget per område för {ar} saknas i data; diagrammet kan inte ritas."
        )
    part = areas[areas["omrade"] != "summa"].iloc[::-1]
    labels = [
        f"{b}\n{k}" if isinstance(k, str) and k and k != b else b
        for b, k in zip(part["benamning"], part["kortnamn"], strict=True)
    ]
    values = part["avvikelse"].tolist()
    fig, ax = _figure()
    fig.set_size_inches(WIDTH_IN, 3.9)
    colours = [COLOURS["bla"] if v >= 0 else COLOURS["orange"] for v in values]
    hatches = ["" if v >= 0 else "///" for v in values]
    bars = ax.barh(labels, values, color=colours, hatch=hatches, edgecolor="white")
    ax.bar_label(bars, labels=[fmt.number(v, 1, sign=True) for v in values], padding=3, fontsize=9)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_xlabel(f"Avvikelse mot budget {ar}, mnkr (streckad stapel = underskott)")
    lo, hi = min(values + [0]), max(values + [0])
    ax.set_xlim(lo - 2.5, hi + 2.5)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt.number(v, 0)))
    total = areas.loc[areas["omrade"] == "summa", "avvikelse"].iloc[0]
    facts = "; ".join(
        f"{b} {fmt.mnkr(v, sign=True)}" for b, v in zip(part["benamning"][::-1], values[::-1], strict=True)
    )
    alt = f"Liggande stapeldiagram över avvikelsen mot budget {ar} per område, totalt {fmt.mnkr(total, sign=True)}: {facts}."
    return Chart(fig, alt)


def food_waste_chart(waste: pd.DataFrame, target: float) -> Chart:
    """Serving and plate waste stacked per school form, against the target."""
    if waste.empty or waste["totalt"].isna().all():
        raise MissingYearError(
            "Uppgifter om matsvinn för året saknas i data; avsnittet visar därför inga siffror för året."
        )
    part = waste[waste["totalt"].notna()]
    labels = [
        {"forskola": "Förskola", "grundskola": "Grundskola", "gymnasiet": "Gymnasiet"}.get(v, v)
        for v in part["verksamhet"]
    ]
    fig, ax = _figure()
    serving = ax.bar(labels, part["servering"], 0.55, label="Serveringssvinn", color=COLOURS["bla"])
    plate = ax.bar(
        labels,
        part["tallrik"],
        0.55,
        bottom=part["servering"],
        label="Tallrikssvinn",
        color="white",
        edgecolor=COLOURS["orange"],
        hatch="///",
        linewidth=1.2,
    )
    ax.bar_label(plate, labels=[fmt.percent(v) for v in part["totalt"]], padding=2, fontsize=9)
    del serving
    ax.axhline(target, color="#222222", linestyle="--", linewidth=1.2)
    ax.annotate(
        f"Mål: högst {fmt.percent(target, 0)}",
        (len(labels) - 0.5, target),
        xytext=(0, 4),
        textcoords="offset points",
        ha="right",
        fontsize=9,
    )
    ax.set_ylabel("Matsvinn, procent")
    ax.set_ylim(0, max(part["totalt"].max(), target) * 1.2)
    _sv_ticks(ax)
    ax.legend(frameon=False, fontsize=9, loc="upper right", bbox_to_anchor=(1, 0.92))
    facts = "; ".join(
        f"{lab.lower()} {fmt.percent(t)} ({fmt.percent(s)} servering, {fmt.percent(p)} tallrik)"
        for lab, t, s, p in zip(labels, part["totalt"], part["servering"], part["tallrik"], strict=True)
    )
    over = [lab.lower() for lab, t in zip(labels, part["totalt"], strict=True) if t > target]
    alt = (
        f"Staplat stapeldiagram över matsvinn per skolform mot målet högst {fmt.percent(target, 0)}: {facts}."
    )
    if over:
        alt += f" Över målet: {', '.join(over)}."
    return Chart(fig, alt)


def goals_chart(assessed: pd.DataFrame) -> Chart:
    """Each environmental goal as a row, marked met or not met with symbol, word and colour."""
    part = assessed.iloc[::-1]
    fig, ax = _figure()
    fig.set_size_inches(WIDTH_IN, 3.6)
    for y, row in enumerate(part.itertuples()):
        met = row.bedomning == "uppfyllt"
        ax.scatter(
            [0],
            [y],
            s=120,
            marker="o" if met else "X",
            color=COLOURS["gron"] if met else COLOURS["orange"],
            zorder=3,
        )
        ax.text(0.06, y, f"{row.mal} – {'uppfyllt' if met else 'ej uppfyllt'}", va="center", fontsize=9)
    ax.set_xlim(-0.05, 1)
    ax.set_ylim(-0.7, len(part) - 0.3)
    ax.axis("off")
    met_count = int((assessed["bedomning"] == "uppfyllt").sum())
    not_met = [
        m.lower() for m, b in zip(assessed["mal"], assessed["bedomning"], strict=True) if b != "uppfyllt"
    ]
    alt = (
        f"Översikt över miljömålen: {met_count} av {len(assessed)} är uppfyllda (ring). "
        f"Ej uppfyllda (kryss): {', '.join(not_met) if not_met else 'inga'}."
    )
    return Chart(fig, alt)


def risk_matrix_chart(risks: pd.DataFrame, ar: int) -> Chart:
    """The 5 × 5 risk matrix (probability × consequence) with each risk's number in its cell."""
    from servicenamnden.domain import internkontroll
    from servicenamnden.domain.years import for_year

    risks = internkontroll.risk_values(for_year(risks, ar, "internkontrollens risker"))

    fig, ax = _figure()
    fig.set_size_inches(5.2, 4.4)
    shades = ["#f7f7f7", "#d9d9d9", "#bdbdbd", "#969696", "#737373"]
    for p in internkontroll.SCALE:
        for c in internkontroll.SCALE:
            value = p * c
            shade = shades[min(4, (value - 1) // 5)]
            ax.add_patch(
                matplotlib.patches.Rectangle((c - 0.5, p - 0.5), 1, 1, facecolor=shade, edgecolor="white")
            )
            ax.text(
                c + 0.38,
                p - 0.38,
                fmt.count(value),
                fontsize=7,
                ha="right",
                va="bottom",
                color="#222222" if value < 16 else "white",
            )
    for (p, c), numbers in internkontroll.matrix(risks).items():
        ax.scatter([c], [p], s=520, color="white", edgecolor=COLOURS["bla"], linewidth=2, zorder=3)
        ax.text(
            c,
            p,
            ", ".join(str(n) for n in numbers),
            ha="center",
            va="center",
            fontsize=10,
            weight="bold",
            color=COLOURS["bla"],
            zorder=4,
        )
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks(list(internkontroll.SCALE))
    ax.set_yticks(list(internkontroll.SCALE))
    ax.set_xlabel("Konsekvens")
    ax.set_ylabel("Sannolikhet")
    ax.grid(False)
    ax.set_aspect("equal")
    facts = "; ".join(
        f"risk {int(r.nr)}: sannolikhet {int(r.sannolikhet)}, konsekvens {int(r.konsekvens)}, riskvärde {int(r.riskvarde)}"
        for r in risks.sort_values("nr").itertuples()
    )
    return Chart(fig, f"Riskmatris 5 × 5 med sannolikhet uppåt och konsekvens åt höger. {facts}.")


def goals_chart_for_year(goals: pd.DataFrame, waste: pd.DataFrame, figures: pd.DataFrame, ar: int) -> Chart:
    """:func:`goals_chart` for the year, from the raw files."""
    from servicenamnden.domain import miljo

    return goals_chart(miljo.goals(goals, waste, figures, ar))


def food_waste_chart_for_year(waste: pd.DataFrame, goals: pd.DataFrame, ar: int) -> Chart:
    """:func:`food_waste_chart` for the year, with the year's target, from the raw files."""
    from servicenamnden.domain import miljo

    return food_waste_chart(miljo.food_waste_for_year(waste, ar), miljo.food_waste_target(goals, ar))
