"""What every chart shares: a :class:`Chart` (two drawings + alt text), its layouts, theme and axes.

One theme for all charts: Okabe–Ito colours (safe for colour-blind readers), and every series also
told apart by line style, marker or hatch, and labelled directly, so nothing rests on colour alone.
Each chart is drawn twice, for a desktop column and for a phone, so that its text is at least 12 CSS
pixels on both; the page picks the drawing that fits (``<picture>``), print and Typst take the desktop
one. Both are SVG (sharp at any size). Tick labels always show their tick's exact value.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from servicenamnden.present import fmt
from servicenamnden.present.svg import compact, data_uri

# Okabe–Ito; all three have at least 3:1 contrast against white.
COLOURS = {"bla": "#0072B2", "orange": "#D55E00", "gron": "#009E73", "lila": "#CC79A7", "gra": "#595959"}
STYLE = {
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "xtick.color": "#222222",
    "ytick.color": "#222222",
    "svg.fonttype": "none",
    "svg.hashsalt": "servicenamnden",
    "text.parse_math": False,  # a "$" in a label from data is a dollar sign, never mathtext
}


@dataclass(frozen=True)
class Layout:
    """Size and type sizes of one drawing (inches and points; 1 pt of the SVG = 4/3 CSS px at 100 %).

    The desktop drawing is shown at least 45rem wide, the phone drawing in a column of about 350 px
    (a 390 px screen); the type sizes are chosen so that the smallest text stays at 12 CSS px or more.
    """

    name: str
    width: float
    font: float
    small: float
    narrow: bool

    def size(self, ratio: float) -> tuple[float, float]:
        """(width, height) in inches for a height/width ratio."""
        return self.width, self.width * ratio


DESKTOP = Layout("dator", 7.0, 11.0, 10.0, narrow=False)
PHONE = Layout("mobil", 4.4, 13.0, 12.5, narrow=True)
LAYOUTS = (DESKTOP, PHONE)
# The page shows the phone drawing below this width (CSS media query of the <picture> source).
PHONE_MEDIA = "(max-width: 47.99rem)"
# A drawing at least this share of its layout's width fills the column.
SHARE_FULL = 0.95


@dataclass
class Chart:
    """A chart: how to draw it for a layout, and the alt text that states its facts."""

    draw: Callable[[Layout], Figure]
    alt: str
    _figures: dict[str, Figure] = field(default_factory=dict, repr=False)
    _svgs: dict[str, str] = field(default_factory=dict, repr=False)

    def figure_for(self, layout: Layout) -> Figure:
        """The drawing for ``layout`` (drawn once)."""
        if layout.name not in self._figures:
            self._figures[layout.name] = self.draw(layout)
        return self._figures[layout.name]

    @property
    def figure(self) -> Figure:
        """The desktop drawing (also the one for print)."""
        return self.figure_for(DESKTOP)

    def svg(self, layout: Layout = DESKTOP) -> str:
        """The drawing as SVG text, reproducible between runs (no date, fixed ids); drawn once."""
        if layout.name not in self._svgs:
            buffer = io.StringIO()
            with matplotlib.rc_context(STYLE):
                self.figure_for(layout).savefig(
                    buffer, format="svg", bbox_inches="tight", pad_inches=0.05, metadata={"Date": None}
                )
            self._svgs[layout.name] = compact(buffer.getvalue())
        return self._svgs[layout.name]

    def share(self, layout: Layout) -> float:
        """The share of the column the drawing takes: 1 for a drawing as wide as its layout; less for one
        that its content makes narrower (the square risk matrix), so that its text is shown at the size
        of the other charts' text instead of being stretched with the drawing to the column's width."""
        width_pt = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', self.svg(layout)).group(1))
        share = width_pt / (layout.width * 72)
        return 1.0 if share >= SHARE_FULL else round(share, 2)

    def html(self) -> str:
        """A ``<picture>``: the phone drawing on narrow screens, else the desktop one, with the alt text.
        A drawing narrower than its layout gets its share of the column (``--sn-share-…``, report.css)."""
        phone, desktop = (data_uri(self.svg(layout)) for layout in (PHONE, DESKTOP))
        shares = [(layout.name, self.share(layout)) for layout in (PHONE, DESKTOP)]
        style = ";".join(f"--sn-share-{name}:{share}" for name, share in shares if share < 1)
        attribute = f' style="{style}"' if style else ""
        return (
            f'<picture class="chart"{attribute}>'
            f'<source media="{PHONE_MEDIA}" srcset="{phone}" type="image/svg+xml">'
            f'<img src="{desktop}" alt="{html.escape(self.alt)}"></picture>'
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        # HTML pages take text/html (both drawings, computed alt); Typst and print take the SVG.
        data = {"text/html": self.html(), "image/svg+xml": self.svg(), "text/plain": f"Diagram: {self.alt}"}
        meta = {"image/svg+xml": {"alt": self.alt}}
        return data, meta


class SvFormatter(Formatter):
    """Swedish tick labels with as many decimals as the ticks need (2,5 and 5,0 on one axis)."""

    def __init__(self, max_decimals: int = 3) -> None:
        self.max_decimals = max_decimals
        self.decimals = 0

    def set_locs(self, locs) -> None:
        """Choose one number of decimals that shows every tick exactly."""
        self.decimals = tick_decimals(list(locs), self.max_decimals)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return fmt.number(x, self.decimals)


def tick_decimals(values: list[float], max_decimals: int = 3) -> int:
    """The fewest decimals that show every value exactly (up to ``max_decimals``)."""
    for decimals in range(max_decimals + 1):
        if all(abs(round(v, decimals) - v) < 1e-9 * max(1.0, abs(v)) for v in values):
            return decimals
    return max_decimals


def value_axis(axis) -> None:
    """Ticks on round steps (1, 2, 5 × 10ⁿ), labelled with their exact value the Swedish way."""
    axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(SvFormatter())


def year_axis(ax, years: list[int]) -> None:
    """Whole years as ticks, written without a thousands space."""
    ax.set_xticks(years, [str(y) for y in years])


def new_figure(layout: Layout, ratio: float) -> tuple[Figure, object]:
    with matplotlib.rc_context({**STYLE, "font.size": layout.font}):
        fig = Figure(figsize=layout.size(ratio), layout="constrained")
        ax = fig.add_subplot()
    for key, value in STYLE.items():
        if key.startswith("axes.spines."):
            ax.spines[key.rsplit(".", 1)[1]].set_visible(value)
    ax.tick_params(labelsize=layout.small)
    ax.xaxis.label.set_size(layout.small)
    ax.yaxis.label.set_size(layout.small)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def legend_above(fig: Figure, layout: Layout, handles: list | None = None, ncols: int | None = None) -> None:
    """The legend above the plot, outside it, so it never covers a bar or a line."""
    kwargs = {"handles": handles} if handles is not None else {}
    fig.legend(
        loc="outside upper left",
        frameon=False,
        fontsize=layout.small,
        ncols=ncols or (1 if layout.narrow else 2),
        **kwargs,
    )
