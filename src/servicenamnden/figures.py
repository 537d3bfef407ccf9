"""Charts as pure functions: data in, a :class:`Chart` (matplotlib Figure + alt text) out.

One theme for all charts: Okabe–Ito colours (safe for colour-blind readers), and every series also
told apart by line style, marker or hatch, and labelled directly, so nothing rests on colour alone.
Charts display as SVG (sharp in print) with a PNG fallback, carrying their alt text as metadata.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from . import brukaravgifter as bav  # noqa: E402
from . import fmt, ms_ao, sjukfranvaro  # noqa: E402

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
        """The chart as SVG text, reproducible between runs (no date, fixed ids)."""
        buffer = io.StringIO()
        with matplotlib.rc_context(STYLE):
            self.figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
        return buffer.getvalue()

    def png(self, dpi: int = 150) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):  # noqa: ANN001
        data = {
            "image/svg+xml": self.svg(),
            "image/png": base64.b64encode(self.png()).decode("ascii"),
            "text/plain": f"Diagram: {self.alt}",
        }
        meta = {"image/svg+xml": {"alt": self.alt}, "image/png": {"alt": self.alt}}
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


def _sv_ticks(ax, decimals: int = 0) -> None:  # noqa: ANN001
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.number(v, decimals)))


LINE_STYLES = {
    "kostnad": dict(color=COLOURS["bla"], linestyle="-", marker="o", linewidth=2.4),
    "budgetindex": dict(color=COLOURS["orange"], linestyle="--", marker="s", linewidth=1.8),
    "storkoksindex": dict(color=COLOURS["gron"], linestyle=":", marker="^", linewidth=1.8),
    "avgift": dict(color=COLOURS["lila"], linestyle="-.", marker="D", linewidth=1.8),
}


def _plot_series(ax, series: pd.Series, style_key: str, label: str) -> None:  # noqa: ANN001
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
