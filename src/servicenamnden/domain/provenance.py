"""Where a figure comes from: the data cells it is computed from and the rule that computes it.

A :class:`Traced` value is not a number with a note beside it: its number IS the rule applied to its
cells. :func:`select` reads cells from a loaded data file (the frame carries its file name and key
columns, :func:`servicenamnden.io.data.load` puts them in ``frame.attrs``) and remembers which; the
rules below combine traced values into new ones. So the provenance cannot drift from the figure.

>>> frame = pd.DataFrame({"omrade": ["a", "b"], "ar": [2023, 2023], "belopp": [1.5, -4.0]})
>>> frame.attrs.update(fil="drift", nyckel=["omrade", "ar"], enhet="mnkr")
>>> total = select(frame, "belopp", ar=2023)
>>> total.value, total.rule, [c.row_id for c in total.cells]
(-2.5, 'summa', ['r-a-2023', 'r-b-2023'])
>>> andel(select(frame, "belopp", omrade="a"), total).value
-60.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pandas as pd

# The rules' short names and what each says in the popover (Swedish, one line).
RULES = {
    "varde": "värdet som det står i datafilen",
    "motsatt": "värdet i datafilen med omvänt tecken",
    "summa": "summan av raderna",
    "differens": "skillnaden: de första raderna minus de andra",
    "medel": "medelvärdet av raderna",
    "antal": "antalet rader som uppfyller villkoret",
    "kvot": "kvoten: täljaren delad med nämnaren",
    "andel": "andelen i procent: täljaren delad med nämnaren gånger 100",
    "forandring_procent": "förändringen i procent: (nytt − gammalt) delat med gammalt gånger 100",
    "produkt": "produkten av värdena",
    "index": "indextal: värdet delat med basårets värde gånger 100",
    "avvikelse_mot_uppraknad": "det verkliga beloppet minus basbeloppet uppräknat med indexet (bas gånger nytt delat med gammalt)",
    "uppraknad": "basbeloppet uppräknat med indexets förändring: bas gånger nytt delat med gammalt",
    "komplement": "det som återstår till 100 procent: 100 minus värdet",
    "medel_av_summor": "ovägt medelvärde av gruppernas summor: varje grupps rader läggs ihop, sedan tas medelvärdet",
    "kvot_av_produkt": "kvoten: täljaren delad med produkten av nämnarna",
    "lista": "värdena som de står i datafilen, i radernas ordning",
    "spann_forandring_procent": "förändringen i procent för varje par (nytt mot gammalt), från den minsta till den största",
    "marginal_over": "avståndet över målet i procent av målet: (utfall − mål) delat med mål gånger 100",
    "marginal_under": "avståndet under det högsta tillåtna värdet i procent av det: (mål − utfall) delat med mål gånger 100",
}
# The parts of a ratio's or a change's cells.
NUMERATOR, DENOMINATOR, NEW, OLD, BASE, FACTOR = "taljare", "namnare", "nytt", "gammalt", "bas", "faktor"
ACTUAL = "verkligt"
OUTCOME, TARGET = "utfall", "mal"  # a margin's parts; a computed outcome's cells are ``utfall/<its part>``
# Rules an outcome may be computed by inside a margin: each recomputable from its cells and their parts.
NESTABLE = ("andel", "kvot", "medel", "medel_av_summor")
LINEAR = ("varde", "motsatt", "summa", "differens")
_SLUG = re.compile(r"[^0-9A-Za-z_]+")


class ProvenanceError(ValueError):
    """A rule was given what it cannot trace (a ratio inside a sum)."""


@dataclass(frozen=True)
class Cell:
    """One cell of a data file: the file, its row by the key columns' values, and the column."""

    fil: str
    nyckel: tuple[tuple[str, str], ...]
    kolumn: str

    @property
    def row_id(self) -> str:
        """The row's id on the data file's page, built from its key: ``r-omrade_1-2023-utfall``."""
        return "r-" + "-".join(_SLUG.sub("-", v).strip("-") or "_" for _, v in self.nyckel)

    def key_text(self) -> str:
        """The row's key in words: ``omrade omrade_1, ar 2023``."""
        return ", ".join(f"{k} {v}" for k, v in self.nyckel)


@dataclass(frozen=True)
class Term:
    """A cell's value as it enters a rule: its sign (+1 or −1) and its part (``""`` or a ratio's part)."""

    cell: Cell
    value: float
    sign: int = 1
    part: str = ""


@dataclass(frozen=True)
class Traced:
    """A figure: its number, unit and rule, and the cells the rule was applied to."""

    value: float
    unit: str
    rule: str
    terms: tuple[Term, ...]
    divisor: float = 1.0  # a fixed divisor of a product (hours a week per full-time post)
    condition: str = ""  # which rows, in words, where the selection is a condition (a count, a maximum)
    values: tuple[float, ...] = ()  # a figure of several numbers (a list, a range): them; its value NaN
    inner: str = ""  # the rule of a computed part (a margin's outcome that is a share): its cells' parts

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(t.cell for t in self.terms)

    @property
    def named(self) -> bool:
        """Whether every cell names its file: the figure can show where it comes from."""
        return bool(self.terms) and all(t.cell.fil for t in self.terms)

    @property
    def description(self) -> str:
        text = RULES[self.rule]
        if self.inner:
            text = f"{text}; utfallet är {RULES[self.inner]}"
        if self.divisor != 1:
            text = f"{text}, delad med {key_value(self.divisor)}"
        return f"{text}: {self.condition}" if self.condition else text

    def __add__(self, other: Traced) -> Traced:
        return summa(self, other)

    def __sub__(self, other: Traced) -> Traced:
        return differens(self, other)

    def __neg__(self) -> Traced:
        return motsatt(self)

    def in_unit(self, unit: str) -> Traced:
        """The same figure named in another unit (a share of hours is ``%``)."""
        return replace(self, unit=unit)

    def where(self, condition: str) -> Traced:
        """The same figure, saying in words which rows it takes (``målet bedöms uppfyllt``)."""
        return replace(self, condition=condition)


def key_value(value: object) -> str:
    """A key cell as text: ``2023`` for a year read as a number, the text itself otherwise."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def select(frame: pd.DataFrame, column: str, **where: object) -> Traced:
    """The sum of ``column`` over the rows of ``frame`` where each ``where`` column equals its value (a
    list: is one of them); one row is its value. NaN when no row has a value (a missing figure)."""
    # A frame built by hand (a test, a scratch table) names no file: the value is computed all the same,
    # its cells name no file, and the prose shows it as plain text (``Traced.named`` is false).
    fil, nyckel = str(frame.attrs.get("fil") or ""), list(frame.attrs.get("nyckel") or [])
    rows = frame
    for name, wanted in where.items():
        rows = rows[rows[name].isin(wanted) if isinstance(wanted, list | tuple) else rows[name] == wanted]
    rows = rows[rows[column].notna()]
    terms = tuple(
        Term(Cell(fil, tuple((k, key_value(row[k])) for k in nyckel), column), float(row[column]))
        for _, row in rows.iterrows()
    )
    unit = str(frame.attrs.get("enhet") or "")
    if "enhet" in rows and unit.startswith("enligt kolumnen"):  # each row states its own unit
        units = set(rows["enhet"].dropna().astype(str))
        unit = units.pop() if len(units) == 1 else ""
    if not terms:
        return Traced(float("nan"), unit, "summa", ())
    return Traced(sum(t.value for t in terms), unit, "varde" if len(terms) == 1 else "summa", terms)


def _linear(traced: Traced) -> tuple[Term, ...]:
    if traced.rule not in LINEAR:
        raise ProvenanceError(f"regeln {traced.rule} kan inte ingå i en summa")
    return traced.terms


def _value(terms: tuple[Term, ...]) -> float:
    return sum(t.sign * t.value for t in terms) if terms else float("nan")


def summa(*parts: Traced) -> Traced:
    """The sum of traced values (of one unit)."""
    terms = tuple(t for p in parts for t in _linear(p))
    return Traced(_value(terms), parts[0].unit, "summa" if len(terms) > 1 else "varde", terms)


def motsatt(traced: Traced) -> Traced:
    """The value with its sign turned (a cost stored as negative, shown as an amount)."""
    terms = tuple(replace(t, sign=-t.sign) for t in _linear(traced))
    return Traced(_value(terms), traced.unit, "motsatt" if len(terms) == 1 else "differens", terms)


def differens(first: Traced, second: Traced) -> Traced:
    """``first − second``."""
    terms = _linear(first) + tuple(replace(t, sign=-t.sign) for t in _linear(second))
    return Traced(_value(terms), first.unit, "differens", terms)


def medel(traced: Traced) -> Traced:
    """The mean of a selection's cells."""
    terms = _linear(traced)
    return Traced(_value(terms) / len(terms) if terms else float("nan"), traced.unit, "medel", terms)


def antal(traced: Traced, condition: str = "") -> Traced:
    """How many rows a selection holds (areas in balance, goals reached), and ``condition``: which, in words."""
    rows = {(c.fil, c.nyckel) for c in traced.cells}
    return Traced(float(len(rows)), "", "antal", traced.terms, condition=condition)


def komplement(share: Traced) -> Traced:
    """``100 − share``: the rest of a whole in percent (units that had not yet held the meeting)."""
    return Traced(100 - _value(_linear(share)), "%", "komplement", share.terms)


def medel_av_summor(groups: dict[str, Traced]) -> Traced:
    """The unweighted mean over ``groups`` of each group's sum (each school form's serving plus plate
    waste); each term's part names its group, so the rows tell the groups themselves."""
    terms = tuple(replace(t, part=name) for name, g in groups.items() for t in _linear(g))
    sums = [_value(_linear(g)) for g in groups.values()]
    unit = next(iter(groups.values())).unit if groups else ""
    return Traced(sum(sums) / len(sums) if sums else float("nan"), unit, "medel_av_summor", terms)


def kvot_av_produkt(numerator: Traced, *denominators: Traced, unit: str = "") -> Traced:
    """``numerator / (d1 × d2 × …)``: stops per delivery point and month."""
    terms = tuple(replace(t, part=NUMERATOR) for t in _linear(numerator)) + tuple(
        replace(t, part=DENOMINATOR) for d in denominators for t in _single(d)
    )
    bottom = 1.0
    for d in denominators:
        bottom *= d.value
    return Traced(numerator.value / bottom if bottom else float("nan"), unit, "kvot_av_produkt", terms)


def lista(*parts: Traced) -> Traced:
    """Values one by one, in the order the text names them (``0, 20, 80 och 100 %``): no one number, so
    its value is NaN and the popover and the open data state the values."""
    terms = tuple(t for p in parts for t in _linear(p))
    values = tuple(t.sign * t.value for t in terms)
    return Traced(float("nan"), parts[0].unit if parts else "", "lista", terms, values=values)


def spann_forandring_procent(pairs: list[tuple[Traced, Traced]]) -> Traced:
    """The smallest and the largest change in percent over ``(new, old)`` pairs (the fee increases of all
    subscriptions, ``mellan 4,7 % och 5,3 %``); the cells stand pair by pair, new before old."""
    terms, changes = [], []
    for new, old in pairs:
        changes.append((new.value - old.value) / old.value * 100)
        terms += [replace(t, part=NEW) for t in _single(new)] + [replace(t, part=OLD) for t in _single(old)]
    span = (min(changes), max(changes)) if changes else ()
    return Traced(float("nan"), "%", "spann_forandring_procent", tuple(terms), values=span)


def _single(traced: Traced) -> tuple[Term, ...]:
    if traced.rule not in ("varde", "motsatt") or len(traced.terms) != 1:
        raise ProvenanceError(f"regeln {traced.rule} ger inte ett enda värde att multiplicera med")
    return traced.terms


def _parts(first: Traced, second: Traced, a: str, b: str) -> tuple[float, float, tuple[Term, ...]]:
    terms = tuple(replace(t, part=a) for t in _linear(first)) + tuple(
        replace(t, part=b) for t in _linear(second)
    )
    return _value(_linear(first)), _value(_linear(second)), terms


def kvot(numerator: Traced, denominator: Traced, unit: str = "") -> Traced:
    """``numerator / denominator``."""
    top, bottom, terms = _parts(numerator, denominator, NUMERATOR, DENOMINATOR)
    return Traced(top / bottom if bottom else float("nan"), unit, "kvot", terms)


def andel(part: Traced, whole: Traced) -> Traced:
    """``part / whole × 100``, in percent."""
    top, bottom, terms = _parts(part, whole, NUMERATOR, DENOMINATOR)
    return Traced(top / bottom * 100 if bottom else float("nan"), "%", "andel", terms)


def forandring_procent(new: Traced, old: Traced) -> Traced:
    """The change from ``old`` to ``new`` in percent of ``old``."""
    now, before, terms = _parts(new, old, NEW, OLD)
    return Traced((now - before) / before * 100 if before else float("nan"), "%", "forandring_procent", terms)


def produkt(*parts: Traced, divisor: float = 1.0) -> Traced:
    """The product of single values, divided by a fixed ``divisor`` (hours → full-time posts)."""
    terms = tuple(replace(t, part=FACTOR) for p in parts for t in _linear(p))
    value = 1.0
    for p in parts:
        value *= p.value
    return Traced(value / divisor, "", "produkt", terms, divisor)


def uppraknad(base: Traced, new: Traced, old: Traced) -> Traced:
    """``base × new / old``: a base-year amount had it followed an index from ``old`` to ``new``."""
    terms = tuple(
        replace(t, part=part) for part, p in ((BASE, base), (NEW, new), (OLD, old)) for t in _linear(p)
    )
    return Traced(
        base.value * new.value / old.value if old.value else float("nan"), base.unit, "uppraknad", terms
    )


def index(new: Traced, old: Traced) -> Traced:
    """``new / old × 100``: an index with ``old`` as the base (= 100)."""
    now, before, terms = _parts(new, old, NEW, OLD)
    return Traced(now / before * 100 if before else float("nan"), "", "index", terms)


def avvikelse_mot_uppraknad(actual: Traced, counterfactual: Traced) -> Traced:
    """``actual`` minus an amount :func:`uppraknad` gives: how far a cost is from what the index implies."""
    if counterfactual.rule != "uppraknad":
        raise ProvenanceError("jämförelsen kräver ett uppräknat belopp")
    terms = tuple(replace(t, part=ACTUAL) for t in _linear(actual)) + counterfactual.terms
    return Traced(actual.value - counterfactual.value, actual.unit, "avvikelse_mot_uppraknad", terms)


def marginal(outcome: Traced, target: Traced, highest: bool = False) -> Traced:
    """How far ``outcome`` lies on the good side of ``target``, in percent of the target: above a lowest
    value (or last year's), or below a highest (``highest``). An outcome computed by a rule of
    :data:`NESTABLE` (a share, a mean of sums) keeps that rule as ``inner`` and its cells' parts under
    ``utfall/``, so the margin still names every data cell it comes from."""
    inner = "" if outcome.rule in LINEAR else outcome.rule
    if inner and (inner not in NESTABLE or outcome.divisor != 1):
        raise ProvenanceError(f"regeln {outcome.rule} kan inte ge utfallet i ett avstånd till målet")
    own = outcome.terms if inner else _linear(outcome)
    terms = tuple(replace(t, part=f"{OUTCOME}/{t.part}" if inner else OUTCOME) for t in own)
    terms += tuple(replace(t, part=TARGET) for t in _linear(target))
    goal = _value(_linear(target))
    better = goal - outcome.value if highest else outcome.value - goal
    rule = "marginal_under" if highest else "marginal_over"
    return Traced(better / goal * 100 if goal else float("nan"), "%", rule, terms, inner=inner)
